"""Edge of WEIGHT_LOOKAHEAD_DAYS (therapy.glucocorticoids; 30 days, LOCAL POLICY
assumption): before the first recorded weight, a weight recorded up to 30 days later is used
for mg/kg; one recorded 31 days later is not (mg/kg cannot be computed, never guessed).

Worked example: prednisolone 20 mg once daily from 1 Mar 2024; 40 kg weighed on 31 Mar
(30 days later) -> 0.5 mg/kg on 1 Mar; weighed on 1 Apr (31 days later) -> no mg/kg."""

from __future__ import annotations

from datetime import date, timedelta

from myotrack.domain.model import DrugCourse, Patient, PatientRecord, Visit
from myotrack.therapy.glucocorticoids import WEIGHT_LOOKAHEAD_DAYS, daily_dose

PID = "G1"
DAY = date(2024, 3, 1)


def _record(weighed: date) -> PatientRecord:
    return PatientRecord(
        patient=Patient(PID, "F", date(2012, 1, 1), "JDM"),
        visits=(Visit(PID, weighed, weight_kg=40.0),),
        courses=(DrugCourse(PID, "prednisolone", DAY, None, 20.0, "mg", "QD", "oral"),),
    )


def test_the_lookahead_is_the_documented_value() -> None:
    assert WEIGHT_LOOKAHEAD_DAYS == 30


def test_a_first_weight_30_days_later_is_used() -> None:
    dose = daily_dose(_record(DAY + timedelta(days=WEIGHT_LOOKAHEAD_DAYS)), DAY)
    assert dose.mg == 20.0
    assert dose.weight_kg == 40.0 and dose.mg_per_kg == 0.5


def test_a_first_weight_31_days_later_is_not_used() -> None:
    dose = daily_dose(_record(DAY + timedelta(days=WEIGHT_LOOKAHEAD_DAYS + 1)), DAY)
    assert dose.mg == 20.0
    assert dose.weight_kg is None and dose.mg_per_kg is None
