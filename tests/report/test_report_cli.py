"""`myotrack report` and `myotrack figure timeline` end to end with typer's CliRunner."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from myotrack.cli import app
from myotrack.cohort import DEMO_FOLDER, write_folder
from myotrack.domain import Cohort

runner = CliRunner()


@pytest.fixture
def folder(cohort: Cohort, tmp_path: Path) -> Path:
    target = tmp_path / "cohort"
    # the folder format has no quantitative lab without a value: leave that row out
    labs = tuple(lab for lab in cohort.labs if lab.value is not None)
    write_folder(replace(cohort, labs=labs), target)
    return target


def test_json_to_stdout(folder: Path) -> None:
    result = runner.invoke(app, ["report", str(folder), "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["n_patients"] == 6
    assert document["methods"]["quantile_type"] == "type7"


def test_markdown_to_stdout_with_type6_and_cutoff(folder: Path) -> None:
    result = runner.invoke(
        app,
        ["report", str(folder), "--format", "md", "--quantiles", "type6", "--cutoff", "2023-01-31"],
    )
    assert result.exit_code == 0, result.output
    assert "| Characteristic | Value | n with data | 95% CI |" in result.stdout
    assert "Hyndman & Fan type 6" in result.stdout
    assert "Cut-off date: 2023-01-31" in result.stdout


def test_html_goes_to_report_html_here(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    result = runner.invoke(app, ["report", str(folder)])
    assert result.exit_code == 0, result.output
    written = work / "report.html"
    assert written.exists()
    assert str(written.resolve()) in result.stdout.replace("\n", "")
    assert "Table 1. Baseline characteristics" in written.read_text()


def test_pdf_to_out(folder: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "series.pdf"
    result = runner.invoke(app, ["report", str(folder), "--format", "pdf", "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"%PDF")


def test_invalid_folder_prints_its_problems_and_exits_1(folder: Path) -> None:
    patients = folder / "patients.csv"
    lines = patients.read_text().splitlines()
    lines[1] = lines[1].replace(",F,", ",female,", 1)
    patients.write_text("\n".join(lines) + "\n")
    result = runner.invoke(app, ["report", str(folder), "--format", "json"])
    assert result.exit_code == 1
    assert "patients.csv:2" in result.output
    assert "problem" in result.output


def test_bad_cutoff_is_explained(folder: Path) -> None:
    result = runner.invoke(app, ["report", str(folder), "--cutoff", "31/01/2023"])
    assert result.exit_code == 1
    assert "YYYY-MM-DD" in result.output


def test_registry_is_the_default_source(cohort: Cohort, tmp_path: Path) -> None:
    from myotrack import registry

    url = f"sqlite:///{tmp_path / 'registry.db'}"
    engine = registry.connect(url)
    registry.upgrade(engine)
    with registry.transaction(engine) as session:
        registry.import_cohort(session, cohort, actor="test", reason="report test")
    engine.dispose()
    result = runner.invoke(app, ["report", "--format", "json", "--database", url])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["n_patients"] == 6


def test_figure_timeline_from_the_registry(cohort: Cohort, tmp_path: Path) -> None:
    from myotrack import registry

    url = f"sqlite:///{tmp_path / 'registry.db'}"
    engine = registry.connect(url)
    registry.upgrade(engine)
    with registry.transaction(engine) as session:
        registry.import_cohort(session, cohort, actor="test", reason="figure test")
    engine.dispose()
    target = tmp_path / "p02.pdf"
    result = runner.invoke(
        app, ["figure", "timeline", "P02", "--database", url, "--out", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"%PDF")
    result = runner.invoke(app, ["figure", "timeline", "NOBODY", "--database", url])
    assert result.exit_code == 1
    assert "no patient 'NOBODY' in the registry" in " ".join(result.output.split())


def test_missing_registry_is_explained(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'nothing.db'}"
    result = runner.invoke(app, ["report", "--format", "json", "--database", url])
    assert result.exit_code == 1
    assert "myotrack import" in result.output


@pytest.mark.skipif(not (DEMO_FOLDER / "patients.csv").exists(), reason="no demo cohort")
def test_demo_cohort_reports_out_of_the_box(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # as after `make demo`: a folder named demo/ here, holding the report but no cohort
    monkeypatch.chdir(tmp_path)
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "report.html").write_text("<html></html>", encoding="utf-8")
    result = runner.invoke(app, ["report", str(DEMO_FOLDER), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["n_patients"] > 0
    target = tmp_path / "demo.html"
    result = runner.invoke(app, ["report", "demo", "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert "a statistician must review them" in target.read_text()


def test_figure_timeline_png_from_a_folder(folder: Path, tmp_path: Path) -> None:
    target = tmp_path / "mda5.png"
    result = runner.invoke(
        app, ["figure", "timeline", "MDA5-case", "--source", str(folder), "--out", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"\x89PNG")


def test_figure_timeline_svg_with_chosen_measures(folder: Path, tmp_path: Path) -> None:
    target = tmp_path / "p01.svg"
    result = runner.invoke(
        app,
        [
            "figure",
            "timeline",
            "P01",
            "--source",
            str(folder),
            "--out",
            str(target),
            "--measure",
            "cmas",
            "--measure",
            "LDH",
            "--measure",
            "catbm_activity",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "<svg" in target.read_text()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["NOBODY"], "there is no patient 'NOBODY'"),
        (["P01", "--measure", "cmass"], "unknown measure 'cmass'"),
        (["P01", "--out", "x.jpg"], "must end in .png, .svg or .pdf"),
    ],
)
def test_figure_timeline_errors(folder: Path, arguments: list[str], message: str) -> None:
    base = ["figure", "timeline", *arguments[:1], "--source", str(folder), *arguments[1:]]
    result = runner.invoke(app, base)
    assert result.exit_code == 1
    assert message in " ".join(result.output.split())


@pytest.mark.skipif(not (DEMO_FOLDER / "patients.csv").exists(), reason="no demo cohort")
def test_subgroup_report_by_drug_on_the_demo(tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "demo", "--format", "json", "--by", "drug"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    groups = document["subgroups"]["groups"]
    assert set(groups) == {"tofacitinib", "ruxolitinib"}
    assert sum(g["n_patients"] for g in groups.values()) == document["n_patients"]
    target = tmp_path / "by-drug.md"
    result = runner.invoke(app, ["report", "demo", "-f", "md", "--by", "drug", "-o", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text()
    assert "Table 2a. Outcomes on treatment, first JAK inhibitor: tofacitinib (n = 7)" in text
    assert "Table 3. First JAK inhibitor: tofacitinib compared with ruxolitinib" in text
    assert "descriptive" in text


def test_supplement_beside_the_report(folder: Path, tmp_path: Path) -> None:
    supplement = tmp_path / "supp" / "s1.csv"
    result = runner.invoke(
        app, ["report", str(folder), "--format", "json", "--supplement", str(supplement)]
    )
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)  # the note went to stderr: the screen holds only the JSON
    lines = supplement.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("Patient,Sex,") and len(lines) == 1 + 6


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--supplement", "s.txt"], "must end in .csv or .xlsx"),
        (["--by", "site"], "Invalid value for '--by'"),
    ],
)
def test_report_option_errors(folder: Path, arguments: list[str], message: str) -> None:
    result = runner.invoke(app, ["report", str(folder), "-f", "json", *arguments])
    assert result.exit_code != 0
    assert message in " ".join(result.output.split())


def test_docx_and_xlsx_go_to_files(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for fmt, magic in (("docx", b"PK"), ("xlsx", b"PK")):
        result = runner.invoke(app, ["report", str(folder), "--format", fmt])
        assert result.exit_code == 0, result.output
        assert (tmp_path / f"report.{fmt}").read_bytes().startswith(magic)
