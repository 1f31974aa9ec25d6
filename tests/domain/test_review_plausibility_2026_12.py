"""Independent review (h13, December 2026) of the plausibility limits and the growth
reference added today, worked by hand.

* CDC 2000 growth charts (Kuczmarski RJ et al. Vital Health Stat 11(246), 2002), LMS rows
  read in public copies of wtage.csv / statage.csv during the review: boys 24.0 months
  weight L -0.20615245, M 12.6707633, S 0.108125811; at 240.0 months boys weight
  (-0.91648762, 70.59761453, 0.161476792), girls weight (-1.51336185, 58.21897289,
  0.166644749), boys stature (1.167279219, 176.8492322, 0.040369574).
* CDC "modified z-score": (value - M) / (half the distance from M to the value at z = +2,
  or z = -2 below the median); biologically implausible values (CDC SAS program `_cuts`,
  ports read in public code): weight-for-age below -5 or above 8, height-for-age below -5
  or above 4 — acceptable when -5 <= z <= upper, so the cut-offs themselves are plausible.
* Lab limits are DERIVED in the code (no published table): the test keeps their documented
  values and the unit hint they exist for.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from myotrack.domain.growth import judge_growth
from myotrack.domain.plausibility import judge_lab
from myotrack.domain.units import CREATININE_UMOL_PER_MG_DL, to_canonical


def _at(z: float, lam: float, mu: float, sigma: float) -> float:
    """The measurement at modified z-score `z` (CDC definition), by hand."""

    def value(zz: float) -> float:
        return float(mu * (1 + lam * sigma * zz) ** (1 / lam))

    half = (value(2) - mu) / 2 if z >= 0 else (mu - value(-2)) / 2
    return mu + z * half


BIRTH = date(2004, 6, 1)
AGE_20 = BIRTH + timedelta(days=7305)  # 7305 days = 240.0 months (365.25 / 12 per month)
BOY_WT_240 = (-0.91648762, 70.59761453, 0.161476792)
GIRL_WT_240 = (-1.51336185, 58.21897289, 0.166644749)
BOY_HT_240 = (1.167279219, 176.8492322, 0.040369574)


@pytest.mark.parametrize(
    ("measure", "sex", "lms", "z", "level"),
    [
        ("weight_kg", "M", BOY_WT_240, 7.95, "ok"),
        ("weight_kg", "M", BOY_WT_240, 8.05, "implausible"),
        ("weight_kg", "F", GIRL_WT_240, -4.95, "ok"),
        ("weight_kg", "F", GIRL_WT_240, -5.05, "implausible"),
        ("height_cm", "M", BOY_HT_240, 3.95, "ok"),
        ("height_cm", "M", BOY_HT_240, 4.05, "implausible"),
        ("height_cm", "M", BOY_HT_240, -4.95, "ok"),
        ("height_cm", "M", BOY_HT_240, -5.05, "implausible"),
    ],
)
def test_cdc_biv_cut_offs_at_20_years(
    measure: str, sex: str, lms: tuple[float, float, float], z: float, level: str
) -> None:
    value = _at(z, *lms)
    judged = judge_growth(measure, value, sex, BIRTH, AGE_20)
    assert judged is not None
    assert judged.z == pytest.approx(z, abs=1e-6)
    assert judged.level == level


@pytest.mark.parametrize(("z", "level"), [(0.0, "ok"), (-4.95, "ok"), (-5.05, "implausible")])
def test_cdc_boys_weight_at_24_months(z: float, level: str) -> None:
    """731 days = 24.02 months: the 24.0-month row (interpolation towards the next row moves
    the median by about 0.002 kg, far inside the 0.05 z margin used here)."""
    born = date(2020, 1, 1)
    value = _at(z, -0.20615245, 12.6707633, 0.108125811)
    judged = judge_growth("weight_kg", value, "M", born, born + timedelta(days=731))
    assert judged is not None and judged.level == level
    assert judged.z == pytest.approx(z, abs=0.02)


def test_weight_typed_in_grams_or_pounds_is_named() -> None:
    """A 4-year-old's 17 kg typed as 17000 (grams): far beyond every cut-off."""
    born = date(2017, 5, 15)
    judged = judge_growth("weight_kg", 17000.0, "M", born, date(2021, 9, 13))
    assert judged is not None and judged.level == "impossible"
    assert judged.likely_unit == "g"


@pytest.mark.parametrize(
    ("value", "unit", "level"),
    [
        (126.0, "g/dL", "impossible"),  # 126 g/L typed as g/dL (documented example)
        (126.0, "g/L", "ok"),
        (22.0, "g/dL", "ok"),  # documented soft limit: implausible above 22
        (22.1, "g/dL", "implausible"),
        (4.0, "g/dL", "ok"),  # implausible below 4
        (3.9, "g/dL", "implausible"),
        (30.0, "g/dL", "implausible"),  # impossible above 30
        (30.1, "g/dL", "impossible"),
        (0.5, "g/dL", "implausible"),  # impossible below 0.5
        (0.49, "g/dL", "impossible"),
    ],
)
def test_haemoglobin_limits_as_documented(value: float, unit: str, level: str) -> None:
    assert judge_lab("hemoglobin", value, unit).level == level


def test_haemoglobin_unit_mistake_names_g_per_litre() -> None:
    verdict = judge_lab("hemoglobin", 126.0, "g/dL")
    assert verdict.likely_unit == "g/L" and "g/L" in verdict.message


@pytest.mark.parametrize(
    ("value", "unit", "level"),
    [
        (0.4, "mg/dL", "ok"),  # 0.4 mg/dL = 35.36 umol/L, a child's value
        (0.4, "umol/L", "impossible"),  # the same number read as umol/L
        (10.0, "umol/L", "ok"),
        (9.9, "umol/L", "implausible"),
    ],
)
def test_creatinine_limits_and_the_88_4_factor(value: float, unit: str, level: str) -> None:
    assert judge_lab("creatinine", value, unit).level == level


def test_creatinine_conversion_by_hand() -> None:
    """1 mg/dL = 10 mg/L / 113.12 g/mol = 88.40 umol/L (KDIGO uses 88.4)."""
    assert to_canonical("creatinine", 0.4, "mg/dL") == pytest.approx(35.36)
    assert float(CREATININE_UMOL_PER_MG_DL) == pytest.approx(10 / 113.12 * 1000, abs=0.01)


@pytest.mark.parametrize(
    ("analyte", "value", "level"),
    [
        ("eGFR", 250.0, "ok"),
        ("eGFR", 251.0, "implausible"),
        ("lymphocytes", 100.0, "ok"),
        ("lymphocytes", 101.0, "implausible"),
        ("neutrophils", 100.0, "ok"),
        ("neutrophils", 101.0, "implausible"),
        ("neutrophils", 3500.0, "impossible"),  # 3500 /µL typed as 10^9/L
    ],
)
def test_egfr_and_count_limits_as_documented(analyte: str, value: float, level: str) -> None:
    unit = "mL/min/1.73m2" if analyte == "eGFR" else "10^9/L"
    assert judge_lab(analyte, value, unit).level == level


def test_enzyme_in_microkatal_is_sixty_units() -> None:
    """1 µkat/L = 1 µmol/s/L = 60 µmol/min/L = 60 U/L: the seed child's LDH 5.37 µkat/L is
    322.2 U/L."""
    assert to_canonical("LDH", 5.37, "µmol/(s*L)") == pytest.approx(322.2)


@pytest.mark.parametrize(
    ("measure", "lms", "z", "level"),
    [
        ("weight_kg", BOY_WT_240, 19.9, "implausible"),
        ("weight_kg", BOY_WT_240, 20.1, "impossible"),
        ("height_cm", BOY_HT_240, -11.9, "implausible"),
        ("height_cm", BOY_HT_240, -12.1, "impossible"),
    ],
)
def test_impossible_beyond_the_documented_z(
    measure: str, lms: tuple[float, float, float], z: float, level: str
) -> None:
    """DERIVED in the code (documented): |modified z| > 20 for weight, > 12 for height is
    impossible (a unit or typing mistake), between the CDC cut-off and it implausible."""
    judged = judge_growth(measure, _at(z, *lms), "M", BIRTH, AGE_20)
    assert judged is not None and judged.level == level
