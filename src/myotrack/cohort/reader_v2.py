"""The version 2 part of reading a cohort folder: splitting the rows of the version 1 files
into their version 1 values and version 2 records (`cohort.whole.split_row`), and the rules
of the version 2 records (known patient, unique natural key, `record_checks.check_record`,
the summary columns of patients.csv agreeing with the dated records). Every problem names
file, line, column and rule, as version 1's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from myotrack.cohort.columns_v2 import NEW_FILES, RECORD_KIND, RECORD_KINDS, record_key
from myotrack.cohort.record_checks import Context, check_record
from myotrack.cohort.table import Row
from myotrack.cohort.whole import new_file_row, split_row
from myotrack.domain import RecordRow, ValidationIssue

Tables = dict[str, list[Row]]
Issues = list[ValidationIssue]

_V1_FILES_WITH_V2_PARTS = ("patients.csv", "treatments.csv", "events.csv")


@dataclass(slots=True)
class _Record:
    file: str
    line: int
    row: RecordRow
    extra: dict[str, str]
    detail: bool  # the detail of a version 1 row (its dates judged by the version 1 checks)


def split_tables(tables: Tables) -> tuple[Tables, list[_Record]]:
    """The version 1 rows (values as version 1 reads them) and the version 2 records."""
    v1: Tables = {}
    records: list[_Record] = []
    for file, rows in tables.items():
        if file in NEW_FILES:
            for row in rows:
                if row.values.get("patient_id") is None:
                    continue
                records.append(
                    _Record(file, row.line, new_file_row(file, row.values), row.extra, False)
                )
            continue
        if file not in _V1_FILES_WITH_V2_PARTS:
            v1[file] = rows
            continue
        kept: list[Row] = []
        for row in rows:
            if row.values.get("patient_id") is None:
                kept.append(row)  # its problem is already reported
                continue
            values, record = split_row(file, row.values)
            if values is not None:
                kept.append(Row(row.line, values, row.extra))
            if record is not None:
                records.append(_Record(file, row.line, record, row.extra, values is not None))
        v1[file] = kept
    return v1, records


def check_records(
    records: list[_Record],
    patients: list[Row],
    v1_tables: Tables,
    issues: Issues,
    *,
    today: date,
) -> tuple[RecordRow, ...]:
    """Every problem of the version 2 records is appended to `issues`; the records are
    returned (to be used only when there is no problem)."""
    known: dict[str, dict[str, Any]] = {}
    for patient_row in patients:
        pid = patient_row.values.get("patient_id")
        if pid is not None:
            known.setdefault(pid, patient_row.values)
    bad_lines = {(i.file, i.line) for i in issues}
    first_line: dict[tuple[str, str, str], int] = {}
    v1_course_lines = {
        (r.values.get("patient_id"), r.values.get("drug"), r.values.get("start_date")): r.line
        for r in v1_tables.get("treatments.csv", [])
    }
    for rec in records:
        row = rec.row
        kind = RECORD_KIND[row.kind]
        where = (rec.file, rec.line)

        def add(field: str | None, rule: str, message: str, where: tuple[str, int] = where) -> None:
            issues.append(ValidationIssue(where[0], where[1], field, rule, message))

        patient = known.get(row.patient_id)
        if patient is None:
            if rec.file in NEW_FILES:
                add(
                    "patient_id",
                    "unknown_patient",
                    f"patient_id '{row.patient_id}' is not in patients.csv",
                )
            continue
        if not rec.detail and rec.extra and rec.file not in NEW_FILES:
            add(
                next(iter(rec.extra)),
                "extra_column",
                "x_ columns are kept for version 1 rows only; this row is a "
                f"{kind.label}: move the note to free_text",
            )
        elif rec.extra and rec.file in NEW_FILES:
            add(
                next(iter(rec.extra)),
                "extra_column",
                f"x_ columns are not kept in {rec.file}: use its free_text column",
            )
        if kind.key or kind.name == "patient_background":
            key = (kind.name, row.patient_id, record_key(kind, row.values))
            if key in first_line:
                add(
                    kind.key[-1] if kind.key else "patient_id",
                    "unique",
                    f"this {kind.label} is already on line {first_line[key]}",
                )
            else:
                first_line[key] = rec.line
        if kind.name == "treatment_course":
            start = row.values.get("start_date")
            clash = v1_course_lines.get((row.patient_id, row.values.get("drug"), _day(start)))
            if clash is not None:
                add(
                    "start_date",
                    "unique",
                    f"a course of this drug for this patient starting on this date is already "
                    f"on line {clash}",
                )
        if where in bad_lines:
            continue
        birth = patient.get("birth_date")
        ctx = Context(
            today,
            birth if isinstance(birth, date) else None,
            patient.get("sex"),
            antibodies=patient.get("antibodies") or (),
            features=patient.get("features") or (),
        )
        for problem in check_record(row.kind, row.values, ctx, dates=not rec.detail):
            add(problem.field, problem.rule, problem.message)
    # in the order of the record kinds (then as read): the order the registry loads them in
    order = {kind.name: i for i, kind in enumerate(RECORD_KINDS)}
    return tuple(sorted((r.row for r in records), key=lambda row: order[row.kind]))


def _day(value: Any) -> date | None:
    return value.as_date() if hasattr(value, "as_date") else None
