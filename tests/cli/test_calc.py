"""`myotrack calc` as a clinician or data manager uses it: list, schema, compute from a
file and from standard input, and clear exit-2 errors for bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from myotrack import criteria, instruments, therapy
from myotrack.cli import app

runner = CliRunner()

CMAS_ITEMS = dict(
    zip(
        instruments.DEFINITIONS["cmas"].item_ids,
        [2, 2, 1, 2, 4, 2, 3, 2, 2, 3, 2, 3, 2, 2],
        strict=True,
    )
)


def _run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def _write(tmp_path: Path, payload: Any, name: str = "input.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(payload), encoding="utf-8")
    return str(path)


def test_list_shows_every_calculator_with_kind_version_and_source() -> None:
    code, out, _ = _run("calc", "--list")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["NAME", "KIND", "VERSION", "SOURCE"]
    for group in (instruments.CALCULATORS, criteria.CALCULATORS, therapy.CALCULATORS):
        for calc in group.values():
            line = next(ln for ln in lines if ln.split()[0] == calc.name)
            assert calc.kind in line and calc.version in line and calc.source in line
    names = {ln.split()[0] for ln in lines[1:]}
    assert {"cmas", "mmt8", "catbm", "cdasi", "das", "chaq", "globals", "myoact"} <= names
    assert "interferon_score" in names


def test_schema_comes_from_the_definition() -> None:
    code, out, _ = _run("calc", "cmas", "--schema")
    assert code == 0
    schema = json.loads(out)
    items = schema["$defs"]["CmasItems"]["properties"]
    assert list(items) == list(instruments.DEFINITIONS["cmas"].item_ids)
    assert items["head_elevation"]["maximum"] == 5
    assert items["leg_raise"]["maximum"] == 2
    assert "version" in schema["properties"]


def test_compute_from_file(tmp_path: Path) -> None:
    path = _write(tmp_path, {"items": CMAS_ITEMS, "version": "0-52"})
    code, out, _ = _run("calc", "cmas", "--input", path)
    assert code == 0
    result = json.loads(out)
    assert result["total"] == 32  # cmas-002: plain sum of the 14 items
    assert result["version"] == "0-52"
    assert "Huber" in result["source"]
    # The one standing CMAS assumption: the top time bands' reading (errata 2026-12 §2).
    assert len(result["assumptions"]) == 1 and "'> 2 min'" in result["assumptions"][0]
    assert result["kind"] == "instrument"


def test_compute_from_stdin_with_seconds_and_sit_up_variants() -> None:
    items = {k: v for k, v in CMAS_ITEMS.items() if k not in ("head_elevation", "sit_ups")}
    payload = {
        "items": items,
        "timed_seconds": {"head_elevation": 35},  # 30–59 s = 3
        "sit_up_variants": {
            "thighs_cb": 1,
            "chest_cb": 1,
            "head_cb": 1,
            "thighs_nocb": 1,
            "chest_nocb": 0,
            "head_nocb": 0,
        },  # 4
    }
    code, out, _ = _run("calc", "cmas", "--input", "-", stdin=json.dumps(payload))
    assert code == 0
    result = json.loads(out)
    assert result["items"]["head_elevation"] == 3
    assert result["items"]["sit_ups"] == 4
    assert result["total"] == 32 - 2 + 3  # head elevation 2 -> 3; sit-ups 4 as before


def test_seconds_that_disagree_with_the_item_score_are_refused() -> None:
    payload = {"items": CMAS_ITEMS, "timed_seconds": {"head_elevation": 120}}
    code, _, err = _run("calc", "cmas", "-i", "-", stdin=json.dumps(payload))
    assert code == 2
    assert "head_elevation" in err


def test_criterion_and_interferon_run_through_the_same_command(tmp_path: Path) -> None:
    ddct = {
        "IFI27": -5.0,
        "IFI44L": -3.0,
        "IFIT1": -2.5,
        "ISG15": -2.0,
        "RSAD2": -3.5,
        "SIGLEC1": -1.0,
    }
    code, out, _ = _run("calc", "interferon_score", "-i", _write(tmp_path, {"ddct": ddct}))
    assert code == 0
    result = json.loads(out)
    assert result["interferon_score"] == pytest.approx(6.8284, abs=5e-5)
    assert result["positive"] is True
    code, out, _ = _run("calc", "jdmai_state", "-i", "-", stdin='{"score": 2.4}')
    assert code == 0
    assert json.loads(out)["kind"] == "criterion"


def test_mm_vas_is_converted(tmp_path: Path) -> None:
    path = _write(tmp_path, {"items": {"phga": 45, "parent_global": 20}, "vas_unit": "mm"})
    code, out, _ = _run("calc", "globals", "--input", path)
    assert code == 0
    result = json.loads(out)
    assert result["subscores"]["phga"] == 4.5
    assert result["subscores"]["parent_global"] == 2.0


@pytest.mark.parametrize(
    ("name", "payload", "expected"),
    [
        # out of range: names the field and the allowed values
        ("cmas", {"items": {"leg_raise": 3}}, ["leg_raise", "0, 1, 2", "got 3"]),
        ("das", {"items": {"skin": 10}}, ["skin", "0–9"]),
        # unknown item: lists the allowed items
        ("cmas", {"items": {"legraise": 1}}, ["items.legraise", "leg_raise"]),
        # unknown option value: lists the allowed values
        ("chaq", {"method": "modern"}, ["method", "'original'", "'simplified'"]),
        # wrong type
        ("interferon_score", {"ddct": {"IFI27": "high"}}, ["ddct.IFI27"]),
        # missing gene: named
        ("interferon_score", {"ddct": {"IFI27": 1.0}}, ["IFI44L"]),
        # a trace grade needs a number from 0 to 1
        ("mmt8", {"items": {"biceps": "T"}, "trace_grade": 3}, ["trace_grade", "0 to 1"]),
    ],
)
def test_bad_input_exits_2_naming_field_and_allowed_values(
    name: str, payload: dict[str, Any], expected: list[str]
) -> None:
    code, out, err = _run("calc", name, "--input", "-", stdin=json.dumps(payload))
    assert code == 2
    assert out == ""
    for text in expected:
        assert text in err
    assert "Traceback" not in err


def test_invalid_json_and_missing_file_exit_2(tmp_path: Path) -> None:
    code, _, err = _run("calc", "cmas", "--input", "-", stdin='{"items": {')
    assert code == 2
    assert "not valid JSON" in err and "line 1" in err
    code, _, err = _run("calc", "cmas", "--input", str(tmp_path / "absent.json"))
    assert code == 2
    assert "absent.json" in err


def test_unknown_name_exits_2_listing_names() -> None:
    code, _, err = _run("calc", "cmass", "--schema")
    assert code == 2
    assert "unknown calculator 'cmass'" in err
    assert "cmas" in err and "chaq" in err and "bohan_peter" in err


def test_name_without_input_explains_what_to_give() -> None:
    code, _, err = _run("calc", "cmas")
    assert code == 2
    assert "--input" in err and "--schema" in err


def test_incomplete_items_print_no_total() -> None:
    items = {k: v for k, v in CMAS_ITEMS.items() if k != "pick_up"}
    code, out, _ = _run("calc", "cmas", "-i", "-", stdin=json.dumps({"items": items}))
    assert code == 0
    result = json.loads(out)
    assert result["total"] is None
    assert result["missing"] == ["pick_up"]
    assert "incomplete" in result["flags"]
