"""Reading and writing cohorts at the edges: the cohort folder format (CSV), synthetic
cohorts, and the bundled demo cohort.

Other packages import from here. `columns` (the one field table: every column's type,
vocabulary, range and unit) is a public module, read as a table (`columns.COLUMNS`);
the record checks (`check_patient`, `check_visit`, ...) are the ones every entry path
calls; every other module is private."""

from importlib.resources import files
from pathlib import Path

from myotrack.cohort import columns
from myotrack.cohort.cells import (
    PATIENT_ID,
    CellError,
    cell_parser,
    parse_date,
    parse_number,
    range_text,
    value_checker,
)
from myotrack.cohort.columns_v2 import FILES_V2, RECORD_KINDS, RecordKind, record_key
from myotrack.cohort.deidentify import TIERS, Tier, apply_tier, apply_tier_to_record, pseudonym
from myotrack.cohort.reader import cohort_from_rows, lab_result, read_folder
from myotrack.cohort.record_checks import (
    CONFIRM_COLUMN,
    CONFIRMED,
    Context,
    Problem,
    check_course,
    check_event,
    check_jak_start,
    check_lab,
    check_patient,
    check_record,
    check_totals,
    check_visit,
)
from myotrack.cohort.spreadsheet_safety import escape_row
from myotrack.cohort.stream import (
    FolderChangedError,
    FolderScan,
    count_records,
    folder_cutoff_date,
    scan_folder,
    streamable,
)
from myotrack.cohort.synth import synthesize
from myotrack.cohort.table import Row
from myotrack.cohort.whole import whole_records
from myotrack.cohort.writer import ROWS, cell, csv_cell, write_folder

# The bundled, fictional demo cohort (see its README.md).
DEMO_FOLDER = Path(str(files("myotrack") / "data" / "demo"))

__all__ = [
    "CONFIRMED",
    "CONFIRM_COLUMN",
    "DEMO_FOLDER",
    "FILES_V2",
    "PATIENT_ID",
    "RECORD_KINDS",
    "ROWS",
    "TIERS",
    "CellError",
    "Context",
    "FolderChangedError",
    "FolderScan",
    "Problem",
    "RecordKind",
    "Row",
    "Tier",
    "apply_tier",
    "apply_tier_to_record",
    "cell",
    "cell_parser",
    "check_course",
    "check_event",
    "check_jak_start",
    "check_lab",
    "check_patient",
    "check_record",
    "check_totals",
    "check_visit",
    "cohort_from_rows",
    "columns",
    "count_records",
    "csv_cell",
    "escape_row",
    "folder_cutoff_date",
    "lab_result",
    "parse_date",
    "parse_number",
    "pseudonym",
    "range_text",
    "read_folder",
    "record_key",
    "scan_folder",
    "streamable",
    "synthesize",
    "value_checker",
    "whole_records",
    "write_folder",
]
