"""The case-series statistics (shared/spec/case-series-report.md): one JSON-ready dict
with exactly the spec's keys, plus extra keys for 95% intervals and test details.

Pure: the cohort is grouped once (`Cohort.records()`), each patient's timeline is
built once, and every figure is a pass over the timelines, so the cost is linear in
the size of the cohort.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any, Literal

import numpy
import scipy

import myotrack
from myotrack.analysis.describe import (
    QUANTILE_TYPES,
    QuantileType,
    count,
    describe,
    meansd,
)
from myotrack.analysis.paired import paired_t, rounded_differences, wilcoxon_signed_rank
from myotrack.analysis.survival import kaplan_meier
from myotrack.analysis.timeline import (
    BASELINE_WINDOW_DAYS,
    DAYS_PER_MONTH,
    DAYS_PER_WEEK,
    EXCLUDED_AFTER_CUTOFF,
    EXCLUDED_NO_JAKI,
    PatientTimeline,
    Timelines,
    build_timelines,
)
from myotrack.domain import Cohort, DrugCourse, PatientRecord
from myotrack.domain.vocab import REFRACTORY

WARNING_EXAMPLES = 10  # patient ids listed per warning before "and N more"
RASH_EVENTS = {
    "weeks_to_rash_improving": "rash_improving",
    "weeks_to_rash_marked": "rash_marked",
    "weeks_to_rash_resolved": "rash_resolved",
}
ENZYME_ANALYTES = ("LDH", "CK")
WEIGHT_BANDS = ("lt25", "ge25", "unknown")
WEIGHT_BAND_LABELS = {"lt25": "< 25 kg", "ge25": "≥ 25 kg", "unknown": "weight not recorded"}


class _Warnings:
    """Warnings grouped by kind, each listing a few patient ids (cohorts can be large)."""

    def __init__(self) -> None:
        self._by_kind: dict[str, list[str]] = {}

    def add(self, kind: str, patient_id: str) -> None:
        self._by_kind.setdefault(kind, []).append(patient_id)

    def render(self) -> list[str]:
        out = []
        for kind, ids in self._by_kind.items():
            shown = ", ".join(ids[:WARNING_EXAMPLES])
            more = f" and {len(ids) - WARNING_EXAMPLES} more" if len(ids) > WARNING_EXAMPLES else ""
            out.append(f"{kind} ({len(ids)} patient{'s' if len(ids) != 1 else ''}: {shown}{more})")
        return out


def _software(extra: Mapping[str, str] | None) -> dict[str, str]:
    out = {
        "myotrack": myotrack.__version__,
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
    }
    if extra:
        out.update(extra)
    return out


def _count_where(
    timelines: Sequence[PatientTimeline],
    test: Callable[[PatientTimeline], bool],
    denominator: int | None = None,
) -> dict[str, Any]:
    n = sum(1 for t in timelines if test(t))
    return count(n, len(timelines) if denominator is None else denominator)


def _has_event(event: str) -> Callable[[PatientTimeline], bool]:
    return lambda t: event in t.first_events


def _dose_mg(course: DrugCourse) -> float | None:
    """The single dose in mg, when the course gives it in mg (no conversion is guessed)."""
    if course.dose is None or course.dose_unit != "mg":
        return None
    return course.dose


def _dose_rows(
    counter: Counter[tuple[str, float | None, str | None, str | None, float | None]],
) -> list[dict[str, Any]]:
    rows = [
        {
            "drug": drug,
            "dose_mg": dose_mg,
            "frequency": freq,
            "n": n,
            "dose": dose,
            "dose_unit": unit,
        }
        for (drug, dose_mg, freq, unit, dose), n in counter.items()
    ]

    def order(row: dict[str, Any]) -> tuple[int, str, float, str]:
        dose = row["dose_mg"]
        return (
            -int(row["n"]),
            str(row["drug"]),
            float("inf") if dose is None else float(dose),
            str(row["frequency"] or ""),
        )

    rows.sort(key=order)
    return rows


def _paired_describe(pairs: Sequence[tuple[float, float]], kind: QuantileType) -> dict[str, Any]:
    baseline = [b for b, _ in pairs]
    final = [f for _, f in pairs]
    test = wilcoxon_signed_rank(rounded_differences(baseline, final))
    return {
        "n": len(pairs),
        "baseline": describe(baseline, kind),
        "final": describe(final, kind),
        "p": test.p,
        "p_method": test.p_method,
        "test": test.to_dict(),
    }


def _paired_meansd(pairs: Sequence[tuple[float, float]]) -> dict[str, Any]:
    baseline = [b for b, _ in pairs]
    final = [f for _, f in pairs]
    test = paired_t(baseline, final)
    return {
        "n": len(pairs),
        "baseline": meansd(baseline),
        "final": meansd(final),
        "p": test.p,
        "p_method": test.p_method,
        "mean_difference": test.mean_difference,
        "mean_difference_ci95": (
            list(test.mean_difference_ci95) if test.mean_difference_ci95 else None
        ),
        "test": test.to_dict(),
    }


def _pairs(timelines: Iterable[PatientTimeline], measure: str) -> list[tuple[float, float]]:
    out = []
    for t in timelines:
        b, f = t.baseline.get(measure), t.final.get(measure)
        if b is not None and f is not None:
            out.append((float(b), float(f)))
    return out


def _above(value: float | bool | None, ref_high: float | None) -> bool:
    return value is not None and ref_high is not None and float(value) > ref_high


def in_enzyme_subgroup(t: PatientTimeline) -> bool:
    """The enzyme subgroup: baseline CK or LDH strictly above its ref_high (a missing
    ref_high is not above)."""
    return any(_above(t.baseline[a], t.baseline_ref_high[a]) for a in ENZYME_ANALYTES)


def jaki_exposure_months(t: PatientTimeline) -> float:
    """Index date to the end of the last JAK-inhibitor course (or follow-up end)."""
    return _jaki_exposure_months(t)


def max_dose_course(t: PatientTimeline, cutoff: date | None) -> DrugCourse | None:
    """The course with the highest single dose in mg of the first JAK inhibitor (spec's
    max_dose; on a tie the earliest)."""
    return _max_dose_course(t.first_jak_drug, t.jak_courses, cutoff)


def _jaki_exposure_months(t: PatientTimeline) -> float:
    ends = [
        c.end_date if c.end_date is not None else t.follow_up_end
        for c in t.jak_courses
        if c.start_date <= t.follow_up_end
    ]
    end = min(max(ends, default=t.index_date), t.follow_up_end)
    return (end - t.index_date).days / DAYS_PER_MONTH


def _max_dose_course(
    first_drug: str, courses: Sequence[DrugCourse], cutoff: date | None
) -> DrugCourse | None:
    best: DrugCourse | None = None
    best_dose = float("-inf")
    for c in courses:  # sorted by start date: on a tie the earliest course is kept
        if c.drug != first_drug or (cutoff is not None and c.start_date > cutoff):
            continue
        dose = _dose_mg(c)
        if dose is not None and dose > best_dose:
            best, best_dose = c, dose
    return best


def _rash_time(t: PatientTimeline, event: str) -> tuple[float, bool]:
    """Weeks to the first `event` after the index date, or censored at follow-up end."""
    if event in t.event_weeks:
        return t.event_weeks[event], True
    return t.follow_up_days / DAYS_PER_WEEK, False


def _weeks_to(rash: Sequence[PatientTimeline], event: str, kind: QuantileType) -> dict[str, Any]:
    out = describe([t.event_weeks[event] for t in rash if event in t.event_weeks], kind)
    observed = [_rash_time(t, event) for t in rash]
    km = kaplan_meier([w for w, _ in observed], [e for _, e in observed])
    out["km_median"] = km.median
    out["km_median_ci95"] = list(km.median_ci)
    out["km_ci_method"] = km.ci_method
    out["km_n"] = km.n
    out["km_events"] = km.n_events
    return out


def _enzymes(
    timelines: Sequence[PatientTimeline], kind: QuantileType, warn: _Warnings
) -> tuple[dict[str, Any], dict[str, Any]]:
    subgroup: list[PatientTimeline] = []
    n_final_abnormal = 0
    for t in timelines:
        for analyte in ENZYME_ANALYTES:
            if t.baseline[analyte] is not None and t.baseline_ref_high[analyte] is None:
                warn.add(
                    f"baseline {analyte} without ref_high (counted as not above)", t.patient_id
                )
        if in_enzyme_subgroup(t):
            subgroup.append(t)
        if any(_above(t.final[a], t.final_ref_high[a]) for a in ENZYME_ANALYTES):
            n_final_abnormal += 1
        for analyte in ENZYME_ANALYTES:
            if t.final[analyte] is not None and t.final_ref_high[analyte] is None:
                warn.add(f"final {analyte} without ref_high (counted as not above)", t.patient_id)
    enzymes: dict[str, Any] = {"n": len(subgroup), "unit": "U/L"}
    for analyte in ENZYME_ANALYTES:
        pairs = _pairs(subgroup, analyte)
        block = _paired_describe(pairs, kind)
        block["n_rose"] = sum(1 for b, f in pairs if f > b)
        block["rose"] = count(block["n_rose"], len(pairs))  # with its interval (extra key)
        enzymes[analyte] = block
    return enzymes, count(n_final_abnormal, len(timelines))


def _infections(timelines: Sequence[PatientTimeline]) -> dict[str, Any]:
    n = 0
    by_detail: Counter[str] = Counter()
    for t in timelines:
        organisms = {
            (e.detail or "").strip().upper() or "UNSPECIFIED"
            for e in t.events
            if e.event == "infection"
        }
        if organisms:
            n += 1
            by_detail.update(organisms)
    # a count like every other (with its Wilson interval), plus the organisms
    return {
        **count(n, len(timelines)),
        "by_detail": dict(sorted(by_detail.items())),
        "by_detail_counts": {k: count(v, len(timelines)) for k, v in sorted(by_detail.items())},
    }


def _from_timelines(
    tl: Timelines, kind: QuantileType, software: Mapping[str, str] | None
) -> dict[str, Any]:
    timelines = tl.included
    records: Mapping[str, PatientRecord] = tl.records
    n = len(timelines)
    warn = _Warnings()
    for t in timelines:
        if not t.has_visit_on_or_after_index:
            warn.add("no visit on or after the index date: follow-up set to 0", t.patient_id)
        if t.same_day_conflicts:
            warn.add(
                "two different values of one measure on one date: the larger is used", t.patient_id
            )
        for note in tl.date_notes.get(t.patient_id, ()):
            warn.add(note, t.patient_id)  # a date known only to the month or year, imputed
    patients = [records[t.patient_id].patient for t in timelines]

    onset = [p.age_years(p.onset_date) for p in patients if p.onset_date is not None]
    age_index = [p.age_years(t.index_date) for p, t in zip(patients, timelines, strict=True)]
    duration = [
        (t.index_date - p.diagnosis_date).days / DAYS_PER_MONTH
        for p, t in zip(patients, timelines, strict=True)
        if p.diagnosis_date is not None
    ]

    refractory: dict[str, dict[str, Any]] = {}
    refr_counts = Counter(
        p.refractory if p.refractory is not None else "not_recorded" for p in patients
    )
    for value in (*REFRACTORY, "not_recorded"):
        refractory[value] = count(refr_counts.pop(value, 0), n)
    for value, k in sorted(refr_counts.items()):  # values outside the vocabulary
        refractory[value] = count(k, n)
    for p in patients:
        if p.refractory is not None and p.refractory not in REFRACTORY:
            warn.add(f"refractory value {p.refractory!r} is not in the vocabulary", p.patient_id)

    agents = Counter(t.first_jak_drug for t in timelines)

    bands: dict[str, Counter[tuple[str, float | None, str | None, str | None, float | None]]]
    bands = {b: Counter() for b in WEIGHT_BANDS}
    max_doses: Counter[tuple[str, float | None, str | None, str | None, float | None]] = Counter()
    for t in timelines:
        first = t.jak_courses[0]
        if _dose_mg(first) is None:
            warn.add("first JAK-inhibitor dose missing or not given in mg", t.patient_id)
        bands[t.weight_band][
            (first.drug, _dose_mg(first), first.frequency, first.dose_unit, first.dose)
        ] += 1
        top = _max_dose_course(t.first_jak_drug, t.jak_courses, tl.cutoff)
        if top is not None:
            max_doses[(top.drug, _dose_mg(top), top.frequency, top.dose_unit, top.dose)] += 1
    weight_band = {
        b: {"n": sum(c.values()), "starting_doses": _dose_rows(c)} for b, c in bands.items()
    }

    rash = [t for t in timelines if t.baseline["rash"] is True]
    weak = [t for t in timelines if t.baseline["weakness"] is True]

    cmas_pairs = _pairs(weak, "cmas")
    cmas = _paired_meansd(cmas_pairs)
    cmas["n_improved"] = sum(1 for b, f in cmas_pairs if f > b)
    cmas["n_unchanged"] = sum(1 for b, f in cmas_pairs if f == b)
    cmas["n_worse"] = sum(1 for b, f in cmas_pairs if f < b)
    cmas["n_missing"] = len(weak) - len(cmas_pairs)
    # the same three counts of the patients with both values, with their intervals
    cmas["changes"] = {
        change: count(cmas[f"n_{change}"], len(cmas_pairs))
        for change in ("improved", "unchanged", "worse")
    }
    cmas["improved"] = _paired_meansd([(b, f) for b, f in cmas_pairs if f > b])

    enzymes, enzymes_final = _enzymes(timelines, kind, warn)

    out: dict[str, Any] = {
        "n_patients": n,
        "n_excluded": len(tl.excluded),
        "excluded_reasons": {
            EXCLUDED_NO_JAKI: sum(1 for e in tl.excluded if e.reason == EXCLUDED_NO_JAKI),
            EXCLUDED_AFTER_CUTOFF: sum(1 for e in tl.excluded if e.reason == EXCLUDED_AFTER_CUTOFF),
        },
        "methods": {
            "quantile_type": kind,
            "cutoff_date": tl.cutoff.isoformat() if tl.cutoff else None,
            "software": _software(software),
            "baseline_window_days": BASELINE_WINDOW_DAYS,
            "wilcoxon": "R<=4.5 wilcox.test rule: zeros dropped; exact if <50 non-zero pairs,"
            " no ties and no zeros; else normal approximation with tie and"
            " continuity correction",
            "km_ci_method": "log-log (Greenwood)",
            "proportion_ci_method": "wilson",
        },
        "warnings": [],
        "female": _count_where(timelines, lambda t: t.sex == "F"),
        "age_onset_years": meansd(onset),
        "age_index_years": meansd(age_index),
        "disease_duration_months": describe(duration, kind),
        "weakness_baseline": count(len(weak), n),
        "refractory": refractory,
        "jaki_agent": {drug: count(k, n) for drug, k in sorted(agents.items())},
        "weight_band": weight_band,
        "max_dose": _dose_rows(max_doses),
        "jaki_exposure_months": describe([_jaki_exposure_months(t) for t in timelines], kind),
        "follow_up_months": describe([t.follow_up_months for t in timelines], kind),
        "rash_baseline": count(len(rash), n),
        "rash_improved": _count_where(rash, _has_event("rash_improving")),
        "rash_resolved": _count_where(rash, _has_event("rash_resolved")),
        **{key: _weeks_to(rash, event, kind) for key, event in RASH_EVENTS.items()},
        "catbm_activity": _paired_describe(_pairs(rash, "catbm_activity"), kind),
        "cmas": cmas,
        "enzymes": enzymes,
        "enzymes_abnormal_final": enzymes_final,
        "gc_stopped": _count_where(timelines, _has_event("gc_stopped")),
        "relapse": _count_where(timelines, _has_event("relapse")),
        "infections": _infections(timelines),
        "thromboembolism": _count_where(timelines, _has_event("thromboembolism")),
    }
    out["warnings"] = warn.render()
    return out


def case_series(
    cohort: Cohort,
    *,
    quantiles: Literal["type6", "type7"] = "type7",
    cutoff: date | None = None,
    software: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Every figure of the case-series report as a JSON-ready dict (unrounded numbers).

    `cutoff` overrides the cohort's cutoff_date; by default the cohort's effective
    cut-off (cutoff_date, else the latest visit, lab or event date) is used.
    """
    return case_series_of(build_timelines(cohort, cutoff), quantiles=quantiles, software=software)


def case_series_of(
    timelines: Timelines,
    *,
    quantiles: Literal["type6", "type7"] = "type7",
    software: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """`case_series` of timelines already built (`build_timelines`), so a caller that
    also draws figures or splits subgroups builds them once."""
    if quantiles not in QUANTILE_TYPES:
        raise ValueError(f"unknown quantile type {quantiles!r}; use 'type6' or 'type7'")
    return _from_timelines(timelines, quantiles, software)
