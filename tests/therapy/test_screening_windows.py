"""Clinical review: the pre-start screening checks and their windows, each at its edge
(worked examples on hand-built records).

Label requirements (criteria-therapy.md §5.1): TB evaluated and latent TB treated before the
start (Xeljanz US 2.1; Olumiant US); viral hepatitis screening per guidelines (Xeljanz;
Olumiant); immunisations updated (Olumiant EU; Xeljanz). Local-policy windows (module
ASSUMPTIONS): an infection screen is valid 365 days; baseline lipids within 90 days. The
weight window of weight-band doses (body.WEIGHT_VALID_DAYS = 92, local policy) is tested
through the decision-support view.
"""

from __future__ import annotations

from datetime import date

from myotrack.domain.model import LabResult, Patient, PatientRecord, Visit
from myotrack.therapy.screening import (
    ASSUMPTIONS,
    PRESTART_RECENT_DAYS,
    SCREEN_VALID_DAYS,
    screening,
)
from myotrack.therapy.status import Check

PID = "R001"


def _record(labs: tuple[LabResult, ...] = (), visits: tuple[Visit, ...] = ()) -> PatientRecord:
    return PatientRecord(
        patient=Patient(patient_id=PID, sex="F", birth_date=date(2015, 6, 1), diagnosis="JDM"),
        labs=labs,
        visits=visits,
    )


def _check(rec: PatientRecord, name: str, on: date) -> Check:
    return next(c for c in screening(rec, on) if c.name == name)


def test_nothing_recorded_cannot_be_assessed_and_names_each_test() -> None:
    checks = screening(_record(), date(2024, 1, 1))
    assert {c.status for c in checks} == {"cannot_assess"}
    needed = {n.name for c in checks for n in c.needs}
    assert needed == {
        "TB_IGRA or TB_skin_test",
        "HBsAg",
        "anti_HBc",
        "HCV_Ab",
        "VZV IgG",
        "lipid profile",
    }


def test_infection_screen_valid_one_year_local_policy() -> None:
    """TB IGRA negative on 1 Jan 2023: on 1 Jan 2024 (365 days) nothing blocks; on 2 Jan 2024
    it is too old (cannot assess, naming the latest date and the window)."""
    assert SCREEN_VALID_DAYS == 365
    assert any("365 days" in a and "local policy" in a for a in ASSUMPTIONS)
    rec = _record((LabResult(PID, date(2023, 1, 1), "TB_IGRA", result="negative"),))
    assert _check(rec, "tuberculosis", date(2024, 1, 1)).status == "nothing_blocks"
    old = _check(rec, "tuberculosis", date(2024, 1, 2))
    assert old.status == "cannot_assess"
    assert old.needs[0].problem == "out_of_window" and old.needs[0].latest == date(2023, 1, 1)
    assert "365 days" in old.needs[0].window


def test_positive_tb_blocks_until_treated() -> None:
    rec = _record((LabResult(PID, date(2024, 1, 5), "TB_IGRA", result="positive"),))
    c = _check(rec, "tuberculosis", date(2024, 2, 1))
    assert c.status == "blocks" and "treat latent TB" in c.message


def test_positive_hepatitis_needs_a_specialist_not_a_verdict() -> None:
    rec = _record((LabResult(PID, date(2024, 1, 5), "anti_HBc", result="positive"),))
    c = _check(rec, "hepatitis B (anti_HBc)", date(2024, 2, 1))
    assert c.status == "cannot_assess" and c.needs[0].problem == "needs_review"


def test_indeterminate_and_vzv() -> None:
    rec = _record(
        (
            LabResult(PID, date(2024, 1, 5), "TB_IGRA", result="indeterminate"),
            LabResult(PID, date(2024, 1, 5), "VZV_IgG", result="negative"),
        )
    )
    tb = _check(rec, "tuberculosis", date(2024, 2, 1))
    assert tb.status == "cannot_assess" and tb.needs[0].problem == "indeterminate"
    vzv = _check(rec, "VZV immune status", date(2024, 2, 1))
    assert vzv.status == "nothing_blocks" and "consider vaccination" in vzv.message


def test_baseline_lipids_within_90_days_local_policy() -> None:
    """Total cholesterol on 1 Jan 2024: 31 Mar 2024 is 90 days later (2024 is a leap year:
    31 + 29 + 30) -> present; 1 Apr (91 days) -> too old."""
    assert PRESTART_RECENT_DAYS == 90
    rec = _record((LabResult(PID, date(2024, 1, 1), "total_cholesterol", 4.0, "mmol/L"),))
    assert _check(rec, "baseline lipids", date(2024, 3, 31)).status == "nothing_blocks"
    assert _check(rec, "baseline lipids", date(2024, 4, 1)).status == "cannot_assess"


def test_results_after_the_date_are_not_used() -> None:
    rec = _record((LabResult(PID, date(2024, 3, 1), "HCV_Ab", result="negative"),))
    assert _check(rec, "hepatitis C", date(2024, 2, 29)).status == "cannot_assess"
    assert _check(rec, "hepatitis C", date(2024, 3, 1)).status == "nothing_blocks"


def test_weight_older_than_92_days_needs_a_current_weight() -> None:
    """Weight 22 kg on 1 Jan 2024: on 2 Apr 2024 (92 days) the dose check uses it; on 3 Apr
    (93 days) it says "needs a current weight" and gives no weight-band dose."""
    from myotrack.therapy.body import WEIGHT_VALID_DAYS
    from myotrack.therapy.decision_support import decision_support

    assert WEIGHT_VALID_DAYS == 92
    rec = _record(visits=(Visit(PID, date(2024, 1, 1), weight_kg=22.0),))

    def dose(on: date) -> Check:
        ds = decision_support(rec, on, drug="tofacitinib")
        return next(c for c in ds.checks if c.name == "tofacitinib dose")

    assert dose(date(2024, 4, 2)).status == "nothing_blocks"
    stale = dose(date(2024, 4, 3))
    assert stale.status == "cannot_assess" and "needs a current weight" in stale.message
    assert stale.needs[0].latest == date(2024, 1, 1)
