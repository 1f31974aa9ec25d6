"""The registry commands end to end, as a data manager uses them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from myotrack.cli import app
from myotrack.cohort import read_folder

FolderMaker = Callable[..., Path]
runner = CliRunner()


@pytest.fixture
def database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'registry.db'}"


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_validate_good_and_bad(tmp_path: Path, folder_maker: FolderMaker) -> None:
    code, out = _run("validate", str(folder_maker(tmp_path / "good")))
    assert code == 0 and "no problems found" in out and "2 patients" in out
    bad = folder_maker(tmp_path / "bad", visits_csv="patient_id,date,cmas\nP01,2018-01-05,60\n")
    code, out = _run("validate", str(bad))
    assert code == 1
    assert "visits.csv:2: cmas: 60 is out of range: must be between 0 and 52 [range]" in out


def test_import_is_all_or_nothing_and_idempotent(
    tmp_path: Path, folder_maker: FolderMaker, database: str
) -> None:
    bad = folder_maker(tmp_path / "bad", events_csv="patient_id,date,event\nP01,2018-01-05,oops\n")
    code, out = _run("import", str(bad), "--database", database)
    assert code == 1 and "nothing was stored" in out
    code, out = _run("patients", "--database", database)
    assert code == 1 and "there is no registry" in out
    assert _run("init", "--database", database)[0] == 0
    code, out = _run("patients", "--database", database)
    assert code == 0 and "0 patients" in out

    good = folder_maker(tmp_path / "good")
    code, out = _run("import", str(good), "--database", database)
    assert code == 0, out
    assert "Imported" in out and "added" in out and "patient" in out
    code, out = _run("import", str(good), "--database", database)
    assert code == 0 and "Nothing changed" in out


def test_import_export_import_is_lossless(
    tmp_path: Path, folder_maker: FolderMaker, database: str
) -> None:
    good = folder_maker(tmp_path / "good")
    assert _run("import", str(good), "--database", database)[0] == 0
    code, out = _run("export", str(tmp_path / "out"), "--database", database)
    assert code == 0, out
    original, _ = read_folder(good)
    exported, issues = read_folder(tmp_path / "out")
    assert issues == [] and exported == original
    code, out = _run("import", str(tmp_path / "out"), "--database", database)
    assert code == 0 and "Nothing changed" in out


def test_patients_timeline_and_summary(
    tmp_path: Path, folder_maker: FolderMaker, database: str
) -> None:
    assert _run("import", str(folder_maker(tmp_path / "good")), "--database", database)[0] == 0
    code, out = _run("patients", "--database", database)
    assert code == 0 and "P01" in out and "ruxolitinib" in out and "2018-01-06" in out
    code, out = _run("timeline", "P02", "--database", database)
    assert code == 0, out
    assert "CK 15.6 U/L" in out and "reported 0.26 µmol/(s*L)" in out
    assert "LDH 322.2 U/L ↑ HIGH" in out
    assert "infection: PJP (grade 3)" in out
    assert "prednisolone 1 mg/kg QD oral" in out
    code, out = _run("timeline", "NOPE", "--database", database)
    assert code == 1 and "no patient 'NOPE'" in out
    code, out = _run("summary", "--database", database)
    assert (
        code == 0
        and "2 patients" in out
        and "1 patient started a JAK inhibitor (ruxolitinib 1)" in out
    )
    assert "P01" in out and "2.5 mg BID oral" in out and "22.5 kg" in out


def test_synth_writes_a_valid_reproducible_cohort(tmp_path: Path) -> None:
    for name in ("a", "b"):
        code, out = _run(
            "synth",
            str(tmp_path / name),
            "--patients",
            "5",
            "--seed",
            "7",
            "--visits",
            "4",
            "--labs",
            "6",
        )
        assert code == 0, out
    a, issues = read_folder(tmp_path / "a")
    assert issues == [] and a is not None and len(a.patients) == 5
    assert (tmp_path / "a" / "visits.csv").read_bytes() == (
        tmp_path / "b" / "visits.csv"
    ).read_bytes()


def test_every_command_has_help() -> None:
    for command in (
        "init",
        "validate",
        "import",
        "export",
        "patients",
        "timeline",
        "synth",
        "summary",
    ):
        code, out = _run(command, "--help")
        assert code == 0 and "Usage" in out


def test_wrong_paths_and_urls_get_messages_not_tracebacks(tmp_path: Path) -> None:
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x", encoding="utf-8")
    for args in (("export", str(a_file)), ("synth", str(a_file), "--patients", "2")):
        result = runner.invoke(app, list(args))
        # typer.Exit ends as SystemExit; a traceback would leave an Exception here
        assert result.exit_code == 1 and not isinstance(result.exception, Exception)
        assert "is a file; give the name of a folder" in result.output
    code, out = _run("validate", str(a_file))
    assert code == 1 and "is a file, not a folder" in out and "nothing was stored" not in out
    code, out = _run("patients", "--database", "foo://nowhere")
    assert code == 1 and "is not one myotrack can use" in out
    code, out = _run("patients", "--database", "postgresql+psycopg://u:secretpw@127.0.0.1:1/db")
    assert code == 1 and "cannot open the registry" in out and "secretpw" not in out
