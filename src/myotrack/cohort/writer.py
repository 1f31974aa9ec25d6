"""Writing a Cohort as a cohort folder (docs/cohort-format.md). What `read_folder` reads
back from it is the same Cohort: lab results are written as they were reported, and text
cells are made safe to open in a spreadsheet (`cohort.spreadsheet_safety`), which the
reader undoes."""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from myotrack.cohort import columns as cols
from myotrack.cohort import whole
from myotrack.cohort.columns_v2 import files_for
from myotrack.cohort.spreadsheet_safety import escape
from myotrack.domain import Cohort, DrugCourse, Event, LabResult, PartialDate, Patient, Visit
from myotrack.domain.vocab import VISIT_MEASURES


def cell(value: Any) -> str:
    """The text of one cell: empty for None, yes/no, ';'-joined lists, shortest numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, PartialDate):
        return value.iso()
    if isinstance(value, tuple):
        return ";".join(value)
    return str(value)


def csv_cell(value: Any) -> str:
    """The CSV text of one cell: `cell`, with text (never a number, date or yes/no)
    escaped against formula injection."""
    text = cell(value)
    return escape(text) if isinstance(value, str | tuple) else text


def write_folder(cohort: Cohort, path: str | Path) -> None:
    """Write the cohort as a folder: format version 1 when it holds only version 1 objects
    (so a version 1 cohort round-trips as version 1), else version 2 with its records."""
    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    version = 2 if cohort.v2_rows else 1
    files: tuple[tuple[str, Sequence[Any], Callable[[Any], dict[str, Any]]], ...] = (
        ("patients.csv", cohort.patients, _patient),
        ("visits.csv", cohort.visits, _visit),
        ("labs.csv", cohort.labs, _lab),
        ("treatments.csv", cohort.courses, _course),
        ("events.csv", cohort.events, _event),
    )
    details = whole.details(cohort) if version == 2 else {}
    own_rows = whole.file_rows(cohort) if version == 2 else {}
    tables = files_for(version)
    for name, objects, to_row in files:
        rows = [(_with_detail(name, to_row(obj), details), obj.extra) for obj in objects]
        rows += [(values, {}) for values in own_rows.pop(name, [])]
        _write(folder / name, tables[name], rows)
    for name, values_list in own_rows.items():
        _write(folder / name, tables[name], [(values, {}) for values in values_list])
    settings = folder / cols.SETTINGS_FILE
    lines = []
    if version == 2:
        lines.append("format_version = 2\n")
    if cohort.cutoff_date is not None:
        lines.append(f"cutoff_date = {cohort.cutoff_date.isoformat()}\n")
    if lines:
        settings.write_text("".join(lines), encoding="utf-8")
    elif settings.exists():
        settings.unlink()


def _with_detail(
    file: str, row: dict[str, Any], details: dict[tuple[str, tuple[Any, ...]], dict[str, Any]]
) -> dict[str, Any]:
    """A version 1 object's row with its version 2 detail record's cells (version 2)."""
    if not details:
        return row
    pid = row["patient_id"]
    if file == "treatments.csv":
        found = details.get(("course_detail", (pid, row["drug"], row["start_date"])))
    elif file == "events.csv":
        found = details.get(("event_detail", (pid, row["date"], row["event"], row["detail"])))
    elif file == "patients.csv":
        found = details.get(("patient_background", (pid,)))
    else:
        found = None
    return row if found is None else {**row, **found}


def _write(
    file: Path,
    columns: Sequence[cols.Column],
    rows: Sequence[tuple[dict[str, Any], Mapping[str, str]]],
) -> None:
    """One CSV file: the format's columns, then every `x_` column any row carries."""
    extra_names: dict[str, None] = {}
    for _, extra in rows:
        for name in extra:
            extra_names.setdefault(name, None)
    names = [c.name for c in columns] + list(extra_names)
    with file.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        # Python's csv quotes a cell holding a line break only if the break is in the line
        # terminator, so a lone CR would split the row: such rows are written fully quoted.
        quoted = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_ALL)
        writer.writerow(names)
        for row, extra in rows:
            cells = [csv_cell(row.get(n, extra.get(n))) for n in names]
            (quoted if any("\r" in c for c in cells) else writer).writerow(cells)


def _patient(p: Patient) -> dict[str, Any]:
    return {
        "patient_id": p.patient_id,
        "sex": p.sex,
        "birth_date": p.birth_date,
        "onset_date": p.onset_date,
        "diagnosis_date": p.diagnosis_date,
        "diagnosis": p.diagnosis,
        "bohan_peter": p.bohan_peter,
        "antibodies": p.antibodies,
        "refractory": p.refractory,
        "features": p.features,
        "site": p.site,
    }


def _visit(v: Visit) -> dict[str, Any]:
    row: dict[str, Any] = {
        "patient_id": v.patient_id,
        "date": v.date,
        "rash": v.rash,
        "weakness": v.weakness,
    }
    for m in VISIT_MEASURES:
        row[m] = getattr(v, m)
    return row


def _lab(r: LabResult) -> dict[str, Any]:
    row: dict[str, Any] = {
        "patient_id": r.patient_id,
        "date": r.date,
        "analyte": r.analyte,
        "result": r.result,
    }
    if r.reported is not None:
        row.update(
            value=r.reported.value,
            unit=r.reported.unit,
            ref_low=r.reported.ref_low,
            ref_high=r.reported.ref_high,
        )
    else:
        row.update(value=r.value, unit=r.unit, ref_low=r.ref_low, ref_high=r.ref_high)
    return row


def _course(c: DrugCourse) -> dict[str, Any]:
    return {
        "patient_id": c.patient_id,
        "drug": c.drug,
        "dose": c.dose,
        "dose_unit": c.dose_unit,
        "frequency": c.frequency,
        "route": c.route,
        "start_date": c.start_date,
        "end_date": c.end_date,
        "stop_reason": c.stop_reason,
    }


def _event(e: Event) -> dict[str, Any]:
    return {
        "patient_id": e.patient_id,
        "date": e.date,
        "event": e.event,
        "detail": e.detail,
        "grade": e.grade,
    }


# Each folder file's row of one domain object, as `write_folder` writes it (lab results as
# reported); the exchange formats (REDCap) write the same rows.
ROWS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "patients.csv": _patient,
    "visits.csv": _visit,
    "labs.csv": _lab,
    "treatments.csv": _course,
    "events.csv": _event,
}
