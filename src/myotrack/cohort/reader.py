"""Reading a cohort folder (docs/cohort-format.md) into a validated domain Cohort.

`read_folder` returns the cohort and no issues, or None and every issue found: a
folder with any problem is never half-used (imports are all-or-nothing).

Dates after `today` are refused (default: the day of reading, taken here at the edge).
Implausible values are refused unless `accept_implausible` or the row's
`x_confirm_implausible` cell is `yes`; accepted ones are appended to `warnings`.
"""

from __future__ import annotations

import gc
import tomllib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from myotrack.cohort import columns as cols
from myotrack.cohort.columns_v2 import FORMAT_VERSIONS, NEW_FILES, files_for, v2_only_column
from myotrack.cohort.reader_v2 import check_records, split_tables
from myotrack.cohort.rules import check_cross_rows
from myotrack.cohort.table import Row, read_table
from myotrack.domain import (
    Cohort,
    DrugCourse,
    Event,
    LabResult,
    Patient,
    RecordRow,
    ReportedValue,
    ValidationIssue,
    Visit,
)
from myotrack.domain.units import CONVERTED_ON_IMPORT, import_conversion
from myotrack.domain.vocab import QUALITATIVE_ANALYTES, VISIT_MEASURES

Tables = dict[str, list[Row]]


def read_folder(
    path: str | Path,
    *,
    today: date | None = None,
    accept_implausible: bool = False,
    warnings: list[ValidationIssue] | None = None,
) -> tuple[Cohort | None, list[ValidationIssue]]:
    # Reading creates one small object per cell and row and no reference cycles; pausing
    # the cyclic garbage collector meanwhile saves about a third of the time (measured by
    # benchmarks/bench_import.py) and frees nothing less.
    on = date.today() if today is None else today
    with _collector_paused():
        return _read_folder(Path(path), on, accept_implausible, warnings)


@contextmanager
def _collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read_folder(
    folder: Path,
    today: date,
    accept_implausible: bool,
    warnings: list[ValidationIssue] | None,
) -> tuple[Cohort | None, list[ValidationIssue]]:
    issues: list[ValidationIssue] = []
    if not folder.is_dir():
        where = "does not exist" if not folder.exists() else "is a file, not a folder"
        issues.append(
            ValidationIssue(str(folder), None, None, "folder", f"the cohort folder {where}")
        )
        return None, issues
    cutoff, version = _read_settings(folder, issues)
    _check_files(folder, issues, version)
    tables: Tables = {}
    for name, columns in files_for(version).items():
        file = folder / name
        tables[name] = read_table(file, columns, issues) if file.is_file() else []
    if version == 1:
        _explain_v2_columns(issues)
    return cohort_from_rows(
        tables,
        cutoff,
        issues,
        today=today,
        accept_implausible=accept_implausible,
        warnings=warnings,
        version=version,
    ), issues


def _explain_v2_columns(issues: list[ValidationIssue]) -> None:
    """A version 1 folder with a column of version 2 is told how to say it is version 2."""
    for i, issue in enumerate(issues):
        if (
            issue.rule == "unknown_column"
            and issue.field
            and v2_only_column(issue.file, issue.field)
        ):
            issues[i] = ValidationIssue(
                issue.file,
                issue.line,
                issue.field,
                issue.rule,
                f"{issue.message}. '{issue.field}' is a column of format version 2: "
                f"add format_version = 2 to {cols.SETTINGS_FILE}",
            )


def cohort_from_rows(
    tables: Tables,
    cutoff: date | None,
    issues: list[ValidationIssue],
    *,
    today: date,
    accept_implausible: bool = False,
    warnings: list[ValidationIssue] | None = None,
    version: int = 1,
) -> Cohort | None:
    """The rules across rows, the record checks and the build of `read_folder`, for rows
    whose cells were checked another way (the exchange formats, myotrack.exchange): every
    problem is appended to `issues` (which may already hold the cells' problems), and the
    Cohort is returned only when there are none. Version 2 tables (`columns_v2.FILES_V2`)
    are split into their version 1 rows and version 2 records first."""
    v2_rows: tuple[RecordRow, ...] = ()
    if version == 2:
        tables, records = split_tables(tables)
        check_cross_rows(
            tables, issues, today=today, accept_implausible=accept_implausible, warnings=warnings
        )
        v2_rows = check_records(records, tables["patients.csv"], tables, issues, today=today)
    else:
        check_cross_rows(
            tables, issues, today=today, accept_implausible=accept_implausible, warnings=warnings
        )
    if issues:
        return None
    cohort = _build(tables, cutoff)
    return replace(cohort, v2_rows=v2_rows) if v2_rows else cohort


def _check_files(folder: Path, issues: list[ValidationIssue], version: int = 1) -> None:
    if not (folder / "patients.csv").is_file():
        issues.append(
            ValidationIssue("patients.csv", None, None, "missing_file", "patients.csv is missing")
        )
    known = set(files_for(version)) | {cols.SETTINGS_FILE}
    for entry in sorted(folder.iterdir()):
        if entry.suffix.lower() in (".csv", ".toml") and entry.name not in known:
            listed = ", ".join(sorted(known))
            message = f"unknown file; a cohort folder holds {listed} (names are case-sensitive)"
            if version == 1 and entry.name in NEW_FILES:
                message += (
                    f". {entry.name} is a file of format version 2: add format_version = 2 "
                    f"to {cols.SETTINGS_FILE}"
                )
            issues.append(ValidationIssue(entry.name, None, None, "unknown_file", message))


def _read_settings(folder: Path, issues: list[ValidationIssue]) -> tuple[date | None, int]:
    """The cut-off date and the format version (1 when not given) of cohort.toml."""
    file = folder / cols.SETTINGS_FILE
    if not file.is_file():
        return None, 1
    name = cols.SETTINGS_FILE
    try:
        settings = tomllib.loads(file.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        issues.append(ValidationIssue(name, None, None, "encoding", "the file is not UTF-8"))
        return None, 1
    except tomllib.TOMLDecodeError as exc:
        issues.append(ValidationIssue(name, None, None, "settings", f"cannot be read: {exc}"))
        return None, 1
    for key in settings:
        if key not in _SETTINGS and not key.startswith(cols.EXTRA_PREFIX):
            issues.append(
                ValidationIssue(
                    name,
                    None,
                    key,
                    "settings",
                    f"unknown setting '{key}'; use cutoff_date or format_version",
                )
            )
    version = settings.get("format_version", 1)
    if isinstance(version, bool) or version not in FORMAT_VERSIONS:
        issues.append(
            ValidationIssue(
                name, None, "format_version", "settings", "format_version must be 1 or 2"
            )
        )
        version = 1
    value = settings.get("cutoff_date")
    if value is None:
        return None, version
    if isinstance(value, date):
        return value, version
    if isinstance(value, str):
        try:
            return date.fromisoformat(value), version
        except ValueError:
            pass
    issues.append(
        ValidationIssue(
            name, None, "cutoff_date", "date", f"'{value}' is not a date; use YYYY-MM-DD"
        )
    )
    return None, version


_SETTINGS = ("cutoff_date", "format_version")


def _build(tables: Tables, cutoff: date | None) -> Cohort:
    patients = tuple(_patient(r) for r in tables["patients.csv"])
    visits = tuple(_visit(r) for r in tables["visits.csv"])
    labs = tuple(_lab(r) for r in tables["labs.csv"])
    courses = tuple(_course(r) for r in tables["treatments.csv"])
    events = tuple(_event(r) for r in tables["events.csv"])
    return Cohort(patients, visits, labs, courses, events, cutoff_date=cutoff)


def _patient(row: Row) -> Patient:
    v = row.values
    return Patient(
        patient_id=v["patient_id"],
        sex=v["sex"],
        birth_date=v["birth_date"],
        diagnosis=v["diagnosis"],
        onset_date=v.get("onset_date"),
        diagnosis_date=v.get("diagnosis_date"),
        bohan_peter=v.get("bohan_peter"),
        antibodies=v.get("antibodies") or (),
        refractory=v.get("refractory"),
        features=v.get("features") or (),
        site=v.get("site"),
        extra=row.extra,
    )


def _yes_no(value: str | None) -> bool | None:
    return None if value is None else value == "yes"


def _visit(row: Row) -> Visit:
    v = row.values
    measures: dict[str, Any] = {m: v.get(m) for m in VISIT_MEASURES}
    return Visit(
        patient_id=v["patient_id"],
        date=v["date"],
        rash=_yes_no(v.get("rash")),
        weakness=_yes_no(v.get("weakness")),
        extra=row.extra,
        **measures,
    )


def _lab(row: Row) -> LabResult:
    return lab_result(row.values, row.extra)


def lab_result(values: Mapping[str, Any], extra: Mapping[str, str]) -> LabResult:
    """The lab result stored for checked column values (a labs.csv row, or what the web
    entered): µkat/L enzymes held in U/L with the reported value kept (`ReportedValue`),
    every other accepted unit as given. The one unit conversion of every entry path."""
    v = values
    analyte = v["analyte"]
    if analyte in QUALITATIVE_ANALYTES:
        return LabResult(
            v["patient_id"], v["date"], analyte, None, None, v.get("result"), extra=extra
        )
    value, unit = v["value"], v["unit"]
    ref_low, ref_high = v.get("ref_low"), v.get("ref_high")
    if unit not in CONVERTED_ON_IMPORT:  # stored as reported (positional: this runs per row)
        return LabResult(
            v["patient_id"],
            v["date"],
            analyte,
            value,
            unit,
            None,
            ref_low,
            ref_high,
            None,
            extra,
        )
    stored_value, stored_unit = import_conversion(analyte, value, unit)
    reported = ReportedValue(value, unit, ref_low, ref_high)
    ref_low = None if ref_low is None else import_conversion(analyte, ref_low, unit)[0]
    ref_high = None if ref_high is None else import_conversion(analyte, ref_high, unit)[0]
    return LabResult(
        v["patient_id"],
        v["date"],
        analyte,
        value=stored_value,
        unit=stored_unit,
        ref_low=ref_low,
        ref_high=ref_high,
        reported=reported,
        extra=extra,
    )


def _course(row: Row) -> DrugCourse:
    v = row.values
    return DrugCourse(
        patient_id=v["patient_id"],
        drug=v["drug"],
        start_date=v["start_date"],
        end_date=v.get("end_date"),
        dose=v.get("dose"),
        dose_unit=v.get("dose_unit"),
        frequency=v.get("frequency"),
        route=v.get("route"),
        stop_reason=v.get("stop_reason"),
        extra=row.extra,
    )


def _event(row: Row) -> Event:
    v = row.values
    grade = v.get("grade")
    return Event(
        patient_id=v["patient_id"],
        date=v["date"],
        event=v["event"],
        detail=v.get("detail"),
        grade=None if grade is None else int(grade),
        extra=row.extra,
    )


# The domain object of a checked row of each version 1 file (also for `cohort.stream`).
OBJECT_OF: dict[str, Callable[[Row], Any]] = {
    "patients.csv": _patient,
    "visits.csv": _visit,
    "labs.csv": _lab,
    "treatments.csv": _course,
    "events.csv": _event,
}
