"""Server-side sessions: an opaque cookie, revoked at once by logout, deactivation,
password change and an admin's "end sessions", in every server process; failed log-ins
counted once for all processes; a fault while checking a password is a 503, never
"wrong password"; the password policy and look-alike user names; the registry
migration that adds the tables keeps existing data."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import inspect, select

from myotrack import registry
from myotrack.registry.errors import UnavailableError
from myotrack.registry.migrate import alembic_config
from myotrack.registry.tables import WEB_SESSION_TABLE
from myotrack.web import WebSettings, create_app, passwords
from myotrack.web.errors import LOGIN_FAULT_MESSAGE

PASSWORD = "correct horse battery"
Clients = Callable[[str | None], TestClient]
SETTINGS = WebSettings(login_free_attempts=3, login_base_delay=60.0)


def _login(client: TestClient, username: str, password: str = PASSWORD) -> str:
    r = client.post("/api/session", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    client.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return str(client.cookies["myotrack_session"])


@pytest.fixture
def two_workers(db_url: str) -> Iterator[tuple[FastAPI, FastAPI]]:
    """Two apps on one registry, as two `serve --workers 2` processes are."""
    first = create_app(db_url, secret_key="shared", settings=SETTINGS)
    second = create_app(db_url, secret_key="shared", settings=SETTINGS)
    yield first, second
    first.state.engine.dispose()
    second.state.engine.dispose()


def test_the_cookie_is_an_opaque_random_id(app: FastAPI) -> None:
    with TestClient(app) as client:
        cookie = _login(client, "clin_a")
        other = TestClient(app)
        assert _login(other, "clin_a") != cookie  # a new random id per login
        other.close()
    assert len(cookie) == 43
    decoded = base64.urlsafe_b64decode(cookie + "=")
    assert b"clin_a" not in decoded and b"clin_a" not in cookie.encode()
    with app.state.engine.connect() as conn:
        stored = conn.execute(select(WEB_SESSION_TABLE.c.id_hash)).scalars().all()
    assert cookie not in stored  # only its hash is kept


def test_a_cookie_replayed_after_logout_is_refused(app: FastAPI) -> None:
    with TestClient(app) as client:
        cookie = _login(client, "clin_a")
        token = client.headers["X-CSRF-Token"]
        assert client.post("/logout", data={"csrf_token": token}).status_code in (200, 303)
    replay = TestClient(app, cookies={"myotrack_session": cookie})
    assert replay.get("/api/session").status_code == 401
    replay.close()


def test_logout_in_one_worker_ends_the_session_in_the_other(
    two_workers: tuple[FastAPI, FastAPI],
) -> None:
    first, second = two_workers
    one = TestClient(first)
    cookie = _login(one, "clin_a")
    two = TestClient(second, cookies={"myotrack_session": cookie})
    assert two.get("/api/session").json()["username"] == "clin_a"  # same session there
    two.headers["X-CSRF-Token"] = one.headers["X-CSRF-Token"]
    assert two.post("/logout", data={"csrf_token": one.headers["X-CSRF-Token"]}).status_code in (
        200,
        303,
    )
    assert one.get("/api/session").status_code == 401
    one.close()
    two.close()


def test_admin_ends_a_users_sessions(client_for: Clients) -> None:
    nurse, admin = client_for("clin_a"), client_for("admin")
    assert "End sessions" in admin.get("/users").text
    token = admin.headers["X-CSRF-Token"]
    r = admin.post("/users/clin_a/sessions", data={"csrf_token": token})
    assert r.status_code == 303
    assert nurse.get("/api/session").status_code == 401
    assert admin.get("/api/session").status_code == 200  # only clin_a's sessions ended
    assert admin.post("/users/nobody/sessions", data={"csrf_token": token}).status_code == 404
    assert client_for("clin_b").post("/users/clin_a/sessions").status_code == 403


def test_a_password_change_ends_the_sessions(client_for: Clients, app: FastAPI) -> None:
    nurse = client_for("clin_a")
    with registry.transaction(app.state.engine) as session:
        registry.set_password_hash(
            session, "clin_a", passwords.hash_password("a new pass phrase 42"), actor="admin"
        )
    assert nurse.get("/api/session").status_code == 401


def test_failed_logins_count_across_workers(two_workers: tuple[FastAPI, FastAPI]) -> None:
    first, second = two_workers
    one, two = TestClient(first), TestClient(second)
    for client in (one, two, one, two):  # 3 free attempts, the 4th starts the lockout
        bad = client.post("/api/session", json={"username": "clin_a", "password": "bad"})
        assert bad.status_code == 401
    for client in (one, two):
        r = client.post("/api/session", json={"username": "clin_a", "password": PASSWORD})
        assert r.status_code == 429
    one.close()
    two.close()


def test_a_server_fault_during_login_is_not_a_wrong_password(
    client_for: Clients, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_for(None)

    def out_of_memory(password: str, stored: str | None) -> bool:
        raise MemoryError

    monkeypatch.setattr("myotrack.web.login.verify_password", out_of_memory)
    r = client.post("/api/session", json={"username": "admin", "password": PASSWORD})
    assert r.status_code == 503
    assert r.json()["detail"] == LOGIN_FAULT_MESSAGE and "Wrong" not in r.text
    assert "Retry-After" in r.headers

    def database_down(session: object, username: str) -> None:
        raise UnavailableError("the registry database is not available")

    monkeypatch.undo()
    monkeypatch.setattr("myotrack.registry.get_user", database_down)
    page = client.get("/login").text
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    form = client.post(
        "/login", data={"username": "admin", "password": PASSWORD, "csrf_token": token}
    )
    assert form.status_code == 503
    assert "could not check the password" in form.text and "Wrong" not in form.text
    monkeypatch.undo()
    # The faults were not counted as failed attempts: the right password works at once.
    assert (
        client.post("/api/session", json={"username": "admin", "password": PASSWORD}).status_code
        == 200
    )


def test_a_malformed_stored_hash_logs_nobody_in() -> None:
    assert passwords.verify_password("anything at all", "not-a-hash") is False


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("aaaaaaaaaa", "too easy to guess"),
        ("Password123!", "too easy to guess"),
        ("qwertyuiop", "too easy to guess"),
        ("short", "too short"),
        ("newnurse likes tulips 77", "must not contain the user name"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(
    client_for: Clients, password: str, why: str
) -> None:
    admin = client_for("admin")
    r = admin.post(
        "/users",
        data={
            "csrf_token": admin.headers["X-CSRF-Token"],
            "username": "newnurse",
            "role": "clinician",
            "site": "Demo Centre A",
            "password": password,
        },
    )
    assert r.status_code == 422
    assert why in r.text and "What passes" in r.text
    assert "<td>newnurse</td>" not in admin.get("/users").text


def test_a_strong_password_passes() -> None:
    assert passwords.password_problem("tulip ferry sunlit ledger", "newnurse") is None
    assert passwords.password_problem(PASSWORD, "clin_a") is None


@pytest.mark.parametrize(
    "lookalike",
    [
        "\u0430dmin",  # Cyrillic а
        "Admin",  # case only
        "\uff41\uff44\uff4d\uff49\uff4e",  # full-width
        "clin_a",  # the very same name (control)
    ],
)
def test_user_names_that_look_like_another_are_refused(client_for: Clients, lookalike: str) -> None:
    admin = client_for("admin")
    existing = "clin_a" if lookalike == "clin_a" else "admin"
    r = admin.post(
        "/users",
        data={
            "csrf_token": admin.headers["X-CSRF-Token"],
            "username": lookalike,
            "role": "researcher",
            "site": "",
            "password": "tulip ferry sunlit ledger",
        },
    )
    assert r.status_code == 409
    assert existing in r.text
    if lookalike != existing:
        assert "looks the same" in r.text


def test_a_user_name_with_invisible_characters_is_refused(app: FastAPI) -> None:
    with (
        pytest.raises(registry.InvalidValueError),
        registry.transaction(app.state.engine) as session,
    ):
        registry.create_user(
            session, "nurse\u200b", password_hash="x", role="researcher", site=None, actor="t"
        )


def test_the_sessions_migration_keeps_existing_data(tmp_path: Path) -> None:
    from alembic import command
    from sqlalchemy import text

    engine = registry.connect(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
        # rows written as the schema of revision 0001 holds them
        conn.execute(
            text(
                "INSERT INTO user_account (username, password_hash, role, site, active, "
                "created_at) VALUES ('old_admin', 'h', 'admin', NULL, 1, '2026-01-01')"
            )
        )
    assert "web_session" not in inspect(engine).get_table_names()
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "v0002_web_sessions")
    assert {"web_session", "login_failure"} <= set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        kept = conn.execute(text("SELECT username, role FROM user_account")).all()
    assert [tuple(row) for row in kept] == [("old_admin", "admin")]
    registry.upgrade(engine)  # and on to the newest revision
    with registry.transaction(engine) as session:
        account = registry.get_user(session, "old_admin")
    assert account is not None and account.role == "admin"
    engine.dispose()


def test_cli_password_change_and_end_sessions(app: FastAPI, db_url: str) -> None:
    from typer.testing import CliRunner

    from myotrack.cli import app as cli

    runner = CliRunner()
    client = TestClient(app)
    _login(client, "clin_a")
    weak = runner.invoke(
        cli, ["user", "password", "clin_a", "--database", db_url], input="aaaaaaaaaa\naaaaaaaaaa\n"
    )
    assert weak.exit_code == 1 and "too easy to guess" in weak.output
    assert client.get("/api/session").status_code == 200  # nothing changed
    ok = runner.invoke(
        cli,
        ["user", "password", "clin_a", "--database", db_url],
        input="amber kettle ferry lamp\namber kettle ferry lamp\n",
    )
    assert ok.exit_code == 0, ok.output
    assert client.get("/api/session").status_code == 401
    _login(client, "clin_a", "amber kettle ferry lamp")
    ended = runner.invoke(cli, ["user", "end-sessions", "clin_a", "--database", db_url])
    assert ended.exit_code == 0 and "Ended 1 session" in ended.output
    assert client.get("/api/session").status_code == 401
    lookalike = runner.invoke(
        cli,
        ["user", "add", "\u0441lin_a", "--role", "researcher", "--database", db_url],
        input="amber kettle ferry lamp\namber kettle ferry lamp\n",
    )
    assert lookalike.exit_code == 1 and "looks the same" in lookalike.output
    client.close()
