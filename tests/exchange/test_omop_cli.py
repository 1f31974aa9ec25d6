"""`myotrack export --format omop` writes a folder that `myotrack omop check` passes, and
`check` names the problems of a broken one; `myotrack omop ddl` writes the DDL."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from myotrack.cli import app
from myotrack.cohort import DEMO_FOLDER

runner = CliRunner()


def test_export_then_check(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'registry.db'}"
    assert runner.invoke(app, ["import", str(DEMO_FOLDER), "--database", database]).exit_code == 0
    out = tmp_path / "omop"
    result = runner.invoke(
        app,
        ["export", str(out), "--format", "omop", "--tier", "safe-harbor", "--database", database],
    )
    assert result.exit_code == 0, result.output
    assert (out / "PERSON.csv").is_file() and (out / "CDM_SOURCE.csv").is_file()
    result = runner.invoke(app, ["omop", "check", str(out)])
    assert result.exit_code == 0, result.output
    assert "every OMOP CDM 5.4 field check passed" in result.output
    person = (out / "PERSON.csv").read_text(encoding="utf-8").splitlines()
    person[1] = person[1].replace(",8532,", ",9999,").replace(",8507,", ",9999,")
    (out / "PERSON.csv").write_text("\n".join(person) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["omop", "check", str(out)])
    assert result.exit_code == 1
    assert "PERSON.csv:2: gender_concept_id: concept 9999 is not in the CONCEPT table" in (
        result.output
    )


def test_ddl(tmp_path: Path) -> None:
    out = tmp_path / "omop.sql"
    result = runner.invoke(app, ["omop", "ddl", str(out), "--dialect", "sqlite"])
    assert result.exit_code == 0, result.output
    assert "CREATE TABLE measurement (" in out.read_text(encoding="utf-8")
    assert runner.invoke(app, ["omop", "ddl", str(out), "--dialect", "oracle"]).exit_code == 1
