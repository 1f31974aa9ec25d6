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

The trail is tamper-evident (a hash chain, migration v0004): every row stores
`row_hash` = SHA-256 of the previous row's `row_hash` (64 zeros before the first row) and
its own canonical content (`canonical_content`: every column but `id` and `row_hash`,
times in UTC to the microsecond, numbers as floats, keys sorted). Rows are chained in
`id` order. Changing a row, or removing one, breaks the chain at that row or the next,
which `verify_chain` (`myotrack audit verify`) reports. Appending takes the chain lock
first (PostgreSQL: a transaction-level advisory lock; SQLite: the database write lock,
which a transaction holds from its first write), so concurrent writers never fork it.
Removing the NEWEST rows leaves a shorter valid chain: keep the head hash that
`audit verify` prints somewhere else and check it with `--expect`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select, text
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


GENESIS_HASH = "0" * 64
# pg advisory lock key of the audit chain: the bytes of "myoaudit" as a signed 64-bit int.
CHAIN_LOCK_KEY = int.from_bytes(b"myoaudit", "big", signed=True)
CONTENT_COLUMNS = (
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


def _normalise(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return float(value)  # 5 and 5.0 are one value whatever the database hands back
    if isinstance(value, datetime):
        return as_utc(value).isoformat(timespec="microseconds")
    if isinstance(value, Mapping):
        return {str(k): _normalise(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_normalise(v) for v in value]
    return str(value)


def canonical_content(row: Mapping[Any, Any]) -> str:
    """The canonical text of an audit row's content (the chain's input; never change it:
    existing chains were computed with it)."""
    content = {name: _normalise(row.get(name)) for name in CONTENT_COLUMNS}
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(previous: str, row: Mapping[Any, Any]) -> str:
    """`row_hash` of a row following a row whose hash is `previous`."""
    return hashlib.sha256((previous + canonical_content(row)).encode("utf-8")).hexdigest()


def _lock_chain(conn: Connection) -> None:
    """Hold the chain for the rest of the transaction. PostgreSQL: an advisory lock (a
    second appender waits until this transaction ends, then reads the new head). SQLite
    needs none: a transaction that writes holds the database's only write lock, and one
    whose snapshot is stale cannot write at all."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})


def _head(conn: Connection) -> tuple[int, str]:
    row = conn.execute(select(AUDIT.c.id, AUDIT.c.row_hash).order_by(AUDIT.c.id.desc()).limit(1))
    found = row.first()
    if found is None:
        return 0, GENESIS_HASH
    return int(found[0]), found[1] or GENESIS_HASH


def write_audit(conn: Connection, **fields: Any) -> int:
    """Append one audit row (see `audit_row` for the fields) to the chain; returns its id."""
    fields.setdefault("at", now_utc())
    row = audit_row(**fields)
    _lock_chain(conn)
    _, previous = _head(conn)
    row["row_hash"] = chain_hash(previous, row)
    result = conn.execute(insert(AUDIT).values(**row))
    pk = result.inserted_primary_key
    assert pk is not None
    return int(pk[0])


def write_audit_rows(conn: Connection, rows: Iterable[dict[str, Any]]) -> None:
    """Append many audit rows (`audit_row` dicts) to the chain in one statement: ids are
    given explicitly (after the head, under the chain lock) so the chain order is the
    order given; PostgreSQL's id sequence is moved past them."""
    batch = list(rows)
    if not batch:
        return
    _lock_chain(conn)
    last_id, previous = _head(conn)
    for offset, row in enumerate(batch, start=1):
        row["id"] = last_id + offset
        row["row_hash"] = previous = chain_hash(previous, row)
    conn.execute(insert(AUDIT), batch)
    if conn.dialect.name == "postgresql":
        conn.execute(
            text("SELECT setval(pg_get_serial_sequence('audit_event', 'id'), :last)"),
            {"last": batch[-1]["id"]},
        )


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


@dataclass(frozen=True, slots=True)
class ChainReport:
    """The result of checking the audit chain (`verify_chain`)."""

    rows: int  # rows checked
    head_id: int  # id of the newest row (0: none)
    head_hash: str  # its row_hash (what `--expect` compares later)
    first_bad_id: int | None  # the first row where the chain breaks
    problem: str | None  # what is wrong there, in words
    expected_found: bool | None = None  # whether an --expect hash is in the chain

    @property
    def intact(self) -> bool:
        return self.first_bad_id is None and self.expected_found is not False


def verify_chain(session: Session, *, expect: str | None = None, batch: int = 5000) -> ChainReport:
    """Recompute the chain row by row in id order and report the first row where it
    breaks: a row whose content was altered, or the row after one that was removed.
    `expect`: a head hash printed by an earlier check, which must still be in the chain
    (removing the newest rows is otherwise invisible)."""
    conn = session.connection()
    previous, previous_id, rows = GENESIS_HASH, 0, 0
    found_expected = None if expect is None else expect == GENESIS_HASH
    columns = [AUDIT.c.id, AUDIT.c.row_hash, *(AUDIT.c[name] for name in CONTENT_COLUMNS)]
    after = 0
    while True:
        chunk = conn.execute(
            select(*columns).where(AUDIT.c.id > after).order_by(AUDIT.c.id).limit(batch)
        ).all()
        if not chunk:
            break
        for record in chunk:
            row = record._mapping
            row_id = int(row["id"])
            rows += 1
            stored = row["row_hash"]
            if stored is None:
                return ChainReport(
                    rows,
                    row_id,
                    previous,
                    row_id,
                    f"audit row {row_id} has no chain hash: it was written past the audit "
                    "trail's own functions",
                    found_expected,
                )
            if chain_hash(previous, row) != stored:
                gap = (
                    f"; rows {previous_id + 1}–{row_id - 1} are absent"
                    if row_id > previous_id + 1
                    else ""
                )
                return ChainReport(
                    rows,
                    row_id,
                    previous,
                    row_id,
                    f"audit row {row_id} does not match the chain: it was altered, or a row "
                    f"before it (after row {previous_id}) was removed{gap}",
                    found_expected,
                )
            previous, previous_id = stored, row_id
            if expect is not None and stored == expect:
                found_expected = True
        after = int(chunk[-1][0])
    return ChainReport(rows, previous_id, previous, None, None, found_expected)
