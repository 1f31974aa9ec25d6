"""`myotrack report` (the case-series report) and `myotrack figure timeline` (one
child's course as a picture)."""

from __future__ import annotations

import gc
import os
import sys
from dataclasses import replace
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from myotrack.cli.app import app
from myotrack.cli.common import (
    DatabaseOption,
    console,
    err_console,
    fail,
    open_registry,
    print_issues,
)
from myotrack.cohort import Tier, apply_tier
from myotrack.domain import Cohort, PatientRecord

if TYPE_CHECKING:  # the report stack (scipy, matplotlib) loads only when a command runs
    from myotrack.analysis import SubgroupBy
    from myotrack.report import QuantileChoice, ReportFormat, SupplementFormat
    from myotrack.report.figures import FigureFormat


class Format(StrEnum):
    json = "json"
    html = "html"
    pdf = "pdf"
    md = "md"
    docx = "docx"
    xlsx = "xlsx"


class By(StrEnum):
    drug = "drug"
    weight_band = "weight_band"
    antibody = "antibody"
    refractory = "refractory"


class Quantiles(StrEnum):
    type7 = "type7"
    type6 = "type6"


FIGURE_FORMATS: dict[str, FigureFormat] = {"png": "png", "svg": "svg", "pdf": "pdf"}
REPORT_FORMATS: dict[str, ReportFormat] = {
    "json": "json",
    "html": "html",
    "pdf": "pdf",
    "md": "md",
    "docx": "docx",
    "xlsx": "xlsx",
}
QUANTILES: dict[str, QuantileChoice] = {"type7": "type7", "type6": "type6"}
SUBGROUPS: dict[str, SubgroupBy] = {
    "drug": "drug",
    "weight_band": "weight_band",
    "antibody": "antibody",
    "refractory": "refractory",
}
SUPPLEMENT_SUFFIXES: dict[str, SupplementFormat] = {".csv": "csv", ".xlsx": "xlsx"}
DEFAULT_FILES = {
    "html": "report.html",
    "pdf": "report.pdf",
    "docx": "report.docx",
    "xlsx": "report.xlsx",
}
DEMO_SOURCE = "demo"

figure_app = typer.Typer(
    name="figure",
    help="Draw figures: `myotrack figure timeline PATIENT_ID` draws one child's course.",
    no_args_is_help=True,
)
app.add_typer(figure_app, name="figure")


def load_source(source: Path | None, database: str | None) -> Cohort:
    """The cohort of a cohort folder (`demo`: the bundled demo cohort), or of the
    registry when no folder is given. Stops with the problems found if it is invalid."""
    from myotrack import cohort as cohort_io

    if source is None:
        from myotrack import registry

        engine = open_registry(database, create=False)
        with registry.transaction(engine) as session:
            return registry.load_cohort(session)
    folder = source
    # `demo` names the bundled cohort unless a cohort folder of that name is here
    # (`make demo` writes its report into a folder called demo/, which holds no cohort).
    if str(source) == DEMO_SOURCE and not (source / "patients.csv").is_file():
        folder = cohort_io.DEMO_FOLDER
    if not folder.is_dir():
        fail(
            f"{folder} is not a folder: give a cohort folder (patients.csv, visits.csv, ...) "
            "or leave SOURCE out to use the registry."
        )
    cohort, issues = cohort_io.read_folder(folder)
    if issues or cohort is None:
        count = print_issues(issues)
        fail(
            f"the cohort folder {folder} has {count} problem{'s' if count != 1 else ''} "
            "(listed above); fix them and run the report again."
        )
    return cohort


def _research_key(source: Path | None, database: str | None) -> bytes:
    """The research key of a de-identified report: the registry's (the pseudonyms
    researchers see), or $MYOTRACK_DEID_KEY for a cohort folder."""
    override = os.environ.get("MYOTRACK_DEID_KEY")
    if source is not None and not override:
        fail(
            "--tier of a cohort folder needs the key of the research pseudonyms: set "
            "MYOTRACK_DEID_KEY, or leave SOURCE out to report on the registry."
        )
    if override:
        return override.encode("utf-8")
    from myotrack import registry

    engine = open_registry(database, create=False)
    with registry.transaction(engine, write=True) as session:
        return registry.research_key(session)


def _parse_date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail(f"{option} {text!r} is not a date: write it as YYYY-MM-DD, e.g. 2019-08-31.")


@app.command()
def report(
    source: Annotated[
        Path | None,
        typer.Argument(
            help="A cohort folder (or `demo` for the bundled demo cohort). "
            "Leave out to report on the registry.",
            show_default=False,
        ),
    ] = None,
    format: Annotated[
        Format,
        typer.Option(
            "--format",
            "-f",
            help="json, html, pdf, md (Markdown), docx (Word: tables and methods to edit) "
            "or xlsx (Excel: tables, supplement and every number).",
        ),
    ] = Format.html,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Write here. Default: json and md to the screen, html, pdf, docx and xlsx "
            "to report.<format> in this folder.",
        ),
    ] = None,
    by: Annotated[
        By | None,
        typer.Option(
            "--by",
            help="Add Table 2 for each subgroup: drug (first JAK inhibitor), weight_band, "
            "antibody (myositis-specific) or refractory; two groups are also compared.",
            show_default=False,
        ),
    ] = None,
    supplement: Annotated[
        Path | None,
        typer.Option(
            "--supplement",
            help="Also write the per-patient supplement (no ids, no dates) to FILE.csv "
            "or FILE.xlsx.",
            show_default=False,
        ),
    ] = None,
    figures: Annotated[
        Path | None,
        typer.Option(
            "--figures",
            help="Also write every figure to this folder at journal size (85 or 175 mm "
            "wide) as PDF, SVG, 300 dpi PNG and TIFF.",
            show_default=False,
        ),
    ] = None,
    quantiles: Annotated[
        Quantiles,
        typer.Option(help="Quantile definition: type7 (R, NumPy) or type6 (SPSS, Minitab)."),
    ] = Quantiles.type7,
    cutoff: Annotated[
        str | None,
        typer.Option(
            help="Cut-off date YYYY-MM-DD (default: the cohort's cutoff_date, "
            "else its latest dated record).",
            show_default=False,
        ),
    ] = None,
    suppress_small_cells: Annotated[
        bool,
        typer.Option(
            "--suppress-small-cells",
            help="Show counts of 1 to k-1 patients as <k, withhold figures of fewer than k "
            "patients and hide the counts that would give one away (what researchers see in "
            "the web app); leaves out the figures and the per-patient appendix.",
        ),
    ] = False,
    min_cell_count: Annotated[
        int | None,
        typer.Option(
            "--min-cell-count",
            min=2,
            help="The small-cell threshold k of --suppress-small-cells (OHDSI's "
            "minCellCount; default 5).",
            show_default=False,
        ),
    ] = None,
    tier: Annotated[
        Tier | None,
        typer.Option(
            "--tier",
            help="De-identify the cohort first (pseudonymised or safe-harbor, as `myotrack "
            "export --tier`, with the registry's research key or $MYOTRACK_DEID_KEY); also "
            "applies to --supplement and --figures. Default: identified.",
            show_default=False,
        ),
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """The case-series report: Table 1, Table 2, figures, methods and a reproducibility
    footer, computed from a cohort folder or the registry."""
    from myotrack.report import render_report

    cutoff_date = _parse_date(cutoff, "--cutoff")
    supplement_format = None
    if supplement is not None:
        supplement_format = SUPPLEMENT_SUFFIXES.get(supplement.suffix.lower())
        if supplement_format is None:
            fail(f"--supplement {supplement}: the file name must end in .csv or .xlsx.")
    if figures is not None and figures.exists() and not figures.is_dir():
        fail(f"--figures {figures} is a file: give a folder to write the figures into.")
    if suppress_small_cells and (supplement is not None or figures is not None):
        fail(
            "--suppress-small-cells makes an aggregate report: the per-patient supplement and "
            "the figures show individual patients and cannot be suppressed. Leave out "
            "--supplement/--figures, or --suppress-small-cells."
        )
    small_cells = None
    if suppress_small_cells:
        from myotrack.analysis import DEFAULT_MIN_CELL_COUNT, SmallCells

        small_cells = SmallCells(min_cell_count or DEFAULT_MIN_CELL_COUNT)
    cohort = load_source(source, database)
    if tier is not None and tier is not Tier.IDENTIFIED:
        if cutoff_date is not None:  # a calendar cut-off is applied before dates are shifted
            cohort = replace(cohort, cutoff_date=cutoff_date)
            cutoff_date = None
        cohort = apply_tier(cohort, tier, key=_research_key(source, database))
    # The cohort lives until the command ends: keep the garbage collector from walking its
    # objects again and again while the report is computed (as `myotrack import` does).
    gc.freeze()
    try:
        data = render_report(
            cohort,
            fmt=REPORT_FORMATS[format.value],
            quantiles=QUANTILES[quantiles.value],
            cutoff=cutoff_date,
            generated_at=datetime.now(UTC).replace(microsecond=0),
            by=SUBGROUPS[by.value] if by is not None else None,
            small_cells=small_cells,
        )
        # with the report on the screen, the notes of the other files go to stderr
        to_screen = out is None and format.value in ("json", "md")
        notes = err_console if to_screen else console
        if supplement is not None and supplement_format is not None:
            from myotrack.report import render_supplement

            _write(
                supplement,
                render_supplement(cohort, fmt=supplement_format, cutoff=cutoff_date),
                quiet=True,
            )
            notes.print(f"Wrote {supplement.resolve()}", markup=False, soft_wrap=True)
        if figures is not None:
            from myotrack.report.figure_files import figure_files

            files = figure_files(cohort, quantiles=QUANTILES[quantiles.value], cutoff=cutoff_date)
            for name, content in files.items():
                _write(figures / name, content, quiet=True)
            notes.print(
                f"Wrote {len(files)} figure files to {figures.resolve()}",
                markup=False,
                soft_wrap=True,
            )
        if to_screen:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
            return
        path = out if out is not None else Path(DEFAULT_FILES[format.value])
        _write(path, data)
    finally:
        gc.unfreeze()


def _write(path: Path, data: bytes, *, quiet: bool = False) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}.")
    if not quiet:
        console.print(f"Wrote {path.resolve()}", markup=False, soft_wrap=True)


@figure_app.command("timeline")
def timeline_command(
    patient_id: Annotated[str, typer.Argument(help="The patient's study pseudonym.")],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", "-o", help="FILE.png, FILE.svg or FILE.pdf (default: PATIENT_ID-timeline.png)."
        ),
    ] = None,
    measure: Annotated[
        list[str] | None,
        typer.Option(
            "--measure",
            "-m",
            help="A visit column or lab analyte to draw (repeatable). Default: cmas and IFN_score.",
        ),
    ] = None,
    source: Annotated[
        Path | None,
        typer.Option(
            "--source", help="Read this cohort folder (or `demo`) instead of the registry."
        ),
    ] = None,
    database: DatabaseOption = None,
) -> None:
    """Draw one child's course: measures over time above a bar for every drug course."""
    from myotrack.report import timeline_figure
    from myotrack.report.figures import DEFAULT_MEASURES

    path = out if out is not None else Path(f"{patient_id}-timeline.png")
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg", "pdf"):
        fail(f"--out {path}: the file name must end in .png, .svg or .pdf.")
    record = _load_record(patient_id, source, database)
    try:
        data = timeline_figure(
            record, measures=tuple(measure or DEFAULT_MEASURES), fmt=FIGURE_FORMATS[fmt]
        )
    except ValueError as exc:
        fail(str(exc))
    _write(path, data)


def _load_record(patient_id: str, source: Path | None, database: str | None) -> PatientRecord:
    if source is None:
        from myotrack import registry

        engine = open_registry(database, create=False)
        with registry.transaction(engine) as session:
            record = registry.load_record(session, patient_id)
        if record is None:
            fail(
                f"there is no patient {patient_id!r} in the registry "
                "(`myotrack patients` lists them)."
            )
        return record
    records = load_source(source, database).records()
    if patient_id not in records:
        known = ", ".join(list(records)[:10])
        fail(
            f"there is no patient {patient_id!r} in {source} (patients: {known}"
            f"{', ...' if len(records) > 10 else ''})."
        )
    return records[patient_id]
