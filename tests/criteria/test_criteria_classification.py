"""Bohan & Peter and 2017 EULAR/ACR against the shared test vectors
(shared/spec/criteria-therapy-testvectors.json) plus worked examples."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from myotrack.criteria import CALCULATORS, bohan_peter, eular_acr_2017

# Copy of shared/spec/criteria-therapy-testvectors.json, the one in tests/data (README.md).
VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).parents[1] / "data" / "criteria-therapy-testvectors.json").read_text()
)


def _cases(section: str) -> list[Any]:
    return list(VECTORS.get(section, []))


@pytest.mark.parametrize("case", _cases("bohan_peter"), ids=lambda c: c["id"])
def test_bohan_peter_vectors(case: dict[str, Any]) -> None:
    inp = {k: bool(v) for k, v in case["input"].items()}
    assert bohan_peter.classify(**inp).label == case["expected"]


def test_bohan_peter_counts_only_muscle_criteria() -> None:
    r = bohan_peter.classify(
        symmetric_proximal_weakness=True,
        elevated_muscle_enzymes=False,
        myopathic_emg=True,
        biopsy_consistent=True,
        typical_dm_rash=False,
        exclusion_present=False,
    )
    assert (r.disease, r.level, r.criteria_met) == ("PM", "probable", 3)


def test_bohan_peter_calculator_accepts_json_like_input() -> None:
    calc = CALCULATORS["bohan_peter"]
    data = calc.input_model.model_validate(
        {
            "symmetric_proximal_weakness": True,
            "elevated_muscle_enzymes": True,
            "myopathic_emg": False,
            "biopsy_consistent": False,
            "typical_dm_rash": True,
            "exclusion_present": False,
        }
    )
    out = calc.compute(data)
    assert out["category"] == "DM probable"
    assert out["assumptions"] == []


@pytest.mark.parametrize("case", _cases("eular_acr_2017"), ids=lambda c: c["id"])
def test_eular_acr_vectors(case: dict[str, Any]) -> None:
    inp, exp = case["input"], case["expected"]
    r = eular_acr_2017.classify(
        age_at_onset_years=inp["age_at_onset_years"],
        muscle_biopsy_available=inp["muscle_biopsy_available"],
        items_present=inp["items_present"],
    )
    assert r.total_score == Decimal(str(exp["total_score"]))
    assert r.probability == pytest.approx(exp["probability_using_UNVERIFIED_constant"], abs=5e-5)
    assert r.score_band == exp["category_by_published_score_cutoffs"]
    if r.classifiable:
        assert r.category == r.score_band
        assert r.category_by_probability == exp["category_by_probability"]
    else:  # EA-4: no skin sign, no biopsy: never a category, whatever the score
        assert r.category == r.category_by_probability == "not_classifiable"
    expected_group = exp["subgroup_per_tree_PARTIALLY_VERIFIED"]
    if r.category in ("probable", "definite"):
        assert r.subgroup is not None
        assert expected_group.startswith(r.subgroup.split(" (")[0])
    else:
        # possible / not IIM: not sub-classified (tree applies from probability >= 55 %)
        assert r.subgroup is None


def test_eular_acr_decimal_sum_keeps_boundary() -> None:
    # Age 30 (1.3) + Gottron sign 3.3 + upper 0.7 + legs 0.9 + enzymes 1.3: a float
    # running sum gives 7.4999..., which would miss the 7.5 "definite" cut-off.
    weights = [1.3, 0.7, 0.9, 3.3, 1.3]
    running = 0.0
    for w in weights:
        running += w
    assert running < 7.5
    r = eular_acr_2017.classify(
        age_at_onset_years=30,
        muscle_biopsy_available=False,
        items_present=[
            "weak_prox_upper",
            "legs_prox_lt_distal",
            "gottron_sign",
            "enzymes_elevated",
        ],
    )
    assert r.total_score == Decimal("7.5")
    assert r.category == "definite"


def test_eular_acr_age_item_derived_and_checked() -> None:
    r = eular_acr_2017.classify(
        age_at_onset_years=30, muscle_biopsy_available=True, items_present=["heliotrope"]
    )
    assert r.total_score == Decimal("1.5") + Decimal("3.2")
    with pytest.raises(ValueError, match="disagrees"):
        eular_acr_2017.classify(
            age_at_onset_years=30, muscle_biopsy_available=False, items_present=["age_ge40"]
        )


def test_eular_acr_biopsy_item_without_biopsy_is_an_error() -> None:
    with pytest.raises(ValueError, match="no muscle biopsy"):
        eular_acr_2017.classify(
            age_at_onset_years=8,
            muscle_biopsy_available=False,
            items_present=["bx_rimmed_vacuoles"],
        )


def test_eular_acr_no_skin_no_biopsy_flags_biopsy_required() -> None:
    # Adult, no rash, no biopsy, anti-Jo-1 + weakness: 2.1+3.9+0.7+0.8+1.9 = 9.4 definite by
    # score, but without a DM skin item a biopsy is required (KI calculator instructions).
    r = eular_acr_2017.classify(
        age_at_onset_years=50,
        muscle_biopsy_available=False,
        items_present=["anti_jo1", "weak_prox_upper", "weak_prox_lower", "neck_flexor_lt_extensor"],
    )
    assert r.total_score == Decimal("9.4")
    assert r.biopsy_required_but_missing
    assert r.subgroup is None


def test_eular_acr_adult_subgroups() -> None:
    # Adult, weakness, no rash, no vacuoles -> PM (IMNM grouped with PM).
    r = eular_acr_2017.classify(
        age_at_onset_years=45,
        muscle_biopsy_available=True,
        items_present=["weak_prox_upper", "weak_prox_lower", "enzymes_elevated", "bx_endomysial"],
    )
    # 2.2 + 0.7 + 0.5 + 1.4 + 1.7 = 6.5 -> possible with biopsy: not sub-classified
    assert r.total_score == Decimal("6.5") and r.category == "possible" and r.subgroup is None
    r = eular_acr_2017.classify(
        age_at_onset_years=45,
        muscle_biopsy_available=True,
        items_present=[
            "weak_prox_upper",
            "weak_prox_lower",
            "enzymes_elevated",
            "bx_endomysial",
            "neck_flexor_lt_extensor",
        ],
    )
    assert r.total_score == Decimal("8.1") and r.subgroup == "PM (includes IMNM)"
    # Adult, no weakness, heliotrope + Gottron sign -> amyopathic DM. 2.1+3.1+3.3 = 8.5
    r = eular_acr_2017.classify(
        age_at_onset_years=50,
        muscle_biopsy_available=False,
        items_present=["heliotrope", "gottron_sign"],
    )
    assert r.total_score == Decimal("8.5") and r.subgroup == "ADM"


def test_eular_acr_calculator_output() -> None:
    calc = CALCULATORS["eular_acr_2017"]
    data = calc.input_model.model_validate(
        {
            "age_at_onset_years": 8,
            "muscle_biopsy_available": False,
            "items_present": [
                "heliotrope",
                "gottron_papules",
                "weak_prox_upper",
                "weak_prox_lower",
                "enzymes_elevated",
            ],
        }
    )
    out = calc.compute(data)
    assert out["total_score"] == 8.0
    assert out["category"] == "definite"
    assert out["probability"] == 0.9352
    assert out["subgroup"] == "JDM"
    assert any("UNVERIFIED" in a for a in out["assumptions"])
    with pytest.raises(ValueError):
        calc.input_model.model_validate(
            {"age_at_onset_years": 8, "muscle_biopsy_available": False, "items_present": ["x"]}
        )
