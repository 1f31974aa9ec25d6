"""Commands that show what the registry holds: patients, timeline."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from myotrack.cli.app import app
from myotrack.cli.common import DatabaseOption, console, fail, open_registry
from myotrack.cli.timeline_text import dose_text, timeline_lines


@app.command()
def patients(
    database: DatabaseOption = None,
    site: Annotated[list[str] | None, typer.Option(help="Only this site (repeatable)")] = None,
) -> None:
    """List the registry's patients with diagnosis, antibodies and JAK inhibitor."""
    from myotrack import registry

    engine = open_registry(database, create=False)
    with registry.transaction(engine) as session:
        cohort = registry.load_cohort(session, sites=site)
    today = date.today()
    table = Table(title=f"{len(cohort.patients)} patients")
    for column in (
        "patient",
        "sex",
        "age",
        "diagnosis",
        "antibodies",
        "JAK inhibitor",
        "index date",
        "last visit",
        "site",
    ):
        table.add_column(column)
    for pid, record in cohort.records().items():
        p = record.patient
        jak = record.jak_courses
        table.add_row(
            pid,
            p.sex,
            f"{p.age_years(today):.1f}",
            p.diagnosis,
            ";".join(p.antibodies),
            jak[0].drug if jak else "",
            str(record.index_date or ""),
            str(record.visits[-1].date) if record.visits else "",
            p.site or "",
        )
    console.print(table)


@app.command()
def timeline(
    patient_id: Annotated[str, typer.Argument(help="The patient's study pseudonym")],
    database: DatabaseOption = None,
) -> None:
    """Show one patient's course as a dated timeline: visits, labs, drugs, events."""
    from myotrack import registry

    engine = open_registry(database, create=False)
    with registry.transaction(engine) as session:
        record = registry.load_record(session, patient_id)
    if record is None:
        fail(f"no patient '{patient_id}' in the registry; `myotrack patients` lists them.")
    p = record.patient
    extra = f", antibodies {';'.join(p.antibodies)}" if p.antibodies else ""
    heading = f"{p.patient_id}: {p.sex}, born {p.birth_date}, {p.diagnosis}{extra}"
    if record.index_date:
        heading += f", JAK inhibitor from {record.index_date}"
    console.print(Text(heading, style="bold"))
    table = Table(show_header=True, box=None, pad_edge=False)
    table.add_column("date", no_wrap=True)
    table.add_column("")
    table.add_column("")
    for when, kind, text in timeline_lines(record):
        table.add_row(str(when), kind, Text(text))
    console.print(table)


@app.command()
def summary(database: DatabaseOption = None) -> None:
    """What the registry holds: counts, and the patients treated with a JAK inhibitor."""
    from myotrack import registry

    engine = open_registry(database, create=False)
    with registry.transaction(engine) as session:
        cohort = registry.load_cohort(session)
    console.print(
        f"The registry holds {len(cohort.patients)} patients, {len(cohort.visits)} visits, "
        f"{len(cohort.labs)} lab results, {len(cohort.courses)} drug courses and "
        f"{len(cohort.events)} events."
    )
    treated = [r for r in cohort.records().values() if r.index_date is not None]
    by_drug: dict[str, int] = {}
    for record in treated:
        first = min(record.jak_courses, key=lambda c: c.start_date)
        by_drug[first.drug] = by_drug.get(first.drug, 0) + 1
    drugs = ", ".join(f"{drug} {n}" for drug, n in sorted(by_drug.items()))
    noun = "patient" if len(treated) == 1 else "patients"
    console.print(f"{len(treated)} {noun} started a JAK inhibitor ({drugs or 'none'}).")
    if not treated:
        return
    table = Table(title="Patients on a JAK inhibitor", title_justify="left")
    for column in (
        "patient",
        "first JAK inhibitor",
        "starting dose",
        "index date",
        "weight at start",
        "latest course",
    ):
        table.add_column(column)
    for record in sorted(treated, key=lambda r: (r.index_date, r.patient.patient_id)):
        first = min(record.jak_courses, key=lambda c: c.start_date)
        latest = max(record.jak_courses, key=lambda c: c.start_date)
        weights = [
            v.weight_kg
            for v in record.visits
            if v.weight_kg is not None and v.date <= first.start_date
        ]
        now = f"{dose_text(latest)}" if latest.end_date is None else f"stopped {latest.end_date}"
        table.add_row(
            record.patient.patient_id,
            first.drug,
            dose_text(first).removeprefix(first.drug).strip(),
            str(first.start_date),
            f"{weights[-1]:g} kg" if weights else "",
            Text(now),
        )
    console.print(table)
