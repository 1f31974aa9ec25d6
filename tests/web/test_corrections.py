"""Corrections through the JSON API and the pages: edit every record kind (also its date
or other natural key), retract with a required reason, restore (admins only), the audit
trail of each, x_ columns kept by every edit path, and a retracted record gone from
every view."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from myotrack import registry
from myotrack.domain import DrugCourse, Event, LabResult, PatientRecord

Clients = Callable[[str | None], TestClient]
PID = "EMPTY-A"  # a site-A patient without records (conftest)


def _form(client: TestClient, url: str, data: Mapping[str, Any]) -> httpx.Response:
    """POST a page form with the CSRF token the client holds."""
    token = client.headers["X-CSRF-Token"]
    response: httpx.Response = client.post(url, data={**data, "csrf_token": token})
    return response


@pytest.fixture
def records(db_url: str) -> None:
    """EMPTY-A gets a visit, a lab, a course and an event, each with an x_ column."""
    engine = registry.connect(db_url)
    with registry.transaction(engine) as s:
        row = dict(actor="test", reason="fixture", expected_version=None)
        registry.save_lab(
            s,
            LabResult(PID, date(2024, 3, 1), "CK", 900.0, "U/L", extra={"x_lab": "central"}),
            **row,  # type: ignore[arg-type]
        )
        registry.save_course(
            s,
            DrugCourse(
                PID, "baricitinib", date(2024, 3, 2), dose=4, dose_unit="mg", extra={"x_src": "a"}
            ),
            **row,  # type: ignore[arg-type]
        )
        registry.save_event(
            s,
            Event(PID, date(2024, 3, 3), "infection", "VZV", 2, extra={"x_ward": "B"}),
            **row,  # type: ignore[arg-type]
        )
    engine.dispose()


def _detail(client: TestClient) -> dict[str, Any]:
    response = client.get(f"/api/patients/{PID}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _stored(db_url: str) -> PatientRecord:
    engine = registry.connect(db_url)
    with registry.transaction(engine) as s:
        record = registry.load_record(s, PID)
    engine.dispose()
    assert record is not None
    return record


def test_a_lab_is_corrected_to_another_date_and_analyte_through_the_api(
    client_for: Clients, records: None, db_url: str
) -> None:
    client = client_for("clin_a")
    body = {
        "original_date": "2024-03-01",
        "original_analyte": "CK",
        "date": "2024-03-04",
        "analyte": "LDH",
        "value": 450,
        "unit": "U/L",
        "expected_version": 1,
        "reason": "wrong analyte",
    }
    r = client.put(f"/api/patients/{PID}/labs", json=body)
    assert r.status_code == 200, r.text
    assert r.json() == {"kind": "lab", "key": [PID, "2024-03-04", "LDH"], "version": 2}
    (lab,) = _detail(client)["labs"]
    assert (lab["date"], lab["analyte"], lab["value"]) == ("2024-03-04", "LDH", 450)
    record = _stored(db_url)
    assert record.labs[0].extra == {"x_lab": "central"}
    # Editing the old version again is a stale edit; the old key is gone.
    again = client.put(f"/api/patients/{PID}/labs", json=body)
    assert again.status_code == 404
    stale = client.put(
        f"/api/patients/{PID}/labs",
        json={**body, "original_date": "2024-03-04", "original_analyte": "LDH"},
    )
    assert stale.status_code == 409
    audit = client_for("admin").get("/api/audit", params={"table": "lab"}).json()
    change = audit[0]
    assert change["action"] == "update" and change["actor"] == "clin_a"
    assert change["old"]["date"] == "2024-03-01" and change["new"]["analyte"] == "LDH"
    assert change["reason"] == "wrong analyte"


def test_a_key_change_onto_another_record_is_refused_with_409(
    client_for: Clients, records: None
) -> None:
    client = client_for("clin_a")
    extra = {"date": "2024-03-01", "analyte": "CRP", "value": 3, "unit": "mg/L"}
    assert client.post(f"/api/patients/{PID}/labs", json=extra).status_code == 200
    r = client.put(
        f"/api/patients/{PID}/labs",
        json={
            "original_date": "2024-03-01",
            "original_analyte": "CRP",
            "date": "2024-03-01",
            "analyte": "CK",
            "value": 3,
            "unit": "U/L",
            "expected_version": 1,
        },
    )
    assert r.status_code == 409
    assert "already exists" in r.json()["detail"]


def test_course_and_event_corrections_through_the_api(
    client_for: Clients, records: None, db_url: str
) -> None:
    client = client_for("clin_a")
    r = client.put(
        f"/api/patients/{PID}/courses",
        json={
            "original_drug": "baricitinib",
            "original_start_date": "2024-03-02",
            "drug": "baricitinib",
            "start_date": "2024-02-20",
            "end_date": "2024-03-10",
            "stop_reason": "adverse_event",
            "dose": 2,
            "dose_unit": "mg",
            "expected_version": 1,
            "reason": "start from the letter",
        },
    )
    assert r.status_code == 200, r.text
    (course,) = _detail(client)["courses"]
    assert course["start_date"] == "2024-02-20" and course["end_date"] == "2024-03-10"
    assert course["dose"] == 2 and course["stop_reason"] == "adverse_event"
    bad = client.put(
        f"/api/patients/{PID}/courses",
        json={
            "original_drug": "baricitinib",
            "original_start_date": "2024-02-20",
            "drug": "baricitinib",
            "start_date": "2024-02-20",
            "end_date": "2024-02-01",
            "expected_version": 2,
        },
    )
    assert bad.status_code == 422
    assert "end_date" in {e["field"] for e in bad.json()["errors"]}
    r = client.put(
        f"/api/patients/{PID}/events",
        json={
            "original_date": "2024-03-03",
            "original_event": "infection",
            "original_detail": "VZV",
            "date": "2024-03-05",
            "event": "infection",
            "detail": "EBV",
            "grade": 3,
            "expected_version": 1,
        },
    )
    assert r.status_code == 200, r.text
    (event,) = _detail(client)["events"]
    assert (event["date"], event["detail"], event["grade"]) == ("2024-03-05", "EBV", 3)
    record = _stored(db_url)
    assert record.courses[0].extra == {"x_src": "a"}
    assert record.events[0].extra == {"x_ward": "B"}


def test_retract_needs_a_reason_leaves_every_view_and_an_admin_restores_it(
    client_for: Clients, records: None
) -> None:
    client = client_for("clin_a")
    key = [PID, "2024-03-01", "CK"]
    no_reason = client.post(
        f"/api/patients/{PID}/retract",
        json={"kind": "lab", "key": key, "expected_version": 1, "reason": " "},
    )
    assert no_reason.status_code == 422
    r = client.post(
        f"/api/patients/{PID}/retract",
        json={"kind": "lab", "key": key, "expected_version": 1, "reason": "wrong patient"},
    )
    assert r.status_code == 200, r.text
    assert _detail(client)["labs"] == []
    report = client.get("/api/report").json()
    assert "CK" not in str(report.get("patients", ""))  # nothing of it in the report
    # The clinician cannot restore; the admin sees it in the list and restores it.
    body = {"kind": "lab", "key": key, "expected_version": 2, "reason": "was right after all"}
    assert client.post("/api/restore", json=body).status_code == 403
    admin = client_for("admin")
    listed = admin.get("/api/retracted", params={"patient_id": PID}).json()
    assert [(x["kind"], x["key"], x["version"]) for x in listed] == [("lab", key, 2)]
    assert admin.post("/api/restore", json=body).status_code == 200
    assert [lab["analyte"] for lab in _detail(client)["labs"]] == ["CK"]
    actions = [e["action"] for e in admin.get("/api/audit", params={"table": "lab"}).json()]
    assert actions[:2] == ["restore", "retire"]


def test_a_retracted_lab_can_be_entered_again(client_for: Clients, records: None) -> None:
    client = client_for("clin_a")
    client.post(
        f"/api/patients/{PID}/retract",
        json={
            "kind": "lab",
            "key": [PID, "2024-03-01", "CK"],
            "expected_version": 1,
            "reason": "typo",
        },
    )
    again = client.post(
        f"/api/patients/{PID}/labs",
        json={"date": "2024-03-01", "analyte": "CK", "value": 90, "unit": "U/L"},
    )
    assert again.status_code == 200, again.text
    assert [lab["value"] for lab in _detail(client)["labs"]] == [90]


def test_visit_date_change_moves_its_scores_and_keeps_x_columns(
    client_for: Clients, db_url: str
) -> None:
    engine = registry.connect(db_url)
    with registry.transaction(engine) as s:
        cohort = registry.load_cohort(s, sites=["Demo Centre A"])
        visit = next(v for v in cohort.visits if v.extra)
        pid = visit.patient_id
        version = registry.row_versions(s, pid)["visit"][(pid, visit.date)]
    client = client_for("clin_a")
    page = client.get(f"/patients/{pid}/visit", params={"on": visit.date.isoformat()})
    assert page.status_code == 200 and 'name="original_date"' in page.text
    moved = date(visit.date.year, visit.date.month, 1 if visit.date.day != 1 else 2)
    r = _form(
        client,
        f"/patients/{pid}/visit",
        {
            "original_date": visit.date.isoformat(),
            "date": moved.isoformat(),
            "expected_version": version,
            "weight_kg": "" if visit.weight_kg is None else visit.weight_kg,
            "total__cmas": "" if visit.cmas is None else visit.cmas,
            "reason": "date from the clinic letter",
        },
    )
    assert r.status_code == 303, r.text
    assert r.headers["location"] == f"/patients/{pid}?saved=visit#visits"
    with registry.transaction(engine) as s:
        after = registry.load_record(s, pid)
    engine.dispose()
    assert after is not None
    dates = [v.date for v in after.visits]
    assert moved in dates and visit.date not in dates
    assert next(v for v in after.visits if v.date == moved).extra == visit.extra


def test_editing_a_patient_in_the_form_keeps_x_columns(client_for: Clients, db_url: str) -> None:
    engine = registry.connect(db_url)
    with registry.transaction(engine) as s:
        record = registry.load_record(s, PID)
        assert record is not None
        registry.save_patient(
            s,
            dataclasses.replace(record.patient, extra={"x_study": "JAK-1"}),
            expected_version=1,
            actor="test",
            reason="x",
        )
    client = client_for("clin_a")
    page = client.get(f"/patients/{PID}/edit")
    assert "x_study" in page.text  # shown as kept, not editable
    r = _form(
        client,
        f"/patients/{PID}/edit",
        {
            "expected_version": "2",
            "sex": "F",
            "birth_date": "2014-05-01",
            "diagnosis": "JDM",
            "features": "ILD",
            "reason": "ILD found",
        },
    )
    assert r.status_code == 303, r.text
    with registry.transaction(engine) as s:
        patient = registry.load_record(s, PID).patient  # type: ignore[union-attr]
    engine.dispose()
    assert patient.features == ("ILD",) and patient.extra == {"x_study": "JAK-1"}


def test_lab_correction_and_retraction_through_the_pages(
    client_for: Clients, records: None, db_url: str
) -> None:
    client = client_for("clin_a")
    page = client.get(f"/patients/{PID}")
    assert f"/patients/{PID}/lab?on=2024-03-01&amp;analyte=CK" in page.text
    form = client.get(f"/patients/{PID}/lab", params={"on": "2024-03-01", "analyte": "CK"})
    assert "Correct lab result" in form.text and 'value="900"' in form.text
    assert "Retract this lab result" in form.text
    # An error is shown beside the field and in the summary at the top, linked to it.
    bad = _form(
        client,
        f"/patients/{PID}/lab",
        {
            "original_date": "2024-03-01",
            "original_analyte": "CK",
            "expected_version": "1",
            "date": "2024-03-01",
            "analyte": "CK",
            "value": "",
            "unit": "U/L",
        },
    )
    assert bad.status_code == 422
    assert 'id="error-summary"' in bad.text and 'href="#f-value"' in bad.text
    assert 'id="f-value"' in bad.text
    ok = _form(
        client,
        f"/patients/{PID}/lab",
        {
            "original_date": "2024-03-01",
            "original_analyte": "CK",
            "expected_version": "1",
            "date": "2024-03-01",
            "analyte": "CK",
            "value": "15",
            "unit": "µkat/L",
            "reason": "unit was µkat/L",
        },
    )
    assert ok.status_code == 303
    saved = client.get(ok.headers["location"])
    assert "Lab result saved." in saved.text
    record = _stored(db_url)
    (lab,) = record.labs
    assert lab.value == 900 and lab.extra == {"x_lab": "central"}
    assert lab.reported is not None and lab.reported.unit == "µkat/L"
    # Retract: without a reason the page asks for one beside the field.
    retract = {"kind": "lab", "key": [PID, "2024-03-01", "CK"], "expected_version": "2"}
    missing = _form(client, f"/patients/{PID}/retract", {**retract, "reason": ""})
    assert missing.status_code == 422 and "Give the reason" in missing.text
    done = _form(client, f"/patients/{PID}/retract", {**retract, "reason": "wrong patient"})
    assert done.status_code == 303
    after = client.get(done.headers["location"])
    assert (
        "Record retracted" in after.text
        and "Creatine kinase" not in after.text.split('id="labs"')[1].split("</section>")[0]
    )
    # The admin's list shows it; restoring needs a reason.
    admin = client_for("admin")
    listed = admin.get("/retracted")
    assert "wrong patient" not in listed.text and PID in listed.text
    assert "Lab: creatine kinase (CK) 2024-03-01" in listed.text  # the record in words
    back = _form(admin, "/retracted/restore", {**retract, "expected_version": "3", "reason": ""})
    assert back.status_code == 422
    back = _form(
        admin, "/retracted/restore", {**retract, "expected_version": "3", "reason": "mistake"}
    )
    assert back.status_code == 303
    assert len(_stored(db_url).labs) == 1


def test_course_and_event_pages_correct_and_retract(
    client_for: Clients, records: None, db_url: str
) -> None:
    client = client_for("clin_a")
    form = client.get(
        f"/patients/{PID}/course", params={"drug": "baricitinib", "start": "2024-03-02"}
    )
    assert "Correct a drug course" in form.text and 'name="end_date"' in form.text
    r = _form(
        client,
        f"/patients/{PID}/course",
        {
            "original_drug": "baricitinib",
            "original_start_date": "2024-03-02",
            "expected_version": "1",
            "drug": "baricitinib",
            "start_date": "2024-03-01",
            "dose": "4",
            "dose_unit": "mg",
            "reason": "start date",
        },
    )
    assert r.status_code == 303, r.text
    ev = client.get(
        f"/patients/{PID}/event", params={"on": "2024-03-03", "event": "infection", "detail": "VZV"}
    )
    assert "Correct event" in ev.text
    r = _form(
        client,
        f"/patients/{PID}/retract",
        {
            "kind": "event",
            "key": [PID, "2024-03-03", "infection", "VZV"],
            "expected_version": "1",
            "reason": "entered twice",
        },
    )
    assert r.status_code == 303
    r = _form(
        client,
        f"/patients/{PID}/retract",
        {
            "kind": "course",
            "key": [PID, "baricitinib", "2024-03-01"],
            "expected_version": "2",
            "reason": "never given",
        },
    )
    assert r.status_code == 303
    record = _stored(db_url)
    assert record.courses == () and record.events == ()


def test_retracting_a_patient_hides_it_and_the_admin_restores_it(client_for: Clients) -> None:
    client = client_for("clin_a")
    r = _form(
        client,
        f"/patients/{PID}/retract",
        {"kind": "patient", "key": PID, "expected_version": "1", "reason": "test patient"},
    )
    assert r.status_code == 303 and r.headers["location"] == "/patients?saved=retracted"
    assert client.get(f"/patients/{PID}").status_code == 404
    admin = client_for("admin")
    body = {"kind": "patient", "key": [PID], "expected_version": 2, "reason": "real patient"}
    assert admin.post("/api/restore", json=body).status_code == 200
    assert client.get(f"/patients/{PID}").status_code == 200


def test_unit_picker_offers_each_unit_once(client_for: Clients) -> None:
    page = client_for("clin_a").get(f"/patients/{PID}/lab").text
    table = page.split('id="unit-table">', 1)[1].split("</script>", 1)[0]
    import json

    units = json.loads(table)
    for analyte, offered in units.items():
        assert len(offered) == len(set(offered)), analyte
    assert "μkat/L" not in units["CK"] and "ukat/L" not in units["CK"]  # µ offered once


def test_audit_page_reads_in_words_with_seconds(client_for: Clients, records: None) -> None:
    import re

    from myotrack.domain.labels import label

    client = client_for("clin_a")
    r = client.put(
        f"/api/patients/{PID}/courses",
        json={
            "original_drug": "baricitinib",
            "original_start_date": "2024-03-02",
            "drug": "baricitinib",
            "start_date": "2024-03-02",
            "dose": 4,
            "dose_unit": "mg",
            "frequency": "BID",
            "expected_version": 1,
            "reason": "frequency from the letter",
        },
    )
    assert r.status_code == 200, r.text
    page = client_for("admin").get("/audit", params={"patient": PID}).text
    assert label("frequency", "BID") in page and ">BID<" not in page
    assert label("field", "frequency") in page
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}<", page)
    assert "+00:00" not in page


def test_timeline_downloads(client_for: Clients, demo_patients: object) -> None:
    pid = demo_patients.site_a  # type: ignore[attr-defined]
    client = client_for("clin_a")
    magic = {"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF"}
    for fmt, start in magic.items():
        r = client.get(f"/patients/{pid}/timeline.{fmt}")
        assert r.status_code == 200, (fmt, r.text[:200])
        assert r.content.startswith(start), fmt
    assert client.get(f"/patients/{pid}/timeline.gif").status_code == 422
    # A researcher gets the figure of the record as their tier shows it.
    researcher = client_for("research")
    listed = researcher.get("/api/patients").json()
    shown = researcher.get(f"/patients/{listed[0]['patient_id']}/timeline.png")
    assert shown.status_code == 200 and shown.content.startswith(b"\x89PNG")


def test_an_error_in_a_closed_section_opens_it_and_the_summary_links_to_it(
    client_for: Clients,
) -> None:
    client = client_for("clin_a")
    r = _form(client, f"/patients/{PID}/visit", {"date": "2024-05-02", "total__cmas": "60"})
    assert r.status_code == 422
    page = r.text
    assert 'href="#f-totals__cmas"' in page and 'id="f-totals__cmas"' in page
    totals = page.split(
        '<details class="card"',
    )[-1]
    assert totals.lstrip().startswith("open") and "Totals only" in totals


def test_visit_and_patient_edits_and_an_assessment_retraction_through_the_api(
    client_for: Clients, db_url: str
) -> None:
    from myotrack.instruments import INSTRUMENTS

    client = client_for("clin_a")
    items = {it.id: it.max for it in INSTRUMENTS["cmas"].items}
    r = client.post(
        f"/api/patients/{PID}/visits",
        json={"date": "2024-05-02", "weight_kg": 30, "instruments": {"cmas": items}},
    )
    assert r.status_code == 200, r.text
    moved = client.put(
        f"/api/patients/{PID}/visits",
        json={
            "original_date": "2024-05-02",
            "date": "2024-05-03",
            "weight_kg": 31,
            "instruments": {"cmas": items},
            "expected_version": 1,
            "reason": "date",
        },
    )
    assert moved.status_code == 200, moved.text
    detail = _detail(client)
    (visit,) = detail["visits"]
    assert visit["date"] == "2024-05-03" and visit["measures"]["cmas"] == 52
    assert [a["date"] for a in detail["assessments"]] == ["2024-05-03"]
    # Retracting the item-level scores takes the visit's CMAS along (audited).
    gone = client.post(
        f"/api/patients/{PID}/retract",
        json={
            "kind": "assessment",
            "key": [PID, "2024-05-03", "cmas"],
            "expected_version": 2,
            "reason": "wrong child",
        },
    )
    assert gone.status_code == 200, gone.text
    detail = _detail(client)
    assert detail["assessments"] == []
    assert detail["visits"][0]["measures"]["cmas"] is None
    assert detail["visits"][0]["weight_kg"] == 31
    # A patient edit through the API keeps the x_ columns no form shows.
    engine = registry.connect(db_url)
    with registry.transaction(engine) as s:
        record = registry.load_record(s, PID)
        assert record is not None
        registry.save_patient(
            s,
            dataclasses.replace(record.patient, extra={"x_trial": "7"}),
            expected_version=1,
            actor="test",
            reason="x",
        )
    r = client.post(
        "/api/patients",
        json={
            "patient_id": PID,
            "sex": "F",
            "birth_date": "2014-05-01",
            "diagnosis": "JDM",
            "antibodies": ["NXP2"],
            "expected_version": 2,
        },
    )
    assert r.status_code in (200, 201), r.text
    with registry.transaction(engine) as s:
        patient = registry.load_record(s, PID).patient  # type: ignore[union-attr]
    engine.dispose()
    assert patient.antibodies == ("NXP2",) and patient.extra == {"x_trial": "7"}


def test_a_retracted_lab_leaves_the_decision_support(client_for: Clients) -> None:
    client = client_for("clin_a")
    lab = {"date": "2024-05-02", "analyte": "lymphocytes", "value": 0.2, "unit": "10^9/L"}
    assert client.post(f"/api/patients/{PID}/labs", json=lab).status_code == 200
    on = {"on": "2024-05-03"}
    before = client.get(f"/api/patients/{PID}", params=on).json()["decision_support"]
    assert "0.2" in str(before)
    client.post(
        f"/api/patients/{PID}/retract",
        json={
            "kind": "lab",
            "key": [PID, "2024-05-02", "lymphocytes"],
            "expected_version": 1,
            "reason": "haemolysed sample",
        },
    )
    after = client.get(f"/api/patients/{PID}", params=on).json()["decision_support"]
    assert "0.2" not in str(after)


@pytest.mark.parametrize("kind", ["patient", "visit", "lab", "course", "event", "assessment"])
def test_odd_keys_and_versions_never_break_retract_or_restore(
    client_for: Clients, kind: str
) -> None:
    client, admin = client_for("clin_a"), client_for("admin")
    for key in ([PID], [PID, "2024-02-30"], [PID, "x", "y", "z"], [PID, "9" * 30, "CK"], []):
        for version in ("1", "-1", "9" * 30, ""):
            data = {"kind": kind, "key": key, "expected_version": version, "reason": "r"}
            page = _form(client, f"/patients/{PID}/retract", data)
            assert page.status_code < 500, (kind, key, version)
            back = _form(admin, "/retracted/restore", data)
            assert back.status_code < 500, (kind, key, version)
            body = {"kind": kind, "key": key, "expected_version": int(version or 0), "reason": "r"}
            for r in (
                client.post(f"/api/patients/{PID}/retract", json=body),
                admin.post("/api/restore", json=body),
            ):
                assert r.status_code < 500, (kind, key, version, r.text)


def test_a_visit_and_its_scores_are_retracted_from_the_pages(
    client_for: Clients, db_url: str
) -> None:
    from myotrack.instruments import INSTRUMENTS

    client = client_for("clin_a")
    items = {f"item__cmas__{it.id}": str(it.max) for it in INSTRUMENTS["cmas"].items}
    r = _form(client, f"/patients/{PID}/visit", {"date": "2024-05-02", **items})
    assert r.status_code == 303, r.text
    page = client.get(f"/patients/{PID}").text
    assert "retract these scores" in page  # item-level scores can be retracted alone
    form = client.get(f"/patients/{PID}/visit", params={"on": "2024-05-02"}).text
    assert "Retract this visit" in form
    r = _form(
        client,
        f"/patients/{PID}/retract",
        {"kind": "visit", "key": [PID, "2024-05-02"], "expected_version": "1", "reason": "test"},
    )
    assert r.status_code == 303 and "#visits" in r.headers["location"]
    record = _stored(db_url)
    assert record.visits == () and record.assessments == ()
    listed = client_for("admin").get("/api/retracted", params={"patient_id": PID}).json()
    assert sorted(x["kind"] for x in listed) == ["assessment", "visit"]


def test_an_api_edit_of_the_date_keeps_the_value_as_reported(
    client_for: Clients, db_url: str
) -> None:
    client = client_for("clin_a")
    lab = {"date": "2024-05-02", "analyte": "ALT", "value": 1.5, "unit": "µkat/L"}
    assert client.post(f"/api/patients/{PID}/labs", json=lab).status_code == 200
    (stored,) = _detail(client)["labs"]
    assert (stored["value"], stored["unit"]) == (90, "U/L")
    moved = client.put(
        f"/api/patients/{PID}/labs",
        json={
            "original_date": "2024-05-02",
            "original_analyte": "ALT",
            "date": "2024-05-01",
            "analyte": "ALT",
            "value": 90,
            "unit": "U/L",
            "expected_version": 1,
        },
    )
    assert moved.status_code == 200, moved.text
    (after,) = _stored(db_url).labs
    assert after.date == date(2024, 5, 1) and after.reported is not None
    assert after.reported.unit == "µkat/L" and after.reported.value == 1.5


def test_clearing_an_instrument_in_the_visit_form_retracts_only_its_scores(
    client_for: Clients, db_url: str
) -> None:
    from myotrack.domain import Assessment, Visit
    from myotrack.instruments import INSTRUMENTS

    on = date(2024, 5, 2)
    engine = registry.connect(db_url)
    with registry.transaction(engine) as s:
        registry.save_visit(
            s,
            Visit(PID, on, cmas=52),
            expected_version=None,
            actor="test",
            reason="r",
            assessments=[
                Assessment(PID, on, "cmas", {it.id: it.max for it in INSTRUMENTS["cmas"].items}),
                Assessment(PID, on, "not_a_form_instrument", {"a": 1.0}),
            ],
        )
    client = client_for("clin_a")
    r = _form(
        client,
        f"/patients/{PID}/visit",
        {"original_date": "2024-05-02", "date": "2024-05-02", "expected_version": "1"},
    )
    assert r.status_code == 303, r.text
    with registry.transaction(engine) as s:
        record = registry.load_record(s, PID)
    engine.dispose()
    assert record is not None
    assert [a.instrument for a in record.assessments] == ["not_a_form_instrument"]
    assert record.visits[0].cmas is None
