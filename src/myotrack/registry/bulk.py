"""Bulk import of a whole cohort (the cohort folder) into the registry.

Merge by natural keys (patient_id; visit: patient_id+date; lab: +date+analyte; course:
+drug+start_date; event: +date+event+detail; assessment: +date+instrument). New rows
are inserted, rows whose values differ are updated (one audit row each, old and new),
equal rows are left untouched, rows absent from the cohort are never deleted, and
rows that were retired in the registry stay retired (counted as `skipped_retired`:
re-importing an old folder must not bring back what someone deliberately removed).
Re-importing the same cohort writes nothing, not even an audit row.

For speed the existing rows are read once per table, compared as plain tuples, and
new rows are written with Core `insert()` executemany in chunks of plain dicts; see
`myotrack.registry.audit` for how the import is audited. The caller supplies the
transaction (`with transaction(engine) as session: import_cohort(session, ...)`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Table,
    bindparam,
    select,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from myotrack.cohort import (
    FolderChangedError,
    FolderScan,
    count_records,
    folder_cutoff_date,
    scan_folder,
    streamable,
)
from myotrack.domain import Cohort, ValidationIssue
from myotrack.registry.audit import audit_row, now_utc, write_audit, write_audit_rows
from myotrack.registry.errors import DuplicateError, NotFoundError
from myotrack.registry.fast import fetch_all, row_writer
from myotrack.registry.kinds import (
    ASSESSMENT,
    COURSE,
    EVENT,
    LAB,
    PATIENT,
    VISIT,
    Kind,
    Values,
    changed_fields,
    key_text,
    same_values,
)
from myotrack.registry.kinds_v2 import V2_KINDS
from myotrack.registry.locks import hold_import_lock
from myotrack.registry.settings import CUTOFF_DATE, read_setting, write_setting
from myotrack.registry.tables import PATIENT_TABLE

CHUNK = 10_000
_IN_LIMIT = 500  # patient ids per `IN (...)` when reading part of a table


@dataclass(slots=True)
class TableCounts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_retired: int = 0

    @property
    def total(self) -> int:
        return self.added + self.updated + self.unchanged + self.skipped_retired


@dataclass(slots=True)
class ImportSummary:
    """What an import did, per table (patient, visit, lab, course, event, assessment,
    setting). `import_id` is the id of the `import` audit event (None if nothing
    changed)."""

    tables: dict[str, TableCounts] = field(default_factory=dict)
    import_id: int | None = None

    def __getitem__(self, table: str) -> TableCounts:
        return self.tables[table]

    @property
    def changed(self) -> bool:
        return any(c.added or c.updated for c in self.tables.values())

    @property
    def total_rows(self) -> int:
        """Rows of the cohort the import looked at (the setting not counted)."""
        return sum(c.total for name, c in self.tables.items() if name != "setting")

    def counts(self) -> dict[str, dict[str, int]]:
        return {
            name: {
                "added": c.added,
                "updated": c.updated,
                "unchanged": c.unchanged,
                "skipped_retired": c.skipped_retired,
            }
            for name, c in self.tables.items()
        }


@dataclass(slots=True)
class _Existing:
    id: int
    version: int
    retired: bool
    values: Values


@dataclass(slots=True)
class _Plan:
    kind: Kind
    objs: Sequence[Any]
    keys: list[tuple[Any, ...]]
    counts: TableCounts
    inserts: list[int] = field(default_factory=list)
    updates: list[tuple[_Existing, int, Values]] = field(default_factory=list)


class _Progress:
    def __init__(self, total: int, callback: Callable[[int, int], None] | None) -> None:
        self.done = 0
        self.total = total
        self.callback = callback

    def advance(self, n: int) -> None:
        self.done += n
        if self.callback is not None and n:
            self.callback(self.done, self.total)


def _duplicate_error(kind: Kind, key: tuple[Any, ...]) -> DuplicateError:
    return DuplicateError(
        f"the cohort has two {kind.name} rows with the same key "
        f"({', '.join(kind.key_fields)}) = ({key_text(key)}); nothing was imported"
    )


def _check_unique(kind: Kind, keys: Sequence[tuple[Any, ...]]) -> None:
    matched = [kind.match_key(k) for k in keys] if kind.name == "event" else keys
    if len(set(matched)) != len(matched):
        seen: set[tuple[Any, ...]] = set()
        for k in matched:
            if k in seen:
                raise _duplicate_error(kind, k)
            seen.add(k)


def _keys(kind: Kind, objs: Sequence[Any]) -> list[tuple[Any, ...]]:
    if kind is PATIENT:
        return [(pid,) for pid in map(kind.key, objs)]
    return list(map(kind.key, objs))  # attrgetter of several fields: already tuples


def _read_existing(
    conn: Connection, kind: Kind, pid_of: dict[int, str], pks: set[int] | None
) -> dict[tuple[Any, ...], _Existing]:
    """Existing rows of `kind` keyed by match key; only of patients `pks` (None: all)."""
    t = kind.table
    cols = [t.c.id, t.c.patient_pk, t.c.row_version, t.c.retired_at]
    cols += [t.c[c] for c in kind.key_columns]
    cols += [t.c[c] for c in kind.value_columns]
    nk = len(kind.key_columns)
    out: dict[tuple[Any, ...], _Existing] = {}
    statements = []
    if pks is None or len(pks) * 2 >= len(pid_of):
        statements.append(select(*cols))
    else:
        ordered = sorted(pks)
        for i in range(0, len(ordered), _IN_LIMIT):
            part = ordered[i : i + _IN_LIMIT]
            statements.append(select(*cols).where(t.c.patient_pk.in_(part)))
    for stmt in statements:
        for row in fetch_all(conn, stmt):
            pk = row[1]
            if pks is not None and pk not in pks:
                continue
            key = kind.match_key((pid_of[pk], *row[4 : 4 + nk]))
            out[key] = _Existing(row[0], row[2], row[3] is not None, tuple(row[4 + nk :]))
    return out


def _plan(
    kind: Kind,
    objs: Sequence[Any],
    existing: dict[tuple[Any, ...], _Existing],
    retired_patients: set[str],
) -> _Plan:
    """Sort the cohort's rows into inserts, updates, unchanged and skipped.

    Duplicate keys among rows that match stored rows are found here; duplicates among
    new rows are refused by the table's unique index when they are inserted."""
    keys = _keys(kind, objs)
    plan = _Plan(kind, objs, keys, TableCounts())
    counts = plan.counts
    if not existing and not retired_patients:
        plan.inserts = list(range(len(objs)))
        counts.added = len(objs)
        return plan
    is_event = kind.name == "event"
    values = kind.values
    stored_keys: list[tuple[Any, ...]] = []
    for i, key in enumerate(keys):
        found = existing.get(kind.match_key(key) if is_event else key) if existing else None
        if found is None:
            if key[0] in retired_patients:
                counts.skipped_retired += 1
            else:
                plan.inserts.append(i)
            continue
        stored_keys.append(key)
        if found.retired or key[0] in retired_patients:
            counts.skipped_retired += 1
            continue
        new = values(objs[i])
        if same_values(found.values, new):
            counts.unchanged += 1
        else:
            plan.updates.append((found, i, new))
    _check_unique(kind, stored_keys)
    counts.added = len(plan.inserts)
    counts.updated = len(plan.updates)
    return plan


def _insert_rows(
    conn: Connection,
    plan: _Plan,
    pk_of: dict[str, int],
    import_id: int,
    progress: _Progress,
) -> None:
    if not plan.inserts:
        return
    kind = plan.kind
    is_patient = kind is PATIENT
    cols = (
        ("patient_id", *kind.value_columns)
        if is_patient
        else ("patient_pk", *kind.key_columns, *kind.value_columns)
    )
    write = row_writer(conn, kind.table, cols, {"row_version": 1, "created_by_audit_id": import_id})
    values = kind.values
    objs, keys = plan.objs, plan.keys
    for start in range(0, len(plan.inserts), CHUNK):
        rows: list[tuple[Any, ...]] = []
        append = rows.append
        for i in plan.inserts[start : start + CHUNK]:
            key = keys[i]
            if is_patient:
                append((*key, *values(objs[i])))
            else:
                append((pk_of[key[0]], *key[1:], *values(objs[i])))
        try:
            write(rows)
        except (IntegrityError, conn.dialect.loaded_dbapi.IntegrityError):
            _check_unique(kind, [keys[i] for i in plan.inserts])
            raise
        progress.advance(len(rows))


def _update_rows(
    conn: Connection,
    plan: _Plan,
    *,
    at: Any,
    actor: str,
    reason: str,
    import_id: int,
    progress: _Progress,
) -> None:
    if not plan.updates:
        return
    kind = plan.kind
    t: Table = kind.table
    stmt = (
        update(t)
        .where(t.c.id == bindparam("b_id"))
        .values(
            {
                **{c: bindparam("b_" + c, type_=t.c[c].type) for c in kind.value_columns},
                "row_version": t.c.row_version + 1,
            }
        )
    )
    for start in range(0, len(plan.updates), CHUNK):
        part = plan.updates[start : start + CHUNK]
        params = []
        audits = []
        for found, i, new in part:
            p = {"b_" + c: v for c, v in zip(kind.value_columns, new, strict=True)}
            p["b_id"] = found.id
            params.append(p)
            old_d, new_d = changed_fields(kind, found.values, new)
            key = plan.keys[i]
            audits.append(
                audit_row(
                    at=at,
                    actor=actor,
                    action="update",
                    table=kind.name,
                    record=key_text(key),
                    patient_id=key[0],
                    old=old_d,
                    new=new_d,
                    reason=reason,
                    import_id=import_id,
                )
            )
        conn.execute(stmt, params)
        write_audit_rows(conn, audits)  # appended to the audit hash chain
        progress.advance(len(part))


def _read_patients(
    conn: Connection,
) -> tuple[dict[int, str], set[str], dict[tuple[Any, ...], _Existing]]:
    """The registry's patients: patient_id by key, the retired ones, their stored rows."""
    p = PATIENT_TABLE
    pid_of: dict[int, str] = {}
    retired_patients: set[str] = set()
    patient_existing: dict[tuple[Any, ...], _Existing] = {}
    cols = [p.c.id, p.c.patient_id, p.c.row_version, p.c.retired_at]
    cols += [p.c[c] for c in PATIENT.value_columns]
    for row in conn.execute(select(*cols)):
        pid_of[row[0]] = row[1]
        patient_existing[(row[1],)] = _Existing(row[0], row[2], row[3] is not None, tuple(row[4:]))
        if row[3] is not None:
            retired_patients.add(row[1])
    return pid_of, retired_patients, patient_existing


def import_cohort(
    session: Session,
    cohort: Cohort,
    *,
    actor: str,
    reason: str,
    source: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportSummary:
    """Merge `cohort` into the registry (see the module docstring); returns the counts.

    Raises DuplicateError when the cohort itself holds two rows with one natural key,
    NotFoundError when a row refers to a patient neither in the cohort nor in the
    registry, ImportRunningError while another import runs (see `locks.py`). Nothing is
    written then; the caller's transaction decides the rest."""
    hold_import_lock(session)
    conn = session.connection()
    groups: list[tuple[Kind, Sequence[Any]]] = [
        (PATIENT, cohort.patients),
        (VISIT, cohort.visits),
        (LAB, cohort.labs),
        (COURSE, cohort.courses),
        (EVENT, cohort.events),
        (ASSESSMENT, cohort.assessments),
        *((kind, [r for r in cohort.v2_rows if r.kind == kind.name]) for kind in V2_KINDS),
    ]
    tracker = _Progress(sum(len(objs) for _, objs in groups), progress)

    # Patients: the table is small, read all of it.
    p = PATIENT_TABLE
    pid_of, retired_patients, patient_existing = _read_patients(conn)
    pk_of = {pid: pk for pk, pid in pid_of.items()}

    plans = [_plan(PATIENT, cohort.patients, patient_existing, retired_patients)]
    cohort_pids = {k[0] for k in plans[0].keys}
    for kind, objs in groups[1:]:
        referenced = {o.patient_id for o in objs}
        unknown = referenced - cohort_pids - pk_of.keys()
        if unknown:
            raise NotFoundError(
                f"{kind.name} rows refer to patient_id {', '.join(sorted(unknown)[:5])} "
                "which is neither in the cohort's patients nor in the registry; "
                "nothing was imported"
            )
        known_pks = {pk_of[pid] for pid in referenced if pid in pk_of}
        existing = _read_existing(conn, kind, pid_of, known_pks) if known_pks else {}
        plans.append(_plan(kind, objs, existing, retired_patients))

    summary = ImportSummary({plan.kind.name: plan.counts for plan in plans})
    setting_counts = TableCounts()
    summary.tables["setting"] = setting_counts
    old_cutoff = read_setting(conn, CUTOFF_DATE)
    new_cutoff = cohort.cutoff_date.isoformat() if cohort.cutoff_date else None
    if new_cutoff is not None:
        if old_cutoff == new_cutoff:
            setting_counts.unchanged = 1
        elif old_cutoff is None:
            setting_counts.added = 1
        else:
            setting_counts.updated = 1
    for plan in plans:
        tracker.advance(plan.counts.unchanged + plan.counts.skipped_retired)
    if not summary.changed:
        return summary

    at = now_utc()
    import_id = write_audit(
        conn,
        at=at,
        actor=actor,
        action="import",
        table=None,
        record=source,
        patient_id=None,
        old=None,
        new={"source": source, "counts": summary.counts()},
        reason=reason,
    )
    summary.import_id = import_id
    for plan in plans:
        _insert_rows(conn, plan, pk_of, import_id, tracker)
        if plan.kind is PATIENT and plan.inserts:
            stmt = select(p.c.id, p.c.patient_id).where(p.c.created_by_audit_id == import_id)
            for pk, pid in conn.execute(stmt):
                pk_of[pid] = pk
        _update_rows(
            conn,
            plan,
            at=at,
            actor=actor,
            reason=reason,
            import_id=import_id,
            progress=tracker,
        )
    if setting_counts.added or setting_counts.updated:
        assert new_cutoff is not None
        write_setting(
            conn, CUTOFF_DATE, new_cutoff, actor=actor, reason=reason, import_id=import_id, at=at
        )
    return summary


# ------------------------------------------------------------ a cohort folder, streamed


class FolderProblemsError(Exception):
    """The cohort folder has problems (`issues`, as `read_folder` gives them); nothing
    was stored: raised inside the import's transaction, which undoes every write."""

    def __init__(self, issues: list[ValidationIssue]) -> None:
        n = len(issues)
        super().__init__(f"{n} problem{'s' if n != 1 else ''} found; nothing was imported")
        self.issues = issues


_STREAM_CACHE_KIB = 16_384  # SQLite page cache while a folder is stored as it is read

_KIND_OF_FILE: dict[str, Kind] = {
    "patients.csv": PATIENT,
    "visits.csv": VISIT,
    "labs.csv": LAB,
    "treatments.csv": COURSE,
    "events.csv": EVENT,
}


def import_folder(
    session: Session,
    folder: Path,
    *,
    today: date,
    actor: str,
    reason: str,
    accept_implausible: bool = False,
    warnings: list[ValidationIssue] | None = None,
    source: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[ImportSummary, FolderScan] | None:
    """Check a cohort folder of format version 1 and merge it into the registry as
    `import_cohort(session, read_folder(folder))` does (the same counts, rows, audit
    event), without holding the whole cohort in memory (issue 13).

    The folder is read once (`cohort.stream.scan_folder`): when none of its patients is
    in the registry yet, the rows are stored a chunk at a time as they are checked (the
    import event's counts are the files' row counts, found first); if a problem turns up,
    FolderProblemsError is raised and the caller's transaction undoes every write. When
    the registry already holds some of its patients (a re-import, a merge), the checked
    folder is read again and merged with `import_cohort`. None for a folder that
    `scan_folder` does not read (format version 2, ...): read it with `read_folder`.
    Raises FolderProblemsError, and what `import_cohort` raises."""
    if not streamable(folder):
        return None
    hold_import_lock(session)
    conn = session.connection()
    pid_of, _, _ = _read_patients(conn)
    store = _FreshStore(
        conn,
        folder,
        registry_patients=set(pid_of.values()),
        actor=actor,
        reason=reason,
        source=source,
        progress=progress,
    )
    try:
        result = scan_folder(
            folder,
            today=today,
            accept_implausible=accept_implausible,
            warnings=warnings,
            sink=store.add,
        )
    finally:
        store.restore_cache()
    if result is None:  # pragma: no cover - the folder changed between the two looks
        raise FolderChangedError(f"{folder} changed while it was read; import it again")
    scan, issues = result
    if scan is None:
        raise FolderProblemsError(issues)
    if store.failure is not None:
        raise store.failure  # a database error no rule of the folder explains
    if not store.decided:
        store.decide()
    if store.summary is not None:
        return store.finish(scan), scan
    store.small_cache()  # the merge reads and writes a chunk at a time too
    try:
        summary = _merge_in_chunks(
            session, scan, actor=actor, reason=reason, source=source, progress=progress
        )
    finally:
        store.restore_cache()
    return summary, scan


def _merge_in_chunks(
    session: Session,
    scan: FolderScan,
    *,
    actor: str,
    reason: str,
    source: str | None,
    progress: Callable[[int, int], None] | None,
) -> ImportSummary:
    """`import_cohort` of a checked folder, a chunk at a time: the folder is read twice,
    first to count what will be added, updated, left or skipped (the import event's
    counts), then to write it; each chunk is compared with the stored rows of its own
    patients only. Memory: one chunk, its stored rows and the patients."""
    conn = session.connection()
    pid_of, retired_patients, patient_existing = _read_patients(conn)
    pk_of = {pid: pk for pk, pid in pid_of.items()}
    patients = [obj for chunk in scan.chunks("patients.csv") for obj in chunk]
    patient_plan = _plan(PATIENT, patients, patient_existing, retired_patients)
    cohort_pids = {k[0] for k in patient_plan.keys}
    records = list(_KIND_OF_FILE.items())[1:]

    def plans(file: str, kind: Kind) -> Iterator[_Plan]:
        for objs in scan.chunks(file):
            referenced = {o.patient_id for o in objs}
            unknown = referenced - cohort_pids - pk_of.keys()
            if unknown:  # pragma: no cover - the folder's check refuses unknown patients
                raise NotFoundError(
                    f"{kind.name} rows refer to patient_id {', '.join(sorted(unknown)[:5])} "
                    "which is neither in the cohort's patients nor in the registry; "
                    "nothing was imported"
                )
            known_pks = {pk_of[pid] for pid in referenced if pid in pk_of}
            existing = _read_existing(conn, kind, pid_of, known_pks) if known_pks else {}
            yield _plan(kind, objs, existing, retired_patients)

    tables = {PATIENT.name: patient_plan.counts}
    for file, kind in records:  # the first reading: counts only
        counts = tables[kind.name] = TableCounts()
        for plan in plans(file, kind):
            counts.added += plan.counts.added
            counts.updated += plan.counts.updated
            counts.unchanged += plan.counts.unchanged
            counts.skipped_retired += plan.counts.skipped_retired
    tables[ASSESSMENT.name] = TableCounts()
    tables.update((kind.name, TableCounts()) for kind in V2_KINDS)
    summary = ImportSummary(tables)
    setting_counts, new_cutoff = _setting_counts(conn, scan.cutoff_date)
    summary.tables["setting"] = setting_counts
    tracker = _Progress(sum(c.total for c in tables.values()), progress)
    tracker.advance(sum(c.unchanged + c.skipped_retired for c in tables.values()))
    if not summary.changed:
        return summary
    at = now_utc()
    import_id = summary.import_id = _write_import_event(
        conn, summary, at=at, actor=actor, reason=reason, source=source
    )

    def store(plan: _Plan) -> None:
        _insert_rows(conn, plan, pk_of, import_id, tracker)
        _update_rows(
            conn, plan, at=at, actor=actor, reason=reason, import_id=import_id, progress=tracker
        )

    _insert_rows(conn, patient_plan, pk_of, import_id, tracker)
    if patient_plan.inserts:
        p = PATIENT_TABLE
        stmt = select(p.c.id, p.c.patient_id).where(p.c.created_by_audit_id == import_id)
        for pk, pid in conn.execute(stmt):
            pk_of[pid] = pk
            pid_of[pk] = pid
    _update_rows(
        conn, patient_plan, at=at, actor=actor, reason=reason, import_id=import_id, progress=tracker
    )
    for file, kind in records:  # the second reading: the writes
        for plan in plans(file, kind):
            store(plan)
    if setting_counts.added or setting_counts.updated:
        assert new_cutoff is not None
        write_setting(
            conn, CUTOFF_DATE, new_cutoff, actor=actor, reason=reason, import_id=import_id, at=at
        )
    return summary


class _FreshStore:
    """The sink of `import_folder`: holds the patients until the first record arrives,
    then decides. A folder of new patients only (every row will be added) is stored as it
    is read; otherwise the store stays idle and the folder is merged after its check."""

    def __init__(
        self,
        conn: Connection,
        folder: Path,
        *,
        registry_patients: set[str],
        actor: str,
        reason: str,
        source: str | None,
        progress: Callable[[int, int], None] | None,
    ) -> None:
        self.conn = conn
        self.folder = folder
        self.registry_patients = registry_patients
        self.actor = actor
        self.reason = reason
        self.source = source
        self.progress = progress
        self.patients: list[Any] = []
        self.decided = False
        self.summary: ImportSummary | None = None  # set when storing as read
        self.stored: dict[str, int] = {}
        self.failure: Exception | None = None
        self.pk_of: dict[str, int] = {}
        self.import_id = 0
        self.writers: dict[str, Callable[[list[tuple[Any, ...]]], None]] = {}
        self.tracker = _Progress(0, None)
        self.new_cutoff: str | None = None
        self.setting = TableCounts()
        self.at = now_utc()
        self.cache_pragma: Any = None  # SQLite's page cache size before the import

    def add(self, file: str, objs: list[Any]) -> None:
        if file == "patients.csv" and not self.decided:
            self.patients.extend(objs)
            return
        if not self.decided:
            self.decide()
        if self.summary is None or self.failure is not None:
            return
        self._write(_KIND_OF_FILE[file], objs)

    def decide(self) -> None:
        """Store as read when no patient of the folder is in the registry and every file's
        rows can be counted (they are the import event's counts)."""
        self.decided = True
        if any(p.patient_id in self.registry_patients for p in self.patients):
            return
        rows: dict[str, int] = {"patients.csv": len(self.patients)}
        for file in list(_KIND_OF_FILE)[1:]:
            path = self.folder / file
            n = count_records(path) if path.is_file() else 0
            if n is None:
                return  # the check will say why
            rows[file] = n
        tables = {kind.name: TableCounts(added=rows[file]) for file, kind in _KIND_OF_FILE.items()}
        tables[ASSESSMENT.name] = TableCounts()
        tables.update((kind.name, TableCounts()) for kind in V2_KINDS)
        summary = ImportSummary(tables)
        self.setting, self.new_cutoff = _setting_counts(self.conn, folder_cutoff_date(self.folder))
        summary.tables["setting"] = self.setting
        self.summary = summary
        self.tracker = _Progress(sum(rows.values()), self.progress)
        if not summary.changed:
            return
        self.small_cache()
        self.at = now_utc()
        self.import_id = summary.import_id = _write_import_event(
            self.conn, summary, at=self.at, actor=self.actor, reason=self.reason, source=self.source
        )
        self._write(PATIENT, self.patients)
        p = PATIENT_TABLE
        stmt = select(p.c.id, p.c.patient_id).where(p.c.created_by_audit_id == self.import_id)
        self.pk_of = {pid: pk for pk, pid in self.conn.execute(stmt)}
        self.patients = []

    def small_cache(self) -> None:
        """SQLite: a page cache of `_STREAM_CACHE_KIB` while a folder is stored or merged a
        chunk at a time (the registry's connections keep 64 MiB, see engine.py, which an
        import of 10,000 patients fills and one of 1,000 does not: memory would grow with
        the cohort). Measured (benchmarks/bench_commands.py): no slower at 10,000 patients."""
        if self.conn.dialect.name != "sqlite":
            return
        self.cache_pragma = self.conn.exec_driver_sql("PRAGMA cache_size").scalar()
        self.conn.exec_driver_sql(f"PRAGMA cache_size=-{_STREAM_CACHE_KIB}")

    def restore_cache(self) -> None:
        if self.cache_pragma is not None:
            self.conn.exec_driver_sql(f"PRAGMA cache_size={int(self.cache_pragma)}")
            self.cache_pragma = None

    def _write(self, kind: Kind, objs: Sequence[Any]) -> None:
        if not objs:
            return
        write = self.writers.get(kind.name)
        if write is None:
            cols = (
                ("patient_id", *kind.value_columns)
                if kind is PATIENT
                else ("patient_pk", *kind.key_columns, *kind.value_columns)
            )
            constants = {"row_version": 1, "created_by_audit_id": self.import_id}
            write = self.writers[kind.name] = row_writer(self.conn, kind.table, cols, constants)
        values = kind.values
        if kind is PATIENT:
            rows = [(kind.key(o), *values(o)) for o in objs]
        else:
            pk_of = self.pk_of
            rows = []
            append = rows.append
            for obj, key in zip(objs, map(kind.key, objs), strict=True):
                pk = pk_of.get(key[0])
                if pk is None:
                    return  # refers to no patient of the folder: the check reports it
                append((pk, *key[1:], *values(obj)))
        try:
            write(rows)
        except (IntegrityError, self.conn.dialect.loaded_dbapi.IntegrityError) as exc:
            self.failure = exc  # a repeated key: the check reports it at the file's end
            return
        self.stored[kind.name] = self.stored.get(kind.name, 0) + len(rows)
        self.tracker.advance(len(rows))

    def finish(self, scan: FolderScan) -> ImportSummary:
        summary = self.summary
        assert summary is not None
        for file, kind in _KIND_OF_FILE.items():
            expected = summary[kind.name].added
            if scan.rows.get(file, 0) != expected or (
                summary.changed and self.stored.get(kind.name, 0) != expected
            ):
                raise FolderChangedError(
                    f"{file} changed while it was imported; nothing was imported, import again"
                )
        if summary.changed and (self.setting.added or self.setting.updated):
            assert self.new_cutoff is not None
            write_setting(
                self.conn,
                CUTOFF_DATE,
                self.new_cutoff,
                actor=self.actor,
                reason=self.reason,
                import_id=self.import_id,
                at=self.at,
            )
        return summary


def _setting_counts(conn: Connection, cutoff: date | None) -> tuple[TableCounts, str | None]:
    """The counts of the cut-off setting's import (added, updated or unchanged) and the
    value to store."""
    counts = TableCounts()
    old_cutoff = read_setting(conn, CUTOFF_DATE)
    new_cutoff = cutoff.isoformat() if cutoff else None
    if new_cutoff is not None:
        if old_cutoff == new_cutoff:
            counts.unchanged = 1
        elif old_cutoff is None:
            counts.added = 1
        else:
            counts.updated = 1
    return counts, new_cutoff


def _write_import_event(
    conn: Connection,
    summary: ImportSummary,
    *,
    at: Any,
    actor: str,
    reason: str,
    source: str | None,
) -> int:
    return write_audit(
        conn,
        at=at,
        actor=actor,
        action="import",
        table=None,
        record=source,
        patient_id=None,
        old=None,
        new={"source": source, "counts": summary.counts()},
        reason=reason,
    )
