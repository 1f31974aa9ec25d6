"""How each domain object maps to its table: natural key, value columns, and the
conversions both ways. One `Kind` per patient-owned table; bulk import, record-level
writes, loading and the audit log all go through these, so the mapping lives once.

Stored forms: dates as Date, numbers as Double, yes/no as Boolean, the ordered
antibody and feature tuples as JSON lists (order kept), `x_` columns as a JSON object
(NULL when there are none), assessment items as a JSON object.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from operator import attrgetter
from typing import Any

from sqlalchemy import Table

from myotrack.domain import (
    Assessment,
    DrugCourse,
    Event,
    LabResult,
    Patient,
    ReportedValue,
    Visit,
)
from myotrack.registry.errors import InvalidValueError
from myotrack.registry.tables import (
    ASSESSMENT_TABLE,
    COURSE_TABLE,
    EVENT_TABLE,
    LAB_TABLE,
    PATIENT_TABLE,
    VISIT_TABLE,
)

Values = tuple[Any, ...]


def stored_extra(extra: Mapping[str, str]) -> dict[str, str] | None:
    return dict(extra) if extra else None


def loaded_extra(stored: Mapping[str, str] | None) -> dict[str, str]:
    return dict(stored) if stored else {}


@dataclass(frozen=True, slots=True)
class Kind:
    """One patient-owned table as the registry sees it.

    `key_fields` are the natural key in domain terms (first is always `patient_id`;
    in the table the patient is `patient_pk`); `value_columns` are the table columns
    an update may change, in the order `values()` returns them."""

    name: str
    table: Table
    domain_type: type
    key_fields: tuple[str, ...]
    value_columns: tuple[str, ...]
    key: Callable[[Any], tuple[Any, ...]]
    values: Callable[[Any], Values]
    build: Callable[[str, tuple[Any, ...], Values], Any]  # patient_id, key rest, values

    @property
    def key_columns(self) -> tuple[str, ...]:
        """Natural key columns of the table after `patient_pk`."""
        return self.key_fields[1:]

    def match_key(self, key: tuple[Any, ...]) -> tuple[Any, ...]:
        """The key as the unique index compares it (events: no detail == '')."""
        if self.name == "event":
            return (*key[:-1], key[-1] or "")
        return key


# ---------------------------------------------------------------- patient
_PATIENT_PLAIN = ("sex", "birth_date", "diagnosis", "onset_date", "diagnosis_date", "bohan_peter")
_patient_plain = attrgetter(*_PATIENT_PLAIN)


def _patient_values(p: Patient) -> Values:
    return (
        *_patient_plain(p),
        list(p.antibodies) if p.antibodies else None,
        p.refractory,
        list(p.features) if p.features else None,
        p.site,
        stored_extra(p.extra),
    )


def _patient_build(patient_id: str, _rest: tuple[Any, ...], v: Values) -> Patient:
    return Patient(
        patient_id=patient_id,
        sex=v[0],
        birth_date=v[1],
        diagnosis=v[2],
        onset_date=v[3],
        diagnosis_date=v[4],
        bohan_peter=v[5],
        antibodies=tuple(v[6]) if v[6] else (),
        refractory=v[7],
        features=tuple(v[8]) if v[8] else (),
        site=v[9],
        extra=loaded_extra(v[10]),
    )


PATIENT = Kind(
    name="patient",
    table=PATIENT_TABLE,
    domain_type=Patient,
    key_fields=("patient_id",),
    value_columns=(*_PATIENT_PLAIN, "antibodies", "refractory", "features", "site", "extra"),
    key=attrgetter("patient_id"),  # a 1-tuple is built by callers via key_of()
    values=_patient_values,
    build=_patient_build,
)

# ---------------------------------------------------------------- visit
VISIT_FIELDS = (
    "weight_kg",
    "height_cm",
    "rash",
    "weakness",
    "cmas",
    "mmt8",
    "catbm_activity",
    "catbm_damage",
    "cdasi_activity",
    "cdasi_damage",
    "das_skin",
    "das_muscle",
    "phga",
    "parent_global",
    "chaq",
)
_visit_plain = attrgetter(*VISIT_FIELDS)


def _visit_values(v: Visit) -> Values:
    return (*_visit_plain(v), stored_extra(v.extra))


def _visit_build(patient_id: str, rest: tuple[Any, ...], v: Values) -> Visit:
    fields: dict[str, Any] = dict(zip(VISIT_FIELDS, v, strict=False))
    return Visit(patient_id=patient_id, date=rest[0], extra=loaded_extra(v[-1]), **fields)


VISIT = Kind(
    name="visit",
    table=VISIT_TABLE,
    domain_type=Visit,
    key_fields=("patient_id", "date"),
    value_columns=(*VISIT_FIELDS, "extra"),
    key=attrgetter("patient_id", "date"),
    values=_visit_values,
    build=_visit_build,
)

# ---------------------------------------------------------------- lab
_LAB_PLAIN = ("value", "unit", "result", "ref_low", "ref_high")
_lab_plain = attrgetter(*_LAB_PLAIN)


def _lab_values(lab: LabResult) -> Values:
    r = lab.reported
    if r is None:
        return (*_lab_plain(lab), None, None, None, None, stored_extra(lab.extra))
    return (*_lab_plain(lab), r.value, r.unit, r.ref_low, r.ref_high, stored_extra(lab.extra))


def _lab_build(patient_id: str, rest: tuple[Any, ...], v: Values) -> LabResult:
    reported = None
    if v[5] is not None or v[6] is not None:
        reported = ReportedValue(value=v[5], unit=v[6], ref_low=v[7], ref_high=v[8])
    return LabResult(
        patient_id,
        rest[0],
        rest[1],
        v[0],
        v[1],
        v[2],
        v[3],
        v[4],
        reported=reported,
        extra=loaded_extra(v[9]),
    )


LAB = Kind(
    name="lab",
    table=LAB_TABLE,
    domain_type=LabResult,
    key_fields=("patient_id", "date", "analyte"),
    value_columns=(
        *_LAB_PLAIN,
        "reported_value",
        "reported_unit",
        "reported_ref_low",
        "reported_ref_high",
        "extra",
    ),
    key=attrgetter("patient_id", "date", "analyte"),
    values=_lab_values,
    build=_lab_build,
)

# ---------------------------------------------------------------- course
_COURSE_PLAIN = ("end_date", "dose", "dose_unit", "frequency", "route", "stop_reason")
_course_plain = attrgetter(*_COURSE_PLAIN)


def _course_values(c: DrugCourse) -> Values:
    return (*_course_plain(c), stored_extra(c.extra))


def _course_build(patient_id: str, rest: tuple[Any, ...], v: Values) -> DrugCourse:
    fields: dict[str, Any] = dict(zip(_COURSE_PLAIN, v, strict=False))
    return DrugCourse(
        patient_id=patient_id, drug=rest[0], start_date=rest[1], extra=loaded_extra(v[-1]), **fields
    )


COURSE = Kind(
    name="course",
    table=COURSE_TABLE,
    domain_type=DrugCourse,
    key_fields=("patient_id", "drug", "start_date"),
    value_columns=(*_COURSE_PLAIN, "extra"),
    key=attrgetter("patient_id", "drug", "start_date"),
    values=_course_values,
    build=_course_build,
)

# ---------------------------------------------------------------- event


def _event_values(e: Event) -> Values:
    return (e.grade, stored_extra(e.extra))


def _event_build(patient_id: str, rest: tuple[Any, ...], v: Values) -> Event:
    return Event(patient_id, rest[0], rest[1], rest[2], v[0], extra=loaded_extra(v[1]))


EVENT = Kind(
    name="event",
    table=EVENT_TABLE,
    domain_type=Event,
    key_fields=("patient_id", "date", "event", "detail"),
    value_columns=("grade", "extra"),
    key=attrgetter("patient_id", "date", "event", "detail"),
    values=_event_values,
    build=_event_build,
)

# ---------------------------------------------------------------- assessment


def _assessment_values(a: Assessment) -> Values:
    return (a.version, dict(a.items), a.total)


def _assessment_build(patient_id: str, rest: tuple[Any, ...], v: Values) -> Assessment:
    return Assessment(patient_id, rest[0], rest[1], dict(v[1]), version=v[0], total=v[2])


ASSESSMENT = Kind(
    name="assessment",
    table=ASSESSMENT_TABLE,
    domain_type=Assessment,
    key_fields=("patient_id", "date", "instrument"),
    value_columns=("version", "items", "total"),
    key=attrgetter("patient_id", "date", "instrument"),
    values=_assessment_values,
    build=_assessment_build,
)

CHILD_KINDS: tuple[Kind, ...] = (VISIT, LAB, COURSE, EVENT, ASSESSMENT)
KINDS: dict[str, Kind] = {k.name: k for k in (PATIENT, *CHILD_KINDS)}


def kind_named(name: str) -> Kind:
    """The Kind called `name` (patient, visit, lab, course, event, assessment)."""
    try:
        return KINDS[name]
    except KeyError:
        raise InvalidValueError(
            f"unknown record kind {name!r}; expected one of {', '.join(KINDS)}"
        ) from None


def key_of(kind: Kind, obj: Any) -> tuple[Any, ...]:
    """The natural key of a domain object as a tuple (patient_id first)."""
    key = kind.key(obj)
    return (key,) if kind is PATIENT else tuple(key)


def key_text(key: tuple[Any, ...]) -> str:
    """A natural key as text for the audit log: parts joined by ' | ', dates ISO,
    an empty part for None."""
    return " | ".join("" if part is None else str(part) for part in key)


def jsonable(value: Any) -> Any:
    """A stored value as JSON (dates as ISO text) for the audit log."""
    if isinstance(value, date):
        return value.isoformat()
    return value


def as_dict(kind: Kind, values: Values) -> dict[str, Any]:
    return {col: jsonable(v) for col, v in zip(kind.value_columns, values, strict=True)}


def changed_fields(kind: Kind, old: Values, new: Values) -> tuple[dict[str, Any], dict[str, Any]]:
    """The columns whose values differ, as (old, new) dicts for the audit log."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for col, a, b in zip(kind.value_columns, old, new, strict=True):
        if not same(a, b):
            before[col] = jsonable(a)
            after[col] = jsonable(b)
    return before, after


def same(a: Any, b: Any) -> bool:
    """Stored-value equality: 30 == 30.0, but True is not 1 and None is not 0."""
    if a is None or b is None:
        return a is b
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return bool(a == b)


def same_values(a: Values, b: Values) -> bool:
    """Whole-row equality. Columns are typed, so a Boolean column never meets a number
    and plain tuple equality is exact (and fast)."""
    return a == b


# The cohort format version 2 record kinds (one table each, `registry.kinds_v2`), known to
# every generic path (record-level saves, retraction, row versions) by their names.
# Imported for that effect: it adds its kinds to KINDS (whichever module is imported first).
import myotrack.registry.kinds_v2  # noqa: E402, F401
