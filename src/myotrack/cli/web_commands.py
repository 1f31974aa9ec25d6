"""`myotrack serve` (the clinic web app) and `myotrack user add|password|end-sessions`
(accounts)."""

from __future__ import annotations

import os
import secrets
from typing import Annotated

import typer

from myotrack.cli.app import app
from myotrack.cli.common import (
    DatabaseOption,
    actor,
    console,
    fail,
    open_registry,
    shown_url,
)

user_app = typer.Typer(help="User accounts of the web app.", no_args_is_help=True)
app.add_typer(user_app, name="user")

ROLE_HELP = (
    "admin (everything), clinician (patients of their site), researcher (read-only, de-identified)"
)

# The demo logins `serve --demo` creates (role, site); the site is the demo cohort's main one.
DEMO_SITE = "Demo Centre A"
DEMO_USERS: tuple[tuple[str, str, str | None], ...] = (
    ("demo", "admin", None),
    ("nurse", "clinician", DEMO_SITE),
    ("researcher", "researcher", None),
)


def _demo(url: str | None, password: str) -> str:
    """Import the demo cohort (idempotent) and (re)set the demo logins' password."""
    from myotrack import registry
    from myotrack.cohort import DEMO_FOLDER, read_folder
    from myotrack.media import add_demo_images
    from myotrack.web import hash_password

    engine = open_registry(url)
    cohort, issues = read_folder(DEMO_FOLDER)
    if cohort is None or issues:
        fail(f"the bundled demo cohort at {DEMO_FOLDER} does not read cleanly: {issues[:3]}")
    hashed = hash_password(password)
    with registry.transaction(engine) as session:
        summary = registry.import_cohort(
            session,
            cohort,
            actor="myotrack serve --demo",
            reason="demo cohort",
            source=str(DEMO_FOLDER),
        )
        for username, role, site in DEMO_USERS:
            if registry.get_user(session, username) is None:
                registry.create_user(
                    session,
                    username,
                    password_hash=hashed,
                    role=role,
                    site=site,
                    actor="myotrack serve --demo",
                )
            else:
                registry.set_password_hash(session, username, hashed, actor="myotrack serve --demo")
    add_demo_images(engine)  # fictional images of the demo's MDA5-case (issue 14)
    engine.dispose()
    return "loaded" if summary.changed else "already loaded (unchanged)"


@app.command()
def serve(
    host: Annotated[
        str, typer.Option(help="Address to listen on (127.0.0.1: this machine only)")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port")] = 8000,
    database: DatabaseOption = None,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo", help="Load the demo cohort and create demo logins (printed at start-up)"
        ),
    ] = False,
    https: Annotated[
        bool,
        typer.Option(
            "--https", help="Served behind HTTPS (a TLS proxy): cookies are sent over HTTPS only"
        ),
    ] = False,
    workers: Annotated[
        int,
        typer.Option(
            min=1, max=64, help="Worker processes (2 to 4 suit a clinic, on SQLite or PostgreSQL)"
        ),
    ] = 1,
    secret_key: Annotated[
        str | None,
        typer.Option(
            envvar="MYOTRACK_SECRET_KEY",
            show_default=False,
            help="Key that signs session cookies; without it a random one is made and "
            "everyone is logged out when the server restarts",
        ),
    ] = None,
) -> None:
    """Serve the web app (pages and JSON API) with uvicorn."""
    import uvicorn

    from myotrack import registry
    from myotrack.web import create_app

    password = None
    if demo:
        password = os.environ.get("MYOTRACK_DEMO_PASSWORD") or secrets.token_urlsafe(9)
        state = _demo(database, password)
        console.print(f"Demo cohort {state}.")
    else:
        open_registry(database).dispose()
    web = create_app(database, secret_key=secret_key, https=https) if workers == 1 else None
    url = f"http{'s' if https else ''}://{host}:{port}/"

    shown = shown_url(registry.database_url(database))
    console.print(f"myotrack is serving the registry at {shown}")
    console.print(f"Open [bold]{url}[/] in a browser.  (Ctrl+C stops it.)")
    if password is not None:
        for username, role, site in DEMO_USERS:
            where = f", site {site}" if site else ""
            console.print(
                f"  log in as [bold]{username}[/] ({role}{where}) with password "
                f"[bold]{password}[/]",
                markup=True,
            )
    if web is not None:
        uvicorn.run(web, host=host, port=port, log_level="info", proxy_headers=https)
        return
    # Several processes: each builds the app from the environment, with one shared key.
    # (Sessions and failed-login counts live in the registry, shared by all of them.)
    os.environ["MYOTRACK_SECRET_KEY"] = secret_key or secrets.token_urlsafe(32)
    os.environ["MYOTRACK_DATABASE_URL"] = registry.database_url(database)
    os.environ["MYOTRACK_HTTPS"] = "1" if https else "0"
    uvicorn.run(
        "myotrack.web.app:app_from_environment",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="info",
        proxy_headers=https,
    )


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="User name")],
    role: Annotated[str, typer.Option(help=ROLE_HELP)],
    site: Annotated[
        str | None, typer.Option(help="The user's site (clinicians must have one)")
    ] = None,
    database: DatabaseOption = None,
    password: Annotated[
        str,
        typer.Option(
            prompt=True, hide_input=True, confirmation_prompt=True, help="Asked for when not given"
        ),
    ] = "",
) -> None:
    """Create a web-app account; the password is asked for and stored hashed (Argon2)."""
    from myotrack import registry
    from myotrack.web import Role, hash_password, password_problem

    if role not in {r.value for r in Role}:
        fail(f"--role must be one of admin, clinician, researcher; got {role!r}")
    if role == Role.CLINICIAN.value and not site:
        fail("a clinician needs --site (they see the patients of that site only)")
    problem = password_problem(password, name, site=site)
    if problem is not None:
        fail(problem)
    engine = open_registry(database)
    try:
        with registry.transaction(engine, write=True) as session:
            registry.create_user(
                session,
                name,
                password_hash=hash_password(password),
                role=role,
                site=site,
                actor=actor(),
            )
    except registry.RegistryError as exc:  # taken, looks like an existing name, busy
        fail(str(exc))
    console.print(f"Created {role} {name!r}" + (f" of site {site!r}." if site else "."))


@user_app.command("password")
def user_password(
    name: Annotated[str, typer.Argument(help="User name")],
    database: DatabaseOption = None,
    password: Annotated[
        str,
        typer.Option(
            prompt="New password",
            hide_input=True,
            confirmation_prompt=True,
            help="Asked for when not given",
        ),
    ] = "",
) -> None:
    """Set a new password for an account; its web sessions end at once."""
    from myotrack import registry
    from myotrack.web import hash_password, password_problem

    engine = open_registry(database)
    with registry.transaction(engine) as session:
        account = registry.get_user(session, name)
    if account is None:
        fail(f"there is no user {name!r}")
    problem = password_problem(password, name, site=account.site)
    if problem is not None:
        fail(problem)
    try:
        with registry.transaction(engine, write=True) as session:
            registry.set_password_hash(session, name, hash_password(password), actor=actor())
    except registry.RegistryError as exc:
        fail(str(exc))
    console.print(f"New password set for {name!r}; their sessions have ended.")


@user_app.command("end-sessions")
def user_end_sessions(
    name: Annotated[str, typer.Argument(help="User name")],
    database: DatabaseOption = None,
) -> None:
    """Log a user out everywhere now (a lost or shared computer)."""
    from myotrack import registry
    from myotrack.registry import end_sessions_of

    engine = open_registry(database)
    with registry.transaction(engine, write=True) as session:
        if registry.get_user(session, name) is None:
            fail(f"there is no user {name!r}")
        ended = end_sessions_of(session, name)
    console.print(f"Ended {ended} session{'s' if ended != 1 else ''} of {name!r}.")
