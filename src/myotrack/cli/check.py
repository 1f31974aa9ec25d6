"""`myotrack check PATIENT_ID`: the decision-support view of one registry patient on a date
(JAK-inhibitor dose against the suggestions, lab gating, screening, risk flags,
glucocorticoid exposure, inactive disease, response since the index date)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

import typer
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from myotrack.cli.app import app
from myotrack.cli.common import DatabaseOption, console, fail, open_registry

_VERDICT_STYLE = {
    "ok": "green",
    "done": "green",
    "missing": "yellow",
    "due": "yellow",
    "attention": "red",
    "reduce_dose": "red",
    "interrupt": "bold red",
    "do_not_start": "bold red",
    "discontinue": "bold red",
}


def _styled(word: str) -> Text:
    return Text(word, style=_VERDICT_STYLE.get(word, ""))


def _num(x: Any, digits: int = 2) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{round(x, digits):g}"
    return str(x)


def _print_dose(dose: dict[str, Any]) -> None:
    weight = (
        f"{_num(dose['weight_kg'])} kg (measured {dose['weight_date']})"
        if dose["weight_kg"] is not None
        else "no weight recorded"
    )
    console.print(Text(f"Weight {weight}; age {_num(dose['age_years'], 1)} years", style="dim"))
    course = dose["current_course"]
    if course is None:
        console.print("Not on a JAK inhibitor on this date. Suggested starting doses:")
    else:
        console.print(
            f"Current: {course['drug']} {_num(course['dose'])} {course['dose_unit'] or ''} "
            f"{course['frequency'] or ''} since {course['start_date']} "
            f"({_num(course['daily_mg'])} mg/day)"
        )
    table = Table(box=None, pad_edge=False)
    for column in ("drug", "suggestion", "vs current", "source", ""):
        table.add_column(column)
    for s in dose["suggestions"]:
        table.add_row(
            s["drug"],
            s["text"],
            s.get("current_vs_suggestion", "-"),
            Text(s["source"]),
            Text("off-label", style="yellow") if s["off_label"] else Text(""),
        )
    console.print(table)
    for note in dose["notes"]:
        console.print(Text(f"note: {note}", style="yellow"))


def _print_gating(rows: list[dict[str, Any]], blocks: bool) -> None:
    table = Table(box=None, pad_edge=False)
    for column in ("drug", "label", "analyte", "latest", "date", "threshold", "verdict", "rule"):
        table.add_column(column)
    for g in rows:
        latest = "-" if g["value"] is None else f"{_num(g['value'])} {g['unit']}"
        when = (g["date"] or "-") + (" (old)" if g["stale"] else "")
        table.add_row(
            g["drug"],
            g["label"],
            g["analyte"],
            latest,
            when,
            g["threshold"],
            _styled(g["verdict"]),
            Text(g["rule"]),
        )
    console.print(table)
    if blocks:
        console.print(Text("A label rule says: do not start a JAK inhibitor.", style="bold red"))


def _print_screening(rows: list[dict[str, Any]]) -> None:
    table = Table(box=None, pad_edge=False)
    for column in ("item", "status", "latest", "date", "why"):
        table.add_column(column)
    for s in rows:
        table.add_row(
            s["item"],
            _styled(s["status"]),
            s["latest_result"] or "-",
            s["latest_date"] or "-",
            Text(s["why"]),
        )
    console.print(table)


def _print_flags(rows: list[dict[str, Any]]) -> None:
    if not rows:
        console.print("No risk flags from the data.")
    for f in rows:
        console.print(
            Text.assemble(("• " + f["flag"], "bold"), f": {f['why']} ", (f"[{f['source']}]", "dim"))
        )


def _print_gc(gc: dict[str, Any]) -> None:
    lines = [
        f"Current daily dose: {_num(gc['current_daily_mg'])} mg prednisolone equivalent "
        f"({_num(gc['current_daily_mg_per_kg'], 3)} mg/kg)",
        (
            f"Cumulative since the index date {gc['since_index_from']}: "
            f"{_num(gc['cumulative_since_index_mg_per_kg'], 1)} mg/kg"
            if gc.get("since_index_from")
            else "Cumulative since the index date: no index date (no JAK-inhibitor course)"
        ),
        f"Cumulative in the last 365 days: {_num(gc['cumulative_last_365_days_mg_per_kg'], 1)} "
        "mg/kg",
    ]
    if gc["stopped_on"]:
        lines.append(f"Glucocorticoids stopped on {gc['stopped_on']}")
    for line in lines:
        console.print(line)
    if gc.get("courses"):
        table = Table(box=None, pad_edge=False)
        for column in ("course", "from", "to", "pred-eq mg/day at start", "mg/kg so far"):
            table.add_column(column)
        for c in gc["courses"]:
            dose = f"{c['drug']} {_num(c['dose'])} {c['dose_unit'] or ''} {c['frequency'] or ''}"
            table.add_row(
                dose,
                c["start_date"],
                c["end_date"] or "running",
                _num(c["prednisolone_equivalent_daily_mg_at_start"], 1),
                _num(c["cumulative_mg_per_kg"], 1),
            )
        console.print(table)
    for p in gc["problems"]:
        console.print(Text(f"cannot compute: {p}", style="yellow"))


def _print_cid(cid: dict[str, Any]) -> None:
    if cid.get("status") == "no_visit":
        console.print(cid["why"])
        return
    crit = ", ".join(
        f"{k} {'met' if v else ('missing' if v is None else 'not met')}"
        for k, v in cid["criteria"].items()
    )
    console.print(
        Text.assemble(
            f"Visit {cid['visit_date']}: PRINTO CID ",
            _styled(cid["printo_cid"]),
            f" ({cid['criteria_met']} of 4 met: {crit}); skin-aware P-CID ",
            _styled(cid["p_cid_almeida"]),
        )
    )


def _print_response(resp: dict[str, Any]) -> None:
    if resp["status"] != "computed":
        console.print(f"Not available: {resp['why']}")
        return
    console.print(
        f"Total Improvement Score {resp['tis']:g} since {resp['index_date']}: "
        f"JDM {resp['jdm_category']} (adult thresholds: {resp['adult_category']}); "
        f"percent change mode '{resp['change_mode']}'"
    )


@app.command()
def check(
    patient_id: Annotated[str, typer.Argument(help="The patient's study pseudonym")],
    on: Annotated[
        str | None,
        typer.Option("--date", help="The date to check, YYYY-MM-DD (default: today)"),
    ] = None,
    database: DatabaseOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables")] = False,
) -> None:
    """Decision support for one patient on a date: JAK-inhibitor dose, lab gating,
    screening, risk flags, glucocorticoids, inactive disease and response."""
    from myotrack import registry
    from myotrack.therapy import decision_support

    if on is None:
        day = date.today()
    else:
        try:
            day = date.fromisoformat(on)
        except ValueError:
            fail(f"--date {on!r} is not a date; write it as YYYY-MM-DD, e.g. 2024-05-31.", 2)
    engine = open_registry(database, create=False)
    with registry.transaction(engine) as session:
        record = registry.load_record(session, patient_id)
    if record is None:
        fail(f"no patient '{patient_id}' in the registry; `myotrack patients` lists them.")
    ds = decision_support(record, day)
    data = ds.to_dict()
    if as_json:
        typer.echo(json.dumps(data, indent=2))
        return
    p = record.patient
    console.print(
        Text(f"{p.patient_id} on {day}: {p.diagnosis}, born {p.birth_date}", style="bold")
    )
    sections: tuple[tuple[str, Callable[[], None]], ...] = (
        ("JAK-inhibitor dose", lambda: _print_dose(data["dose"])),
        ("Laboratory gating", lambda: _print_gating(data["lab_gating"], ds.blocks_jak_start)),
        ("Screening and monitoring", lambda: _print_screening(data["screening"])),
        ("Risk flags", lambda: _print_flags(data["risk_flags"])),
        ("Glucocorticoids", lambda: _print_gc(data["glucocorticoids"])),
        ("Inactive disease (PRINTO)", lambda: _print_cid(data["inactive_disease"])),
        (
            "Response since the index date (ACR/EULAR 2016)",
            lambda: _print_response(data["response"]),
        ),
    )
    for title, show in sections:
        console.rule(Text(title, style="bold"))
        show()
    console.rule()
    for assumption in data["assumptions"]:
        console.print(Text(f"assumption: {assumption}", style="dim"))
    console.print(Panel(Text(data["disclaimer"]), style="yellow"))
