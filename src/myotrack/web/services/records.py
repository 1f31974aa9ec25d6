"""The whole JDM record (cohort format version 2, issue 11): adding and correcting an
investigation, organ involvement, the background, an antibody test, family history, a
treatment course known to the month or year (or a course's detail), a vaccination, a
pregnancy test, a decision or a version 2 event, and listing them — each in the caller's
one transaction.

The values come checked cell by cell by the API/form model (`schemas.RECORD_MODELS`, the
field table's rules). The record is then checked by the importer itself: it is put, as one
row of its file, into a folder holding the patient's row (and their drug courses, for the
rules across courses) and read with `cohort.cohort_from_rows` — so the same split into a
version 1 row and its version 2 record, the same record checks (`check_record`), the same
summary rules (a positive antibody test must be in the patient's antibodies) and the same
rule names apply as on import. What the reader makes of the row is stored: a course known to
the day with version 1 codes becomes a version 1 drug course plus its detail, exactly as
its export would be read back, so the export re-imports unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from pydantic import BaseModel, Field, ValidationError, create_model
from sqlalchemy.orm import Session

from myotrack import registry
from myotrack.cohort import Row, cohort_from_rows, record_key
from myotrack.domain import Cohort, DrugCourse, PartialDate, PatientRecord, RecordRow
from myotrack.web import record_fields, research, schemas
from myotrack.web.errors import NotFound
from myotrack.web.policy import Principal
from myotrack.web.services.writing import FormErrors, _today, writable_record

_V1_FILES = ("patients.csv", "visits.csv", "labs.csv", "treatments.csv", "events.csv")
_RECORD_LINE = 2  # the line of the entered row in the folder the importer reads
_FIRST_OTHER_LINE = 10  # the patient's stored courses follow


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """One version 2 record of a patient as a page or the API lists it."""

    kind: str
    key: str  # its natural key after the patient (record_key)
    values: Mapping[str, Any]
    version: int | None


def patient_rows(cohort: Cohort, patient_id: str) -> tuple[RecordRow, ...]:
    """The version 2 records of one patient in a loaded cohort."""
    return tuple(r for r in cohort.v2_rows if r.patient_id == patient_id)


def stored_records(
    rows: Sequence[RecordRow],
    versions: Mapping[str, Mapping[tuple[Any, ...], int]],
    kind: str | None = None,
) -> list[StoredRecord]:
    """Records with their natural keys and versions (versions of the registry patient, or
    empty for de-identified rows), in date order within each kind."""
    out = []
    for row in rows:
        if kind is not None and row.kind != kind:
            continue
        spec = record_fields.kind_of(row.kind)
        key = record_key(spec, row.values)
        version = versions.get(row.kind, {}).get((row.patient_id, key))
        out.append(StoredRecord(row.kind, key, dict(row.values), version))
    return sorted(out, key=lambda r: (r.kind, _first_date(r.values), r.key))


def _first_date(values: Mapping[str, Any]) -> date:
    for value in values.values():
        if isinstance(value, PartialDate):
            return value.earliest()
        if isinstance(value, date):
            return value
    return date.min


# ------------------------------------------------------------------ checking


def _patient_values(record: PatientRecord) -> dict[str, Any]:
    p = record.patient
    return {
        "patient_id": p.patient_id,
        "sex": p.sex,
        "birth_date": p.birth_date,
        "onset_date": None if p.onset_date is None else PartialDate.of(p.onset_date),
        "diagnosis_date": None if p.diagnosis_date is None else PartialDate.of(p.diagnosis_date),
        "diagnosis": p.diagnosis,
        "bohan_peter": p.bohan_peter,
        "antibodies": tuple(p.antibodies) or None,
        "refractory": p.refractory,
        "features": tuple(p.features) or None,
        "site": p.site,
    }


def _course_values(course: DrugCourse) -> dict[str, Any]:
    return {
        "patient_id": course.patient_id,
        "drug": course.drug,
        "dose": course.dose,
        "dose_unit": course.dose_unit,
        "frequency": course.frequency,
        "route": course.route,
        "start_date": PartialDate.of(course.start_date),
        "end_date": None if course.end_date is None else PartialDate.of(course.end_date),
        "stop_reason": course.stop_reason,
    }


def _event_values(record: PatientRecord, values: Mapping[str, Any]) -> dict[str, Any]:
    """The stored version 1 event an event's detail belongs to, as its events.csv row."""
    on, event, detail = values.get("date"), values.get("event"), values.get("detail")
    found = next(
        (e for e in record.events if (e.date, e.event, e.detail) == (on, event, detail)), None
    )
    if found is None:
        raise FormErrors(
            {"date": "There is no such event recorded: record the event first."}, {"date": "date"}
        )
    return {
        "patient_id": found.patient_id,
        "date": PartialDate.of(found.date),
        "event": found.event,
        "detail": found.detail,
        "grade": found.grade,
    }


def _detail_course(record: PatientRecord, values: Mapping[str, Any]) -> DrugCourse:
    drug, start = values.get("drug"), values.get("start_date")
    found = next((c for c in record.courses if (c.drug, c.start_date) == (drug, start)), None)
    if found is None:
        raise FormErrors(
            {"start_date": "There is no such drug course recorded: start it first."},
            {"start_date": "date"},
        )
    return found


def _folder(record: PatientRecord, kind: str, values: Mapping[str, Any]) -> dict[str, list[Row]]:
    """The folder the importer reads for one entered record: the patient's row, their drug
    courses (rules across courses), and the record as a row of its file."""
    spec = record_fields.kind_of(kind)
    pid = record.patient.patient_id
    row = {"patient_id": pid, **values}
    tables: dict[str, list[Row]] = {f: [] for f in _V1_FILES}
    patient = _patient_values(record)
    courses = list(record.courses)
    if kind == "patient_background":
        for name in ("onset_date", "diagnosis_date"):
            if values.get(name) is not None and patient.get(name) is not None:
                raise FormErrors(
                    {name: "The patient form holds this date already (to the day)."},
                    {name: "date"},
                )
        patient = {**patient, **{k: v for k, v in values.items() if v is not None}}
    elif kind == "course_detail":
        course = _detail_course(record, values)
        courses.remove(course)
        row = {**_course_values(course), **values, "start_date": PartialDate.of(course.start_date)}
    elif kind == "event_detail":
        row = {**_event_values(record, values), **values}
        row["date"] = PartialDate.of(values["date"])
    tables["patients.csv"] = [Row(1, patient)]
    tables["treatments.csv"] = [
        Row(_FIRST_OTHER_LINE + i, _course_values(c)) for i, c in enumerate(courses)
    ]
    if kind != "patient_background":
        tables.setdefault(spec.file, []).append(Row(_RECORD_LINE, row))
    return tables


def checked_rows(
    record: PatientRecord, kind: str, values: Mapping[str, Any], today: date
) -> Cohort:
    """What the importer reads from the entered record (its version 1 row, if version 1
    holds it, and its version 2 records), or FormErrors with the importer's problems."""
    tables = _folder(record, kind, values)
    issues: list[Any] = []
    cohort = cohort_from_rows(tables, None, issues, today=today, version=2)
    if issues or cohort is None:
        errors: dict[str, str] = {}
        rules: dict[str, str] = {}
        for issue in issues:
            field = issue.field if issue.field in values or issue.field in _fields(kind) else "form"
            errors.setdefault(field, _sentence(issue.message))
            rules.setdefault(field, issue.rule)
        raise FormErrors(errors or {"form": "Not saved."}, rules)
    return cohort


def _fields(kind: str) -> set[str]:
    return {f.name for f in record_fields.form_fields(kind)}


def _sentence(message: str) -> str:
    text = message[:1].upper() + message[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


# ------------------------------------------------------------------ saving


def _entered(
    record: PatientRecord, kind: str, cohort: Cohort
) -> tuple[list[DrugCourse], list[Any], list[RecordRow]]:
    """The entered record as the importer read it: a new version 1 course or event (when
    version 1 holds the row) and the version 2 records."""
    held = {(c.drug, c.start_date) for c in record.courses}
    courses = [c for c in cohort.courses if (c.drug, c.start_date) not in held]
    events = list(cohort.events)
    rows = list(cohort.v2_rows)
    if kind in ("course_detail", "event_detail"):
        courses, events = [], []
    return courses, events, rows


def _values(data: BaseModel) -> dict[str, Any]:
    return schemas.record_values(data)


@cache
def edit_model(kind: str) -> type[BaseModel]:
    """The model of a correction: the kind's values, the natural key it has now
    (`original_key`, as `Saved.key[1]` gives it) and the version you saw."""
    base = schemas.RECORD_MODELS[kind]
    return create_model(
        base.__name__.removesuffix("In") + "Edit",
        __base__=base,
        original_key=(str, Field(max_length=200, description="the record's key as it is now")),
        expected_version=(int, Field(description="the version you edited")),
    )


# pydantic's own error types in the rule names of the field table (the field rules raise
# errors named after their rule already)
_RULES = {
    "missing": "required",
    "extra_forbidden": "unknown_column",
    "float_parsing": "number",
    "float_type": "number",
    "int_parsing": "integer",
    "int_type": "integer",
    "int_from_float": "integer",
    "string_type": "choice",
    "tuple_type": "choice",
}


def parse_record(kind: str, data: Mapping[str, Any], *, edit: bool = False) -> BaseModel:
    """The entered values as the kind's model, or FormErrors naming each bad field with its
    message and rule (the rule names of the field table, as on import)."""
    model = edit_model(kind) if edit else schemas.RECORD_MODELS[kind]
    try:
        return model.model_validate(dict(data))
    except ValidationError as exc:
        errors: dict[str, str] = {}
        rules: dict[str, str] = {}
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else "form"
            rule = _RULES.get(err["type"], err["type"])
            message = "Required." if rule == "required" else _sentence(str(err["msg"]))
            errors.setdefault(field, message)
            rules.setdefault(field, rule)
        raise FormErrors(errors, rules) from None


def add_record(
    session: Session,
    principal: Principal,
    patient_id: str,
    kind: str,
    data: BaseModel,
    *,
    today: date | None = None,
) -> schemas.Saved:
    """Add one record of `kind` (checked as on import; DuplicateError when its natural key
    is taken)."""
    record = writable_record(session, principal, patient_id)
    values = _values(data)
    reason = str(getattr(data, "reason", "entered in the web app"))
    cohort = checked_rows(record, kind, values, _today(today))
    return _store(session, principal, record, kind, cohort, reason)


def _store(
    session: Session,
    principal: Principal,
    record: PatientRecord,
    kind: str,
    cohort: Cohort,
    reason: str,
    *,
    replaces: tuple[str, int] | None = None,
) -> schemas.Saved:
    """Store what the importer read; `replaces` = (record_key, version) of the record of
    `kind` being corrected."""
    pid = record.patient.patient_id
    courses, events, rows = _entered(record, kind, cohort)
    actor = principal.username
    same_kind = [r for r in rows if r.kind == kind]
    if replaces is not None and (courses or events or not same_kind):
        # read as another kind now (e.g. a course now known to the day with version 1
        # codes: a version 1 course and its detail): the old record is retracted
        registry.retire(
            session,
            kind,
            (pid, replaces[0]),
            expected_version=replaces[1],
            actor=actor,
            reason=f"corrected: {reason}",
        )
        replaces = None
    saved: schemas.Saved | None = None
    for course in courses:
        version = registry.save_course(
            session, course, expected_version=None, actor=actor, reason=reason
        )
        saved = schemas.Saved(
            kind="course",
            key=[pid, course.drug, course.start_date.isoformat()],
            version=int(version),
        )
    for event in events:
        version = registry.save_event(
            session, event, expected_version=None, actor=actor, reason=reason
        )
        saved = schemas.Saved(
            kind="event", key=[pid, event.date.isoformat(), event.event], version=int(version)
        )
    versions = registry.row_versions(session, pid)
    for row in rows:
        spec = record_fields.kind_of(row.kind)
        key = record_key(spec, row.values)
        expected: int | None = None
        old: tuple[str, str] | None = None
        if replaces is not None and row.kind == kind:
            expected, old = replaces[1], (pid, replaces[0])
        elif row.kind in ("course_detail", "event_detail", "patient_background"):
            expected = versions.get(row.kind, {}).get((pid, key))  # one a course/patient
        version = registry.save_record(
            session, row, expected_version=expected, actor=actor, reason=reason, replaces=old
        )
        if saved is None or row.kind == kind:
            saved = schemas.Saved(kind=row.kind, key=[pid, key], version=int(version))
    if saved is None:
        raise FormErrors({"form": "Nothing was entered."}, {"form": "required"})
    return saved


def edit_record(
    session: Session,
    principal: Principal,
    patient_id: str,
    kind: str,
    data: BaseModel,
    *,
    original_key: str,
    expected_version: int,
    today: date | None = None,
) -> schemas.Saved:
    """Correct the record of `kind` whose natural key is `original_key` (also its date or
    other key parts); the version you saw guards against someone else's change."""
    record = writable_record(session, principal, patient_id)
    versions = registry.row_versions(session, patient_id)
    if (patient_id, original_key) not in versions.get(kind, {}):
        raise NotFound(
            f"There is no {record_fields.title(kind).lower()} '{original_key}' of {patient_id} "
            "(it may have been changed or retracted by someone else: reload the patient page)."
        )
    values = _values(data)
    reason = str(getattr(data, "reason", "corrected in the web app"))
    cohort = checked_rows(record, kind, values, _today(today))
    return _store(
        session, principal, record, kind, cohort, reason, replaces=(original_key, expected_version)
    )


def list_records(session: Session, patient_id: str, kind: str | None = None) -> list[StoredRecord]:
    """The patient's version 2 records (of `kind`), with their keys and versions
    (identified users; researchers read them through `web.research`)."""
    cohort = registry.load_cohort(session, patient_ids=[patient_id])
    versions = registry.row_versions(session, patient_id)
    return stored_records(patient_rows(cohort, patient_id), versions, kind)


def shown_rows(
    session: Session, principal: Principal, record: PatientRecord
) -> tuple[tuple[RecordRow, ...], Mapping[str, Mapping[tuple[Any, ...], int]]]:
    """The version 2 records of `record`'s patient as the user may see them (researchers:
    `web.research.shown_whole`, no versions) and the versions a correction sends back."""
    pid = record.patient.patient_id
    rows = patient_rows(registry.load_cohort(session, patient_ids=[pid]), pid)
    if principal.deidentified:
        return research.shown_whole(session, principal, record, rows)[1], {}
    return rows, registry.row_versions(session, pid)


__all__ = [
    "StoredRecord",
    "add_record",
    "checked_rows",
    "edit_model",
    "edit_record",
    "list_records",
    "parse_record",
    "patient_rows",
    "shown_rows",
    "stored_records",
]
