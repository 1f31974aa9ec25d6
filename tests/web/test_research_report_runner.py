"""Expensive reports: computed off the event loop, a few at a time, cached by what they
show. The report's rendering is replaced by a stand-in that counts its calls and can be
held, so the tests see exactly when a report is computed (no timing assertions)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from myotrack import registry
from myotrack.domain import Cohort, Patient
from myotrack.web import reports
from myotrack.web.reports import ReportRunner

from .conftest import PASSWORD


class StandIn:
    """reports.render replaced: counts calls; while `hold` is clear it waits."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, str]] = []
        self.started = threading.Event()
        self.hold = threading.Event()
        self.hold.set()

    def __call__(
        self, cohort: Cohort, fmt: str, cutoff: date | None = None, small_cells: object = None
    ) -> bytes:
        self.calls.append((len(cohort.patients), fmt))
        self.started.set()
        assert self.hold.wait(30)
        return b'{"n_patients": %d}' % len(cohort.patients)


@pytest.fixture
def stand_in(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> StandIn:
    fake = StandIn()
    monkeypatch.setattr(reports, "render", fake)
    app.state.report_runner = ReportRunner(limit=1, wait_seconds=1.0)
    return fake


@pytest.fixture
def one_loop(app: FastAPI) -> Iterator[Callable[[str], TestClient]]:
    """Clients that share ONE event loop (the app's), as under uvicorn."""
    opened: list[TestClient] = []

    def make(username: str) -> TestClient:
        client = TestClient(app, follow_redirects=False)
        client.__enter__()
        opened.append(client)
        answer = client.post("/api/session", json={"username": username, "password": PASSWORD})
        assert answer.status_code == 200, answer.text
        client.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
        return client

    yield make
    for client in opened:
        client.__exit__(None, None, None)


def test_a_second_open_does_not_recompute(
    stand_in: StandIn, client_for: Callable[[str | None], TestClient], app: FastAPI
) -> None:
    client = client_for("research")
    first = client.get("/api/report")
    again = client.get("/api/report")
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert len(stand_in.calls) == 1
    assert client_for("research").get("/report.json").status_code == 200
    assert len(stand_in.calls) == 1  # the page and the API share one cached JSON report
    client.get("/report.html")
    assert [fmt for _, fmt in stand_in.calls] == ["json", "html"]  # another format
    # Another tier (an admin sees identified data) is another report.
    client_for("admin").get("/api/report")
    assert len(stand_in.calls) == 3
    # A change to the registry is a new cohort: computed again.
    with registry.transaction(app.state.engine, write=True) as session:
        registry.save_patient(
            session,
            Patient(patient_id="NEW-1", sex="F", birth_date=date(2016, 1, 1), diagnosis="JDM"),
            expected_version=None,
            actor="test",
            reason="test",
        )
    client.get("/api/report")
    assert len(stand_in.calls) == 4
    assert stand_in.calls[-1][0] == stand_in.calls[0][0] + 1


def test_a_change_the_user_cannot_see_does_not_recompute(
    stand_in: StandIn, client_for: Callable[[str | None], TestClient], app: FastAPI
) -> None:
    client = client_for("research_b")  # sees site B only
    assert client.get("/api/report").status_code == 200
    with registry.transaction(app.state.engine, write=True) as session:
        registry.save_patient(
            session,
            Patient(
                patient_id="NEW-A",
                sex="M",
                birth_date=date(2016, 1, 1),
                diagnosis="JDM",
                site="Demo Centre A",
            ),
            expected_version=None,
            actor="test",
            reason="test",
        )
    assert client.get("/api/report").status_code == 200
    assert len(stand_in.calls) == 1  # same visible cohort (fingerprint): not rendered again
    assert app.state.report_runner.computations == 1


def test_pages_answer_while_a_report_is_computed(
    stand_in: StandIn,
    one_loop: Callable[[str], TestClient],
    demo_patients: Any,
) -> None:
    researcher = one_loop("research")
    clinician = one_loop("clin_a")
    stand_in.hold.clear()
    answers: dict[str, Any] = {}

    def open_report() -> None:
        answers["report"] = researcher.get("/api/report")

    thread = threading.Thread(target=open_report)
    thread.start()
    try:
        assert stand_in.started.wait(30)  # the report is being computed now
        page = clinician.get(f"/patients/{demo_patients.site_a}")
        listing = clinician.get("/api/patients")
        assert page.status_code == 200 and listing.status_code == 200
        assert "report" not in answers  # the report is still being computed
    finally:
        stand_in.hold.set()
        thread.join()
    assert answers["report"].status_code == 200


def test_too_many_reports_at_once_answer_being_prepared(
    stand_in: StandIn, one_loop: Callable[[str], TestClient]
) -> None:
    researcher = one_loop("research")
    admin = one_loop("admin")
    stand_in.hold.clear()
    answers: dict[str, Any] = {}

    def open_report() -> None:
        answers["first"] = researcher.get("/api/report")

    thread = threading.Thread(target=open_report)
    thread.start()
    try:
        assert stand_in.started.wait(30)
        busy = admin.get("/api/report")  # another report; the one slot is taken
        page = admin.get("/report.html")
    finally:
        stand_in.hold.set()
        thread.join()
    assert busy.status_code == 503 and int(busy.headers["Retry-After"]) > 0
    assert "being prepared" in busy.json()["detail"]
    assert page.status_code == 503 and "being prepared" in page.text
    assert answers["first"].status_code == 200
    assert admin.get("/api/report").status_code == 200  # later it is computed
