"""Edges of the baricitinib blood-count interval (therapy.monitoring), as worked examples:
BARICITINIB_COUNT_DAYS = 92 (LOCAL POLICY: the Olumiant label interval was not verified;
"every 3 months" read as 92 days), shown DUE_SOON_DAYS = 14 before (display setting).

Start 1 Mar 2024, neutrophils on 1 Apr 2024: next due 2 Jul 2024 (92 days), shown from
18 Jun; 17 Jun upcoming, 18 Jun due, 2 Jul due, 3 Jul overdue."""

from __future__ import annotations

from datetime import date, timedelta

from myotrack.domain.model import DrugCourse, LabResult, Patient, PatientRecord
from myotrack.therapy.monitoring import BARICITINIB_COUNT_DAYS, DUE_SOON_DAYS, due_items

PID = "M002"
START = date(2024, 3, 1)
LAST = date(2024, 4, 1)
WHAT = "blood count: neutrophils"


def _record(labs: tuple[LabResult, ...]) -> PatientRecord:
    return PatientRecord(
        patient=Patient(patient_id=PID, sex="F", birth_date=date(2014, 1, 1), diagnosis="JDM"),
        labs=labs,
        courses=(
            DrugCourse(PID, "baricitinib", START, None, dose=4, dose_unit="mg", frequency="QD"),
        ),
    )


def _state(rec: PatientRecord, on: date) -> str | None:
    found = [i for i in due_items(rec, on) if i.what == WHAT]
    return found[0].state if found else None


def test_the_settings_are_the_documented_values() -> None:
    assert BARICITINIB_COUNT_DAYS == 92
    assert DUE_SOON_DAYS == 14


def test_baricitinib_counts_fall_due_92_days_after_the_last_count() -> None:
    rec = _record((LabResult(PID, LAST, "neutrophils", 3.0, "10^9/L"),))
    due = LAST + timedelta(days=BARICITINIB_COUNT_DAYS)
    assert due == date(2024, 7, 2)
    assert _state(rec, date(2024, 6, 17)) == "upcoming"
    assert _state(rec, date(2024, 6, 18)) == "due"
    assert _state(rec, due) == "due"
    assert _state(rec, due + timedelta(days=1)) == "overdue"
    item = next(i for i in due_items(rec, due) if i.what == WHAT)
    assert item.status == "LOCAL POLICY"
    assert "every 92 days on treatment (local policy)" in item.message


def test_with_no_count_at_all_the_count_is_due_at_the_start_and_never_green() -> None:
    rec = _record(())
    (item,) = [i for i in due_items(rec, START) if i.what == WHAT]
    assert item.state == "due" and item.due_date == START
    assert _state(rec, START + timedelta(days=1)) == "overdue"
