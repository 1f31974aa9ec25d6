"""User accounts of the web app. The caller hashes passwords (pwdlib/Argon2); the
registry stores the hash and never writes it to the audit log. Every change to an
account writes an audit row with action `user` on table `user_account`.

Roles: `admin` (manages users, sees everything), `clinician` (edits the records of
their site), `researcher` (reads, de-identified). `site` limits a user to one centre
(None: all sites).

User names are refused when they look like an existing one (`usernames.py`: `demo` vs
Cyrillic `demо`, `Nurse` vs `nurse`) or hold invisible characters. Deactivating an
account or changing its password ends all its web sessions in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from myotrack.registry.audit import now_utc, write_audit
from myotrack.registry.errors import DuplicateError, InvalidValueError, NotFoundError
from myotrack.registry.tables import USER_TABLE
from myotrack.registry.usernames import confusable_with, unprintable
from myotrack.registry.web_sessions import end_sessions_of

ROLES = ("admin", "clinician", "researcher")
_UNSET = object()


@dataclass(frozen=True, slots=True)
class UserAccount:
    username: str
    password_hash: str
    role: str
    site: str | None
    active: bool


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise InvalidValueError(f"unknown role {role!r}; a role is one of {', '.join(ROLES)}")


def _row(conn: Connection, username: str) -> UserAccount | None:
    u = USER_TABLE
    row = conn.execute(
        select(u.c.username, u.c.password_hash, u.c.role, u.c.site, u.c.active).where(
            u.c.username == username
        )
    ).first()
    return None if row is None else UserAccount(row[0], row[1], row[2], row[3], bool(row[4]))


def create_user(
    session: Session,
    username: str,
    *,
    password_hash: str,
    role: str,
    site: str | None,
    actor: str,
) -> None:
    """Add an active account. DuplicateError if the username is taken."""
    _check_role(role)
    if not username.strip():
        raise InvalidValueError("a username must not be empty")
    if unprintable(username) or username != username.strip():
        raise InvalidValueError(
            "a username must not hold invisible characters or begin or end with a space"
        )
    conn = session.connection()
    if _row(conn, username) is not None:
        raise DuplicateError(f"there is already a user {username!r}")
    taken = conn.execute(select(USER_TABLE.c.username)).scalars()
    lookalike = confusable_with(username, taken)
    if lookalike is not None:
        raise DuplicateError(
            f"the user name {username!r} looks the same as the existing user {lookalike!r} "
            "(letters from another alphabet, other widths or only upper/lower case differ); "
            "choose a clearly different name"
        )
    conn.execute(
        insert(USER_TABLE).values(
            username=username,
            password_hash=password_hash,
            role=role,
            site=site,
            active=True,
            created_at=now_utc(),
        )
    )
    write_audit(
        conn,
        actor=actor,
        action="user",
        table="user_account",
        record=username,
        patient_id=None,
        old=None,
        new={"role": role, "site": site, "active": True},
        reason="account created",
    )


def get_user(session: Session, username: str) -> UserAccount | None:
    """The account, or None (inactive accounts are returned; check `.active`)."""
    return _row(session.connection(), username)


def list_users(session: Session) -> list[UserAccount]:
    """All accounts, sorted by username."""
    u = USER_TABLE
    rows = session.connection().execute(
        select(u.c.username, u.c.password_hash, u.c.role, u.c.site, u.c.active).order_by(
            u.c.username
        )
    )
    return [UserAccount(r[0], r[1], r[2], r[3], bool(r[4])) for r in rows]


def set_password_hash(session: Session, username: str, password_hash: str, *, actor: str) -> None:
    """Replace the password hash (the audit row says only that it changed)."""
    conn = session.connection()
    if _row(conn, username) is None:
        raise NotFoundError(f"there is no user {username!r}")
    conn.execute(
        update(USER_TABLE)
        .where(USER_TABLE.c.username == username)
        .values(password_hash=password_hash)
    )
    write_audit(
        conn,
        actor=actor,
        action="user",
        table="user_account",
        record=username,
        patient_id=None,
        old=None,
        new={"password": "changed"},
        reason="password changed",
    )
    end_sessions_of(session, username)


def update_user(
    session: Session,
    username: str,
    *,
    actor: str,
    role: str | None = None,
    site: str | object | None = _UNSET,
    active: bool | None = None,
) -> None:
    """Change an account's role, site (None = all sites) or active flag; arguments left
    out stay as they are. Accounts are deactivated, never deleted."""
    conn = session.connection()
    current = _row(conn, username)
    if current is None:
        raise NotFoundError(f"there is no user {username!r}")
    changes: dict[str, object] = {}
    if role is not None and role != current.role:
        _check_role(role)
        changes["role"] = role
    if site is not _UNSET and site != current.site:
        changes["site"] = site
    if active is not None and active != current.active:
        changes["active"] = active
    if not changes:
        return
    conn.execute(update(USER_TABLE).where(USER_TABLE.c.username == username).values(**changes))
    old = {k: getattr(current, k) for k in changes}
    write_audit(
        conn,
        actor=actor,
        action="user",
        table="user_account",
        record=username,
        patient_id=None,
        old=old,
        new=dict(changes),
        reason="account changed",
    )
    if changes.get("active") is False:
        end_sessions_of(session, username)
