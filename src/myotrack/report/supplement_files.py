"""The per-patient supplement as files: CSV and XLSX (openpyxl), and as the column
groups of the PDF appendix. The table itself is `myotrack.analysis.supplement`.

CSV text cells go through the one spreadsheet-safety rule of the project
(`myotrack.cohort.spreadsheet_safety.escape_row`), so no cell can be read as a formula;
numbers are written as numbers. In XLSX every text cell is stored as text (never as a
formula), so the same rule holds without an escape character.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any, Literal

from myotrack.analysis import format_number, round_half_away
from myotrack.analysis.supplement import Cell, Column, Supplement
from myotrack.cohort import escape_row

SupplementFormat = Literal["csv", "xlsx"]
SUPPLEMENT_FORMATS: tuple[SupplementFormat, ...] = ("csv", "xlsx")

# The PDF appendix prints the table in three parts (an A4 landscape page each), every
# part starting with the patient's number.
APPENDIX_PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Patients and treatment",
        (
            "sex",
            "age_at_start_years",
            "disease_duration_months",
            "antibodies",
            "refractory",
            "drug",
            "starting_dose",
            "highest_dose",
            "weight_band",
            "jaki_exposure_months",
            "follow_up_months",
        ),
    ),
    (
        "Baseline and final values",
        (
            "rash_baseline",
            "weakness_baseline",
            "catbm_activity_baseline",
            "catbm_activity_final",
            "cmas_baseline",
            "cmas_final",
            "LDH_baseline",
            "LDH_final",
            "CK_baseline",
            "CK_final",
        ),
    ),
    (
        "Weeks from the JAK-inhibitor start to the first event",
        (
            "weeks_to_rash_improving",
            "weeks_to_rash_marked",
            "weeks_to_rash_resolved",
            "weeks_to_gc_stopped",
            "weeks_to_relapse",
            "weeks_to_infection",
            "weeks_to_thromboembolism",
            "weeks_to_adverse_event",
            "weeks_to_death",
            "weeks_to_lost_to_follow_up",
        ),
    ),
)


def cell_text(column: Column, value: Cell) -> str:
    """A cell as printed: empty when not recorded; times with one decimal; recorded
    values as recorded (no trailing .0)."""
    if value is None:
        return ""
    if column.kind == "time" and isinstance(value, float | int):
        return format_number(float(value), 1)
    if isinstance(value, float):  # whole values without ".0", others as the shortest repr
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _csv_value(column: Column, value: Cell) -> object:
    """Text as text (escaped by the safety rule), numbers as numbers (never escaped, so a
    numeric column stays numeric): times as their 1-decimal Decimal, whole values as int."""
    if value is None:
        return ""
    if column.kind == "text" or isinstance(value, str):
        return str(value)
    if column.kind == "time":
        return round_half_away(float(value), 1)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def supplement_csv(table: Supplement) -> bytes:
    """UTF-8 CSV with a header row of the human column names (CRLF line ends, RFC 4180)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(escape_row([c.header for c in table.columns]))
    for row in table.rows:
        # the one call of the project's spreadsheet-safety rule for the supplement's cells
        writer.writerow(
            escape_row([_csv_value(c, v) for c, v in zip(table.columns, row, strict=True)])
        )
    return buffer.getvalue().encode("utf-8")


def write_sheet(sheet: Any, rows: Sequence[Sequence[object]], *, bold_first: bool = True) -> None:
    """Rows into an openpyxl worksheet; text stays text (a leading '=' is not a formula)."""
    from openpyxl.styles import Font

    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # openpyxl would store '=...' as a formula
            if r == 1 and bold_first:
                cell.font = Font(bold=True)


def supplement_sheet(workbook: Any, table: Supplement, title: str = "Supplement") -> None:
    sheet = workbook.create_sheet(title)
    rows: list[list[object]] = [[c.header for c in table.columns]]
    for row in table.rows:
        rows.append([v for v in row])
    write_sheet(sheet, rows)
    for c, column in enumerate(table.columns, start=1):
        if column.kind == "time":
            for r in range(2, len(rows) + 1):
                sheet.cell(row=r, column=c).number_format = "0.0"
    sheet.freeze_panes = "B2"
    notes = workbook.create_sheet(f"{title} notes")
    write_sheet(notes, [["Notes"], *([n] for n in table.notes)])


def supplement_xlsx(table: Supplement) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    supplement_sheet(workbook, table)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def supplement_parts(table: Supplement) -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, headers, printed rows) of each part of the PDF appendix."""
    index = {c.key: i for i, c in enumerate(table.columns)}
    parts = []
    for title, keys in APPENDIX_PARTS:
        cols = [index["patient"], *(index[k] for k in keys)]
        headers = [table.columns[i].header for i in cols]
        rows = [[cell_text(table.columns[i], row[i]) for i in cols] for row in table.rows]
        parts.append((title, headers, rows))
    return parts
