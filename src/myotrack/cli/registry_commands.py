"""Commands that move cohorts in and out of the registry: init, validate, import, export,
synth."""

from __future__ import annotations

import gc
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn
from rich.table import Table

from myotrack.cli.app import app
from myotrack.cli.common import (
    DatabaseOption,
    actor,
    console,
    fail,
    open_registry,
    output_folder,
    print_issues,
    shown_url,
    stdout_is_terminal,
)
from myotrack.cli.exchange_commands import (
    ExportFormatOption,
    ImportFormatOption,
    LayoutOption,
    TierOption,
)
from myotrack.domain import Cohort, ValidationIssue

if TYPE_CHECKING:
    from myotrack.registry import ImportSummary

FolderArgument = Annotated[
    Path, typer.Argument(help="A cohort folder (patients.csv, visits.csv, labs.csv, ...)")
]
AcceptImplausibleOption = Annotated[
    bool,
    typer.Option(
        "--accept-implausible",
        help="Accept values that are unusual but possible (each is listed as a warning); "
        "without it they stop the import unless the row's x_confirm_implausible is 'yes'. "
        "Impossible values are refused all the same.",
    ),
]


def _counts(cohort: Cohort) -> str:
    return (
        f"{len(cohort.patients)} patients, {len(cohort.visits)} visits, "
        f"{len(cohort.labs)} lab results, {len(cohort.courses)} drug courses, "
        f"{len(cohort.events)} events"
    )


def _read_or_stop(
    folder: Path, *, storing: bool, accept_implausible: bool = False, fmt: str | None = None
) -> Cohort:
    from myotrack.cli.exchange_commands import read_source

    warnings: list[ValidationIssue] = []
    cohort, issues, _ = read_source(  # any format of myotrack.exchange (h9, issue 12)
        folder, fmt, today=date.today(), accept_implausible=accept_implausible, warnings=warnings
    )
    if cohort is None:
        _stop(folder, issues, storing=storing)
    _print_warnings(warnings)
    return cohort


@app.command()
def init(database: DatabaseOption = None) -> None:
    """Create the registry database, or bring an existing one up to date."""
    from myotrack import registry

    engine = open_registry(database)
    with registry.transaction(engine, write=True) as session:
        registry.research_key(session)  # made once here, kept for every later export/view
    console.print(
        f"Registry ready at {shown_url(registry.database_url(database))} "
        f"(schema revision {registry.current_revision(engine)})."
    )


def _stop(folder: Path, issues: list[ValidationIssue], *, storing: bool) -> NoReturn:
    n = print_issues(issues)
    outcome = "; nothing was stored." if storing else "."
    hint = (
        " Unusual values marked [implausible_value] can be accepted after checking: "
        "--accept-implausible, or 'yes' in the row's x_confirm_implausible column."
        if any(i.rule == "implausible_value" for i in issues)
        else ""
    )
    fail(f"{folder}: {n} problem{'s' if n != 1 else ''} found{outcome}{hint}")


def _print_warnings(warnings: list[ValidationIssue]) -> None:
    if warnings:
        n = print_issues(warnings)
        console.print(f"{n} unusual value{'s' if n != 1 else ''} accepted as checked.")


def _streamed(folder: Path, format_: str | None) -> bool:
    """Whether the folder is a cohort folder that `cohort.scan_folder` reads a row at a
    time (format version 1, recognised as the cohort folder as `read_source` would)."""
    from myotrack.cli.exchange_commands import chosen_format
    from myotrack.cohort import streamable
    from myotrack.exchange import detect_format

    if format_ is not None and chosen_format(format_).name != "folder":
        return False
    if not streamable(folder):
        return False
    if format_ is not None:
        return True
    names = tuple(sorted(p.name for p in folder.iterdir() if p.is_file()))
    if any(name.lower().endswith(".json") for name in names):
        return False  # recognised by their contents: left to read_source
    found = detect_format(names, {})
    return found is None or found.name == "folder"


def _scan_counts(rows: dict[str, int]) -> str:
    return (
        f"{rows.get('patients.csv', 0)} patients, {rows.get('visits.csv', 0)} visits, "
        f"{rows.get('labs.csv', 0)} lab results, {rows.get('treatments.csv', 0)} drug courses, "
        f"{rows.get('events.csv', 0)} events"
    )


@app.command()
def validate(folder: FolderArgument, accept_implausible: AcceptImplausibleOption = False) -> None:
    """Check a cohort folder and list every problem as file:line: column: message."""
    if _streamed(folder, None):
        from myotrack.cohort import scan_folder

        warnings: list[ValidationIssue] = []
        result = scan_folder(
            folder, today=date.today(), accept_implausible=accept_implausible, warnings=warnings
        )
        if result is not None:
            scan, issues = result
            if scan is None:
                _stop(folder, issues, storing=False)
            _print_warnings(warnings)
            console.print(f"{folder}: no problems found ({_scan_counts(scan.rows)}).")
            return
    cohort = _read_or_stop(folder, storing=False, accept_implausible=accept_implausible)
    console.print(f"{folder}: no problems found ({_counts(cohort)}).")


@app.command(name="import")
def import_folder(
    folder: FolderArgument,
    database: DatabaseOption = None,
    reason: Annotated[
        str, typer.Option(help="Why the data are imported (kept in the audit trail).")
    ] = "cohort folder import",
    accept_implausible: AcceptImplausibleOption = False,
    format_: ImportFormatOption = None,
) -> None:
    """Validate a cohort folder (or FHIR files: --format), then store all of it in one
    transaction, or nothing.

    Importing the same folder again changes nothing."""
    from myotrack import registry

    if _streamed(folder, format_):
        _import_streamed(folder, database, reason, accept_implausible)
        return
    cohort = _read_or_stop(folder, storing=True, accept_implausible=accept_implausible, fmt=format_)
    # The cohort lives until the command ends: keep the garbage collector from walking its
    # million objects again and again while the import builds rows (benchmarks/).
    gc.freeze()
    try:
        engine = open_registry(database)
        with _progress() as progress:
            task = progress.add_task("Importing", total=None)

            def report(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            with registry.transaction(engine) as session:
                summary = registry.import_cohort(
                    session,
                    cohort,
                    actor=actor(),
                    reason=reason,
                    source=str(folder.resolve()),
                    progress=report,
                )
    except registry.RegistryError as exc:  # another import running, registry busy, ...
        fail(str(exc))
    finally:
        gc.unfreeze()
    _print_summary(folder, summary, _counts(cohort))


def _import_streamed(
    folder: Path, database: str | None, reason: str, accept_implausible: bool
) -> None:
    """`myotrack import` of a cohort folder of format version 1, checked and stored a chunk
    at a time in one transaction (`registry.import_folder`): memory stays bounded."""
    from myotrack import registry
    from myotrack.cohort import FolderChangedError

    warnings: list[ValidationIssue] = []
    new_file = _new_sqlite_file(database)
    if new_file is None and not _has_registry(database):
        # A server database without a registry yet: check the folder before making one,
        # so that a folder with problems leaves no registry behind (as read_source does).
        from myotrack.cohort import scan_folder

        checked = scan_folder(folder, today=date.today(), accept_implausible=accept_implausible)
        if checked is not None and checked[0] is None:
            _stop(folder, checked[1], storing=True)
    engine = None
    try:
        engine = open_registry(database)
        with _progress() as progress:
            task = progress.add_task("Importing", total=None)

            def report(done: int, total: int) -> None:
                progress.update(task, completed=done, total=total)

            with registry.transaction(engine) as session:
                outcome = registry.import_folder(
                    session,
                    folder,
                    today=date.today(),
                    accept_implausible=accept_implausible,
                    warnings=warnings,
                    actor=actor(),
                    reason=reason,
                    source=str(folder.resolve()),
                    progress=report,
                )
    except registry.FolderProblemsError as exc:
        if new_file is not None and engine is not None:  # the registry made for this import
            engine.dispose()
            for suffix in ("", "-wal", "-shm", "-journal", ".import-lock"):
                Path(f"{new_file}{suffix}").unlink(missing_ok=True)
        _stop(folder, exc.issues, storing=True)
    except (registry.RegistryError, FolderChangedError) as exc:  # import running, busy, ...
        fail(str(exc))
    if outcome is None:  # pragma: no cover - the folder changed between the two looks
        fail(f"{folder} changed while it was read; import it again.")
    summary, scan = outcome
    _print_warnings(warnings)
    _print_summary(folder, summary, _scan_counts(scan.rows))


def _new_sqlite_file(database: str | None) -> Path | None:
    """The file of a SQLite registry that does not exist yet (None otherwise)."""
    from myotrack import registry

    try:
        probe = registry.connect(database)
    except Exception:  # open_registry says what is wrong with the URL
        return None
    try:
        path = registry.sqlite_path(probe)
        return path if path is not None and not path.exists() else None
    finally:
        probe.dispose()


def _has_registry(database: str | None) -> bool:
    """Whether the database holds a registry (True when that cannot be told here)."""
    from myotrack import registry

    try:
        probe = registry.connect(database)
    except Exception:  # open_registry says what is wrong with the URL
        return True
    try:
        return registry.current_revision(probe) is not None
    except Exception:  # open_registry says why the database cannot be read
        return True
    finally:
        probe.dispose()


def _progress() -> Progress:
    return Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=not stdout_is_terminal(),
        transient=True,
    )


def _print_summary(folder: Path, summary: ImportSummary, held: str) -> None:
    if not summary.changed:
        console.print(f"Nothing changed: the registry already holds {folder} ({held}).")
        return
    console.print(f"Imported {folder} in one transaction:", soft_wrap=True)
    table = Table()
    for column in ("table", "added", "updated", "unchanged", "deleted, not restored"):
        table.add_column(column, justify="left" if column == "table" else "right")
    for name, counts in summary.tables.items():
        if not counts.total and name not in _VERSION_1_TABLES:
            continue  # a cohort format version 2 record kind the folder does not use
        table.add_row(
            name,
            str(counts.added),
            str(counts.updated),
            str(counts.unchanged),
            str(counts.skipped_retired),
        )
    console.print(table)


# Always listed after an import; the version 2 record kinds only when the folder has them.
_VERSION_1_TABLES = ("patient", "visit", "lab", "course", "event", "assessment", "setting")


@app.command()
def export(
    folder: Annotated[Path, typer.Argument(help="Folder to write the cohort into")],
    database: DatabaseOption = None,
    site: Annotated[
        list[str] | None, typer.Option(help="Only patients of this site (repeatable)")
    ] = None,
    deidentified: Annotated[
        bool,
        typer.Option(
            "--deidentified",
            help="Pseudonymise ids, shift each patient's dates (intervals kept), drop free text "
            "and x_ columns (docs/deidentification.md). The key is the registry's research key "
            "(the pseudonyms researchers see in the web app); MYOTRACK_DEID_KEY overrides it.",
        ),
    ] = False,
    format_: ExportFormatOption = "folder",
    tier: TierOption = None,
    layout: LayoutOption = None,
) -> None:
    """Write the registry out as a cohort folder or FHIR files (--format), at a
    de-identification tier (--tier)."""
    from myotrack import registry
    from myotrack.cli import exchange_commands as exchange
    from myotrack.cohort import Tier

    fmt = exchange.chosen_format(format_)
    chosen, shape = exchange.chosen_tier(tier, deidentified), exchange.chosen_layout(fmt, layout)
    exchange.check_target(folder, fmt)
    engine = open_registry(database, create=False)
    with registry.transaction(engine) as session:
        cohort = registry.load_cohort(session, sites=site)
    key = None
    if chosen is not Tier.IDENTIFIED:  # the research key: the pseudonyms researchers see
        with registry.transaction(engine, write=True) as session:
            key = registry.research_key(session)
    cohort, _ = exchange.export_cohort(cohort, folder, fmt, tier=chosen, key=key, layout=shape)
    kind = "the registry" if chosen is Tier.IDENTIFIED else f"a {chosen} copy of the registry"
    console.print(f"Wrote {kind} to {folder} as {fmt.label} ({_counts(cohort)}).")
    if fmt.export is None and cohort.assessments:  # a folder has no file for item-level scores
        console.print(
            f"Kept in the registry only: {len(cohort.assessments)} item-level assessments (the "
            "items; an MDI has no visit column, so none of it). --format fhir or --format "
            "redcap carries them (docs/exchange.md)."
        )


@app.command()
def synth(
    out: Annotated[Path, typer.Argument(help="Folder to write the synthetic cohort into")],
    patients: Annotated[int, typer.Option("--patients", min=1, help="How many patients")] = 100,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same cohort")] = 0,
    visits: Annotated[int, typer.Option(min=1, help="Visits per patient")] = 30,
    labs: Annotated[int, typer.Option(min=0, help="Lab results per patient")] = 100,
) -> None:
    """Write a synthetic cohort of fictional patients (for trying myotrack and benchmarks)."""
    from myotrack.cohort import synthesize, write_folder

    output_folder(out)
    cohort = synthesize(patients, seed=seed, visits_per_patient=visits, labs_per_patient=labs)
    write_folder(cohort, out)
    console.print(f"Wrote a synthetic cohort to {out} ({_counts(cohort)}); all fictional.")
