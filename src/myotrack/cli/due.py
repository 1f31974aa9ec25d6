"""`myotrack due`: the clinic worklist — for every patient, what is due or overdue on a date,
most urgent first, each line with its rule and source (table, CSV or JSON)."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Annotated, Literal

import typer
from rich.table import Table
from rich.text import Text

from myotrack.cli.app import app
from myotrack.cli.common import DatabaseOption, console, fail, open_registry
from myotrack.cohort import escape_row

Format = Literal["table", "csv", "json"]
_STATE_STYLE = {"overdue": "bold red", "blocks": "red", "due": "yellow", "cannot_assess": "yellow"}
CSV_COLUMNS = (
    "patient_id",
    "site",
    "state",
    "kind",
    "what",
    "due_date",
    "days_overdue",
    "rule",
    "source",
    "detail",
)


@app.command()
def due(
    on: Annotated[
        str | None,
        typer.Option("--date", help="The worklist date, YYYY-MM-DD (default: today)"),
    ] = None,
    site: Annotated[
        list[str] | None,
        typer.Option("--site", help="Only patients of this site (repeat for several)"),
    ] = None,
    output_format: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table",
    database: DatabaseOption = None,
) -> None:
    """The clinic worklist: monitoring labs, screening before a planned start, overdue
    visits, glucocorticoids past the stated time and open checks, most urgent first."""
    from myotrack import registry
    from myotrack.therapy import STATE_WORDS, worklist

    if output_format not in ("table", "csv", "json"):
        fail(f"--format {output_format!r} is not one of table, csv, json.", 2)
    if on is None:
        day = date.today()
    else:
        try:
            day = date.fromisoformat(on)
        except ValueError:
            fail(f"--date {on!r} is not a date; write it as YYYY-MM-DD, e.g. 2024-05-31.", 2)
    engine = open_registry(database, create=False)
    with registry.transaction(engine) as session:
        if site:
            known = {p.site for p in registry.list_patients(session)}
            unknown = [s for s in site if s not in known]
            if unknown:
                sites_text = ", ".join(sorted(s for s in known if s)) or "(none)"
                fail(f"no patient of site {', '.join(unknown)!s}; sites: {sites_text}.")
        cohort = registry.load_cohort(session, sites=site or None)
    result = worklist(cohort.records().values(), day)
    if output_format == "json":
        typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return
    if output_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for line in result.lines:
            row = line.to_dict(day)
            # text cells that start like a formula are escaped (cohort.spreadsheet_safety)
            writer.writerow(escape_row(["" if row[c] is None else row[c] for c in CSV_COLUMNS]))
        typer.echo(buffer.getvalue(), nl=False)
        return
    where = f" at {', '.join(site)}" if site else ""
    console.print(
        Text(
            f"Worklist on {day}{where}: {len(result.lines)} items for {result.patients} patients",
            style="bold",
        )
    )
    if not result.lines:
        console.print("Nothing is due or overdue.")
    else:
        table = Table(box=None, pad_edge=False)
        for column in ("patient", "site", "state", "what", "due", "rule", "source"):
            table.add_column(column)
        for line in result.lines:
            due_text = "-" if line.due_date is None else line.due_date.isoformat()
            if line.state == "overdue" and line.days_overdue(day):
                due_text += f" ({line.days_overdue(day)} d)"
            table.add_row(
                line.patient_id,
                line.site or "-",
                Text(STATE_WORDS[line.state], style=_STATE_STYLE[line.state]),
                line.what,
                due_text,
                Text(line.rule),
                Text(line.source, style="dim"),
            )
        console.print(table)
    for assumption in result.assumptions:
        console.print(Text(f"assumption: {assumption}", style="dim"))
