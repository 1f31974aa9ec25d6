"""REDCap: the myotrack project as a REDCap data dictionary, and a Cohort as REDCap
records (flat CSV with repeating instruments) and back (docs/exchange.md, REDCap).

    from myotrack.exchange.redcap import dictionary_csv, records_csv, read_records
    text = dictionary_csv()                     # upload in REDCap: creates the forms
    records = records_csv(cohort)               # Data Import Tool / API import
    cohort, issues = read_records(records, today=date.today())   # all or nothing

Modules: `project` (the project: `fields` its shape, `core_forms` the folder files,
`instrument_forms` the item-level instruments; from the field table, labels and instrument
definitions), `dictionary` (the 18-column CSV), `lint` (REDCap's structural rules of a
dictionary), `records` (export), `records_import` (import through the folder's
validation), `layout` (file names, recognising a source), `api` (PyCap, optional extra
`myotrack[redcap]`), `files` (an export's files; reading a source). Pure except `api`.
The conversion modules load on first use (CLI start-up stays light).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from myotrack.exchange.redcap.layout import LAYOUTS, RECORDS_FILE, looks_like_redcap

if TYPE_CHECKING:
    from myotrack.exchange.redcap.api import (
        RedcapApiError,
        connect,
        design_project,
        pull_records,
        push_records,
    )
    from myotrack.exchange.redcap.dictionary import HEADER, dictionary_csv, repeating_forms_csv
    from myotrack.exchange.redcap.fields import Project, dag_name, redcap_code
    from myotrack.exchange.redcap.files import export_files, read_files
    from myotrack.exchange.redcap.lint import lint_dictionary
    from myotrack.exchange.redcap.project import build_project
    from myotrack.exchange.redcap.records import (
        RedcapExportError,
        extra_columns,
        project_for,
        records_csv,
    )
    from myotrack.exchange.redcap.records_import import read_records

_LAZY = {
    "RedcapApiError": "api",
    "connect": "api",
    "design_project": "api",
    "pull_records": "api",
    "push_records": "api",
    "HEADER": "dictionary",
    "dictionary_csv": "dictionary",
    "repeating_forms_csv": "dictionary",
    "Project": "fields",
    "dag_name": "fields",
    "redcap_code": "fields",
    "export_files": "files",
    "read_files": "files",
    "lint_dictionary": "lint",
    "build_project": "project",
    "RedcapExportError": "records",
    "extra_columns": "records",
    "project_for": "records",
    "records_csv": "records",
    "read_records": "records_import",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


__all__ = [
    "HEADER",
    "LAYOUTS",
    "RECORDS_FILE",
    "Project",
    "RedcapApiError",
    "RedcapExportError",
    "build_project",
    "connect",
    "dag_name",
    "design_project",
    "dictionary_csv",
    "export_files",
    "extra_columns",
    "lint_dictionary",
    "looks_like_redcap",
    "project_for",
    "pull_records",
    "push_records",
    "read_files",
    "read_records",
    "records_csv",
    "redcap_code",
    "repeating_forms_csv",
]
