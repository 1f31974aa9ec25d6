"""Doses that can be given, the baricitinib label (errata 2026-12 §8a) and the JUVE-BASIS
trial kept apart, with worked examples at each edge.

Oracles: the label and paper texts quoted in therapy/dosing.py and therapy/formulations.py —
Olumiant EU leaflet: >= 30 kg 4 mg once daily, 10 to < 30 kg 2 mg once daily, "do not give
... younger than 2 years", halve for reduced kidney function and with probenecid;
JUVE-BASIS (Ramanan, Lancet 2023): >= 9 y 4 mg, < 9 y 2 mg; Xeljanz 5 mg tablets and 1 mg/mL
oral solution; Jakavi 5/10/15/20 mg tablets (Jakafi also 25 mg) and 5 mg/mL solution;
Olumiant 1/2/4 mg tablets; bedside Schwartz eGFR = 0.413 x height / creatinine (mg/dL)."""

from __future__ import annotations

import pytest

from myotrack.therapy.dosing import (
    BARICITINIB_EU_JIA,
    DING_2021,
    JUVE_BASIS,
    TOFACITINIB_PCJIA,
    baricitinib_adjusted,
    baricitinib_kidney,
    bedside_schwartz,
    suggest,
    suggestions,
)
from myotrack.therapy.formulations import FORMULATIONS, givable


@pytest.mark.parametrize(
    ("weight", "age", "mg"),
    [
        (9.9, 5.0, None),  # < 10 kg: not covered by the label
        (10.0, 5.0, 2.0),  # "10 kg to < 30 kg": 2 mg once daily
        (29.9, 9.0, 2.0),
        (30.0, 9.0, 4.0),  # ">= 30 kg": 4 mg once daily
        (30.1, 9.0, 4.0),
    ],
)
def test_baricitinib_eu_label_bands_confirmed(weight: float, age: float, mg: float | None) -> None:
    s = suggest(BARICITINIB_EU_JIA, "baricitinib", weight_kg=weight, age_years=age)
    assert s is not None and s.dose_mg == mg
    assert s.status == "CONFIRMED" and s.kind == "label"
    if mg is not None:
        assert s.frequency == "QD"


def test_baricitinib_not_given_under_two_years() -> None:
    """EU leaflet: "Do not give this medicine to children younger than 2 years" — a 12 kg
    child of 1.99 y: not to be given (a do-not rule); at 2.0 y: 2 mg once daily."""
    young = suggest(BARICITINIB_EU_JIA, "baricitinib", weight_kg=12, age_years=1.99)
    assert young is not None and young.dose_mg is None and young.do_not_give
    two = suggest(BARICITINIB_EU_JIA, "baricitinib", weight_kg=12, age_years=2.0)
    assert two is not None and two.dose_mg == 2.0 and not two.do_not_give
    # Tofacitinib's label says "not established" below 2 years: no do-not rule.
    tofa = suggest(TOFACITINIB_PCJIA, "tofacitinib", weight_kg=12, age_years=1.99)
    assert tofa is not None and tofa.dose_mg is None and not tofa.do_not_give


@pytest.mark.parametrize(
    ("age", "mg"),
    [(1.99, None), (2.0, 2.0), (8.99, 2.0), (9.0, 4.0), (17.99, 4.0), (18.0, None)],
)
def test_juve_basis_by_age(age: float, mg: float | None) -> None:
    s = suggest(JUVE_BASIS, "baricitinib", weight_kg=None, age_years=age)
    assert s is not None and s.dose_mg == mg and s.kind == "trial"
    assert "Ramanan" in s.source and "trial" in s.title.lower()


def test_trial_and_label_are_separate_suggestions_that_can_disagree() -> None:
    """Errata §8a: a 10-year-old of 25 kg gets 4 mg in the trial, 2 mg by the label; a
    7-year-old of 32 kg gets 2 mg in the trial, 4 mg by the label. Both are shown, each
    named, never merged into one."""
    by_rule = {
        s.rule_id: s.dose_mg
        for s in suggestions("baricitinib", weight_kg=25, age_years=10, bsa_m2=None)
    }
    assert by_rule == {"baricitinib_eu_jia": 2.0, "juve_basis_2023": 4.0}
    by_rule = {
        s.rule_id: s.dose_mg
        for s in suggestions("baricitinib", weight_kg=32, age_years=7, bsa_m2=None)
    }
    assert by_rule == {"baricitinib_eu_jia": 4.0, "juve_basis_2023": 2.0}


@pytest.mark.parametrize(
    ("egfr", "band", "mg"),
    [
        (60.1, "normal", 4.0),
        (60.0, "reduced", 2.0),  # adult wording "between 30 and 60": 60 halves
        (30.0, "reduced", 2.0),
        (29.9, "not_recommended", None),
    ],
)
def test_baricitinib_kidney_halving(egfr: float, band: str, mg: float | None) -> None:
    assert baricitinib_kidney(egfr) == band
    dose, words = baricitinib_adjusted(4.0, kidney=baricitinib_kidney(egfr), probenecid=False)
    assert dose == mg
    if band == "reduced":
        assert "halved" in words and "kidney" in words


def test_baricitinib_probenecid_halves_once() -> None:
    assert baricitinib_adjusted(2.0, kidney="normal", probenecid=True)[0] == 1.0
    # Both: halved once (the leaflet does not say twice; an assumption in the output).
    assert baricitinib_adjusted(4.0, kidney="reduced", probenecid=True)[0] == 2.0


def test_bedside_schwartz_worked_example() -> None:
    """110 cm, creatinine 0.4 mg/dL (35.36 umol/L): 0.413 x 110 / 0.4 = 113.575."""
    assert bedside_schwartz(110, 35.36) == pytest.approx(113.575, abs=1e-6)


@pytest.mark.parametrize(
    ("drug", "mg", "tablet", "solution"),
    [
        # Tofacitinib 3.2 mg (label, 10-<20 kg): no 3.2 mg tablet; 3.2 mL of 1 mg/mL.
        ("tofacitinib", 3.2, None, 3.2),
        ("tofacitinib", 5.0, 5.0, 5.0),
        # Ruxolitinib 2.86 mg (4 mg/m2 x 0.715 m2): rounded down to 0.5 mL steps of 5 mg/mL
        # (0.1 mL) -> 2.5 mg; no tablet below 5 mg.
        ("ruxolitinib", 2.86, None, 2.5),
        ("ruxolitinib", 2.5, None, 2.5),
        # 15 mg: one 15 mg tablet; 25 mg: the US 25 mg tablet.
        ("ruxolitinib", 15.0, 15.0, 15.0),
        ("ruxolitinib", 25.0, 25.0, 25.0),
        # Baricitinib 1 mg (halved 2 mg): the 1 mg tablet; no marketed solution.
        ("baricitinib", 1.0, 1.0, None),
        ("baricitinib", 3.0, 3.0, None),  # 2 mg + 1 mg
    ],
)
def test_doses_rounded_down_to_what_products_allow(
    drug: str, mg: float, tablet: float | None, solution: float | None
) -> None:
    found = {g.form: g for g in givable(drug, mg)}
    assert found["tablet"].dose_mg == tablet
    if tablet is None:
        assert "cannot be given as tablets" in found["tablet"].text
    if solution is None:
        assert "oral_solution" not in found
    else:
        dose_mg = found["oral_solution"].dose_mg
        assert dose_mg == pytest.approx(solution)
        assert dose_mg is not None and dose_mg <= mg + 1e-9  # never rounded up


def test_every_product_row_names_its_source_and_unverified_ones_are_off() -> None:
    for f in FORMULATIONS:
        assert f.source
        if f.status != "VERIFIED":
            assert not f.enabled


def test_population_statements() -> None:
    """Ding 2021 gives the mean age (7.2 +/- 4.0 y) and weight bands, not the youngest or
    smallest child: the suggestion says so rather than inventing a range. The tofacitinib
    label starts at 10 kg: a 9 kg child is outside it."""
    s = suggest(DING_2021, "ruxolitinib", weight_kg=17.4, age_years=4.4)
    assert s is not None
    assert any("7.2 ± 4.0" in o and "not given" in o for o in s.outside)
    t = suggest(TOFACITINIB_PCJIA, "tofacitinib", weight_kg=9.0, age_years=3)
    assert t is not None and any("less than the 10 kg" in o for o in t.outside)


@pytest.mark.parametrize(
    ("age", "bsa", "mg"),
    [
        (27 / 365.25, 0.25, None),  # under 28 days: not covered
        (28 / 365.25, 0.25, 2.0),  # 8 mg/m2 x 0.25 m2 = 2.0 mg twice daily
        (5.99, 0.8, 6.4),  # 8 x 0.8 = 6.4 mg twice daily
        (6.0, None, 5.0),
        (11.99, None, 5.0),
        (12.0, None, 10.0),
    ],
)
def test_ruxolitinib_eu_label_by_age(age: float, bsa: float | None, mg: float | None) -> None:
    """Jakavi EU SmPC 2025 Tables 1-2 (SECONDARY reproduction): >= 12 y 10 mg BID; 6-<12 y
    5 mg BID; 28 days-<6 y 8 mg/m2 BID — shown beside REACH4's 4 mg/m2, never merged."""
    from myotrack.therapy.dosing import RUXOLITINIB_EU_GVHD

    s = suggest(RUXOLITINIB_EU_GVHD, "ruxolitinib", weight_kg=None, age_years=age, bsa_m2=bsa)
    assert s is not None and s.dose_mg == (None if mg is None else pytest.approx(mg))
    if mg is not None:
        assert s.frequency == "BID"
