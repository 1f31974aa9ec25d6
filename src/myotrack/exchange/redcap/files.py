"""The files of a REDCap export of a cohort, and a REDCap source read back (the two
functions of the `redcap` row of `exchange.formats`)."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from datetime import date

from myotrack.cohort.columns import SETTINGS_FILE
from myotrack.domain import Cohort, ValidationIssue
from myotrack.exchange.redcap.dictionary import dictionary_csv, repeating_forms_csv
from myotrack.exchange.redcap.layout import (
    DICTIONARY_FILE,
    LAYOUTS,
    RECORDS_FILE,
    REPEATING_FILE,
    records_text,
)
from myotrack.exchange.redcap.records import extra_columns, project_for, records_csv
from myotrack.exchange.redcap.records_import import read_records


def export_files(cohort: Cohort, layout: str = "csv") -> Iterator[tuple[str, str]]:
    """The files of a REDCap export of `cohort` (already in its tier): the dictionary of
    its project, the repeating-instruments settings, the records, and `cohort.toml`
    with the cut-off when there is one."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown REDCap layout {layout!r}; use {', '.join(LAYOUTS)}")
    project = project_for(cohort)
    yield DICTIONARY_FILE, dictionary_csv(extra_columns(cohort))
    yield REPEATING_FILE, repeating_forms_csv(project)
    yield RECORDS_FILE, records_csv(cohort, project)
    if cohort.cutoff_date is not None:
        yield SETTINGS_FILE, f"cutoff_date = {cohort.cutoff_date.isoformat()}\n"


def read_files(
    texts: Mapping[str, str],
    *,
    today: date,
    accept_implausible: bool = False,
    warnings: list[ValidationIssue] | None = None,
) -> tuple[Cohort | None, list[ValidationIssue]]:
    """The Cohort of a REDCap source (its records file, and `cohort.toml` if present),
    or None and every problem."""
    found = records_text(texts)
    if found is None:
        return None, [
            ValidationIssue(
                RECORDS_FILE,
                None,
                None,
                "missing_file",
                "no REDCap records file: export the records as 'CSV (raw data)' and give "
                f"that file (or name it {RECORDS_FILE})",
            )
        ]
    issues: list[ValidationIssue] = []
    cutoff = _cutoff(texts.get(SETTINGS_FILE), issues)
    name, text = found
    cohort, problems = read_records(
        text,
        today=today,
        cutoff_date=cutoff,
        accept_implausible=accept_implausible,
        warnings=warnings,
        file=name,
    )
    issues.extend(problems)
    return (None, issues) if issues else (cohort, issues)


def _cutoff(text: str | None, issues: list[ValidationIssue]) -> date | None:
    if text is None:
        return None
    try:
        value = tomllib.loads(text).get("cutoff_date")
    except tomllib.TOMLDecodeError as exc:
        issues.append(ValidationIssue(SETTINGS_FILE, None, None, "settings", str(exc)))
        return None
    if value is None or isinstance(value, date):
        return value
    issues.append(
        ValidationIssue(SETTINGS_FILE, None, "cutoff_date", "date", "use a date: YYYY-MM-DD")
    )
    return None
