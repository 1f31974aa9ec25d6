"""Text of drug-course and measure labels, shared by the figures."""

from __future__ import annotations

from myotrack.domain import DrugCourse
from myotrack.domain.labels import label
from myotrack.domain.vocab import MEASURES


def measure_label(name: str, unit: str | None = None) -> str:
    """Axis label of a measure a figure may draw: a visit measure as its row of the measure
    table gives it ('CMAS (0–52)', 'Weight (kg)'), a lab analyte in the clinic's words with
    its unit ('Interferon score', 'Creatine kinase (CK), U/L')."""
    measure = MEASURES.get(name)
    if measure is not None:
        return measure.titled
    words = label("analyte", name)
    text = f"{words[:1].upper()}{words[1:]}"
    if unit and unit != "score" and unit not in text:
        text += f", {label('unit', unit)}" if text.endswith(")") else f" ({label('unit', unit)})"
    return text


def dose_text(course: DrugCourse) -> str:
    """'5 mg BID' from a course's dose, unit and frequency (parts that are missing are
    left out; 'dose not recorded' when there is no dose)."""
    if course.dose is None:
        return (
            f"{course.frequency} (dose not recorded)"
            if course.frequency
            else ("(dose not recorded)")
        )
    number = f"{course.dose:g}"
    parts = [f"{number} {course.dose_unit}" if course.dose_unit else number]
    if course.frequency:
        parts.append(course.frequency)
    return " ".join(parts)


def course_label(course: DrugCourse) -> str:
    """'ruxolitinib 5 mg BID'."""
    return f"{course.drug} {dose_text(course)}"
