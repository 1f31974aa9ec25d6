"""The monitoring schedule on a JAK inhibitor: due, overdue and upcoming items at each edge
of each label window (worked examples on hand-built records).

Sources: tofacitinib counts after 4-8 weeks then every 3 months (Xeljanz EU/AU SmPC,
pfizerpro), lipids 4-8 weeks (Xeljanz US patient information); baricitinib lipids about 12
weeks (Olumiant EU SmPC); ruxolitinib counts every 2-4 weeks until stable, lipids 8-12 weeks
(Jakafi 2.1)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from myotrack.domain.model import DrugCourse, LabResult, Patient, PatientRecord
from myotrack.therapy.monitoring import (
    DUE_SOON_DAYS,
    RUX_STABLE_AFTER_DAYS,
    count_window,
    due_items,
)

PID = "M001"
START = date(2024, 3, 1)


def _record(drug: str, labs: tuple[LabResult, ...] = (), end: date | None = None) -> PatientRecord:
    return PatientRecord(
        patient=Patient(patient_id=PID, sex="F", birth_date=date(2014, 1, 1), diagnosis="JDM"),
        labs=labs,
        courses=(DrugCourse(PID, drug, START, end, dose=5, dose_unit="mg", frequency="BID"),),
    )


def _item(rec: PatientRecord, what: str, on: date) -> str | None:
    found = [i for i in due_items(rec, on) if i.what == what]
    return found[0].state if found else None


def test_no_items_without_a_running_course() -> None:
    rec = _record("tofacitinib", end=date(2024, 4, 1))
    assert due_items(rec, date(2024, 2, 1)) == ()
    assert due_items(rec, date(2024, 4, 2)) == ()
    assert count_window(rec, date(2024, 4, 2)) is None


def test_tofacitinib_lipids_window_four_to_eight_weeks() -> None:
    """Start 1 Mar 2024: window opens 29 Mar (28 days), due by 26 Apr (56 days); 27 Apr is
    overdue."""
    rec = _record("tofacitinib")
    assert _item(rec, "lipids", date(2024, 3, 28)) == "upcoming"
    assert _item(rec, "lipids", date(2024, 3, 29)) == "due"
    assert _item(rec, "lipids", date(2024, 4, 26)) == "due"
    assert _item(rec, "lipids", date(2024, 4, 27)) == "overdue"
    # A lipid result inside the window clears it; one before the window does not.
    early = _record("tofacitinib", (LabResult(PID, date(2024, 3, 10), "LDL", 2.0, "mmol/L"),))
    assert _item(early, "lipids", date(2024, 4, 27)) == "overdue"
    done = _record("tofacitinib", (LabResult(PID, date(2024, 4, 1), "LDL", 2.0, "mmol/L"),))
    assert _item(done, "lipids", date(2024, 4, 27)) is None


def test_tofacitinib_counts_then_every_three_months() -> None:
    """Neutrophils at 5 weeks (5 Apr 2024) clear the 4-8-week check; the next is due 92 days
    later, 6 Jul 2024, shown as due from 22 Jun (14 days before), overdue from 7 Jul."""
    labs = (LabResult(PID, date(2024, 4, 5), "neutrophils", 3.0, "10^9/L"),)
    rec = _record("tofacitinib", labs)
    due = date(2024, 4, 5) + timedelta(days=92)
    assert due == date(2024, 7, 6)
    assert _item(rec, "blood count: neutrophils", due - timedelta(days=DUE_SOON_DAYS + 1)) == (
        "upcoming"
    )
    assert _item(rec, "blood count: neutrophils", due - timedelta(days=DUE_SOON_DAYS)) == "due"
    assert _item(rec, "blood count: neutrophils", due) == "due"
    assert _item(rec, "blood count: neutrophils", due + timedelta(days=1)) == "overdue"
    # Lymphocytes were never measured after the start: the 4-8-week check is overdue.
    assert _item(rec, "blood count: lymphocytes", date(2024, 4, 27)) == "overdue"


@pytest.mark.parametrize(
    ("drug", "opens", "due"),
    [
        # Baricitinib about 12 weeks: due 24 May 2024 (84 days), shown from 10 May.
        ("baricitinib", date(2024, 5, 10), date(2024, 5, 24)),
        # Ruxolitinib 8-12 weeks: 26 Apr (56 days) to 24 May (84 days).
        ("ruxolitinib", date(2024, 4, 26), date(2024, 5, 24)),
    ],
)
def test_lipid_windows(drug: str, opens: date, due: date) -> None:
    rec = _record(drug)
    assert _item(rec, "lipids", opens - timedelta(days=1)) == "upcoming"
    assert _item(rec, "lipids", opens) == "due"
    assert _item(rec, "lipids", due) == "due"
    assert _item(rec, "lipids", due + timedelta(days=1)) == "overdue"


def test_ruxolitinib_counts_every_four_weeks_until_stable() -> None:
    """Platelets on 1 Mar (the start): due 29 Mar (28 days), overdue 30 Mar; count window 28
    days before day 84, 92 days from day 84 (local policy)."""
    rec = _record("ruxolitinib", (LabResult(PID, START, "platelets", 300, "10^9/L"),))
    assert _item(rec, "blood count: platelets", date(2024, 3, 29)) == "due"
    assert _item(rec, "blood count: platelets", date(2024, 3, 30)) == "overdue"
    w = count_window(rec, START + timedelta(days=RUX_STABLE_AFTER_DAYS - 1))
    assert w is not None and w.days == 28
    w = count_window(rec, START + timedelta(days=RUX_STABLE_AFTER_DAYS))
    assert w is not None and w.days == 92 and "LOCAL POLICY" in w.source


def test_items_most_urgent_first_and_serialised() -> None:
    rec = _record("ruxolitinib")
    items = due_items(rec, date(2024, 6, 1))
    states = [i.state for i in items]
    assert states == sorted(states, key=["overdue", "due", "upcoming"].index)
    d = items[0].to_dict()
    assert d["state"] == "overdue" and d["source"] and d["rule"]
