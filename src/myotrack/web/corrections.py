"""Corrections: edit any record (including its date or other natural key), retract one
with a reason, and (admins) restore a retracted one. The pages and the JSON API call
these, each in the caller's one transaction.

An edit is checked by the same functions that check a new entry (`services.lab_from`,
`course_from`, `event_from`, `visit_from`), run against the patient's other records, so
a record never collides with itself. What no form shows (`x_` columns, the value as the
laboratory reported it when nothing about it changed) is kept. A key change that would
collide with another record, active or retracted, is refused (DuplicateError, 409).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from sqlalchemy.orm import Session

from myotrack import registry
from myotrack.domain import PatientRecord, Visit, vocab
from myotrack.instruments import INSTRUMENTS
from myotrack.web import record_fields, schemas, services
from myotrack.web.errors import Invalid, NotFound
from myotrack.web.forms import visit_instruments
from myotrack.web.policy import Principal
from myotrack.web.services import FormErrors

# the version 1 kinds and the cohort format version 2 kinds (issue 11)
RecordKind = Literal[  # type: ignore[valid-type]
    ("patient", "visit", "lab", "course", "event", "assessment", *record_fields.KIND_NAMES)
]
KIND_WORDS: dict[str, str] = {
    "patient": "patient",
    "visit": "visit",
    "lab": "lab result",
    "course": "drug course",
    "event": "event",
    "assessment": "item-level assessment",
    **{kind: record_fields.title(kind).lower() for kind in record_fields.KIND_NAMES},
}
RequiredReason = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)
]


# ------------------------------------------------------------------ API models


class VisitEdit(schemas.VisitIn):
    """The whole visit as it should be (as the visit form sends it: measures, items and
    totals; an instrument of the form sent without items loses its stored item scores);
    `original_date` is the date it has now (a different `date` moves it, with its
    item-level scores)."""

    original_date: schemas.IsoDate
    expected_version: int = Field(description="the version you edited")


class LabEdit(schemas.LabIn):
    """A lab result as it should be; `original_date` and `original_analyte` name it."""

    original_date: schemas.IsoDate
    original_analyte: Literal[vocab.ANALYTES]  # type: ignore[valid-type]
    expected_version: int = Field(description="the version you edited")


class CourseEdit(schemas.CourseIn):
    """A drug course as it should be (also its end and stop reason); `original_drug` and
    `original_start_date` name it."""

    original_drug: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    original_start_date: schemas.IsoDate
    end_date: schemas.IsoDate | None = None
    stop_reason: Literal[vocab.STOP_REASONS] | None = None  # type: ignore[valid-type]
    expected_version: int = Field(description="the version you edited")


class EventEdit(schemas.EventIn):
    """An event as it should be; `original_date`, `original_event` and
    `original_detail` name it."""

    original_date: schemas.IsoDate
    original_event: Literal[vocab.EVENTS]  # type: ignore[valid-type]
    original_detail: Annotated[str, StringConstraints(max_length=200)] | None = None
    expected_version: int = Field(description="the version you edited")


class Retraction(BaseModel):
    """Retract (or, for admins, restore) one record: its kind, its key as `Saved.key`
    gives it (patient_id first; an event's detail last, may be left out), the version you
    saw, and why (required)."""

    model_config = ConfigDict(extra="forbid")
    kind: RecordKind
    key: Annotated[list[str | None], Field(min_length=1, max_length=4)]
    expected_version: int
    reason: RequiredReason


class RetractedOut(BaseModel):
    kind: str
    key: list[str | None]
    version: int
    retired_at: str
    values: dict[str, object]


# ------------------------------------------------------------------ helpers


def _writable(session: Session, principal: Principal, patient_id: str) -> PatientRecord:
    return services.writable_record(session, principal, patient_id)  # the one write check


def _missing(what: str, patient_id: str) -> NotFound:
    return NotFound(
        f"There is no {what} of {patient_id} (it may have been changed or retracted by "
        "someone else: reload the patient page)."
    )


def _saved(kind: str, key: tuple[object, ...], version: int) -> schemas.Saved:
    return schemas.Saved(
        kind=kind,
        key=["" if k is None else (k.isoformat() if isinstance(k, date) else str(k)) for k in key],
        version=int(version),
    )


# ------------------------------------------------------------------ edits


def edit_visit(
    session: Session, principal: Principal, patient_id: str, data: VisitEdit
) -> schemas.Saved:
    """Change a visit (also its date). Instruments whose items were all cleared lose
    their stored item-level scores (retracted, audited)."""
    record = _writable(session, principal, patient_id)
    old = next((v for v in record.visits if v.date == data.original_date), None)
    if old is None:
        raise _missing(f"visit on {data.original_date}", patient_id)
    others = replace(record, visits=tuple(v for v in record.visits if v is not old))
    visit, assessments = services.visit_from(others, data)
    visit = replace(visit, extra={**old.extra, **visit.extra})  # + x_confirm_implausible
    kept = {a.instrument for a in assessments}
    shown = {d.name for d in visit_instruments()}  # never those the form does not show
    for a in record.assessments:
        if a.date == old.date and a.instrument in shown and a.instrument not in kept:
            versions = registry.row_versions(session, patient_id)["assessment"]
            registry.retire(
                session,
                "assessment",
                (patient_id, a.date, a.instrument),
                expected_version=versions[(patient_id, a.date, a.instrument)],
                actor=principal.username,
                reason=f"items cleared in the visit form: {data.reason}",
            )
    version = registry.save_visit(
        session,
        visit,
        expected_version=data.expected_version,
        actor=principal.username,
        reason=data.reason,
        assessments=[replace(a, date=visit.date) for a in assessments],
        replaces=(patient_id, old.date),
    )
    return _saved("visit", (patient_id, visit.date), version)


def edit_lab(
    session: Session, principal: Principal, patient_id: str, data: LabEdit
) -> schemas.Saved:
    record = _writable(session, principal, patient_id)
    key = (data.original_date, data.original_analyte)
    old = next((x for x in record.labs if (x.date, x.analyte) == key), None)
    if old is None:
        raise _missing(f"{data.original_analyte} result on {data.original_date}", patient_id)
    others = replace(record, labs=tuple(x for x in record.labs if x is not old))
    lab = services.lab_from(others, data)
    lab = replace(lab, extra={**old.extra, **lab.extra})  # + x_confirm_implausible
    same_result = (lab.value, lab.unit, lab.ref_low, lab.ref_high) == (
        old.value,
        old.unit,
        old.ref_low,
        old.ref_high,
    )
    if lab.reported is None and same_result:  # the value as reported stays with it
        lab = replace(lab, reported=old.reported)
    version = registry.save_lab(
        session,
        lab,
        expected_version=data.expected_version,
        actor=principal.username,
        reason=data.reason,
        replaces=(patient_id, old.date, old.analyte),
    )
    return _saved("lab", (patient_id, lab.date, lab.analyte), version)


def edit_course(
    session: Session, principal: Principal, patient_id: str, data: CourseEdit
) -> schemas.Saved:
    record = _writable(session, principal, patient_id)
    key = (data.original_drug, data.original_start_date)
    old = next((c for c in record.courses if (c.drug, c.start_date) == key), None)
    if old is None:
        raise _missing(
            f"{data.original_drug} course starting {data.original_start_date}", patient_id
        )
    others = replace(record, courses=tuple(c for c in record.courses if c is not old))
    course = services.course_from(others, data)
    course = replace(course, end_date=data.end_date, stop_reason=data.stop_reason, extra=old.extra)
    if data.stop_reason is not None and data.end_date is None:
        raise FormErrors({"end_date": "A course with a reason for stopping needs an end date."})
    services.refuse_course_problems(others, course, None, new=False)  # the one set of course checks
    version = registry.save_course(
        session,
        course,
        expected_version=data.expected_version,
        actor=principal.username,
        reason=data.reason,
        replaces=(patient_id, old.drug, old.start_date),
    )
    return _saved("course", (patient_id, course.drug, course.start_date), version)


def edit_event(
    session: Session, principal: Principal, patient_id: str, data: EventEdit
) -> schemas.Saved:
    record = _writable(session, principal, patient_id)
    key = (data.original_date, data.original_event, (data.original_detail or "").strip() or None)
    old = next((e for e in record.events if (e.date, e.event, e.detail or None) == key), None)
    if old is None:
        raise _missing(f"{data.original_event} event on {data.original_date}", patient_id)
    others = replace(record, events=tuple(e for e in record.events if e is not old))
    event = replace(services.event_from(others, data), extra=old.extra)
    version = registry.save_event(
        session,
        event,
        expected_version=data.expected_version,
        actor=principal.username,
        reason=data.reason,
        replaces=(patient_id, old.date, old.event, old.detail),
    )
    return _saved("event", (patient_id, event.date, event.event, event.detail), version)


# ------------------------------------------------------------------ retract / restore


def _natural_key(data: Retraction, patient_id: str | None) -> tuple[str | None, ...]:
    key = tuple(data.key)
    if data.kind in record_fields.KIND_NAMES:  # (patient_id, record key): '' is a key
        key = tuple("" if k is None else k for k in key)
    if data.kind == "event" and len(key) == 3:
        key = (*key, None)  # as Saved.key gives it: no detail
    if patient_id is not None and key[0] != patient_id:
        raise Invalid(f"The key names patient {key[0]!r}, not {patient_id!r}.")
    return key


def retract(
    session: Session, principal: Principal, patient_id: str, data: Retraction
) -> schemas.Saved:
    """Retract one record of the patient (the patient itself with kind 'patient'). An
    item-level assessment takes the visit scores it filled along (the visit is saved
    without them, audited)."""
    record = _writable(session, principal, patient_id)
    key = _natural_key(data, patient_id)
    registry.retire(
        session,
        data.kind,
        key,
        expected_version=data.expected_version,
        actor=principal.username,
        reason=data.reason,
    )
    if data.kind == "assessment" and len(key) == 3 and key[2] in INSTRUMENTS:
        _clear_visit_scores(session, principal, record, key, data.reason)
    return _saved(data.kind, key, data.expected_version + 1)


def _clear_visit_scores(
    session: Session,
    principal: Principal,
    record: PatientRecord,
    key: tuple[str | None, ...],
    reason: str,
) -> None:
    on = date.fromisoformat(str(key[1]))
    visit = next((v for v in record.visits if v.date == on), None)
    if visit is None:
        return
    columns = INSTRUMENTS[str(key[2])].visit_columns()
    blank: dict[str, Any] = dict.fromkeys(columns)
    cleared: Visit = replace(visit, **blank)
    if cleared == visit:
        return
    versions = registry.row_versions(session, record.patient.patient_id)["visit"]
    registry.save_visit(
        session,
        cleared,
        expected_version=versions[(record.patient.patient_id, on)],
        actor=principal.username,
        reason=f"item-level scores retracted: {reason}",
    )


def restore(session: Session, principal: Principal, data: Retraction) -> schemas.Saved:
    """Bring a retracted record back (the route lets only admins do this)."""
    key = _natural_key(data, None)
    version = registry.restore(
        session,
        data.kind,
        key,
        expected_version=data.expected_version,
        actor=principal.username,
        reason=data.reason,
    )
    return _saved(data.kind, key, version)


def retracted(session: Session, *, patient_id: str | None = None) -> list[RetractedOut]:
    return [
        RetractedOut(
            kind=r.kind,
            key=[
                None if k is None else (k.isoformat() if isinstance(k, date) else str(k))
                for k in r.key
            ],
            version=r.version,
            retired_at=r.retired_at.isoformat(timespec="seconds"),
            values=r.values,
        )
        for r in registry.retired_records(session, patient_id=patient_id)
    ]


__all__ = [
    "CourseEdit",
    "EventEdit",
    "LabEdit",
    "RetractedOut",
    "Retraction",
    "VisitEdit",
    "edit_course",
    "edit_event",
    "edit_lab",
    "edit_visit",
    "restore",
    "retract",
    "retracted",
]
