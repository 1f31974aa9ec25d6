"""The REDCap API through PyCap (optional: `pip install 'myotrack[redcap]'`, PyCap 2.7).

The edge for a centre whose REDCap project was created from `myotrack redcap
dictionary`: push the project design and the records of a cohort, pull the records back
into a Cohort through the same import as a file (`records_import.read_records`). No
REDCap server runs where myotrack is tested: the tests replay API responses written from
PyCap's documented request and response shapes (tests/data/redcap_api/).

* `design_project` uploads the data dictionary and the repeating-instruments settings.
  REDCap replaces the whole design with it, so use it for a new project in development.
* `push_records` imports the flat records (CSV, raw codes; REDCap's `overwriteBehavior`
  `normal` by default: blank cells keep what REDCap holds, `overwrite` erases it).
* `pull_records` exports the records as raw CSV with the data access groups, and
  `pull_cohort` reads them.

The API token is a password: give it from the environment, never on a command line.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from myotrack.domain import Cohort, ValidationIssue
from myotrack.exchange.redcap.dictionary import dictionary_csv, repeating_forms_csv
from myotrack.exchange.redcap.records import extra_columns, project_for, records_csv
from myotrack.exchange.redcap.records_import import read_records

if TYPE_CHECKING:
    from redcap.project import Project


class RedcapApiError(RuntimeError):
    """The REDCap API refused a request, or PyCap is not installed; `message` in words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def connect(url: str, token: str) -> Project:
    """A PyCap project for the API at `url` (e.g. https://redcap.example.org/api/)."""
    try:
        from redcap.project import Project
    except ImportError:
        raise RedcapApiError("the REDCap API needs PyCap: pip install 'myotrack[redcap]'") from None
    try:
        return Project(url, token)
    except (AssertionError, ValueError) as err:
        raise RedcapApiError(f"cannot use this REDCap API address or token: {err}") from None


def _call(what: str, call: Any, **kwargs: Any) -> Any:
    from redcap.request import RedcapError
    from requests import RequestException

    try:
        return call(**kwargs)
    except RedcapError as err:
        raise RedcapApiError(f"REDCap refused to {what}: {err}") from None
    except RequestException as err:
        raise RedcapApiError(f"REDCap could not be reached to {what}: {err}") from None


def design_project(project: Project, cohort: Cohort | None = None) -> int:
    """Upload the data dictionary (with the `x_` columns of `cohort`) and mark the
    repeating forms; returns the number of fields REDCap took."""
    extra = extra_columns(cohort) if cohort is not None else None
    fields = _call(
        "take the data dictionary",
        project.import_metadata,
        to_import=dictionary_csv(extra),
        import_format="csv",
    )
    _call(
        "take the repeating instruments",
        project.import_repeating_instruments_events,
        to_import=repeating_forms_csv(project_for(cohort) if cohort is not None else None),
        import_format="csv",
    )
    return int(fields)


def push_records(
    project: Project,
    cohort: Cohort,
    *,
    overwrite: Literal["normal", "overwrite"] = "normal",
) -> int:
    """Import `cohort` (already in its tier) as records; returns how many records REDCap
    says it imported."""
    answer = _call(
        "import the records",
        project.import_records,
        to_import=records_csv(cohort),
        import_format="csv",
        return_content="count",
        overwrite=overwrite,
    )
    return int(answer["count"]) if isinstance(answer, dict) else int(answer)


def pull_records(project: Project) -> str:
    """The project's records as a flat CSV (raw codes, variable names, groups)."""
    text = _call(
        "export the records",
        project.export_records,
        format_type="csv",
        raw_or_label="raw",
        raw_or_label_headers="raw",
        export_data_access_groups=True,
    )
    return str(text)


def pull_cohort(
    project: Project,
    *,
    today: date,
    cutoff_date: date | None = None,
    accept_implausible: bool = False,
    warnings: list[ValidationIssue] | None = None,
) -> tuple[Cohort | None, list[ValidationIssue]]:
    """The project's records as a Cohort, or None and every problem (as from a file)."""
    return read_records(
        pull_records(project),
        today=today,
        cutoff_date=cutoff_date,
        accept_implausible=accept_implausible,
        warnings=warnings,
        file="REDCap API records",
    )
