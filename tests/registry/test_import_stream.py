"""`registry.import_folder` (issue 13): a version 1 cohort folder checked and stored a chunk
at a time gives the registry, the counts and the audit trail of
`import_cohort(read_folder(folder))`, in one transaction, all or nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from myotrack.cli import app
from myotrack.cohort import read_folder
from myotrack.cohort import stream as stream_module
from myotrack.domain import Cohort, ValidationIssue
from myotrack.registry import (
    FolderProblemsError,
    ImportSummary,
    audit_log,
    connect,
    current_revision,
    import_cohort,
    import_folder,
    load_cohort,
    transaction,
    upgrade,
    verify_chain,
)
from myotrack.registry.tables import AUDIT_TABLE, LAB_TABLE, PATIENT_TABLE, VISIT_TABLE

TODAY = date(2026, 12, 1)
FolderMaker = Callable[..., Path]


def _stream(
    engine: Engine, folder: Path, progress: Callable[[int, int], None] | None = None
) -> ImportSummary:
    with transaction(engine) as session:
        outcome = import_folder(
            session,
            folder,
            today=TODAY,
            actor="dm",
            reason="first import",
            source="demo/",
            progress=progress,
        )
    assert outcome is not None
    return outcome[0]


def _oracle(tmp_path: Path, folder: Path, before: Cohort | None = None) -> ImportSummary:
    """The counts of import_cohort(read_folder(folder)) into a SQLite registry holding
    `before`."""
    engine = connect(f"sqlite:///{tmp_path / 'oracle.db'}")
    upgrade(engine)
    if before is not None:
        with transaction(engine) as session:
            import_cohort(session, before, actor="dm", reason="before")
    cohort, issues = read_folder(folder, today=TODAY)
    assert cohort is not None, issues
    with transaction(engine) as session:
        summary = import_cohort(session, cohort, actor="dm", reason="first import")
    engine.dispose()
    return summary


def _load(engine: Engine) -> Cohort:
    with transaction(engine) as session:
        return load_cohort(session)


def _count(engine: Engine, table: object) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of two rows, so that a small folder is stored in many pieces."""
    monkeypatch.setattr(stream_module, "CHUNK", 2)


def test_a_new_folder_is_stored_as_read_folder_reads_it(
    engine: Engine, tmp_path: Path, folder_maker: FolderMaker, small_chunks: None
) -> None:
    folder = folder_maker(tmp_path / "cohort")
    seen: list[tuple[int, int]] = []
    summary = _stream(engine, folder, progress=lambda done, total: seen.append((done, total)))
    expected = _oracle(tmp_path, folder)
    assert summary.counts() == expected.counts()
    cohort, _ = read_folder(folder, today=TODAY)
    assert _load(engine) == cohort
    with transaction(engine) as session:
        entries = audit_log(session)
        assert [e.action for e in entries] == ["insert", "import"]  # the cut-off, the import
        event = entries[1]
        assert event.id == summary.import_id and event.reason == "first import"
        assert event.new == {"source": "demo/", "counts": expected.counts()}
        links = session.connection().execute(select(LAB_TABLE.c.created_by_audit_id)).scalars()
        assert set(links) == {summary.import_id}
        assert verify_chain(session).problem is None
    total = sum(c.added for name, c in summary.tables.items() if name != "setting")
    assert seen and seen[-1] == (total, total)
    if engine.dialect.name == "sqlite":  # the import's smaller page cache is given back
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -65536


def test_importing_again_changes_nothing(
    engine: Engine, tmp_path: Path, folder_maker: FolderMaker
) -> None:
    folder = folder_maker(tmp_path / "cohort")
    _stream(engine, folder)
    events = _count(engine, AUDIT_TABLE)
    again = _stream(engine, folder)
    assert not again.changed and again.import_id is None
    assert again["lab"].unchanged == 4 and again["lab"].added == 0
    assert _count(engine, AUDIT_TABLE) == events


def test_a_folder_meeting_stored_patients_is_merged(
    engine: Engine, tmp_path: Path, folder_maker: FolderMaker
) -> None:
    folder = folder_maker(tmp_path / "cohort")
    cohort, _ = read_folder(folder, today=TODAY)
    assert cohort is not None
    first = Cohort(
        cohort.patients[:1],
        cohort.visits[:1],
        tuple(lab for lab in cohort.labs if lab.patient_id == "P01"),
    )
    with transaction(engine) as session:
        import_cohort(session, first, actor="dm", reason="before")
    summary = _stream(engine, folder)
    assert summary.counts() == _oracle(tmp_path, folder, before=first).counts()
    assert summary["patient"].unchanged == 1 and summary["patient"].added == 1
    assert _load(engine) == cohort


def _nothing_stored(engine: Engine) -> None:
    assert _count(engine, PATIENT_TABLE) == 0
    assert _count(engine, VISIT_TABLE) == 0
    assert _count(engine, AUDIT_TABLE) == 0


@pytest.mark.parametrize(
    "labs",
    [
        # a key repeated in the last file, after the other files' rows were stored
        "patient_id,date,analyte,value,unit\nP01,2018-01-05,CK,1,U/L\nP01,2018-01-05,CK,2,U/L\n",
        # a cell problem in the last file
        "patient_id,date,analyte,value,unit\nP01,2018-01-05,CK,1,U/L\nP01,2018-02-30,CK,2,U/L\n",
        # an unknown patient
        "patient_id,date,analyte,value,unit\nP01,2018-01-05,CK,1,U/L\nP07,2018-01-05,CK,2,U/L\n",
    ],
)
def test_a_problem_found_late_undoes_every_write(
    engine: Engine, tmp_path: Path, folder_maker: FolderMaker, small_chunks: None, labs: str
) -> None:
    folder = folder_maker(tmp_path / "cohort", labs_csv=labs, events_csv=None)
    _, expected = read_folder(folder, today=TODAY)
    with pytest.raises(FolderProblemsError) as raised, transaction(engine) as session:
        import_folder(session, folder, today=TODAY, actor="dm", reason="r")
    assert raised.value.issues == expected and len(expected) == 1
    _nothing_stored(engine)


def test_a_version_2_folder_is_left_to_import_cohort(
    engine: Engine, tmp_path: Path, folder_maker: FolderMaker
) -> None:
    folder = folder_maker(tmp_path / "cohort", cohort_toml="format_version = 2\n")
    with transaction(engine) as session:
        assert import_folder(session, folder, today=TODAY, actor="dm", reason="r") is None
    _nothing_stored(engine)


def _issues_printed(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(("patients.", "visits."))]


def test_the_command_prints_the_same_problems_and_stores_nothing(
    tmp_path: Path, folder_maker: FolderMaker
) -> None:
    visits = "patient_id,date,cmas\nP01,2018-02-30,30\nP01,2018-01-05,99\nP77,2018-01-06,1\n"
    folder = folder_maker(tmp_path / "cohort", visits_csv=visits)
    issues: list[ValidationIssue] = read_folder(folder)[1]
    database = f"sqlite:///{tmp_path / 'r.db'}"
    result = CliRunner().invoke(app, ["import", "--database", database, str(folder)])
    assert result.exit_code != 0
    assert _issues_printed(result.output) == [str(i) for i in issues]
    assert "3 problems found; nothing was stored." in result.output
    validated = CliRunner().invoke(app, ["validate", str(folder)])
    assert _issues_printed(validated.output) == [str(i) for i in issues]
    assert not (tmp_path / "r.db").exists()  # not even the registry made for the import


def test_the_command_imports_then_finds_nothing_changed(
    tmp_path: Path, folder_maker: FolderMaker
) -> None:
    folder = folder_maker(tmp_path / "cohort")
    database = f"sqlite:///{tmp_path / 'r.db'}"
    runner = CliRunner()
    first = runner.invoke(app, ["import", "--database", database, str(folder)])
    assert first.exit_code == 0, first.output
    assert "Imported" in first.output and "in one transaction" in first.output
    again = runner.invoke(app, ["import", "--database", database, str(folder)])
    assert again.exit_code == 0, again.output
    assert "Nothing changed" in again.output
    said = " ".join(again.output.split())
    assert "(2 patients, 3 visits, 4 lab results, 3 drug courses, 2 events)" in said
    engine = connect(database)
    cohort, _ = read_folder(folder)
    assert _load(engine) == cohort
    engine.dispose()


def test_a_folder_with_problems_leaves_no_new_registry(
    bare_engine: Engine, tmp_path: Path, folder_maker: FolderMaker
) -> None:
    """SQLite: the file made for the import is removed again; PostgreSQL without a registry:
    the folder is checked before the registry is made."""
    url = bare_engine.url.render_as_string(hide_password=False)
    bad = folder_maker(tmp_path / "bad", events_csv="patient_id,date,event\nP01,2018-01-05,oops\n")
    result = CliRunner().invoke(app, ["import", "--database", url, str(bad)])
    assert result.exit_code == 1 and "nothing was stored" in result.output
    assert current_revision(bare_engine) is None
    good = folder_maker(tmp_path / "good")
    result = CliRunner().invoke(app, ["import", "--database", url, str(good)])
    assert result.exit_code == 0, result.output
    assert current_revision(bare_engine) is not None
    cohort, _ = read_folder(good)
    assert _load(bare_engine) == cohort


def test_changed_rows_are_merged_as_import_cohort_merges_them(
    engine: Engine, tmp_path: Path, folder_maker: FolderMaker, small_chunks: None
) -> None:
    first = folder_maker(tmp_path / "first")
    visits = (first / "visits.csv").read_text(encoding="utf-8")
    visits = visits.replace("P01,2018-04-05,23,no,no,45,1", "P01,2018-04-05,23,no,no,46,1")
    labs = (first / "labs.csv").read_text(encoding="utf-8") + "P01,2019-01-05,CK,80,,U/L,,\n"
    changed = folder_maker(
        tmp_path / "changed", visits_csv=visits + "P02,2022-01-20,17,no,no,40,\n", labs_csv=labs
    )
    _stream(engine, first)
    summary = _stream(engine, changed)

    oracle = connect(f"sqlite:///{tmp_path / 'oracle.db'}")
    upgrade(oracle)
    for folder in (first, changed):
        cohort, _ = read_folder(folder, today=TODAY)
        assert cohort is not None
        with transaction(oracle) as session:
            expected = import_cohort(
                session, cohort, actor="dm", reason="first import", source="demo/"
            )
    assert summary.counts() == expected.counts()
    assert summary["visit"].updated == 1 and summary["visit"].added == 1
    assert summary["lab"].added == 1 and summary["lab"].unchanged == 4

    def trail(engine: Engine) -> list[tuple[object, ...]]:
        with transaction(engine) as session:
            return [
                (e.action, e.table, e.record, e.old, e.new if e.action != "import" else None)
                for e in audit_log(session)
            ]

    assert trail(engine) == trail(oracle)
    oracle.dispose()
    cohort, _ = read_folder(changed, today=TODAY)
    assert _load(engine) == cohort


def test_a_folder_changing_during_its_import_stops_it(
    tmp_path: Path, folder_maker: FolderMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = folder_maker(tmp_path / "cohort")
    database = f"sqlite:///{tmp_path / 'r.db'}"
    assert CliRunner().invoke(app, ["import", "--database", database, str(folder)]).exit_code == 0
    visits = (folder / "visits.csv").read_text(encoding="utf-8")
    (folder / "visits.csv").write_text(visits.replace(",45,", ",46,"), encoding="utf-8")
    chunks = stream_module.FolderScan.chunks

    def changing(
        scan: stream_module.FolderScan, file: str, size: int = 20_000
    ) -> Iterator[list[Any]]:
        if file == "visits.csv":
            (folder / "visits.csv").write_text(visits + "P01,2019-01-05,24,,,40,\n")
        return chunks(scan, file, size)

    monkeypatch.setattr(stream_module.FolderScan, "chunks", changing)
    result = CliRunner().invoke(app, ["import", "--database", database, str(folder)])
    assert result.exit_code == 1
    assert "visits.csv changed after it was checked" in " ".join(result.output.split())
    engine = connect(database)
    with transaction(engine) as session:
        assert [e.action for e in audit_log(session)] == ["insert", "import"]  # the first only
    engine.dispose()
