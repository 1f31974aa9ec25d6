"""Backups of the registry and restoring one, checked before anything is replaced.

SQLite (the embedded default):
- `backup_sqlite` copies the live database with SQLite's online backup API in one step:
  the copy is one consistent snapshot (a read transaction; in WAL mode writers go on
  meanwhile), written to `FILE.partial`, checked like a restore would check it, and only
  then renamed to FILE.
- `check_backup` opens a copy of a backup file and says what is wrong with it, if
  anything: not a SQLite database, `PRAGMA integrity_check` not "ok", no myotrack schema,
  a schema revision this version of myotrack does not know (made by a newer one), or an
  audit trail whose hash chain is broken (after bringing the copy's schema up to date,
  as the restore would).
- `restore_sqlite` checks the file first and refuses a bad one (nothing is changed).
  Then it keeps the current database as `<database>.before-restore-<time>` and copies the
  backup into the live database with the same backup API (other connections see the
  restored data at their next transaction; no file is swapped under a running server),
  and appends an audit row saying what was restored.

PostgreSQL: use the server's own tools; `postgres_guidance` says how.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from myotrack.registry.audit import verify_chain, write_audit
from myotrack.registry.engine import connect, transaction
from myotrack.registry.errors import RegistryError
from myotrack.registry.migrate import alembic_config, current_revision, upgrade

SQLITE_HEADER = b"SQLite format 3\x00"


class BackupError(RegistryError):
    """A backup could not be made, or a file cannot be restored (nothing was changed)."""


@dataclass(frozen=True, slots=True)
class BackupCheck:
    """What `check_backup` found in a backup file."""

    path: Path
    revision: str | None
    audit_rows: int
    audit_head: str
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def sqlite_path(engine: Engine) -> Path | None:
    """The file of a SQLite registry (None for PostgreSQL or an in-memory database)."""
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def postgres_guidance(url: str) -> str:
    """How to back up and restore a PostgreSQL registry with the server's tools."""
    shown = make_url(url)
    name = shown.database or "DATABASE"
    host = f" -h {shown.host}" if shown.host else ""
    user = f" -U {shown.username}" if shown.username else ""
    return (
        "This registry is on PostgreSQL: back it up with the server's own tools, e.g.\n"
        f"  pg_dump{host}{user} --format=custom --file=myotrack-$(date +%F).dump {name}\n"
        "(a consistent snapshot while the app keeps writing). To restore into an EMPTY "
        "database of the same name:\n"
        f"  pg_restore{host}{user} --dbname={name} --exit-on-error myotrack-YYYY-MM-DD.dump\n"
        "then run `myotrack audit verify` against it before the app uses it. Keep dumps "
        "off the database server, and test a restore now and then."
    )


def known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def _integrity(path: Path) -> str | None:
    """None when `path` is a sound SQLite database, else what is wrong."""
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        return f"cannot read {path}: {exc.strerror}"
    if header != SQLITE_HEADER:
        return f"{path.name} is not a SQLite database (not a myotrack backup)"
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return f"{path.name} cannot be read as a database: {exc}"
    result = [str(r[0]) for r in rows]
    if result != ["ok"]:
        return f"{path.name} is damaged (integrity check: {'; '.join(result[:3])})"
    return None


def check_backup(path: Path) -> BackupCheck:
    """Check a SQLite backup without changing it (the checks run on a temporary copy)."""
    problem = _integrity(path)
    if problem is not None:
        return BackupCheck(path, None, 0, "", (problem,))
    with tempfile.TemporaryDirectory(prefix="myotrack-check-") as tmp:
        copy = Path(tmp) / "check.db"
        shutil.copyfile(path, copy)
        engine = connect(f"sqlite:///{copy}")
        try:
            revision = current_revision(engine)
            if revision is None:
                return BackupCheck(
                    path, None, 0, "", (f"{path.name} holds no myotrack registry (no schema)",)
                )
            if revision not in known_revisions():
                return BackupCheck(
                    path,
                    revision,
                    0,
                    "",
                    (
                        f"{path.name} has schema revision {revision}, which this version of "
                        "myotrack does not know (made by a newer myotrack): update myotrack "
                        "first",
                    ),
                )
            upgrade(engine)  # as the restored registry would be, chaining an old trail
            with transaction(engine) as session:
                report = verify_chain(session)
        finally:
            engine.dispose()
    problems = () if report.intact else (f"the audit trail is not intact: {report.problem}",)
    return BackupCheck(path, revision, report.rows, report.head_hash, problems)


def backup_sqlite(engine: Engine, target: Path, *, overwrite: bool = False) -> BackupCheck:
    """Copy the live SQLite registry to `target` (see the module docstring)."""
    source = sqlite_path(engine)
    if source is None:
        raise BackupError("only a SQLite registry file can be copied by myotrack backup")
    if not source.exists():
        raise BackupError(f"there is no registry at {source}")
    if target.exists() and not overwrite:
        raise BackupError(f"{target} exists already: choose a new file name (or --overwrite)")
    if target.resolve() == source.resolve():
        raise BackupError("the backup file must not be the registry itself")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(partial)
    try:
        src.backup(dst)  # one step: one consistent snapshot
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        dst.close()
        src.close()
    check = check_backup(partial)
    if not check.ok:
        partial.unlink(missing_ok=True)
        raise BackupError("the copy failed its check: " + "; ".join(check.problems))
    os.replace(partial, target)
    return BackupCheck(target, check.revision, check.audit_rows, check.audit_head, ())


def restore_sqlite(engine: Engine, source: Path, *, actor: str) -> tuple[BackupCheck, Path | None]:
    """Replace the live SQLite registry by the backup `source`, after checking it (a
    registry file that is gone is created). Returns the check and where the replaced
    database was kept (None when there was none)."""
    live = sqlite_path(engine)
    if live is None:
        raise BackupError("myotrack restore replaces a SQLite registry file only")
    check = check_backup(source)
    if not check.ok:
        raise BackupError(
            f"{source} was not restored (the registry is unchanged): " + "; ".join(check.problems)
        )
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept: Path | None = None
    if live.exists() and live.stat().st_size > 0:
        kept = live.with_name(f"{live.name}.before-restore-{stamp}")
        old = sqlite3.connect(f"file:{live}?mode=ro", uri=True, timeout=30)
        keep = sqlite3.connect(kept)
        try:
            old.backup(keep)
            keep.execute("PRAGMA journal_mode=DELETE")
        finally:
            keep.close()
            old.close()
    with tempfile.TemporaryDirectory(prefix="myotrack-restore-") as tmp:
        staged = Path(tmp) / "staged.db"
        shutil.copyfile(source, staged)
        staged_engine = connect(f"sqlite:///{staged}")
        try:
            upgrade(staged_engine)  # an older backup comes back at this version's schema
        finally:
            staged_engine.dispose()
        engine.dispose()  # this process's pooled connections must not hold old pages
        src = sqlite3.connect(staged)
        dst = sqlite3.connect(live, timeout=30)
        try:
            src.backup(dst)  # takes the write lock; others see the restored registry next
        finally:
            dst.close()
            src.close()
    with transaction(engine, write=True) as session:
        write_audit(
            session.connection(),
            actor=actor,
            action="import",
            table=None,
            record=None,
            patient_id=None,
            old=None,
            new={"restored_from": source.name, "backup_audit_head": check.audit_head},
            reason=f"registry restored from the backup {source.name}",
        )
    return check, kept
