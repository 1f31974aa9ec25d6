"""The file edge of data exchange (issue 12): reading a source in any format of
`myotrack.exchange.FORMATS` (detected when not given), writing an export in any of them
at a de-identification tier, the options `myotrack import/export` share, and
`myotrack formats` (what can be exchanged, and what each tier promises).

The formats themselves are pure; only this module (and the web) touches files.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from myotrack.cli.app import app
from myotrack.cli.common import console, fail, output_folder
from myotrack.cohort import TIERS, Tier
from myotrack.domain import Cohort, ValidationIssue
from myotrack.exchange import (
    FORMATS,
    IMPORT_FORMATS,
    ExchangeFormat,
    format_named,
)
from myotrack.exchange import (
    export_cohort as edge_export_cohort,
)
from myotrack.exchange import (
    read_source as edge_read_source,
)
from myotrack.exchange import (
    write_export as edge_write_export,
)

_NAMES = ", ".join(FORMATS)

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


def read_source(
    source: Path,
    format_name: str | None,
    *,
    today: date,
    accept_implausible: bool = False,
    warnings: list[ValidationIssue] | None = None,
) -> tuple[Cohort | None, list[ValidationIssue], ExchangeFormat]:
    """The cohort in a folder or file of any import format (recognised when not named),
    or None and every problem; also the format it was read as (`exchange.edge`, shared
    with the web app)."""
    fmt = chosen_format(format_name) if format_name is not None else None
    return edge_read_source(
        source, fmt, today=today, accept_implausible=accept_implausible, warnings=warnings
    )


# ---------------------------------------------------------------- writing


def check_target(folder: Path, fmt: ExchangeFormat) -> None:
    """Stop unless `folder` is new, empty, or holds only files this format writes."""
    from myotrack.exchange import FOLDER_FILES

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
    return edge_write_export(cohort, folder, fmt, layout)


def export_cohort(
    cohort: Cohort, folder: Path, fmt: ExchangeFormat, *, tier: Tier, key: bytes | None, layout: str
) -> tuple[Cohort, list[str]]:
    """Apply the tier (the one de-identification, `cohort.deidentify`) and write."""
    return edge_export_cohort(cohort, folder, fmt, tier=tier, key=key, layout=layout)


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
