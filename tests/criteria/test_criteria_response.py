"""ACR/EULAR 2016 TIS, PRINTO 2010, IMACS 2004, PRINTO CID / P-CID and JDMAI states
against the shared instrument test vectors (tests/data/instruments-testvectors.json)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from myotrack.criteria import CALCULATORS, imacs_2004, inactive_disease, jdmai, printo_2010
from myotrack.criteria import response_2016 as r16

CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parents[1] / "data" / "instruments-testvectors.json").read_text()
)["cases"]


def _cases(fragment: str) -> list[dict[str, Any]]:
    return [c for c in CASES if fragment in c["instrument"]]


def _raw(values: dict[str, Any]) -> r16.RawCoreSet:
    return r16.RawCoreSet(
        phga=values["phga_cm"],
        parent_global=values["parent_global_cm"],
        cmas=values["cmas"],
        chaq=values["chaq"],
        extramuscular_global=values["extramuscular_global_cm"],
        enzymes={k: r16.EnzymeValue(v["value"], v["uln"]) for k, v in values["enzymes"].items()},
    )


@pytest.mark.parametrize("case", _cases("(TIS)"), ids=lambda c: c["id"])
def test_tis_vectors(case: dict[str, Any]) -> None:
    inp, exp = case["inputs"], case["expected"]
    if "percent_improvement" in inp:
        result = r16.total_improvement_score(inp["percent_improvement"])
    else:
        raw = r16.tis_from_raw(
            _raw(inp["baseline"]), _raw(inp["followup"]), change_mode=inp["change_mode"]
        )
        assert raw.most_abnormal_enzyme == exp["most_abnormal_enzyme"]
        assert raw.result is not None
        result = raw.result
        for k, v in exp["percent_improvement"].items():
            assert result.percent_improvement[k] == pytest.approx(v, abs=0.005)
    assert {k: float(v) for k, v in result.points.items()} == exp["points"]
    assert result.tis == Decimal(str(exp["tis"]))
    assert result.jdm_category == exp["jdm_category"]
    if "adult_category" in exp:
        assert result.adult_category == exp["adult_category"]


def test_tis_points_table_sums_to_100() -> None:
    top = sum(pts[-1] for _, pts in r16.POINTS.values())
    assert top == Decimal(100)


def test_tis_requires_all_six_measures() -> None:
    with pytest.raises(ValueError, match="chaq"):
        r16.total_improvement_score(
            {
                "phga": 50,
                "parent_global": 30,
                "mmt_or_cmas": 12,
                "enzyme_or_chq_phs": 60,
                "extramuscular_or_das": 10,
            }
        )


def test_tis_raw_names_missing_measures() -> None:
    base = r16.RawCoreSet(phga=6, parent_global=5, cmas=30, chaq=1.5)
    follow = r16.RawCoreSet(phga=3, parent_global=4, cmas=36, chaq=1.0)
    raw = r16.tis_from_raw(base, follow)
    assert raw.result is None
    assert raw.missing == ("enzyme_or_chq_phs", "extramuscular_or_das")


def test_tis_range_mode_worked_example_das_and_mmt() -> None:
    # MMT8 60 -> 72 of 80 = 15 % -> 20 points; DAS 10 -> 4 of 20 = 30 % -> 15 points;
    # PhGA 5 -> 1 cm = 40 % -> 17.5; parent 4 -> 3 cm = 10 % -> 2.5; CHAQ 1.2 -> 0.9 = 10 %
    # -> 5; LDH 500 -> 250 (ULN 250, 2x) relative 50 % -> 7.5. TIS = 67.5 -> JDM moderate.
    base = r16.RawCoreSet(
        phga=5,
        parent_global=4,
        mmt8=60,
        chaq=1.2,
        das=10,
        enzymes={"LDH": r16.EnzymeValue(500, 250)},
    )
    follow = r16.RawCoreSet(
        phga=1,
        parent_global=3,
        mmt8=72,
        chaq=0.9,
        das=4,
        enzymes={"LDH": r16.EnzymeValue(250, 250)},
    )
    raw = r16.tis_from_raw(base, follow)
    assert raw.result is not None
    assert raw.used["mmt_or_cmas"] == "mmt8" and raw.used["extramuscular_or_das"] == "das"
    assert raw.result.tis == Decimal("67.5")
    assert raw.result.jdm_category == "moderate"
    assert raw.result.adult_category == "major"


_pct = st.floats(min_value=-200, max_value=200, allow_nan=False)


@given(
    base=st.fixed_dictionaries({m: _pct for m in r16.MEASURES}),
    measure=st.sampled_from(r16.MEASURES),
    extra=st.floats(min_value=0, max_value=100, allow_nan=False),
)
def test_tis_monotone_in_each_measure(base: dict[str, float], measure: str, extra: float) -> None:
    better = dict(base)
    better[measure] = base[measure] + extra
    low = r16.total_improvement_score(base)
    high = r16.total_improvement_score(better)
    assert high.tis >= low.tis
    assert Decimal(0) <= low.tis <= Decimal(100)


@given(
    baseline=st.floats(min_value=0, max_value=52),
    gain=st.floats(min_value=0, max_value=52),
)
def test_raw_cmas_improvement_never_lowers_points(baseline: float, gain: float) -> None:
    follow = min(52.0, baseline + gain)
    for mode in ("range", "relative"):
        pct = r16.percent_improvement("cmas", baseline, follow, mode)
        assert pct >= 0
        assert r16.points("mmt_or_cmas", pct) >= 0


@pytest.mark.parametrize("case", _cases("PRINTO 2010"), ids=lambda c: c["id"])
def test_printo_vectors(case: dict[str, Any]) -> None:
    pct, exp = case["inputs"]["percent_improvement"], case["expected"]
    for key, value in exp.items():
        level = int(key[len("printo") :].split("_")[0])
        clause = key.endswith("with_worsening_clause")
        assert printo_2010.responds(pct, level, worsening_clause=clause) is value, key


def test_printo_calculator_reports_both() -> None:
    calc = CALCULATORS["printo_2010_response"]
    out = calc.compute(
        calc.input_model.model_validate(
            {"phga": 55, "parent_wellbeing": 20, "cmas": -35, "chaq": 30, "das": 60, "chq_phs": 0}
        )
    )
    assert out["response"]["printo20"] is True
    assert out["response_with_worsening_clause"]["printo20"] is False
    assert out["response"]["printo50"] is False


def test_printo_both_labelled_outputs_on_one_case() -> None:
    """Errata 2026-12 §5. PhGA +55, parent +20, CMAS -35, CHAQ +30, DAS +60, CHQ-PhS 0:
    four variables improved >= 20 % -> printo20_core true; CMAS (muscle strength) worse by
    35 % > 30 % -> printo20_with_worsening_clause false. With the clause's percent set to
    40 (option), CMAS -35 % no longer counts as worse -> both true."""
    calc = CALCULATORS["printo_2010_response"]
    case = {"phga": 55, "parent_wellbeing": 20, "cmas": -35, "chaq": 30, "das": 60, "chq_phs": 0}
    out = calc.compute(calc.input_model.model_validate(case))
    assert out["printo20_core"] is True
    assert out["printo20_with_worsening_clause"] is False
    assert out["labels"]["printo20_core"].startswith("printo20_core: at least 20 %")
    assert "UNVERIFIED" in out["labels"]["printo20_with_worsening_clause"]
    assert "more than 30 %" in out["labels"]["printo20_with_worsening_clause"]
    assert out["worsening_clause"]["status"] == "UNVERIFIED"
    assert any("50/70/90" in a and "UNVERIFIED" in a for a in out["assumptions"])
    loose = calc.compute(calc.input_model.model_validate({**case, "worsening_percent": 40}))
    assert loose["printo20_core"] is True and loose["printo20_with_worsening_clause"] is True
    assert "more than 40 %" in loose["labels"]["printo20_with_worsening_clause"]


def test_printo_clause_edge_and_corrected_citation() -> None:
    """Clause at its edge: one non-muscle variable worse by exactly 30 % is not 'more than
    30 %' -> passes; two worse by 30.01 % -> fails (max 1); max_worsened=2 allows two.
    The citation is Arthritis Care Res (Hoboken) 2010;62(11):1533-41, doi 10.1002/acr.20280."""
    good = {"phga": 50.0, "das": 50.0, "chaq": 50.0, "cmas": 0.0}
    assert printo_2010.responds({**good, "parent_wellbeing": -30.0, "chq_phs": -30.0}, 20,
                                worsening_clause=True)  # fmt: skip
    two = {**good, "parent_wellbeing": -30.01, "chq_phs": -30.01}
    assert printo_2010.responds(two, 20) is True  # core alone ignores worsening
    assert printo_2010.responds(two, 20, worsening_clause=True) is False
    assert printo_2010.responds(two, 20, worsening_clause=True, max_worsened=2) is True
    assert "2010;62(11):1533-41" in printo_2010.SOURCE
    assert "10.1002/acr.20280" in printo_2010.SOURCE
    assert printo_2010.CALCULATOR.source == printo_2010.SOURCE


@pytest.mark.parametrize("case", _cases("IMACS preliminary"), ids=lambda c: c["id"])
def test_imacs_vectors(case: dict[str, Any]) -> None:
    assert (
        imacs_2004.improved(case["inputs"]["percent_improvement"]) is case["expected"]["improved"]
    )


@pytest.mark.parametrize(
    "case", _cases("PRINTO CID") + _cases("clinically inactive"), ids=lambda c: c["id"]
)
def test_cid_vectors(case: dict[str, Any]) -> None:
    calc = CALCULATORS["printo_cid"]
    out = calc.compute(calc.input_model.model_validate(case["inputs"]))
    exp = case["expected"]
    assert out["criteria_met"] == exp["criteria_met"]
    assert out["printo_cid"] == ("met" if exp["printo_cid"] else "not_met")
    if "p_cid_almeida" in exp:
        assert out["p_cid_almeida"] == ("met" if exp["p_cid_almeida"] else "not_met")
    if "phga_cm" in exp:
        assert out["phga_cm"] == pytest.approx(exp["phga_cm"])


def test_cid_missing_values_decided_only_when_settled() -> None:
    # 3 measured, all met: >= 3 of 4 whatever CK is.
    r = inactive_disease.assess(ck_u_per_l=None, cmas=50, mmt8=80, phga_cm=0.1)
    assert r.printo_cid == "met" and r.p_cid == "met" and r.missing == ("ck",)
    # 2 met, 1 missing: undecided.
    r = inactive_disease.assess(ck_u_per_l=None, cmas=50, mmt8=70, phga_cm=0.1)
    assert r.printo_cid == "indeterminate"
    # 1 met, 1 missing: cannot reach 3.
    r = inactive_disease.assess(ck_u_per_l=None, cmas=40, mmt8=70, phga_cm=0.1)
    assert r.printo_cid == "not_met"
    # PhGA missing: P-CID cannot be met, PRINTO CID can.
    r = inactive_disease.assess(ck_u_per_l=100, cmas=50, mmt8=80, phga_cm=None)
    assert r.printo_cid == "met" and r.p_cid == "indeterminate"


@pytest.mark.parametrize("case", _cases("JDMAI"), ids=lambda c: c["id"])
def test_jdmai_vectors(case: dict[str, Any]) -> None:
    ((version, score),) = case["inputs"].items()
    assert jdmai.state(score, version) == case["expected"]["state"]


def test_jdmai_rounds_to_one_decimal_and_checks_range() -> None:
    assert jdmai.state(2.44) == "ID"
    assert jdmai.state(2.45) == "LDA"
    with pytest.raises(ValueError):
        jdmai.state(39.5, "jdmai2")


def test_every_criterion_calculator_is_well_formed() -> None:
    for name, calc in CALCULATORS.items():
        assert calc.name == name
        assert calc.kind == "criterion"
        assert calc.source and calc.version
        assert calc.input_schema()["type"] == "object"


def test_tis_change_mode_defaults_to_range_and_is_flagged() -> None:
    """Errata 2026-12 §6: the percent-change formula is still UNVERIFIED; the default is
    'range' (PhGA 6 -> 3 cm = 3/10 = 30 %), 'relative' is the option (3/6 = 50 %), and the
    output says which reading was used."""
    calc = CALCULATORS["acr_eular_2016_response"]
    raw = {
        "baseline": {"phga_cm": 6, "parent_global_cm": 5, "cmas": 30, "chaq": 1.5,
                     "chq_phs": 40, "das": 10},
        "followup": {"phga_cm": 3, "parent_global_cm": 4, "cmas": 36, "chaq": 1.0,
                     "chq_phs": 44, "das": 6},
    }  # fmt: skip
    out = calc.compute(calc.input_model.model_validate(raw))
    assert out["change_mode"] == "range"
    assert out["percent_improvement"]["phga"] == 30.0
    assert "UNVERIFIED" in out["assumptions"][0] and "range" in out["assumptions"][0]
    rel = calc.compute(calc.input_model.model_validate({**raw, "change_mode": "relative"}))
    assert rel["percent_improvement"]["phga"] == 50.0
    assert rel["change_mode"] == "relative"
