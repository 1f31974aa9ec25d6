"""The per-patient supplement of the case series (as the online material of the first
seed, Ding Y et al. Ann Rheum Dis 2021;80:543): one row per patient of the series, by
the report's own definitions (baseline, final, weeks from the index date).

Research de-identification (docs/case-series-report.md, "Per-patient supplement"):
no patient id, no date, no site and no free text. A patient is a sequence number
(1, 2, ... in the order of the index date, then of the study pseudonym, so the order
of the registry or of patients.csv is not reproduced); times are weeks or months from
the index date; coded values are shown in the clinic's words (domain.labels); an
event's free-text detail is left out.

Pure: timelines in, a typed table out. Files are written by myotrack.report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

from myotrack.analysis.case_series import (
    WEIGHT_BAND_LABELS,
    jaki_exposure_months,
    max_dose_course,
)
from myotrack.analysis.printing import round_half_away
from myotrack.analysis.timeline import DAYS_PER_MONTH, PatientTimeline, Timelines
from myotrack.domain import DrugCourse, Patient
from myotrack.domain.labels import label, labels_of
from myotrack.domain.vocab import MEASURES

Cell = int | float | str | None
ColumnKind = Literal["int", "time", "number", "text"]  # time: rounded to 1 decimal

# (measure, header) of each outcome of Table 2, baseline and final
OUTCOMES: Final = (
    *((m, MEASURES[m].short_label) for m in ("catbm_activity", "cmas")),
    ("LDH", "LDH (U/L)"),
    ("CK", "CK (U/L)"),
)
# events after the index date, weeks to the first of each (domain.vocab.EVENTS)
EVENT_COLUMNS: Final = (
    "rash_improving",
    "rash_marked",
    "rash_resolved",
    "gc_stopped",
    "relapse",
    "infection",
    "thromboembolism",
    "adverse_event",
    "death",
    "lost_to_follow_up",
)
TIME_DECIMALS: Final = 1  # weeks, months and ages, by the report's printing rule


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    header: str
    kind: ColumnKind


@dataclass(frozen=True, slots=True)
class Supplement:
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    notes: tuple[str, ...]

    def as_dicts(self) -> list[dict[str, Cell]]:
        return [{c.key: v for c, v in zip(self.columns, row, strict=True)} for row in self.rows]


def _columns() -> tuple[Column, ...]:
    cols = [
        Column("patient", "Patient", "int"),
        Column("sex", "Sex", "text"),
        Column("age_at_start_years", "Age at JAK-inhibitor start, years", "time"),
        Column("disease_duration_months", "Disease duration before start, months", "time"),
        Column("antibodies", "Myositis antibodies", "text"),
        Column("refractory", "Refractory disease", "text"),
        Column("drug", "JAK inhibitor", "text"),
        Column("starting_dose", "Starting dose", "text"),
        Column("highest_dose", "Highest dose", "text"),
        Column("weight_band", "Baseline weight band", "text"),
        Column("jaki_exposure_months", "JAK-inhibitor exposure, months", "time"),
        Column("follow_up_months", "Follow-up, months", "time"),
        Column("rash_baseline", "Rash at baseline", "text"),
        Column("weakness_baseline", "Weakness at baseline", "text"),
    ]
    for measure, header in OUTCOMES:
        cols.append(Column(f"{measure}_baseline", f"{header}, baseline", "number"))
        cols.append(Column(f"{measure}_final", f"{header}, final", "number"))
    for event in EVENT_COLUMNS:
        cols.append(Column(f"weeks_to_{event}", f"Weeks to {label('event', event)}", "time"))
    return tuple(cols)


COLUMNS: Final = _columns()
NOTES: Final = (
    "One row per patient of the case series; patients are numbered in the order of their "
    "JAK-inhibitor start. No identifier, date, centre or free text is given.",
    "Baseline: the latest value within 90 days before and including the JAK-inhibitor start; "
    "final: the latest value after it up to the end of follow-up. Empty: not recorded.",
    "Doses: the first JAK-inhibitor course (starting) and its course with the highest single "
    "dose in mg (highest). Weeks to an event: from the JAK-inhibitor start to the first such "
    "event within follow-up; empty: no such event. Weeks, months and ages are rounded to one "
    "decimal (half away from zero).",
)


def _time(value: float | None) -> float | None:
    return None if value is None else float(round_half_away(value, TIME_DECIMALS))


def _yes_no(value: float | bool | None) -> str | None:
    if value is None:
        return None
    return label("yes_no", "yes" if value else "no")


def _number(value: float | bool | None) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    return float(value)


def dose_words(course: DrugCourse | None) -> str | None:
    """'5 mg twice daily' (frequency in the clinic's words); None without a course."""
    if course is None:
        return None
    if course.dose is None:
        return "dose not recorded"
    unit = label("dose_unit", course.dose_unit) if course.dose_unit else ""
    parts = [f"{course.dose:g} {unit}".strip()]
    if course.frequency:
        parts.append(label("frequency", course.frequency))
    return " ".join(parts)


def _row(number: int, t: PatientTimeline, patient: Patient, cutoff: date | None) -> list[Cell]:
    duration = (
        None
        if patient.diagnosis_date is None
        else (t.index_date - patient.diagnosis_date).days / DAYS_PER_MONTH
    )
    row: list[Cell] = [
        number,
        label("sex", patient.sex),
        _time(patient.age_years(t.index_date)),
        _time(duration),
        labels_of("antibody", list(patient.antibodies)) or None,
        label("refractory", patient.refractory) if patient.refractory else None,
        label("drug", t.first_jak_drug),
        dose_words(t.jak_courses[0]),
        dose_words(max_dose_course(t, cutoff)),
        None if t.weight_band == "unknown" else WEIGHT_BAND_LABELS[t.weight_band],
        _time(jaki_exposure_months(t)),
        _time(t.follow_up_months),
        _yes_no(t.baseline["rash"]),
        _yes_no(t.baseline["weakness"]),
    ]
    for measure, _ in OUTCOMES:
        row.append(_number(t.baseline[measure]))
        row.append(_number(t.final[measure]))
    for event in EVENT_COLUMNS:
        row.append(_time(t.event_weeks.get(event)))
    return row


def _ordered(timelines: Timelines) -> list[PatientTimeline]:
    return sorted(timelines.included, key=lambda t: (t.index_date, t.patient_id))


def patient_numbers(timelines: Timelines) -> dict[str, int]:
    """patient_id -> the supplement's sequence number (for figures that name patients)."""
    return {t.patient_id: i for i, t in enumerate(_ordered(timelines), start=1)}


def supplement(timelines: Timelines) -> Supplement:
    """The per-patient table of the case series, de-identified for research."""
    rows = tuple(
        tuple(_row(i, t, timelines.records[t.patient_id].patient, timelines.cutoff))
        for i, t in enumerate(_ordered(timelines), start=1)
    )
    return Supplement(columns=COLUMNS, rows=rows, notes=NOTES)
