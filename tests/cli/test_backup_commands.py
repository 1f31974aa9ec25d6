"""`myotrack backup`, `restore` and `audit verify`, as a data manager uses them: an online
copy while the registry is being written, a restore that checks before it replaces, and a
tampered audit trail reported by row."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from myotrack import registry
from myotrack.cli import app
from myotrack.domain import Patient

FolderMaker = Callable[..., Path]
runner = CliRunner()


def _run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, " ".join(result.output.split())  # long lines may wrap


@pytest.fixture
def database(tmp_path: Path, folder_maker: FolderMaker) -> str:
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    assert _run("import", str(folder_maker(tmp_path / "cohort")), "--database", url)[0] == 0
    return url


def _patients(url: str) -> set[str]:
    engine = registry.connect(url)
    try:
        with registry.transaction(engine) as session:
            return {p.patient_id for p in registry.list_patients(session)}
    finally:
        engine.dispose()


def _add_patient(url: str, patient_id: str) -> None:
    engine = registry.connect(url)
    try:
        with registry.transaction(engine, write=True) as session:
            registry.save_patient(
                session,
                Patient(
                    patient_id=patient_id, sex="M", birth_date=date(2015, 1, 1), diagnosis="JDM"
                ),
                expected_version=None,
                actor="test",
                reason="test",
            )
    finally:
        engine.dispose()


def test_backup_then_restore_gives_back_the_registry(database: str, tmp_path: Path) -> None:
    copy = tmp_path / "backup.db"
    code, out = _run("backup", str(copy), "--database", database)
    assert code == 0, out
    assert "integrity ok" in out and "audit trail intact" in out
    before = _patients(database)
    _add_patient(database, "AFTER-BACKUP")
    assert "AFTER-BACKUP" in _patients(database)
    code, out = _run("restore", str(copy), "--database", database, "--yes")
    assert code == 0, out
    assert _patients(database) == before
    kept = [p for p in tmp_path.iterdir() if ".before-restore-" in p.name]
    assert len(kept) == 1  # the replaced registry is kept
    assert "AFTER-BACKUP" in _patients(f"sqlite:///{kept[0]}")
    code, out = _run("audit", "verify", "--database", database)
    assert code == 0 and "Audit trail intact" in out
    code, out = _run("backup", str(copy), "--database", database)
    assert code == 1 and "exists already" in out


def test_restore_recreates_a_lost_registry(database: str, tmp_path: Path) -> None:
    copy = tmp_path / "backup.db"
    assert _run("backup", str(copy), "--database", database)[0] == 0
    before = _patients(database)
    lost = tmp_path / "elsewhere" / "registry.db"
    lost.parent.mkdir()
    url = f"sqlite:///{lost}"
    code, out = _run("restore", str(copy), "--database", url, "--yes")
    assert code == 0, out
    assert _patients(url) == before
    assert _run("audit", "verify", "--database", url)[0] == 0


def test_backup_while_the_registry_is_written(database: str, tmp_path: Path) -> None:
    stop = threading.Event()
    written: list[str] = []

    def writer() -> None:
        n = 0
        while not stop.is_set() and n < 400:
            _add_patient(database, f"W{n:04d}")
            written.append(f"W{n:04d}")
            n += 1

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 5:
            stop.wait(0.01)
        codes = [
            _run("backup", str(tmp_path / f"b{i}.db"), "--database", database) for i in range(3)
        ]
    finally:
        stop.set()
        thread.join()
    assert all(code == 0 for code, _ in codes), codes
    for i in range(3):
        url = f"sqlite:///{tmp_path / f'b{i}.db'}"
        copied = {p for p in _patients(url) if p.startswith("W")}
        # a consistent snapshot: a prefix of what was written, never a hole
        assert copied == {f"W{n:04d}" for n in range(len(copied))}
        assert _run("audit", "verify", "--database", url)[0] == 0


def test_restore_refuses_a_bad_file_and_changes_nothing(database: str, tmp_path: Path) -> None:
    before = _patients(database)
    not_sqlite = tmp_path / "notes.db"
    not_sqlite.write_text("patient_id,sex\nP01,F\n", encoding="utf-8")
    code, out = _run("restore", str(not_sqlite), "--database", database, "--yes")
    assert code == 1 and "not a SQLite database" in out and "unchanged" in out

    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    code, out = _run("restore", str(other), "--database", database, "--yes")
    assert code == 1 and "no myotrack registry" in out

    tampered = tmp_path / "tampered.db"
    assert _run("backup", str(tampered), "--database", database)[0] == 0
    conn = sqlite3.connect(tampered)
    conn.execute("UPDATE audit_event SET actor = 'someone else' WHERE id = 1")
    conn.commit()
    conn.close()
    code, out = _run("restore", str(tampered), "--database", database, "--yes")
    assert code == 1 and "audit row 1" in out and "unchanged" in out

    newer = tmp_path / "newer.db"
    assert _run("backup", str(newer), "--database", database)[0] == 0
    conn = sqlite3.connect(newer)
    conn.execute("UPDATE alembic_version SET version_num = 'v9999_from_the_future'")
    conn.commit()
    conn.close()
    code, out = _run("restore", str(newer), "--database", database, "--yes")
    assert code == 1 and "newer myotrack" in out

    assert _patients(database) == before
    assert not [p for p in tmp_path.iterdir() if ".before-restore-" in p.name]


def test_audit_verify_names_the_first_altered_row(database: str, tmp_path: Path) -> None:
    code, out = _run("audit", "verify", "--database", database)
    assert code == 0
    head = out.split("head hash ")[1].split(".")[0]
    _add_patient(database, "LATER")
    assert _run("audit", "verify", "--database", database, "--expect", head)[0] == 0
    path = database.removeprefix("sqlite:///")
    conn = sqlite3.connect(path)
    conn.execute("UPDATE audit_event SET reason = 'edited' WHERE id = 2")
    conn.commit()
    conn.close()
    code, out = _run("audit", "verify", "--database", database)
    assert code == 2 and "audit row 2" in out and "altered" in out


def test_backup_of_postgresql_gives_pg_dump_guidance() -> None:
    url = os.environ.get("MYOTRACK_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("no PostgreSQL server: set MYOTRACK_TEST_POSTGRES_URL")
    assert _run("init", "--database", url)[0] == 0
    code, out = _run("backup", "ignored.dump", "--database", url)
    assert code == 0 and "pg_dump" in out and "pg_restore" in out
    assert "myotrack:myotrack@" not in out  # never the password
