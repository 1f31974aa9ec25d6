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
    # no blood counts in the data: ruxolitinib on-treatment rules cannot be assessed, so the
    # summary is amber and names each missing count with the window it needs
    assert {g["verdict"] for g in data["lab_gating"]} == {"missing"}
    assert data["phase"] == "on_treatment"
    assert data["start_status"] == "cannot_assess"
    assert any("platelets: missing" in r for r in data["reasons"])
    assert data["blocks_jak_start"] is False
    assert data["as_of"]["chosen"] is True
    # the dose as products allow it: 2.5 mg of ruxolitinib = 0.5 mL of the 5 mg/mL solution
    assert any("0.5 mL" in g["text"] for g in ding["givable"])


def test_check_default_date_is_the_latest_record_and_says_so(database: str) -> None:
    result = runner.invoke(app, ["check", "P01", "--database", database, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["as_of"]["chosen"] is False
    assert "the patient's latest record" in data["as_of"]["why"]
    assert data["date"] < "2026-01-01"
    text = runner.invoke(app, ["check", "P01", "--database", database])
    assert "the patient's latest record" in text.output


def test_check_rejects_an_unknown_drug(database: str) -> None:
    result = runner.invoke(app, ["check", "P01", "--drug", "aspirin", "--database", database])
    assert result.exit_code == 2
    assert "tofacitinib" in result.output


def test_check_text_output_names_each_section(database: str) -> None:
    result = runner.invoke(app, ["check", "P02", "--date", "2021-10-01", "--database", database])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "cannot assess" in out or "blocks" in out
    for heading in (
        "JAK-inhibitor dose",
        "Laboratory gating",
        "Screening before a start",
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
