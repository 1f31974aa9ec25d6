"""The web app on PostgreSQL (skipped unless MYOTRACK_TEST_POSTGRES_URL is set): site
isolation, saving, stale edits and concurrent writers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from myotrack import registry
from myotrack.cohort import DEMO_FOLDER, read_folder
from myotrack.web import create_app
from myotrack.web.passwords import hash_password

PG_ENV = "MYOTRACK_TEST_POSTGRES_URL"
PASSWORD = "postgres web test"

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_app() -> Iterator[FastAPI]:
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"no PostgreSQL server: set {PG_ENV} to run the PostgreSQL variant")
    engine = registry.connect(url)
    with engine.begin() as conn:  # a clean schema, as the registry tests do
        conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    registry.upgrade(engine)
    cohort, issues = read_folder(DEMO_FOLDER)
    assert cohort is not None and not issues
    hashed = hash_password(PASSWORD)
    with registry.transaction(engine) as session:
        registry.import_cohort(session, cohort, actor="test", reason="web on PostgreSQL")
        registry.create_user(
            session, "admin", password_hash=hashed, role="admin", site=None, actor="test"
        )
        registry.create_user(
            session,
            "clin_b",
            password_hash=hashed,
            role="clinician",
            site="Demo Centre B",
            actor="test",
        )
    engine.dispose()
    app = create_app(url, secret_key="pg")
    yield app
    app.state.engine.dispose()


def _client(app: FastAPI, user: str) -> TestClient:
    client = TestClient(app)
    r = client.post("/api/session", json={"username": user, "password": PASSWORD})
    assert r.status_code == 200
    client.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return client


def test_web_on_postgresql(pg_app: FastAPI) -> None:
    admin, clin = _client(pg_app, "admin"), _client(pg_app, "clin_b")
    everyone = admin.get("/api/patients").json()
    site_a = next(p["patient_id"] for p in everyone if p["site"] == "Demo Centre A")
    site_b = next(p["patient_id"] for p in everyone if p["site"] == "Demo Centre B")
    assert clin.get(f"/api/patients/{site_a}").status_code == 404
    assert clin.get(f"/patients/{site_b}").status_code == 200
    assert {p["site"] for p in clin.get("/api/patients").json()} == {"Demo Centre B"}

    # Twenty visits posted at once, each to its own date: all saved, none lost.
    def post(day: int) -> int:
        return int(
            clin.post(
                f"/api/patients/{site_b}/visits",
                json={"date": f"2024-02-{day:02d}", "weight_kg": 30},
            ).status_code
        )

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(post, range(1, 21)))
    assert statuses == [200] * 20
    visits = clin.get(f"/api/patients/{site_b}").json()["visits"]
    assert len([v for v in visits if (v["date"] or "").startswith("2024-02")]) == 20

    # Two editors of the same visit: the second is refused.
    version = next(v["version"] for v in visits if v["date"] == "2024-02-01")
    body = {"date": "2024-02-01", "weight_kg": 31, "expected_version": version}
    assert admin.post(f"/api/patients/{site_b}/visits", json=body).status_code == 200
    assert clin.post(f"/api/patients/{site_b}/visits", json=body).status_code == 409
