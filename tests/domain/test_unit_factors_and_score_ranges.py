"""Clinical review: the unit-conversion factors and the allowed ranges of the visit scores
(worked examples).

* Catalytic activity: 1 U = 1 µmol/min, 1 kat = 1 mol/s, so 1 µkat/L = 60 U/L
  (shared/spec/criteria-therapy.md §8.1, VERIFIED).
* Haemoglobin: 1 g/dL = 10 g/L (definition of the decilitre).
* Lipids: the clinical-chemistry factors mg/dL = mmol/L x 38.67 (cholesterol, molar mass
  386.65 g/mol) and x 88.57 (triglycerides, conventional factor 0.01129 mmol/L per mg/dL).
* Visit score ranges (docs/cohort-format.md, following the instruments' published ranges,
  shared/spec/instruments.md): CMAS 0-52 (Huber 2004), MMT8 0-80 unilateral (Rider 2010),
  CDASI activity 0-100 and damage 0-32 (commonly quoted, UNVERIFIED in a retrieved source),
  DAS skin 0-9 and muscle 0-11 (Bode 2003), VAS 0-10 cm, CHAQ 0-3 (Singh 1994); body weight
  1-200 kg and height 40-220 cm are plausibility limits of the format.
"""

from __future__ import annotations

import pytest

from myotrack.domain.units import import_conversion, to_canonical
from myotrack.domain.vocab import VISIT_MEASURES


@pytest.mark.parametrize(
    ("analyte", "value", "unit", "expected"),
    [
        ("CK", 2.5, "µkat/L", 150.0),  # 2.5 x 60
        ("LDH", 5.37, "umol/(s*L)", 322.2),  # 5.37 x 60 (MDA5 case report, seed 003)
        ("hemoglobin", 125.0, "g/L", 12.5),  # 125 / 10
        ("total_cholesterol", 193.35, "mg/dL", 5.0),  # 193.35 / 38.67
        ("LDL", 116.01, "mg/dL", 3.0),  # 116.01 / 38.67
        ("triglycerides", 177.14, "mg/dL", 2.0),  # 177.14 / 88.57
    ],
)
def test_conversion_factors(analyte: str, value: float, unit: str, expected: float) -> None:
    assert to_canonical(analyte, value, unit) == pytest.approx(expected, abs=1e-9)


def test_import_stores_enzymes_in_u_per_l() -> None:
    """CK 0.26 µmol/(s*L) (the MDA5 case report) is stored as 0.26 x 60 = 15.6 U/L."""
    value, unit = import_conversion("CK", 0.26, "µmol/(s*L)")
    assert value == pytest.approx(15.6)
    assert unit == "U/L"


@pytest.mark.parametrize(
    ("measure", "low", "high", "whole"),
    [
        ("weight_kg", 1, 200, False),
        ("height_cm", 40, 220, False),
        ("cmas", 0, 52, True),
        ("mmt8", 0, 80, False),
        ("cdasi_activity", 0, 100, False),
        ("cdasi_damage", 0, 32, False),
        ("das_skin", 0, 9, False),
        ("das_muscle", 0, 11, False),
        ("phga", 0, 10, False),
        ("parent_global", 0, 10, False),
        ("chaq", 0, 3, False),
    ],
)
def test_visit_score_ranges(measure: str, low: float, high: float, whole: bool) -> None:
    assert VISIT_MEASURES[measure] == (low, high, whole)


def test_creatinine_mg_dl_to_umol_l() -> None:
    """1 mg/dL creatinine = 10 mg/L / 113.12 g/mol = 88.40 µmol/L; the KDIGO 2012 table's
    conventional factor is 88.4: 0.5 mg/dL (a child's creatinine) = 44.2 µmol/L."""
    assert to_canonical("creatinine", 0.5, "mg/dL") == pytest.approx(44.2, abs=1e-9)
    assert to_canonical("creatinine", 1.0, "mg/dL") == pytest.approx(10 / 113.12 * 1000, abs=0.01)
    assert to_canonical("creatinine", 44.2, "µmol/L") == 44.2


def test_egfr_has_one_unit_in_several_spellings() -> None:
    from myotrack.domain.units import canonical_unit, unit_choices

    assert canonical_unit("eGFR") == "mL/min/1.73m2"
    assert unit_choices("eGFR") == ("mL/min/1.73m²",)
    assert to_canonical("eGFR", 90.0, "mL/min/1.73 m²") == 90.0


def test_unit_choices_offer_each_unit_once() -> None:
    from myotrack.domain.units import accepted_units, unit_choices
    from myotrack.domain.vocab import QUANTITATIVE_ANALYTES

    for analyte in QUANTITATIVE_ANALYTES:
        choices = unit_choices(analyte)
        assert len(set(choices)) == len(choices)
        assert "µkat/L" not in choices or "ukat/L" not in choices
        assert set(choices) <= set(accepted_units(analyte))
