"""Login, sessions, cookies, CSRF and the slowing of failed logins."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest
from fastapi.testclient import TestClient

from myotrack import registry
from myotrack.web import WebSettings, create_app
from myotrack.web.throttle import LoginThrottle

PASSWORD = "correct horse battery"


def _csrf(client: TestClient) -> str:
    page = client.get("/login").text
    return str(page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0])


def _form_login(
    client: TestClient, username: str, password: str, nxt: str = "/patients"
) -> httpx.Response:
    token = _csrf(client)
    response: httpx.Response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token, "next": nxt},
    )
    return response


def test_form_login_and_logout(client_for: Callable[[str | None], TestClient]) -> None:
    client = client_for(None)
    response = _form_login(client, "clin_a", PASSWORD)
    assert response.status_code == 303 and response.headers["location"] == "/patients"
    assert client.get("/patients").status_code == 200
    token = client.get("/api/session").json()["csrf_token"]
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    assert client.get("/api/session").status_code == 401
    assert client.get("/patients").headers["location"].startswith("/login")


def test_login_form_without_csrf_token_is_refused(
    client_for: Callable[[str | None], TestClient],
) -> None:
    client = client_for(None)
    client.get("/login")
    response = client.post("/login", data={"username": "clin_a", "password": PASSWORD})
    assert response.status_code == 403
    assert client.get("/api/session").status_code == 401


def test_wrong_password(client_for: Callable[[str | None], TestClient]) -> None:
    client = client_for(None)
    response = _form_login(client, "clin_a", "wrong password")
    assert response.status_code == 401
    assert "Wrong user name or password" in response.text
    assert _form_login(client, "nobody", "x").status_code == 401


def test_no_open_redirect_after_login(client_for: Callable[[str | None], TestClient]) -> None:
    client = client_for(None)
    response = _form_login(client, "clin_a", PASSWORD, nxt="//evil.example/")
    assert response.headers["location"] == "/patients"
    client2 = client_for(None)
    response = _form_login(client2, "clin_a", PASSWORD, nxt="/patients/DEMO-01")
    assert response.headers["location"] == "/patients/DEMO-01"


def test_failed_logins_are_slowed(client_for: Callable[[str | None], TestClient]) -> None:
    client = client_for(None)
    # conftest: 3 free attempts, then a lockout (60 s doubling)
    for _ in range(3):
        r = client.post("/api/session", json={"username": "clin_a", "password": "bad"})
        assert r.status_code == 401
    r = client.post("/api/session", json={"username": "clin_a", "password": "bad"})
    assert r.status_code == 401  # the 4th failure is counted and starts the lockout
    locked = client.post("/api/session", json={"username": "clin_a", "password": PASSWORD})
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) > 0
    assert "Too many failed log-ins" in locked.json()["detail"]
    # Another user from the same address is not locked out.
    other = client.post("/api/session", json={"username": "clin_b", "password": PASSWORD})
    assert other.status_code == 200


def test_throttle_delay_grows_and_resets(db_url: str) -> None:
    now = [1000.0]
    engine = registry.connect(db_url)
    throttle = LoginThrottle(
        engine, free_attempts=2, base_delay=1.0, max_delay=8.0, clock=lambda: now[0]
    )
    delays = [throttle.failed("u", "1.2.3.4") for _ in range(7)]
    assert delays == [0.0, 0.0, 1.0, 2.0, 4.0, 8.0, 8.0]
    assert throttle.wait_seconds("U ", "1.2.3.4") == pytest.approx(8.0)
    assert throttle.wait_seconds("u", "5.6.7.8") == 0.0
    now[0] += 9
    assert throttle.wait_seconds("u", "1.2.3.4") == 0.0
    throttle.succeeded("u", "1.2.3.4")
    assert throttle.failed("u", "1.2.3.4") == 0.0
    engine.dispose()


def test_cookie_flags(db_url: str) -> None:
    for https, secure in ((False, False), (True, True)):
        app = create_app(db_url, secret_key="k", https=https)
        with TestClient(
            app, base_url="https://testserver" if https else "http://testserver"
        ) as client:
            r = client.post("/api/session", json={"username": "admin", "password": PASSWORD})
            assert r.status_code == 200
            cookie = r.headers["set-cookie"].lower()
            assert "myotrack_session=" in cookie
            assert "httponly" in cookie
            assert "samesite=lax" in cookie
            assert ("secure" in cookie) is secure
        app.state.engine.dispose()


def test_sessions_expire_when_idle_and_absolutely(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = WebSettings(idle_timeout=600, absolute_timeout=1000)
    app = create_app(db_url, secret_key="k", settings=settings)
    offset = [0.0]
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + offset[0])
    with TestClient(app) as client:
        assert (
            client.post(
                "/api/session", json={"username": "admin", "password": PASSWORD}
            ).status_code
            == 200
        )
        offset[0] = 500
        assert client.get("/api/session").status_code == 200  # used: idle clock restarts
        offset[0] = 1200  # 700 s idle
        assert client.get("/api/session").status_code == 401
        assert (
            client.post(
                "/api/session", json={"username": "admin", "password": PASSWORD}
            ).status_code
            == 200
        )
        for step in (1700, 2250):  # busy, but more than 1000 s after login at 1200
            offset[0] = step
            status = client.get("/api/session").status_code
        assert status == 401
    app.state.engine.dispose()


def test_passwords_are_stored_as_argon2(db_url: str) -> None:
    engine = registry.connect(db_url)
    with registry.transaction(engine) as session:
        account = registry.get_user(session, "admin")
    engine.dispose()
    assert account is not None
    assert account.password_hash.startswith("$argon2")
    assert PASSWORD not in account.password_hash


def test_security_headers(client_for: Callable[[str | None], TestClient]) -> None:
    client = client_for("admin")
    response = client.get("/patients")
    assert response.headers["cache-control"] == "no-store"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_inactive_user_is_logged_out(
    client_for: Callable[[str | None], TestClient], app: object
) -> None:
    client = client_for("clin_a")
    assert client.get("/api/session").status_code == 200
    with registry.transaction(app.state.engine) as session:  # type: ignore[attr-defined]
        registry.update_user(session, "clin_a", actor="test", active=False)
    assert client.get("/api/session").status_code == 401
    assert (
        client.post("/api/session", json={"username": "clin_a", "password": PASSWORD}).status_code
        == 401
    )


def test_admin_deactivates_a_user(client_for: Callable[[str | None], TestClient]) -> None:
    nurse, admin = client_for("clin_a"), client_for("admin")
    token = admin.headers["X-CSRF-Token"]
    r = admin.post("/users/clin_a/active", data={"csrf_token": token, "active": "no"})
    assert r.status_code == 303
    assert nurse.get("/api/session").status_code == 401  # the session ends at once
    page = admin.get("/users").text
    assert "Reactivate" in page
    assert (
        admin.post("/users/admin/active", data={"csrf_token": token, "active": "no"}).status_code
        == 422
    )
    assert (
        admin.post("/users/clin_a/active", data={"csrf_token": token, "active": "yes"}).status_code
        == 303
    )
    assert (
        nurse.post("/api/session", json={"username": "clin_a", "password": PASSWORD}).status_code
        == 200
    )
