"""The cohort format version 2 records of a cohort (`Cohort.v2_rows`) as the rows of the
folder files they belong to, for the exchange formats; and the one table of the version 2
columns they read (`cohort.FILES_V2`).

Every format maps a record through the folder row it is written as (docs/cohort-format.md,
"Version 2"), exactly as `cohort.write_folder` writes it:

* a *detail* record (`course_detail`, `event_detail`, `patient_background`) adds its
  columns to the row of its version 1 course, event or patient (`detail_of`);
* every other record is a row of its own (`own_rows`): a `treatment_course` or
  `clinical_event` a row of treatments.csv or events.csv, the others a row of their file.

An import builds the same rows and reads them with `cohort.cohort_from_rows(version=2)`,
which splits them into version 1 objects and version 2 records again with the folder's rules.
Pure code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from myotrack.cohort import FILES_V2, RECORD_KINDS, RecordKind
from myotrack.cohort import columns as cols
from myotrack.domain import Cohort, RecordRow

Values = dict[str, Any]

KIND: Final[dict[str, RecordKind]] = {k.name: k for k in RECORD_KINDS}
COLUMNS_V2: Final[dict[str, dict[str, cols.Column]]] = {
    file: {c.name: c for c in columns} for file, columns in FILES_V2.items()
}
NEW_FILES: Final = tuple(f for f in FILES_V2 if f not in cols.FILES)
# The kind of a new file's rows (one kind a file).
KIND_OF_NEW_FILE: Final[dict[str, RecordKind]] = {
    k.file: k for k in RECORD_KINDS if k.file in NEW_FILES
}
DETAIL_KINDS: Final = ("course_detail", "event_detail", "patient_background")
# The columns a detail record adds to its version 1 row (its key columns are the row's own).
_V1_COURSE: Final = cols.COLUMNS["treatments.csv"]
_V1_EVENT: Final = cols.COLUMNS["events.csv"]
DETAIL_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "course_detail": tuple(
        c.name for c in KIND["course_detail"].columns if c.name not in _V1_COURSE
    ),
    "event_detail": tuple(c.name for c in KIND["event_detail"].columns if c.name not in _V1_EVENT),
    "patient_background": tuple(
        c.name for c in KIND["patient_background"].columns if c.name != "patient_id"
    ),
}


@dataclass(slots=True)
class V2Rows:
    """A cohort's version 2 records as folder rows (see the module docstring)."""

    courses: dict[tuple[Any, ...], Values] = field(default_factory=dict)
    events: dict[tuple[Any, ...], Values] = field(default_factory=dict)
    patients: dict[str, Values] = field(default_factory=dict)
    own: list[tuple[RecordKind, RecordRow]] = field(default_factory=list)

    def detail_of_course(self, patient_id: str, drug: str, start: Any) -> Values:
        return self.courses.get((patient_id, drug, start), {})

    def detail_of_event(self, patient_id: str, day: Any, event: str, detail: Any) -> Values:
        return self.events.get((patient_id, day, event, detail), {})

    def background(self, patient_id: str) -> Values:
        return self.patients.get(patient_id, {})


def v2_rows(cohort: Cohort) -> V2Rows:
    """The detail records by the key of their version 1 row, and the records that are rows
    of their own in the cohort's order."""
    out = V2Rows()
    for row in cohort.v2_rows:
        v = row.values
        if row.kind == "course_detail":
            out.courses[(row.patient_id, v["drug"], v["start_date"])] = _detail(row)
        elif row.kind == "event_detail":
            key = (row.patient_id, v["date"], v["event"], v.get("detail"))
            out.events[key] = _detail(row)
        elif row.kind == "patient_background":
            out.patients[row.patient_id] = dict(v)
        else:
            out.own.append((KIND[row.kind], row))
    return out


def _detail(row: RecordRow) -> Values:
    names = DETAIL_COLUMNS[row.kind]
    return {n: row.values[n] for n in names if row.values.get(n) is not None}


def filled(values: Mapping[str, Any]) -> Values:
    return {k: v for k, v in values.items() if v is not None}
