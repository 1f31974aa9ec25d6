"""Reading one CSV file of a cohort folder into typed rows, collecting every problem."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
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


_READ_SIZE = 1 << 20  # bytes decoded at a time when checking a file's encoding


def _is_utf8(path: Path) -> bool:
    """Whether the whole file decodes as UTF-8, read a piece at a time (constant memory)."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    with path.open("rb") as stream:
        try:
            while piece := stream.read(_READ_SIZE):
                decoder.decode(piece)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def read_table(path: Path, columns: tuple[Column, ...], issues: list[ValidationIssue]) -> list[Row]:
    """Typed rows of one file; problems are appended to `issues`."""
    return list(iter_table(path, columns, issues))


def iter_table(
    path: Path, columns: tuple[Column, ...], issues: list[ValidationIssue]
) -> Iterator[Row]:
    """The typed rows of one file as they are read (the file is never held whole);
    problems are appended to `issues` as they are found, in the order `read_table` gives
    them. A file that is not UTF-8 gives one problem and no rows."""
    if not _is_utf8(path):
        _decode(path, issues)  # the message names the line and the byte
        return
    with path.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.reader(stream, strict=True)
        header = _header(path.name, reader, columns, issues)
        if header is not None:
            yield from _rows(path.name, reader, header, {c.name: c for c in columns}, issues)


def _header(
    name: str,
    reader: Iterator[list[str]],
    columns: tuple[Column, ...],
    issues: list[ValidationIssue],
) -> list[str] | None:
    """The header row, stripped; None (with the problems) when it cannot be used."""
    try:
        header = next(reader)
    except StopIteration:
        issues.append(ValidationIssue(name, 1, None, "header", "the file is empty: no header row"))
        return None
    except csv.Error as exc:
        issues.append(ValidationIssue(name, 1, None, "csv", f"the header cannot be read: {exc}"))
        return None
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
    return None if bad_header else header


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
    # The fast path runs in C as far as possible: pick the cells, look each one up in its
    # column's memory of cells already parsed (a cohort repeats its ids, dates, analytes,
    # units and most numbers), else call each column's parser on its cell; zip with the
    # names. The memories are bounded (emptied when full), so memory does not grow with
    # the file; problems are never remembered.
    names = tuple(h for _, h, _ in parsed)
    parsers = tuple(parse for _, _, parse in parsed)
    memories: tuple[dict[str, Any], ...] = tuple({} for _ in parsed)
    recall = dict.__getitem__
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
        picked = pick_cells(cells)
        try:  # fast path: every cell parses and every required cell is filled
            try:
                parsed_cells = tuple(map(recall, memories, picked))
            except KeyError:  # a cell not seen yet: parse the new ones only
                parsed_cells = tuple(map(_recall_or_parse, memories, parsers, picked))
            complete = None not in pick_required(parsed_cells)
        except CellError:
            complete = False
        if complete:
            values = dict(zip(names, parsed_cells, strict=True))
        else:
            values = _report_cells(name, start, cells, parsed, required, issues)
        extra = {h: cells[i].strip() for i, h in extras if cells[i].strip()} if extras else {}
        yield Row(start, values, extra)


_MEMORY_LIMIT = 4096  # cells remembered per column


_NOT_SEEN: Any = object()


def _recall_or_parse(memory: dict[str, Any], parse: Callable[[str], Any], cell: str) -> Any:
    value = memory.get(cell, _NOT_SEEN)
    if value is _NOT_SEEN:
        value = parse(cell)  # a CellError is never remembered
        if len(memory) >= _MEMORY_LIMIT:
            memory.clear()
        memory[cell] = value
    return value


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
