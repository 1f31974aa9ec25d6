"""The files of a REDCap export and how a REDCap source is recognised (light: the CLI
reads this at start-up).

An export is three CSV files for the centre's data manager — the data dictionary
(upload first: it creates the forms), the repeating-instruments settings and the
records (Data Import Tool, or the API) — plus `cohort.toml` with the cohort's cut-off
when it has one (REDCap has no place for it). An import reads the records file: the one
whose header starts with the record id and REDCap's repeat columns (or a file REDCap
named `<project>_DATA_<date>.csv`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

LAYOUTS: Final = ("csv",)
DICTIONARY_FILE: Final = "redcap_dictionary.csv"
REPEATING_FILE: Final = "redcap_repeating_instruments.csv"
RECORDS_FILE: Final = "redcap_records.csv"
SETTINGS_FILE: Final = "cohort.toml"
_REDCAP_EXPORT_MARK: Final = "_data_"  # REDCap names exports <project>_DATA_<date>.csv


def is_records_name(name: str) -> bool:
    lower = name.lower()
    return lower.endswith(".csv") and (lower == RECORDS_FILE or _REDCAP_EXPORT_MARK in lower)


def looks_like_redcap(names: tuple[str, ...], _sample: Mapping[str, str]) -> bool:
    """Whether files are a REDCap export: our records file, or one REDCap named."""
    return "patients.csv" not in names and any(is_records_name(n) for n in names)


def records_text(texts: Mapping[str, str]) -> tuple[str, str] | None:
    """(name, text) of the records file among a source's CSV texts: by name, else the
    one CSV whose header has REDCap's repeat columns."""
    for name, text in texts.items():
        if is_records_name(name):
            return name, text
    for name, text in texts.items():
        first = text.split("\n", 1)[0]
        if "redcap_repeat_instrument" in first or "Repeat Instrument" in first:
            return name, text
    return None
