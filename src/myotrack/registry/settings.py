"""Registry-wide settings (`setting` key/value rows), audited like every write.

Known keys: `cutoff_date` — the data cut-off of the cohort (ISO date), stored by
`import_cohort` when the cohort folder gives one and read back by `load_cohort`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from myotrack.registry.audit import write_audit
from myotrack.registry.tables import SETTING_TABLE

SETTING = SETTING_TABLE

CUTOFF_DATE = "cutoff_date"


def read_setting(conn: Connection, key: str) -> str | None:
    value: str | None = conn.execute(
        select(SETTING.c.value).where(SETTING.c.key == key)
    ).scalar_one_or_none()
    return value


def write_setting(
    conn: Connection,
    key: str,
    value: str | None,
    *,
    actor: str,
    reason: str,
    import_id: int | None = None,
    at: datetime | None = None,
) -> bool:
    """Store a setting with an audit row; returns False (and writes nothing) if unchanged."""
    exists = conn.execute(
        select(SETTING.c.key, SETTING.c.value).where(SETTING.c.key == key)
    ).first()
    old = exists[1] if exists is not None else None
    if exists is not None and old == value:
        return False
    if exists is None:
        conn.execute(insert(SETTING).values(key=key, value=value))
    else:
        conn.execute(update(SETTING).where(SETTING.c.key == key).values(value=value))
    fields = {} if at is None else {"at": at}
    write_audit(
        conn,
        actor=actor,
        action="insert" if exists is None else "update",
        table="setting",
        record=key,
        patient_id=None,
        old=None if exists is None else {"value": old},
        new={"value": value},
        reason=reason,
        import_id=import_id,
        **fields,
    )
    return True


def get_setting(session: Session, key: str) -> str | None:
    """A registry setting, or None when it was never set."""
    return read_setting(session.connection(), key)


def set_setting(session: Session, key: str, value: str | None, *, actor: str, reason: str) -> bool:
    """Set a registry setting (audited); False when it already had that value."""
    return write_setting(session.connection(), key, value, actor=actor, reason=reason)
