"""Commands that keep the registry safe: `backup`, `restore` and `audit verify`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from myotrack.cli.app import app
from myotrack.cli.common import DatabaseOption, actor, console, fail, open_registry

audit_app = typer.Typer(
    help="The audit trail: check that no row of it was changed or removed.",
    no_args_is_help=True,
)
app.add_typer(audit_app, name="audit")


@app.command()
def backup(
    file: Annotated[Path, typer.Argument(help="The backup file to write (a new file)")],
    database: DatabaseOption = None,
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace FILE if it exists already")
    ] = False,
) -> None:
    """Copy the registry to FILE while it is in use (SQLite), checked before it is kept.
    For PostgreSQL, prints how to back up with pg_dump."""
    from myotrack import registry

    engine = open_registry(database, create=False)
    if engine.dialect.name != "sqlite":
        console.print(registry.postgres_guidance(registry.database_url(database)))
        return
    try:
        check = registry.backup_sqlite(engine, file, overwrite=overwrite)
    except registry.BackupError as exc:
        fail(str(exc))
    console.print(
        f"Backup written to {file}: integrity ok, schema revision {check.revision}, "
        f"audit trail intact ({check.audit_rows} rows, head {check.audit_head[:16]}).",
        soft_wrap=True,
    )


@app.command()
def restore(
    file: Annotated[Path, typer.Argument(help="A backup file written by `myotrack backup`")],
    database: DatabaseOption = None,
    yes: Annotated[
        bool, typer.Option("--yes", help="Do not ask before replacing the registry")
    ] = False,
) -> None:
    """Replace the registry by a backup, after checking the backup (integrity, schema
    revision, audit chain); a bad file is refused and nothing is changed."""
    from myotrack import registry

    if not file.is_file():
        fail(f"there is no file {file}")
    engine = registry.connect(database)  # the registry may be gone: restoring recreates it
    if engine.dialect.name != "sqlite" or registry.sqlite_path(engine) is None:
        fail(
            "this registry is on PostgreSQL: restore a pg_dump file with pg_restore "
            "(see `myotrack backup --help`), then run `myotrack audit verify`."
        )
    check = registry.check_backup(file)
    if not check.ok:
        fail(f"{file} was not restored (the registry is unchanged): " + "; ".join(check.problems))
    if not yes and not typer.confirm(
        f"Replace the registry by {file} ({check.audit_rows} audit rows)?", default=False
    ):
        fail("nothing was restored.")
    try:
        checked, kept = registry.restore_sqlite(engine, file, actor=actor())
    except registry.BackupError as exc:
        fail(str(exc))
    where = f" The replaced registry was kept as {kept}." if kept is not None else ""
    console.print(
        f"Restored the registry from {file} (schema revision {checked.revision}, audit "
        f"trail intact).{where}",
        soft_wrap=True,
    )


@audit_app.command("verify")
def audit_verify(
    database: DatabaseOption = None,
    expect: Annotated[
        str | None,
        typer.Option(
            "--expect",
            help="A head hash printed by an earlier `audit verify`: it must still be in the "
            "chain (this finds removed newest rows).",
        ),
    ] = None,
) -> None:
    """Check the audit trail's hash chain; report the first altered or missing row."""
    from myotrack import registry

    engine = open_registry(database, create=False)
    with registry.transaction(engine) as session:
        report = registry.verify_chain(session, expect=expect)
    if report.first_bad_id is not None:
        fail(f"the audit trail has been tampered with: {report.problem}", code=2)
    if report.expected_found is False:
        fail(
            f"the head hash {expect} is not in the audit trail: rows were removed or the "
            "registry was replaced since it was recorded",
            code=2,
        )
    console.print(
        f"Audit trail intact: {report.rows} rows, newest row {report.head_id}, head hash "
        f"{report.head_hash}. Keep this hash somewhere else and check it later with --expect.",
        soft_wrap=True,
    )
