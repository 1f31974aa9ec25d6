"""`myotrack check` end to end on a small registry built from a cohort folder."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from myotrack.cli import app

FolderMaker = Callable[..., Path]
runner = CliRunner()


@pytest.fixture
def database(tmp_path: Path, folder_maker: FolderMaker) -> str:
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    result = runner.invoke(app, ["import", str(folder_maker(tmp_path / "good")), "--database", url])
    assert result.exit_code == 0, result.output
    return url


def test_check_json_on_treatment(database: str) -> None:
    # P01 (born 2012-03-15): ruxolitinib 5 mg BID from 2018-03-02, weight 23 kg on 2018-04-05
    result = runner.invoke(
        app, ["check", "P01", "--date", "2018-04-10", "--database", database, "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["patient_id"] == "P01" and data["date"] == "2018-04-10"
    dose = data["dose"]
    assert dose["current_course"]["drug"] == "ruxolitinib"
    assert dose["current_course"]["daily_mg"] == 10.0
    ding = next(s for s in dose["suggestions"] if s["rule"] == "ding_2021")
    # 23 kg < 25 kg -> 2.5 mg BID; the child is on 5 mg BID
    assert ding["dose_mg"] == 2.5 and ding["current_vs_suggestion"] == "above"
    assert ding["off_label"] is True
    assert data["disclaimer"].startswith("Decision support, not a prescription:")
    # no blood counts in the data: ruxolitinib on-treatment rules are 'missing'
    assert {g["verdict"] for g in data["lab_gating"]} == {"missing"}
    assert data["blocks_jak_start"] is False


def test_check_text_output_names_each_section(database: str) -> None:
    result = runner.invoke(app, ["check", "P02", "--date", "2021-10-01", "--database", database])
    assert result.exit_code == 0, result.output
    out = result.output
    for heading in (
        "JAK-inhibitor dose",
        "Laboratory gating",
        "Screening",
        "Risk flags",
        "Glucocorticoids",
        "Inactive disease",
        "Response since the index date",
    ):
        assert heading in out
    # P02 is MDA5+ and on prednisolone 1 mg/kg/day (16 kg): 16 mg/day
    assert "MDA5: screen for interstitial lung disease" in out
    assert "Current daily dose: 16 mg" in out
    assert "no JAK-inhibitor course" in out
    assert "Decision support, not a prescription" in out


def test_check_unknown_patient_and_bad_date(database: str) -> None:
    result = runner.invoke(app, ["check", "NOPE", "--database", database])
    assert result.exit_code == 1
    assert "no patient 'NOPE' in the registry" in result.output
    result = runner.invoke(app, ["check", "P01", "--date", "31/05/2024", "--database", database])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output
