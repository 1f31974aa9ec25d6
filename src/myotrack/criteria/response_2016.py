"""2016 ACR/EULAR criteria for minimal, moderate and major clinical response in juvenile
dermatomyositis (and adult DM/PM): the Total Improvement Score (TIS).

Sources: Rider LG, Aggarwal R, Pistorio A, et al. Arthritis Rheumatol 2017;69:911-923 and
Ann Rheum Dis 2017;76:782-791 (JDM; points table = Table 3, VERIFIED); Aggarwal R, Rider LG,
et al. Ann Rheum Dis 2017;76:792-801 (adult thresholds). See shared/spec/instruments.md §10.

Each of six core set measures earns points by its *absolute percent improvement* band; the
points are summed to the TIS (0-100). How that percent change is computed from raw values is
not verified (spec §10.4; still UNVERIFIED after the December 2026 errata §6): it is the
named option `change_mode` ("range": change divided by the instrument's full range, the
default; "relative": change divided by the baseline value). Enzymes (and CHQ-PhS, which has
no bounded range) always use relative change, a separate flagged rule.

Why "range" is the default (supporting evidence, errata §6, none of it the methods text):
the paper's candidate models include a separate "relative percent change" family with other
thresholds (Rider 2017 Table 2); PRINTO reports "absolute and relative percent changes" of
the core set as two distinct quantities (Giancane G et al. Pediatr Rheumatol 2019;17:24);
and the official IMACS calculator asks for the maximum possible MMT score, which only
matters if the change is scaled to the instrument's range. The defining text (Rider LG,
Ruperto N et al. Rheumatology 2017;56(11):1884-93, or the Aggarwal 2017 methods) was not
reached; the enzyme rule is unresolved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from myotrack.domain import Calculator

NAME: Final = "acr_eular_2016_response"
VERSION: Final = "2016"
SOURCE: Final = (
    "Rider LG, Aggarwal R, et al. Arthritis Rheumatol 2017;69:911-923 / Ann Rheum Dis "
    "2017;76:782-791 (JDM); Aggarwal R, Rider LG, et al. Ann Rheum Dis 2017;76:792-801 (adult)"
)

D = Decimal
MEASURES: Final = (
    "phga",
    "parent_global",
    "mmt_or_cmas",
    "chaq",
    "enzyme_or_chq_phs",
    "extramuscular_or_das",
)

# measure -> (upper band edges in % improvement, points per band). Band k covers
# (edge[k-1], edge[k]]; improvement <= first edge (including any worsening) scores 0.
# Rider 2017 Table 3 (VERIFIED). Repeated values (CHAQ 7.5, 7.5; enzyme 7.5, 7.5) are as
# published. Exact-boundary reading (upper bounds inclusive) is the spec's (UNVERIFIED edge).
_EDGES_GENERAL: Final = (5, 15, 25, 40)
_EDGES_MUSCLE: Final = (2, 10, 20, 30)
POINTS: Final[dict[str, tuple[tuple[int, ...], tuple[Decimal, ...]]]] = {
    "phga": (_EDGES_GENERAL, (D(0), D("7.5"), D(15), D("17.5"), D(20))),
    "parent_global": (_EDGES_GENERAL, (D(0), D("2.5"), D(5), D("7.5"), D(10))),
    "chaq": (_EDGES_GENERAL, (D(0), D(5), D("7.5"), D("7.5"), D(10))),
    "enzyme_or_chq_phs": (_EDGES_GENERAL, (D(0), D("2.5"), D(5), D("7.5"), D("7.5"))),
    "extramuscular_or_das": (_EDGES_GENERAL, (D(0), D("7.5"), D("12.5"), D(15), D(20))),
    "mmt_or_cmas": (_EDGES_MUSCLE, (D(0), D(10), D(20), D("27.5"), D("32.5"))),
}

# Thresholds (TIS >=): Rider 2017 (JDM) 30/45/70; Aggarwal 2017 (adult DM/PM) 20/40/60.
THRESHOLDS: Final[dict[str, tuple[tuple[Decimal, str], ...]]] = {
    "jdm": ((D(70), "major"), (D(45), "moderate"), (D(30), "minimal")),
    "adult": ((D(60), "major"), (D(40), "moderate"), (D(20), "minimal")),
}

ChangeMode = Literal["range", "relative"]
CHANGE_MODE_ASSUMPTION: Final = {
    "range": (
        "percent change = change / full range of the instrument x 100 (VAS 10 cm, CHAQ 3, "
        "CMAS 52, MMT8 80 or 150, DAS 20); enzymes and CHQ-PhS relative to baseline. This "
        "reading of 'absolute percent change' is UNVERIFIED (instruments spec §10.4, errata "
        "2026-12 §6: supported, not settled); option change_mode='relative' gives the other."
    ),
    "relative": (
        "percent change = change / baseline value x 100 for every measure. This reading of "
        "'absolute percent change' is UNVERIFIED (instruments spec §10.4, errata 2026-12 §6)."
    ),
}
ENZYME_ASSUMPTION: Final = (
    "most abnormal enzyme = the highest baseline multiple of its upper limit of normal among "
    "the enzymes measured at baseline and follow-up, that enzyme followed (selection rule "
    "UNVERIFIED)"
)


def points(measure: str, percent_improvement: float) -> Decimal:
    """Points of one core set measure for its percent improvement (negative = worse)."""
    edges, pts = POINTS[measure]
    for k, edge in enumerate(edges):
        if percent_improvement <= edge:
            return pts[k]
    return pts[-1]


def category(tis: Decimal, population: str) -> str:
    """'major', 'moderate', 'minimal' or 'none' for population 'jdm' or 'adult'."""
    for threshold, label in THRESHOLDS[population]:
        if tis >= threshold:
            return label
    return "none"


@dataclass(frozen=True, slots=True)
class TisResult:
    percent_improvement: Mapping[str, float]
    points: Mapping[str, Decimal]
    tis: Decimal
    jdm_category: str
    adult_category: str


def total_improvement_score(percent_improvement: Mapping[str, float]) -> TisResult:
    """TIS from the six percent improvements. All six are required: how missing measures
    are handled is not published (spec §10.4), so none is imputed."""
    missing = [m for m in MEASURES if percent_improvement.get(m) is None]
    if missing:
        raise ValueError(f"TIS needs all six core set measures; missing: {', '.join(missing)}")
    pts = {m: points(m, percent_improvement[m]) for m in MEASURES}
    tis = sum(pts.values(), D(0))
    return TisResult(
        percent_improvement={m: percent_improvement[m] for m in MEASURES},
        points=pts,
        tis=tis,
        jdm_category=category(tis, "jdm"),
        adult_category=category(tis, "adult"),
    )


# --- percent change from raw values -------------------------------------------------------

# Full ranges used by change_mode="range" (instruments spec §10.4): VAS 0-10 cm, CHAQ 0-3,
# CMAS 0-52, MMT8 unilateral 0-80 (bilateral 0-150), DAS 0-20 (skin 0-9 + muscle 0-11).
RANGES: Final[dict[str, float]] = {
    "phga": 10.0,
    "parent_global": 10.0,
    "extramuscular_global": 10.0,
    "chaq": 3.0,
    "cmas": 52.0,
    "mmt8": 80.0,
    "mmt8_bilateral": 150.0,
    "das": 20.0,
}
HIGHER_IS_BETTER: Final = frozenset({"cmas", "mmt8", "mmt8_bilateral", "chq_phs"})


def percent_improvement(
    kind: str, baseline: float, followup: float, change_mode: ChangeMode = "range"
) -> float:
    """Percent improvement of one raw measure (positive = better).

    `kind` is one of RANGES, "chq_phs" or "enzyme". Relative change with a baseline of 0:
    no change gives 0, a worsening gives -100, an improvement (higher-is-better only) 100.
    """
    change = followup - baseline if kind in HIGHER_IS_BETTER else baseline - followup
    if change_mode == "range" and kind in RANGES:
        return change / RANGES[kind] * 100.0
    if baseline == 0:
        return 0.0 if change == 0 else (100.0 if change > 0 else -100.0)
    return change / abs(baseline) * 100.0


@dataclass(frozen=True, slots=True)
class EnzymeValue:
    value: float
    uln: float  # upper limit of normal, same unit


def most_abnormal_enzyme(baseline: Mapping[str, EnzymeValue]) -> str | None:
    """The enzyme with the highest baseline value / ULN (ties: first in name order)."""
    candidates = [(e.value / e.uln, name) for name, e in baseline.items() if e.uln > 0]
    if not candidates:
        return None
    best = max(sorted(candidates, key=lambda t: t[1]), key=lambda t: t[0])
    return best[1]


@dataclass(frozen=True, slots=True)
class RawCoreSet:
    """Raw core set values at one time point. Use either cmas or mmt8 (the same at both
    times); either enzymes or chq_phs; either extramuscular_global or das."""

    phga: float | None = None
    parent_global: float | None = None
    cmas: float | None = None
    mmt8: float | None = None
    chaq: float | None = None
    enzymes: Mapping[str, EnzymeValue] | None = None
    chq_phs: float | None = None
    extramuscular_global: float | None = None
    das: float | None = None


@dataclass(frozen=True, slots=True)
class RawTisResult:
    result: TisResult | None
    used: Mapping[str, str]  # core set slot -> the measure used
    missing: tuple[str, ...]
    most_abnormal_enzyme: str | None
    assumptions: tuple[str, ...]


def _pick(
    base: RawCoreSet, follow: RawCoreSet, options: tuple[str, ...]
) -> tuple[str, float, float] | None:
    for name in options:
        b, f = getattr(base, name), getattr(follow, name)
        if b is not None and f is not None:
            return name, float(b), float(f)
    return None


def tis_from_raw(
    baseline: RawCoreSet,
    followup: RawCoreSet,
    *,
    change_mode: ChangeMode = "range",
    mmt8_bilateral: bool = False,
) -> RawTisResult:
    """TIS from raw baseline and follow-up values (see the module docstring for the
    UNVERIFIED change definition)."""
    pct: dict[str, float] = {}
    used: dict[str, str] = {}
    missing: list[str] = []
    assumptions = [CHANGE_MODE_ASSUMPTION[change_mode]]
    slots: dict[str, tuple[str, ...]] = {
        "phga": ("phga",),
        "parent_global": ("parent_global",),
        "mmt_or_cmas": ("cmas", "mmt8"),
        "chaq": ("chaq",),
        "extramuscular_or_das": ("extramuscular_global", "das"),
    }
    for slot, options in slots.items():
        picked = _pick(baseline, followup, options)
        if picked is None:
            missing.append(slot)
            continue
        name, b, f = picked
        kind = "mmt8_bilateral" if name == "mmt8" and mmt8_bilateral else name
        pct[slot] = percent_improvement(kind, b, f, change_mode)
        used[slot] = name
    enzyme = None
    if baseline.enzymes and followup.enzymes:
        # Only enzymes measured at both times can be followed.
        paired = {k: v for k, v in baseline.enzymes.items() if k in followup.enzymes}
        enzyme = most_abnormal_enzyme(paired)
    if enzyme is not None and baseline.enzymes and followup.enzymes:
        b_e, f_e = baseline.enzymes[enzyme], followup.enzymes[enzyme]
        pct["enzyme_or_chq_phs"] = percent_improvement("enzyme", b_e.value, f_e.value)
        used["enzyme_or_chq_phs"] = enzyme
        assumptions.append(ENZYME_ASSUMPTION)
    elif baseline.chq_phs is not None and followup.chq_phs is not None:
        pct["enzyme_or_chq_phs"] = percent_improvement(
            "chq_phs", baseline.chq_phs, followup.chq_phs
        )
        used["enzyme_or_chq_phs"] = "chq_phs"
    else:
        missing.append("enzyme_or_chq_phs")
    missing_sorted = tuple(m for m in MEASURES if m in missing)
    result = None if missing_sorted else total_improvement_score(pct)
    return RawTisResult(
        result=result,
        used=used,
        missing=missing_sorted,
        most_abnormal_enzyme=enzyme,
        assumptions=tuple(assumptions),
    )


# --- calculator ---------------------------------------------------------------------------


class PercentImprovement(BaseModel):
    model_config = ConfigDict(extra="forbid")

    phga: float = Field(description="physician global activity, % improvement")
    parent_global: float = Field(description="parent/patient global, % improvement")
    mmt_or_cmas: float = Field(description="MMT8 or CMAS, % improvement")
    chaq: float = Field(description="CHAQ (HAQ in adults), % improvement")
    enzyme_or_chq_phs: float = Field(description="most abnormal enzyme or CHQ-PhS")
    extramuscular_or_das: float = Field(description="extramuscular activity or DAS")


class EnzymeInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    value: float = Field(ge=0)
    uln: float = Field(gt=0, description="upper limit of normal, same unit as value")


class RawValues(BaseModel):
    model_config = ConfigDict(extra="forbid")

    phga_cm: float | None = Field(default=None, ge=0, le=10)
    parent_global_cm: float | None = Field(default=None, ge=0, le=10)
    cmas: float | None = Field(default=None, ge=0, le=52)
    mmt8: float | None = Field(default=None, ge=0, le=150)
    chaq: float | None = Field(default=None, ge=0, le=3)
    enzymes: dict[str, EnzymeInput] | None = None
    chq_phs: float | None = None
    extramuscular_global_cm: float | None = Field(default=None, ge=0, le=10)
    das: float | None = Field(default=None, ge=0, le=20)

    def core_set(self) -> RawCoreSet:
        return RawCoreSet(
            phga=self.phga_cm,
            parent_global=self.parent_global_cm,
            cmas=self.cmas,
            mmt8=self.mmt8,
            chaq=self.chaq,
            enzymes=(
                {k: EnzymeValue(v.value, v.uln) for k, v in self.enzymes.items()}
                if self.enzymes
                else None
            ),
            chq_phs=self.chq_phs,
            extramuscular_global=self.extramuscular_global_cm,
            das=self.das,
        )


class ResponseInput(BaseModel):
    """Either `percent_improvement` (six values) or `baseline` + `followup` raw values."""

    model_config = ConfigDict(extra="forbid")

    percent_improvement: PercentImprovement | None = None
    baseline: RawValues | None = None
    followup: RawValues | None = None
    change_mode: ChangeMode = Field(
        default="range", description="how percent change is computed (UNVERIFIED, §10.4)"
    )
    mmt8_bilateral: bool = Field(default=False, description="MMT8 on the 0-150 scale")


def _result_dict(r: TisResult) -> dict[str, Any]:
    return {
        "percent_improvement": {k: round(v, 2) for k, v in r.percent_improvement.items()},
        "points": {k: float(v) for k, v in r.points.items()},
        "tis": float(r.tis),
        "jdm_category": r.jdm_category,
        "adult_category": r.adult_category,
    }


def _compute(data: ResponseInput) -> Mapping[str, Any]:
    out: dict[str, Any] = {"name": NAME, "version": VERSION, "source": SOURCE}
    if data.percent_improvement is not None:
        r = total_improvement_score(data.percent_improvement.model_dump())
        out.update(_result_dict(r))
        out["assumptions"] = []
        return out
    if data.baseline is None or data.followup is None:
        raise ValueError("give percent_improvement, or both baseline and followup")
    raw = tis_from_raw(
        data.baseline.core_set(),
        data.followup.core_set(),
        change_mode=data.change_mode,
        mmt8_bilateral=data.mmt8_bilateral,
    )
    if raw.result is None:
        raise ValueError(f"TIS needs all six core set measures; missing: {', '.join(raw.missing)}")
    out.update(_result_dict(raw.result))
    out["measures_used"] = dict(raw.used)
    out["most_abnormal_enzyme"] = raw.most_abnormal_enzyme
    out["change_mode"] = data.change_mode
    out["assumptions"] = list(raw.assumptions)
    return out


CALCULATOR: Final = Calculator(
    name=NAME,
    title="2016 ACR/EULAR myositis response criteria (Total Improvement Score)",
    version=VERSION,
    source=SOURCE,
    kind="criterion",
    input_model=ResponseInput,
    compute=_compute,
)
