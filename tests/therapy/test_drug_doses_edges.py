"""Edges of the IVIG per-course maximum (therapy.drug_doses), as worked examples.

COURSE_DAYS = 28 is the Octagam 10% label's "2 g/kg divided in equal doses given over 2 to 5
consecutive days every 4 weeks" (docs/criteria-therapy.md; OCTAGAM in drug_doses): the doses
of a course row on its days 0..27 are summed and compared with 2 g/kg; a dose on day 28 is
the next course. Weight 20 kg throughout."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from myotrack.domain.model import DrugCourse, Patient, PatientRecord, Visit
from myotrack.therapy.drug_doses import COURSE_DAYS, dose_checks

ON = date(2024, 6, 1)
PID = "P1"


def _check(g_per_kg: float, freq: str, days: int | None) -> tuple[str, str]:
    start = ON - timedelta(days=1)
    end = None if days is None else start + timedelta(days=days - 1)
    course = DrugCourse(PID, "ivig", start, end, g_per_kg, "g/kg", freq, "iv")
    record = PatientRecord(
        patient=Patient(PID, "F", date(2012, 1, 1), "JDM"),
        visits=(Visit(PID, ON, weight_kg=20.0, height_cm=150.0),),
        courses=(course,),
    )
    (check,) = dose_checks(record, ON)
    return check.status, check.message


def test_one_course_is_four_weeks() -> None:
    assert COURSE_DAYS == 28


@pytest.mark.parametrize(
    ("g_per_kg", "freq", "days", "status"),
    [
        # weekly: doses on days 0, 7, 14, 21 (4); day 28 is the next course
        (0.5, "weekly", None, "nothing_blocks"),  # 4 x 0.5 = 2.0
        (0.51, "weekly", None, "blocks"),  # 4 x 0.51 = 2.04 > 2
        # every 2 weeks: days 0 and 14 (day 28 not counted)
        (1.0, "every_2_weeks", None, "nothing_blocks"),  # 2 x 1.0 = 2.0
        (1.01, "every_2_weeks", None, "blocks"),
        # every 4 weeks: day 0 only
        (2.0, "every_4_weeks", None, "nothing_blocks"),
        # daily for 29 days: only days 0..27 counted, 28 x 0.07 = 1.96 (29 x 0.07 = 2.03)
        (0.07, "QD", 29, "nothing_blocks"),
        # daily for exactly 28 days at 0.072: 28 x 0.072 = 2.016 > 2
        (0.072, "QD", 28, "blocks"),
    ],
)
def test_ivig_doses_are_summed_over_the_first_28_days_of_a_course(
    g_per_kg: float, freq: str, days: int | None, status: str
) -> None:
    got, message = _check(g_per_kg, freq, days)
    assert got == status, message
    assert "2 to 5 consecutive days every 4 weeks" in message
