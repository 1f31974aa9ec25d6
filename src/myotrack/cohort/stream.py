"""Reading a cohort folder of format version 1 without holding its rows (issue 13).

`scan_folder` checks a folder in one pass over each file, a row at a time, and keeps only
compact state for the rules that span rows: the patients as `patient_id -> (birth date,
sex)`, the JAK-inhibitor starts of each patient while treatments.csv is read, and each
file's natural keys as 64-bit hashes (`KeyIndex`, 8 bytes a row; the few rows whose
hashes meet are read again to compare the keys themselves). It finds exactly the problems
and warnings of `read_folder`, in the same order and with the same words (file, line,
column, message, rule; "already on line N"); `tests/cohort/test_reader_stream.py` holds
the two side by side on good and bad folders.

A folder without problems gives a `FolderScan`: its cut-off date, the number of rows of
each file and `chunks(file)`, the domain objects of a file read again in chunks, for an
import that stores a chunk at a time (`registry.import_folder_chunks`). Memory is then
the interpreter, one chunk and the patients, whatever the size of the cohort.

Folders this module does not read (format version 2, an unreadable cohort.toml, a path
that is not a folder) give None: the caller reads them with `read_folder`.
"""

from __future__ import annotations

import csv
from array import array
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Final

import numpy as np

from myotrack.cohort.columns import FILES
from myotrack.cohort.reader import (
    OBJECT_OF,
    _check_files,
    _collector_paused,
    _explain_v2_columns,
    _read_settings,
)
from myotrack.cohort.record_checks import CHECKS, CONFIRM_COLUMN, CONFIRMED, Context
from myotrack.cohort.record_checks import check_jak_start as _jak_clash
from myotrack.cohort.table import Row, iter_table
from myotrack.domain import ValidationIssue
from myotrack.domain.vocab import JAK_INHIBITORS

CHUNK: Final = 20_000  # domain objects per chunk given to a sink or by `FolderScan.chunks`

Issues = list[ValidationIssue]
Sink = Callable[[str, list[Any]], None]


@dataclass(frozen=True, slots=True)
class UniqueKey:
    """A file's natural key as `cohort.rules` checks it: the key columns (a row missing
    one of them has no key), columns added to the key when present, the message."""

    columns: tuple[str, ...]
    also: tuple[str, ...]
    what: str
    column: str

    def of(self, values: dict[str, Any]) -> tuple[Hashable, ...] | None:
        key = tuple(map(values.get, self.columns))
        if None in key:
            return None
        return (*key, *map(values.get, self.also)) if self.also else key


UNIQUE_KEYS: Final = {
    "patients.csv": UniqueKey(("patient_id",), (), "this patient_id is", "patient_id"),
    "visits.csv": UniqueKey(
        ("patient_id", "date"), (), "a visit of this patient on this date is", "date"
    ),
    "labs.csv": UniqueKey(
        ("patient_id", "date", "analyte"),
        (),
        "a result of this analyte for this patient on this date is",
        "analyte",
    ),
    "treatments.csv": UniqueKey(
        ("patient_id", "drug", "start_date"),
        (),
        "a course of this drug for this patient starting on this date is",
        "start_date",
    ),
    "events.csv": UniqueKey(
        ("patient_id", "date", "event"),
        ("detail",),
        "the same event for this patient on this date is",
        "event",
    ),
}


class KeyIndex:
    """The keys of a file's rows as 64-bit hashes (8 bytes a row). `repeated_hashes()`
    gives the hashes that more than one row has: only rows with those can repeat a key,
    and only their keys are compared (read again) to name the first line."""

    def __init__(self) -> None:
        self.hashes = array("q")

    def add(self, key: Hashable) -> None:
        self.hashes.append(hash(key))

    def repeated_hashes(self) -> set[int]:
        if len(self.hashes) < 2:
            return set()
        hashes = np.frombuffer(self.hashes, dtype=np.int64)
        hashes.sort()  # in place: the index is not used again
        same = hashes[1:] == hashes[:-1]
        if not same.any():
            return set()
        return {int(h) for h in hashes[1:][same]}


@dataclass(slots=True)
class FolderScan:
    """A checked version 1 folder, ready to be read again a chunk at a time."""

    folder: Path
    cutoff_date: date | None
    rows: dict[str, int] = field(default_factory=dict)  # file -> rows read

    def chunks(self, file: str, size: int = CHUNK) -> Iterator[list[Any]]:
        """The domain objects of `file` (Patient, Visit, LabResult, DrugCourse, Event) in
        lists of at most `size`, in the file's order. Raises FolderChangedError if the file
        no longer reads as it did when it was checked."""
        path = self.folder / file
        if not path.is_file():
            if self.rows.get(file):
                raise FolderChangedError(f"{file} was removed after it was checked")
            return
        build = OBJECT_OF[file]
        problems: Issues = []
        chunk: list[Any] = []
        count = 0
        with _collector_paused():
            for row in iter_table(path, FILES[file], problems):
                if problems:
                    break
                chunk.append(build(row))
                count += 1
                if len(chunk) >= size:
                    yield chunk
                    chunk = []
        if problems or count != self.rows.get(file, 0):
            raise FolderChangedError(f"{file} changed after it was checked; read it again")
        if chunk:
            yield chunk


class FolderChangedError(RuntimeError):
    """A file of the folder changed between its check and its import."""


def scan_folder(
    path: str | Path,
    *,
    today: date | None = None,
    accept_implausible: bool = False,
    warnings: Issues | None = None,
    sink: Sink | None = None,
) -> tuple[FolderScan | None, Issues] | None:
    """Check a version 1 cohort folder a row at a time; the scan and no issues, or None
    and every issue (those of `read_folder`, in its order). None instead of the pair for a
    folder to be read with `read_folder` (see the module docstring).

    `sink(file, objects)`, when given, receives the domain objects of the rows read so far
    in chunks, file after file, as long as no problem has been found; a folder may still
    turn out to have problems afterwards (a key repeated further on), so whatever the sink
    does must be undone then (the import's transaction is)."""
    folder = Path(path)
    if not streamable(folder):
        return None
    cutoff, _ = _read_settings(folder, [])
    on = date.today() if today is None else today
    with _collector_paused():
        return _scan(folder, cutoff, on, accept_implausible, warnings, sink)


def streamable(path: Path) -> bool:
    """Whether `scan_folder` reads this folder: a folder of format version 1 whose
    cohort.toml (if any) reads without a problem."""
    if not path.is_dir():
        return False
    problems: Issues = []
    _, version = _read_settings(path, problems)
    return version == 1 and not problems


def count_records(path: Path) -> int | None:
    """The data rows of a CSV file as the reader counts them (blank lines not counted);
    None if it cannot be read. Equal to the rows of a file without problems."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            reader = csv.reader(stream, strict=True)
            if next(reader, None) is None:
                return 0
            return sum(1 for cells in reader if len(cells) > 1 or (cells and cells[0].strip()))
    except (OSError, UnicodeDecodeError, csv.Error):
        return None


def _scan(
    folder: Path,
    cutoff: date | None,
    today: date,
    accept_implausible: bool,
    warnings: Issues | None,
    sink: Sink | None,
) -> tuple[FolderScan | None, Issues]:
    issues: Issues = []
    _check_files(folder, issues, 1)
    cells: Issues = []  # the problems of single cells, file after file
    across: Issues = []  # the rules across rows, in `check_cross_rows`'s order
    scan = FolderScan(folder, cutoff)
    patients: dict[str, Context] = {}  # patient_id -> what its records are checked against
    for name, columns in FILES.items():
        file = folder / name
        if not file.is_file():
            scan.rows[name] = 0
            continue
        checker = _FileChecker(name, today, accept_implausible, warnings, patients)
        rows = 0
        seen = len(cells)
        build = OBJECT_OF[name]
        chunk: list[Any] = []
        # rows go to the sink while nothing is wrong with the folder so far
        storing = sink is not None and not (issues or cells or across)
        put: Sink = sink if sink is not None else _no_sink
        for row in iter_table(file, columns, cells):
            rows += 1
            bad = False
            if len(cells) > seen:
                bad = any(issue.line == row.line for issue in cells[seen:])
                seen = len(cells)
                storing = False
            checker.row(row, bad)
            if storing:
                if checker.records or checker.jak:
                    storing = False
                    continue
                chunk.append(build(row))
                if len(chunk) >= CHUNK:
                    put(name, chunk)
                    chunk = []
        if storing and chunk:
            put(name, chunk)
        scan.rows[name] = rows
        unique = _repeated_keys(file, name, checker.keys)
        if name == "patients.csv":
            across += unique + checker.records
        else:
            across += checker.records + unique + checker.jak
    issues += cells
    issues += across
    _explain_v2_columns(issues)
    return (None, issues) if issues else (scan, issues)


def _no_sink(_file: str, _objects: list[Any]) -> None:
    return None


class _FileChecker:
    """The rules across rows of one file, fed a row at a time."""

    def __init__(
        self,
        file: str,
        today: date,
        accept_implausible: bool,
        warnings: Issues | None,
        patients: dict[str, Context],
    ) -> None:
        self.file = file
        self.today = today
        self.accept_implausible = accept_implausible
        self.warnings = warnings
        self.patients = patients
        self.check: Callable[..., Any] = CHECKS[file]
        self.key_of = UNIQUE_KEYS[file].of
        self.keys = KeyIndex()
        self.add_hash = self.keys.hashes.append
        self.records: Issues = []
        self.jak: Issues = []
        self.jak_starts: dict[str, dict[date, int]] = {}
        self.is_patients = file == "patients.csv"
        self.own = Context(today)

    def row(self, row: Row, bad: bool) -> None:
        values = row.values
        key = self.key_of(values)
        if key is not None:
            self.add_hash(hash(key))
        pid = values.get("patient_id")
        if self.is_patients:
            if pid is not None and pid not in self.patients:
                birth, sex = values.get("birth_date"), values.get("sex")
                self.patients[pid] = Context(self.today, birth, sex)
            if not bad:
                self._record(row, self.own)
            return
        if pid is None:
            return
        patient = self.patients.get(pid)
        if patient is None:
            self.records.append(
                ValidationIssue(
                    self.file,
                    row.line,
                    "patient_id",
                    "unknown_patient",
                    f"patient_id '{pid}' is not in patients.csv",
                )
            )
        elif not bad:
            self._record(row, patient)
        if self.file == "treatments.csv":
            self._jak_start(pid, row)

    def _record(self, row: Row, ctx: Context) -> None:
        problems = self.check(row.values, ctx)
        if not problems:
            return
        for problem in problems:
            issue = ValidationIssue(
                self.file, row.line, problem.field, problem.rule, problem.message
            )
            if problem.needs_confirmation and (
                self.accept_implausible or row.extra.get(CONFIRM_COLUMN, "").lower() == CONFIRMED
            ):
                if self.warnings is not None:
                    self.warnings.append(issue)
                continue
            self.records.append(issue)

    def _jak_start(self, pid: str, row: Row) -> None:
        values = row.values
        drug, start = values.get("drug"), values.get("start_date")
        starts = self.jak_starts.setdefault(pid, {})
        clash = _jak_clash(drug, start, starts)
        if clash is not None and isinstance(start, date):
            self.jak.append(
                ValidationIssue(
                    self.file,
                    row.line,
                    clash.field,
                    clash.rule,
                    f"{clash.message} (see line {starts[start]})",
                )
            )
        elif isinstance(start, date) and drug in JAK_INHIBITORS:
            starts[start] = row.line


def _repeated_keys(path: Path, file: str, index: KeyIndex) -> Issues:
    """The rows repeating an earlier row's key, in line order, each naming the first line;
    only the rows whose key hashes meet are looked at again (the file is read again)."""
    suspects = index.repeated_hashes()
    if not suspects:
        return []
    unique = UNIQUE_KEYS[file]
    first_line: dict[tuple[Hashable, ...], int] = {}
    repeated: Issues = []
    for row in iter_table(path, FILES[file], []):
        key = unique.of(row.values)
        if key is None or hash(key) not in suspects:
            continue
        if key in first_line:
            repeated.append(
                ValidationIssue(
                    file,
                    row.line,
                    unique.column,
                    "unique",
                    f"{unique.what} already on line {first_line[key]}",
                )
            )
        else:
            first_line[key] = row.line
    return repeated


def folder_cutoff_date(folder: Path) -> date | None:
    """The cut-off date of a folder's cohort.toml (None when it gives none)."""
    return _read_settings(folder, [])[0]
