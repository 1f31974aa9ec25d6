"""The work of one FHIR import: rows of the cohort folder's tables built from resources,
each cell checked by its column's rule, each cell remembering the element it came from so
that a problem found later (by the folder's record checks) is told where it is. The
resource readers (`read_patient`, `read_observation`, `read_course_event`) fill it;
`reader` runs them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Final

from myotrack.cohort import FILES_V2, CellError, Context, Row, check_event, value_checker
from myotrack.cohort import columns as cols
from myotrack.domain import Assessment, Cohort, PartialDate, ValidationIssue
from myotrack.domain.units import accepted_units
from myotrack.domain.vocab import QUALITATIVE_ANALYTES
from myotrack.exchange.fhir import codes
from myotrack.exchange.fhir.bundle import Place
from myotrack.exchange.fhir.ids import referenced_id

Resource = dict[str, Any]
# The import reads the files of cohort format version 2 (a version 1 cohort is the same
# under version 2: tests/cohort/test_format_v2.py), so dates known to the month or year and
# the records of the whole JDM record come in through the same rules as a folder's.
COLUMNS_V2: Final = {file: {c.name: c for c in columns} for file, columns in FILES_V2.items()}
_CHECKERS: Final = {
    file: {c.name: value_checker(c) for c in columns} for file, columns in FILES_V2.items()
}
_REQUIRED: Final = {
    file: [c.name for c in columns if c.required] for file, columns in FILES_V2.items()
}
_DATES: Final = ("date", "partial_date")


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a cell came from: the resource and the element path."""

    place: Place
    rtype: str
    rid: str
    path: str = ""

    def at(self, path: str) -> Origin:
        return replace(self, path=path)

    def field(self) -> str:
        where = f"{self.rtype}/{self.rid}"
        return f"{where}.{self.path}" if self.path else where


@dataclass(slots=True)
class ImportRow:
    file: str
    line: int
    origin: Origin
    values: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)
    origins: dict[str, Origin] = field(default_factory=dict)
    rid: str = ""  # the Patient resource id, on patient rows


class Import:
    """The rows, problems and indexes of one import (filled by the resource readers)."""

    def __init__(self, resources: list[tuple[Place, Resource]]) -> None:
        self.resources = resources
        self.issues: list[ValidationIssue] = []  # in FHIR terms
        self.row_issues: list[ValidationIssue] = []  # in folder terms (file, line, column)
        self.rows: dict[str, list[ImportRow]] = {name: [] for name in FILES_V2}
        # Multi-choice cells given one code at a time (components, extensions).
        self.lists_of: dict[tuple[int, str], tuple[ImportRow, list[str], Origin]] = {}
        self.by_line: dict[tuple[str, int], ImportRow] = {}
        self.line = 0
        self.patients: dict[str, ImportRow] = {}  # Patient resource id -> row
        self.lists: dict[str, dict[str, list[str]]] = {}  # resource id -> antibodies/features
        self.diagnosed: set[str] = set()
        self.deaths: dict[str, tuple[str, Origin]] = {}
        self.organizations: dict[str, str] = {}
        self.encounters: dict[str, ImportRow] = {}
        self.visits: dict[tuple[str, str], ImportRow] = {}
        self.assessments: list[tuple[Origin, Assessment]] = []

    def problem(self, origin: Origin, rule: str, message: str) -> None:
        self.issues.append(
            ValidationIssue(origin.place.file, origin.place.line, origin.field(), rule, message)
        )

    def new_row(self, file: str, origin: Origin) -> ImportRow:
        self.line += 1
        row = ImportRow(file, self.line, origin)
        self.rows[file].append(row)
        self.by_line[(file, self.line)] = row
        return row

    def cell(self, row: ImportRow, column: str, value: Any, origin: Origin) -> None:
        """Check one value by its column's rule and put it in the row."""
        if value is None:
            return
        if column in row.values:
            self.problem(origin, "unique", f"{column} is given twice for this record")
            return
        if COLUMNS_V2[row.file][column].kind in _DATES:
            value = date_text(value)
        row.origins[column] = origin
        try:
            row.values[column] = _CHECKERS[row.file][column](value)
        except CellError as err:
            self.row_issues.append(
                ValidationIssue(row.file, row.line, column, err.rule, err.message)
            )
            row.values[column] = None

    def extra(self, row: ImportRow, resource: Resource, origin: Origin) -> None:
        for index, extension in enumerate(resource.get("extension") or ()):
            if not isinstance(extension, dict) or extension.get("url") != codes.EXTRA_COLUMN:
                continue
            parts = {
                e.get("url"): e.get("valueString")
                for e in extension.get("extension") or ()
                if isinstance(e, dict)
            }
            name, value = parts.get("name"), parts.get("value")
            at = origin.at(f"extension[{index}]")
            if not isinstance(name, str) or not name.startswith(cols.EXTRA_PREFIX):
                self.problem(
                    at,
                    "extra_column",
                    f"an extra column's name must start with '{cols.EXTRA_PREFIX}'",
                )
            elif isinstance(value, str) and value.strip():
                row.extra[name] = value.strip()

    def subject(
        self, resource: Resource, origin: Origin, element: str = "subject"
    ) -> ImportRow | None:
        reference = get_path(resource, element, "reference")
        row = self.patients.get(referenced_id(reference)) if isinstance(reference, str) else None
        if row is None:
            self.problem(
                origin.at(f"{element}.reference"),
                "fhir_reference",
                "refers to no Patient in these files" if reference else "the patient is missing",
            )
        return row

    def visit_row(self, patient: ImportRow, day: Any, origin: Origin) -> ImportRow | None:
        pid = patient.values.get("patient_id")
        text = date_text(day)
        key = (str(pid), text)
        row = self.visits.get(key)
        if row is None:
            row = self.new_row("visits.csv", origin)
            self.cell(row, "patient_id", pid, origin)
            self.cell(row, "date", text, origin)
            self.visits[key] = row
        return row

    def add_choice(self, row: ImportRow, column: str, code: Any, origin: Origin) -> None:
        """One code of a multi-choice cell (the cell is checked when the import closes)."""
        key = (id(row), column)
        if key not in self.lists_of:
            self.lists_of[key] = (row, [], origin)
        self.lists_of[key][1].append(code)

    def close_choices(self) -> None:
        for (_, column), (row, values, origin) in self.lists_of.items():
            self.cell(row, column, values, origin)
        self.lists_of = {}

    def tables(self) -> dict[str, list[Row]]:
        out: dict[str, list[Row]] = {}
        for file, rows in self.rows.items():
            out[file] = []
            for row in rows:
                for column in _REQUIRED[file]:
                    if column == "patient_id" and file != "patients.csv":
                        continue  # its patient's own problem says why
                    if row.values.get(column) is None and column not in row.origins:
                        self.row_issues.append(
                            ValidationIssue(
                                file,
                                row.line,
                                column,
                                "required",
                                f"'{column}' is required and is missing",
                            )
                        )
                values = row.values
                if values.get("patient_id") is None and file in cols.FILES:
                    # not split into version 1 and 2 parts (its problem is told): its dates
                    # as the version 1 checks read them
                    values = {k: _v1_date(v) for k, v in values.items()}
                out[file].append(Row(row.line, values, row.extra))
        return out

    def locate(self, issue: ValidationIssue) -> ValidationIssue:
        """A problem in folder terms (file, line, column) told in FHIR terms: the file,
        entry or line, `<Type>/<id>.<element path> (<column>)`; a problem already in FHIR
        terms (its file is a .json/.ndjson file) as it is."""
        if issue.line is None:
            return issue
        row = self.by_line.get((issue.file, issue.line))
        if row is None:
            return issue
        origin = row.origins.get(issue.field or "", row.origin)
        where = origin.field() + (f" ({issue.field})" if issue.field else "")
        return ValidationIssue(
            origin.place.file, origin.place.line, where, issue.rule, issue.message
        )

    def check_assessments(self, cohort: Cohort, today: date) -> None:
        births = {p.patient_id: p.birth_date for p in cohort.patients}
        seen: set[tuple[str, date, str]] = set()
        for origin, a in self.assessments:
            key = (a.patient_id, a.date, a.instrument)
            if key in seen:
                self.problem(
                    origin,
                    "unique",
                    "this instrument is already assessed for this patient on this date",
                )
            seen.add(key)
            # An assessment's date follows the date rules of every record (not after today,
            # not before birth): the record checks of a dated row give them.
            values = {"patient_id": a.patient_id, "date": a.date, "event": "assessment"}
            for problem in check_event(values, Context(today, births.get(a.patient_id))):
                self.problem(origin.at("authored"), problem.rule, problem.message)


def _v1_date(value: Any) -> Any:
    return value.as_date() if isinstance(value, PartialDate) else value


def get_path(element: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(element, dict):
            return None
        element = element.get(key)
    return element


def date_text(value: Any) -> Any:
    """A FHIR date or dateTime as the date part ('2020-01-05T10:00:00Z' -> '2020-01-05')."""
    if isinstance(value, str) and len(value) > 10 and value[10] == "T":
        return value[:10]
    return value


def meaning_of(concept: Any) -> tuple[str, str] | None:
    """What a CodeableConcept means in myotrack terms: the first coding the code table
    knows (a myotrack coding first)."""
    codings = concept.get("coding") if isinstance(concept, dict) else None
    if not isinstance(codings, list):
        return None
    standard = None
    for c in codings:
        if not isinstance(c, dict):
            continue
        found = codes.meaning(c.get("system"), c.get("code"))
        if found is None:
            continue
        if str(c.get("system", "")).startswith(codes.BASE):
            return found
        standard = standard or found
    return standard


def unit_of(analyte: str, quantity: Mapping[str, Any]) -> Any:
    """The unit as myotrack spells it: `unit` when it is a spelling the analyte accepts,
    else the spelling whose UCUM code is `code`, else `unit` (the lab rules then say)."""
    unit = quantity.get("unit")
    if analyte in QUALITATIVE_ANALYTES:
        return unit
    accepted = accepted_units(analyte)
    if unit in accepted:
        return unit
    code = quantity.get("code")
    for spelling in accepted:
        ucum = codes.ucum_unit(spelling)
        if ucum is not None and ucum.code == code:
            return spelling
    return unit if unit is not None else code
