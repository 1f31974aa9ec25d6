"""Text of drug-course and measure labels, shared by the figures."""

from __future__ import annotations

from myotrack.domain import DrugCourse
from myotrack.domain.labels import OTHER_DRUG, label
from myotrack.domain.vocab import MEASURES

# Short names a figure's narrow lane label prints instead of the catalogue's long words.
SHORT_DRUG_NAMES = {"ivig": "IVIG", "cotrimoxazole": "co-trimoxazole"}


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


def drug_name(code: str) -> str:
    """A drug in words: the catalogue's label; a drug outside the catalogue as the clinic
    wrote it (a printed figure or report has no room for the registry's 'other drug' mark:
    the authors know their drugs)."""
    words = label("drug", code)
    return code if words == f"{code} ({OTHER_DRUG})" else words


def drug_words(drug: str) -> str:
    """A course's drug as a figure's narrow lane prints it: 'IVIG', 'co-trimoxazole', else
    `drug_name`. Words given back are kept as they are."""
    return SHORT_DRUG_NAMES.get(drug) or drug_name(drug)


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
    unit = label("dose_unit", course.dose_unit) if course.dose_unit else None  # 'mg/m²'
    parts = [f"{number} {unit}" if unit else number]
    if course.frequency:
        parts.append(course.frequency)
    return " ".join(parts)


def course_label(course: DrugCourse) -> str:
    """'ruxolitinib 5 mg BID', 'IVIG 2 g/kg monthly'."""
    return f"{drug_words(course.drug)} {dose_text(course)}"
