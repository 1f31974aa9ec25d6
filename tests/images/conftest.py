"""Fixtures of the clinical-image tests: a registry holding the demo cohort (SQLite, and
PostgreSQL when MYOTRACK_TEST_POSTGRES_URL is set), an image store in a temporary folder,
users of every role and logged-in clients of the web app."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import Engine

from myotrack import registry
from myotrack.cohort import DEMO_FOLDER, read_folder
from myotrack.media import ImageStore
from myotrack.web import WebSettings, create_app
from myotrack.web.passwords import hash_password

PG_ENV = "MYOTRACK_TEST_POSTGRES_URL"
PASSWORD = "correct horse battery"
CASE = "MDA5-case"  # Demo Centre C
USERS: dict[str, tuple[str, str | None]] = {
    "admin": ("admin", None),
    "clin_c": ("clinician", "Demo Centre C"),
    "clin_a": ("clinician", "Demo Centre A"),
    "research": ("researcher", None),
}


def _engine(backend: str, tmp_path: Path) -> Engine:
    if backend == "sqlite":
        return registry.connect(f"sqlite:///{tmp_path / 'registry.db'}")
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"no PostgreSQL server: set {PG_ENV} to run the PostgreSQL variant")
    engine = registry.connect(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    return engine


def _fill(engine: Engine) -> None:
    registry.upgrade(engine)
    cohort, issues = read_folder(DEMO_FOLDER)
    assert cohort is not None and not issues
    hashed = hash_password(PASSWORD)
    with registry.transaction(engine) as session:
        registry.import_cohort(session, cohort, actor="test", reason="image tests")
        for username, (role, site) in USERS.items():
            registry.create_user(
                session, username, password_hash=hashed, role=role, site=site, actor="test"
            )


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A registry with the demo cohort, on SQLite and on PostgreSQL."""
    engine = _engine(request.param, tmp_path)
    _fill(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = _engine("sqlite", tmp_path)
    _fill(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def store(tmp_path: Path) -> ImageStore:
    return ImageStore(tmp_path / "images")


@pytest.fixture
def app(sqlite_engine: Engine, store: ImageStore) -> Iterator[FastAPI]:
    application = create_app(
        sqlite_engine.url.render_as_string(hide_password=False),
        secret_key="test-secret",
        settings=WebSettings(login_free_attempts=3, login_base_delay=60.0),
    )
    application.state.image_store = store
    yield application
    application.state.engine.dispose()


@pytest.fixture
def client_for(app: FastAPI) -> Iterator[Callable[[str | None], TestClient]]:
    clients: list[TestClient] = []

    def make(username: str | None) -> TestClient:
        client = TestClient(app, follow_redirects=False)
        clients.append(client)
        if username is not None:
            response = client.post(
                "/api/session", json={"username": username, "password": PASSWORD}
            )
            assert response.status_code == 200, response.text
            client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
        return client

    yield make
    for c in clients:
        c.close()


def picture(
    size: tuple[int, int] = (64, 48),
    fmt: str = "JPEG",
    colour: tuple[int, int, int] = (200, 80, 90),
) -> bytes:
    """A small synthetic picture (never a real photograph)."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, fmt)
    return buffer.getvalue()


@pytest.fixture
def make_picture() -> Callable[..., bytes]:
    return picture
