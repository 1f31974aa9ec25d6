"""Server-side web sessions and the failed-login counters, stored in the registry so
that every server process (`myotrack serve --workers N`) sees the same ones: a logout,
a deactivation, a password change or an admin's "end sessions" ends a session in all
of them at once, and failed log-ins count once whichever process answered.

The web layer decides the policy (timeouts, lockout lengths); these functions only
store and fetch. The session's cookie value is never stored, only its SHA-256.
Times are Unix seconds, passed in by the caller (no clock here).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from myotrack.registry.tables import LOGIN_FAILURE_TABLE, WEB_SESSION_TABLE

S = WEB_SESSION_TABLE
F = LOGIN_FAILURE_TABLE


@dataclass(frozen=True, slots=True)
class WebSession:
    username: str
    csrf_token: str
    started_at: int
    seen_at: int


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def store_session(
    session: Session, session_id: str, *, username: str, csrf_token: str, now: int
) -> None:
    """Store a new session (`session_id` is the cookie's random value)."""
    session.connection().execute(
        insert(S).values(
            id_hash=_digest(session_id),
            username=username,
            csrf_token=csrf_token,
            started_at=now,
            seen_at=now,
        )
    )


def find_session(session: Session, session_id: str) -> WebSession | None:
    row = (
        session.connection()
        .execute(
            select(S.c.username, S.c.csrf_token, S.c.started_at, S.c.seen_at).where(
                S.c.id_hash == _digest(session_id)
            )
        )
        .first()
    )
    return None if row is None else WebSession(row[0], row[1], int(row[2]), int(row[3]))


def touch_session(session: Session, session_id: str, now: int) -> None:
    """Record that the session was used at `now` (for the idle timeout)."""
    session.connection().execute(
        update(S).where(S.c.id_hash == _digest(session_id)).values(seen_at=now)
    )


def end_session(session: Session, session_id: str) -> None:
    session.connection().execute(delete(S).where(S.c.id_hash == _digest(session_id)))


def end_sessions_of(session: Session, username: str) -> int:
    """End every session of `username`; returns how many there were."""
    result = session.connection().execute(delete(S).where(S.c.username == username))
    return int(result.rowcount or 0)


def count_sessions_of(session: Session, username: str) -> int:
    rows = session.connection().execute(select(S.c.id_hash).where(S.c.username == username))
    return len(rows.all())


def end_stale_sessions(session: Session, *, seen_before: int, started_before: int) -> None:
    """Delete sessions idle since `seen_before` or started before `started_before`."""
    session.connection().execute(
        delete(S).where((S.c.seen_at < seen_before) | (S.c.started_at < started_before))
    )


# ------------------------------------------------------------------ failed log-ins


def _pair(username: str, address: str) -> str:
    return _digest(f"{username}\x00{address}")


@dataclass(frozen=True, slots=True)
class LoginFailures:
    failures: int
    locked_until: float


def login_failures(session: Session, username: str, address: str) -> LoginFailures | None:
    """The pair's failure count and lockout end, or None when it has no failures."""
    row = (
        session.connection()
        .execute(
            select(F.c.failures, F.c.locked_until).where(F.c.pair_hash == _pair(username, address))
        )
        .first()
    )
    return None if row is None else LoginFailures(int(row[0]), float(row[1]))


def add_login_failure(session: Session, username: str, address: str, *, now: float) -> int:
    """Count one more failure of the pair; returns the new count. The increment is done
    by the database (concurrent failures in two processes both count)."""
    conn = session.connection()
    key = _pair(username, address)
    increment = (
        update(F).where(F.c.pair_hash == key).values(failures=F.c.failures + 1, last_failed_at=now)
    )
    if not conn.execute(increment).rowcount:
        first = insert(F).values(pair_hash=key, failures=1, locked_until=0.0, last_failed_at=now)
        try:
            with session.begin_nested():
                conn.execute(first)
        except IntegrityError:  # another process counted this pair's first failure just now
            conn.execute(increment)
    count = conn.execute(select(F.c.failures).where(F.c.pair_hash == key)).scalar_one()
    return int(count)


def lock_login(session: Session, username: str, address: str, *, until: float) -> None:
    session.connection().execute(
        update(F).where(F.c.pair_hash == _pair(username, address)).values(locked_until=until)
    )


def clear_login_failures(session: Session, username: str, address: str) -> None:
    session.connection().execute(delete(F).where(F.c.pair_hash == _pair(username, address)))


def forget_old_login_failures(session: Session, *, failed_before: float) -> None:
    """Delete counters whose last failure is older than `failed_before` and whose lockout
    is over (bounds the table under a password-spraying attack; old mistakes expire)."""
    session.connection().execute(
        delete(F).where((F.c.last_failed_at < failed_before) & (F.c.locked_until < failed_before))
    )
