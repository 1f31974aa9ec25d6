"""Loading records from the registry is set-based (issue 13): reports, exports, the
worklist and the patient pages read each table with a fixed number of statements, never
one per patient, on SQLite and PostgreSQL alike.

Statements are counted at the driver: SQLAlchemy's `before_cursor_execute` event sees
every statement on PostgreSQL; on SQLite the registry's bulk reads go straight through
the sqlite3 driver (`registry/fast.py`), so a SQLAlchemy pool `connect` event installs
sqlite3's trace callback on every connection, which sees those too. The oracle: the count
for a registry of 4 patients equals the count for one of 600 (more than the 500 ids one
`IN (...)` takes), whatever the filter; it is one statement per table read.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlalchemy.pool import Pool
from typer.testing import CliRunner

from myotrack import registry
from myotrack.cli import app
from myotrack.cohort.synth import synthesize
from myotrack.domain import Cohort
from myotrack.web.policy import Principal, Role
from myotrack.web.reports import visible_cohort

PG_ENV = "MYOTRACK_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
SMALL, LARGE = 4, 600


class Statements:
    """Counts the statements that read (SELECT) sent to the database."""

    def __init__(self) -> None:
        self.selects: list[str] = []
        self.counting = False

    def seen(self, sql: str) -> None:
        if self.counting and sql.lstrip().upper().startswith(("SELECT", "WITH")):
            self.selects.append(sql)

    def count(self, action: Any) -> int:
        self.selects.clear()
        self.counting = True
        try:
            action()
        finally:
            self.counting = False
        return len(self.selects)


@pytest.fixture
def statements() -> Iterator[Statements]:
    counter = Statements()

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        if hasattr(dbapi_connection, "set_trace_callback"):  # sqlite3
            dbapi_connection.set_trace_callback(counter.seen)

    def on_execute(conn: Any, _cursor: Any, sql: str, *_: Any) -> None:
        if conn.dialect.name != "sqlite":  # sqlite3's trace callback sees SQLite's
            counter.seen(sql)

    event.listen(Pool, "connect", on_connect)
    event.listen(Engine, "before_cursor_execute", on_execute)
    yield counter
    event.remove(Engine, "before_cursor_execute", on_execute)
    event.remove(Pool, "connect", on_connect)


def _cohort(patients: int) -> Cohort:
    cohort = synthesize(patients, seed=5, visits_per_patient=2, labs_per_patient=3)
    # two sites, so that a site filter leaves some patients out
    sited = tuple(
        replace(p, site="Lund" if i % 2 else "Malmö") for i, p in enumerate(cohort.patients)
    )
    return replace(cohort, patients=sited)


def _registry_url(backend: str, tmp_path: Path, patients: int) -> str:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / f'registry-{patients}.db'}"
    else:
        url = os.environ.get(PG_ENV, "")
        if not url:
            pytest.skip(f"no PostgreSQL server: set {PG_ENV} to run the PostgreSQL variant")
    engine = registry.connect(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
    registry.upgrade(engine)
    with registry.transaction(engine) as session:
        registry.import_cohort(session, _cohort(patients), actor="test", reason="test")
    engine.dispose()
    return url


def _reads(url: str, statements: Statements, out: Path) -> dict[str, int]:
    """Statements of each way records are loaded, on the registry at `url`."""
    engine = registry.connect(url)
    counts: dict[str, int] = {}
    with registry.transaction(engine) as session:
        session.connection()  # the connection and its setup are not counted
        ids = [p.patient_id for p in registry.list_patients(session)]

        def load(**kwargs: Any) -> None:
            registry.load_cohort(session, **kwargs)

        counts["all"] = statements.count(load)
        counts["one site"] = statements.count(lambda: load(sites=["Lund"]))
        counts["a few patients"] = statements.count(lambda: load(patient_ids=ids[:3]))
        counts["most patients"] = statements.count(lambda: load(patient_ids=ids[1:]))
        counts["one record"] = statements.count(lambda: registry.load_record(session, ids[0]))
        counts["patient list"] = statements.count(lambda: registry.list_patients(session))
        clinician = Principal("nurse", Role.CLINICIAN, "Lund")
        researcher = Principal("analyst", Role.RESEARCHER, None)
        counts["report, clinician"] = statements.count(lambda: visible_cohort(session, clinician))
        counts["report, researcher"] = statements.count(lambda: visible_cohort(session, researcher))
    engine.dispose()
    runner = CliRunner()
    for name, args in {
        "export": ["export", "--database", url, str(out)],
        "worklist (due)": ["due", "--database", url, "--date", "2024-01-01", "--format", "csv"],
    }.items():

        def command(args: list[str] = args) -> None:
            result = runner.invoke(app, args)
            assert result.exit_code == 0, result.output

        counts[name] = statements.count(command)
    return counts


@pytest.mark.parametrize("backend", BACKENDS)
def test_loading_takes_as_many_statements_for_600_patients_as_for_4(
    backend: str, tmp_path: Path, statements: Statements
) -> None:
    small = _reads(_registry_url(backend, tmp_path, SMALL), statements, tmp_path / "small")
    large = _reads(_registry_url(backend, tmp_path, LARGE), statements, tmp_path / "large")
    assert large == small
    # one statement per table read (patients, each record table, the cut-off setting): far
    # fewer than the patients, and one record costs what the whole registry costs
    assert all(0 < n < 60 for n in small.values()), small
    assert small["one record"] == small["all"], small
