"""The patient timeline of the case series: index date, follow-up end, baseline and
final values, events after the index date (shared/spec/case-series-report.md,
"Time and baseline").

- Index date: start of the first JAK-inhibitor course. Patients without one, or whose
  index date is after the cut-off, are excluded (`no_jak_inhibitor`, `index_after_cutoff`).
- Follow-up end: the earlier of the cut-off and the last visit on or after the index
  date; with no such visit, the index date itself (and a warning).
- Baseline: the value on the latest date within [index − 90 d, index] on which that
  measure is recorded; final: latest date in (index, follow-up end].
- Events count when index date < event date ≤ follow-up end.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import attrgetter
from typing import Final

from myotrack.domain import Cohort, DrugCourse, Event, PatientRecord, v1_view
from myotrack.domain.units import CONVERTED_ON_IMPORT, import_conversion
from myotrack.domain.vocab import QUANTITATIVE_ANALYTES, VISIT_FLAGS, VISIT_MEASURES

# Definitions of shared/spec/case-series-report.md ("Time and baseline"): baseline = latest
# value within [index date - 90 days, index date]; age in years = days / 365.25;
# months = days / 30.4375; weeks = days / 7.
BASELINE_WINDOW_DAYS: Final = 90
DAYS_PER_YEAR: Final = 365.25
DAYS_PER_MONTH: Final = 30.4375  # 365.25 / 12
DAYS_PER_WEEK: Final = 7.0
# Weight bands of the case-series spec (lt25 / ge25), the starting-dose bands of the JAKi
# series it follows (Ding Y et al., Ann Rheum Dis 2021;80:543: <25 kg vs ≥25 kg).
WEIGHT_BAND_CUT_KG: Final = 25.0

VISIT_FIELDS: Final = (*VISIT_MEASURES.keys(), *VISIT_FLAGS)
LAB_FIELDS: Final = QUANTITATIVE_ANALYTES

_visit_values: Final = attrgetter(*VISIT_FIELDS)

EXCLUDED_NO_JAKI: Final = "no_jak_inhibitor"
EXCLUDED_AFTER_CUTOFF: Final = "index_after_cutoff"

Value = float | bool | None


@dataclass(frozen=True, slots=True)
class PatientTimeline:
    """One case-series patient's course, as the statistics and figures use it.

    `baseline`/`final` hold every visit measure and flag (visits.csv columns) and every
    quantitative lab analyte (labs in their canonical unit; enzymes in U/L), None when
    missing. `first_events` maps an event type to its first date after the index date
    (within follow-up); `event_weeks` the same in weeks from the index date.
    """

    patient_id: str
    sex: str
    index_date: date
    follow_up_end: date
    follow_up_days: int
    follow_up_months: float
    weight_band: str
    first_jak_drug: str
    baseline: Mapping[str, Value]
    final: Mapping[str, Value]
    baseline_dates: Mapping[str, date]
    final_dates: Mapping[str, date]
    baseline_ref_high: Mapping[str, float | None]
    final_ref_high: Mapping[str, float | None]
    jak_courses: tuple[DrugCourse, ...]
    events: tuple[Event, ...]  # all events with index < date <= follow-up end
    first_events: Mapping[str, date]
    event_weeks: Mapping[str, float]
    has_visit_on_or_after_index: bool
    same_day_conflicts: tuple[str, ...] = field(default=())

    def weeks_from_index(self, day: date) -> float:
        return (day - self.index_date).days / DAYS_PER_WEEK


@dataclass(frozen=True, slots=True)
class Exclusion:
    patient_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class Timelines:
    included: tuple[PatientTimeline, ...]
    excluded: tuple[Exclusion, ...]
    records: Mapping[str, PatientRecord]
    cutoff: date | None
    # per patient: how dates known only to the month or year were used (cohort format
    # version 2 courses, imputed mid-period by `domain.v1_view`); printed as warnings
    date_notes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def _lab_value(value: float, unit: str | None, analyte: str) -> float:
    """Canonical value of a lab result; µkat/L enzymes left unconverted by a caller are
    converted here exactly as the importer does (×60, rounded to 1e-6 U/L)."""
    if unit in CONVERTED_ON_IMPORT:
        return import_conversion(analyte, value, unit)[0]
    return value


def _pick(
    found: dict[str, tuple[date, Value, float | None]],
    conflicts: list[str],
    name: str,
    day: date,
    value: Value,
    ref_high: float | None = None,
) -> None:
    """Keep the value of the latest date; on one date with two values keep the largest."""
    previous = found.get(name)
    if previous is not None and previous[0] == day and previous[1] != value:
        conflicts.append(f"{name} on {day.isoformat()}")
        if previous[1] is not None and value is not None and previous[1] >= value:
            return
    found[name] = (day, value, ref_high)


def build_timeline(record: PatientRecord, index: date, cutoff: date | None) -> PatientTimeline:
    """The timeline of one included patient (index date known, not after the cut-off)."""
    patient = record.patient
    last_visit = max((v.date for v in record.visits if v.date >= index), default=None)
    end = index if last_visit is None else last_visit
    if cutoff is not None and last_visit is not None:
        end = min(last_visit, cutoff)
    window_start = index - timedelta(days=BASELINE_WINDOW_DAYS)
    base: dict[str, tuple[date, Value, float | None]] = {}
    fin: dict[str, tuple[date, Value, float | None]] = {}
    conflicts: list[str] = []
    for visit in record.visits:
        if window_start <= visit.date <= index:
            target = base
        elif index < visit.date <= end:
            target = fin
        else:
            continue
        day = visit.date
        for name, value in zip(VISIT_FIELDS, _visit_values(visit), strict=True):
            if value is None:
                continue
            previous = target.get(name)
            if previous is not None and previous[0] == day:
                _pick(target, conflicts, name, day, value)
            else:
                target[name] = (day, value, None)
    for lab in record.labs:
        if lab.value is None or lab.analyte not in LAB_FIELDS:
            continue
        if window_start <= lab.date <= index:
            target = base
        elif index < lab.date <= end:
            target = fin
        else:
            continue
        value = _lab_value(lab.value, lab.unit, lab.analyte)
        ref = lab.ref_high
        if ref is not None and lab.unit in CONVERTED_ON_IMPORT:
            ref = _lab_value(ref, lab.unit, lab.analyte)
        _pick(target, conflicts, lab.analyte, lab.date, value, ref)
    events = tuple(e for e in record.events if index < e.date <= end)
    first_events: dict[str, date] = {}
    for e in events:
        first_events.setdefault(e.event, e.date)
    weight = base.get("weight_kg")
    if weight is None or weight[1] is None:
        band = "unknown"
    else:
        band = "lt25" if float(weight[1]) < WEIGHT_BAND_CUT_KG else "ge25"
    jak = record.jak_courses
    follow_up_days = (end - index).days
    return PatientTimeline(
        patient_id=patient.patient_id,
        sex=patient.sex,
        index_date=index,
        follow_up_end=end,
        follow_up_days=follow_up_days,
        follow_up_months=follow_up_days / DAYS_PER_MONTH,
        weight_band=band,
        first_jak_drug=jak[0].drug,
        baseline={
            name: base[name][1] if name in base else None for name in (*VISIT_FIELDS, *LAB_FIELDS)
        },
        final={
            name: fin[name][1] if name in fin else None for name in (*VISIT_FIELDS, *LAB_FIELDS)
        },
        baseline_dates={name: v[0] for name, v in base.items()},
        final_dates={name: v[0] for name, v in fin.items()},
        baseline_ref_high={a: base[a][2] if a in base else None for a in LAB_FIELDS},
        final_ref_high={a: fin[a][2] if a in fin else None for a in LAB_FIELDS},
        jak_courses=jak,
        events=events,
        first_events=first_events,
        event_weeks={k: (d - index).days / DAYS_PER_WEEK for k, d in first_events.items()},
        has_visit_on_or_after_index=last_visit is not None,
        same_day_conflicts=tuple(conflicts),
    )


def build_timelines(cohort: Cohort, cutoff: date | None = None) -> Timelines:
    """Group the cohort once and build every patient's timeline (linear in its size)."""
    effective = cutoff if cutoff is not None else cohort.effective_cutoff()
    # the version 1 records, with courses known only to the month or year imputed
    # mid-period (never after the cut-off) and each imputation noted
    records, notes = v1_view(cohort, effective)
    included: list[PatientTimeline] = []
    excluded: list[Exclusion] = []
    for pid, record in records.items():
        index = record.index_date
        if index is None:
            excluded.append(Exclusion(pid, EXCLUDED_NO_JAKI))
        elif effective is not None and index > effective:
            excluded.append(Exclusion(pid, EXCLUDED_AFTER_CUTOFF))
        else:
            included.append(build_timeline(record, index, effective))
    return Timelines(tuple(included), tuple(excluded), records, effective, notes)


def patient_timelines(cohort: Cohort, *, cutoff: date | None = None) -> list[PatientTimeline]:
    """One timeline per case-series patient, in patients.csv order."""
    return list(build_timelines(cohort, cutoff).included)
