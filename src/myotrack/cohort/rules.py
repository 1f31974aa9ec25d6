"""Rules that span rows and files: unique keys, references to patients, dates in order,
and the lab value/result/unit rules. Each problem names file, line, column and rule."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date
from typing import Any

from myotrack.cohort.cells import DRUG_NAME
from myotrack.cohort.table import Row
from myotrack.domain import ValidationIssue
from myotrack.domain.units import UNITS
from myotrack.domain.vocab import JAK_INHIBITORS, QUALITATIVE_ANALYTES

Tables = dict[str, list[Row]]
Issues = list[ValidationIssue]


def check_cross_rows(tables: Tables, issues: Issues) -> None:
    births = _check_patients(tables["patients.csv"], issues)
    _check_visits(tables["visits.csv"], births, issues)
    _check_labs(tables["labs.csv"], births, issues)
    _check_treatments(tables["treatments.csv"], births, issues)
    _check_events(tables["events.csv"], births, issues)


def _unique(
    file: str,
    rows: list[Row],
    key: Callable[[dict[str, Any]], tuple[Hashable, ...] | None],
    what: str,
    column: str,
    issues: Issues,
) -> None:
    first_line: dict[tuple[Hashable, ...], int] = {}
    for row in rows:
        k = key(row.values)
        if k is None:
            continue
        if k in first_line:
            issues.append(
                ValidationIssue(
                    file, row.line, column, "unique", f"{what} already on line {first_line[k]}"
                )
            )
        else:
            first_line[k] = row.line


def _check_patients(rows: list[Row], issues: Issues) -> dict[str, date | None]:
    file = "patients.csv"
    _unique(file, rows, lambda v: _key(v, "patient_id"), "this patient_id is", "patient_id", issues)
    births: dict[str, date | None] = {}
    for row in rows:
        v = row.values
        pid, birth = v.get("patient_id"), v.get("birth_date")
        if pid is not None:
            births.setdefault(pid, birth)
        for column in ("onset_date", "diagnosis_date"):
            when = v.get(column)
            if birth is not None and when is not None and when < birth:
                issues.append(
                    ValidationIssue(
                        file,
                        row.line,
                        column,
                        "before_birth",
                        f"{column} {when} is before the birth_date {birth}",
                    )
                )
        onset, diagnosed = v.get("onset_date"), v.get("diagnosis_date")
        if onset is not None and diagnosed is not None and diagnosed < onset:
            issues.append(
                ValidationIssue(
                    file,
                    row.line,
                    "diagnosis_date",
                    "date_order",
                    f"diagnosis_date {diagnosed} is before onset_date {onset}",
                )
            )
    return births


def _key(values: dict[str, Any], *names: str) -> tuple[Hashable, ...] | None:
    key = tuple(map(values.get, names))
    return None if None in key else key


def _check_patient_refs(
    file: str, rows: list[Row], births: dict[str, date | None], date_column: str, issues: Issues
) -> None:
    for row in rows:
        pid = row.values.get("patient_id")
        if pid is None:
            continue
        if pid not in births:
            issues.append(
                ValidationIssue(
                    file,
                    row.line,
                    "patient_id",
                    "unknown_patient",
                    f"patient_id '{pid}' is not in patients.csv",
                )
            )
            continue
        birth, when = births[pid], row.values.get(date_column)
        if birth is not None and when is not None and when < birth:
            issues.append(
                ValidationIssue(
                    file,
                    row.line,
                    date_column,
                    "before_birth",
                    f"{date_column} {when} is before the patient's birth_date {birth}",
                )
            )


def _check_visits(rows: list[Row], births: dict[str, date | None], issues: Issues) -> None:
    file = "visits.csv"
    _check_patient_refs(file, rows, births, "date", issues)
    _unique(
        file,
        rows,
        lambda v: _key(v, "patient_id", "date"),
        "a visit of this patient on this date is",
        "date",
        issues,
    )


def _check_labs(rows: list[Row], births: dict[str, date | None], issues: Issues) -> None:
    file = "labs.csv"
    _check_patient_refs(file, rows, births, "date", issues)
    _unique(
        file,
        rows,
        lambda v: _key(v, "patient_id", "date", "analyte"),
        "a result of this analyte for this patient on this date is",
        "analyte",
        issues,
    )
    for row in rows:
        v = row.values
        analyte = v.get("analyte")
        if analyte is None:
            continue
        if analyte in QUALITATIVE_ANALYTES:
            _check_qualitative(file, row, analyte, issues)
        else:
            _check_quantitative(file, row, analyte, issues)


def _check_qualitative(file: str, row: Row, analyte: str, issues: Issues) -> None:
    v = row.values
    if v.get("result") is None and "result" not in _bad_cells(row, issues, file):
        issues.append(
            ValidationIssue(
                file,
                row.line,
                "result",
                "required",
                f"{analyte} is a screening test: give result (positive, negative or indeterminate)",
            )
        )
    for column in ("value", "unit", "ref_low", "ref_high"):
        if v.get(column) is not None:
            issues.append(
                ValidationIssue(
                    file,
                    row.line,
                    column,
                    "qualitative",
                    f"{analyte} is a screening test: leave {column} empty and use result",
                )
            )


def _check_quantitative(file: str, row: Row, analyte: str, issues: Issues) -> None:
    v = row.values
    accepted = UNITS[analyte][1]
    if v.get("value") is None and "value" not in _bad_cells(row, issues, file):
        issues.append(
            ValidationIssue(file, row.line, "value", "required", f"{analyte} needs a value")
        )
    if v.get("result") is not None:
        issues.append(
            ValidationIssue(
                file,
                row.line,
                "result",
                "quantitative",
                f"{analyte} is a measured value: leave result empty and use value",
            )
        )
    unit = v.get("unit")
    if unit is None:
        issues.append(
            ValidationIssue(
                file,
                row.line,
                "unit",
                "required",
                f"{analyte} needs a unit; use one of: {', '.join(accepted)}",
            )
        )
    elif unit not in accepted:
        issues.append(
            ValidationIssue(
                file,
                row.line,
                "unit",
                "unit",
                f"'{unit}' is not a unit for {analyte}; use one of: {', '.join(accepted)}",
            )
        )
    low, high = v.get("ref_low"), v.get("ref_high")
    if low is not None and high is not None and low > high:
        issues.append(
            ValidationIssue(
                file,
                row.line,
                "ref_low",
                "reference_range",
                f"ref_low {low:g} is above ref_high {high:g}",
            )
        )


def _bad_cells(row: Row, issues: Issues, file: str) -> set[str]:
    """Columns of this row already reported as unreadable (so as not to report twice)."""
    return {
        i.field
        for i in issues[-20:]
        if i.file == file and i.line == row.line and i.field is not None
    }


def _check_treatments(rows: list[Row], births: dict[str, date | None], issues: Issues) -> None:
    file = "treatments.csv"
    _check_patient_refs(file, rows, births, "start_date", issues)
    _unique(
        file,
        rows,
        lambda v: _key(v, "patient_id", "drug", "start_date"),
        "a course of this drug for this patient starting on this date is",
        "start_date",
        issues,
    )
    jak_starts: dict[tuple[str, date], int] = {}
    for row in rows:
        v = row.values
        drug, start, end = v.get("drug"), v.get("start_date"), v.get("end_date")
        if drug is not None and not DRUG_NAME.fullmatch(drug):
            issues.append(
                ValidationIssue(
                    file,
                    row.line,
                    "drug",
                    "drug_name",
                    f"'{drug}' must be a generic drug name in lower case, e.g. 'ruxolitinib'",
                )
            )
        if start is not None and end is not None and end < start:
            issues.append(
                ValidationIssue(
                    file,
                    row.line,
                    "end_date",
                    "end_before_start",
                    f"the course ends ({end}) before it starts ({start})",
                )
            )
        if v.get("dose") is not None and v.get("dose_unit") is None:
            issues.append(
                ValidationIssue(
                    file,
                    row.line,
                    "dose_unit",
                    "required",
                    "a dose needs its dose_unit (mg, mg/kg, g/kg or mg/m2)",
                )
            )
        pid = v.get("patient_id")
        if drug in JAK_INHIBITORS and pid is not None and start is not None:
            key = (pid, start)
            if key in jak_starts:
                issues.append(
                    ValidationIssue(
                        file,
                        row.line,
                        "start_date",
                        "jak_same_start",
                        "two JAK-inhibitor courses of this patient start on the same date "
                        f"(see line {jak_starts[key]})",
                    )
                )
            else:
                jak_starts[key] = row.line


def _check_events(rows: list[Row], births: dict[str, date | None], issues: Issues) -> None:
    file = "events.csv"
    _check_patient_refs(file, rows, births, "date", issues)
    _unique(
        file,
        rows,
        lambda v: (
            (v["patient_id"], v["date"], v["event"], v.get("detail"))
            if _key(v, "patient_id", "date", "event")
            else None
        ),
        "the same event for this patient on this date is",
        "event",
        issues,
    )
