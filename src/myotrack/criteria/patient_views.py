"""Criteria applied to a patient's record: inactive-disease status at a visit and the
ACR/EULAR 2016 response since the index date. Pure functions of domain objects.

Time rules follow the case-series spec: the baseline value of a measure is its latest value
within [index date - 90 days, index date]; the follow-up value is its latest value in
(index date, on]. Assumptions made here are returned with each result.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final, Literal

from myotrack.criteria import inactive_disease
from myotrack.criteria import response_2016 as r16
from myotrack.domain import LabResult, PatientRecord, Visit
from myotrack.domain.units import to_canonical
from myotrack.domain.vocab import MEASURES

BASELINE_WINDOW_DAYS: Final = 90  # case-series spec: [index - 90 d, index]
# CK for the CID criteria: the CK on the visit date or the latest within this many days
# before it. LOCAL POLICY (no source: the criteria assess one visit and give no window);
# listed in docs/unverified.md and printed as an assumption with every result.
CK_WINDOW_DAYS: Final = 30
ENZYMES: Final = ("CK", "LDH", "AST", "ALT", "aldolase")


def _u_per_l(lab: LabResult) -> float | None:
    if lab.value is None:
        return None
    if lab.unit is None or lab.unit == "U/L":
        return lab.value
    try:
        return to_canonical(lab.analyte, lab.value, lab.unit)
    except KeyError:
        return None


@dataclass(frozen=True, slots=True)
class CidAtVisit:
    visit_date: date | None
    ck_date: date | None
    result: inactive_disease.CidResult | None
    assumptions: tuple[str, ...]
    source: str = inactive_disease.SOURCE

    @property
    def why(self) -> str | None:
        """Why there is no result, in clinic words (None when there is one)."""
        if self.result is None or self.visit_date is None:
            return "no visit with CMAS, MMT8 or PhGA on or before the date"
        return None

    def to_dict(self) -> dict[str, Any]:
        if self.result is None or self.visit_date is None:
            return {"status": "no_visit", "why": self.why, "source": self.source}
        return {
            "visit_date": self.visit_date.isoformat(),
            "ck_date": None if self.ck_date is None else self.ck_date.isoformat(),
            **inactive_disease.result_dict(self.result),
            "source": self.source,
            "assumptions": list(self.assumptions),
        }


def cid_at_latest_visit(record: PatientRecord, on: date) -> CidAtVisit:
    visits = [
        v
        for v in record.visits
        if v.date <= on and (v.cmas is not None or v.mmt8 is not None or v.phga is not None)
    ]
    if not visits:
        return CidAtVisit(None, None, None, ())
    visit = max(visits, key=lambda v: v.date)
    cks = [
        lab
        for lab in record.labs
        if lab.analyte == "CK"
        and lab.value is not None
        and visit.date - timedelta(days=CK_WINDOW_DAYS) <= lab.date <= visit.date
    ]
    ck = max(cks, key=lambda r: r.date) if cks else None
    result = inactive_disease.assess(
        ck_u_per_l=None if ck is None else _u_per_l(ck),
        cmas=visit.cmas,
        mmt8=visit.mmt8,
        phga_cm=visit.phga,
    )
    assumptions = (
        f"CK taken from the visit date or the latest result up to {CK_WINDOW_DAYS} days before",
        inactive_disease.PCID_ASSUMPTION,
    )
    return CidAtVisit(visit.date, None if ck is None else ck.date, result, assumptions)


def _visit_value(visits: list[Visit], attr: str) -> float | None:
    found = [v for v in visits if getattr(v, attr) is not None]
    if not found:
        return None
    value: float = getattr(max(found, key=lambda v: v.date), attr)
    return value


def _das_total(visits: list[Visit]) -> float | None:
    found = [v for v in visits if v.das_skin is not None and v.das_muscle is not None]
    if not found:
        return None
    v = max(found, key=lambda v: v.date)
    assert v.das_skin is not None and v.das_muscle is not None
    return v.das_skin + v.das_muscle


def _enzymes(labs: list[LabResult]) -> dict[str, r16.EnzymeValue]:
    out: dict[str, r16.EnzymeValue] = {}
    for lab in sorted(labs, key=lambda r: r.date):
        if lab.analyte not in ENZYMES or lab.ref_high is None or lab.ref_high <= 0:
            continue
        value = _u_per_l(lab)
        if value is None:
            continue
        uln = (
            lab.ref_high
            if lab.unit in (None, "U/L")
            else to_canonical(lab.analyte, lab.ref_high, lab.unit or "U/L")
        )
        out[lab.analyte] = r16.EnzymeValue(value, uln)
    return out


def _core_set(visits: list[Visit], labs: list[LabResult]) -> r16.RawCoreSet:
    return r16.RawCoreSet(
        phga=_visit_value(visits, "phga"),
        parent_global=_visit_value(visits, "parent_global"),
        cmas=_visit_value(visits, "cmas"),
        mmt8=_visit_value(visits, "mmt8"),
        chaq=_visit_value(visits, "chaq"),
        enzymes=_enzymes(labs) or None,
        das=_das_total(visits),
    )


# What each core set slot needs, in the clinic's words, and the fields that can fill it.
SLOT_WORDS: Final[dict[str, tuple[str, tuple[str, ...]]]] = {
    "phga": ("physician global activity", ("phga",)),
    "parent_global": (MEASURES["parent_global"].short_label, ("parent_global",)),
    "mmt_or_cmas": ("CMAS or MMT8", ("cmas", "mmt8")),
    "chaq": (MEASURES["chaq"].short_label, ("chaq",)),
    "enzyme_or_chq_phs": (
        "a muscle enzyme (CK, LDH, AST, ALT, aldolase) with its upper reference limit",
        ("enzymes", "chq_phs"),
    ),
    "extramuscular_or_das": ("DAS skin and muscle", ("das", "extramuscular_global")),
}


def _has(core: r16.RawCoreSet, fields: tuple[str, ...]) -> bool:
    return any(getattr(core, f) is not None for f in fields)


def _why_incomplete(
    missing: tuple[str, ...],
    base: r16.RawCoreSet,
    follow: r16.RawCoreSet,
    lo: date,
    index: date,
) -> str:
    at_base = [SLOT_WORDS[m][0] for m in missing if not _has(base, SLOT_WORDS[m][1])]
    at_follow = [SLOT_WORDS[m][0] for m in missing if not _has(follow, SLOT_WORDS[m][1])]
    parts = []
    if at_base:
        parts.append(f"missing at baseline ({lo} to {index}): {', '.join(at_base)}")
    if at_follow:
        parts.append(f"missing after the index date: {', '.join(at_follow)}")
    if "enzyme_or_chq_phs" in missing and base.enzymes and follow.enzymes:
        parts.append(
            f"no muscle enzyme measured both at baseline ({', '.join(sorted(base.enzymes))}) "
            f"and after the index date ({', '.join(sorted(follow.enzymes))})"
        )
    elif not parts:  # e.g. CMAS at baseline but only MMT8 at follow-up
        parts.append(
            "not recorded with the same measure at baseline and follow-up: "
            + ", ".join(SLOT_WORDS[m][0] for m in missing)
        )
    return "the core set is incomplete; " + "; ".join(parts)


ResponseStatus = Literal["computed", "not_available"]
_RESPONSE_ASSUMPTION: Final = (
    "baseline = latest value within 90 days up to the index date; follow-up = latest "
    "value after the index date up to the date; DAS = skin + muscle (0-20) stands for "
    "extramuscular activity; enzyme ULN = the lab's ref_high"
)


@dataclass(frozen=True, slots=True)
class ResponseSinceIndex:
    """The ACR/EULAR 2016 total improvement score from the index date to a date, or why it
    is not available (`why`, in clinic words). `raw` is the calculation when there was a
    baseline and a follow-up to compare (None before or without an index date)."""

    status: ResponseStatus
    why: str | None
    index_date: date | None
    change_mode: r16.ChangeMode
    raw: r16.RawTisResult | None = None
    source: str = r16.SOURCE

    @property
    def result(self) -> r16.TisResult | None:
        return None if self.raw is None else self.raw.result

    @property
    def assumptions(self) -> tuple[str, ...]:
        return () if self.raw is None else (*self.raw.assumptions, _RESPONSE_ASSUMPTION)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source}
        if self.raw is None or self.index_date is None:
            return {**out, "status": self.status, "why": self.why}
        out |= {
            "index_date": self.index_date.isoformat(),
            "change_mode": self.change_mode,
            "measures_used": dict(self.raw.used),
            "assumptions": list(self.assumptions),
        }
        r = self.raw.result
        if r is None:
            return {
                **out,
                "status": self.status,
                "why": self.why,
                "missing": list(self.raw.missing),
            }
        return {
            **out,
            "status": self.status,
            "tis": float(r.tis),
            "jdm_category": r.jdm_category,
            "adult_category": r.adult_category,
            "points": {k: float(v) for k, v in r.points.items()},
            "percent_improvement": {k: round(v, 2) for k, v in r.percent_improvement.items()},
        }


def response_since_index(
    record: PatientRecord, on: date, *, change_mode: r16.ChangeMode = "range"
) -> ResponseSinceIndex:
    """ACR/EULAR 2016 TIS from the index date to `on`, or why it cannot be computed."""
    index = record.index_date
    if index is None:
        why = "no JAK-inhibitor course (no index date)"
        return ResponseSinceIndex("not_available", why, None, change_mode)
    if on <= index:
        why = f"date is not after the index date {index}"
        return ResponseSinceIndex("not_available", why, index, change_mode)
    lo = index - timedelta(days=BASELINE_WINDOW_DAYS)
    b_visits = [v for v in record.visits if lo <= v.date <= index]
    f_visits = [v for v in record.visits if index < v.date <= on]
    b_labs = [r for r in record.labs if lo <= r.date <= index]
    f_labs = [r for r in record.labs if index < r.date <= on]
    base_set, follow_set = _core_set(b_visits, b_labs), _core_set(f_visits, f_labs)
    raw = r16.tis_from_raw(base_set, follow_set, change_mode=change_mode)
    if raw.result is None:
        why = _why_incomplete(raw.missing, base_set, follow_set, lo, index)
        return ResponseSinceIndex("not_available", why, index, change_mode, raw)
    return ResponseSinceIndex("computed", None, index, change_mode, raw)
