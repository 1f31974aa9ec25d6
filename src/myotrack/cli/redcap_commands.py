"""`myotrack redcap`: the REDCap project of myotrack as a data dictionary, the check of a
dictionary against REDCap's rules, and the API (push the registry's records, pull the
project's; PyCap, the optional extra myotrack[redcap]). Record files travel with
`myotrack export --format redcap` and `myotrack import` (docs/exchange.md)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer

from myotrack.cli.app import app
from myotrack.cli.common import (
    DatabaseOption,
    console,
    fail,
    open_registry,
    output_folder,
    print_issues,
)
from myotrack.cli.exchange_commands import TierOption

redcap_app = typer.Typer(
    help="REDCap: the data dictionary of the myotrack project, and its check.",
    no_args_is_help=True,
)
app.add_typer(redcap_app, name="redcap")


@redcap_app.command()
def dictionary(
    out: Annotated[Path, typer.Argument(help="The data dictionary CSV to write")],
    repeating: Annotated[
        Path | None,
        typer.Option(
            "--repeating",
            help="Also write the repeating-instruments settings (CSV for REDCap's upload)",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Write the data dictionary of the myotrack REDCap project: upload it in REDCap
    (Project Setup -> Data Dictionary), then make every form but 'patient' a repeating
    instrument."""
    from myotrack.exchange.redcap import dictionary_csv, lint_dictionary, repeating_forms_csv

    text = dictionary_csv()
    problems = lint_dictionary(text)
    if problems:  # never hand out a dictionary REDCap would refuse
        print_issues(problems)
        fail("the generated dictionary breaks REDCap's rules (a bug: please report it).")
    if out.is_dir():
        fail(f"{out} is a folder; give the name of the CSV file to write.")
    out.write_text(text, encoding="utf-8")
    fields = text.count("\n") - 1
    console.print(f"Wrote the REDCap data dictionary to {out} ({fields} fields).")
    if repeating is not None:
        repeating.write_text(repeating_forms_csv(), encoding="utf-8")
        console.print(f"Wrote the repeating-instruments settings to {repeating}.")


@redcap_app.command()
def check(
    file: Annotated[Path, typer.Argument(help="A REDCap data dictionary CSV")],
) -> None:
    """Check a data dictionary against REDCap's structural rules (names, forms together,
    choices, validation types, calculations and branching logic referring to fields)."""
    from myotrack.exchange.redcap import lint_dictionary

    try:
        text = file.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        fail(f"cannot read {file}: {exc.strerror}")
    except UnicodeDecodeError:
        fail(f"{file} is not UTF-8; save it as 'CSV UTF-8'.")
    problems = lint_dictionary(text)
    if problems:
        count = print_issues(problems)
        fail(f"{count} problems in {file}.")
    console.print(f"{file}: meets REDCap's rules for a data dictionary.")


def _project() -> Any:
    """The REDCap project of MYOTRACK_REDCAP_URL and MYOTRACK_REDCAP_TOKEN (a token is a
    password: never on the command line)."""
    from myotrack.exchange.redcap import RedcapApiError, connect

    url = os.environ.get("MYOTRACK_REDCAP_URL", "")
    token = os.environ.get("MYOTRACK_REDCAP_TOKEN", "")
    if not url or not token:
        fail(
            "set MYOTRACK_REDCAP_URL (e.g. https://redcap.example.org/api/) and "
            "MYOTRACK_REDCAP_TOKEN (the project's API token) first."
        )
    try:
        return connect(url, token)
    except RedcapApiError as err:
        fail(err.message)


@redcap_app.command()
def push(
    database: DatabaseOption = None,
    tier: TierOption = None,
    design: Annotated[
        bool,
        typer.Option(
            "--design",
            help="First upload the data dictionary and the repeating forms (REDCap replaces "
            "the project's design: for a new project in development only)",
        ),
    ] = False,
    overwrite: Annotated[
        bool,
        typer.Option(
            "--overwrite", help="Blank cells erase what REDCap holds (default: they keep it)"
        ),
    ] = False,
) -> None:
    """Send the registry's records to the REDCap project (API, PyCap: the optional extra
    myotrack[redcap]) at a de-identification tier."""
    from myotrack import registry
    from myotrack.cli.exchange_commands import chosen_tier
    from myotrack.cohort import Tier, apply_tier
    from myotrack.exchange.redcap import RedcapApiError, design_project, push_records

    project = _project()
    chosen = chosen_tier(tier, False)
    engine = open_registry(database, create=False)
    with registry.transaction(engine) as session:
        cohort = registry.load_cohort(session)
    if chosen is not Tier.IDENTIFIED:
        with registry.transaction(engine, write=True) as session:
            cohort = apply_tier(cohort, chosen, key=registry.research_key(session))
    try:
        if design:
            fields = design_project(project, cohort)
            console.print(f"REDCap took the data dictionary ({fields} fields).")
        count = push_records(project, cohort, overwrite="overwrite" if overwrite else "normal")
    except RedcapApiError as err:
        fail(err.message)
    console.print(f"REDCap imported {count} records ({chosen} tier).")


@redcap_app.command()
def pull(
    folder: Annotated[Path, typer.Argument(help="Folder to write redcap_records.csv into")],
) -> None:
    """Fetch the REDCap project's records (API) as redcap_records.csv, checked like an
    import; then `myotrack import FOLDER` stores them."""
    from datetime import date

    from myotrack.exchange.redcap import RECORDS_FILE, RedcapApiError, pull_records, read_records

    project = _project()
    try:
        text = pull_records(project)
    except RedcapApiError as err:
        fail(err.message)
    output_folder(folder).mkdir(parents=True, exist_ok=True)
    (folder / RECORDS_FILE).write_text(text, encoding="utf-8")
    cohort, problems = read_records(text, today=date.today())
    if cohort is None:
        count = print_issues(problems)
        fail(f"wrote {folder / RECORDS_FILE}; it has {count} problems an import would refuse.")
    console.print(
        f"Wrote {folder / RECORDS_FILE} ({len(cohort.patients)} records); "
        f"store them with: myotrack import {folder}"
    )
