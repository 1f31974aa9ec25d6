"""Therapy rules against the shared test vectors (tests/criteria/data copy of
shared/spec/criteria-therapy-testvectors.json): JAK dosing, lab gating, steroid conversion,
enzyme unit conversion."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from myotrack.domain.units import KATAL_PER_UL, to_canonical
from myotrack.therapy import CALCULATORS
from myotrack.therapy.body import bsa_mosteller
from myotrack.therapy.dosing import (
    BARICITINIB_EU_JIA,
    DING_2021,
    RUXOLITINIB_REACH4,
    TOFACITINIB_PCJIA,
    suggest,
    tofacitinib_adjusted,
)
from myotrack.therapy.glucocorticoids import (
    PREDNISOLONE_FACTORS,
    from_prednisolone,
    prednisolone_equivalent,
)
from myotrack.therapy.lab_gating import LabValue, Phase, evaluate, worst

VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).parents[1] / "data" / "criteria-therapy-testvectors.json").read_text()
)


def _by_prefix(prefix: str) -> list[dict[str, Any]]:
    return [c for c in VECTORS["jak_dosing"] if c["id"].startswith(prefix)]


# expected text -> (dose_mg, frequency); None dose = not established
def _parse(expected: str) -> tuple[float | None, str | None]:
    if expected.startswith("not established"):
        return None, None
    mg = float(expected.split(" mg")[0])
    return mg, ("BID" if "BID" in expected else "QD")


@pytest.mark.parametrize("case", _by_prefix("DING-"), ids=lambda c: c["id"])
def test_ding_vectors(case: dict[str, Any]) -> None:
    for drug in ("tofacitinib", "ruxolitinib"):
        s = suggest(DING_2021, drug, weight_kg=case["input"]["weight_kg"], age_years=8)
        assert s is not None
        assert (s.dose_mg, s.frequency) == _parse(case["expected"])
        assert s.off_label and "Ding" in s.source


@pytest.mark.parametrize(
    "case", [c for c in _by_prefix("TOFA-") if "ADJ" not in c["id"]], ids=lambda c: c["id"]
)
def test_tofacitinib_label_vectors(case: dict[str, Any]) -> None:
    s = suggest(TOFACITINIB_PCJIA, "tofacitinib", weight_kg=case["input"]["weight_kg"], age_years=6)
    assert s is not None
    assert (s.dose_mg, s.frequency) == _parse(case["expected"])
    if s.dose_mg is not None and s.dose_mg < 5:
        assert "oral solution" in s.text


def test_tofacitinib_adjustment_vectors() -> None:
    adj1, adj2 = (c for c in VECTORS["jak_dosing"] if c["id"].startswith("TOFA-ADJ"))
    dose, freq, _ = tofacitinib_adjusted(25, strong_cyp3a4_inhibitor=True)
    assert adj1["expected"] == "4 mg once daily" and (dose, freq) == (4.0, "QD")
    dose, freq, text = tofacitinib_adjusted(45, hepatic="Child-Pugh C")
    assert adj2["expected"] == "not recommended" and dose is None and "not recommended" in text
    assert tofacitinib_adjusted(45) == (
        5.0,
        "BID",
        "5 mg twice daily (tablet or 5 mL oral solution)",
    )


@pytest.mark.parametrize("case", _by_prefix("BARI-"), ids=lambda c: c["id"])
def test_baricitinib_vectors(case: dict[str, Any]) -> None:
    s = suggest(
        BARICITINIB_EU_JIA, "baricitinib", weight_kg=case["input"]["weight_kg"], age_years=10
    )
    assert s is not None
    assert (s.dose_mg, s.frequency) == _parse(case["expected"])


@pytest.mark.parametrize("case", _by_prefix("RUX-"), ids=lambda c: c["id"])
def test_ruxolitinib_vectors(case: dict[str, Any]) -> None:
    inp = case["input"]
    s = suggest(
        RUXOLITINIB_REACH4,
        "ruxolitinib",
        weight_kg=None,
        age_years=inp["age_years"],
        bsa_m2=inp["bsa_m2"],
    )
    assert s is not None
    expected = case["expected"]
    if "=" in expected:  # "4 mg/m2 BID = 2.8 mg BID"
        assert s.dose_mg == pytest.approx(float(expected.split("= ")[1].split(" mg")[0]))
        assert s.frequency == "BID"
    else:
        assert (s.dose_mg, s.frequency) == _parse(expected)


def test_bsa_vector() -> None:
    (case,) = _by_prefix("BSA-")
    assert bsa_mosteller(**case["input"]) == pytest.approx(case["expected"], abs=5e-5)


def test_ruxolitinib_m2_band_without_height_says_what_is_missing() -> None:
    s = suggest(RUXOLITINIB_REACH4, "ruxolitinib", weight_kg=15, age_years=4)
    assert s is not None and s.dose_mg is None and "BSA" in s.text


def test_label_rule_below_minimum_age() -> None:
    s = suggest(TOFACITINIB_PCJIA, "tofacitinib", weight_kg=12, age_years=1.5)
    assert s is not None and s.dose_mg is None and "2 years" in s.text


_DRUG_OF = {
    "tofacitinib": "tofacitinib",
    "baricitinib": "baricitinib",
    "ruxolitinib": "ruxolitinib",
}


def _values(inp: dict[str, float]) -> dict[str, LabValue]:
    v: dict[str, LabValue] = {}
    if "ALC_per_mm3" in inp:
        v["lymphocytes"] = LabValue(inp["ALC_per_mm3"] / 1000)  # 1000/mm3 = 1 x10^9/L
    if "ANC_per_mm3" in inp:
        v["neutrophils"] = LabValue(inp["ANC_per_mm3"] / 1000)
    if "ANC_x10e9_L" in inp:
        v["neutrophils"] = LabValue(inp["ANC_x10e9_L"])
    if "Hb_g_dL" in inp:
        v["hemoglobin"] = LabValue(inp["Hb_g_dL"])
    return v


EXPECTED_VERDICT = {
    "do not initiate": "do_not_start",
    "interrupt": "interrupt",
    "interrupt until normalised": "interrupt",
    "interrupt until ALC >=500": "interrupt",
    "reduce by one dose level": "reduce_dose",
}


@pytest.mark.parametrize("case", VECTORS["jak_lab_gating"], ids=lambda c: c["id"])
def test_lab_gating_vectors(case: dict[str, Any]) -> None:
    desc = case["drug"]
    drug = desc.split(" ")[0]
    phase: Phase = "on_treatment" if "on treatment" in desc or drug == "ruxolitinib" else "start"
    labels: tuple[str, ...] | None = None
    if "(US label" in desc:
        labels = ("US",)
    elif "EU/AU" in desc:
        labels = ("EU",)
    inp = case["input"]
    results = evaluate(
        drug, phase, _values(inp), labels=labels, hemoglobin_drop_g_dl=inp.get("Hb_drop_g_dL")
    )
    fired = [r for r in results if r.verdict not in ("ok", "missing")]
    assert fired, results
    assert worst(fired) == EXPECTED_VERDICT[case["expected"]]
    assert all(r.rule and r.source for r in fired)


def test_lab_gating_missing_and_ok() -> None:
    res = evaluate("tofacitinib", "start", {"lymphocytes": LabValue(1.2)}, labels=("US",))
    verdicts = {r.analyte: r.verdict for r in res}
    assert verdicts == {"lymphocytes": "ok", "neutrophils": "missing", "hemoglobin": "missing"}


def test_lab_gating_calculator_per_mm3() -> None:
    calc = CALCULATORS["jak_lab_gating"]
    out = calc.compute(
        calc.input_model.model_validate(
            {
                "drug": "tofacitinib",
                "phase": "on_treatment",
                "label": "US",
                "counts_unit": "/mm3",
                "neutrophils": 400,
            }
        )
    )
    assert out["verdict"] == "discontinue"


@pytest.mark.parametrize("case", VECTORS["steroid_conversion"], ids=lambda c: c["id"])
def test_steroid_conversion_vectors(case: dict[str, Any]) -> None:
    inp, exp = case["input"], case["expected"]
    if "target" in inp:  # GC-6: "prednisolone 20 mg/day" -> dexamethasone
        mg = float(inp["current"].split()[1])
        assert from_prednisolone(inp["target"], mg) == pytest.approx(exp["dexamethasone_mg"])
        return
    pred = prednisolone_equivalent(inp["drug"], inp["dose_mg"])
    assert pred == pytest.approx(exp["prednisolone_equivalent_mg"], abs=5e-4)
    if "prednisolone_equivalent_mg_per_kg" in exp:
        assert pred / inp["weight_kg"] == pytest.approx(exp["prednisolone_equivalent_mg_per_kg"])


def test_steroid_calculator() -> None:
    calc = CALCULATORS["steroid_conversion"]
    out = calc.compute(
        calc.input_model.model_validate(
            {"drug": "methylprednisolone", "dose_mg": 750, "weight_kg": 25, "target": "prednisone"}
        )
    )
    assert out["prednisolone_equivalent_mg"] == 937.5
    assert out["prednisolone_equivalent_mg_per_kg"] == 37.5
    assert out["prednisone_mg"] == 937.5
    with pytest.raises(ValidationError, match="prednisolone"):
        calc.input_model.model_validate({"drug": "tacrolimus", "dose_mg": 1})
    with pytest.raises(ValueError, match="not a glucocorticoid"):
        prednisolone_equivalent("tacrolimus", 1)
    allowed = calc.input_schema().get("$defs", {})
    drug_schema = calc.input_schema()["properties"]["drug"]
    names = set(drug_schema.get("enum", [])) or {
        v for d in allowed.values() for v in d.get("enum", [])
    }
    assert names == set(PREDNISOLONE_FACTORS)


@pytest.mark.parametrize("case", VECTORS["unit_conversion"], ids=lambda c: c["id"])
def test_unit_conversion_vectors(case: dict[str, Any]) -> None:
    # Enzyme catalytic activity: 1 µkat/L = 60 U/L (domain.units), 1 µkat = 1000 nkat.
    inp, exp = case["input"], case["expected"]
    if inp["unit"] == "ukat/L":
        assert to_canonical("CK", inp["value"], "ukat/L") == pytest.approx(exp["value"])
    else:
        ukat = inp["value"] / float(KATAL_PER_UL)
        value = ukat * 1000 if exp["unit"] == "nkat/L" else ukat
        assert value == pytest.approx(exp["value"])
        # round trip back to U/L through the domain conversion
        assert to_canonical("LDH", ukat, "µkat/L") == pytest.approx(inp["value"])
