"""`myotrack check PATIENT_ID`: the decision-support view of one registry patient on a date:
the summary state (blocks / cannot assess / nothing blocks) with its reasons, the
JAK-inhibitor dose against the suggestions (rounded to what the products allow), the label
laboratory bands, screening before a start or monitoring on treatment, whole-patient checks,
risk flags, glucocorticoid exposure, inactive disease and response since the index date.
The CLI reads the typed result; only `--json` serialises it."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from myotrack.cli.app import app
from myotrack.cli.common import DatabaseOption, console, fail, open_registry
from myotrack.therapy import STATUS_WORDS, Check, CheckStatus

if TYPE_CHECKING:
    from myotrack.therapy import RiskFlag
    from myotrack.therapy.decision_support import DecisionSupport

_STATUS_STYLE = {"blocks": "bold red", "cannot_assess": "bold yellow", "nothing_blocks": "green"}
_DUE_STYLE = {"overdue": "bold yellow", "due": "yellow", "upcoming": "dim"}


def _styled_status(status: CheckStatus) -> Text:
    return Text(STATUS_WORDS[status], style=_STATUS_STYLE[status])


def _styled(word: str) -> Text:
    return Text(word, style={"met": "green", "not_met": "yellow"}.get(word, ""))


def _num(x: Any, digits: int = 2) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{round(x, digits):g}"
    return str(x)


def _print_summary(ds: DecisionSupport) -> None:
    console.print(Text(ds.as_of.why, style="dim"))
    console.print(
        Panel(
            Text.assemble(_styled_status(ds.start_status), "  ", ds.headline),
            style=_STATUS_STYLE[ds.start_status].replace("bold ", ""),
        )
    )
    if len(ds.status_by_drug) > 1:
        console.print(
            Text.assemble(
                "By drug: ",
                *(
                    part
                    for i, (drug, status) in enumerate(ds.status_by_drug)
                    for part in ((", " if i else ""), f"{drug} ", _styled_status(status))
                ),
            )
        )
    for reason in ds.reasons:
        console.print(Text(f"• {reason}"))


def _print_checks(checks: tuple[Check, ...]) -> None:
    if not checks:
        console.print("No check in this section.")
        return
    table = Table(box=None, pad_edge=False)
    for column in ("state", "check", "what it says", "source"):
        table.add_column(column)
    for c in checks:
        table.add_row(
            _styled_status(c.status), c.name, Text(c.message), Text(c.source, style="dim")
        )
    console.print(table)


def _print_dose(ds: DecisionSupport) -> None:
    dose = ds.dose
    body = dose.body
    if body.weight is None:
        weight = "no weight recorded"
    else:
        old = "" if body.weight_usable else " — too old: needs a current weight"
        weight = f"{body.weight.value:g} kg (measured {body.weight.on}{old})"
    console.print(Text(f"Weight {weight}; age {body.age_years:.1f} years", style="dim"))
    course = dose.course
    if ds.phase != "on_treatment" or course is None:
        console.print("Not on a JAK inhibitor on this date. Suggested starting doses:")
    else:
        console.print(
            f"Current: {course.drug} {_num(course.dose)} {course.dose_unit or ''} "
            f"{course.frequency or ''} since {course.start_date} "
            f"({_num(course.daily_mg)} mg/day)"
        )
    table = Table(box=None, pad_edge=False)
    for column in ("drug", "rule", "suggestion", "can be given as", "vs current", "source"):
        table.add_column(column)
    for row in dose.rows:
        s = row.suggestion
        given = "; ".join(g.text for g in s.givable) or "-"
        table.add_row(
            s.drug,
            Text(f"{s.title} [{s.kind}]"),
            Text(s.text),
            Text(given),
            row.current_vs or "-",
            Text(s.source, style="dim"),
        )
    console.print(table)
    for row in dose.rows:
        for line in row.suggestion.outside:
            console.print(Text(f"{row.suggestion.title}: {line}", style="yellow"))
    for note in dose.notes:
        console.print(Text(f"note: {note}", style="yellow"))
    _print_checks(ds.checks_in("dose"))


def _print_gating(ds: DecisionSupport) -> None:
    table = Table(box=None, pad_edge=False)
    for column in ("drug", "label", "analyte", "latest", "date", "band (label words)", "verdict"):
        table.add_column(column)
    for g in ds.lab_gating:
        latest = "-" if g.value is None else f"{_num(g.value)} {g.unit}"
        when = "-" if g.measured_on is None else g.measured_on.isoformat()
        if g.stale:
            when += " (too old)"
        table.add_row(
            g.drug,
            g.label,
            g.analyte,
            latest,
            when,
            Text(g.threshold),
            _styled_status(g.status).append(f" ({g.verdict_words})"),
        )
    console.print(table)
    for g in ds.lab_gating:
        for need in g.needs:
            console.print(Text(f"{g.drug} ({g.label}) needs {need.message}", style="yellow"))


def _print_monitoring(ds: DecisionSupport) -> None:
    if not ds.monitoring:
        console.print("Nothing due.")
        return
    for item in ds.monitoring:
        console.print(
            Text.assemble(
                (f"{item.state:9}", _DUE_STYLE[item.state]),
                f" {item.message} ",
                (f"[{item.source}; {item.status}]", "dim"),
            )
        )


def _print_flags(rows: tuple[RiskFlag, ...]) -> None:
    if not rows:
        console.print("No risk flags from the data.")
    for f in rows:
        console.print(
            Text.assemble(("• " + f.flag, "bold"), f": {f.why} ", (f"[{f.source}]", "dim"))
        )


def _print_gc(ds: DecisionSupport) -> None:
    gc = ds.glucocorticoids
    since = gc.since_index
    lines = [
        f"Current daily dose: {_num(gc.today.mg)} mg prednisolone equivalent "
        f"({_num(gc.today.mg_per_kg, 3)} mg/kg)",
        (
            f"Cumulative since the index date {gc.index_date}: "
            f"{_num(since.cumulative_mg_per_kg, 1)} mg/kg"
            if since is not None
            else "Cumulative since the index date: no index date (no JAK-inhibitor course)"
        ),
        f"Cumulative in the last 365 days: {_num(gc.last_year.cumulative_mg_per_kg, 1)} mg/kg",
    ]
    if gc.stopped_on is not None:
        lines.append(f"Glucocorticoids stopped on {gc.stopped_on}")
    for line in lines:
        console.print(line)
    if gc.courses:
        table = Table(box=None, pad_edge=False)
        for column in ("course", "from", "to", "pred-eq mg/day at start", "mg/kg so far"):
            table.add_column(column)
        for c in gc.courses:
            course = c.course
            dose = (
                f"{course.drug} {_num(course.dose)} {course.dose_unit or ''} "
                f"{course.frequency or ''}"
            )
            table.add_row(
                dose,
                str(course.start_date),
                str(course.end_date) if course.end_date else "running",
                _num(c.daily_mg_at_start, 1),
                _num(c.exposure.cumulative_mg_per_kg, 1),
            )
        console.print(table)
    for p in gc.problems:
        console.print(Text(f"cannot compute: {p}", style="yellow"))


def _print_cid(ds: DecisionSupport) -> None:
    cid = ds.inactive_disease
    result = cid.result
    if result is None or cid.visit_date is None:
        console.print(cid.why)
        return
    crit = ", ".join(
        f"{k} {'met' if v else ('missing' if v is None else 'not met')}"
        for k, v in result.criteria.items()
    )
    console.print(
        Text.assemble(
            f"Visit {cid.visit_date}: PRINTO CID ",
            _styled(result.printo_cid),
            f" ({result.criteria_met} of 4 met: {crit}); skin-aware P-CID ",
            _styled(result.p_cid),
        )
    )


def _print_response(ds: DecisionSupport) -> None:
    resp = ds.response
    r = resp.result
    if r is None:
        console.print(f"Not available: {resp.why}")
        return
    console.print(
        f"Total Improvement Score {float(r.tis):g} since {resp.index_date}: "
        f"JDM {r.jdm_category} (adult thresholds: {r.adult_category}); "
        f"percent change mode '{resp.change_mode}'"
    )


@app.command()
def check(
    patient_id: Annotated[str, typer.Argument(help="The patient's study pseudonym")],
    on: Annotated[
        str | None,
        typer.Option(
            "--date",
            help="The date to check, YYYY-MM-DD (default: the patient's latest record date "
            "when that is in the past, else today; the output says which)",
        ),
    ] = None,
    drug: Annotated[
        str | None,
        typer.Option("--drug", help="Assess a start of this JAK inhibitor only"),
    ] = None,
    restart: Annotated[
        bool,
        typer.Option("--restart", help="After a stopped course: assess a restart"),
    ] = False,
    database: DatabaseOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables")] = False,
) -> None:
    """Decision support for one patient on a date: one summary state (blocks, cannot assess,
    nothing blocks) with its reasons, laboratory gating, screening or monitoring, dose,
    whole-patient checks, risk flags, glucocorticoids, inactive disease and response."""
    from myotrack import registry
    from myotrack.therapy import decision_support
    from myotrack.therapy.decision_support import JAK_DRUGS_WITH_RULES, as_of

    requested = None
    if on is not None:
        try:
            requested = date.fromisoformat(on)
        except ValueError:
            fail(f"--date {on!r} is not a date; write it as YYYY-MM-DD, e.g. 2024-05-31.", 2)
    if drug is not None and drug not in JAK_DRUGS_WITH_RULES:
        fail(f"--drug {drug!r}: choose one of {', '.join(JAK_DRUGS_WITH_RULES)}.", 2)
    engine = open_registry(database, create=False)
    with registry.transaction(engine) as session:
        whole = registry.load_whole_record(session, patient_id)
    if whole is None:
        fail(f"no patient '{patient_id}' in the registry; `myotrack patients` lists them.")
    record = whole.base
    chosen = as_of(record, requested, date.today())
    ds = decision_support(
        record, chosen.on, as_of_date=chosen, drug=drug, restart=restart, whole=whole
    )
    if as_json:
        typer.echo(json.dumps(ds.to_dict(), indent=2))
        return
    p = record.patient
    console.print(
        Text(f"{p.patient_id} on {ds.on}: {p.diagnosis}, born {p.birth_date}", style="bold")
    )
    _print_summary(ds)
    sections: list[tuple[str, Callable[[], None]]] = [
        ("JAK-inhibitor dose", lambda: _print_dose(ds)),
        ("Laboratory gating (label bands)", lambda: _print_gating(ds)),
    ]
    if ds.phase == "on_treatment":
        sections.append(("Monitoring: due and overdue", lambda: _print_monitoring(ds)))
    else:
        sections.append(
            ("Screening before a start", lambda: _print_checks(ds.checks_in("screening")))
        )
    sections += [
        ("Whole patient (infections, prophylaxis)", lambda: _print_checks(ds.whole_patient)),
        ("Risk flags", lambda: _print_flags(ds.risk_flags)),
        ("Glucocorticoids", lambda: _print_gc(ds)),
        ("Inactive disease (PRINTO)", lambda: _print_cid(ds)),
        (
            "Response since the index date (ACR/EULAR 2016)",
            lambda: _print_response(ds),
        ),
    ]
    for title, show in sections:
        console.rule(Text(title, style="bold"))
        show()
    console.rule()
    for assumption in ds.assumptions:
        console.print(Text(f"assumption: {assumption}", style="dim"))
    console.print(Panel(Text(ds.disclaimer), style="yellow"))
