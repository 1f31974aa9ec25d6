"""Reading one CSV file of a cohort folder into typed rows, collecting every problem."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import call, itemgetter
from pathlib import Path
from typing import Any

from myotrack.cohort.cells import CellError, cell_parser
from myotrack.cohort.columns import EXTRA_PREFIX, Column
from myotrack.cohort.spreadsheet_safety import unescape_row
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
    required: list[str] = []
    for index, h in enumerate(header):
        column = known.get(h)
        if column is None:
            extras.append((index, h))
            continue
        parsed.append((index, h, cell_parser(column)))
        if column.required:
            required.append(h)
    # The fast path runs in C as far as possible: pick the cells, call each column's
    # parser on its cell, zip with the names.
    names = tuple(h for _, h, _ in parsed)
    parsers = tuple(parse for _, _, parse in parsed)
    pick_cells = _picker([i for i, _, _ in parsed])
    pick_required = _picker([names.index(h) for h in required])
    width = len(header)
    line = 1
    while True:
        start = line + 1
        try:
            cells = unescape_row(next(reader))  # undo cohort.spreadsheet_safety
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
        try:  # fast path: every cell parses and every required cell is filled
            parsed_cells = tuple(map(call, parsers, pick_cells(cells)))
            complete = None not in pick_required(parsed_cells)
        except CellError:
            complete = False
        if complete:
            values = dict(zip(names, parsed_cells, strict=True))
        else:
            values = _report_cells(name, start, cells, parsed, required, issues)
        extra = {h: cells[i].strip() for i, h in extras if cells[i].strip()} if extras else {}
        yield Row(start, values, extra)


def _picker(indexes: list[int]) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    """A function taking these positions of a sequence, always as a tuple."""
    if not indexes:
        return lambda _: ()
    if len(indexes) == 1:
        only = indexes[0]
        return lambda seq: (seq[only],)
    getter = itemgetter(*indexes)
    return lambda seq: tuple(getter(seq))


def _report_cells(
    name: str,
    line: int,
    cells: list[str],
    parsed: list[tuple[int, str, Callable[[str], Any]]],
    required: list[str],
    issues: list[ValidationIssue],
) -> dict[str, Any]:
    """The slow path for a row with a problem: parse cell by cell, reporting each one."""
    values: dict[str, Any] = {}
    for index, h, parse in parsed:
        values[h] = None
        try:
            values[h] = parse(cells[index])
        except CellError as err:
            issues.append(ValidationIssue(name, line, h, err.rule, err.message))
            continue
        if values[h] is None and h in required:
            issues.append(
                ValidationIssue(name, line, h, "required", f"'{h}' is required and is empty")
            )
    return values
