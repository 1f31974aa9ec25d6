"""The file edge of data exchange (issue 12): reading a source in any format of
`myotrack.exchange.FORMATS` (detected when not given), writing an export in any of them
at a de-identification tier, the options `myotrack import/export` share, and
`myotrack formats` (what can be exchanged, and what each tier promises).

The formats themselves are pure; only this module (and the web) touches files.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import IO, Annotated

import typer
from rich.table import Table

from myotrack.cli.app import app
from myotrack.cli.common import console, fail, output_folder
from myotrack.cohort.deidentify import TIERS, Tier, apply_tier
from myotrack.domain import Cohort, ValidationIssue
from myotrack.exchange import (
    FORMATS,
    IMPORT_FORMATS,
    ExchangeFormat,
    detect_format,
    format_named,
)

_NAMES = ", ".join(FORMATS)
_SAMPLE_CHARS = 4096  # enough of a JSON file to see its resourceType

ImportFormatOption = Annotated[
    str | None,
    typer.Option(
        "--format",
        help=f"Format of the source: {', '.join(IMPORT_FORMATS)}. Default: recognised "
        "from the files.",
        show_default=False,
    ),
]
ExportFormatOption = Annotated[str, typer.Option("--format", help=f"Format to write: {_NAMES}.")]
TierOption = Annotated[
    Tier | None,
    typer.Option(
        "--tier",
        help="De-identification: identified (as stored), pseudonymised (keyed pseudonyms, "
        "dates shifted per patient, no free text/site/x_ columns) or safe-harbor (dates "
        "reduced to each patient's reference year, ages 90+ grouped); docs/deidentification.md. "
        "Default: identified.",
        show_default=False,
    ),
]
LayoutOption = Annotated[
    str | None,
    typer.Option(
        "--layout",
        help="How the format lays its files out. fhir: bundle (one collection Bundle, the "
        "default), ndjson (one file per resource type) or transaction (a Bundle to post to "
        "a FHIR server).",
        show_default=False,
    ),
]


def chosen_format(name: str) -> ExchangeFormat:
    try:
        return format_named(name)
    except KeyError:
        fail(f"--format {name}: use one of {_NAMES}.")


def chosen_tier(tier: Tier | None, deidentified: bool) -> Tier:
    """The tier from --tier, or --deidentified (= pseudonymised); both must agree."""
    if deidentified and tier not in (None, Tier.PSEUDONYMISED):
        fail(
            f"--deidentified means --tier pseudonymised; it cannot be combined with --tier {tier}."
        )
    if deidentified:
        return Tier.PSEUDONYMISED
    return tier or Tier.IDENTIFIED


def chosen_layout(fmt: ExchangeFormat, layout: str | None) -> str:
    if layout is None:
        return fmt.layouts[0]
    if layout not in fmt.layouts:
        fail(f"--layout {layout}: the {fmt.name} format writes {', '.join(fmt.layouts)}.")
    return layout


# ---------------------------------------------------------------- reading


def _texts(
    source: Path, suffixes: tuple[str, ...], issues: list[ValidationIssue]
) -> dict[str, str]:
    files = [source] if source.is_file() else sorted(p for p in source.iterdir() if p.is_file())
    texts: dict[str, str] = {}
    for path in files:
        if path.suffix.lower() not in suffixes:
            continue
        try:
            texts[path.name] = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            issues.append(
                ValidationIssue(path.name, None, None, "encoding", "the file is not UTF-8")
            )
    return texts


def _sample(source: Path) -> tuple[tuple[str, ...], dict[str, str]]:
    files = [source] if source.is_file() else sorted(p for p in source.iterdir() if p.is_file())
    sample: dict[str, str] = {}
    for path in files:
        if path.suffix.lower() == ".json":
            with path.open("rb") as handle:
                sample[path.name] = handle.read(_SAMPLE_CHARS).decode("utf-8", "replace")
    return tuple(p.name for p in files), sample


def read_source(
    source: Path,
    format_name: str | None,
    *,
    today: date,
    accept_implausible: bool = False,
    warnings: list[ValidationIssue] | None = None,
) -> tuple[Cohort | None, list[ValidationIssue], ExchangeFormat]:
    """The cohort in a folder or file of any import format (recognised when not named),
    or None and every problem; also the format it was read as."""
    from myotrack.cohort import read_folder
    from myotrack.exchange.formats import FOLDER

    if format_name is not None:
        fmt = chosen_format(format_name)
    elif source.exists():
        fmt = detect_format(*_sample(source)) or FOLDER
    else:
        fmt = FOLDER
    if fmt is FOLDER:
        cohort, issues = read_folder(
            source, today=today, accept_implausible=accept_implausible, warnings=warnings
        )
        return cohort, issues, fmt
    if fmt.read is None:
        message = (
            f"these are {fmt.label} files, which myotrack writes but does not import; "
            f"import one of: {', '.join(IMPORT_FORMATS)}"
        )
        return None, [ValidationIssue(str(source), None, None, "format", message)], fmt
    if not source.exists():
        return None, [ValidationIssue(str(source), None, None, "folder", "does not exist")], fmt
    problems: list[ValidationIssue] = []
    texts = _texts(source, fmt.suffixes, problems)
    if not texts and not problems:
        problems.append(
            ValidationIssue(str(source), None, None, "missing_file", f"no {fmt.label} files here")
        )
    if problems:
        return None, problems, fmt
    cohort, problems = fmt.read(
        texts, today=today, accept_implausible=accept_implausible, warnings=warnings
    )
    return cohort, problems, fmt


# ---------------------------------------------------------------- writing


def check_target(folder: Path, fmt: ExchangeFormat) -> None:
    """Stop unless `folder` is new, empty, or holds only files this format writes."""
    from myotrack.exchange.formats import FOLDER_FILES

    if not output_folder(folder).exists():
        return
    existing = [p.name for p in folder.iterdir()]
    ours = set(FOLDER_FILES) if fmt.export is None else None
    for name in existing:
        mine = name in ours if ours is not None else name.endswith(fmt.suffixes)
        if not mine:
            fail(f"{folder} already holds other files; choose an empty or new folder.")


def write_export(cohort: Cohort, folder: Path, fmt: ExchangeFormat, layout: str) -> list[str]:
    """Write `cohort` (already in its tier) into `folder`; the names of the files written."""
    from myotrack.cohort import write_folder

    folder.mkdir(parents=True, exist_ok=True)
    if fmt.export is None:
        write_folder(cohort, folder)
        return sorted(p.name for p in folder.iterdir())
    handles: dict[str, IO[str]] = {}
    try:
        for name, text in fmt.export(cohort, layout):
            handle = handles.get(name)
            if handle is None:
                handle = handles[name] = (folder / name).open("w", encoding="utf-8", newline="\n")
            handle.write(text)
    finally:
        for handle in handles.values():
            handle.close()
    return list(handles)


def export_cohort(
    cohort: Cohort, folder: Path, fmt: ExchangeFormat, *, tier: Tier, key: bytes | None, layout: str
) -> tuple[Cohort, list[str]]:
    """Apply the tier (the one de-identification, `cohort.deidentify`) and write."""
    if tier is not Tier.IDENTIFIED:
        if key is None:
            raise ValueError("a de-identified tier needs the research key")
        cohort = apply_tier(cohort, tier, key=key)
    return cohort, write_export(cohort, folder, fmt, layout)


@app.command()
def formats() -> None:
    """List the exchange formats (myotrack export/import --format) and the
    de-identification tiers (--tier)."""
    table = Table(title="Formats")
    for column in ("format", "what", "layouts", "import", "cannot carry"):
        table.add_column(column)
    for f in FORMATS.values():
        can_import = "yes" if f.read is not None or f.export is None else "no"
        table.add_row(
            f.name,
            f"{f.label}: {f.description}",
            ", ".join(f.layouts),
            can_import,
            "; ".join(f.lossy),
        )
    console.print(table)
    tiers = Table(title="Tiers (--tier)")
    for column in ("tier", "promises", "does not"):
        tiers.add_column(column)
    for promise in TIERS.values():
        tiers.add_row(promise.tier.value, "; ".join(promise.promises), "; ".join(promise.does_not))
    console.print(tiers)
