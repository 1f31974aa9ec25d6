"""Record-level writes for the web app: save one patient, visit, lab result, drug
course or event; retire (soft-delete) one record; read the row versions for forms.

Optimistic concurrency: every record has a `row_version`. A form remembers the
version it showed and passes it back as `expected_version`; the UPDATE only happens
`WHERE row_version = expected_version`, so a record someone else changed in between
raises StaleEditError instead of silently overwriting their change.
`expected_version=None` means "create": DuplicateError if the natural key exists
(also when the record was retired), NotFoundError if the patient does not.

A record is identified by its natural key, which a save cannot change (to move a
visit to another date, retire it and create the new one). Saving values equal to the
stored ones changes nothing and writes no audit row (the version stays). Every
other write writes one audit row (see `myotrack.registry.audit`).
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

from myotrack.domain import Assessment, DrugCourse, Event, LabResult, Patient, Visit
from myotrack.registry.audit import now_utc, write_audit
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
    key_of,
    key_text,
    kind_named,
    same_values,
)
from myotrack.registry.tables import PATIENT_TABLE


@dataclass(frozen=True, slots=True)
class _Stored:
    id: int
    version: int
    retired_at: datetime | None
    values: Values


def _patient_pk(conn: Connection, patient_id: str) -> int:
    p = PATIENT_TABLE
    row = conn.execute(select(p.c.id, p.c.retired_at).where(p.c.patient_id == patient_id)).first()
    if row is None or row[1] is not None:
        raise NotFoundError(f"there is no patient {patient_id!r} in the registry")
    return int(row[0])


def _where_key(kind: Kind, key: tuple[Any, ...], patient_pk: int | None) -> ColumnElement[bool]:
    t = kind.table
    if kind is PATIENT:
        only: ColumnElement[bool] = t.c.patient_id == key[0]
        return only
    conds: list[ColumnElement[bool]] = [t.c.patient_pk == patient_pk]
    for col, part in zip(kind.key_columns, key[1:], strict=True):
        if kind is EVENT and col == "detail":
            conds.append(func.coalesce(t.c.detail, "") == (part or ""))
        else:
            conds.append(t.c[col] == part)
    return and_(*conds)


def _find(
    conn: Connection, kind: Kind, key: tuple[Any, ...], patient_pk: int | None
) -> _Stored | None:
    t = kind.table
    cols = [t.c.id, t.c.row_version, t.c.retired_at, *(t.c[c] for c in kind.value_columns)]
    row = conn.execute(select(*cols).where(_where_key(kind, key, patient_pk))).first()
    if row is None:
        return None
    return _Stored(row[0], row[1], row[2], tuple(row[3:]))


def _describe(kind: Kind, key: tuple[Any, ...]) -> str:
    return f"{kind.name} ({key_text(key)})"


def _save(
    conn: Connection,
    kind: Kind,
    obj: Any,
    *,
    expected_version: int | None,
    actor: str,
    reason: str,
) -> int:
    if not isinstance(obj, kind.domain_type):
        raise InvalidValueError(f"expected a {kind.domain_type.__name__}, got {obj!r}")
    key = key_of(kind, obj)
    pk = None if kind is PATIENT else _patient_pk(conn, key[0])
    stored = _find(conn, kind, key, pk)
    new = kind.values(obj)
    t = kind.table
    if expected_version is None:
        if stored is not None:
            state = " (it was deleted; restore is not possible)" if stored.retired_at else ""
            raise DuplicateError(f"{_describe(kind, key)} already exists{state}")
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
                conn.execute(insert(t).values(**row))
        except IntegrityError as exc:  # created by someone else in the meantime
            raise DuplicateError(f"{_describe(kind, key)} already exists") from exc
        return 1
    if stored is None or stored.retired_at is not None:
        raise NotFoundError(f"there is no {_describe(kind, key)} in the registry")
    if stored.version != expected_version:
        raise StaleEditError(
            f"{_describe(kind, key)} was changed by someone else "
            f"(version {stored.version}, you edited version {expected_version})"
        )
    if same_values(stored.values, new):
        return stored.version
    result = conn.execute(
        update(t)
        .where(t.c.id == stored.id, t.c.row_version == expected_version)
        .values(
            {**dict(zip(kind.value_columns, new, strict=True)), "row_version": expected_version + 1}
        )
    )
    if result.rowcount != 1:
        raise StaleEditError(f"{_describe(kind, key)} was changed by someone else just now")
    old_d, new_d = changed_fields(kind, stored.values, new)
    write_audit(
        conn,
        actor=actor,
        action="update",
        table=kind.name,
        record=key_text(key),
        patient_id=key[0],
        old=old_d,
        new=new_d,
        reason=reason,
    )
    return expected_version + 1


def save_patient(
    session: Session, patient: Patient, *, expected_version: int | None, actor: str, reason: str
) -> int:
    """Create (expected_version=None) or update a patient; returns the new row_version."""
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
    pk = _patient_pk(conn, key[0])
    stored = _find(conn, ASSESSMENT, key, pk)
    if stored is None:
        _save(conn, ASSESSMENT, assessment, expected_version=None, actor=actor, reason=reason)
        return
    new = ASSESSMENT.values(assessment)
    if stored.retired_at is None and same_values(stored.values, new):
        return
    t = ASSESSMENT.table
    conn.execute(
        update(t)
        .where(t.c.id == stored.id)
        .values(
            {
                **dict(zip(ASSESSMENT.value_columns, new, strict=True)),
                "row_version": stored.version + 1,
                "retired_at": None,
            }
        )
    )
    old_d, new_d = changed_fields(ASSESSMENT, stored.values, new)
    if stored.retired_at is not None:
        old_d["retired_at"] = stored.retired_at.isoformat()
        new_d["retired_at"] = None
    write_audit(
        conn,
        actor=actor,
        action="update",
        table="assessment",
        record=key_text(key),
        patient_id=key[0],
        old=old_d,
        new=new_d,
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
) -> int:
    """Create or update a visit and store the item-level `assessments` made at it
    (each must have the visit's patient_id and date); returns the visit's row_version."""
    for a in assessments:
        if (a.patient_id, a.date) != (visit.patient_id, visit.date):
            raise InvalidValueError(
                f"assessment {a.instrument} of {a.patient_id} on {a.date} does not belong "
                f"to the visit of {visit.patient_id} on {visit.date}"
            )
    conn = session.connection()
    version = _save(
        conn, VISIT, visit, expected_version=expected_version, actor=actor, reason=reason
    )
    for a in assessments:
        _save_assessment(conn, a, actor=actor, reason=reason)
    return version


def save_lab(
    session: Session, lab: LabResult, *, expected_version: int | None, actor: str, reason: str
) -> int:
    """Create or update a lab result; returns the new row_version."""
    return _save(
        session.connection(),
        LAB,
        lab,
        expected_version=expected_version,
        actor=actor,
        reason=reason,
    )


def save_course(
    session: Session,
    course: DrugCourse,
    *,
    expected_version: int | None,
    actor: str,
    reason: str,
) -> int:
    """Create or update a drug course; returns the new row_version."""
    return _save(
        session.connection(),
        COURSE,
        course,
        expected_version=expected_version,
        actor=actor,
        reason=reason,
    )


def save_event(
    session: Session, event: Event, *, expected_version: int | None, actor: str, reason: str
) -> int:
    """Create or update an event; returns the new row_version."""
    return _save(
        session.connection(),
        EVENT,
        event,
        expected_version=expected_version,
        actor=actor,
        reason=reason,
    )


def _coerce_key(kind: Kind, key: tuple[Any, ...]) -> tuple[Any, ...]:
    """Accept ISO text for the date parts of a key (as forms send them)."""
    if len(key) != len(kind.key_fields):
        raise InvalidValueError(
            f"a {kind.name} key has {len(kind.key_fields)} parts "
            f"({', '.join(kind.key_fields)}), got {key!r}"
        )
    out = []
    for name, part in zip(kind.key_fields, key, strict=True):
        if name in ("date", "start_date") and isinstance(part, str):
            try:
                part = date.fromisoformat(part)
            except ValueError:
                raise InvalidValueError(f"{name} {part!r} is not a date YYYY-MM-DD") from None
        out.append(part)
    return tuple(out)


def retire(
    session: Session,
    kind: str,
    key: tuple[Any, ...],
    *,
    expected_version: int,
    actor: str,
    reason: str,
) -> None:
    """Soft-delete one record (kind: patient, visit, lab, course, event, assessment) by
    its natural key. The row stays in the database with `retired_at` set and is no
    longer loaded; an audit row keeps the old values. Retiring a patient hides all of
    the patient's records."""
    spec = kind_named(kind)
    natural = _coerce_key(spec, tuple(key))
    conn = session.connection()
    pk = None if spec is PATIENT else _patient_pk(conn, natural[0])
    stored = _find(conn, spec, natural, pk)
    if stored is None or stored.retired_at is not None:
        raise NotFoundError(f"there is no {_describe(spec, natural)} in the registry")
    if stored.version != expected_version:
        raise StaleEditError(
            f"{_describe(spec, natural)} was changed by someone else "
            f"(version {stored.version}, you saw version {expected_version})"
        )
    at = now_utc()
    t = spec.table
    result = conn.execute(
        update(t)
        .where(t.c.id == stored.id, t.c.row_version == expected_version)
        .values(retired_at=at, row_version=expected_version + 1)
    )
    if result.rowcount != 1:
        raise StaleEditError(f"{_describe(spec, natural)} was changed by someone else just now")
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


def row_versions(session: Session, patient_id: str) -> dict[str, dict[tuple[Any, ...], int]]:
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
    out: dict[str, dict[tuple[Any, ...], int]] = {"patient": {(patient_id,): row[1]}}
    for name, spec in KINDS.items():
        if spec is PATIENT:
            continue
        t = spec.table
        cols = [t.c.row_version, *(t.c[c] for c in spec.key_columns)]
        stmt = select(*cols).where(t.c.patient_pk == pk, t.c.retired_at.is_(None))
        out[name] = {(patient_id, *r[1:]): r[0] for r in conn.execute(stmt)}
    return out
