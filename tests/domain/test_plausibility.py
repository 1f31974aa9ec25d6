"""Plausibility of lab values and visit measures (domain.plausibility, domain.growth):
worked examples at the limits, each with the unit mistake it names."""

from __future__ import annotations

from datetime import date

import pytest

from myotrack.domain import units, vocab
from myotrack.domain.growth import lms, modified_z
from myotrack.domain.plausibility import (
    IMPLAUSIBLE_RULE,
    IMPOSSIBLE_RULE,
    LAB_LIMITS,
    judge_lab,
    judge_measure,
)


def test_haemoglobin_126_g_dl_is_impossible_and_names_g_l() -> None:
    """Issue 9: 126 typed with g/dL (meant g/L) was stored and counted normal."""
    verdict = judge_lab("hemoglobin", 126, "g/dL")
    assert verdict.level == "impossible"
    assert verdict.rule == IMPOSSIBLE_RULE
    assert verdict.likely_unit == "g/L"
    assert "126 g/dL" in verdict.message and "g/L?" in verdict.message
    assert judge_lab("hemoglobin", 126, "g/L").ok
    assert judge_lab("hemoglobin", 12.6, "g/dL").ok


def test_haemoglobin_in_g_l_typed_as_g_dl_value_is_implausible() -> None:
    verdict = judge_lab("hemoglobin", 12.6, "g/L")  # 1.26 g/dL
    assert verdict.level == "implausible"
    assert verdict.rule == IMPLAUSIBLE_RULE
    assert verdict.likely_unit == "g/dL"


@pytest.mark.parametrize(
    ("analyte", "value", "unit", "level", "likely"),
    [
        ("hemoglobin", 30, "g/dL", "implausible", None),  # at the hard limit: not beyond
        ("hemoglobin", 30.1, "g/dL", "impossible", None),  # 3.01 g/dL would be unusual too
        ("hemoglobin", 95, "g/dL", "impossible", "g/L"),
        ("hemoglobin", 22, "g/dL", "ok", None),
        ("platelets", 250_000, "10^9/L", "impossible", "cells/µL"),
        ("lymphocytes", 800, "10^9/L", "implausible", "cells/µL"),
        ("creatinine", 0.4, "umol/L", "impossible", "mg/dL"),  # 0.4 mg/dL = 35.4 µmol/L
        ("creatinine", 0.4, "mg/dL", "ok", None),
        ("total_cholesterol", 190, "mmol/L", "impossible", "mg/dL"),
        ("ESR", 200, "mm/h", "implausible", None),
        ("ESR", 201, "mm/h", "impossible", None),  # the Westergren tube is 200 mm
        ("CK", 150_000, "U/L", "implausible", None),
        ("CK", 2500, "µkat/L", "implausible", "U/L"),  # 150 000 U/L; 2500 U/L is usual
        ("IFN_score", 9999, "score", "ok", None),  # no limits for a method-bound score
    ],
)
def test_lab_limits(analyte: str, value: float, unit: str, level: str, likely: str | None) -> None:
    verdict = judge_lab(analyte, value, unit)
    assert verdict.level == level, verdict
    assert verdict.likely_unit == likely


def test_every_row_is_consistent_and_sourced() -> None:
    for analyte, row in LAB_LIMITS.items():
        assert analyte in vocab.QUANTITATIVE_ANALYTES
        assert row.source and row.evidence
        bounds = [
            row.impossible_below,
            row.implausible_below,
            row.implausible_above,
            row.impossible_above,
        ]
        present = [b for b in bounds if b is not None]
        assert present == sorted(present), analyte


def test_every_accepted_unit_can_be_judged() -> None:
    for analyte in vocab.QUANTITATIVE_ANALYTES:
        for unit in units.accepted_units(analyte):
            judge_lab(analyte, 1.0, unit)  # no KeyError


def test_lms_modified_z_worked_example() -> None:
    """CDC 2000 weight-for-age, boys, 48.5 months: L -0.915241589, M 16.31676727,
    S 0.11995532. The value at z=+2 is M(1+2LS)^(1/L) = 21.393 kg, so one modified-z unit
    above the median is (21.393 - 16.317)/2 = 2.538 kg: 21.393 kg has modified z 2."""
    lam, mu, sigma = lms("weight_kg", "M", 48.5)
    assert (lam, mu, sigma) == (-0.915241589, 16.31676727, 0.11995532)
    at_plus_2 = mu * (1 + lam * sigma * 2) ** (1 / lam)
    assert at_plus_2 == pytest.approx(21.393, abs=0.001)
    assert modified_z(at_plus_2, lam, mu, sigma) == pytest.approx(2.0)
    assert modified_z(mu, lam, mu, sigma) == 0


BIRTH = date(2016, 1, 1)
FOUR_YEARS = date(2020, 1, 15)


def test_weight_for_age() -> None:
    assert judge_measure("weight_kg", 16, sex="M", birth_date=BIRTH, on=FOUR_YEARS).ok
    wrong = judge_measure("weight_kg", 145, sex="M", birth_date=BIRTH, on=FOUR_YEARS)
    assert wrong.level == "impossible"
    assert "CDC 2000" in wrong.message
    # without birth date or sex there is no judgement beyond the field range
    assert judge_measure("weight_kg", 145).ok


def test_height_in_inches_is_named() -> None:
    verdict = judge_measure("height_cm", 40.2, sex="F", birth_date=BIRTH, on=FOUR_YEARS)
    assert verdict.level == "impossible"
    assert verdict.likely_unit == "inches"


def test_height_beyond_cdc_cutoff_is_implausible() -> None:
    """CDC BIV cut-off for height-for-age is modified z > +4: a 4-year-old boy of 125 cm
    (median about 102 cm) is beyond it but not beyond the impossible limit."""
    verdict = judge_measure("height_cm", 125, sex="M", birth_date=BIRTH, on=FOUR_YEARS)
    assert verdict.level == "implausible"


def test_scores_are_not_judged_for_age() -> None:
    assert judge_measure("cmas", 52, sex="M", birth_date=BIRTH, on=FOUR_YEARS).ok
