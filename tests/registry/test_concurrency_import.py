"""Imports and concurrent writers, on SQLite and PostgreSQL: one import at a time (a
second one is told so, in one line), a write that cannot get the lock raises BusyError
(the web answers 503), an import holds the write lock from its start, and an import
killed with SIGKILL half-way leaves nothing behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, update
from typer.testing import CliRunner

from myotrack import registry
from myotrack.cli import app
from myotrack.cohort import write_folder
from myotrack.cohort.synth import synthesize
from myotrack.domain import Patient
from myotrack.registry import engine as engine_module
from myotrack.registry.errors import BusyError, ImportRunningError, UnavailableError
from myotrack.registry.locks import hold_import_lock
from myotrack.registry.tables import AUDIT_TABLE, PATIENT_TABLE, VISIT_TABLE


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _patient(pid: str) -> Patient:
    return Patient(patient_id=pid, sex="F", birth_date=date(2012, 3, 4), diagnosis="JDM")


def _count(engine: Engine, table: object) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


def test_a_second_import_is_refused_while_one_runs(engine: Engine) -> None:
    cohort = synthesize(2, seed=3, visits_per_patient=2, labs_per_patient=2)
    with registry.transaction(engine) as first:
        hold_import_lock(first)
        refused = pytest.raises(ImportRunningError, match="another cohort import is running")
        with refused, registry.transaction(engine) as second:
            registry.import_cohort(second, cohort, actor="t", reason="second")
    # The first transaction has ended: the lock went with it.
    with registry.transaction(engine) as session:
        assert registry.import_cohort(session, cohort, actor="t", reason="after").changed


def test_cli_import_while_another_runs_says_so_in_one_line(engine: Engine, tmp_path: Path) -> None:
    folder = tmp_path / "cohort"
    write_folder(synthesize(2, seed=4, visits_per_patient=2, labs_per_patient=2), folder)
    with registry.transaction(engine) as running:
        hold_import_lock(running)
        result = CliRunner().invoke(app, ["import", str(folder), "--database", _url(engine)])
    assert result.exit_code == 1
    assert "another cohort import is running" in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)  # a clean exit, not the error itself
    again = CliRunner().invoke(app, ["import", str(folder), "--database", _url(engine)])
    assert again.exit_code == 0, again.output


def test_a_write_that_cannot_get_the_lock_is_busy_not_a_crash(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine_module, "WRITE_WAIT_SECONDS", 0.2)
    with registry.transaction(engine, write=True) as session:
        registry.save_patient(
            session, _patient("LOCK-1"), expected_version=None, actor="t", reason="t"
        )
    holder = registry.transaction(engine, write=True)
    session = holder.__enter__()
    try:
        # Hold the lock a writer needs: SQLite's write lock, PostgreSQL's row lock.
        session.execute(
            update(PATIENT_TABLE).where(PATIENT_TABLE.c.patient_id == "LOCK-1").values(sex="F")
        )
        busy = pytest.raises(BusyError, match="busy")
        with busy, registry.transaction(engine, write=True) as other:
            registry.save_patient(
                other,
                Patient(patient_id="LOCK-1", sex="M", birth_date=date(2012, 3, 4), diagnosis="JDM"),
                expected_version=1,
                actor="t",
                reason="t",
            )
    finally:
        holder.__exit__(None, None, None)
    with registry.transaction(engine, write=True) as session:  # free again: it works
        registry.save_patient(
            session, _patient("LOCK-2"), expected_version=None, actor="t", reason="t"
        )


def test_an_import_holds_the_write_lock_from_its_start(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The old failure: an import read, a web save committed, the import's first write
    then failed at once with "database is locked". Now the import's transaction owns
    the write lock before it reads, so a concurrent writer waits (and gets BusyError
    after the wait), never the import."""
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL writers do not share one database-wide write lock")
    monkeypatch.setattr(engine_module, "WRITE_WAIT_SECONDS", 0.2)
    cohort = synthesize(3, seed=5, visits_per_patient=2, labs_per_patient=2)
    with registry.transaction(engine) as importing:  # deferred, as the CLI opens it
        registry.import_cohort(importing, cohort, actor="t", reason="t")
        with pytest.raises(BusyError), registry.transaction(engine, write=True) as web:
            registry.save_patient(
                web, _patient("WEB-1"), expected_version=None, actor="w", reason="w"
            )
    assert _count(engine, PATIENT_TABLE) == 3


_KILLED_IMPORT = textwrap.dedent(
    """
    import sys, time
    from myotrack import registry
    from myotrack.cohort.synth import synthesize

    engine = registry.connect(sys.argv[1])
    cohort = synthesize(40, seed=9, visits_per_patient=30, labs_per_patient=40)

    def progress(done, total):
        if done:
            print("WRITING", done, total, flush=True)
            time.sleep(120)  # killed here, half-way through the inserts

    with registry.transaction(engine) as session:
        registry.import_cohort(session, cohort, actor="k", reason="killed", progress=progress)
    print("FINISHED", flush=True)
    """
)


def test_an_import_killed_with_sigkill_leaves_nothing(engine: Engine, tmp_path: Path) -> None:
    with registry.transaction(engine, write=True) as session:
        registry.save_patient(
            session, _patient("KEEP-1"), expected_version=None, actor="t", reason="t"
        )
    before = (
        _count(engine, PATIENT_TABLE),
        _count(engine, VISIT_TABLE),
        _count(engine, AUDIT_TABLE),
    )
    script = tmp_path / "killed_import.py"
    script.write_text(_KILLED_IMPORT)
    with subprocess.Popen(  # leaving the block closes its pipes
        [sys.executable, str(script), _url(engine)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    ) as proc:
        try:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            assert line.startswith("WRITING"), (line, proc.stderr.read() if proc.stderr else "")
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert proc.returncode == -signal.SIGKILL
    after = (
        _count(engine, PATIENT_TABLE),
        _count(engine, VISIT_TABLE),
        _count(engine, AUDIT_TABLE),
    )
    assert after == before  # nothing of the killed import
    # The registry works, and the import lock died with the process (PostgreSQL may need
    # a moment to notice the dropped connection).
    cohort = synthesize(2, seed=10, visits_per_patient=2, labs_per_patient=2)
    for attempt in range(50):
        try:
            with registry.transaction(engine) as session:
                assert registry.import_cohort(session, cohort, actor="t", reason="after").changed
            break
        except (ImportRunningError, BusyError):
            if attempt == 49:
                raise
            time.sleep(0.2)
    assert _count(engine, PATIENT_TABLE) == before[0] + 2


class _DriverError(Exception):
    def __init__(self, *, sqlstate: str | None = None, sqlite_errorcode: int | None = None):
        super().__init__("driver error")
        if sqlstate is not None:
            self.sqlstate = sqlstate
        if sqlite_errorcode is not None:
            self.sqlite_errorcode = sqlite_errorcode


@pytest.mark.parametrize(
    ("orig", "expected"),
    [
        (_DriverError(sqlite_errorcode=5), BusyError),  # SQLITE_BUSY
        (_DriverError(sqlite_errorcode=517), BusyError),  # SQLITE_BUSY_SNAPSHOT
        (_DriverError(sqlite_errorcode=6), BusyError),  # SQLITE_LOCKED
        (_DriverError(sqlstate="55P03"), BusyError),  # lock_not_available
        (_DriverError(sqlstate="40P01"), BusyError),  # deadlock_detected
        (_DriverError(sqlstate="40001"), BusyError),  # serialization_failure
        (_DriverError(sqlstate="08006"), UnavailableError),  # connection_failure
        (_DriverError(sqlstate="53300"), UnavailableError),  # too_many_connections
        (_DriverError(sqlstate="57P01"), UnavailableError),  # admin_shutdown
        (_DriverError(), UnavailableError),  # no code: cannot connect
    ],
)
def test_driver_errors_become_registry_errors(orig: Exception, expected: type) -> None:
    from sqlalchemy.exc import OperationalError

    from myotrack.registry.engine import translate

    assert isinstance(translate(OperationalError("SELECT 1", None, orig)), expected)


def test_other_driver_errors_are_left_alone() -> None:
    from sqlalchemy.exc import IntegrityError

    from myotrack.registry.engine import translate

    error = IntegrityError("INSERT", None, _DriverError(sqlstate="23505"))
    assert translate(error) is error
