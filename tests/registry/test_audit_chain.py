"""The audit trail is a hash chain: every write appends to it, concurrent writers never
fork it, and `verify_chain` finds the first altered or removed row. On SQLite and (with
MYOTRACK_TEST_POSTGRES_URL) PostgreSQL.

The oracle: an independent recomputation here of SHA-256(previous hash + canonical JSON)
over the rows as the database returns them.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import Engine

from myotrack.domain import Patient, Visit
from myotrack.registry import (
    connect,
    import_cohort,
    save_patient,
    save_visit,
    set_setting,
    transaction,
    upgrade,
)
from myotrack.registry.audit import GENESIS_HASH, verify_chain
from myotrack.registry.migrate import alembic_config

# The conftest of this folder gives `engine` (SQLite and PostgreSQL) and make_cohort.
from .conftest import make_cohort

PG_ENV = "MYOTRACK_TEST_POSTGRES_URL"
MIGRATION = importlib.import_module("myotrack.registry.migrations.versions.v0004_audit_hash_chain")
CONTENT = (
    "at",
    "actor",
    "action",
    "table_name",
    "record_key",
    "patient_id",
    "old_value",
    "new_value",
    "reason",
    "import_id",
)


def _plain(value: object) -> object:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, datetime):
        aware = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return aware.isoformat(timespec="microseconds")
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    raise TypeError(value)


def _recomputed(engine: Engine) -> list[tuple[int, str, str | None]]:
    """(id, hash recomputed here, hash stored) of every row in id order."""
    out = []
    previous = "0" * 64
    with engine.connect() as conn:
        table = sa.Table("audit_event", sa.MetaData(), autoload_with=conn)
        for row in conn.execute(sa.select(table).order_by(table.c.id)).mappings():
            content = {name: _plain(row[name]) for name in CONTENT}
            text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
            previous = hashlib.sha256((previous + text).encode()).hexdigest()
            out.append((int(row["id"]), previous, row["row_hash"]))
    return out


def _write_some(engine: Engine) -> None:
    with transaction(engine, write=True) as session:
        import_cohort(session, make_cohort(), actor="dm", reason="first import")
    changed = make_cohort()
    changed = replace(
        changed, visits=(replace(changed.visits[0], cmas=21.0, extra={"x_ward": "C1"}),)
    )
    with transaction(engine, write=True) as session:
        import_cohort(session, changed, actor="dm", reason="second import, one update")
        set_setting(session, "cutoff_date", "2023-01-01", actor="dm", reason="cut-off")
        save_visit(
            session,
            Visit("P02", date(2022, 2, 2), cmas=33.5, phga=2.25),
            expected_version=None,
            actor="clin",
            reason="entered",
        )
    with transaction(engine, write=True) as session:  # the newest row: nothing points at it
        set_setting(session, "cutoff_date", "2023-06-01", actor="dm", reason="cut-off moved")


def test_every_write_is_chained(engine: Engine) -> None:
    _write_some(engine)
    rows = _recomputed(engine)
    assert len(rows) >= 5
    assert all(mine == stored for _, mine, stored in rows)
    with transaction(engine) as session:
        report = verify_chain(session)
    assert report.intact and report.rows == len(rows)
    assert report.head_id == rows[-1][0] and report.head_hash == rows[-1][1]


def _tamper(engine: Engine, statement: str) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql(statement)


def _ids(engine: Engine) -> list[int]:
    return [row_id for row_id, _, _ in _recomputed(engine)]


def test_an_altered_row_is_found(engine: Engine) -> None:
    _write_some(engine)
    ids = _ids(engine)
    target = ids[2]
    _tamper(engine, f"UPDATE audit_event SET reason = 'nothing happened' WHERE id = {target}")
    with transaction(engine) as session:
        report = verify_chain(session)
    assert not report.intact
    assert report.first_bad_id == target
    assert report.problem is not None and "altered" in report.problem


def test_a_removed_row_is_found(engine: Engine) -> None:
    _write_some(engine)
    ids = _ids(engine)
    with engine.connect() as conn:  # the cut-off setting's row: nothing points at it
        removed = conn.exec_driver_sql(
            "SELECT id FROM audit_event WHERE reason = 'cut-off'"
        ).scalar_one()
    following = ids[ids.index(removed) + 1]
    _tamper(engine, f"DELETE FROM audit_event WHERE id = {removed}")
    with transaction(engine) as session:
        report = verify_chain(session)
    assert not report.intact
    assert report.first_bad_id == following
    assert report.problem is not None and f"rows {removed}–{removed}" in report.problem


def test_removing_the_newest_rows_shows_with_the_recorded_head(engine: Engine) -> None:
    _write_some(engine)
    with transaction(engine) as session:
        head = verify_chain(session).head_hash
    ids = _ids(engine)
    _tamper(engine, f"DELETE FROM audit_event WHERE id = {ids[-1]}")
    with transaction(engine) as session:
        plain = verify_chain(session)
        anchored = verify_chain(session, expect=head)
    assert plain.intact  # a shorter chain is still a chain ...
    assert anchored.expected_found is False and not anchored.intact  # ... but not ours


def test_concurrent_writers_never_fork_the_chain(engine: Engine) -> None:
    writers, each = 6, 5
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for k in range(each):
                with transaction(engine, write=True, wait=30) as session:
                    save_patient(
                        session,
                        Patient(
                            patient_id=f"T{n}-{k}",
                            sex="F",
                            birth_date=date(2014, 1, 1),
                            diagnosis="JDM",
                        ),
                        expected_version=None,
                        actor=f"writer{n}",
                        reason="concurrent",
                    )
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    rows = _recomputed(engine)
    assert len(rows) == writers * each
    assert all(mine == stored for _, mine, stored in rows)
    with transaction(engine) as session:
        assert verify_chain(session).intact


# ------------------------------------------------------------------ migration


def _old_engine(backend: str, tmp_path: Path) -> Engine:
    if backend == "sqlite":
        return connect(f"sqlite:///{tmp_path / 'old.db'}")
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"no PostgreSQL server: set {PG_ENV} to run the PostgreSQL variant")
    engine = connect(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    return engine


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def old_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A registry at the revision before the hash chain."""
    engine = _old_engine(request.param, tmp_path)
    with engine.connect() as conn, conn.begin():
        command.upgrade(alembic_config(conn), MIGRATION.down_revision)
    yield engine
    engine.dispose()


def test_the_migration_chains_existing_rows(old_engine: Engine) -> None:
    audit = sa.table(
        "audit_event",
        sa.column("id", sa.Integer),
        sa.column("at", sa.DateTime(timezone=True)),
        sa.column("actor", sa.String),
        sa.column("action", sa.String),
        sa.column("table_name", sa.String),
        sa.column("record_key", sa.Text),
        sa.column("patient_id", sa.String),
        sa.column("old_value", sa.JSON),
        sa.column("new_value", sa.JSON),
        sa.column("reason", sa.Text),
        sa.column("import_id", sa.Integer),
    )
    at = datetime(2025, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)
    rows: list[dict[str, Any]] = [
        {"action": "import", "new_value": {"patients": 2}, "import_id": None},
        {"action": "update", "new_value": {"cmas": 21, "x": [1.5, "a"]}, "import_id": 1},
        {"action": "insert", "new_value": {"value": "2023-01-01"}, "import_id": None},
    ]
    with old_engine.begin() as conn:
        for row in rows:
            conn.execute(
                sa.insert(audit).values(
                    at=at,
                    actor="dm",
                    table_name="visit",
                    record_key="P01 | 2021-10-04",
                    patient_id="P01",
                    old_value=None,
                    reason="before the chain",
                    **row,
                )
            )
    upgrade(old_engine)
    recomputed = _recomputed(old_engine)
    assert [r[0] for r in recomputed] == [1, 2, 3]
    assert all(mine == stored for _, mine, stored in recomputed)
    assert recomputed[0][2] != GENESIS_HASH
    with transaction(old_engine, write=True) as session:
        set_setting(session, "cutoff_date", "2024-01-01", actor="dm", reason="after")
    with transaction(old_engine) as session:
        report = verify_chain(session)
    assert report.intact and report.rows == 4
    with old_engine.connect() as conn:
        if conn.dialect.name == "sqlite":  # as registry.upgrade does while migrating
            raw = conn.connection.driver_connection
            assert raw is not None
            raw.execute("PRAGMA foreign_keys=OFF")
        with conn.begin():
            command.downgrade(alembic_config(conn), MIGRATION.down_revision)
    with old_engine.connect() as conn:
        names = {c["name"] for c in sa.inspect(conn).get_columns("audit_event")}
    assert "row_hash" not in names and "reason" in names
