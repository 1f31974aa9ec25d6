"""Reading one CSV file of a cohort folder into typed rows, collecting every problem."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from myotrack.cohort.cells import CellError, parser_for
from myotrack.cohort.columns import EXTRA_PREFIX, Column
from myotrack.domain import ValidationIssue


@dataclass(slots=True)
class Row:
    line: int
    values: dict[str, Any]
    extra: dict[str, str] = field(default_factory=dict)


def _decode(path: Path, issues: list[ValidationIssue]) -> str | None:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        issues.append(
            ValidationIssue(
                path.name,
                line,
                None,
                "encoding",
                f"the file is not UTF-8 (byte {data[exc.start]:#x} at line {line}); "
                "save it as 'CSV UTF-8' in your spreadsheet program",
            )
        )
        return None


def read_table(path: Path, columns: tuple[Column, ...], issues: list[ValidationIssue]) -> list[Row]:
    """Typed rows of one file; problems are appended to `issues`."""
    name = path.name
    text = _decode(path, issues)
    if text is None:
        return []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
    except StopIteration:
        issues.append(ValidationIssue(name, 1, None, "header", "the file is empty: no header row"))
        return []
    except csv.Error as exc:
        issues.append(ValidationIssue(name, 1, None, "csv", f"the header cannot be read: {exc}"))
        return []
    header = [h.strip() for h in header]
    known = {c.name: c for c in columns}
    bad_header = False
    seen: set[str] = set()
    for h in header:
        if h in seen:
            issues.append(ValidationIssue(name, 1, h, "header", f"column '{h}' appears twice"))
            bad_header = True
        seen.add(h)
        if h not in known and not h.startswith(EXTRA_PREFIX):
            listed = ", ".join(known)
            issues.append(
                ValidationIssue(
                    name,
                    1,
                    h,
                    "unknown_column",
                    f"unknown column '{h}'; the columns of {name} are: {listed} "
                    f"(extra columns of your own must start with '{EXTRA_PREFIX}')",
                )
            )
            bad_header = True
    for c in columns:
        if c.required and c.name not in seen:
            issues.append(
                ValidationIssue(
                    name, 1, c.name, "missing_column", f"required column '{c.name}' is missing"
                )
            )
            bad_header = True
    if bad_header:
        return []
    return list(_rows(name, reader, header, known, issues))


def _rows(
    name: str,
    reader: Iterator[list[str]],
    header: list[str],
    known: dict[str, Column],
    issues: list[ValidationIssue],
) -> Iterator[Row]:
    parsed: list[tuple[int, str, Callable[[str], Any]]] = []
    extras: list[tuple[int, str]] = []
    required_at: list[int] = []
    for index, h in enumerate(header):
        column = known.get(h)
        if column is None:
            extras.append((index, h))
            continue
        parsed.append((index, h, parser_for(column)))
        if column.required:
            required_at.append(index)
    width = len(header)
    line = 1
    while True:
        start = line + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            issues.append(
                ValidationIssue(name, start, None, "csv", f"this line cannot be read: {exc}")
            )
            return
        line = reader.line_num  # type: ignore[attr-defined]
        if not cells or (len(cells) == 1 and not cells[0].strip()):
            continue  # blank line
        if len(cells) != width:
            issues.append(
                ValidationIssue(
                    name,
                    start,
                    None,
                    "row_length",
                    f"this row has {len(cells)} cells but the header has {width} columns "
                    "(check for a stray comma or a missing quote)",
                )
            )
            continue
        stripped = [cell.strip() for cell in cells]
        try:  # fast path: every cell parses and every required cell is filled
            values = {h: parse(stripped[i]) if stripped[i] else None for i, h, parse in parsed}
            complete = all(stripped[i] for i in required_at)
        except CellError:
            complete = False
        if not complete:
            values = _report_cells(name, start, stripped, parsed, required_at, issues)
        extra = {h: stripped[i] for i, h in extras if stripped[i]} if extras else {}
        yield Row(start, values, extra)


def _report_cells(
    name: str,
    line: int,
    cells: list[str],
    parsed: list[tuple[int, str, Callable[[str], Any]]],
    required_at: list[int],
    issues: list[ValidationIssue],
) -> dict[str, Any]:
    """The slow path for a row with a problem: parse cell by cell, reporting each one."""
    values: dict[str, Any] = {}
    for index, h, parse in parsed:
        cell = cells[index]
        values[h] = None
        if not cell:
            if index in required_at:
                issues.append(
                    ValidationIssue(name, line, h, "required", f"'{h}' is required and is empty")
                )
            continue
        try:
            values[h] = parse(cell)
        except CellError as err:
            issues.append(ValidationIssue(name, line, h, err.rule, err.message))
    return values
