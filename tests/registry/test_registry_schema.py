"""Connecting, migrating, foreign keys and transactions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert, inspect, select
from sqlalchemy.exc import IntegrityError

from myotrack.cohort.columns_v2 import RECORD_KIND
from myotrack.registry import connect, current_revision, database_url, transaction, upgrade
from myotrack.registry.migrate import alembic_config
from myotrack.registry.tables import PATIENT_TABLE, SETTING_TABLE, VISIT_TABLE

TABLES = {
    *RECORD_KIND,  # the cohort format version 2 record kinds, one table each (v0006)
    "alembic_version",
    "assessment",
    "audit_event",
    "clinical_image",
    "course",
    "event",
    "lab",
    "login_failure",
    "patient",
    "setting",
    "user_account",
    "visit",
    "web_session",
}


def _head() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_upgrade_creates_the_schema_and_is_idempotent(bare_engine: Engine) -> None:
    assert current_revision(bare_engine) is None
    upgrade(bare_engine)
    head = _head()
    assert head is not None and current_revision(bare_engine) == head
    assert set(inspect(bare_engine).get_table_names()) == TABLES
    with transaction(bare_engine) as s:
        s.connection().execute(insert(SETTING_TABLE).values(key="k", value="kept"))
    upgrade(bare_engine)  # again: nothing to do, nothing lost
    assert current_revision(bare_engine) == head
    with bare_engine.connect() as conn:
        assert conn.execute(select(SETTING_TABLE.c.value)).scalar_one() == "kept"


def test_every_patient_table_has_the_tracking_columns(engine: Engine) -> None:
    inspector = inspect(engine)
    for table in ("patient", "visit", "lab", "course", "event", "assessment"):
        columns = {c["name"] for c in inspector.get_columns(table)}
        assert {"id", "row_version", "retired_at", "extra", "created_by_audit_id"} <= columns
        if table != "patient":
            fks = inspector.get_foreign_keys(table)
            assert any(fk["referred_table"] == "patient" for fk in fks), table


def test_foreign_keys_are_enforced(engine: Engine) -> None:
    with pytest.raises(IntegrityError), transaction(engine) as s:
        s.connection().execute(
            insert(VISIT_TABLE).values(patient_pk=4242, date=date(2022, 1, 1), row_version=1)
        )


def test_foreign_keys_are_on_for_every_sqlite_connection(tmp_path: Path) -> None:
    engine = connect(f"sqlite:///{tmp_path / 'r.db'}")
    upgrade(engine)
    conns = [engine.connect() for _ in range(3)]  # distinct pooled connections
    try:
        for conn in conns:
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    finally:
        for conn in conns:
            conn.close()
        engine.dispose()


def test_a_failed_transaction_leaves_nothing(engine: Engine) -> None:
    with pytest.raises(ZeroDivisionError), transaction(engine) as s:
        s.connection().execute(
            insert(PATIENT_TABLE).values(
                patient_id="T1",
                sex="F",
                birth_date=date(2012, 1, 1),
                diagnosis="JDM",
                row_version=1,
            )
        )
        _ = 1 / 0
    with engine.connect() as conn:
        assert conn.execute(select(PATIENT_TABLE.c.id)).all() == []


def test_database_url_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MYOTRACK_DATABASE_URL", raising=False)
    assert database_url() == "sqlite:///myotrack.db"
    monkeypatch.setenv("MYOTRACK_DATABASE_URL", "sqlite:////srv/reg.db")
    assert database_url() == "sqlite:////srv/reg.db"
    assert database_url("sqlite:///other.db") == "sqlite:///other.db"
    assert database_url("postgresql://u:p@db/myo") == "postgresql+psycopg://u:p@db/myo"
    assert database_url("postgres://u@db/myo") == "postgresql+psycopg://u@db/myo"
    assert database_url("postgresql+psycopg://u@db/myo") == "postgresql+psycopg://u@db/myo"


def test_event_key_treats_missing_detail_as_one_value(engine: Engine) -> None:
    from myotrack.registry.tables import EVENT_TABLE

    with transaction(engine) as s:
        conn = s.connection()
        conn.execute(
            insert(PATIENT_TABLE).values(
                id=1,
                patient_id="T1",
                sex="F",
                birth_date=date(2012, 1, 1),
                diagnosis="JDM",
                row_version=1,
            )
        )
        row = {"patient_pk": 1, "date": date(2022, 1, 1), "event": "relapse", "row_version": 1}
        conn.execute(insert(EVENT_TABLE).values(**row, detail="first"))
        conn.execute(insert(EVENT_TABLE).values(**row))
    with pytest.raises(IntegrityError), transaction(engine) as s:
        s.connection().execute(insert(EVENT_TABLE).values(**row))


def test_write_transactions_take_the_sqlite_write_lock_first(tmp_path: Path) -> None:
    import sqlite3

    engine = connect(f"sqlite:///{tmp_path / 'r.db'}")
    upgrade(engine)
    other = sqlite3.connect(tmp_path / "r.db", timeout=0)
    try:
        with transaction(engine, write=True) as s:
            s.connection()  # begun: the write lock is held before any write
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        with transaction(engine) as s:
            s.connection()  # a deferred transaction holds no lock yet
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
    finally:
        other.close()
        engine.dispose()


def test_the_migrations_match_the_tables(engine: Engine) -> None:
    """A change to tables.py without a migration (or the reverse) shows up here."""
    import warnings

    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from myotrack.registry.tables import Base

    with engine.connect() as conn, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SQLite cannot reflect the expression index
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []
