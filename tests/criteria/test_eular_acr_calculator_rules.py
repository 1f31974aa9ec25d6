"""EULAR/ACR 2017: the Karolinska calculator's own rules (errata 2026-12 §7) as worked
examples at each edge: case > 50 % (score >= 5.3 / 6.5), trial inclusion > 90 % (>= 7.5 /
8.7), and 'not classifiable as IIM without biopsy features' whatever the score."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from myotrack.cli import app
from myotrack.criteria import eular_acr_2017 as ea


def _classify(items: list[str], *, age: float = 8, biopsy: bool = False) -> ea.EularAcrResult:
    return ea.classify(age_at_onset_years=age, muscle_biopsy_available=biopsy, items_present=items)


@pytest.mark.parametrize(
    ("items", "score", "case", "trial"),
    [
        # heliotrope 3.1 + Gottron papules 2.1 = 5.2: below the 5.3 case cut-off
        (["heliotrope", "gottron_papules"], "5.2", False, False),
        # heliotrope 3.1 + upper 0.7 + lower 0.8 + CK 1.3 = 5.9: probable, a case
        (
            ["heliotrope", "weak_prox_upper", "weak_prox_lower", "enzymes_elevated"],
            "5.9",
            True,
            False,
        ),
        # Gottron sign 3.3 + papules 2.1 = 5.4 (possible): a case (> 50 %), not a trial case
        (["gottron_sign", "gottron_papules"], "5.4", True, False),
        # heliotrope 3.1 + Gottron sign 3.3 + upper 0.7 = 7.1: probable, not trial
        (["heliotrope", "gottron_sign", "weak_prox_upper"], "7.1", True, False),
        # heliotrope 3.1 + Gottron sign 3.3 + dysphagia 0.7 + legs 0.9 = 8.0: definite -> trial
        (["heliotrope", "gottron_sign", "dysphagia", "legs_prox_lt_distal"], "8.0", True, True),
    ],
)
def test_case_and_trial_edges_without_biopsy(
    items: list[str], score: str, case: bool, trial: bool
) -> None:
    r = _classify(items)
    assert r.total_score == Decimal(score)
    assert r.classifiable
    assert r.is_case is case and r.trial_inclusion is trial


def test_score_5_3_is_a_case_by_score_but_not_by_the_unverified_probability() -> None:
    # Gottron sign 3.3 + upper 0.7 + CK 1.3 = 5.3 -> possible; P = 49.25 % (c = 5.33)
    r = _classify(["gottron_sign", "weak_prox_upper", "enzymes_elevated"])
    assert r.total_score == Decimal("5.3") and r.category == "possible"
    assert r.is_case
    assert r.probability == pytest.approx(0.4925, abs=5e-5)
    assert not r.case_by_probability


def test_trial_edge_7_4_and_7_5() -> None:
    # Gottron sign 3.3 + papules 2.1 + upper 0.7 + CK 1.3 = 7.4 (not trial); the decimal
    # edge 7.5 of the spec: age 30 (1.3) + upper 0.7 + legs 0.9 + Gottron sign 3.3 + CK 1.3.
    below = _classify(["gottron_sign", "gottron_papules", "weak_prox_upper", "enzymes_elevated"])
    assert below.total_score == Decimal("7.4") and not below.trial_inclusion
    at = _classify(
        ["weak_prox_upper", "legs_prox_lt_distal", "gottron_sign", "enzymes_elevated"], age=30
    )
    assert at.total_score == Decimal("7.5") and at.trial_inclusion


def test_with_biopsy_edges_6_4_6_5_8_6_8_7() -> None:
    # with biopsy: heliotrope 3.2 + perifascicular 1.9 + CK 1.4 = 6.5 (case)
    r = _classify(["heliotrope", "bx_perifascicular_atrophy", "enzymes_elevated"], biopsy=True)
    assert r.total_score == Decimal("6.5") and r.is_case and not r.trial_inclusion
    # heliotrope 3.2 + perimysial 1.2 + CK 1.4 = 5.8: below 6.5, not a case
    r = _classify(["heliotrope", "bx_perimysial_perivascular", "enzymes_elevated"], biopsy=True)
    assert r.total_score == Decimal("5.8") and not r.is_case
    # Gottron sign 3.7 + papules 2.7 + perimysial 1.2 + dysphagia 0.6 = 8.2: below 8.7
    r = _classify(
        ["gottron_sign", "gottron_papules", "bx_perimysial_perivascular", "dysphagia"],
        biopsy=True,
    )
    assert r.total_score == Decimal("8.2") and not r.trial_inclusion
    # Gottron sign 3.7 + heliotrope 3.2 + perifascicular 1.9 = 8.8: above 8.7, trial
    r = _classify(["gottron_sign", "heliotrope", "bx_perifascicular_atrophy"], biopsy=True)
    assert r.total_score == Decimal("8.8") and r.trial_inclusion


def test_no_skin_no_biopsy_is_not_classifiable_whatever_the_score() -> None:
    # adult anti-Jo-1 + weakness: 2.1 + 3.9 + 0.7 + 0.8 + 1.9 = 9.4 (definite band)
    r = _classify(
        ["anti_jo1", "weak_prox_upper", "weak_prox_lower", "neck_flexor_lt_extensor"], age=50
    )
    assert r.total_score == Decimal("9.4") and r.score_band == "definite"
    assert r.category == "not_classifiable"
    assert r.classification == "not classifiable as IIM without biopsy features"
    assert not r.is_case and not r.trial_inclusion and not r.case_by_probability
    assert r.subgroup is None
    assert any("not a classification" in a for a in r.assumptions)


def test_biopsy_done_but_no_biopsy_feature_and_no_skin_is_not_classifiable() -> None:
    r = _classify(
        ["anti_jo1", "weak_prox_upper", "weak_prox_lower", "neck_flexor_lt_extensor"],
        age=50,
        biopsy=True,
    )
    assert r.category == "not_classifiable" and "no biopsy feature" in r.assumptions[-1]


def test_no_skin_with_a_biopsy_feature_is_classifiable() -> None:
    r = _classify(
        ["anti_jo1", "weak_prox_upper", "weak_prox_lower", "bx_endomysial"], age=50, biopsy=True
    )
    # 2.2 + 3.8 + 0.7 + 0.5 + 1.7 = 8.9 -> definite, classified
    assert r.total_score == Decimal("8.9") and r.category == "definite" and r.trial_inclusion


def test_one_skin_sign_is_enough_to_classify_without_biopsy() -> None:
    r = _classify(["gottron_papules", "anti_jo1", "enzymes_elevated"])
    assert r.classifiable and r.total_score == Decimal("7.3") and r.category == "probable"


def test_calc_cli_shows_not_classifiable(tmp_path: Path) -> None:
    data = {
        "age_at_onset_years": 50,
        "muscle_biopsy_available": False,
        "items_present": ["anti_jo1", "weak_prox_upper", "weak_prox_lower"],
    }
    path = tmp_path / "in.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = CliRunner().invoke(app, ["calc", "eular_acr_2017", "--input", str(path)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["classification"] == "not classifiable as IIM without biopsy features"
    assert out["category"] == "not_classifiable" and out["case"] is False
    assert out["score_band"] == "definite"  # 2.1 + 3.9 + 0.7 + 0.8 = 7.5, named as a band
