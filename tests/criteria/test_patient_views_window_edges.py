"""Edges of the two windows of criteria.patient_views, as worked examples:

- CK_WINDOW_DAYS = 30 (LOCAL POLICY): the CID at the latest visit uses a CK taken on the
  visit day or up to 30 days before; day 30 is used, day 31 is not, a CK after the visit is
  not;
- BASELINE_WINDOW_DAYS = 90 (case-series spec: [index - 90 d, index] inclusive): a visit
  exactly 90 days before the index date is a baseline, one 91 days before is not."""

from __future__ import annotations

from datetime import date, timedelta

from myotrack.criteria.patient_views import (
    BASELINE_WINDOW_DAYS,
    CK_WINDOW_DAYS,
    cid_at_latest_visit,
    response_since_index,
)
from myotrack.domain.model import DrugCourse, LabResult, Patient, PatientRecord, Visit

PID = "W01"
INDEX = date(2024, 3, 1)
VISIT = date(2024, 9, 1)


def _record(visits: tuple[Visit, ...], labs: tuple[LabResult, ...] = ()) -> PatientRecord:
    return PatientRecord(
        patient=Patient(PID, "M", date(2014, 5, 1), "JDM"),
        visits=visits,
        labs=labs,
        courses=(
            DrugCourse(PID, "ruxolitinib", INDEX, None, dose=5, dose_unit="mg", frequency="BID"),
        ),
    )


def _ck(day: date) -> LabResult:
    return LabResult(PID, day, "CK", value=140, unit="U/L", ref_high=190)


def test_the_windows_are_the_documented_values() -> None:
    assert CK_WINDOW_DAYS == 30
    assert BASELINE_WINDOW_DAYS == 90


def test_a_ck_exactly_30_days_before_the_visit_is_used() -> None:
    visit = Visit(PID, VISIT, cmas=50, mmt8=79, phga=0.5)
    day = VISIT - timedelta(days=CK_WINDOW_DAYS)  # 2024-08-02
    cid = cid_at_latest_visit(_record((visit,), (_ck(day),)), VISIT)
    assert cid.ck_date == date(2024, 8, 2)
    assert cid.result is not None and cid.result.criteria["ck"] is True


def test_a_ck_31_days_before_the_visit_is_not_used() -> None:
    visit = Visit(PID, VISIT, cmas=50, mmt8=79, phga=0.5)
    day = VISIT - timedelta(days=CK_WINDOW_DAYS + 1)
    cid = cid_at_latest_visit(_record((visit,), (_ck(day),)), VISIT)
    assert cid.ck_date is None
    assert cid.to_dict()["missing"] == ["ck"]
    assert any("30 days before" in a for a in cid.assumptions)


def test_a_ck_after_the_visit_is_not_used_for_it() -> None:
    visit = Visit(PID, VISIT, cmas=50, mmt8=79, phga=0.5)
    cid = cid_at_latest_visit(_record((visit,), (_ck(VISIT + timedelta(days=1)),)), VISIT)
    assert cid.ck_date is None


def test_a_visit_exactly_90_days_before_the_index_is_a_baseline() -> None:
    day = INDEX - timedelta(days=BASELINE_WINDOW_DAYS)  # 2023-12-02
    assert day == date(2023, 12, 2)
    resp = response_since_index(_record((Visit(PID, day, phga=6),)), date(2024, 6, 2))
    why = resp.why or ""
    assert "missing at baseline (2023-12-02 to 2024-03-01)" in why
    assert "physician global" not in why.split("missing after")[0]


def test_a_visit_91_days_before_the_index_is_not_a_baseline() -> None:
    day = INDEX - timedelta(days=BASELINE_WINDOW_DAYS + 1)
    resp = response_since_index(_record((Visit(PID, day, phga=6),)), date(2024, 6, 2))
    assert "physician global" in (resp.why or "").split("missing after")[0]
