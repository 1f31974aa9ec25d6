"""Edge of ILD_PROGRESSION_DAYS (therapy.risk_flags; 90 days, LOCAL POLICY, no source gives a
number): a progression of ILD recorded exactly 90 days before is named in the MDA5/ILD flag,
one recorded 91 days before is not; a progression known only to the month is named while
any day of that month is in the window."""

from __future__ import annotations

from datetime import date, timedelta

from myotrack.domain import (
    OrganInvolvement,
    PartialDate,
    Patient,
    PatientRecord,
    WholeRecord,
)
from myotrack.domain.record_events import ClinicalEvent
from myotrack.therapy.risk_flags import ILD_PROGRESSION_DAYS, risk_flags

ON = date(2024, 6, 1)


def _whole(progressed: PartialDate) -> WholeRecord:
    patient = Patient("L1", "F", date(2012, 1, 1), "JDM", antibodies=("MDA5",))
    ild = OrganInvolvement("L1", "ILD", onset=PartialDate(2023, 1, 1))
    event = ClinicalEvent("L1", progressed, "ild_progressed")
    return WholeRecord(
        base=PatientRecord(patient=patient), involvement=(ild,), clinical_events=(event,)
    )


def _lung_why(whole: WholeRecord) -> str:
    flags = risk_flags(whole.base, ON, whole)
    return next(f.why for f in flags if "interstitial lung disease recorded" in f.flag)


def _day(d: date) -> PartialDate:
    return PartialDate(d.year, d.month, d.day)


def test_the_window_is_the_documented_local_policy_value() -> None:
    assert ILD_PROGRESSION_DAYS == 90


def test_a_progression_exactly_90_days_before_is_named() -> None:
    day = ON - timedelta(days=ILD_PROGRESSION_DAYS)  # 2024-03-03
    why = _lung_why(_whole(_day(day)))
    assert "ILD progressed (2024-03-03; within 90 days: local policy)" in why


def test_a_progression_91_days_before_is_not_named() -> None:
    day = ON - timedelta(days=ILD_PROGRESSION_DAYS + 1)  # 2024-03-02
    assert "ILD progressed" not in _lung_why(_whole(_day(day)))


def test_a_progression_after_the_day_is_not_used() -> None:
    assert "ILD progressed" not in _lung_why(_whole(_day(ON + timedelta(days=1))))


def test_a_month_only_progression_is_named_while_its_month_reaches_the_window() -> None:
    # March 2024 ends on 2024-03-31, inside the window that starts on 2024-03-03.
    assert "ILD progressed (2024-03; within 90 days" in _lung_why(_whole(PartialDate(2024, 3)))
    # February 2024 ends on 2024-02-29, before it.
    assert "ILD progressed" not in _lung_why(_whole(PartialDate(2024, 2)))
