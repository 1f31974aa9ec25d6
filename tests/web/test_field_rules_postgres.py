"""NaN and ±Infinity on PostgreSQL (skipped unless MYOTRACK_TEST_POSTGRES_URL is set): they
once passed the range check and gave a 500 from the database; now every number field
refuses them with rule 'number' before anything is stored."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from myotrack import registry
from myotrack.domain import Patient
from myotrack.web import create_app
from myotrack.web.passwords import hash_password

PG_ENV = "MYOTRACK_TEST_POSTGRES_URL"
PASSWORD = "postgres field rules"

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
    with registry.transaction(engine) as session:
        registry.save_patient(
            session,
            Patient(
                patient_id="PG-1", sex="F", birth_date=date(2014, 5, 1), diagnosis="JDM", site="A"
            ),
            expected_version=None,
            actor="test",
            reason="test",
        )
        registry.create_user(
            session,
            "clin",
            password_hash=hash_password(PASSWORD),
            role="clinician",
            site="A",
            actor="test",
        )
    engine.dispose()
    app = create_app(url, secret_key="pg")
    yield app
    app.state.engine.dispose()


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_refused_on_postgresql(pg_app: FastAPI, bad: str) -> None:
    client = TestClient(pg_app)
    r = client.post("/api/session", json={"username": "clin", "password": PASSWORD})
    assert r.status_code == 200
    client.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    bodies = {
        "visits": f'{{"date": "2024-05-02", "weight_kg": {bad}}}',
        "labs": f'{{"date": "2024-05-02", "analyte": "CK", "value": {bad}, "unit": "U/L"}}',
        "courses": f'{{"drug": "prednisolone", "start_date": "2024-05-02", "dose": {bad}}}',
    }
    for resource, body in bodies.items():
        r = client.post(
            f"/api/patients/PG-1/{resource}",
            content=body,
            headers={"Content-Type": "application/json"},
        )
        assert r.status_code == 422, (resource, r.status_code, r.text)
        assert {e["rule"] for e in r.json()["errors"]} == {"number"}
    detail = client.get("/api/patients/PG-1").json()
    assert detail["visits"] == detail["labs"] == detail["courses"] == []
    assert json.dumps(detail)  # nothing non-finite was stored
