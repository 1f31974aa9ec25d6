"""Type I interferon score of Rice et al. (J Clin Immunol 2017;37:123–32): the median of
the fold changes of six interferon-stimulated genes against the median of healthy controls.

    dCt[g]  = Ct(sample, g) − Ct(sample, reference gene)
    ddCt[g] = dCt[g] − median dCt[g] of the healthy controls
    FC[g]   = 2 ** −ddCt[g]
    score   = median of the six FC (six values: mean of the 3rd and 4th)
    positive if score > 2.466  (strict; mean + 2 SD of the controls, Rice 2017)

A lab's own method (other genes, other cut-off, other reference range) is stored with the
result and never compared across methods.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from myotrack.instruments.model import ItemError

SOURCE = "Rice GI et al., J Clin Immunol 2017;37:123 (6-gene interferon score)"
# The six genes of the Rice 2017 score (TaqMan assays IFI27, IFI44L, IFIT1, ISG15, RSAD2,
# SIGLEC1; normalised to HPRT1 and 18S).
RICE_GENES: tuple[str, ...] = ("IFI27", "IFI44L", "IFIT1", "ISG15", "RSAD2", "SIGLEC1")
# Positive if the score is greater than 2.466 (mean + 2 SD of 29 healthy controls; Rice 2017).
RICE_CUTOFF = 2.466


@dataclass(frozen=True, slots=True)
class InterferonResult:
    score: float
    positive: bool
    cutoff: float
    fold_changes: dict[str, float]
    ddct: dict[str, float]
    assumptions: tuple[str, ...] = ()
    reference_range: str | None = None
    lab: str | None = None
    method: str = "Rice 2017 6-gene median fold change"
    source: str = SOURCE
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": "interferon_score",
            "version": "Rice 2017",
            "source": self.source,
            "method": self.method,
            "interferon_score": self.score,
            "positive": self.positive,
            "cutoff": self.cutoff,
            "cutoff_rule": f"positive if score > {self.cutoff:g}",
            "fold_changes": dict(self.fold_changes),
            "ddct": dict(self.ddct),
            "reference_range": self.reference_range,
            "lab": self.lab,
            "assumptions": list(self.assumptions),
        }


def rice_positive(score: float, cutoff: float = RICE_CUTOFF) -> bool:
    """Positive if the score is strictly greater than the cut-off (Rice 2017: > 2.466)."""
    return score > cutoff


def fold_change(ddct: float) -> float:
    """Relative quantity 2^-ΔΔCt."""
    return float(2.0 ** (-ddct))


def ddct_from_ct(ct_gene: float, ct_reference: float, control_median_dct: float) -> float:
    """ΔΔCt of one gene: (Ct gene − Ct reference) − median control ΔCt."""
    return (ct_gene - ct_reference) - control_median_dct


def interferon_score(
    *,
    ddct: Mapping[str, float] | None = None,
    dct: Mapping[str, float] | None = None,
    control_median_dct: Mapping[str, float] | None = None,
    cutoff: float = RICE_CUTOFF,
    reference_range: str | None = None,
    lab: str | None = None,
) -> InterferonResult:
    """The Rice 2017 interferon score from ΔΔCt values of the six genes, or from the
    patient's ΔCt values and the median ΔCt of the healthy controls."""
    if (ddct is None) == (dct is None):
        raise ItemError(
            "ddct",
            "either ddct, or dct together with control_median_dct",
            "give either ddct (ΔΔCt against the control median) or dct with control_median_dct",
        )
    if dct is not None:
        if control_median_dct is None:
            raise ItemError(
                "control_median_dct",
                "ΔCt median of the healthy controls per gene",
                "dct needs control_median_dct (median ΔCt of the healthy controls)",
            )
        _check_genes("dct", dct)
        _check_genes("control_median_dct", control_median_dct)
        values = {g: float(dct[g]) - float(control_median_dct[g]) for g in RICE_GENES}
    else:
        assert ddct is not None
        _check_genes("ddct", ddct)
        values = {g: float(ddct[g]) for g in RICE_GENES}
    if isinstance(cutoff, bool) or not math.isfinite(cutoff) or cutoff <= 0:
        raise ItemError(
            "cutoff", "a positive number", f"cutoff must be a positive number; got {cutoff!r}"
        )
    fcs = {g: fold_change(v) for g, v in values.items()}
    score = float(statistics.median(fcs.values()))
    assumptions: list[str] = []
    if cutoff != RICE_CUTOFF:
        assumptions.append(
            f"Positivity cut-off {cutoff:g} given by the user (Rice 2017 uses > {RICE_CUTOFF})."
        )
    return InterferonResult(
        score=score,
        positive=rice_positive(score, cutoff),
        cutoff=cutoff,
        fold_changes=fcs,
        ddct=values,
        assumptions=tuple(assumptions),
        reference_range=reference_range,
        lab=lab,
    )


def _check_genes(field_name: str, values: Mapping[str, float]) -> None:
    allowed = ", ".join(RICE_GENES)
    for gene in values:
        if gene not in RICE_GENES:
            raise ItemError(
                f"{field_name}.{gene}",
                allowed,
                f"{field_name}: unknown gene {gene!r}; the six genes are {allowed}",
            )
    for gene in RICE_GENES:
        if gene not in values or values[gene] is None:
            raise ItemError(
                f"{field_name}.{gene}",
                allowed,
                f"{field_name}: gene {gene} missing; all six are needed ({allowed})",
            )
        value = values[gene]
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            raise ItemError(
                f"{field_name}.{gene}",
                "a number (cycles)",
                f"{field_name}.{gene}: a number of cycles is needed; got {value!r}",
            )
