"""`myotrack omop`: check an OMOP CDM 5.4 export (the CDM's field checks, generated from
OHDSI's specification), and write the CDM's DDL for SQLite or PostgreSQL. The export
itself is `myotrack export OUT --format omop` (docs/exchange.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from myotrack.cli.app import app
from myotrack.cli.common import console, fail, print_issues

omop_app = typer.Typer(
    help="OMOP CDM 5.4: check an export, write the DDL.",
    no_args_is_help=True,
)
app.add_typer(omop_app, name="omop")


@omop_app.command()
def check(
    folder: Annotated[Path, typer.Argument(help="A folder of OMOP CDM 5.4 CSV files")],
) -> None:
    """Check an OMOP export: columns, required fields, datatypes, primary and foreign
    keys, concept domains, and plausible dates (inside an observation period, after
    birth, starts before ends)."""
    from myotrack.exchange.omop import check_files

    if not folder.is_dir():
        fail(f"{folder} is not a folder of OMOP CSV files.")
    texts: dict[str, str] = {}
    for path in sorted(folder.glob("*.csv")):
        try:
            texts[path.name] = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            fail(f"{path.name} is not UTF-8.")
    problems = check_files(texts)
    if problems:
        count = print_issues(problems)
        fail(f"{count} problems in the OMOP export in {folder}.")
    rows = sum(text.count("\n") - 1 for text in texts.values())
    console.print(
        f"{folder}: {len(texts)} tables, {rows} rows; every OMOP CDM 5.4 field check passed."
    )


@omop_app.command()
def ddl(
    out: Annotated[Path, typer.Argument(help="The SQL file to write")],
    dialect: Annotated[str, typer.Option(help="sqlite or postgresql")] = "postgresql",
) -> None:
    """Write the DDL of every OMOP CDM 5.4 table (PostgreSQL: foreign keys at the end,
    to run after loading)."""
    from myotrack.exchange.omop import DIALECTS, ddl_script

    if dialect not in DIALECTS:
        fail(f"--dialect {dialect}: use sqlite or postgresql.")
    out.write_text(ddl_script(dialect), encoding="utf-8")
    console.print(f"Wrote the OMOP CDM 5.4 DDL for {dialect} to {out}.")
