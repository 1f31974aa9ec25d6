"""Dose checks of the other JDM drugs: worked examples at each edge of each row (published
dose, maximum, absolute cap), the body-size window, unsourced drugs and the seed child."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from myotrack.domain.model import DrugCourse, Patient, PatientRecord, Visit
from myotrack.therapy.drug_doses import ROWS, WEIGHT_WINDOW_DAYS, dose_checks

ON = date(2024, 6, 1)
PID = "P1"


def _rec(
    course: DrugCourse, *, weight: float = 20.0, height: float | None = 120.0, weighed: date = ON
) -> PatientRecord:
    visit = Visit(PID, weighed, weight_kg=weight, height_cm=height)
    return PatientRecord(
        patient=Patient(PID, "F", date(2015, 1, 1), "JDM"), visits=(visit,), courses=(course,)
    )


def _course(
    drug: str, dose: float | None, unit: str, freq: str | None, route: str = "oral"
) -> DrugCourse:
    return DrugCourse(
        PID, drug, ON - timedelta(days=10), dose=dose, dose_unit=unit, frequency=freq, route=route
    )


def _status(rec: PatientRecord, rule: str) -> str:
    (check,) = [c for c in dose_checks(rec, ON) if rule in c.name]
    return check.status


def test_every_row_has_a_source_and_status() -> None:
    for row in ROWS:
        assert row.source and row.status in ("VERIFIED", "SECONDARY", "UNVERIFIED")


@pytest.mark.parametrize(
    ("mg", "status"),
    [(100.0, "nothing_blocks"), (102.0, "blocks")],  # 20 kg: 5.0 vs 5.1 mg/kg/day
)
def test_hydroxychloroquine_5_mg_per_kg_actual_weight(mg: float, status: str) -> None:
    rec = _rec(_course("hydroxychloroquine", mg, "mg", "QD"))
    assert _status(rec, "aao_hcq") == status


def test_seed_child_hydroxychloroquine_200_mg_at_17_kg_is_above_the_maximum() -> None:
    from myotrack.cohort import DEMO_FOLDER, read_folder

    cohort, issues = read_folder(DEMO_FOLDER)
    assert cohort is not None, issues
    rec = cohort.records()["MDA5-case"]
    (hcq,) = [c for c in dose_checks(rec, date(2021, 9, 16)) if c.drug == "hydroxychloroquine"]
    # Strauss 2023: 200 mg/day; weight 17 kg on 13 Sep 2021 -> 11.8 mg/kg/day > 5.0
    assert hcq.status == "blocks" and "11.8 mg/kg/day" in hcq.message


@pytest.mark.parametrize(
    ("dose", "unit", "height", "weight", "status", "words"),
    [
        # BSA 120 cm x 20 kg: sqrt(2400/3600) = 0.8165 m²
        (20.0, "mg/m2", 120.0, 20.0, "nothing_blocks", "within"),
        (21.0, "mg/m2", 120.0, 20.0, "nothing_blocks", "above the published dose"),
        # BSA 180 cm x 80 kg = 2.0 m²: 20 mg/m² = 40 mg/week (at the cap), 20.5 -> 41 mg
        (20.0, "mg/m2", 180.0, 80.0, "nothing_blocks", "within"),
        (20.5, "mg/m2", 180.0, 80.0, "blocks", "above the maximum 40 mg per week"),
    ],
)
def test_methotrexate_share_dose_and_40_mg_cap(
    dose: float, unit: str, height: float, weight: float, status: str, words: str
) -> None:
    rec = _rec(_course("methotrexate", dose, unit, "weekly", "sc"), weight=weight, height=height)
    (check,) = dose_checks(rec, ON)
    assert check.status == status and words in check.message


@pytest.mark.parametrize(
    ("mg", "hinze", "note"),
    [
        (40.0, "nothing_blocks", False),  # 2 mg/kg at 20 kg
        (60.0, "nothing_blocks", False),  # at the SHARE cap (3 mg/kg: above dose)
        (61.0, "nothing_blocks", True),  # above 60 mg/day (SHARE, secondary): a note only
        (81.0, "blocks", True),  # above 80 mg/day (Hinze upper end, VERIFIED)
    ],
)
def test_prednisolone_caps(mg: float, hinze: str, note: bool) -> None:
    """The VERIFIED Hinze row decides; the secondary SHARE 60 mg/day is a note (lead's
    decision, 2026-12), never a check of its own."""
    rec = _rec(_course("prednisolone", mg, "mg", "QD"))
    assert _status(rec, "hinze_gc_daily") == hinze
    assert not [c for c in dose_checks(rec, ON) if "share_pred_secondary" in c.name]
    (check,) = dose_checks(rec, ON)
    assert ("note only" in check.message) == note


@pytest.mark.parametrize(
    ("mg_per_kg", "weight", "status"),
    [(30.0, 20.0, "nothing_blocks"), (31.0, 20.0, "nothing_blocks"), (30.0, 34.0, "blocks")],
)
def test_iv_methylprednisolone_1000_mg_cap(mg_per_kg: float, weight: float, status: str) -> None:
    # 30 mg/kg x 34 kg = 1020 mg > 1000 mg; 31 mg/kg at 20 kg = 620 mg: above dose, not cap
    rec = _rec(_course("methylprednisolone", mg_per_kg, "mg/kg", "QD", "iv"), weight=weight)
    assert _status(rec, "hinze_ivmp") == status


def test_oral_methylprednisolone_is_not_checked_against_iv_pulses() -> None:
    assert dose_checks(_rec(_course("methylprednisolone", 8, "mg", "QD")), ON) == []


@pytest.mark.parametrize(("g_per_kg", "status"), [(2.0, "nothing_blocks"), (2.1, "blocks")])
def test_ivig_2_g_per_kg_monthly(g_per_kg: float, status: str) -> None:
    rec = _rec(_course("ivig", g_per_kg, "g/kg", "monthly", "iv"))
    assert _status(rec, "ivig_2g") == status


@pytest.mark.parametrize(("mg_m2", "words"), [(1000.0, "within"), (1100.0, "above the published")])
def test_cyclophosphamide_range_top(mg_m2: float, words: str) -> None:
    rec = _rec(_course("cyclophosphamide", mg_m2, "mg/m2", "monthly", "iv"))
    (check,) = dose_checks(rec, ON)
    assert check.status == "nothing_blocks" and words in check.message


@pytest.mark.parametrize(
    ("combined_mg", "height", "weight", "status", "words"),
    [
        # BSA 2.0: 960 mg combined twice daily = 2 x 160 mg TMP = 320 mg/day = 160 mg/m²/day
        # (above 150), at the 320 mg/day limit (per-day row since the h13 review)
        (960.0, 180.0, 80.0, "nothing_blocks", "above the published dose"),
        # 1200 mg combined twice daily = 2 x 200 mg TMP = 400 mg/day > 320
        (1200.0, 180.0, 80.0, "blocks", "above the maximum 320 mg per day"),
        # BSA 0.8165: 360 mg combined twice daily = 120 mg TMP/day = 147 mg/m²/day: within
        (360.0, 120.0, 20.0, "nothing_blocks", "within"),
    ],
)
def test_cotrimoxazole_prophylaxis_trimethoprim_part(
    combined_mg: float, height: float, weight: float, status: str, words: str
) -> None:
    rec = _rec(_course("cotrimoxazole", combined_mg, "mg", "BID"), weight=weight, height=height)
    (check,) = dose_checks(rec, ON)
    assert check.status == status and words in check.message


def test_weight_window_edge() -> None:
    course = _course("hydroxychloroquine", 100, "mg", "QD")
    inside = _rec(course, weighed=ON - timedelta(days=WEIGHT_WINDOW_DAYS))
    outside = _rec(course, weighed=ON - timedelta(days=WEIGHT_WINDOW_DAYS + 1))
    assert _status(inside, "aao_hcq") == "nothing_blocks"
    (check,) = dose_checks(outside, ON)
    assert check.status == "cannot_assess"
    assert check.needs[0].name == "weight" and check.needs[0].problem == "out_of_window"


def test_missing_dose_or_frequency_cannot_assess() -> None:
    (no_dose,) = dose_checks(_rec(_course("hydroxychloroquine", None, "mg", "QD")), ON)
    (no_freq,) = dose_checks(_rec(_course("hydroxychloroquine", 100, "mg", None)), ON)
    assert no_dose.status == no_freq.status == "cannot_assess"
    assert {n.name for n in no_freq.needs} == {"frequency"}


def test_unsourced_drug_says_so_and_topical_is_skipped() -> None:
    (mmf,) = dose_checks(_rec(_course("mycophenolate", 600, "mg/m2", "BID")), ON)
    assert mmf.status == "cannot_assess" and "no sourced paediatric dose rule" in mmf.message
    assert dose_checks(_rec(_course("tacrolimus", None, "mg", None, "topical")), ON) == []
