"""`myotrack omop check`: the checks of an OMOP CDM 5.4 export, in Python, generated from
OHDSI's field-level specification (`omop.cdm`) — a small port of the field checks of
OHDSI's DataQualityDashboard (which needs R and Java): for every table file present,

* the columns are the table's, in order (`columns`);
* every required field is filled (`is_required`), every value has the field's datatype
  and length (`datatype`);
* primary keys are unique (`is_primary_key`);
* foreign keys point at a row of the table they name (`is_foreign_key`), concept ids at a
  row of the export's CONCEPT table, whose domain is the one the field asks for
  (`fk_domain`; concept 0, "no matching concept", is allowed everywhere);
* dates are plausible: a start not after its end (`start_before_end`), nothing before the
  person's year of birth (`after_birth`), and every event inside one of the person's
  observation periods (`in_observation_period`).

Pure: file texts in, located problems out (`ValidationIssue`: file, line, field, rule).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Final

from myotrack.domain import ValidationIssue
from myotrack.exchange.omop.cdm import CdmField, cdm_tables

_NO_MATCH: Final = "0"
# (table, start field, end field) whose start may not be after its end
_START_END: Final = (
    ("observation_period", "observation_period_start_date", "observation_period_end_date"),
    ("visit_occurrence", "visit_start_date", "visit_end_date"),
    ("condition_occurrence", "condition_start_date", "condition_end_date"),
    ("drug_exposure", "drug_exposure_start_date", "drug_exposure_end_date"),
    ("procedure_occurrence", "procedure_date", "procedure_end_date"),
)
# event tables: (table, date field) that must fall after birth and inside a period
_EVENT_DATES: Final = (
    ("visit_occurrence", "visit_start_date"),
    ("condition_occurrence", "condition_start_date"),
    ("drug_exposure", "drug_exposure_start_date"),
    ("procedure_occurrence", "procedure_date"),
    ("measurement", "measurement_date"),
    ("observation", "observation_date"),
)


def table_of(file_name: str) -> str | None:
    """The CDM table a file holds (`PERSON.csv` -> person), None for other files."""
    if not file_name.lower().endswith(".csv"):
        return None
    table = file_name[: -len(".csv")].lower()
    return table if table in cdm_tables() else None


@dataclass(slots=True)
class _Table:
    file: str
    fields: tuple[CdmField, ...]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def _valid(value: str, f: CdmField) -> bool:
    kind = f.datatype
    try:
        if kind in ("integer", "bigint"):
            int(value)
        elif kind == "float":
            float(value)
        elif kind == "date":
            date.fromisoformat(value)
        elif kind == "datetime":
            datetime.fromisoformat(value)
    except ValueError:
        return False
    limit = f.max_length
    return limit is None or len(value) <= limit


def _read(files: Mapping[str, str], issues: list[ValidationIssue]) -> dict[str, _Table]:
    tables: dict[str, _Table] = {}
    for name, text in files.items():
        table = table_of(name)
        if table is None:
            continue
        spec = cdm_tables()[table]
        reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
        header = next(reader, [])
        expected = [f.name for f in spec]
        if [h.strip().lower() for h in header] != expected:
            missing = [n for n in expected if n not in header]
            extra = [h for h in header if h not in expected]
            issues.append(
                ValidationIssue(
                    name,
                    1,
                    None,
                    "columns",
                    f"the columns are not those of {table} in CDM 5.4"
                    + (f"; missing: {', '.join(missing)}" if missing else "")
                    + (f"; unknown: {', '.join(extra)}" if extra else ""),
                )
            )
            continue
        loaded = _Table(name, spec)
        for line, cells in enumerate(reader, start=2):
            if len(cells) != len(spec):
                issues.append(
                    ValidationIssue(
                        name, line, None, "columns", f"{len(cells)} cells, not {len(spec)}"
                    )
                )
                continue
            loaded.rows.append((line, dict(zip(expected, cells, strict=True))))
        tables[table] = loaded
    return tables


def check_files(files: Mapping[str, str]) -> list[ValidationIssue]:
    """Every problem of an OMOP export (file name -> CSV text); empty when it passes."""
    issues: list[ValidationIssue] = []
    tables = _read(files, issues)
    if "person" not in tables:
        issues.append(ValidationIssue("PERSON.csv", None, None, "missing_file", "no PERSON table"))
    keys = _primary_keys(tables, issues)
    concepts = {row["concept_id"]: row["domain_id"] for _, row in _rows(tables, "concept")}
    for table in tables.values():
        _check_fields(table, keys, concepts, issues)
    _check_dates(tables, issues)
    return issues


def _rows(tables: Mapping[str, _Table], table: str) -> list[tuple[int, dict[str, str]]]:
    return tables[table].rows if table in tables else []


def _primary_keys(
    tables: Mapping[str, _Table], issues: list[ValidationIssue]
) -> dict[str, set[str]]:
    keys: dict[str, set[str]] = {}
    for name, table in tables.items():
        pk = [f.name for f in table.fields if f.primary_key]
        if len(pk) != 1:
            continue
        seen: set[str] = set()
        for line, row in table.rows:
            value = row[pk[0]]
            if value in seen:
                issues.append(
                    ValidationIssue(
                        table.file, line, pk[0], "is_primary_key", f"{pk[0]} {value} is used twice"
                    )
                )
            seen.add(value)
        keys[name] = seen
    return keys


def _check_fields(
    table: _Table,
    keys: Mapping[str, set[str]],
    concepts: Mapping[str, str],
    issues: list[ValidationIssue],
) -> None:
    for line, row in table.rows:
        for f in table.fields:
            value = row[f.name]
            if value == "":
                if f.required:
                    issues.append(
                        ValidationIssue(
                            table.file, line, f.name, "is_required", "required and empty"
                        )
                    )
                continue
            if not _valid(value, f):
                issues.append(
                    ValidationIssue(
                        table.file, line, f.name, "datatype", f"'{value[:40]}' is not {f.datatype}"
                    )
                )
                continue
            if f.fk_table is None:
                continue
            if f.fk_table == "concept":
                if value == _NO_MATCH:
                    continue
                domain = concepts.get(value)
                if domain is None:
                    issues.append(
                        ValidationIssue(
                            table.file,
                            line,
                            f.name,
                            "is_foreign_key",
                            f"concept {value} is not in the CONCEPT table",
                        )
                    )
                elif f.fk_domain is not None and domain != f.fk_domain:
                    issues.append(
                        ValidationIssue(
                            table.file,
                            line,
                            f.name,
                            "fk_domain",
                            f"concept {value} is of domain {domain}, not {f.fk_domain}",
                        )
                    )
            elif f.fk_table in keys and value not in keys[f.fk_table]:
                issues.append(
                    ValidationIssue(
                        table.file,
                        line,
                        f.name,
                        "is_foreign_key",
                        f"{value} is not a {f.fk_field} of {f.fk_table.upper()}",
                    )
                )
            elif f.fk_table not in keys and f.fk_table in cdm_tables():
                issues.append(
                    ValidationIssue(
                        table.file,
                        line,
                        f.name,
                        "is_foreign_key",
                        f"{value} refers to {f.fk_table.upper()}, which is not in the export",
                    )
                )


def _check_dates(tables: Mapping[str, _Table], issues: list[ValidationIssue]) -> None:
    for name, start, end in _START_END:
        for line, row in _rows(tables, name):
            if row[start] and row[end] and _day(row[end]) < _day(row[start]):
                issues.append(
                    ValidationIssue(
                        tables[name].file,
                        line,
                        end,
                        "start_before_end",
                        f"{end} {row[end]} is before {start} {row[start]}",
                    )
                )
    births = {row["person_id"]: row["year_of_birth"] for _, row in _rows(tables, "person")}
    periods: dict[str, list[tuple[date, date]]] = {}
    for _, row in _rows(tables, "observation_period"):
        first, last = row["observation_period_start_date"], row["observation_period_end_date"]
        if first and last:
            periods.setdefault(row["person_id"], []).append((_day(first), _day(last)))
    for name, when in _EVENT_DATES:
        for line, row in _rows(tables, name):
            person, text = row["person_id"], row[when]
            if not text:
                continue
            day = _day(text)
            born = births.get(person)
            if born and born.isdigit() and day.year < int(born):
                issues.append(
                    ValidationIssue(
                        tables[name].file,
                        line,
                        when,
                        "after_birth",
                        f"{text} is before the year of birth {born}",
                    )
                )
            if not any(a <= day <= b for a, b in periods.get(person, ())):
                issues.append(
                    ValidationIssue(
                        tables[name].file,
                        line,
                        when,
                        "in_observation_period",
                        f"{text} is outside every observation period of person {person}",
                    )
                )


def _day(text: str) -> date:
    """The date of a date or datetime cell; an unreadable one (already reported by the
    datatype check) as the earliest date, so that nothing else fails on it."""
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return date.min
