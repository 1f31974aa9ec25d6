"""`myotrack redcap dictionary` writes a dictionary that `myotrack redcap check` (REDCap's
rules) accepts, and `check` names each problem of a broken one; `myotrack export --format
redcap` and `myotrack import` of its files bring the registry's cohort back."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from typer.testing import CliRunner

from myotrack.cli import app
from myotrack.cohort import DEMO_FOLDER, read_folder
from myotrack.domain import Cohort

from .conftest import canonical

runner = CliRunner()


def test_dictionary_and_its_check(tmp_path: Path) -> None:
    out = tmp_path / "dictionary.csv"
    result = runner.invoke(
        app, ["redcap", "dictionary", str(out), "--repeating", str(tmp_path / "rep.csv")]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("Variable / Field Name,Form Name,")
    assert (tmp_path / "rep.csv").read_text(encoding="utf-8").startswith("form_name,")
    result = runner.invoke(app, ["redcap", "check", str(out)])
    assert result.exit_code == 0, result.output
    assert "meets REDCap's rules" in result.output


def test_check_names_the_problems(tmp_path: Path) -> None:
    out = tmp_path / "dictionary.csv"
    runner.invoke(app, ["redcap", "dictionary", str(out)])
    text = out.read_text(encoding="utf-8").replace("\nsex,patient,", "\nSex,patient,", 1)
    out.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["redcap", "check", str(out)])
    assert result.exit_code == 1
    assert "data dictionary:3: Variable / Field Name: Sex" in result.output
    assert "[name]" in result.output


def test_export_and_import_through_redcap_files(tmp_path: Path) -> None:
    first = f"sqlite:///{tmp_path / 'first.db'}"
    second = f"sqlite:///{tmp_path / 'second.db'}"
    assert runner.invoke(app, ["import", str(DEMO_FOLDER), "--database", first]).exit_code == 0
    out = tmp_path / "redcap"
    result = runner.invoke(app, ["export", str(out), "--format", "redcap", "--database", first])
    assert result.exit_code == 0, result.output
    assert (out / "redcap_records.csv").is_file() and (out / "redcap_dictionary.csv").is_file()
    result = runner.invoke(app, ["import", str(out), "--database", second])
    assert result.exit_code == 0, result.output
    back = tmp_path / "back"
    assert runner.invoke(app, ["export", str(back), "--database", second]).exit_code == 0
    original = tmp_path / "original"
    assert runner.invoke(app, ["export", str(original), "--database", first]).exit_code == 0
    # the same cohort, its version 2 records included (the seed child's whole record),
    # multi-choice values as sets
    assert any(r.kind == "chest_ct" for r in _cohort(original).v2_rows)
    assert _shown(back) == _shown(original)


def _cohort(folder: Path) -> Cohort:
    cohort, issues = read_folder(folder, accept_implausible=True)
    assert cohort is not None, issues
    return cohort


def _shown(folder: Path) -> tuple[object, ...]:
    cohort = _cohort(folder)
    patients = tuple(
        replace(p, antibodies=tuple(sorted(p.antibodies)), features=tuple(sorted(p.features)))
        for p in cohort.patients
    )
    records = tuple(
        replace(
            r,
            values={
                k: tuple(sorted(v)) if isinstance(v, tuple) else v for k, v in r.values.items()
            },
        )
        for r in cohort.v2_rows
    )
    return canonical(replace(cohort, patients=patients, v2_rows=records))
