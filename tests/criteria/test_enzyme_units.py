"""Lab units: `myotrack calc convert` (worked examples from the unit table's definitions) and
every calculator that takes an enzyme accepts the SI unit µkat/L (1 µkat/L = 60 U/L)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from myotrack.cli import app

runner = CliRunner()


def _calc(tmp_path: Path, name: str, data: dict[str, Any]) -> tuple[int, str]:
    path = tmp_path / "in.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(app, ["calc", name, "--input", str(path)])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("analyte", "value", "from_unit", "to_unit", "expected"),
    [
        # seed 003 (Strauss 2023): CK 0.26 µmol/(s*L) = 0.26 x 60 = 15.6 U/L
        ("CK", 0.26, "µmol/(s*L)", None, 15.6),
        # seed 003: LDH 5.37 µkat/L = 322.2 U/L; its ULN 5.0 µkat/L = 300 U/L
        ("LDH", 5.37, "µkat/L", "U/L", 322.2),
        ("LDH", 5.0, "ukat/L", "U/L", 300.0),
        # the PRINTO CID CK cut-off 150 U/L = 2.5 µkat/L
        ("CK", 150, "U/L", "µkat/L", 2.5),
        # haemoglobin 108 g/L = 10.8 g/dL (1 g/dL = 10 g/L)
        ("hemoglobin", 108, "g/L", "g/dL", 10.8),
        # cholesterol 200 mg/dL / 38.67 = 5.1720 mmol/L
        ("total_cholesterol", 200, "mg/dL", "mmol/L", 200 / 38.67),
    ],
)
def test_convert_worked_examples(
    tmp_path: Path,
    analyte: str,
    value: float,
    from_unit: str,
    to_unit: str | None,
    expected: float,
) -> None:
    data: dict[str, Any] = {"analyte": analyte, "value": value, "from_unit": from_unit}
    if to_unit is not None:
        data["to_unit"] = to_unit
    code, out = _calc(tmp_path, "convert", data)
    assert code == 0, out
    result = json.loads(out)
    assert result["converted"] == pytest.approx(expected, rel=1e-9)
    assert result["to_unit"] == (to_unit or "U/L")


def test_convert_round_trip_ukat(tmp_path: Path) -> None:
    _, out = _calc(tmp_path, "convert", {"analyte": "AST", "value": 0.54, "from_unit": "µkat/L"})
    u_per_l = json.loads(out)["converted"]
    assert u_per_l == pytest.approx(32.4)
    _, back = _calc(
        tmp_path,
        "convert",
        {"analyte": "AST", "value": u_per_l, "from_unit": "U/L", "to_unit": "µkat/L"},
    )
    assert json.loads(back)["converted"] == pytest.approx(0.54)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"analyte": "CK", "value": 1, "from_unit": "mg/dL"}, "is not a unit of CK"),
        ({"analyte": "TB_IGRA", "value": 1, "from_unit": "U/L"}, "no unit conversion is known"),
    ],
)
def test_convert_errors_name_the_field(tmp_path: Path, data: dict[str, Any], words: str) -> None:
    code, out = _calc(tmp_path, "convert", data)
    assert code == 2 and words in out


def test_convert_is_listed(tmp_path: Path) -> None:
    result = runner.invoke(app, ["calc", "--list"])
    assert result.exit_code == 0 and "convert" in result.output


@pytest.mark.parametrize(
    ("ck", "unit", "status"),
    [
        (150, "U/L", "met"),  # PRINTO: CK <= 150 U/L
        (2.5, "µkat/L", "met"),  # = 150 U/L: the same edge in SI
        (2.51, "µkat/L", "not_met"),  # = 150.6 U/L
    ],
)
def test_printo_cid_accepts_ck_in_ukat(tmp_path: Path, ck: float, unit: str, status: str) -> None:
    data = {"ck_u_per_l": ck, "ck_unit": unit, "cmas": 52, "mmt8_unilateral": 80, "phga_cm": 0}
    code, out = _calc(tmp_path, "printo_cid", data)
    assert code == 0, out
    result = json.loads(out)
    assert result["criteria"]["ck"] is (status == "met")
    assert result["ck_u_per_l"] == pytest.approx(ck * (60 if unit != "U/L" else 1))


def test_printo_cid_rejects_an_unknown_ck_unit(tmp_path: Path) -> None:
    code, out = _calc(tmp_path, "printo_cid", {"ck_u_per_l": 1, "ck_unit": "mmol/L"})
    assert code == 2 and "unknown CK unit" in out


def test_tis_gives_the_same_answer_with_enzymes_in_ukat(tmp_path: Path) -> None:
    def raw(ck: float, uln: float) -> dict[str, Any]:
        return {
            "phga_cm": 5,
            "parent_global_cm": 5,
            "cmas": 30,
            "chaq": 1.5,
            "das": 10,
            "enzymes": {"CK": {"value": ck, "uln": uln}},
        }

    u_per_l = {"baseline": raw(600, 150), "followup": raw(120, 150)}
    si = {"baseline": raw(10.0, 2.5), "followup": raw(2.0, 2.5)}  # the same values / 60
    code_u, out_u = _calc(tmp_path, "acr_eular_2016_response", u_per_l)
    code_si, out_si = _calc(tmp_path, "acr_eular_2016_response", si)
    assert code_u == code_si == 0, (out_u, out_si)
    assert json.loads(out_u)["tis"] == json.loads(out_si)["tis"]
