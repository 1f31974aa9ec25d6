"""The research view is de-identified everywhere: a patient with an identifier typed into
every free field is walked through EVERY route of the app (from the router, so new routes
are covered) as a researcher, and no response may contain any of the identifiers.

The identifiers: a name, a telephone number and an e-mail address (in the event detail and
in `x_` columns of every record kind), the registry patient_id and the site.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from myotrack import registry
from myotrack.analysis import suppress_summary
from myotrack.cohort.deidentify import pseudonym, shift_days
from myotrack.domain import Cohort, DrugCourse, Event, LabResult, Patient, Visit
from myotrack.web.deps import walk_routes

REGISTRY_ID = "MRN4711-KARLSSON"
SITE = "Sankt Erik Barnklinik"
NAME = "Astrid Karlsson"
PHONE = "+46 70 123 45 67"
EMAIL = "astrid.karlsson@example.org"
BIRTH = date(2013, 4, 17)
KEY = "research view test key"
# What must never reach a researcher (compared without case).
IDENTIFIERS = (REGISTRY_ID, "KARLSSON", "Astrid", SITE, "Sankt Erik", "123 45 67", EMAIL)
FREE = {"x_name": NAME, "x_phone": PHONE, "x_email": EMAIL}


def _seeded() -> Cohort:
    pid = REGISTRY_ID
    return Cohort(
        patients=(
            Patient(
                patient_id=pid,
                sex="F",
                birth_date=BIRTH,
                diagnosis="JDM",
                onset_date=date(2019, 2, 1),
                diagnosis_date=date(2019, 3, 1),
                antibodies=("MDA5",),
                site=SITE,
                extra=FREE,
            ),
        ),
        visits=(
            Visit(patient_id=pid, date=date(2020, 1, 6), cmas=30.0, weight_kg=25.0, extra=FREE),
            Visit(patient_id=pid, date=date(2020, 7, 6), cmas=45.0, weight_kg=27.0, extra=FREE),
        ),
        labs=(
            LabResult(
                patient_id=pid,
                date=date(2020, 1, 6),
                analyte="CK",
                value=900.0,
                unit="U/L",
                ref_high=200.0,
                extra=FREE,
            ),
        ),
        courses=(
            DrugCourse(
                patient_id=pid,
                drug="ruxolitinib",
                start_date=date(2020, 1, 10),
                dose=5.0,
                dose_unit="mg",
                frequency="BID",
                route="oral",
                extra=FREE,
            ),
        ),
        events=(
            Event(
                patient_id=pid,
                date=date(2020, 3, 2),
                event="infection",
                detail=f"{NAME} called from {PHONE}, {EMAIL}",
                grade=2,
                extra=FREE,
            ),
            Event(patient_id=pid, date=date(2020, 4, 2), event="infection", detail="ebv"),
        ),
    )


@pytest.fixture
def seeded_app(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> Iterator[FastAPI]:
    monkeypatch.setenv("MYOTRACK_DEID_KEY", KEY)
    with registry.transaction(app.state.engine) as session:
        registry.import_cohort(session, _seeded(), actor="test", reason="seed identifiers")
    yield app


def _leaks(body: str) -> list[str]:
    lowered = body.lower()
    return [text for text in IDENTIFIERS if text.lower() in lowered]


def _fill(path: str, patient: str) -> str:
    values = {"patient_id": patient, "fmt": "json", "name": "cmas", "username": "research"}
    for key, value in values.items():
        path = path.replace("{" + key + "}", value)
    return path


def test_walk_every_route_as_a_researcher(
    seeded_app: FastAPI, client_for: Callable[[str | None], TestClient]
) -> None:
    research_id = pseudonym(KEY.encode(), REGISTRY_ID)
    assert shift_days(KEY.encode(), REGISTRY_ID) != 0  # so a shifted date differs
    client = client_for("research")
    walked = 0
    for info in walk_routes(seeded_app.routes):
        if not isinstance(info.route, APIRoute):
            continue
        for method in sorted(info.methods - {"HEAD"}):
            paths = [info.path] if "{fmt}" not in info.path else []
            if "{fmt}" in info.path:  # every report format whose text can be searched
                paths = [info.path.replace("{fmt}", f) for f in ("html", "json")]
            for path in paths:
                url = _fill(path, research_id)
                response = client.request(method, url)
                assert response.status_code < 500, f"{method} {url}: {response.status_code}"
                leaks = _leaks(response.text)
                assert not leaks, f"{method} {url} shows {leaks}"
                walked += 1
                if path == "/logout":
                    client = client_for("research")
    assert walked >= 40
    # The query parameters that search and filter cannot find the patient by what a
    # researcher must not know.
    for params in ({"q": "MRN4711"}, {"site": SITE}, {"sort": "site"}):
        listed = client.get("/api/patients", params=params).json()
        if "q" in params:
            assert listed == []
        assert all(row["site"] is None for row in listed)
        assert not _leaks(json.dumps(listed))


def test_the_researcher_sees_the_patient_by_research_pseudonym(
    seeded_app: FastAPI, client_for: Callable[[str | None], TestClient]
) -> None:
    research_id = pseudonym(KEY.encode(), REGISTRY_ID)
    client = client_for("research")
    listed = {row["patient_id"] for row in client.get("/api/patients").json()}
    assert research_id in listed and REGISTRY_ID not in listed
    assert all(not p.startswith("MRN") for p in listed)
    detail = client.get(f"/api/patients/{research_id}")
    assert detail.status_code == 200
    body = detail.json()
    assert body["patient"]["patient_id"] == research_id
    assert body["patient"]["site"] is None
    # organism codes survive (normalised), free text does not
    assert [e["detail"] for e in body["events"]] == [None, "EBV"]
    assert [v["day"] for v in body["visits"]] == [-4, 178]  # days from the index date
    page = client.get(f"/patients/{research_id}")
    assert page.status_code == 200 and research_id in page.text
    # The registry id in a researcher's URL is a patient that does not exist.
    assert client.get(f"/api/patients/{REGISTRY_ID}").status_code == 404
    assert client.get(f"/patients/{REGISTRY_ID}").status_code == 404
    # Clinicians keep the registry id (and researchers' pseudonyms mean nothing to them).
    admin = client_for("admin")
    assert admin.get(f"/api/patients/{REGISTRY_ID}").json()["patient"]["site"] == SITE
    assert admin.get(f"/api/patients/{research_id}").status_code == 404


def test_the_research_report_uses_pseudonyms(
    seeded_app: FastAPI, client_for: Callable[[str | None], TestClient]
) -> None:
    research_id = pseudonym(KEY.encode(), REGISTRY_ID)
    report = client_for("research").get("/api/report")
    assert report.status_code == 200
    text = report.text
    assert not _leaks(text)
    clinician = client_for("admin").get("/api/report").json()
    assert report.json()["n_patients"] == clinician["n_patients"]
    # the swimmer plot's lanes are labelled with what the report's cohort calls patients
    from myotrack.analysis import patient_timelines
    from myotrack.web.policy import Principal, Role
    from myotrack.web.reports import visible_cohort

    researcher = Principal(username="research", role=Role.RESEARCHER, site=None)
    with registry.transaction(seeded_app.state.engine) as session:
        cohort = visible_cohort(session, researcher)
    lanes = {t.patient_id for t in patient_timelines(cohort)}
    assert research_id in lanes
    assert all(lane.startswith("S-") for lane in lanes)


def test_the_key_persists_in_the_registry(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MYOTRACK_DEID_KEY", raising=False)
    with registry.transaction(app.state.engine) as session:
        first = registry.research_key(session)
    with registry.transaction(app.state.engine) as session:
        assert registry.research_key(session) == first  # another request, same key
        log = registry.audit_log(session, table="setting")
    assert len(first) == 64
    assert all(first.decode() not in json.dumps(e.new) for e in log)
    monkeypatch.setenv("MYOTRACK_DEID_KEY", "override")
    with registry.transaction(app.state.engine) as session:
        assert registry.research_key(session) == b"override"


@pytest.mark.postgres
def test_the_research_view_on_postgresql(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same rules on PostgreSQL: pseudonyms, no free text, no site, in the list, the
    patient, the patient page and the report."""
    import os

    from myotrack.web import create_app
    from myotrack.web.passwords import hash_password

    url = os.environ.get("MYOTRACK_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("no PostgreSQL server: set MYOTRACK_TEST_POSTGRES_URL")
    monkeypatch.delenv("MYOTRACK_DEID_KEY", raising=False)  # the registry's own key
    engine = registry.connect(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    registry.upgrade(engine)
    password = "research on postgres 42"
    with registry.transaction(engine, write=True) as session:
        registry.import_cohort(session, _seeded(), actor="test", reason="seed identifiers")
        registry.create_user(
            session,
            "research",
            password_hash=hash_password(password),
            role="researcher",
            site=None,
            actor="test",
        )
        key = registry.research_key(session)
    engine.dispose()
    app = create_app(url, secret_key="pg research")
    try:
        client = TestClient(app)
        answer = client.post("/api/session", json={"username": "research", "password": password})
        assert answer.status_code == 200
        research_id = pseudonym(key, REGISTRY_ID)
        for path in (
            "/api/patients",
            "/patients",
            f"/api/patients/{research_id}",
            f"/patients/{research_id}",
            "/api/report",
            "/report.html",
        ):
            response = client.get(path)
            assert response.status_code == 200, path
            assert not _leaks(response.text), path
        assert client.get(f"/api/patients/{REGISTRY_ID}").status_code == 404
    finally:
        app.state.engine.dispose()


def test_a_chosen_cutoff_gives_researchers_the_same_statistics(
    client_for: Callable[[str | None], TestClient],
) -> None:
    """The cut-off is a calendar date: applied before the dates are shifted, so the
    researcher's report counts what the clinician's does. (Follow-up is the known
    exception, docs/deidentification.md: a patient seen after the cut-off is followed to
    the cut-off in the clinician's report, to the last visit before it in the
    researcher's.) The researcher's small cells are suppressed: compared with the
    clinician's figures suppressed by the same rule."""
    keys = ("n_patients", "n_excluded", "cmas", "jaki_agent", "female")  # reasons: see docs
    for cutoff in ("2021-06-30", "2022-06-30"):
        admin = client_for("admin").get("/report.json", params={"cutoff": cutoff}).json()
        admin = suppress_summary(admin, 5)  # researchers' small cells are hidden (issue 12)
        research = client_for("research").get("/report.json", params={"cutoff": cutoff}).json()
        assert {k: research[k] for k in keys} == {k: admin[k] for k in keys}, cutoff
    early = client_for("research").get("/report.json", params={"cutoff": "2021-06-30"}).json()
    late = client_for("research").get("/report.json", params={"cutoff": "2022-06-30"}).json()
    assert early["n_patients"] < late["n_patients"] or early != late
