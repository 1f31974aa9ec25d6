"""The import lock: one cohort import at a time per registry.

A second import (CLI or web, in any process) is refused at once with
`ImportRunningError` instead of waiting behind the first or failing halfway. The lock
belongs to the import's transaction and ends with it, also when the process is killed:

- PostgreSQL: a transaction-level advisory lock (`pg_try_advisory_xact_lock`), released
  by the server at commit, rollback or disconnect.
- SQLite: an exclusive `flock` on `<database file>.import-lock`, released when the
  transaction ends or the process dies (the operating system drops it). An in-memory
  database is private to its process and needs none.

Web saves during an import are not refused by this lock: they wait for the database's
own write lock (see `engine.py`) and answer "busy" when the import holds it too long.
"""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import Session, SessionTransaction

from myotrack.registry import engine
from myotrack.registry.errors import ImportRunningError

try:  # POSIX; elsewhere (Windows) SQLite imports are serialised by the write lock only
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

# pg advisory lock key: the bytes of "myotrack" read as a signed 64-bit integer.
IMPORT_LOCK_KEY = int.from_bytes(b"myotrack", "big", signed=True)

_MESSAGE = (
    "another cohort import is running on this registry; wait until it has finished, "
    "then import again (nothing was imported)"
)


_HELD = "myotrack_import_lock_fd"


def _release_at_end(session: Session, fd: int) -> None:
    session.info[_HELD] = fd

    def release(_session: Session, transaction: SessionTransaction) -> None:
        if transaction.parent is None and session.info.get(_HELD) == fd:
            del session.info[_HELD]
            os.close(fd)

    # (The listener stays registered, inert, for the session's life: SQLAlchemy does
    # not allow removing it while the event runs.)
    event.listen(session, "after_transaction_end", release)


def _sqlite_lock_file(database: str | None) -> str | None:
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return os.path.abspath(database) + ".import-lock"


def hold_import_lock(session: Session) -> None:
    """Take the import lock for the rest of `session`'s transaction, or raise
    ImportRunningError when another import holds it. Call it first in the transaction
    (on SQLite it also makes the transaction a write transaction from its start)."""
    bind: Any = session.get_bind()
    dialect = bind.dialect.name
    if dialect == "postgresql":
        got = session.execute(
            text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": IMPORT_LOCK_KEY}
        ).scalar()
        if not got:
            raise ImportRunningError(_MESSAGE)
        return
    if dialect == "sqlite":
        path = _sqlite_lock_file(bind.engine.url.database)
        if path is not None and fcntl is not None and _HELD not in session.info:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                raise ImportRunningError(_MESSAGE) from None
            _release_at_end(session, fd)
        engine.take_write_lock(session, wait=engine.IMPORT_WAIT_SECONDS)
