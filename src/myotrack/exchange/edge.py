"""The file edge of data exchange, shared by the CLI (`myotrack import/export`) and the web
app (cohort page and API): reading a folder or file of any import format (recognised
when not named), and writing an export at a de-identification tier.

The formats themselves are pure (`myotrack.exchange.formats`); this module and the
edges that call it are where files are read and written. The tier is applied here, with
the one implementation `cohort.deidentify.apply_tier`, before any format sees the
cohort: no exporter can forget it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import IO, Final

from myotrack.cohort import Tier, apply_tier
from myotrack.domain import Cohort, ValidationIssue
from myotrack.exchange.formats import (
    FOLDER,
    IMPORT_FORMATS,
    ExchangeFormat,
    detect_format,
)

SAMPLE_CHARS: Final = 4096  # enough of a JSON file to see its resourceType


def _files(source: Path) -> list[Path]:
    return [source] if source.is_file() else sorted(p for p in source.iterdir() if p.is_file())


def _texts(
    source: Path, suffixes: tuple[str, ...], issues: list[ValidationIssue]
) -> dict[str, str]:
    texts: dict[str, str] = {}
    for path in _files(source):
        if path.suffix.lower() not in suffixes:
            continue
        try:
            texts[path.name] = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            issues.append(
                ValidationIssue(path.name, None, None, "encoding", "the file is not UTF-8")
            )
    return texts


def sample(source: Path) -> tuple[tuple[str, ...], dict[str, str]]:
    """The file names of a source and the start of each JSON file (format detection)."""
    files = _files(source)
    found: dict[str, str] = {}
    for path in files:
        if path.suffix.lower() == ".json":
            with path.open("rb") as handle:
                found[path.name] = handle.read(SAMPLE_CHARS).decode("utf-8", "replace")
    return tuple(p.name for p in files), found


def source_format(source: Path, fmt: ExchangeFormat | None) -> ExchangeFormat:
    """`fmt`, or the format a source is recognised as (the cohort folder by default)."""
    if fmt is not None:
        return fmt
    if source.exists():
        return detect_format(*sample(source)) or FOLDER
    return FOLDER


def read_source(
    source: Path,
    fmt: ExchangeFormat | None,
    *,
    today: date,
    accept_implausible: bool = False,
    warnings: list[ValidationIssue] | None = None,
) -> tuple[Cohort | None, list[ValidationIssue], ExchangeFormat]:
    """The cohort in a folder or file of any import format (recognised when `fmt` is
    None), or None and every problem, each located; also the format it was read as."""
    from myotrack.cohort import read_folder

    fmt = source_format(source, fmt)
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
        return None, [ValidationIssue(str(source.name), None, None, "format", message)], fmt
    if not source.exists():
        return None, [ValidationIssue(str(source), None, None, "folder", "does not exist")], fmt
    problems: list[ValidationIssue] = []
    texts = _texts(source, fmt.suffixes, problems)
    if not texts and not problems:
        problems.append(
            ValidationIssue(
                str(source.name), None, None, "missing_file", f"no {fmt.label} files here"
            )
        )
    if problems:
        return None, problems, fmt
    cohort, problems = fmt.read(
        texts, today=today, accept_implausible=accept_implausible, warnings=warnings
    )
    return cohort, problems, fmt


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
    """Apply the tier (the one de-identification, `cohort.deidentify`) and write; the
    cohort as written and the names of the files."""
    if tier is not Tier.IDENTIFIED:
        if key is None:
            raise ValueError("a de-identified tier needs the research key")
        cohort = apply_tier(cohort, tier, key=key)
    return cohort, write_export(cohort, folder, fmt, layout)


__all__ = ["export_cohort", "read_source", "sample", "source_format", "write_export"]
