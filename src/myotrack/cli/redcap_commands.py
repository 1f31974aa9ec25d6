"""`myotrack redcap`: the REDCap project of myotrack as a data dictionary, and the check of
a dictionary against REDCap's rules. Records travel with `myotrack export --format
redcap` and `myotrack import --format redcap` (docs/exchange.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from myotrack.cli.app import app
from myotrack.cli.common import console, fail, print_issues

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
