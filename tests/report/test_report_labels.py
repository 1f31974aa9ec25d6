"""Drug-course labels: 'ruxolitinib 5 mg BID', and honest about a missing dose."""

from __future__ import annotations

from datetime import date

from myotrack.domain import DrugCourse
from myotrack.report.figures.labels import course_label, dose_text, drug_words

DAY = date(2021, 10, 12)


def test_drug_dose_unit_frequency() -> None:
    assert course_label(DrugCourse("A", "ruxolitinib", DAY, None, 5, "mg", "BID")) == (
        "ruxolitinib 5 mg BID"
    )
    assert course_label(DrugCourse("A", "ruxolitinib", DAY, None, 2.5, "mg", "BID")) == (
        "ruxolitinib 2.5 mg BID"
    )
    assert dose_text(DrugCourse("A", "ivig", DAY, None, 2, "g/kg", "monthly")) == ("2 g/kg monthly")
    # the dose unit in print, as a reader of a figure expects it
    assert dose_text(DrugCourse("A", "methotrexate", DAY, None, 15, "mg/m2", None)) == ("15 mg/m²")


def test_drugs_in_words_not_codes() -> None:
    assert course_label(DrugCourse("A", "ivig", DAY, None, 2, "g/kg", "monthly")) == (
        "IVIG 2 g/kg monthly"
    )
    assert drug_words("cotrimoxazole") == "co-trimoxazole"
    assert drug_words("hydroxychloroquine") == "hydroxychloroquine"
    # a free 'other drug' name as the clinic wrote it; words given back stay as they are
    assert drug_words("ampicillin/sulbactam") == "ampicillin/sulbactam"
    assert drug_words(drug_words("ivig")) == "IVIG"


def test_missing_dose_is_said_not_guessed() -> None:
    assert course_label(DrugCourse("A", "mometasone", DAY)) == "mometasone (dose not recorded)"
    assert dose_text(DrugCourse("A", "ivig", DAY, frequency="monthly")) == (
        "monthly (dose not recorded)"
    )
