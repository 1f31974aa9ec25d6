"""Independent review (h13, December 2026) of the EULAR/ACR 2017 calculator rules added
today, worked by hand at every score cut-off from the sources, not from the code.

* Score cut-offs (Lundberg IE et al. Ann Rheum Dis 2017 abstract; spec §2.3, errata §7):
  without biopsy possible 5.3-5.4, probable >= 5.5, definite >= 7.5, not IIM < 5.3; with
  biopsy 6.5-6.6, >= 6.7, >= 8.7, < 6.5.
* Weights (Bottai M et al. RMD Open 2017 Table 1; spec §2.2), without | with biopsy:
  heliotrope 3.1|3.2, Gottron's papules 2.1|2.7, Gottron's sign 3.3|3.7, proximal upper
  0.7|0.7, proximal lower 0.8|0.5, neck flexors 1.9|1.6, legs proximal < distal 0.9|1.2,
  dysphagia 0.7|0.6, anti-Jo-1 3.9|3.8, enzymes 1.3|1.4, perimysial 1.2, perifascicular
  atrophy 1.9, endomysial 1.7; age >= 18 and < 40: 1.3|1.5; >= 40: 2.1|2.2.
* Karolinska calculator instructions (errata §7): a case when the probability is "greater
  than 50 %" (the score band "possible" and above); trial inclusion "greater than 90 %"
  (definite); "if heliotrope rash, Gottron's papules or Gottron's sign are not present,
  muscle biopsy features should be present" to classify as IIM.
"""

from __future__ import annotations

import pytest

from myotrack.criteria.eular_acr_2017 import NOT_CLASSIFIABLE, classify

# (items, biopsy, hand sum, band, case, trial)
EDGES = [
    # without biopsy
    (("heliotrope", "gottron_papules"), False, "5.2", "not_IIM", False, False),
    (
        ("gottron_sign", "weak_prox_upper", "enzymes_elevated"),
        False,
        "5.3",
        "possible",
        True,
        False,
    ),
    (("gottron_sign", "gottron_papules"), False, "5.4", "possible", True, False),
    (
        ("gottron_sign", "legs_prox_lt_distal", "enzymes_elevated"),
        False,
        "5.5",
        "probable",
        True,
        False,
    ),
    (
        ("gottron_sign", "gottron_papules", "enzymes_elevated", "weak_prox_upper"),
        False,
        "7.4",
        "probable",
        True,
        False,
    ),
    (
        ("gottron_sign", "gottron_papules", "enzymes_elevated", "weak_prox_lower"),
        False,
        "7.5",
        "definite",
        True,
        True,
    ),
    # with biopsy
    (("heliotrope", "gottron_papules", "weak_prox_lower"), True, "6.4", "not_IIM", False, False),
    (
        ("heliotrope", "bx_perifascicular_atrophy", "enzymes_elevated"),
        True,
        "6.5",
        "possible",
        True,
        False,
    ),
    (("heliotrope", "gottron_papules", "weak_prox_upper"), True, "6.6", "possible", True, False),
    (
        ("gottron_papules", "bx_perifascicular_atrophy", "enzymes_elevated", "weak_prox_upper"),
        True,
        "6.7",
        "probable",
        True,
        False,
    ),
    (
        ("heliotrope", "gottron_sign", "bx_perimysial_perivascular", "weak_prox_lower"),
        True,
        "8.6",
        "probable",
        True,
        False,
    ),
    (
        ("gottron_sign", "heliotrope", "weak_prox_upper", "dysphagia", "weak_prox_lower"),
        True,
        "8.7",
        "definite",
        True,
        True,
    ),
]


@pytest.mark.parametrize(("items", "biopsy", "total", "band", "case", "trial"), EDGES)
def test_every_published_cut_off_by_hand(
    items: tuple[str, ...], biopsy: bool, total: str, band: str, case: bool, trial: bool
) -> None:
    r = classify(age_at_onset_years=8, muscle_biopsy_available=biopsy, items_present=items)
    assert str(r.total_score) == total
    assert r.category == band and r.score_band == band
    assert r.is_case is case and r.trial_inclusion is trial


@pytest.mark.parametrize(
    ("age", "biopsy", "added"),
    [
        (17.99, False, "0.0"),
        (18.0, False, "1.3"),
        (39.99, True, "1.5"),
        (40.0, False, "2.1"),
        (40.0, True, "2.2"),
    ],
)
def test_age_at_onset_items(age: float, biopsy: bool, added: str) -> None:
    """ ">= 18 and < 40" and ">= 40": 18.0 and 40.0 belong to the higher band."""
    base = classify(
        age_at_onset_years=8, muscle_biopsy_available=biopsy, items_present=["heliotrope"]
    )
    r = classify(
        age_at_onset_years=age, muscle_biopsy_available=biopsy, items_present=["heliotrope"]
    )
    assert str(r.total_score - base.total_score) == added


def test_no_skin_sign_and_no_biopsy_is_not_classifiable_whatever_the_score() -> None:
    """anti-Jo-1 3.9 + neck flexors 1.9 + enzymes 1.3 + proximal upper 0.7 = 7.8 (the score
    band of "definite") but no heliotrope/Gottron and no biopsy: not classifiable, not a
    case, no subgroup."""
    r = classify(
        age_at_onset_years=10,
        muscle_biopsy_available=False,
        items_present=[
            "anti_jo1",
            "neck_flexor_lt_extensor",
            "enzymes_elevated",
            "weak_prox_upper",
        ],
    )
    assert str(r.total_score) == "7.8" and r.score_band == "definite"
    assert r.category == NOT_CLASSIFIABLE and not r.is_case and not r.trial_inclusion
    assert r.subgroup is None and "not classifiable" in r.classification


def test_biopsy_done_without_features_and_no_skin_is_not_classifiable() -> None:
    r = classify(
        age_at_onset_years=10,
        muscle_biopsy_available=True,
        items_present=["anti_jo1", "neck_flexor_lt_extensor", "enzymes_elevated"],
    )
    assert r.category == NOT_CLASSIFIABLE


def test_biopsy_features_without_skin_signs_classify() -> None:
    """Perifascicular atrophy 1.9 + anti-Jo-1 3.8 + enzymes 1.4 (with biopsy) = 7.1 >= 6.7:
    probable; a child without a DM skin item -> juvenile myositis other than JDM."""
    r = classify(
        age_at_onset_years=10,
        muscle_biopsy_available=True,
        items_present=["bx_perifascicular_atrophy", "anti_jo1", "enzymes_elevated"],
    )
    assert str(r.total_score) == "7.1" and r.category == "probable" and r.is_case
    assert r.subgroup == "juvenile myositis other than JDM"
