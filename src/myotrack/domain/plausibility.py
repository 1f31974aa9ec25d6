"""Is a value physiologically possible, and is it plausible? One table, one engine.

Each row of `LAB_LIMITS` gives, for one analyte in its canonical unit
(`domain.units.canonical_unit`), two kinds of limit:

* **hard limits** ("impossible"): beyond any value reported in a living patient. The
  value is refused on every entry path; the message names the likely unit mistake
  ("126 g/dL is impossible for haemoglobin: did you mean g/L?").
* **soft limits** ("implausible"): values seen only in extreme illness. The user must
  confirm (web: `confirm_implausible`; import: `--accept-implausible` or the row's
  `x_confirm_implausible` cell).

The limits are deliberately generous: they catch unit and typing mistakes, not disease.
Every row carries its source and evidence status; limits marked DERIVED are our reasoning
from the cited extremes, not a published table, and may be replaced by a centre
(`judge_lab(..., limits=...)` takes another table of the same shape).

Body weight and height are judged against age and sex with the CDC 2000 growth reference
(`domain.growth`): beyond CDC's own cut-offs for biologically implausible values the value
is implausible (to be confirmed); outside the format's range it is impossible.

Pure code: `today`/the visit date and the birth date are passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

from myotrack.domain import units
from myotrack.domain.growth import GrowthJudgement, judge_growth
from myotrack.domain.labels import label
from myotrack.domain.vocab import MEASURES

Level = Literal["ok", "implausible", "impossible"]
Evidence = Literal["VERIFIED", "SECONDARY", "DERIVED", "UNVERIFIED"]

IMPOSSIBLE_RULE: Final = "impossible_value"
IMPLAUSIBLE_RULE: Final = "implausible_value"


@dataclass(frozen=True, slots=True)
class LabLimits:
    """Limits of one analyte, in its canonical unit; None = no limit on that side."""

    analyte: str
    impossible_below: float | None
    implausible_below: float | None
    implausible_above: float | None
    impossible_above: float | None
    source: str
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class Mistake:
    """A unit that is not accepted but often typed by mistake (cells per µL for a count):
    a value judged impossible that fits when read in this unit gets the hint."""

    unit: str
    factor_to_canonical: float


@dataclass(frozen=True, slots=True)
class Plausibility:
    level: Level
    message: str  # empty when ok
    likely_unit: str | None = None  # the unit the value probably was in

    @property
    def ok(self) -> bool:
        return self.level == "ok"

    @property
    def rule(self) -> str | None:
        """The rule name on every entry path: impossible_value or implausible_value."""
        if self.level == "impossible":
            return IMPOSSIBLE_RULE
        if self.level == "implausible":
            return IMPLAUSIBLE_RULE
        return None


OK: Final = Plausibility("ok", "")

_ENZYME_SOURCE: Final = (
    "DERIVED: above the highest activities reported in rhabdomyolysis and ischaemic "
    "hepatitis (CK > 1 000 000 U/L is reported in case reports; Huerta-Alardín AL et al., "
    "Crit Care 2005;9:158 reviews CK in rhabdomyolysis)"
)
_COUNT_SOURCE: Final = (
    "DERIVED: extreme hyperleukocytosis and thrombocytosis in leukaemia/myeloproliferative "
    "disease stay below these counts; a count typed per µL (x1000) lands beyond them"
)

LAB_LIMITS: Final[dict[str, LabLimits]] = {
    row.analyte: row
    for row in (
        LabLimits(
            analyte="CK",
            impossible_below=None,
            implausible_below=None,
            implausible_above=100_000,
            impossible_above=5_000_000,
            source=_ENZYME_SOURCE,
            evidence="DERIVED",
        ),
        LabLimits(
            analyte="LDH",
            impossible_below=None,
            implausible_below=None,
            implausible_above=20_000,
            impossible_above=500_000,
            source=_ENZYME_SOURCE,
            evidence="DERIVED",
        ),
        LabLimits(
            analyte="AST",
            impossible_below=None,
            implausible_below=None,
            implausible_above=10_000,
            impossible_above=200_000,
            source=_ENZYME_SOURCE,
            evidence="DERIVED",
        ),
        LabLimits(
            analyte="ALT",
            impossible_below=None,
            implausible_below=None,
            implausible_above=10_000,
            impossible_above=200_000,
            source=_ENZYME_SOURCE,
            evidence="DERIVED",
        ),
        LabLimits(
            analyte="aldolase",
            impossible_below=None,
            implausible_below=None,
            implausible_above=1_000,
            impossible_above=50_000,
            source=_ENZYME_SOURCE,
            evidence="DERIVED",
        ),
        LabLimits(
            analyte="lymphocytes",
            impossible_below=None,
            implausible_below=None,
            implausible_above=100,
            impossible_above=1_000,
            source=_COUNT_SOURCE,
            evidence="DERIVED",
        ),
        LabLimits(
            analyte="neutrophils",
            impossible_below=None,
            implausible_below=None,
            implausible_above=100,
            impossible_above=1_000,
            source=_COUNT_SOURCE,
            evidence="DERIVED",
        ),
        LabLimits(
            analyte="platelets",
            impossible_below=None,
            implausible_below=None,
            implausible_above=2_000,
            impossible_above=10_000,
            source=_COUNT_SOURCE,
            evidence="DERIVED",
        ),
        LabLimits(
            analyte="hemoglobin",
            impossible_below=0.5,
            implausible_below=4,
            implausible_above=22,
            impossible_above=30,
            source="DERIVED: survival is reported down to about 1 g/dL and polycythaemia "
            "(neonates, cyanotic heart disease) up to about 25 g/dL; 126 g/dL is g/L",
            evidence="DERIVED",
        ),
        LabLimits(
            analyte="CRP",
            impossible_below=None,
            implausible_below=None,
            implausible_above=500,
            impossible_above=2_000,
            source="DERIVED: CRP in severe sepsis rarely exceeds 500 mg/L",
            evidence="DERIVED",
        ),
        LabLimits(
            analyte="ESR",
            impossible_below=None,
            implausible_below=None,
            implausible_above=160,
            impossible_above=200,
            source="Westergren method: the tube is 200 mm long, so no ESR exceeds 200 mm "
            "in 1 h (ICSH: Jou JM et al., Int J Lab Hematol 2011;33:125)",
            evidence="SECONDARY",
        ),
        LabLimits(
            analyte="ferritin",
            impossible_below=None,
            implausible_below=None,
            implausible_above=200_000,
            impossible_above=10_000_000,
            source="DERIVED: hyperferritinaemia in HLH/macrophage activation syndrome is "
            "reported above 100 000 µg/L, rarely beyond",
            evidence="DERIVED",
        ),
        LabLimits(
            analyte="KL6",
            impossible_below=None,
            implausible_below=None,
            implausible_above=20_000,
            impossible_above=1_000_000,
            source="DERIVED: KL-6 in interstitial lung disease is reported up to several "
            "thousand U/mL",
            evidence="DERIVED",
        ),
        LabLimits(
            analyte="total_cholesterol",
            impossible_below=None,
            implausible_below=1,
            implausible_above=25,
            impossible_above=60,
            source="DERIVED: homozygous familial hypercholesterolaemia reaches about "
            "15-25 mmol/L; a value in mg/dL read as mmol/L is 38.67 times too high",
            evidence="DERIVED",
        ),
        LabLimits(
            analyte="LDL",
            impossible_below=None,
            implausible_below=None,
            implausible_above=20,
            impossible_above=60,
            source="DERIVED: as total cholesterol",
            evidence="DERIVED",
        ),
        LabLimits(
            analyte="triglycerides",
            impossible_below=None,
            implausible_below=None,
            implausible_above=30,
            impossible_above=300,
            source="DERIVED: chylomicronaemia syndromes reach 100 mmol/L and more",
            evidence="DERIVED",
        ),
        LabLimits(
            analyte="creatinine",
            impossible_below=2,
            implausible_below=10,
            implausible_above=1_000,
            impossible_above=4_000,
            source="DERIVED: a child's creatinine is about 15-90 µmol/L; end-stage renal "
            "failure rarely exceeds 1500 µmol/L; a value in mg/dL read as µmol/L is 88.4 "
            "times too low",
            evidence="DERIVED",
        ),
        LabLimits(
            analyte="eGFR",
            impossible_below=None,
            implausible_below=None,
            implausible_above=250,
            impossible_above=1_000,
            source="DERIVED: hyperfiltration in children rarely exceeds 200 mL/min/1.73m2",
            evidence="DERIVED",
        ),
    )
}

# Units typed by mistake that are not accepted: counts per µL (= 10^6/L).
MISTAKES: Final[dict[str, tuple[Mistake, ...]]] = {
    "lymphocytes": (Mistake("cells/µL", 0.001),),
    "neutrophils": (Mistake("cells/µL", 0.001),),
    "platelets": (Mistake("cells/µL", 0.001),),
}


def _fmt(x: float) -> str:
    return f"{x:g}"


def _level_in_canonical(limits: LabLimits, value: float) -> Level:
    if (limits.impossible_below is not None and value < limits.impossible_below) or (
        limits.impossible_above is not None and value > limits.impossible_above
    ):
        return "impossible"
    if (limits.implausible_below is not None and value < limits.implausible_below) or (
        limits.implausible_above is not None and value > limits.implausible_above
    ):
        return "implausible"
    return "ok"


def _likely_unit(analyte: str, value: float, unit: str, limits: LabLimits) -> str | None:
    """The accepted (or commonly mistaken) unit in which this value would be plausible."""
    given = units.UNITS[analyte][1][unit]
    for other, factor in units.UNITS[analyte][1].items():
        if factor == given:
            continue  # a spelling of the same unit
        if _level_in_canonical(limits, float(value * float(factor))) == "ok":
            return units.ALIASES.get(other, other)
    for mistake in MISTAKES.get(analyte, ()):
        if _level_in_canonical(limits, value * mistake.factor_to_canonical) == "ok":
            return mistake.unit
    return None


def judge_lab(
    analyte: str,
    value: float,
    unit: str,
    limits: dict[str, LabLimits] | None = None,
) -> Plausibility:
    """Judge one quantitative lab value in one of its accepted units.

    An analyte without a row (IFN score, screening tests) is always ok. Raises KeyError
    for a unit the analyte does not accept (that is the unit rule's business).
    """
    row = (LAB_LIMITS if limits is None else limits).get(analyte)
    if row is None:
        return OK
    # float arithmetic is exact enough to compare with these generous limits
    canonical = value * float(units.UNITS[analyte][1][unit])
    level = _level_in_canonical(row, canonical)
    if level == "ok":
        return OK
    name = label("analyte", analyte)
    shown_unit = label("unit", unit)
    likely = _likely_unit(analyte, value, unit, row)
    return _verdict(level, f"{_fmt(value)} {shown_unit} for {name}", "", likely)


def _verdict(level: Level, what: str, why: str, likely: str | None) -> Plausibility:
    hint = f" Did you mean {label('unit', likely)}?" if likely else ""
    if level == "impossible":
        return Plausibility("impossible", f"{what} is impossible{why}.{hint}", likely)
    return Plausibility(
        "implausible",
        f"{what} is unusual{why}.{hint} Check it, and confirm it if it is right.",
        likely,
    )


def judge_measure(
    measure: str,
    value: float,
    *,
    sex: str | None = None,
    birth_date: date | None = None,
    on: date | None = None,
) -> Plausibility:
    """Judge one visit measure. Scores are ok inside their range (the range itself is the
    field rule); weight and height are judged for age and sex when both are known."""
    spec = MEASURES[measure]
    if measure not in ("weight_kg", "height_cm") or sex is None or birth_date is None:
        return OK
    if on is None:
        return OK
    judged: GrowthJudgement | None = judge_growth(measure, value, sex, birth_date, on)
    if judged is None or judged.level == "ok":
        return OK
    what = f"{_fmt(value)} {spec.unit} {spec.label} at age {judged.age_years:.1f} years"
    why = f" (z-score {judged.z:+.1f} on the CDC 2000 growth reference)"
    return _verdict(judged.level, what, why, judged.likely_unit)


__all__ = [
    "IMPLAUSIBLE_RULE",
    "IMPOSSIBLE_RULE",
    "LAB_LIMITS",
    "LabLimits",
    "Level",
    "Plausibility",
    "judge_lab",
    "judge_measure",
]
