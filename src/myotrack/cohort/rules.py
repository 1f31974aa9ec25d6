"""Rules that span rows and files: unique keys, references to patients, and the per-record
checks of `cohort.record_checks` (the same the web services call) with each row's patient.
Each problem names file, line, column and rule.

Implausible values (`implausible_value`) are errors unless the import accepts them
(`accept_implausible`, the CLI's `--accept-implausible`) or the row confirms them in its
`x_confirm_implausible` column (`yes`); accepted ones are returned as warnings.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date
from typing import Any

from myotrack.cohort.record_checks import (
    CHECKS,
    CONFIRM_COLUMN,
    CONFIRMED,
    Context,
    Problem,
    check_jak_start,
)
from myotrack.cohort.table import Row
from myotrack.domain import ValidationIssue
from myotrack.domain.vocab import JAK_INHIBITORS

Tables = dict[str, list[Row]]
Issues = list[ValidationIssue]
Patients = dict[str, tuple[date | None, str | None]]  # patient_id -> (birth date, sex)


def check_cross_rows(
    tables: Tables,
    issues: Issues,
    *,
    today: date,
    accept_implausible: bool = False,
    warnings: Issues | None = None,
) -> None:
    """Append every problem of the folder to `issues`; accepted implausible values go to
    `warnings` (when given)."""
    checked = _Checker(today, issues, accept_implausible, warnings)
    patients = _check_patients(tables["patients.csv"], checked)
    _check_visits(tables["visits.csv"], patients, checked)
    _check_labs(tables["labs.csv"], patients, checked)
    _check_treatments(tables["treatments.csv"], patients, checked)
    _check_events(tables["events.csv"], patients, checked)


class _Checker:
    """Runs the record checks of one file's rows and files their problems."""

    def __init__(
        self, today: date, issues: Issues, accept_implausible: bool, warnings: Issues | None
    ) -> None:
        self.today = today
        self.issues = issues
        self.accept_implausible = accept_implausible
        self.warnings = warnings
        # rows whose cells were reported: checking the rest of them would repeat them
        self._bad_rows = {(i.file, i.line) for i in issues}

    def row(self, file: str, row: Row, ctx: Context) -> None:
        if (file, row.line) in self._bad_rows:
            return
        for problem in CHECKS[file](row.values, ctx):
            self.file(file, row, problem)

    def file(self, file: str, row: Row, problem: Problem) -> None:
        issue = ValidationIssue(file, row.line, problem.field, problem.rule, problem.message)
        if problem.needs_confirmation and (
            self.accept_implausible or row.extra.get(CONFIRM_COLUMN, "").lower() == CONFIRMED
        ):
            if self.warnings is not None:
                self.warnings.append(issue)
            return
        self.issues.append(issue)


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


def _check_patients(rows: list[Row], checked: _Checker) -> Patients:
    file = "patients.csv"
    _unique(
        file,
        rows,
        lambda v: _key(v, "patient_id"),
        "this patient_id is",
        "patient_id",
        checked.issues,
    )
    patients: Patients = {}
    for row in rows:
        v = row.values
        pid = v.get("patient_id")
        if pid is not None:
            patients.setdefault(pid, (v.get("birth_date"), v.get("sex")))
        checked.row(file, row, Context(checked.today))
    return patients


def _key(values: dict[str, Any], *names: str) -> tuple[Hashable, ...] | None:
    key = tuple(map(values.get, names))
    return None if None in key else key


def _check_records(file: str, rows: list[Row], patients: Patients, checked: _Checker) -> None:
    """Each row refers to a known patient and passes the record checks with it."""
    for row in rows:
        pid = row.values.get("patient_id")
        if pid is None:
            continue
        if pid not in patients:
            checked.issues.append(
                ValidationIssue(
                    file,
                    row.line,
                    "patient_id",
                    "unknown_patient",
                    f"patient_id '{pid}' is not in patients.csv",
                )
            )
            continue
        birth, sex = patients[pid]
        checked.row(file, row, Context(checked.today, birth, sex))


def _check_visits(rows: list[Row], patients: Patients, checked: _Checker) -> None:
    file = "visits.csv"
    _check_records(file, rows, patients, checked)
    _unique(
        file,
        rows,
        lambda v: _key(v, "patient_id", "date"),
        "a visit of this patient on this date is",
        "date",
        checked.issues,
    )


def _check_labs(rows: list[Row], patients: Patients, checked: _Checker) -> None:
    file = "labs.csv"
    _check_records(file, rows, patients, checked)
    _unique(
        file,
        rows,
        lambda v: _key(v, "patient_id", "date", "analyte"),
        "a result of this analyte for this patient on this date is",
        "analyte",
        checked.issues,
    )


def _check_treatments(rows: list[Row], patients: Patients, checked: _Checker) -> None:
    file = "treatments.csv"
    _check_records(file, rows, patients, checked)
    _unique(
        file,
        rows,
        lambda v: _key(v, "patient_id", "drug", "start_date"),
        "a course of this drug for this patient starting on this date is",
        "start_date",
        checked.issues,
    )
    jak_starts: dict[str, dict[date, int]] = {}
    for row in rows:
        v = row.values
        pid, drug, start = v.get("patient_id"), v.get("drug"), v.get("start_date")
        if pid is None:
            continue
        starts = jak_starts.setdefault(pid, {})
        clash = check_jak_start(drug, start, starts)
        if clash is not None and isinstance(start, date):
            checked.issues.append(
                ValidationIssue(
                    file,
                    row.line,
                    clash.field,
                    clash.rule,
                    f"{clash.message} (see line {starts[start]})",
                )
            )
        elif isinstance(start, date) and drug in JAK_INHIBITORS:
            starts[start] = row.line


def _check_events(rows: list[Row], patients: Patients, checked: _Checker) -> None:
    file = "events.csv"
    _check_records(file, rows, patients, checked)
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
        checked.issues,
    )
