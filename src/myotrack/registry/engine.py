"""Connecting to the registry database and running one transaction.

SQLite (the default, a file in the current directory) and PostgreSQL (through
psycopg 3) are supported. On SQLite every new connection gets
`PRAGMA foreign_keys=ON` (SQLite leaves foreign keys unenforced otherwise) and the
file is put in WAL journal mode; SQLAlchemy's pysqlite recipe for real transactions
is applied (the driver's own implicit BEGIN is switched off and SQLAlchemy emits
`BEGIN` itself), so DDL and savepoints are transactional too.

Concurrent writers wait, they do not fail: a write transaction (`transaction(engine,
write=True)`) takes SQLite's write lock when it begins (`BEGIN IMMEDIATE`) and waits
up to `WRITE_WAIT_SECONDS` for it (SQLite's busy timeout); on PostgreSQL it waits as
long for row locks (`SET LOCAL lock_timeout`). A transaction that still cannot get its
lock raises `BusyError` (nothing written; trying again works), a database that cannot
be reached raises `UnavailableError`; `transaction()` translates the driver's errors
into these two, so no caller needs to know the driver's error codes.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm import Session

from myotrack.registry.errors import BusyError, UnavailableError

ENV_VAR = "MYOTRACK_DATABASE_URL"
DEFAULT_URL = "sqlite:///myotrack.db"

# How long a write waits for another writer (a save, an import's start) before it gives
# up with BusyError. Saves take milliseconds; 10 s covers a burst of them.
WRITE_WAIT_SECONDS = 10.0
# An import waits longer for its write lock: saves come and go in milliseconds, and an
# import must not give up because clinicians are busy.
IMPORT_WAIT_SECONDS = 120.0


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
_WAIT_OPTION = "myotrack_lock_wait_ms"


def _wait_ms(conn: Connection) -> int:
    wait = conn.get_execution_options().get(_WAIT_OPTION)
    return int(wait) if wait is not None else int(WRITE_WAIT_SECONDS * 1000)


def _on_sqlite_begin(conn: Connection) -> None:
    # The busy timeout is per connection and pooled connections keep it: set it each time.
    conn.exec_driver_sql(f"PRAGMA busy_timeout={_wait_ms(conn)}")
    mode = conn.get_execution_options().get(_BEGIN_OPTION, "")
    conn.exec_driver_sql(f"BEGIN {mode}".strip())


def _on_postgresql_begin(conn: Connection) -> None:
    if conn.get_execution_options().get(_BEGIN_OPTION):
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = {_wait_ms(conn)}")


def connect(url: str | None = None) -> Engine:
    """An Engine for the registry at `database_url(url)`."""
    resolved = database_url(url)
    if resolved.startswith("sqlite"):
        engine = create_engine(resolved, connect_args={"timeout": WRITE_WAIT_SECONDS})
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
    else:
        engine = create_engine(resolved, pool_pre_ping=True)
        if engine.dialect.name == "postgresql":
            event.listen(engine, "begin", _on_postgresql_begin)
    return engine


# SQLite result codes (primary, the low byte of the extended code): busy and locked.
_SQLITE_BUSY = frozenset({5, 6})
# PostgreSQL SQLSTATEs of a lock not got in time or a transaction that lost a race:
# lock_not_available, query_canceled (statement timeout), serialization_failure,
# deadlock_detected. Class 08 is "connection exception", 53 "insufficient resources",
# 57P0x "operator intervention" (server shutting down).
_PG_BUSY = frozenset({"55P03", "57014", "40001", "40P01"})
_PG_UNAVAILABLE_PREFIXES = ("08", "53", "57P")


def is_busy(exc: BaseException) -> bool:
    """Whether a driver error means "another transaction holds the lock"."""
    if isinstance(exc, PoolTimeoutError):
        return True
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in _SQLITE_BUSY
    sqlstate = getattr(orig, "sqlstate", None)
    if isinstance(sqlstate, str):
        return sqlstate in _PG_BUSY
    text = str(orig).lower()
    return "database is locked" in text or "database table is locked" in text


def _is_unavailable(exc: DBAPIError) -> bool:
    if exc.connection_invalidated or isinstance(exc, OperationalError):
        sqlstate = getattr(exc.orig, "sqlstate", None)
        return not isinstance(sqlstate, str) or sqlstate.startswith(_PG_UNAVAILABLE_PREFIXES)
    return False


def translate(exc: BaseException) -> BaseException:
    """The registry error for a driver error (BusyError, UnavailableError), or `exc`."""
    if is_busy(exc):
        return BusyError(
            "the registry is busy (another save or an import holds the lock); "
            "nothing was saved, try again"
        )
    if isinstance(exc, DisconnectionError) or (
        isinstance(exc, DBAPIError) and _is_unavailable(exc)
    ):
        return UnavailableError(f"the registry database is not available: {exc}")
    return exc


@contextmanager
def transaction(
    engine: Engine, *, write: bool = False, wait: float | None = None
) -> Iterator[Session]:
    """One transaction: committed when the block ends normally, rolled back on any
    exception (which is re-raised).

    `write=True`: on SQLite the transaction takes the database's write lock at its
    start (`BEGIN IMMEDIATE`, waiting up to `WRITE_WAIT_SECONDS` for another writer)
    instead of at its first write; on PostgreSQL it waits as long for row locks. Use it
    for a transaction that reads and then writes while others may write too (a web form
    save): a deferred SQLite transaction that read before another connection committed
    cannot write and fails with "database is locked" at once.

    `wait` (seconds) replaces `WRITE_WAIT_SECONDS` for this transaction (0: do not wait,
    e.g. for a write that may be skipped). Driver errors meaning "locked" or "database
    unreachable" are raised as BusyError / UnavailableError."""
    options: dict[str, Any] = {}
    if write:
        options[_BEGIN_OPTION] = "IMMEDIATE"
    if wait is not None:
        options[_WAIT_OPTION] = int(wait * 1000)
    bind = engine.execution_options(**options) if options else engine
    try:
        with Session(bind, expire_on_commit=False) as session, session.begin():
            yield session
    except (DBAPIError, DisconnectionError, PoolTimeoutError) as exc:
        translated = translate(exc)
        if translated is exc:
            raise
        raise translated from exc


def database_answers(engine: Engine) -> bool:
    """Whether the database answers a trivial query now (the web app's health check).
    Never raises: any failure to connect or to answer is "no"."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception:
        return False
    return True


def take_write_lock(session: Session, *, wait: float | None = None) -> None:
    """Make the session's transaction a write transaction from its start, whatever the
    caller chose (used by the import, which must not fail halfway because a web save
    committed between its reads and its first write), waiting up to `wait` seconds
    (default `WRITE_WAIT_SECONDS`) for the lock. Call it before the session has run
    anything; a no-op on PostgreSQL, where row locks do the work."""
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return
    started = getattr(session.get_transaction(), "_connections", None)
    if not started:  # (when the caller already ran something, its choice stands)
        options: dict[str, Any] = {_BEGIN_OPTION: "IMMEDIATE"}
        if wait is not None:
            options[_WAIT_OPTION] = int(wait * 1000)
        session.connection(execution_options=options)
