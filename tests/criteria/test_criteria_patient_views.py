"""Criteria on a patient's record: CID at the latest visit and the TIS since the index
date, with worked examples on hand-built records."""

from __future__ import annotations

from datetime import date

from myotrack.criteria.patient_views import cid_at_latest_visit, response_since_index
from myotrack.domain.model import DrugCourse, LabResult, Patient, PatientRecord, Visit

PID = "C01"
INDEX = date(2024, 3, 1)


def _record(visits: tuple[Visit, ...], labs: tuple[LabResult, ...] = ()) -> PatientRecord:
    return PatientRecord(
        patient=Patient(PID, "M", date(2014, 5, 1), "JDM"),
        visits=visits,
        labs=labs,
        courses=(
            DrugCourse(PID, "ruxolitinib", INDEX, None, dose=5, dose_unit="mg", frequency="BID"),
        ),
    )


def _lab(day: date, analyte: str, value: float, ref_high: float | None) -> LabResult:
    return LabResult(PID, day, analyte, value=value, unit="U/L", ref_high=ref_high)


def test_cid_uses_ck_within_30_days_before_the_visit() -> None:
    visit = Visit(PID, date(2024, 9, 1), cmas=50, mmt8=79, phga=0.5)
    labs = (_lab(date(2024, 8, 10), "CK", 140, 190), _lab(date(2024, 7, 1), "CK", 900, 190))
    cid = cid_at_latest_visit(_record((visit,), labs), date(2024, 9, 5))
    assert cid.ck_date == date(2024, 8, 10) and cid.result is not None
    assert cid.result.criteria == {"ck": True, "cmas": True, "mmt8": True, "phga": False}
    assert cid.result.printo_cid == "met" and cid.result.p_cid == "not_met"
    # A CK older than 30 days is not used: CMAS and MMT8 met, PhGA not, CK missing ->
    # 2 met + 1 unknown: the status cannot be decided.
    old = (_lab(date(2024, 7, 1), "CK", 140, 190),)
    cid = cid_at_latest_visit(_record((visit,), old), date(2024, 9, 5))
    assert cid.ck_date is None and cid.result is not None
    assert cid.result.printo_cid == "indeterminate"
    assert cid.to_dict()["missing"] == ["ck"]


def test_cid_ignores_visits_after_the_date() -> None:
    visit = Visit(PID, date(2024, 9, 1), cmas=50, mmt8=79, phga=0.1)
    assert cid_at_latest_visit(_record((visit,)), date(2024, 8, 31)).to_dict()["status"] == (
        "no_visit"
    )


def _full_visit(
    day: date, phga: float, parent: float, cmas: float, chaq: float, das: tuple[float, float]
) -> Visit:
    return Visit(
        PID,
        day,
        phga=phga,
        parent_global=parent,
        cmas=cmas,
        chaq=chaq,
        das_skin=das[0],
        das_muscle=das[1],
    )


def test_response_follows_the_paired_most_abnormal_enzyme() -> None:
    # Baseline CK 10x ULN and LDH 2x ULN; CK is not measured after the index date, so LDH
    # (the most abnormal enzyme measured at both times) is followed: 500 -> 250 = 50 %.
    visits = (
        _full_visit(date(2024, 2, 1), 6, 5, 30, 1.5, (5, 5)),
        _full_visit(date(2024, 6, 1), 3, 4, 36, 1.0, (2, 2)),
    )
    labs = (
        _lab(date(2024, 2, 1), "CK", 2000, 200),
        _lab(date(2024, 2, 1), "LDH", 500, 250),
        _lab(date(2024, 6, 1), "LDH", 250, 250),
    )
    view = response_since_index(_record(visits, labs), date(2024, 6, 2))
    assert view.status == "computed"
    resp = view.to_dict()  # the JSON the API and `--json` give
    assert resp["measures_used"]["enzyme_or_chq_phs"] == "LDH"
    assert resp["percent_improvement"]["enzyme_or_chq_phs"] == 50.0
    # range mode: PhGA 30 % -> 17.5; parent 10 % -> 2.5; CMAS 6/52 = 11.5 % -> 20;
    # CHAQ 16.7 % -> 7.5; LDH 50 % -> 7.5; DAS 10 -> 4 of 20 = 30 % -> 15. TIS 70.
    assert resp["tis"] == 70.0 and resp["jdm_category"] == "major"


def test_response_says_what_is_missing_and_where() -> None:
    visits = (
        Visit(PID, date(2024, 2, 1), phga=6, cmas=30),
        _full_visit(date(2024, 6, 1), 3, 4, 36, 1.0, (2, 2)),
    )
    resp = response_since_index(_record(visits), date(2024, 6, 2))
    assert resp.status == "not_available" and resp.result is None
    why = resp.why or ""
    assert "missing at baseline (2023-12-02 to 2024-03-01)" in why
    assert "parent global" in why and "CHAQ" in why and "DAS skin and muscle" in why
    assert "missing after the index date: a muscle enzyme" in why
    # a visit more than 90 days before the index date is not a baseline
    early = (Visit(PID, date(2023, 11, 1), phga=6),)
    assert "physician global" in (response_since_index(_record(early), date(2024, 6, 2)).why or "")
