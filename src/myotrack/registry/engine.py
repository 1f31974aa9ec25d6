"""Connecting to the registry database and running one transaction.

SQLite (the default, a file in the current directory) and PostgreSQL (through
psycopg 3) are supported. On SQLite every new connection gets
`PRAGMA foreign_keys=ON` (SQLite leaves foreign keys unenforced otherwise) and the
file is put in WAL journal mode; SQLAlchemy's pysqlite recipe for real transactions
is applied (the driver's own implicit BEGIN is switched off and SQLAlchemy emits
`BEGIN` itself), so DDL and savepoints are transactional too.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

ENV_VAR = "MYOTRACK_DATABASE_URL"
DEFAULT_URL = "sqlite:///myotrack.db"


def database_url(url: str | None = None) -> str:
    """The database URL: `url` if given, else $MYOTRACK_DATABASE_URL, else a SQLite file
    `myotrack.db` in the current directory. `postgresql://` and `postgres://` URLs are
    pointed at the psycopg 3 driver (`postgresql+psycopg://`)."""
    chosen = url or os.environ.get(ENV_VAR) or DEFAULT_URL
    for prefix in ("postgresql://", "postgres://"):
        if chosen.startswith(prefix):
            return "postgresql+psycopg://" + chosen[len(prefix) :]
    return chosen


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        # WAL with synchronous=NORMAL cannot corrupt the database; a power cut may
        # lose the last committed transactions (SQLite docs, "Write-Ahead Logging").
        cursor.execute("PRAGMA synchronous=NORMAL")
        # 64 MiB page cache (default 2 MiB): keeps the unique indexes in memory while a
        # large cohort is imported.
        cursor.execute("PRAGMA cache_size=-65536")
    finally:
        cursor.close()
    # Let SQLAlchemy, not the driver, decide where transactions begin.
    dbapi_connection.isolation_level = None


_BEGIN_OPTION = "myotrack_sqlite_begin"


def _on_sqlite_begin(conn: Connection) -> None:
    mode = conn.get_execution_options().get(_BEGIN_OPTION, "")
    conn.exec_driver_sql(f"BEGIN {mode}".strip())


def connect(url: str | None = None) -> Engine:
    """An Engine for the registry at `database_url(url)`."""
    resolved = database_url(url)
    engine = create_engine(resolved)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
    return engine


@contextmanager
def transaction(engine: Engine, *, write: bool = False) -> Iterator[Session]:
    """One transaction: committed when the block ends normally, rolled back on any
    exception (which is re-raised).

    `write=True` matters on SQLite only: the transaction takes the database's write
    lock at its start (`BEGIN IMMEDIATE`, waiting up to the 5 s busy timeout for
    another writer) instead of at its first write. Use it for a transaction that
    reads and then writes while others may write too (a web form save): a deferred
    transaction that read before another connection committed cannot write and fails
    with "database is locked" at once."""
    bind = engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"}) if write else engine
    with Session(bind, expire_on_commit=False) as session, session.begin():
        yield session
