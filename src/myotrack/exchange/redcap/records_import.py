"""REDCap records (the flat 'CSV raw' export of the myotrack project) read back into a
Cohort, through the same validation as the cohort folder.

Each row becomes the row of its folder file of cohort format version 2 (the `patient`
form -> patients.csv, `visit` -> visits.csv, `chest_ct` -> chest_ct.csv, …): REDCap
codes are mapped back to myotrack's (`tif1g` -> `TIF1G`, 1/0 -> yes/no,
`antibodies___mda5` columns -> `MDA5;…`), the data access group becomes the site
when the `site` field is empty; then every cell goes through the folder's field rules
(`cohort.cells`) and every record through the folder's record checks
(`cohort.rules.check_cross_rows`: unique keys, dates, units, plausibility, …). Item-level
instrument forms are checked item by item against their definition and scored by
myotrack (REDCap's calculated totals are ignored: myotrack is the scorer of record).

All or nothing: any problem and no Cohort, with every problem located — the file, its
line, the REDCap variable, and in the message the record id, the form and its instance.
A file exported with labels instead of raw codes is refused with the way to fix it.
Columns REDCap adds (`<form>_complete`, calculated fields, `redcap_survey_identifier`)
are ignored.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Final

from myotrack.cohort import CellError, Row, cell_parser, cohort_from_rows, parse_date, parse_number
from myotrack.cohort.columns import EXTRA_PREFIX
from myotrack.domain import Assessment, Cohort, ValidationIssue
from myotrack.exchange.redcap.core_forms import (
    CORE_FORMS,
    FORM_OF_FILE,
)
from myotrack.exchange.redcap.fields import (
    ASSESSMENT_DATE,
    ASSESSMENT_VERSION,
    CHECKBOX_SEPARATOR,
    COMPLETE_SUFFIX,
    DATA_ACCESS_GROUP,
    RECORD_ID,
    REPEAT_INSTANCE,
    REPEAT_INSTRUMENT,
    Field,
    Form,
    Project,
    dag_name,
)
from myotrack.exchange.redcap.project import (
    build_project,
)
from myotrack.exchange.v2_rows import COLUMNS_V2
from myotrack.instruments import ItemError, score_stored, validate_item

RECORDS_FILE: Final = "records.csv"
EVENT_NAME: Final = "redcap_event_name"
IGNORED: Final = frozenset(("redcap_survey_identifier",))
_X_COLUMN: Final = re.compile(
    "(" + "|".join(f.name for f in CORE_FORMS) + r")_(" + EXTRA_PREFIX + r"[a-z0-9_]*)"
)


@dataclass(slots=True)
class _Place:
    """Where a row came from, to say so in every message."""

    record: str
    form: str
    instance: str

    def text(self) -> str:
        where = f"record {self.record}, form {self.form}"
        return where + (f" #{self.instance}" if self.instance else "")


@dataclass(slots=True)
class _Reading:
    file: str
    project: Project
    issues: list[ValidationIssue] = field(default_factory=list)
    places: dict[tuple[str, int], _Place] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)
    warnings: list[ValidationIssue] | None = None

    def problem(self, line: int, place: _Place, variable: str | None, rule: str, text: str) -> None:
        self.issues.append(
            ValidationIssue(self.file, line, variable, rule, f"{place.text()}: {text}")
        )


def _project_of(header: list[str]) -> Project:
    """The project the header was exported from: the standard forms plus the `x_`
    columns it carries (`visit_x_note` -> visits.csv's `x_note`)."""
    extra: dict[str, list[str]] = {}
    for name in header:
        match = _X_COLUMN.fullmatch(name)
        if match:
            file = next(f.file for f in CORE_FORMS if f.name == match.group(1))
            extra.setdefault(file, []).append(match.group(2))
    return build_project(extra)


def _check_header(header: list[str], project: Project, reading: _Reading) -> bool:
    known = {RECORD_ID, REPEAT_INSTRUMENT, REPEAT_INSTANCE, DATA_ACCESS_GROUP} | IGNORED
    for f in project.fields:
        known.add(f.name)
        known.update(f"{f.name}{CHECKBOX_SEPARATOR}{code}" for code, _ in f.choices)
    known.update(form.name + COMPLETE_SUFFIX for form in project.forms)
    nowhere = _Place("-", "-", "")
    ok = True
    if not header or header[0] != RECORD_ID:
        labels = {f.label for f in project.fields} | {"Repeat Instrument", "Repeat Instance"}
        if any(h in labels for h in header):
            reading.problem(
                1,
                nowhere,
                header[0],
                "label_export",
                "this file was exported with labels; export the records again as "
                "'CSV / Microsoft Excel (raw data)' with raw codes and variable names",
            )
            return False
        reading.problem(
            1,
            nowhere,
            header[0] if header else None,
            "header",
            f"the first column must be the record id '{RECORD_ID}' of the myotrack project",
        )
        ok = False
    if EVENT_NAME in header:
        reading.problem(
            1,
            nowhere,
            EVENT_NAME,
            "longitudinal",
            "this export is from a longitudinal project (events); myotrack's project is "
            "classic with repeating instruments",
        )
        ok = False
    for name in header:
        if name not in known:
            reading.problem(
                1,
                nowhere,
                name,
                "unknown_column",
                f"'{name}' is not a variable of the myotrack REDCap project (export the "
                "records of a project created from `myotrack redcap dictionary`)",
            )
            ok = False
    return ok


def _to_myotrack(field: Field, raw: str) -> str:
    """A REDCap raw value as the folder cell text of `field`; CellError when the code
    is not one of the field's (with a hint when it is a label)."""
    if field.codes is None or not raw:
        return raw
    code = field.codes.get(raw)
    if code is not None:
        return code
    listed = ", ".join(field.codes)
    if any(raw == text for _, text in field.choices):
        raise CellError(
            "label_export",
            f"'{raw}' is a label, not a code; export the records with raw codes "
            f"(codes of {field.name}: {listed})",
        )
    raise CellError("choice", f"'{raw}' is not a code of {field.name}; use one of: {listed}")


def read_records(
    text: str,
    *,
    today: date,
    cutoff_date: date | None = None,
    accept_implausible: bool = False,
    warnings: list[ValidationIssue] | None = None,
    file: str = RECORDS_FILE,
) -> tuple[Cohort | None, list[ValidationIssue]]:
    """The Cohort of a flat records export, or None and every problem (all or nothing).

    `today` is the day dates may not pass (taken at the edge); `cutoff_date` is the
    cohort's cut-off, which REDCap does not hold."""
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    header = [h.strip() for h in rows[0]] if rows else []
    project = _project_of(header)
    reading = _Reading(file, project, owners=owners(project), warnings=warnings)
    if not _check_header(header, project, reading):
        return None, reading.issues
    tables: dict[str, list[Row]] = {f.file: [] for f in CORE_FORMS}
    assessments: list[tuple[int, _Place, Form, dict[str, str]]] = []
    seen: dict[tuple[str, str, str], int] = {}
    for line, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            reading.problem(
                line,
                _Place("-", "-", ""),
                None,
                "row_length",
                f"this row has {len(cells)} cells but the header has {len(header)}",
            )
            continue
        raw = {h: c.strip() for h, c in zip(header, cells, strict=True)}
        place = _Place(
            raw[RECORD_ID], raw.get(REPEAT_INSTRUMENT) or "patient", raw.get(REPEAT_INSTANCE, "")
        )
        form = _row_form(raw, place, line, reading)
        if form is None:
            continue
        key = (place.record, place.form, place.instance)
        if key in seen:
            reading.problem(
                line,
                place,
                REPEAT_INSTANCE,
                "unique",
                f"the same row is already on line {seen[key]}",
            )
            continue
        seen[key] = line
        if form.file is not None:
            row = _core_row(raw, form, place, line, reading)
            tables[form.file].append(row)
            reading.places[(form.file, line)] = place
        else:
            assessments.append((line, place, form, raw))
    folder_issues: list[ValidationIssue] = []
    cohort = cohort_from_rows(
        tables,
        cutoff_date,
        folder_issues,
        today=today,
        accept_implausible=accept_implausible,
        warnings=warnings,
        version=2,  # a version 1 cohort reads the same (tests/cohort/test_format_v2.py)
    )
    reading.issues.extend(_relocated(issue, reading) for issue in folder_issues)
    births = {
        row.values.get(RECORD_ID): row.values.get("birth_date") for row in tables["patients.csv"]
    }
    scored = []
    for line, place, form, raw in assessments:
        if place.record not in births:
            reading.problem(
                line,
                place,
                RECORD_ID,
                "unknown_patient",
                f"record {place.record} has no patient form row (instrument blank)",
            )
            continue
        assessment = _assessment(line, place, form, raw, reading)
        if assessment is not None:
            _check_day(assessment.date, births[place.record], today, line, place, form, reading)
        scored.append(assessment)
    if reading.issues or cohort is None:
        return None, reading.issues
    return _with_assessments(cohort, [a for a in scored if a is not None]), []


def _row_form(raw: Mapping[str, str], place: _Place, line: int, reading: _Reading) -> Form | None:
    if not raw.get(RECORD_ID):
        reading.problem(line, place, RECORD_ID, "required", "the record id is empty")
        return None
    name = raw.get(REPEAT_INSTRUMENT, "")
    instance = raw.get(REPEAT_INSTANCE, "")
    if not name:
        if instance:
            reading.problem(
                line,
                place,
                REPEAT_INSTANCE,
                "repeat_instance",
                "a row without a repeating instrument has no instance number",
            )
            return None
        return _only_its_own(reading.project.form(CORE_FORMS[0].name), raw, place, line, reading)
    try:
        form = reading.project.form(name)
    except KeyError:
        reading.problem(
            line,
            place,
            REPEAT_INSTRUMENT,
            "repeat_instrument",
            f"'{name}' is not a repeating form of the myotrack project",
        )
        return None
    if not form.repeating:
        reading.problem(
            line, place, REPEAT_INSTRUMENT, "repeat_instrument", f"form '{name}' does not repeat"
        )
        return None
    if not instance.isdigit() or int(instance) < 1:
        reading.problem(
            line,
            place,
            REPEAT_INSTANCE,
            "repeat_instance",
            f"'{instance}' is not an instance number (1, 2, …)",
        )
        return None
    return _only_its_own(form, raw, place, line, reading)


def _only_its_own(
    form: Form, raw: Mapping[str, str], place: _Place, line: int, reading: _Reading
) -> Form | None:
    """The form of a row, after checking the row holds no value of another form."""
    for other, value in raw.items():
        if value in ("", "0"):
            continue
        owner = reading.owners.get(other)
        if owner is not None and owner != form.name:
            reading.problem(
                line,
                place,
                other,
                "other_form",
                f"a {form.name} row holds a value of form {owner} ('{value}')",
            )
    return form


def owners(project: Project) -> dict[str, str]:
    """Column of the records file -> the repeating form whose field it is."""
    owned: dict[str, str] = {}
    for form in project.forms:
        if not form.repeating:
            continue
        for f in form.fields:
            owned[f.name] = form.name
            for code, _ in f.choices if f.type == "checkbox" else ():
                owned[f"{f.name}{CHECKBOX_SEPARATOR}{code}"] = form.name
    return owned


def _core_row(
    raw: Mapping[str, str], form: Form, place: _Place, line: int, reading: _Reading
) -> Row:
    assert form.file is not None
    columns = COLUMNS_V2[form.file]
    values: dict[str, Any] = {RECORD_ID: place.record}
    extra: dict[str, str] = {}
    for f in form.fields:
        if f.column is None or f.type in ("calc", "descriptive") or f.name == RECORD_ID:
            continue
        if f.type == "checkbox":
            chosen = [
                f.codes[code] if f.codes else code
                for code, _ in f.choices
                if raw.get(f"{f.name}{CHECKBOX_SEPARATOR}{code}", "") == "1"
            ]
            text = ";".join(chosen)
        else:
            text = raw.get(f.name, "")
            try:
                text = _to_myotrack(f, text)
            except CellError as err:
                values[f.column] = None
                reading.problem(line, place, f.name, err.rule, err.message)
                continue
        if f.column.startswith(EXTRA_PREFIX):
            if text:
                extra[f.column] = text
            continue
        try:
            values[f.column] = cell_parser(columns[f.column])(text)
        except CellError as err:
            values[f.column] = None
            reading.problem(line, place, f.name, err.rule, err.message)
            continue
        if values[f.column] is None and columns[f.column].required:
            reading.problem(line, place, f.name, "required", f"'{f.name}' is required and is empty")
    if form.file == "patients.csv":
        _site_from_group(raw, values, place, line, reading)
    return Row(line, values, extra)


def _site_from_group(
    raw: Mapping[str, str], values: dict[str, Any], place: _Place, line: int, reading: _Reading
) -> None:
    group = raw.get(DATA_ACCESS_GROUP, "")
    site = values.get("site")
    if not group:
        return
    if site is None:
        values["site"] = group
    elif dag_name(site) != group and reading.warnings is not None:
        # the site as written wins: REDCap's rule for unique group names is an assumption
        reading.warnings.append(
            ValidationIssue(
                reading.file,
                line,
                DATA_ACCESS_GROUP,
                "data_access_group",
                f"{place.text()}: the data access group '{group}' is not the group myotrack "
                f"names for site '{site}' ('{dag_name(site)}'); the site is kept as written",
            )
        )


def _relocated(issue: ValidationIssue, reading: _Reading) -> ValidationIssue:
    """A folder check's problem, told in the REDCap file's terms."""
    place = reading.places.get((issue.file, issue.line or 0))
    form = FORM_OF_FILE.get(issue.file)
    variable = issue.field
    if form is not None and variable is not None:
        variable = form.renamed.get(variable, variable)
        if variable == RECORD_ID and form.repeating:
            variable = RECORD_ID
    message = issue.message
    if issue.rule == "unknown_patient" and place is not None:
        message = f"record {place.record} has no patient form row (instrument blank)"
    where = place.text() + ": " if place is not None else ""
    return ValidationIssue(reading.file, issue.line, variable, issue.rule, where + message)


def _assessment(
    line: int, place: _Place, form: Form, raw: Mapping[str, str], reading: _Reading
) -> Assessment | None:
    defn = form.instrument
    assert defn is not None
    day: date | None = None
    version: str | None = None
    items: dict[str, float | str] = {}
    bad = False
    for f in form.fields:
        text = raw.get(f.name, "")
        if f.column == ASSESSMENT_DATE:
            try:
                day = parse_date(text) if text else None
            except CellError as err:
                reading.problem(line, place, f.name, err.rule, err.message)
                bad = True
                continue
            if day is None:
                reading.problem(line, place, f.name, "required", "the visit date is empty")
                bad = True
        elif f.column == ASSESSMENT_VERSION:
            version = text or None
        elif f.column is not None and text and f.type not in ("calc", "descriptive"):
            try:
                value = validate_item(defn, defn.item(f.column), _to_myotrack(f, text))
            except (ItemError, CellError) as err:
                rule = err.rule if isinstance(err, CellError) else "item"
                reading.problem(line, place, f.name, rule, err.message)
                bad = True
                continue
            if isinstance(value, float):  # kept as written (the check rounds to the grid)
                value = parse_number(_to_myotrack(f, text))
            if value is not None:
                items[f.column] = value
    if bad or day is None:
        return None
    total = score_stored(defn.name, version, items).total
    # Items hold an instrument's codes ("T", "NA") as well as numbers, as the web stores them.
    stored: Mapping[str, Any] = items
    return Assessment(place.record, day, defn.name, stored, version=version, total=total)


def _check_day(
    day: date,
    birth: date | None,
    today: date,
    line: int,
    place: _Place,
    form: Form,
    reading: _Reading,
) -> None:
    """An assessment's date: not after today, not before the patient's birth (the rules
    of every record date, `cohort.record_checks`)."""
    variable = form.fields[0].name
    if day > today:
        reading.problem(
            line, place, variable, "future_date", f"the visit date {day} is after today ({today})"
        )
    if birth is not None and day < birth:
        reading.problem(
            line,
            place,
            variable,
            "before_birth",
            f"the visit date {day} is before the birth ({birth})",
        )


def _with_assessments(cohort: Cohort, assessments: list[Assessment]) -> Cohort:
    return replace(cohort, assessments=tuple(assessments))
