"""Clinical review: the time windows of JAK-inhibitor screening and monitoring, each at its
boundary (worked examples on hand-built records).

Sources (shared/spec/criteria-therapy.md §5.1, VERIFIED from label reproductions):
* lipids after the start: tofacitinib 4-8 weeks (US) / 8 weeks (EU/AU); baricitinib about
  12 weeks (EU); ruxolitinib 8-12 weeks -> the code uses the later bound: 8 / 12 / 12 weeks;
* blood counts: tofacitinib at start, after 4-8 weeks, then every 3 months (pfizerpro
  UK/AU) -> 92 days; ruxolitinib every 2-4 weeks until the dose is stable -> 28 days during
  the first 84 days (12 weeks) of a course (the 12-week "stable" reading is an assumption
  of the module, reported as such).
Local-policy options without a published interval (module ASSUMPTIONS): an infection screen
is valid 365 days; pre-start counts and lipids must be within 90 days.
"""

from __future__ import annotations

from datetime import date

import pytest

from myotrack.domain.model import DrugCourse, LabResult, Patient, PatientRecord
from myotrack.therapy.screening import (
    ASSUMPTIONS,
    COUNT_INTERVAL_DAYS,
    LIPID_DUE_WEEKS,
    PRESTART_RECENT_DAYS,
    RUX_COUNT_INTERVAL_DAYS,
    RUX_STABLE_AFTER_DAYS,
    SCREEN_VALID_DAYS,
    screening,
)

PID = "R001"
START = date(2024, 3, 1)


def _record(labs: tuple[LabResult, ...], drug: str | None = None) -> PatientRecord:
    courses = ()
    if drug is not None:
        courses = (
            DrugCourse(
                PID, drug, START, None, dose=5, dose_unit="mg", frequency="BID", route="oral"
            ),
        )
    return PatientRecord(
        patient=Patient(patient_id=PID, sex="F", birth_date=date(2015, 6, 1), diagnosis="JDM"),
        labs=labs,
        courses=courses,
    )


def _status(rec: PatientRecord, item: str, on: date) -> str:
    return next(i for i in screening(rec, on) if i.item == item).status


@pytest.mark.parametrize(
    ("drug", "weeks", "due_by"),
    [
        # 1 Mar 2024 + 8 weeks (56 days) = 26 Apr 2024.
        ("tofacitinib", 8, date(2024, 4, 26)),
        # 1 Mar 2024 + 12 weeks (84 days) = 24 May 2024.
        ("baricitinib", 12, date(2024, 5, 24)),
        ("ruxolitinib", 12, date(2024, 5, 24)),
    ],
)
def test_post_start_lipid_check_falls_due_at_the_label_week(
    drug: str, weeks: int, due_by: date
) -> None:
    assert LIPID_DUE_WEEKS[drug] == weeks
    rec = _record((LabResult(PID, date(2024, 2, 20), "total_cholesterol", 4.1, "mmol/L"),), drug)
    assert _status(rec, "lipids", date.fromordinal(due_by.toordinal() - 1)) == "done"
    assert _status(rec, "lipids", due_by) == "due"


def test_tofacitinib_counts_every_three_months() -> None:
    """Neutrophils on 1 Mar 2024 (the start): 92 days later (1 Jun) still done, 93 days
    (2 Jun) due."""
    assert COUNT_INTERVAL_DAYS == 92
    rec = _record((LabResult(PID, START, "neutrophils", 3.0, "10^9/L"),), "tofacitinib")
    assert _status(rec, "blood count: neutrophils", date(2024, 6, 1)) == "done"
    assert _status(rec, "blood count: neutrophils", date(2024, 6, 2)) == "due"


def test_ruxolitinib_counts_every_four_weeks_until_stable() -> None:
    """Ruxolitinib from 1 Mar 2024, neutrophils on 1 Mar: 29 Mar (28 days) done, 30 Mar
    (29 days) due. Neutrophils on 20 Mar: on 23 May (day 83 of the course, still the 28-day
    rule) a 64-day-old count is due; on 24 May (day 84, the 3-monthly rule) the 65-day-old
    count is done."""
    assert (RUX_COUNT_INTERVAL_DAYS, RUX_STABLE_AFTER_DAYS) == (28, 84)
    rec = _record((LabResult(PID, START, "neutrophils", 3.0, "10^9/L"),), "ruxolitinib")
    assert _status(rec, "blood count: neutrophils", date(2024, 3, 29)) == "done"
    assert _status(rec, "blood count: neutrophils", date(2024, 3, 30)) == "due"
    rec = _record((LabResult(PID, date(2024, 3, 20), "neutrophils", 3.0, "10^9/L"),), "ruxolitinib")
    assert _status(rec, "blood count: neutrophils", date(2024, 5, 23)) == "due"
    assert _status(rec, "blood count: neutrophils", date(2024, 5, 24)) == "done"


def test_infection_screen_valid_one_year_local_policy() -> None:
    """TB IGRA negative on 1 Jan 2023: on 1 Jan 2024 (365 days) done; 2 Jan 2024 due. This
    is a local-policy option (no published interval) and is listed as an assumption."""
    assert SCREEN_VALID_DAYS == 365
    assert any("365 days" in a and "local policy" in a for a in ASSUMPTIONS)
    rec = _record((LabResult(PID, date(2023, 1, 1), "TB_IGRA", result="negative"),))
    assert _status(rec, "tuberculosis", date(2024, 1, 1)) == "done"
    assert _status(rec, "tuberculosis", date(2024, 1, 2)) == "due"


def test_prestart_counts_within_90_days_local_policy() -> None:
    """No JAK inhibitor yet; lymphocytes on 1 Jan 2024: 31 Mar 2024 is 90 days later (2024 is
    a leap year: 31 + 29 + 30) -> done; 1 Apr (91 days) -> due."""
    assert PRESTART_RECENT_DAYS == 90
    assert any("90 days" in a and "local policy" in a for a in ASSUMPTIONS)
    rec = _record((LabResult(PID, date(2024, 1, 1), "lymphocytes", 1.5, "10^9/L"),))
    assert _status(rec, "blood count: lymphocytes", date(2024, 3, 31)) == "done"
    assert _status(rec, "blood count: lymphocytes", date(2024, 4, 1)) == "due"


def test_decision_support_flags_a_weight_older_than_92_days() -> None:
    """Weight-band doses need a current weight. Weight recorded 1 Jan 2024: on 2 Apr 2024
    (92 days) no note; on 3 Apr (93 days) the dose section says the weight is old (a display
    assumption of the module, WEIGHT_STALE_DAYS = 92, about 3 months)."""
    from myotrack.domain.model import Visit
    from myotrack.therapy.decision_support import WEIGHT_STALE_DAYS, decision_support

    assert WEIGHT_STALE_DAYS == 92
    rec = PatientRecord(
        patient=Patient(patient_id=PID, sex="F", birth_date=date(2015, 6, 1), diagnosis="JDM"),
        visits=(Visit(PID, date(2024, 1, 1), weight_kg=22.0),),
    )

    def notes(on: date) -> list[str]:
        return list(decision_support(rec, on).dose["notes"])

    assert not any("days old" in n for n in notes(date(2024, 4, 2)))
    assert any("more than 92 days old" in n for n in notes(date(2024, 4, 3)))
