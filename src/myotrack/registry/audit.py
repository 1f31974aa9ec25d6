"""The audit log: who changed what, when, from which value to which, and why.

How the registry audits (a project decision, issue 2 "Foundation"):

- Record-level writes (`save_*`, `retire`, users, settings) write one `audit_event`
  row each, with the old and the new value. An insert carries the new row in
  `new_value`; an update carries only the columns that changed, in `old_value` and
  `new_value`; a retire carries the whole row in `old_value` and the time in
  `new_value`. Nothing is ever hard-deleted: retiring sets `retired_at`.
- A bulk import writes ONE `import` event (actor, time, reason, source and the
  per-table counts). Every row the import INSERTS points to that event through its
  `created_by_audit_id`, so who, when and the new value are known by a join without
  one audit row per inserted row (this keeps a 1.3-million-row import fast). Every
  row the import UPDATES gets its own `update` event with old and new values and
  `import_id` pointing at the import event. Rows absent from the folder are left
  alone; re-importing an unchanged folder writes nothing at all.
- The table is append-only: the registry inserts into it and never updates or
  deletes a row of it.

`record_key` is the natural key as text, parts joined by " | " (e.g.
`P01 | 2021-10-04 | CK`); `patient_id` is the study pseudonym for filtering.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from myotrack.registry.tables import AUDIT_TABLE

AUDIT = AUDIT_TABLE

ACTIONS = ("insert", "update", "retire", "import", "user")


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime  # UTC, timezone-aware
    actor: str
    action: str  # insert | update | retire | import | user
    table: str | None
    record: str | None
    patient_id: str | None
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    reason: str | None
    import_id: int | None = None


def now_utc() -> datetime:
    return datetime.now(UTC)


def as_utc(at: datetime) -> datetime:
    """Stored times as aware UTC (SQLite hands them back without a zone)."""
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


def audit_row(
    *,
    at: datetime,
    actor: str,
    action: str,
    table: str | None,
    record: str | None,
    patient_id: str | None,
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
    reason: str | None,
    import_id: int | None = None,
) -> dict[str, Any]:
    """One audit row as a dict for `insert(AUDIT)` (used singly and in executemany)."""
    return {
        "at": at,
        "actor": actor,
        "action": action,
        "table_name": table,
        "record_key": record,
        "patient_id": patient_id,
        "old_value": old,
        "new_value": new,
        "reason": reason,
        "import_id": import_id,
    }


def write_audit(conn: Connection, **fields: Any) -> int:
    """Insert one audit row (see `audit_row` for the fields); returns its id."""
    fields.setdefault("at", now_utc())
    result = conn.execute(insert(AUDIT).values(**audit_row(**fields)))
    pk = result.inserted_primary_key
    assert pk is not None
    return int(pk[0])


def audit_log(
    session: Session,
    *,
    limit: int = 100,
    offset: int = 0,
    table: str | None = None,
    patient_id: str | None = None,
) -> list[AuditEntry]:
    """Audit entries, newest first, optionally only of one table or one patient."""
    stmt = select(AUDIT).order_by(AUDIT.c.id.desc()).limit(limit).offset(offset)
    if table is not None:
        stmt = stmt.where(AUDIT.c.table_name == table)
    if patient_id is not None:
        stmt = stmt.where(AUDIT.c.patient_id == patient_id)
    return [
        AuditEntry(
            id=row.id,
            at=as_utc(row.at),
            actor=row.actor,
            action=row.action,
            table=row.table_name,
            record=row.record_key,
            patient_id=row.patient_id,
            old=row.old_value,
            new=row.new_value,
            reason=row.reason,
            import_id=row.import_id,
        )
        for row in session.connection().execute(stmt)
    ]


def latest_audit_id(session: Session) -> int:
    """The id of the newest audit row (0 for none): every write to the registry adds one,
    so an unchanged id means unchanged data (used to key caches)."""
    found = session.connection().execute(select(func.max(AUDIT.c.id))).scalar_one_or_none()
    return int(found or 0)
