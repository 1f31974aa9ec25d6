"""A fingerprint of a cohort: the SHA-256 of its content in a canonical, order-free form.

The fingerprint answers "is this the same data?" (the report's reproducibility footer,
the web report cache). It is a documented function of the cohort's content only; the
bytes hashed, in this order:

1. ``myotrack-cohort-fingerprint/2\\n`` (the version of this definition), then the
   cut-off date as canonical JSON (``"2024-06-30"`` or ``null``) and ``\\n``.
2. For each table in the order patients, visits, labs, courses, events, assessments,
   v2_rows (the records of cohort format version 2):
   its header ``[table, row count, [column names]]`` and ``\\n``, then each column (the
   domain object's fields in declared order) and ``\\n`` after each, its values one
   per row, the rows in the table's canonical order (point 3):

   - a number column (``float``/``int`` fields): the values as IEEE 754 binary64,
     little-endian, 8 bytes each, a missing value as NaN (``00 00 00 00 00 00 f8 7f``),
     so ``5`` and ``5.0`` (folder and database) are one value;
   - a column of text with no value missing and no NUL character in any value (the
     usual case: ids, dates, analytes): a NUL byte, then the values' UTF-8 separated
     by NUL bytes;
   - every other column: one canonical JSON array (no spaces, UTF-8 not
     ASCII-escaped, object keys sorted): ``null``, ``true``/``false``, text as a JSON
     string, dates as ``"YYYY-MM-DD"``, tuples as arrays, mappings (``x_`` columns,
     assessment items, a version 2 record's values; numbers in them as floats, a partial
     date as the array of its year, month and day) as objects;
   - a nested record (a lab's reported value, column ``reported``): a JSON array of
     ``true``/``false`` (present or not), then each of its fields as a column of its
     own named ``reported.value``, ``reported.unit``, ... (missing where absent).
3. The canonical order of a table's rows: by their key, the first fields that name a
   row (`TABLES`: patient_id; patient_id and date; ...) compared as text (dates as
   ``YYYY-MM-DD``, an empty field as ``""``), and rows with equal keys by the whole row
   as one canonical JSON array, compared as text. So the order of the file or the
   database never matters, only the content.

Why this shape: the first definition normalised every object in Python and serialised
each row to JSON on its own; on 10,000 patients that was more than half of a report's
time (issue 13), most of it in writing floats as decimal text. Here a table is taken
column by column: only date, mapping and nested columns are converted (chosen once from
the domain types), the rows are ordered by one key sort, numbers are packed by NumPy and
text by the C JSON encoder in one call per column, and each column is hashed as it is
made, so memory is one column at a time.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
import types
import typing
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from operator import attrgetter
from typing import Any, Final, Literal

import numpy as np

from myotrack.domain import (
    Assessment,
    Cohort,
    DrugCourse,
    Event,
    LabResult,
    Patient,
    RecordRow,
    Visit,
)

VERSION: Final = "myotrack-cohort-fingerprint/2"


@dataclasses.dataclass(frozen=True, slots=True)
class Table:
    """One table of a cohort as the fingerprint reads it."""

    name: str  # the Cohort attribute
    domain_type: type
    key_length: int  # how many leading fields name a row (its natural key)


# The tables of a cohort, in the order they are hashed.
TABLES: Final[tuple[Table, ...]] = (
    Table(name="patients", domain_type=Patient, key_length=1),  # patient_id
    Table(name="visits", domain_type=Visit, key_length=2),  # + date
    Table(name="labs", domain_type=LabResult, key_length=3),  # + date, analyte
    Table(name="courses", domain_type=DrugCourse, key_length=3),  # + drug, start_date
    Table(name="events", domain_type=Event, key_length=4),  # + date, event, detail
    Table(name="assessments", domain_type=Assessment, key_length=3),  # + date, instrument
    # cohort format version 2 records: kind, patient_id, then their values as a whole
    Table(name="v2_rows", domain_type=RecordRow, key_length=2),
)

# How a column is converted and written (module docstring, point 2).
ColumnKind = Literal["json", "date", "number", "text_mapping", "value", "nested"]

_encode = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), sort_keys=True, check_circular=False
).encode

Column = Sequence[Any]


@dataclasses.dataclass(frozen=True, slots=True)
class _Field:
    name: str
    kind: ColumnKind
    nested: tuple[_Field, ...] = ()  # the fields of a nested record


def _value(value: Any) -> Any:
    """Any value in its canonical JSON-ready form (inside mappings, in a row compared
    as a whole, and for a field of a type this module does not know)."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _value(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_value(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [_value(getattr(value, f.name)) for f in dataclasses.fields(value)]
    return value


def _kind(annotation: Any) -> ColumnKind:
    """The column kind of a field of this declared type."""
    if isinstance(annotation, types.UnionType):
        present = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(present) == 1:
            annotation = present[0]
    if annotation in (str, bool):
        return "json"
    if annotation is date:
        return "date"
    if annotation in (float, int):
        return "number"
    origin = typing.get_origin(annotation)
    if origin is tuple and typing.get_args(annotation) == (str, ...):
        return "json"
    if origin is Mapping and typing.get_args(annotation) == (str, str):
        return "text_mapping"
    if dataclasses.is_dataclass(annotation):
        return "nested"
    return "value"  # mappings of numbers, anything else


def _fields(domain_type: type, prefix: str = "") -> tuple[_Field, ...]:
    namespace = vars(sys.modules[domain_type.__module__])
    hints = typing.get_type_hints(domain_type, globalns=namespace, localns=namespace)
    out: list[_Field] = []
    for f in dataclasses.fields(domain_type):
        kind = _kind(hints[f.name])
        name = prefix + f.name
        if kind == "nested":
            hint = hints[f.name]
            inner = next((a for a in typing.get_args(hint) if a is not type(None)), hint)
            out.append(_Field(name, kind, _fields(inner, name + ".")))
        else:
            out.append(_Field(name, kind))
    return tuple(out)


_SCHEMAS: Final = {table.name: _fields(table.domain_type) for table in TABLES}


def _dates(column: Column) -> list[str | None]:
    texts: dict[date, str] = {}  # a cohort repeats its dates many times
    out: list[str | None] = []
    append = out.append
    for value in column:
        if value is None:
            append(None)
            continue
        text = texts.get(value)
        if text is None:
            text = texts[value] = value.isoformat()
        append(text)
    return out


def _columns(values: Column, field: _Field) -> Iterator[tuple[str, ColumnKind, Column]]:
    """(name, kind, converted values) of one field: one column, or a nested record's
    presence column and its fields' columns."""
    kind = field.kind
    if kind == "date":
        yield field.name, kind, _dates(values)
    elif kind == "text_mapping":
        yield field.name, kind, [v if type(v) is dict else dict(v) for v in values]
    elif kind == "value":
        yield field.name, kind, [None if v is None else _value(v) for v in values]
    elif kind == "nested":
        yield field.name, "json", [v is not None for v in values]
        for inner in field.nested:
            get = attrgetter(inner.name.rsplit(".", 1)[1])
            yield from _columns([None if v is None else get(v) for v in values], inner)
    else:
        yield field.name, kind, values


def _key_text(column: Column) -> Column:
    if set(map(type, column)) <= {str}:
        return column
    return ["" if v is None else v if type(v) is str else _encode(v) for v in column]


def _joined_keys(parts: list[Column]) -> list[Any]:
    """Each row's key parts as one text joined by NUL, which sorts as the tuple of the
    parts would (NUL is below every other character) and compares several times faster;
    the tuples themselves when a part holds a NUL."""
    if all("\0" not in "".join(part) for part in parts):
        return list(map("\0".join, zip(*parts, strict=True)))
    return list(zip(*parts, strict=True))


def _order(rows: Sequence[Any], columns: list[Column], key_length: int) -> list[int] | None:
    """Row positions in canonical order (module docstring, point 3); None when the rows
    are in that order already (as a registry returns an imported sorted folder)."""
    n = len(columns[0])
    parts = [_key_text(c) for c in columns[:key_length]]
    keys: list[Any] = list(parts[0]) if key_length == 1 else _joined_keys(parts)
    order = sorted(range(n), key=keys.__getitem__)
    if len(set(keys)) == n:
        return None if order == list(range(n)) else order
    # rows with equal keys (an event without detail, a cohort not yet checked):
    # by the whole row as canonical JSON
    ordered_keys = list(map(keys.__getitem__, order))
    result: list[int] = []
    start = 0
    while start < n:
        end = start + 1
        while end < n and ordered_keys[end] == ordered_keys[start]:
            end += 1
        run = order[start:end]
        if len(run) > 1:
            run.sort(key=lambda i: _encode(_value(rows[i])))
        result.extend(run)
        start = end
    return result


def _column_bytes(values: Column, kind: ColumnKind, order: Sequence[int] | None) -> bytes:
    """One column in canonical order (module docstring, point 2)."""
    if kind == "number":
        numbers = np.array(values, dtype="<f8")  # None -> NaN
        return (numbers if order is None else numbers[order]).tobytes()
    ordered: Column = values
    if order is not None:
        ordered = list(map(values.__getitem__, order))
    if kind == "text_mapping" and not any(ordered):  # no x_ column in any row
        return ("[" + ",".join(["{}"] * len(ordered)) + "]").encode()
    if kind in ("json", "date"):
        try:
            joined = "\0".join(ordered)  # only text joins: None, yes/no, tuples raise
        except TypeError:
            pass
        else:
            if joined.count("\0") == len(ordered) - 1:  # no value holds a NUL itself
                return b"\0" + joined.encode()
    return _encode(ordered).encode()


def _table_bytes(rows: Sequence[Any], table: Table) -> Iterator[bytes]:
    """The bytes of one table, header first (module docstring, point 2)."""
    columns: list[tuple[str, ColumnKind, Column]] = []
    for field in _SCHEMAS[table.name]:
        columns.extend(_columns(list(map(attrgetter(field.name), rows)), field))
    yield _encode([table.name, len(rows), [name for name, _, _ in columns]]).encode()
    if not rows:
        return
    order = _order(rows, [values for _, _, values in columns], table.key_length)
    for _, kind, values in columns:
        yield _column_bytes(values, kind, order)


def cohort_fingerprint(cohort: Cohort) -> str:
    """Hex SHA-256 of the cohort's content and cut-off date (see the module docstring)."""
    digest = hashlib.sha256()
    cutoff = None if cohort.cutoff_date is None else cohort.cutoff_date.isoformat()
    digest.update(f"{VERSION}\n{_encode(cutoff)}\n".encode())
    for table in TABLES:
        for chunk in _table_bytes(getattr(cohort, table.name), table):
            digest.update(chunk)
            digest.update(b"\n")
    return digest.hexdigest()
