"""One patient's course as dated lines of text (for `myotrack timeline`)."""

from __future__ import annotations

from datetime import date

from myotrack.cohort import cell
from myotrack.domain import DrugCourse, Event, LabResult, PatientRecord, Visit
from myotrack.domain.vocab import VISIT_MEASURE_TABLE


def visit_text(visit: Visit) -> str:
    parts = []
    for flag in ("rash", "weakness"):
        value = getattr(visit, flag)
        if value is not None:
            parts.append(f"{flag} {'yes' if value else 'no'}")
    for measure in VISIT_MEASURE_TABLE:  # in the order a clinician reads them
        value = getattr(visit, measure.name)
        if value is not None:
            parts.append(f"{measure.short_label} {cell(value)}{measure.out_of}")
    return " · ".join(parts) if parts else "(no scores recorded)"


def lab_text(lab: LabResult) -> str:
    if lab.result is not None:
        return f"{lab.analyte} {lab.result}"
    text = f"{lab.analyte} {cell(lab.value)} {lab.unit}"
    if lab.above_reference:
        text += " ↑ HIGH"
    elif lab.below_reference:
        text += " ↓ LOW"
    if lab.ref_low is not None or lab.ref_high is not None:
        low = cell(lab.ref_low) if lab.ref_low is not None else ""
        high = cell(lab.ref_high) if lab.ref_high is not None else ""
        text += f" (ref {low}–{high})" if low else f" (ref <{high})"
    if lab.reported is not None:
        text += f" [reported {cell(lab.reported.value)} {lab.reported.unit}]"
    return text


def dose_text(course: DrugCourse) -> str:
    parts = [course.drug]
    if course.dose is not None:
        parts.append(f"{cell(course.dose)} {course.dose_unit or ''}".strip())
    parts += [p for p in (course.frequency, course.route) if p]
    return " ".join(parts)


def course_text(course: DrugCourse) -> str:
    end = f"until {course.end_date}" if course.end_date else "ongoing"
    reason = f" ({course.stop_reason})" if course.stop_reason else ""
    return f"start {dose_text(course)} — {end}{reason}"


def event_text(event: Event) -> str:
    text = event.event.replace("_", " ")
    if event.detail:
        text += f": {event.detail}"
    if event.grade is not None:
        text += f" (grade {event.grade})"
    return text


def timeline_lines(record: PatientRecord) -> list[tuple[date, str, str]]:
    """(date, kind, text) for every visit, lab result, drug course start and event."""
    lines: list[tuple[date, int, str, str]] = []
    for c in record.courses:
        lines.append((c.start_date, 0, "drug", course_text(c)))
    for e in record.events:
        lines.append((e.date, 1, "event", event_text(e)))
    for v in record.visits:
        lines.append((v.date, 2, "visit", visit_text(v)))
    for lab in record.labs:
        lines.append((lab.date, 3, "lab", lab_text(lab)))
    lines.sort(key=lambda line: (line[0], line[1]))
    return [(when, kind, text) for when, _, kind, text in lines]
