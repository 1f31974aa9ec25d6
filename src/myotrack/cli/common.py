"""What every command shares: the --database option, the console, opening the registry
with an error a user can act on, and who is acting (for the audit trail)."""

from __future__ import annotations

import getpass
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from myotrack.domain import ValidationIssue

# Piped output (files, other programs, tests) is not cut at 80 columns.
_WIDTH = None if sys.stdout.isatty() else 160
console = Console(highlight=False, width=_WIDTH)
err_console = Console(stderr=True, highlight=False, width=_WIDTH)

DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database",
        envvar="MYOTRACK_DATABASE_URL",
        help="Registry database URL, e.g. sqlite:///myotrack.db or "
        "postgresql+psycopg://user:pass@host/db. Default: myotrack.db in this folder.",
        show_default=False,
    ),
]


def fail(message: str, code: int = 1) -> NoReturn:
    err_console.print(f"[bold red]Error:[/] {message}")
    raise typer.Exit(code)


# The registries the running command opened: `close_registries` disposes of them when the
# command ends (the app's callback registers it), so their pooled connections close with
# the command, also when a test runs it in-process.
_opened: list[Engine] = []


def close_registries() -> None:
    """Close the pooled connections of every registry this command opened."""
    while _opened:
        _opened.pop().dispose()


def open_registry(url: str | None, *, create: bool = True) -> Engine:
    """Connect and bring the schema up to date (idempotent), or stop with a clear error."""
    from myotrack import registry

    try:
        engine = registry.connect(url)
        _opened.append(engine)
        if create:
            registry.upgrade(engine)
        elif registry.current_revision(engine) is None:
            fail(
                f"there is no registry at {shown_url(registry.database_url(url))} yet: "
                "run `myotrack import FOLDER` (or `myotrack init`) first."
            )
    except ArgumentError:
        fail(
            "the --database URL (or MYOTRACK_DATABASE_URL) is not one myotrack can use; "
            "write it like sqlite:///myotrack.db or postgresql+psycopg://user:password@host/database."
        )
    except OperationalError as exc:
        fail(
            f"cannot open the registry at {shown_url(registry.database_url(url))}: {exc.orig}. "
            "Check the --database URL (or MYOTRACK_DATABASE_URL) and that the server is running."
        )
    return engine


def actor() -> str:
    """The person acting, for the audit trail: the operating-system user of this shell."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def print_issues(issues: Iterable[ValidationIssue], *, limit: int = 500) -> int:
    """Print problems as `file:line: column: message`; returns how many there were."""
    count = 0
    for issue in issues:
        if count < limit:
            err_console.print(str(issue), markup=False, soft_wrap=True)
        count += 1
    if count > limit:
        err_console.print(f"... and {count - limit} more problems (first {limit} shown)")
    return count


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()


def output_folder(path: Path) -> Path:
    """A folder to write a cohort into: new, or existing; never a file."""
    if path.exists() and not path.is_dir():
        fail(f"{path} is a file; give the name of a folder to write the cohort into.")
    return path


def shown_url(url: str) -> str:
    """A database URL as printed: never with its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(the given database URL)"
