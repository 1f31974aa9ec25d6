"""The domain objects of myotrack: typed, immutable, pure.

One object per row of the cohort folder format (docs/cohort-format.md), plus the
item-level instrument assessments the registry keeps. Nothing here does I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from myotrack.domain.vocab import JAK_INHIBITORS

Extra = Mapping[str, str]  # `x_` columns, carried through unchanged


@dataclass(frozen=True, slots=True)
class Patient:
    patient_id: str
    sex: str
    birth_date: date
    diagnosis: str
    onset_date: date | None = None
    diagnosis_date: date | None = None
    bohan_peter: str | None = None
    antibodies: tuple[str, ...] = ()
    refractory: str | None = None
    features: tuple[str, ...] = ()
    site: str | None = None
    extra: Extra = field(default_factory=dict)

    def age_years(self, on: date) -> float:
        """Age in years = days / 365.25 (case-series spec)."""
        return (on - self.birth_date).days / 365.25


@dataclass(frozen=True, slots=True)
class Visit:
    patient_id: str
    date: date
    weight_kg: float | None = None
    height_cm: float | None = None
    rash: bool | None = None
    weakness: bool | None = None
    cmas: float | None = None
    mmt8: float | None = None
    catbm_activity: float | None = None
    catbm_damage: float | None = None
    cdasi_activity: float | None = None
    cdasi_damage: float | None = None
    das_skin: float | None = None
    das_muscle: float | None = None
    phga: float | None = None
    parent_global: float | None = None
    chaq: float | None = None
    extra: Extra = field(default_factory=dict)

    def measure(self, name: str) -> float | bool | None:
        """A visit measure by its column name (e.g. 'cmas', 'rash')."""
        value: float | bool | None = getattr(self, name)
        return value


@dataclass(frozen=True, slots=True)
class ReportedValue:
    """A lab result as the laboratory reported it, kept when the importer converted it."""

    value: float
    unit: str
    ref_low: float | None = None
    ref_high: float | None = None


@dataclass(frozen=True, slots=True)
class LabResult:
    """One laboratory result. Quantitative results have value and unit; qualitative
    (screening) results have `result`. Enzymes given in µkat/L are held in U/L here and
    the reported value is kept in `reported`."""

    patient_id: str
    date: date
    analyte: str
    value: float | None = None
    unit: str | None = None
    result: str | None = None
    ref_low: float | None = None
    ref_high: float | None = None
    reported: ReportedValue | None = None
    extra: Extra = field(default_factory=dict)

    @property
    def above_reference(self) -> bool | None:
        """True/False against ref_high; None when value or ref_high is missing."""
        if self.value is None or self.ref_high is None:
            return None
        return self.value > self.ref_high

    @property
    def below_reference(self) -> bool | None:
        if self.value is None or self.ref_low is None:
            return None
        return self.value < self.ref_low


@dataclass(frozen=True, slots=True)
class DrugCourse:
    """A course of one drug at one dose; a dose change ends one course and starts the next."""

    patient_id: str
    drug: str
    start_date: date
    end_date: date | None = None
    dose: float | None = None
    dose_unit: str | None = None
    frequency: str | None = None
    route: str | None = None
    stop_reason: str | None = None
    extra: Extra = field(default_factory=dict)

    @property
    def is_jak_inhibitor(self) -> bool:
        return self.drug in JAK_INHIBITORS

    def running_on(self, day: date) -> bool:
        """Whether the course runs on `day` (an open end means still running)."""
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


@dataclass(frozen=True, slots=True)
class Event:
    patient_id: str
    date: date
    event: str
    detail: str | None = None
    grade: int | None = None
    extra: Extra = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Assessment:
    """Item-level scores of one instrument at one visit (kept by the registry; the
    folder format carries only totals)."""

    patient_id: str
    date: date
    instrument: str
    items: Mapping[str, float | None]
    version: str | None = None
    total: float | None = None


@dataclass(frozen=True, slots=True)
class PatientRecord:
    """Everything known of one patient, each list sorted by date."""

    patient: Patient
    visits: tuple[Visit, ...] = ()
    labs: tuple[LabResult, ...] = ()
    courses: tuple[DrugCourse, ...] = ()
    events: tuple[Event, ...] = ()
    assessments: tuple[Assessment, ...] = ()

    @property
    def jak_courses(self) -> tuple[DrugCourse, ...]:
        return tuple(c for c in self.courses if c.is_jak_inhibitor)

    @property
    def index_date(self) -> date | None:
        """Start of the first JAK-inhibitor course (case-series spec), or None."""
        starts = [c.start_date for c in self.courses if c.is_jak_inhibitor]
        return min(starts) if starts else None

    def jak_course_on(self, on: date) -> DrugCourse | None:
        """The current JAK-inhibitor course: the one running on `on` (the latest started, if
        several overlap), or None when none runs."""
        running = [c for c in self.jak_courses if c.running_on(on)]
        return max(running, key=lambda c: c.start_date) if running else None


@dataclass(frozen=True, slots=True)
class RecordRow:
    """One record of a cohort format version 2 kind (`cohort.columns_v2.RECORD_KINDS`:
    an investigation, organ involvement, background, a course or event version 1 cannot
    hold, ...): its kind, its patient and its checked column values (a `PartialDate` for a
    date known to the month or year; empty cells left out). Kept as checked values so the
    folder, the registry and the API carry them unchanged; `cohort.whole` builds the domain
    objects (`WholeRecord`) from them."""

    kind: str
    patient_id: str
    values: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Cohort:
    patients: tuple[Patient, ...] = ()
    visits: tuple[Visit, ...] = ()
    labs: tuple[LabResult, ...] = ()
    courses: tuple[DrugCourse, ...] = ()
    events: tuple[Event, ...] = ()
    assessments: tuple[Assessment, ...] = ()
    cutoff_date: date | None = None
    # Cohort format version 2 records (empty for a version 1 cohort); see RecordRow.
    v2_rows: tuple[RecordRow, ...] = ()

    def latest_date(self) -> date | None:
        """Latest date of any visit, lab result or event (the default cut-off)."""
        dates = [v.date for v in self.visits]
        dates += [lab.date for lab in self.labs]
        dates += [e.date for e in self.events]
        return max(dates) if dates else None

    def effective_cutoff(self) -> date | None:
        return self.cutoff_date or self.latest_date()

    def records(self) -> dict[str, PatientRecord]:
        """Group the cohort by patient, in patients.csv order; lists sorted by date."""
        visits: dict[str, list[Visit]] = {}
        labs: dict[str, list[LabResult]] = {}
        courses: dict[str, list[DrugCourse]] = {}
        events: dict[str, list[Event]] = {}
        assessments: dict[str, list[Assessment]] = {}
        for v in self.visits:
            visits.setdefault(v.patient_id, []).append(v)
        for lab in self.labs:
            labs.setdefault(lab.patient_id, []).append(lab)
        for c in self.courses:
            courses.setdefault(c.patient_id, []).append(c)
        for e in self.events:
            events.setdefault(e.patient_id, []).append(e)
        for a in self.assessments:
            assessments.setdefault(a.patient_id, []).append(a)
        out: dict[str, PatientRecord] = {}
        for p in self.patients:
            pid = p.patient_id
            out[pid] = PatientRecord(
                patient=p,
                visits=tuple(sorted(visits.get(pid, ()), key=lambda v: v.date)),
                labs=tuple(sorted(labs.get(pid, ()), key=lambda r: (r.date, r.analyte))),
                courses=tuple(sorted(courses.get(pid, ()), key=lambda c: (c.start_date, c.drug))),
                events=tuple(sorted(events.get(pid, ()), key=lambda e: (e.date, e.event))),
                assessments=tuple(
                    sorted(assessments.get(pid, ()), key=lambda a: (a.date, a.instrument))
                ),
            )
        return out
