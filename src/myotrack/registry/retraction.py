"""Retracting (soft-deleting) and restoring single records, and listing what was
retracted.

Nothing is ever hard-deleted: `retire` sets `retired_at` (the record leaves every
read: pages, decision support, reports, exports), `restore` clears it (admins only, the
web decides who). Both need the version the user saw and write one audit row each
(`retire`: the whole row in the old value; `restore`: the time it had been retracted).
Retracting a visit also retracts its item-level assessments, and restoring it brings
back those retracted with it. Retracting a patient hides all of their records;
restoring the patient brings them back. A record of a retracted patient cannot be
restored on its own: restore the patient first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from myotrack.registry.audit import as_utc, now_utc, write_audit
from myotrack.registry.errors import NotFoundError, StaleEditError
from myotrack.registry.kinds import (
    ASSESSMENT,
    KINDS,
    PATIENT,
    VISIT,
    Kind,
    as_dict,
    key_text,
    kind_named,
)
from myotrack.registry.records import Key, Stored, coerce_key, describe, find, patient_pk
from myotrack.registry.tables import PATIENT_TABLE


@dataclass(frozen=True, slots=True)
class RetiredRecord:
    """One retracted record: its kind, natural key (patient_id first), the version a
    restore must name, when it was retracted and its stored values."""

    kind: str
    key: Key
    version: int
    retired_at: datetime
    values: dict[str, Any]


def _stored(conn: Connection, spec: Kind, natural: Key) -> Stored | None:
    pk = None if spec is PATIENT else patient_pk(conn, natural[0])
    return find(conn, spec, natural, pk)


def _set_retired(
    conn: Connection, spec: Kind, stored: Stored, expected: int, at: datetime | None
) -> None:
    t = spec.table
    result = conn.execute(
        update(t)
        .where(t.c.id == stored.id, t.c.row_version == expected)
        .values(retired_at=at, row_version=expected + 1)
    )
    if result.rowcount != 1:
        raise StaleEditError(f"{spec.name} was changed by someone else just now")


def retire(
    session: Session,
    kind: str,
    key: Sequence[Any],
    *,
    expected_version: int,
    actor: str,
    reason: str,
) -> None:
    """Retract one record (kind: patient, visit, lab, course, event, assessment) by its
    natural key. The row stays in the database with `retired_at` set and is no longer
    loaded; an audit row keeps the old values."""
    spec = kind_named(kind)
    natural = coerce_key(spec, key)
    conn = session.connection()
    stored = _stored(conn, spec, natural)
    if stored is None or stored.retired_at is not None:
        raise NotFoundError(f"there is no {describe(spec, natural)} in the registry")
    if stored.version != expected_version:
        raise StaleEditError(
            f"{describe(spec, natural)} was changed by someone else "
            f"(version {stored.version}, you saw version {expected_version})"
        )
    at = now_utc()
    _set_retired(conn, spec, stored, expected_version, at)
    _audit(conn, spec, natural, stored, at=at, actor=actor, reason=reason)
    if spec is VISIT:
        pk = patient_pk(conn, natural[0])
        t = ASSESSMENT.table
        rows = conn.execute(
            select(t.c.instrument).where(
                t.c.patient_pk == pk, t.c.date == natural[1], t.c.retired_at.is_(None)
            )
        ).scalars()
        for instrument in list(rows):
            part = (natural[0], natural[1], instrument)
            found = find(conn, ASSESSMENT, part, pk)
            assert found is not None
            _set_retired(conn, ASSESSMENT, found, found.version, at)
            _audit(conn, ASSESSMENT, part, found, at=at, actor=actor, reason=reason)


def _audit(
    conn: Connection,
    spec: Kind,
    natural: Key,
    stored: Stored,
    *,
    at: datetime,
    actor: str,
    reason: str,
) -> None:
    write_audit(
        conn,
        at=at,
        actor=actor,
        action="retire",
        table=spec.name,
        record=key_text(natural),
        patient_id=natural[0],
        old=as_dict(spec, stored.values),
        new={"retired_at": at.isoformat()},
        reason=reason,
    )


def restore(
    session: Session,
    kind: str,
    key: Sequence[Any],
    *,
    expected_version: int,
    actor: str,
    reason: str,
) -> int:
    """Bring back one retracted record; returns its new row_version. NotFoundError if
    it is not retracted (or its patient is), StaleEditError if its version moved on."""
    spec = kind_named(kind)
    natural = coerce_key(spec, key)
    conn = session.connection()
    stored = _stored(conn, spec, natural)
    if stored is None or stored.retired_at is None:
        raise NotFoundError(f"there is no retracted {describe(spec, natural)}")
    if stored.version != expected_version:
        raise StaleEditError(
            f"{describe(spec, natural)} was changed by someone else "
            f"(version {stored.version}, you saw version {expected_version})"
        )
    _restore_row(conn, spec, natural, stored, actor=actor, reason=reason)
    if spec is VISIT:  # the assessments retracted together with the visit
        pk = patient_pk(conn, natural[0])
        t = ASSESSMENT.table
        when = as_utc(stored.retired_at) if stored.retired_at else None
        rows = [
            instrument
            for instrument, at in conn.execute(
                select(t.c.instrument, t.c.retired_at).where(
                    t.c.patient_pk == pk, t.c.date == natural[1], t.c.retired_at.is_not(None)
                )
            )
            if as_utc(at) == when
        ]
        for instrument in list(rows):
            part = (natural[0], natural[1], instrument)
            found = find(conn, ASSESSMENT, part, pk)
            assert found is not None
            _restore_row(conn, ASSESSMENT, part, found, actor=actor, reason=reason)
    return stored.version + 1


def _restore_row(
    conn: Connection, spec: Kind, natural: Key, stored: Stored, *, actor: str, reason: str
) -> None:
    assert stored.retired_at is not None
    _set_retired(conn, spec, stored, stored.version, None)
    write_audit(
        conn,
        actor=actor,
        action="restore",
        table=spec.name,
        record=key_text(natural),
        patient_id=natural[0],
        old={"retired_at": as_utc(stored.retired_at).isoformat()},
        new={"retired_at": None},
        reason=reason,
    )


def retired_records(
    session: Session, *, patient_id: str | None = None, limit: int = 500
) -> list[RetiredRecord]:
    """Retracted records, most recently retracted first (records of a retracted patient
    are listed through the patient only)."""
    conn = session.connection()
    p = PATIENT_TABLE
    out: list[RetiredRecord] = []
    for spec in KINDS.values():
        t = spec.table
        value_cols = [t.c[c] for c in spec.value_columns]
        if spec is PATIENT:
            stmt = select(p.c.patient_id, p.c.row_version, p.c.retired_at, *value_cols).where(
                p.c.retired_at.is_not(None)
            )
            nk = 0
        else:
            key_cols = [t.c[c] for c in spec.key_columns]
            stmt = (
                select(p.c.patient_id, t.c.row_version, t.c.retired_at, *key_cols, *value_cols)
                .join(p, p.c.id == t.c.patient_pk)
                .where(t.c.retired_at.is_not(None), p.c.retired_at.is_(None))
            )
            nk = len(spec.key_columns)
        if patient_id is not None:
            stmt = stmt.where(p.c.patient_id == patient_id)
        stmt = stmt.order_by(t.c.retired_at.desc()).limit(limit)
        for row in conn.execute(stmt):
            out.append(
                RetiredRecord(
                    kind=spec.name,
                    key=(row[0], *row[3 : 3 + nk]),
                    version=row[1],
                    retired_at=as_utc(row[2]),
                    values=as_dict(spec, tuple(row[3 + nk :])),
                )
            )
    out.sort(key=lambda r: r.retired_at, reverse=True)
    return out[:limit]
