"""`myotrack user add` and `myotrack serve --demo` (uvicorn replaced by a stub)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from myotrack import registry
from myotrack.cli import app
from myotrack.web.passwords import verify_password

runner = CliRunner()


@pytest.fixture
def database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'registry.db'}"


def _user(database: str, name: str) -> registry.UserAccount | None:
    engine = registry.connect(database)
    with registry.transaction(engine) as session:
        account = registry.get_user(session, name)
    engine.dispose()
    return account


def test_user_add_prompts_twice_and_hashes(database: str) -> None:
    result = runner.invoke(
        app,
        ["user", "add", "alice", "--role", "clinician", "--site", "A", "--database", database],
        input="a long secret\na long secret\n",
    )
    assert result.exit_code == 0, result.output
    assert "a long secret" not in result.output  # hidden input
    account = _user(database, "alice")
    assert account is not None and (account.role, account.site) == ("clinician", "A")
    assert account.password_hash.startswith("$argon2")
    assert verify_password("a long secret", account.password_hash)
    again = runner.invoke(
        app,
        ["user", "add", "alice", "--role", "admin", "--database", database],
        input="a long secret\na long secret\n",
    )
    assert again.exit_code == 1 and "already a user" in again.output


def test_user_add_refuses_bad_input(database: str) -> None:
    mismatch = runner.invoke(
        app,
        ["user", "add", "bob", "--role", "admin", "--database", database],
        input="a long secret\nanother one!\na long secret\na long secret\n",
    )
    assert "do not match" in mismatch.output.lower() or "match" in mismatch.output.lower()
    no_site = runner.invoke(
        app,
        ["user", "add", "carol", "--role", "clinician", "--database", database],
        input="a long secret\na long secret\n",
    )
    assert no_site.exit_code == 1 and "--site" in no_site.output
    role = runner.invoke(
        app,
        ["user", "add", "dan", "--role", "boss", "--database", database],
        input="a long secret\na long secret\n",
    )
    assert role.exit_code == 1 and "--role" in role.output
    short = runner.invoke(
        app,
        ["user", "add", "eve", "--role", "admin", "--database", database],
        input="short\nshort\n",
    )
    assert short.exit_code == 1 and "10 characters" in short.output
    assert _user(database, "carol") is None and _user(database, "eve") is None


def test_serve_demo_loads_cohort_and_prints_logins(
    database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    monkeypatch.setenv("MYOTRACK_DEMO_PASSWORD", "demo-password-1")
    for _ in range(2):  # idempotent: a second start changes nothing
        result = runner.invoke(app, ["serve", "--demo", "--database", database, "--port", "8123"])
        assert result.exit_code == 0, result.output
    assert "already loaded" in result.output
    assert "http://127.0.0.1:8123/" in result.output
    assert "demo" in result.output and "demo-password-1" in result.output
    assert calls[-1]["host"] == "127.0.0.1" and calls[-1]["port"] == 8123
    demo = _user(database, "demo")
    nurse = _user(database, "nurse")
    assert demo is not None and demo.role == "admin"
    assert nurse is not None and (nurse.role, nurse.site) == ("clinician", "Demo Centre A")
    assert verify_password("demo-password-1", demo.password_hash)
    from fastapi.testclient import TestClient

    with TestClient(calls[-1]["app"]) as client:
        assert client.get("/health").json()["status"] == "ok"
        r = client.post("/api/session", json={"username": "nurse", "password": "demo-password-1"})
        assert r.status_code == 200
        from myotrack.cohort import DEMO_FOLDER, read_folder

        cohort, _ = read_folder(DEMO_FOLDER)
        assert cohort is not None
        site_a = {p.patient_id for p in cohort.patients if p.site == "Demo Centre A"}
        assert {p["patient_id"] for p in client.get("/api/patients").json()} == site_a
