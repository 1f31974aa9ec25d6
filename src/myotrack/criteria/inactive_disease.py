"""Clinically inactive disease (CID) in JDM.

* PRINTO criteria: Lazarevic D, Pistorio A, Palmisani E, et al. Ann Rheum Dis
  2013;72:686-693 (VERIFIED, shared/spec/instruments.md §12.1): at least 3 of 4 of
  CK <= 150 U/L, CMAS >= 48 (0-52), MMT8 >= 78 (unilateral 0-80), PhGA <= 0.2 cm (10-cm VAS).
* Skin-aware P-CID: Almeida B, Campanilho-Marques R, Arnold K, et al. Arthritis Rheumatol
  2015;67:2495-2502: PhGA <= 0.2 made essential, plus at least 2 of the other 3 (the
  "2 of 3" wording is UNVERIFIED, spec §12.2).

Missing values: a criterion that is not measured is neither met nor failed. The status is
decided when the measured ones settle it (e.g. 3 met of 3 measured is >= 3 of 4 whatever
the fourth); otherwise it is "indeterminate" and the missing measures are named.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from myotrack.domain import Calculator
from myotrack.domain.units import accepted_units, to_canonical

NAME: Final = "printo_cid"
VERSION: Final = "2013 (P-CID 2015)"
SOURCE: Final = (
    "Lazarevic D et al. Ann Rheum Dis 2013;72:686-693; skin-aware P-CID: Almeida B et al. "
    "Arthritis Rheumatol 2015;67:2495-2502"
)

# criterion -> (comparison, threshold); Lazarevic 2013 abstract.
CK_MAX_U_PER_L: Final = 150.0  # CK <= 150 U/L (absolute, not x ULN)
CMAS_MIN: Final = 48.0  # CMAS >= 48 of 52
MMT8_MIN: Final = 78.0  # MMT8 >= 78 of 80 (unilateral)
PHGA_MAX_CM: Final = 0.2  # PhGA <= 0.2 on the 10-cm VAS
PRINTO_MIN_MET: Final = 3  # at least 3 of 4
PCID_OTHERS_MIN_MET: Final = 2  # P-CID: PhGA essential + >= 2 of the other 3 (UNVERIFIED)

CRITERIA: Final = ("ck", "cmas", "mmt8", "phga")
PCID_ASSUMPTION: Final = (
    "P-CID (Almeida 2015) read as PhGA <= 0.2 essential plus at least 2 of CK, CMAS, MMT8 "
    "(wording UNVERIFIED)"
)

Status = Literal["met", "not_met", "indeterminate"]


@dataclass(frozen=True, slots=True)
class CidResult:
    criteria: Mapping[str, bool | None]  # None = not measured
    criteria_met: int
    missing: tuple[str, ...]
    printo_cid: Status
    p_cid: Status


def criteria_met(
    *, ck_u_per_l: float | None, cmas: float | None, mmt8: float | None, phga_cm: float | None
) -> dict[str, bool | None]:
    return {
        "ck": None if ck_u_per_l is None else ck_u_per_l <= CK_MAX_U_PER_L,
        "cmas": None if cmas is None else cmas >= CMAS_MIN,
        "mmt8": None if mmt8 is None else mmt8 >= MMT8_MIN,
        "phga": None if phga_cm is None else phga_cm <= PHGA_MAX_CM,
    }


def _at_least(met: int, unknown: int, needed: int) -> Status:
    if met >= needed:
        return "met"
    if met + unknown < needed:
        return "not_met"
    return "indeterminate"


def assess(
    *,
    ck_u_per_l: float | None,
    cmas: float | None,
    mmt8: float | None,
    phga_cm: float | None,
) -> CidResult:
    crit = criteria_met(ck_u_per_l=ck_u_per_l, cmas=cmas, mmt8=mmt8, phga_cm=phga_cm)
    met = sum(v is True for v in crit.values())
    missing = tuple(k for k, v in crit.items() if v is None)
    printo = _at_least(met, len(missing), PRINTO_MIN_MET)
    others = [crit[k] for k in ("ck", "cmas", "mmt8")]
    others_status = _at_least(
        sum(v is True for v in others), sum(v is None for v in others), PCID_OTHERS_MIN_MET
    )
    p_cid: Status
    if crit["phga"] is False or others_status == "not_met":
        p_cid = "not_met"
    elif crit["phga"] is True and others_status == "met":
        p_cid = "met"
    else:
        p_cid = "indeterminate"
    return CidResult(crit, met, missing, printo, p_cid)


class CidInput(BaseModel):
    """Values at one visit. PhGA in cm (0-10) or in mm (0-100, converted: mm / 10)."""

    model_config = ConfigDict(extra="forbid")

    ck_u_per_l: float | None = Field(
        default=None, ge=0, description="creatine kinase, in ck_unit (default U/L)"
    )
    ck_unit: str = Field(
        default="U/L",
        description="unit of ck_u_per_l: U/L or the SI unit µkat/L (1 µkat/L = 60 U/L)",
    )
    cmas: float | None = Field(default=None, ge=0, le=52)
    mmt8_unilateral: float | None = Field(default=None, ge=0, le=80)
    phga_cm: float | None = Field(default=None, ge=0, le=10)
    phga_mm: float | None = Field(default=None, ge=0, le=100)

    @field_validator("ck_unit")
    @classmethod
    def _known_ck_unit(cls, unit: str) -> str:
        if unit not in accepted_units("CK"):
            raise ValueError(f"unknown CK unit; allowed: {', '.join(accepted_units('CK'))}")
        return unit

    def ck(self) -> float | None:
        """CK in U/L (domain.units: 1 µkat/L = 60 U/L)."""
        if self.ck_u_per_l is None:
            return None
        return to_canonical("CK", self.ck_u_per_l, self.ck_unit)

    @model_validator(mode="after")
    def _one_phga(self) -> CidInput:
        if self.phga_cm is not None and self.phga_mm is not None:
            raise ValueError("give phga_cm or phga_mm, not both")
        return self

    def phga(self) -> float | None:
        if self.phga_mm is not None:
            return self.phga_mm / 10.0  # 10 mm = 1 cm
        return self.phga_cm


def result_dict(r: CidResult) -> dict[str, Any]:
    return {
        "criteria": dict(r.criteria),
        "criteria_met": r.criteria_met,
        "missing": list(r.missing),
        "printo_cid": r.printo_cid,
        "p_cid_almeida": r.p_cid,
    }


def _compute(data: CidInput) -> Mapping[str, Any]:
    phga = data.phga()
    ck = data.ck()
    r = assess(ck_u_per_l=ck, cmas=data.cmas, mmt8=data.mmt8_unilateral, phga_cm=phga)
    return {
        "name": NAME,
        "version": VERSION,
        "source": SOURCE,
        "phga_cm": phga,
        "ck_u_per_l": ck,
        **result_dict(r),
        "assumptions": [PCID_ASSUMPTION],
    }


CALCULATOR: Final = Calculator(
    name=NAME,
    title="PRINTO clinically inactive disease (and skin-aware P-CID)",
    version=VERSION,
    source=SOURCE,
    kind="criterion",
    input_model=CidInput,
    compute=_compute,
)
