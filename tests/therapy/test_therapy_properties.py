"""Property tests: dose bands monotone in weight/age, steroid conversion round trip,
catalogue coverage."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from myotrack.domain.vocab import JAK_INHIBITORS, KNOWN_DRUGS
from myotrack.therapy.catalogue import CATALOGUE, REQUIRED, lookup
from myotrack.therapy.dosing import RULES, suggest
from myotrack.therapy.glucocorticoids import (
    PREDNISOLONE_FACTORS,
    from_prednisolone,
    prednisolone_equivalent,
)

weights = st.floats(min_value=1, max_value=150, allow_nan=False)


@given(w1=weights, w2=weights)
def test_weight_band_dose_monotone_in_weight(w1: float, w2: float) -> None:
    lo, hi = sorted((w1, w2))
    for rule in RULES:
        if rule.basis != "weight_kg":
            continue
        for drug in rule.drugs:
            a = suggest(rule, drug, weight_kg=lo, age_years=10)
            b = suggest(rule, drug, weight_kg=hi, age_years=10)
            assert a is not None and b is not None
            if a.daily_mg is not None:
                assert b.daily_mg is not None and b.daily_mg >= a.daily_mg


# Up to < 18 y: the trial rules (REACH4, JUVE-BASIS) cover children aged < 18 years.
@given(a1=st.floats(min_value=6, max_value=17.99), a2=st.floats(min_value=6, max_value=17.99))
def test_age_band_dose_monotone_in_age(a1: float, a2: float) -> None:
    lo, hi = sorted((a1, a2))
    for rule in RULES:
        if rule.basis != "age_years":
            continue
        for drug in rule.drugs:
            a = suggest(rule, drug, weight_kg=None, age_years=lo)
            b = suggest(rule, drug, weight_kg=None, age_years=hi)
            assert a is not None and b is not None
            assert a.daily_mg is not None and b.daily_mg is not None
            assert b.daily_mg >= a.daily_mg


@given(
    drug=st.sampled_from(sorted(PREDNISOLONE_FACTORS)),
    dose=st.floats(min_value=0, max_value=2000, allow_nan=False),
)
def test_steroid_conversion_round_trip(drug: str, dose: float) -> None:
    pred = prednisolone_equivalent(drug, dose)
    back = from_prednisolone(drug, pred)
    assert abs(back - dose) <= 1e-9 * max(1.0, dose)
    assert pred >= 0


def test_every_cohort_drug_is_catalogued_with_a_source() -> None:
    assert set(KNOWN_DRUGS) | set(JAK_INHIBITORS) == set(REQUIRED)
    assert set(CATALOGUE) >= REQUIRED
    for drug in CATALOGUE.values():
        assert drug.atc_source and drug.rxnorm_source
        if drug.rxnorm is None:
            assert "UNVERIFIED" in drug.rxnorm_source
    for name in JAK_INHIBITORS:
        entry = lookup(name)
        assert entry is not None and entry.is_jak_inhibitor
    assert lookup(" Prednisolone ") is CATALOGUE["prednisolone"]
    assert lookup("unknown-drug") is None
    # spec §9.3 codes
    assert CATALOGUE["tofacitinib"].atc == "L04AF01"
    assert CATALOGUE["azathioprine"].rxnorm == "1256"
    assert [CATALOGUE[d].rxnorm for d in ("tofacitinib", "ruxolitinib", "baricitinib")] == [
        "1357536",
        "1193326",
        "2047232",
    ]
    assert "SECONDARY" in CATALOGUE["tofacitinib"].rxnorm_source
