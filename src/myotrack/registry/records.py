"""Record-level writes for the web app: save one patient, visit, lab result, drug
course or event, and read the row versions for forms. Retracting and restoring a
record is `myotrack.registry.retraction`.

Optimistic concurrency: every record has a `row_version`. A form remembers the
version it showed and passes it back as `expected_version`; the UPDATE only happens
`WHERE row_version = expected_version`, so a record someone else changed in between
raises StaleEditError instead of silently overwriting their change.
`expected_version=None` means "create": DuplicateError if the natural key is taken by
an active record, NotFoundError if the patient does not exist. Creating a lab, course,
event, visit or assessment on the key of a RETRACTED one re-uses that row: it comes
back with the new values (audited as an insert whose old value is the retracted row),
so a wrong record can be retracted and entered again. A retracted patient is not
re-used that way (it would bring back all of their records): an admin restores it.

Changing a natural key (a visit's date, a lab's date or analyte, a course's drug or
start date, an event's date, event or detail) is an edit: pass the key the record had
as `replaces=`; the row keeps its history, the change is audited in one transaction
(key fields in the old and new values), and DuplicateError names the record that holds
the new key (active or retracted). A visit's item-level assessments move with its date.
A patient's pseudonym is never changed.

Saving values equal to the stored ones changes nothing and writes no audit row (the
version stays). Every other write writes one audit row (see `myotrack.registry.audit`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from myotrack.domain import Assessment, DrugCourse, Event, LabResult, Patient, RecordRow, Visit
from myotrack.registry.audit import write_audit
from myotrack.registry.errors import (
    DuplicateError,
    InvalidValueError,
    NotFoundError,
    StaleEditError,
)
from myotrack.registry.kinds import (
    ASSESSMENT,
    COURSE,
    EVENT,
    KINDS,
    LAB,
    PATIENT,
    VISIT,
    Kind,
    Values,
    as_dict,
    changed_fields,
    jsonable,
    key_of,
    key_text,
    same_values,
)
from myotrack.registry.tables import PATIENT_TABLE

Key = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Stored:
    """One stored row as the record-level writes see it."""

    id: int
    version: int
    retired_at: datetime | None
    values: Values


def patient_pk(conn: Connection, patient_id: str) -> int:
    """The surrogate id of an ACTIVE patient (NotFoundError otherwise)."""
    p = PATIENT_TABLE
    row = conn.execute(select(p.c.id, p.c.retired_at).where(p.c.patient_id == patient_id)).first()
    if row is None or row[1] is not None:
        raise NotFoundError(f"there is no patient {patient_id!r} in the registry")
    return int(row[0])


def where_key(kind: Kind, key: Key, pk: int | None) -> ColumnElement[bool]:
    """The row of `kind` with natural key `key` (of the patient with surrogate id `pk`)."""
    t = kind.table
    if kind is PATIENT:
        only: ColumnElement[bool] = t.c.patient_id == key[0]
        return only
    conds: list[ColumnElement[bool]] = [t.c.patient_pk == pk]
    for col, part in zip(kind.key_columns, key[1:], strict=True):
        if kind is EVENT and col == "detail":
            conds.append(func.coalesce(t.c.detail, "") == (part or ""))
        else:
            conds.append(t.c[col] == part)
    return and_(*conds)


def find(conn: Connection, kind: Kind, key: Key, pk: int | None) -> Stored | None:
    """The stored row with that natural key, active or retracted, or None."""
    t = kind.table
    cols = [t.c.id, t.c.row_version, t.c.retired_at, *(t.c[c] for c in kind.value_columns)]
    row = conn.execute(select(*cols).where(where_key(kind, key, pk))).first()
    if row is None:
        return None
    return Stored(row[0], row[1], row[2], tuple(row[3:]))


def describe(kind: Kind, key: Key) -> str:
    return f"{kind.name} ({key_text(key)})"


def coerce_key(kind: Kind, key: Sequence[Any]) -> Key:
    """A natural key as the table compares it: the right number of parts, ISO text
    accepted for the date parts (as forms send them), '' for an event's empty detail
    read as None."""
    if len(key) != len(kind.key_fields):
        raise InvalidValueError(
            f"a {kind.name} key has {len(kind.key_fields)} parts "
            f"({', '.join(kind.key_fields)}), got {tuple(key)!r}"
        )
    out = []
    for name, part in zip(kind.key_fields, key, strict=True):
        if name in ("date", "start_date") and isinstance(part, str):
            try:
                part = date.fromisoformat(part)
            except ValueError:
                raise InvalidValueError(f"{name} {part!r} is not a date YYYY-MM-DD") from None
        if name == "detail" and part == "":
            part = None
        out.append(part)
    return tuple(out)


def _check_version(kind: Kind, key: Key, stored: Stored | None, expected: int) -> Stored:
    if stored is None or stored.retired_at is not None:
        raise NotFoundError(f"there is no {describe(kind, key)} in the registry")
    if stored.version != expected:
        raise StaleEditError(
            f"{describe(kind, key)} was changed by someone else "
            f"(version {stored.version}, you edited version {expected})"
        )
    return stored


def _taken(kind: Kind, key: Key, stored: Stored) -> DuplicateError:
    if stored.retired_at is not None:
        return DuplicateError(
            f"{describe(kind, key)} exists as a retracted record; choose another key, "
            "or ask an admin to restore the retracted one and edit it"
        )
    return DuplicateError(f"{describe(kind, key)} already exists")


def _insert(
    conn: Connection, kind: Kind, key: Key, pk: int | None, new: Values, *, actor: str, reason: str
) -> int:
    audit_id = write_audit(
        conn,
        actor=actor,
        action="insert",
        table=kind.name,
        record=key_text(key),
        patient_id=key[0],
        old=None,
        new=as_dict(kind, new),
        reason=reason,
    )
    head: dict[str, Any] = (
        {"patient_id": key[0]}
        if kind is PATIENT
        else {"patient_pk": pk, **dict(zip(kind.key_columns, key[1:], strict=True))}
    )
    row = {
        **head,
        **dict(zip(kind.value_columns, new, strict=True)),
        "row_version": 1,
        "created_by_audit_id": audit_id,
    }
    try:
        with conn.begin_nested():
            conn.execute(insert(kind.table).values(**row))
    except IntegrityError as exc:  # created by someone else in the meantime
        raise DuplicateError(f"{describe(kind, key)} already exists") from exc
    return 1


def _reenter(
    conn: Connection, kind: Kind, key: Key, stored: Stored, new: Values, *, actor: str, reason: str
) -> int:
    """Create a record on the key of a retracted one: the row comes back with the new
    values; the audit's old value is the retracted row."""
    t = kind.table
    version = stored.version + 1
    result = conn.execute(
        update(t)
        .where(t.c.id == stored.id, t.c.row_version == stored.version)
        .values(
            {
                **dict(zip(kind.value_columns, new, strict=True)),
                "row_version": version,
                "retired_at": None,
            }
        )
    )
    if result.rowcount != 1:
        raise DuplicateError(f"{describe(kind, key)} was entered by someone else just now")
    assert stored.retired_at is not None
    write_audit(
        conn,
        actor=actor,
        action="insert",
        table=kind.name,
        record=key_text(key),
        patient_id=key[0],
        old={**as_dict(kind, stored.values), "retired_at": stored.retired_at.isoformat()},
        new=as_dict(kind, new),
        reason=reason,
    )
    return version


def _update(
    conn: Connection,
    kind: Kind,
    key: Key,
    stored: Stored,
    new: Values,
    *,
    expected_version: int,
    actor: str,
    reason: str,
    key_change: tuple[dict[str, Any], dict[str, Any]] | None = None,
) -> int:
    """Update one row's values (and key columns, for a key change), audited."""
    t = kind.table
    moved_old, moved_new = key_change or ({}, {})
    key_values = {k: v for k, v in zip(kind.key_fields, key, strict=True) if k in moved_new}
    try:
        with conn.begin_nested():
            result = conn.execute(
                update(t)
                .where(t.c.id == stored.id, t.c.row_version == expected_version)
                .values(
                    {
                        **key_values,
                        **dict(zip(kind.value_columns, new, strict=True)),
                        "row_version": expected_version + 1,
                    }
                )
            )
    except IntegrityError as exc:  # the new key was taken in the meantime
        raise DuplicateError(f"{describe(kind, key)} already exists") from exc
    if result.rowcount != 1:
        raise StaleEditError(f"{describe(kind, key)} was changed by someone else just now")
    old_d, new_d = changed_fields(kind, stored.values, new)
    write_audit(
        conn,
        actor=actor,
        action="update",
        table=kind.name,
        record=key_text(key),
        patient_id=key[0],
        old={**moved_old, **old_d},
        new={**moved_new, **new_d},
        reason=reason,
    )
    return expected_version + 1


def _save(
    conn: Connection,
    kind: Kind,
    obj: Any,
    *,
    expected_version: int | None,
    actor: str,
    reason: str,
    replaces: Sequence[Any] | None = None,
) -> int:
    if not isinstance(obj, kind.domain_type):
        raise InvalidValueError(f"expected a {kind.domain_type.__name__}, got {obj!r}")
    key = key_of(kind, obj)
    old_key = coerce_key(kind, replaces) if replaces is not None else key
    if kind.match_key(old_key) != kind.match_key(key):
        if expected_version is None:
            raise InvalidValueError("a key change is an edit: give the version you edited")
        if old_key[0] != key[0]:
            raise InvalidValueError(
                f"a record cannot move to another patient ({old_key[0]} -> {key[0]})"
            )
        return _move(
            conn, kind, old_key, obj, expected_version=expected_version, actor=actor, reason=reason
        )
    pk = None if kind is PATIENT else patient_pk(conn, key[0])
    stored = find(conn, kind, key, pk)
    new = kind.values(obj)
    if expected_version is None:
        if stored is None:
            return _insert(conn, kind, key, pk, new, actor=actor, reason=reason)
        if stored.retired_at is None or kind is PATIENT:
            raise _taken(kind, key, stored)
        return _reenter(conn, kind, key, stored, new, actor=actor, reason=reason)
    stored = _check_version(kind, key, stored, expected_version)
    if same_values(stored.values, new):
        return stored.version
    return _update(
        conn, kind, key, stored, new, expected_version=expected_version, actor=actor, reason=reason
    )


def _move(
    conn: Connection,
    kind: Kind,
    old_key: Key,
    obj: Any,
    *,
    expected_version: int,
    actor: str,
    reason: str,
) -> int:
    """Change a record's natural key (and values) in place; a visit takes its
    assessments along."""
    key = key_of(kind, obj)
    pk = patient_pk(conn, key[0])
    stored = _check_version(kind, old_key, find(conn, kind, old_key, pk), expected_version)
    holder = find(conn, kind, key, pk)
    if holder is not None:
        raise _taken(kind, key, holder)
    moved_old: dict[str, Any] = {}
    moved_new: dict[str, Any] = {}
    for name, before, after in zip(kind.key_fields, old_key, key, strict=True):
        if before != after:
            moved_old[name] = jsonable(before)
            moved_new[name] = jsonable(after)
    if kind is VISIT:
        _move_assessments(conn, pk, key[0], old_key[1], key[1], actor=actor, reason=reason)
    return _update(
        conn,
        kind,
        key,
        stored,
        kind.values(obj),
        expected_version=expected_version,
        actor=actor,
        reason=reason,
        key_change=(moved_old, moved_new),
    )


def _move_assessments(
    conn: Connection,
    pk: int,
    patient_id: str,
    before: date,
    after: date,
    *,
    actor: str,
    reason: str,
) -> None:
    """Move the active assessments of the visit on `before` to `after` (audited each);
    DuplicateError if a row (active or retracted) of the same instrument is there."""
    t = ASSESSMENT.table
    rows = conn.execute(
        select(t.c.id, t.c.instrument, t.c.row_version).where(
            t.c.patient_pk == pk, t.c.date == before, t.c.retired_at.is_(None)
        )
    ).all()
    for row_id, instrument, version in rows:
        holder = find(conn, ASSESSMENT, (patient_id, after, instrument), pk)
        if holder is not None:
            raise _taken(ASSESSMENT, (patient_id, after, instrument), holder)
        conn.execute(update(t).where(t.c.id == row_id).values(date=after, row_version=version + 1))
        write_audit(
            conn,
            actor=actor,
            action="update",
            table=ASSESSMENT.name,
            record=key_text((patient_id, after, instrument)),
            patient_id=patient_id,
            old={"date": before.isoformat()},
            new={"date": after.isoformat()},
            reason=reason,
        )


def save_patient(
    session: Session, patient: Patient, *, expected_version: int | None, actor: str, reason: str
) -> int:
    """Create (expected_version=None) or update a patient; returns the new row_version.
    The pseudonym cannot change."""
    return _save(
        session.connection(),
        PATIENT,
        patient,
        expected_version=expected_version,
        actor=actor,
        reason=reason,
    )


def _save_assessment(conn: Connection, assessment: Assessment, *, actor: str, reason: str) -> None:
    """Insert or update one assessment (it rides on its visit's version)."""
    key = key_of(ASSESSMENT, assessment)
    pk = patient_pk(conn, key[0])
    stored = find(conn, ASSESSMENT, key, pk)
    new = ASSESSMENT.values(assessment)
    if stored is None:
        _insert(conn, ASSESSMENT, key, pk, new, actor=actor, reason=reason)
        return
    if stored.retired_at is not None:
        _reenter(conn, ASSESSMENT, key, stored, new, actor=actor, reason=reason)
        return
    if same_values(stored.values, new):
        return
    _update(
        conn,
        ASSESSMENT,
        key,
        stored,
        new,
        expected_version=stored.version,
        actor=actor,
        reason=reason,
    )


def save_visit(
    session: Session,
    visit: Visit,
    *,
    expected_version: int | None,
    actor: str,
    reason: str,
    assessments: Sequence[Assessment] = (),
    replaces: Sequence[Any] | None = None,
) -> int:
    """Create or update a visit and store the item-level `assessments` made at it
    (each must have the visit's patient_id and date); returns the visit's row_version.
    `replaces=(patient_id, old_date)` moves the visit (and its assessments) to its date."""
    for a in assessments:
        if (a.patient_id, a.date) != (visit.patient_id, visit.date):
            raise InvalidValueError(
                f"assessment {a.instrument} of {a.patient_id} on {a.date} does not belong "
                f"to the visit of {visit.patient_id} on {visit.date}"
            )
    conn = session.connection()
    version = _save(
        conn,
        VISIT,
        visit,
        expected_version=expected_version,
        actor=actor,
        reason=reason,
        replaces=replaces,
    )
    for a in assessments:
        _save_assessment(conn, a, actor=actor, reason=reason)
    return version


def save_lab(
    session: Session,
    lab: LabResult,
    *,
    expected_version: int | None,
    actor: str,
    reason: str,
    replaces: Sequence[Any] | None = None,
) -> int:
    """Create or update a lab result; returns the new row_version. `replaces=(patient_id,
    date, analyte)` of the stored result changes its date or analyte."""
    return _save(
        session.connection(),
        LAB,
        lab,
        expected_version=expected_version,
        actor=actor,
        reason=reason,
        replaces=replaces,
    )


def save_course(
    session: Session,
    course: DrugCourse,
    *,
    expected_version: int | None,
    actor: str,
    reason: str,
    replaces: Sequence[Any] | None = None,
) -> int:
    """Create or update a drug course; returns the new row_version. `replaces=(patient_id,
    drug, start_date)` of the stored course changes its drug or start date."""
    return _save(
        session.connection(),
        COURSE,
        course,
        expected_version=expected_version,
        actor=actor,
        reason=reason,
        replaces=replaces,
    )


def save_event(
    session: Session,
    event: Event,
    *,
    expected_version: int | None,
    actor: str,
    reason: str,
    replaces: Sequence[Any] | None = None,
) -> int:
    """Create or update an event; returns the new row_version. `replaces=(patient_id,
    date, event, detail)` of the stored event changes its date, event or detail."""
    return _save(
        session.connection(),
        EVENT,
        event,
        expected_version=expected_version,
        actor=actor,
        reason=reason,
        replaces=replaces,
    )


def row_versions(session: Session, patient_id: str) -> dict[str, dict[Key, int]]:
    """kind -> natural key -> row_version of the patient's active records (what a form
    passes back as expected_version). Keys are the same tuples `retire` takes."""
    conn = session.connection()
    p = PATIENT_TABLE
    row = conn.execute(
        select(p.c.id, p.c.row_version).where(
            p.c.patient_id == patient_id, p.c.retired_at.is_(None)
        )
    ).first()
    if row is None:
        raise NotFoundError(f"there is no patient {patient_id!r} in the registry")
    pk = row[0]
    out: dict[str, dict[Key, int]] = {"patient": {(patient_id,): row[1]}}
    for name, spec in KINDS.items():
        if spec is PATIENT:
            continue
        t = spec.table
        cols = [t.c.row_version, *(t.c[c] for c in spec.key_columns)]
        stmt = select(*cols).where(t.c.patient_pk == pk, t.c.retired_at.is_(None))
        out[name] = {(patient_id, *r[1:]): r[0] for r in conn.execute(stmt)}
    return out


def save_record(
    session: Session,
    row: RecordRow,
    *,
    expected_version: int | None,
    actor: str,
    reason: str,
    replaces: Sequence[Any] | None = None,
) -> int:
    """Create or update one cohort format version 2 record (an investigation, organ
    involvement, background, antibody test, family history, vaccination, pregnancy test,
    decision, or a course/event version 1 cannot hold; `row.kind` names it, see
    `cohort.columns_v2.RECORD_KINDS`); returns the new row_version. `row.values` are the
    checked column values (`cohort.cells.value_checker` and `record_checks.check_record`,
    the checks of the importer). Its natural key is (patient_id, record_key);
    `replaces=(patient_id, old record_key)` changes the key (e.g. the date of a CT).
    Retract and restore it with `retire`/`restore` under the kind's name."""
    kind = KINDS.get(row.kind)
    if kind is None or kind.domain_type is not RecordRow:
        raise InvalidValueError(f"{row.kind!r} is not a record kind of cohort format version 2")
    return _save(
        session.connection(),
        kind,
        row,
        expected_version=expected_version,
        actor=actor,
        reason=reason,
        replaces=replaces,
    )
