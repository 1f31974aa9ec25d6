"""Text of drug-course and measure labels, shared by the figures."""

from __future__ import annotations

from myotrack.domain import DrugCourse

# Axis labels of the measures a figure may draw (visit columns and lab analytes).
MEASURE_LABELS: dict[str, str] = {
    "cmas": "CMAS (0–52)",
    "mmt8": "MMT8 (0–80)",
    "catbm_activity": "CAT-BM activity",
    "catbm_damage": "CAT-BM damage",
    "cdasi_activity": "CDASI activity",
    "cdasi_damage": "CDASI damage",
    "das_skin": "DAS skin",
    "das_muscle": "DAS muscle",
    "phga": "Physician global",
    "parent_global": "Parent global",
    "chaq": "CHAQ",
    "weight_kg": "Weight (kg)",
    "height_cm": "Height (cm)",
    "IFN_score": "Interferon score",
}


def measure_label(name: str, unit: str | None = None) -> str:
    label = MEASURE_LABELS.get(name, name)
    if unit and unit != "score" and unit not in label:
        label = f"{label} ({unit})"
    return label


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
