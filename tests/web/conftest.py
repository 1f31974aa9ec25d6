"""Fixtures of the web tests: a registry holding the demo cohort plus one patient of another
site, users of every role, and logged-in test clients."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from myotrack import registry
from myotrack.cohort import DEMO_FOLDER, read_folder
from myotrack.domain import Patient
from myotrack.web import WebSettings, create_app
from myotrack.web.passwords import hash_password

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

PASSWORD = "correct horse battery"
SITE_A = "Demo Centre A"
SITE_B = "Demo Centre B"

# username -> (role, site)
USERS: dict[str, tuple[str, str | None]] = {
    "admin": ("admin", None),
    "clin_a": ("clinician", SITE_A),
    "clin_b": ("clinician", SITE_B),
    "research": ("researcher", None),
    "research_b": ("researcher", SITE_B),
}


@dataclass(frozen=True)
class Patients:
    site_a: str
    site_b: str


def _first_of_site(site: str) -> str:
    cohort, issues = read_folder(DEMO_FOLDER)
    assert cohort is not None and not issues
    return next(p.patient_id for p in cohort.patients if p.site == site)


@pytest.fixture(scope="session")
def demo_patients() -> Patients:
    return Patients(site_a=_first_of_site(SITE_A), site_b=_first_of_site(SITE_B))


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite registry with the demo cohort and the test users (built once)."""
    path = tmp_path_factory.mktemp("webdb") / "template.db"
    engine = registry.connect(f"sqlite:///{path}")
    registry.upgrade(engine)
    cohort, issues = read_folder(DEMO_FOLDER)
    assert cohort is not None and not issues
    hashed = hash_password(PASSWORD)
    with registry.transaction(engine) as session:
        registry.import_cohort(session, cohort, actor="test", reason="web tests")
        registry.save_patient(
            session,
            Patient(
                patient_id="EMPTY-A",
                sex="F",
                birth_date=date(2014, 5, 1),
                diagnosis="JDM",
                site=SITE_A,
            ),
            expected_version=None,
            actor="test",
            reason="web tests",
        )
        for username, (role, site) in USERS.items():
            registry.create_user(
                session, username, password_hash=hashed, role=role, site=site, actor="test"
            )
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


FAST_LOGIN = WebSettings(login_free_attempts=3, login_base_delay=60.0)


@pytest.fixture
def db_url(template_db: Path, tmp_path: Path) -> str:
    """A fresh copy of the template registry for one test."""
    copy = tmp_path / "web.db"
    shutil.copy(template_db, copy)
    return f"sqlite:///{copy}"


@pytest.fixture
def app(db_url: str) -> Iterator[FastAPI]:
    application = create_app(db_url, secret_key="test-secret", settings=FAST_LOGIN)
    yield application
    application.state.engine.dispose()


def login(client: TestClient, username: str, password: str = PASSWORD) -> TestClient:
    """Log `client` in through the JSON API and make it send the CSRF header."""
    response = client.post("/api/session", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return client


@pytest.fixture
def do_login() -> Callable[..., TestClient]:
    """The `login(client, username)` helper (test modules cannot import conftest)."""
    return login


@pytest.fixture
def client_for(app: FastAPI) -> Iterator[Callable[[str | None], TestClient]]:
    """client_for(username) -> a logged-in TestClient (None: anonymous)."""
    clients: list[TestClient] = []

    def make(username: str | None) -> TestClient:
        client = TestClient(app, follow_redirects=False)
        clients.append(client)
        if username is not None:
            login(client, username)
        return client

    yield make
    for c in clients:
        c.close()


@pytest.fixture
def research_id(app: FastAPI) -> Callable[[str], str]:
    """research_id(registry patient_id) -> the research pseudonym researchers see and use
    in their URLs (with the test registry's key)."""
    from myotrack.cohort.deidentify import pseudonym

    def make(patient_id: str) -> str:
        with registry.transaction(app.state.engine) as session:
            key = registry.research_key(session)
        return pseudonym(key, patient_id)

    return make


# --- the browser tests (Playwright driving Debian's Chromium against a live uvicorn server)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip every test marked `browser` when Debian's Chromium is not installed."""
    if CHROMIUM.exists():
        return
    skip = pytest.mark.skip(reason="Debian chromium (/usr/bin/chromium) is not installed")
    for item in items:
        if item.get_closest_marker("browser") is not None:
            item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


LiveServer = Callable[..., AbstractContextManager[tuple[str, str]]]


@pytest.fixture(scope="session")
def live_server(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> LiveServer:
    """live_server(secret_key, folder=..., db_url=None) -> a context manager serving the web
    app with uvicorn in a thread on a free loopback port, giving (base URL, database URL).

    Without `db_url` the app runs on a fresh copy of the template registry in a temporary
    folder named `folder`."""

    @contextmanager
    def serve(
        secret_key: str, folder: str = "browserdb", db_url: str | None = None
    ) -> Iterator[tuple[str, str]]:
        import uvicorn

        if db_url is None:
            copy = tmp_path_factory.mktemp(folder) / "web.db"
            shutil.copy(template_db, copy)
            db_url = f"sqlite:///{copy}"
        application = create_app(db_url, secret_key=secret_key)
        port = _free_port()
        config = uvicorn.Config(application, host="127.0.0.1", port=port, log_level="warning")
        srv = uvicorn.Server(config)
        thread = threading.Thread(target=srv.run, daemon=True)
        thread.start()
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        try:
            yield base, db_url
        finally:
            srv.should_exit = True
            thread.join(timeout=10)
            application.state.engine.dispose()

    return serve


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The screenshot folder: $MYOTRACK_SCREENSHOTS when set (to keep and look at them),
    else a temporary folder."""
    keep = os.environ.get("MYOTRACK_SCREENSHOTS")
    folder = Path(keep) if keep else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def chromium_browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, launched by Playwright (one per test module)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def log_in() -> Callable[[Page, str, str], None]:
    """log_in(page, base URL, username): log in through the login form (with the test users'
    password) and wait for the patient list."""

    def log_in_page(page: Page, base: str, username: str) -> None:
        page.goto(f"{base}/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/patients")

    return log_in_page
