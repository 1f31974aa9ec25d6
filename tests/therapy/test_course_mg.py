""" "mg of a course" is one calculation (`therapy.schedule.course_mg`), and every reader of a
course's dose gets the same number from it: the decision-support view's current course, the
glucocorticoid exposure and the other-drug dose checks.

Issue 16 found two calculations that disagreed: the decision-support view's daily mg knew
mg and mg/kg only, so a course dosed in mg/m² had no daily dose there while the dose checks
computed one. The first test below fails on that code.

Worked example (oracle: by hand, Mosteller BSA = sqrt(height_cm × weight_kg / 3600),
Mosteller RD, N Engl J Med 1987;317:1098; vector BSA-1 of criteria-therapy.md §4.4):
105 cm and 17 kg give sqrt(1785 / 3600) = 0.70415 m². Ruxolitinib 4 mg/m² twice daily is
4 × 0.70415 = 2.8166 mg a dose, 5.6332 mg a day.
"""

from __future__ import annotations

import math
from datetime import date

import pytest

from myotrack.domain import DrugCourse, Patient, PatientRecord, Visit
from myotrack.therapy.decision_support import decision_support
from myotrack.therapy.glucocorticoids import daily_dose
from myotrack.therapy.schedule import INTERVAL_DAYS, PER_DAY, course_mg

PID = "MG1"
ON = date(2024, 6, 1)
BSA = math.sqrt(105 * 17 / 3600)  # 0.70415 m²


def _course(drug: str, start: date, dose: float | None, unit: str, frequency: str) -> DrugCourse:
    return DrugCourse(
        PID, drug, start, dose=dose, dose_unit=unit, frequency=frequency, route="oral"
    )


def _record(*courses: DrugCourse) -> PatientRecord:
    return PatientRecord(
        patient=Patient(patient_id=PID, sex="M", birth_date=date(2019, 3, 1), diagnosis="JDM"),
        visits=(Visit(PID, ON, weight_kg=17.0, height_cm=105.0),),
        courses=courses,
    )


def test_the_decision_support_daily_dose_of_a_per_m2_course() -> None:
    rux = _course("ruxolitinib", date(2024, 5, 1), 4.0, "mg/m2", "BID")
    view = decision_support(_record(rux), ON)
    assert view.course is not None
    assert view.course.daily_mg == pytest.approx(4 * BSA * 2)
    assert view.course.daily_mg == pytest.approx(5.6332, abs=1e-4)


@pytest.mark.parametrize(
    ("dose", "unit", "frequency", "per_admin", "per_day"),
    [
        (5.0, "mg", "BID", 5.0, 10.0),
        (0.2, "mg/kg", "QD", 0.2 * 17, 0.2 * 17),
        (4.0, "mg/m2", "BID", 4 * BSA, 8 * BSA),
        (2.0, "g/kg", "once", 2000.0 * 17, None),  # IVIG: not a daily schedule
        (15.0, "mg/kg", "weekly", 15.0 * 17, None),
        (1.0, "mg", "TID", 1.0, 3.0),
    ],
)
def test_course_mg_by_unit(
    dose: float, unit: str, frequency: str, per_admin: float, per_day: float | None
) -> None:
    course = _course("methotrexate", date(2024, 1, 1), dose, unit, frequency)
    mg = course_mg(course, weight_kg=17.0, bsa_m2=BSA)
    assert mg.missing is None
    assert mg.per_administration == pytest.approx(per_admin)
    assert mg.per_day == (None if per_day is None else pytest.approx(per_day))


@pytest.mark.parametrize(
    ("unit", "weight", "bsa", "missing"),
    [
        ("mg/kg", None, BSA, "weight"),
        ("g/kg", None, BSA, "weight"),
        ("mg/m2", 17.0, None, "bsa"),
        ("tablets", 17.0, BSA, "unit"),
    ],
)
def test_course_mg_names_what_is_missing(
    unit: str, weight: float | None, bsa: float | None, missing: str
) -> None:
    course = _course("ruxolitinib", date(2024, 1, 1), 4.0, unit, "BID")
    mg = course_mg(course, weight_kg=weight, bsa_m2=bsa)
    assert (mg.per_administration, mg.per_day, mg.missing) == (None, None, missing)
    no_dose = _course("ruxolitinib", date(2024, 1, 1), None, "mg", "BID")
    assert course_mg(no_dose, weight_kg=17.0, bsa_m2=BSA).missing == "dose"


def test_glucocorticoid_exposure_reads_the_same_mg() -> None:
    """Prednisolone 10 mg/m² twice daily: the day's prednisolone-equivalent dose is the
    course's mg per day (prednisolone's factor is 1)."""
    pred = _course("prednisolone", date(2024, 5, 1), 10.0, "mg/m2", "BID")
    day = daily_dose(_record(pred), ON)
    expected = course_mg(pred, weight_kg=17.0, bsa_m2=BSA).per_day
    assert day.mg == pytest.approx(expected)
    assert day.mg == pytest.approx(20 * BSA)


def test_doses_a_day_come_from_the_frequency_table() -> None:
    """The domain's frequency rows: QD 1, BID 2, TID 3; weekly 7 days, every 2 weeks 14,
    every 4 weeks 28 (by definition of the codes, docs/cohort-format.md)."""
    assert PER_DAY == {"QD": 1, "BID": 2, "TID": 3}
    assert INTERVAL_DAYS == {"weekly": 7, "every_2_weeks": 14, "every_4_weeks": 28}
