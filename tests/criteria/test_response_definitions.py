"""Clinical review: the percentages, counts and ranges of the IMACS 2004 and PRINTO 2010
response definitions, the TIS percent-change ranges and the JDMAI maxima, at their boundaries
(worked examples).

Sources (shared/spec/instruments.md):
* IMACS preliminary definition of improvement, Rider LG et al. Arthritis Rheum 2004;50:2281
  (§11, VERIFIED): >= 3 of any 6 core set measures improved by >= 20 %, no more than 2 worse
  by >= 25 %, and MMT not among the worsened.
* PRINTO 20 (Ruperto N et al. Lancet 2016;387:671): >= 20 % improvement in 3 of the 6 PRINTO
  core set variables (§11, VERIFIED); 50/70/90 the same construction. Worsening clause
  (<= 1 other variable worse by > 30 %, not muscle strength) UNVERIFIED, off by default.
* TIS percent change, change_mode "range" (§10.4, UNVERIFIED reading, named option): change /
  full range x 100 with VAS 10 cm, CHAQ 3, CMAS 52, MMT8 80 (or 150 bilateral), DAS 20.
* JDMAI1 0-40, JDMAI2 0-39 (Rosina S et al. RMD Open 2024;10:e003093, §12.3).
"""

from __future__ import annotations

import pytest

from myotrack.criteria import imacs_2004, jdmai, printo_2010
from myotrack.criteria.response_2016 import percent_improvement

IMACS = imacs_2004.MEASURES  # phga, patient_global, mmt, chaq, enzymes, extramuscular


def _imacs(**pct: float) -> bool:
    return imacs_2004.improved({m: pct.get(m, 0.0) for m in IMACS})


def test_imacs_improvement_threshold_is_20_percent() -> None:
    """Three measures at exactly 20 % -> improved; at 19.99 % -> not."""
    assert _imacs(phga=20.0, chaq=20.0, enzymes=20.0)
    assert not _imacs(phga=19.99, chaq=20.0, enzymes=20.0)


def test_imacs_at_most_two_worse_by_25_percent_and_never_mmt() -> None:
    """PhGA, CHAQ, enzymes improved by 50 %. Two others worse by exactly 25 % -> improved;
    all three others worse by 25 % -> not; all three worse by 24.99 % (not 'worse') ->
    improved; MMT worse by 25 % -> not improved whatever else."""
    good = {"phga": 50.0, "chaq": 50.0, "enzymes": 50.0}
    assert _imacs(**good, patient_global=-25.0, extramuscular=-25.0)
    assert not _imacs(**good, patient_global=-25.0, extramuscular=-25.0, mmt=-25.0)
    assert _imacs(**good, patient_global=-24.99, extramuscular=-24.99, mmt=-24.99)
    assert not _imacs(**good, mmt=-25.0)


PRINTO = printo_2010.VARIABLES  # phga, parent_wellbeing, cmas, chaq, das, chq_phs


def _printo(**pct: float) -> dict[str, float]:
    return {v: pct.get(v, 0.0) for v in PRINTO}


def test_printo_needs_three_variables_at_the_level() -> None:
    """Three variables improved by exactly 90 % -> PRINTO 20, 50, 70 and 90; two at 100 % ->
    none; three at 70 % -> PRINTO 70 but not 90."""
    calc = printo_2010.CALCULATOR
    out = calc.compute(calc.input_model.model_validate(_printo(phga=90, cmas=90, das=90)))
    assert out["response"] == {"printo20": True, "printo50": True, "printo70": True,
                               "printo90": True}  # fmt: skip
    assert not printo_2010.responds(_printo(phga=100, cmas=100), 20)
    assert printo_2010.responds(_printo(phga=70, cmas=70, das=70), 70)
    assert not printo_2010.responds(_printo(phga=70, cmas=70, das=70), 90)
    assert not printo_2010.responds(_printo(phga=89.99, cmas=90, das=90), 90)


def test_printo_worsening_clause_option() -> None:
    """Clause on (UNVERIFIED, named option): PhGA, DAS, CHAQ improved 50 %. One other worse
    by 30.01 % -> responds; two worse by 30.01 % -> not; two worse by exactly 30 % (not
    'more than 30 %') -> responds; CMAS (muscle strength) worse by 30.01 % -> not."""
    good = {"phga": 50.0, "das": 50.0, "chaq": 50.0}

    def r(**worse: float) -> bool:
        return printo_2010.responds(_printo(**good, **worse), 20, worsening_clause=True)

    assert r(parent_wellbeing=-30.01)
    assert not r(parent_wellbeing=-30.01, chq_phs=-30.01)
    assert r(parent_wellbeing=-30.0, chq_phs=-30.0)
    assert not r(cmas=-30.01)
    # Off by default: the same two worsened variables do not stop the response.
    assert printo_2010.responds(_printo(**good, parent_wellbeing=-90, chq_phs=-90), 20)


@pytest.mark.parametrize(
    ("kind", "baseline", "followup", "expected"),
    [
        ("phga", 5.0, 3.0, 20.0),  # 2 cm of a 10-cm VAS
        ("parent_global", 6.0, 5.0, 10.0),  # 1 of 10
        ("extramuscular_global", 4.0, 1.0, 30.0),  # 3 of 10
        ("chaq", 1.5, 0.9, 20.0),  # 0.6 of 3
        ("cmas", 30.0, 43.0, 25.0),  # 13 of 52, higher is better
        ("mmt8", 60.0, 68.0, 10.0),  # 8 of 80
        ("mmt8_bilateral", 120.0, 135.0, 10.0),  # 15 of 150
        ("das", 10.0, 6.0, 20.0),  # 4 of 20 (skin 9 + muscle 11)
        ("enzyme", 600.0, 450.0, 25.0),  # relative to baseline: 150 / 600
    ],
)
def test_range_mode_uses_each_instruments_full_range(
    kind: str, baseline: float, followup: float, expected: float
) -> None:
    assert percent_improvement(kind, baseline, followup) == pytest.approx(expected)


def test_relative_mode_divides_by_the_baseline() -> None:
    """Alternative reading (option): PhGA 5 -> 3 cm is 2/5 = 40 %."""
    assert percent_improvement("phga", 5.0, 3.0, "relative") == pytest.approx(40.0)


@pytest.mark.parametrize(("version", "maximum"), [("jdmai1", 40.0), ("jdmai2", 39.0)])
def test_jdmai_maxima(version: str, maximum: float) -> None:
    """JDMAI1 runs 0-40 and JDMAI2 0-39: the maximum is high disease activity, 0.1 more is
    rejected."""
    assert jdmai.state(maximum, version) == "HDA"
    with pytest.raises(ValueError, match="between 0 and"):
        jdmai.state(maximum + 0.1, version)
