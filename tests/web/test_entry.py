"""Data entry through the JSON API and the forms: scores from items, stale edits, units,
drug courses, events; roles, sites and de-identification of what is read back."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import httpx
import pytest
from fastapi.testclient import TestClient

from myotrack.instruments import INSTRUMENTS, score

Clients = Callable[[str | None], TestClient]


def _cmas_items(value: str = "max") -> dict[str, float]:
    return {it.id: (it.max if value == "max" else it.min) for it in INSTRUMENTS["cmas"].items}


def _visit(client: TestClient, pid: str, on: str, **extra: object) -> httpx.Response:
    body = {"date": on, **extra}
    response: httpx.Response = client.post(f"/api/patients/{pid}/visits", json=body)
    return response


def test_visit_items_are_scored_and_stored(client_for: Clients) -> None:
    client = client_for("clin_a")
    items = _cmas_items()
    items[INSTRUMENTS["cmas"].items[0].id] = 1.0
    expected = score("cmas", items).total
    r = _visit(
        client,
        "EMPTY-A",
        "2024-05-02",
        weight_kg=30,
        instruments={"cmas": items, "globals": {"phga": 2.5}},
    )
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 1
    detail = client.get("/api/patients/EMPTY-A").json()
    (visit,) = detail["visits"]
    assert visit["measures"]["cmas"] == expected == 48
    assert visit["measures"]["phga"] == 2.5
    stored = {a["instrument"]: a for a in detail["assessments"]}
    assert stored["cmas"]["items"] == items
    assert stored["cmas"]["total"] == 48


def test_item_out_of_range_is_refused_beside_the_field(client_for: Clients) -> None:
    client = client_for("clin_a")
    items = _cmas_items()
    first = INSTRUMENTS["cmas"].items[0]
    items[first.id] = first.max + 1
    r = _visit(client, "EMPTY-A", "2024-05-02", instruments={"cmas": items})
    assert r.status_code == 422
    errors = {e["field"]: e["message"] for e in r.json()["errors"]}
    assert f"cmas.{first.id}" in errors
    assert "allowed" in errors[f"cmas.{first.id}"]
    assert client.get("/api/patients/EMPTY-A").json()["visits"] == []


def test_live_score_endpoint(client_for: Clients) -> None:
    client = client_for("research")  # any logged-in user may use the calculator
    r = client.post("/api/instruments/cmas/score", json={"items": _cmas_items()})
    assert r.json()["total"] == 52 and r.json()["complete"] is True
    first = INSTRUMENTS["cmas"].items[0].id
    partial = client.post("/api/instruments/cmas/score", json={"items": {first: 3}}).json()
    assert partial["total"] is None and partial["complete"] is False
    bad = client.post("/api/instruments/cmas/score", json={"items": {first: 9}}).json()
    assert bad["errors"][0]["field"] == first
    assert client.post("/api/instruments/nope/score", json={"items": {}}).status_code == 404


def test_stale_edit_is_refused(client_for: Clients) -> None:
    nurse, doctor = client_for("clin_a"), client_for("admin")
    assert _visit(nurse, "EMPTY-A", "2024-06-01", weight_kg=30).status_code == 200
    version = nurse.get("/api/patients/EMPTY-A").json()["visits"][0]["version"]
    first = _visit(doctor, "EMPTY-A", "2024-06-01", weight_kg=31, expected_version=version)
    assert first.status_code == 200
    second = _visit(nurse, "EMPTY-A", "2024-06-01", weight_kg=29, expected_version=version)
    assert second.status_code == 409
    assert "someone else" in second.json()["detail"]
    assert nurse.get("/api/patients/EMPTY-A").json()["visits"][0]["weight_kg"] == 31
    # A second "new" visit on the same date is a duplicate, not an overwrite.
    dup = _visit(nurse, "EMPTY-A", "2024-06-01", weight_kg=28)
    assert dup.status_code == 409


def test_stale_edit_in_the_visit_form(client_for: Clients) -> None:
    nurse = client_for("clin_a")
    assert _visit(nurse, "EMPTY-A", "2024-06-01", weight_kg=30).status_code == 200
    form = nurse.get("/patients/EMPTY-A/visit?on=2024-06-01").text
    version = re.search(r'name="expected_version" value="(\d+)"', form)
    assert version is not None and version.group(1) == "1"
    token = nurse.headers["X-CSRF-Token"]
    data = {"csrf_token": token, "date": "2024-06-01", "weight_kg": "32", "expected_version": "1"}
    assert nurse.post("/patients/EMPTY-A/visit", data=data).status_code == 303
    again = nurse.post("/patients/EMPTY-A/visit", data={**data, "weight_kg": "33"})
    assert again.status_code == 409
    assert "someone else changed this record" in again.text


def test_visit_form_shows_item_errors(client_for: Clients) -> None:
    nurse = client_for("clin_a")
    data = {
        "csrf_token": nurse.headers["X-CSRF-Token"],
        "date": "2024-07-01",
        "item__globals__phga": "12",
    }
    r = nurse.post("/patients/EMPTY-A/visit", data=data)
    assert r.status_code == 422
    assert 'data-error-for="globals.phga"' in r.text
    assert "allowed 0–10" in r.text
    assert 'value="12"' in r.text  # what was typed is kept


def test_lab_units_and_flags(client_for: Clients) -> None:
    client = client_for("clin_a")
    r = client.post(
        "/api/patients/EMPTY-A/labs",
        json={"date": "2024-05-02", "analyte": "CK", "value": 5, "unit": "µkat/L", "ref_high": 3},
    )
    assert r.status_code == 200, r.text
    bad_unit = client.post(
        "/api/patients/EMPTY-A/labs",
        json={"date": "2024-05-03", "analyte": "CK", "value": 5, "unit": "mg/dL"},
    )
    assert bad_unit.status_code == 422
    assert "U/L" in bad_unit.json()["errors"][0]["message"]
    qual = client.post(
        "/api/patients/EMPTY-A/labs",
        json={"date": "2024-05-02", "analyte": "TB_IGRA", "result": "positive"},
    )
    assert qual.status_code == 200
    labs = {lab["analyte"]: lab for lab in client.get("/api/patients/EMPTY-A").json()["labs"]}
    assert labs["CK"]["value"] == 300 and labs["CK"]["unit"] == "U/L"  # 5 µkat/L × 60
    assert labs["CK"]["ref_high"] == 180 and labs["CK"]["flag"] == "high"
    assert labs["CK"]["reported"] == "5 µkat/L"
    assert labs["TB_IGRA"]["flag"] == "abnormal"


def test_drug_course_start_change_stop(client_for: Clients) -> None:
    client = client_for("clin_a")
    start = {
        "drug": "tofacitinib",
        "start_date": "2024-01-10",
        "dose": 2.5,
        "dose_unit": "mg",
        "frequency": "BID",
        "route": "oral",
    }
    assert client.post("/api/patients/EMPTY-A/courses", json=start).status_code == 200
    version = client.get("/api/patients/EMPTY-A").json()["courses"][0]["version"]
    change = {
        "drug": "tofacitinib",
        "start_date": "2024-01-10",
        "on": "2024-03-01",
        "new_dose": 5,
        "expected_version": version,
    }
    assert client.post("/api/patients/EMPTY-A/courses/change", json=change).status_code == 200
    version = client.get("/api/patients/EMPTY-A").json()["courses"][1]["version"]
    stop = {
        "drug": "tofacitinib",
        "start_date": "2024-03-01",
        "on": "2024-06-30",
        "stop_reason": "remission",
        "expected_version": version,
    }
    no_version = {k: v for k, v in stop.items() if k != "expected_version"}
    assert client.post("/api/patients/EMPTY-A/courses/change", json=no_version).status_code == 422
    assert client.post("/api/patients/EMPTY-A/courses/change", json=stop).status_code == 200
    courses = client.get("/api/patients/EMPTY-A").json()["courses"]
    assert [(c["start_date"], c["end_date"], c["dose"], c["stop_reason"]) for c in courses] == [
        ("2024-01-10", "2024-02-29", 2.5, None),
        ("2024-03-01", "2024-06-30", 5.0, "remission"),
    ]
    assert courses[1]["frequency"] == "BID"  # the next course keeps the schedule
    detail = client.get("/api/patients/EMPTY-A").json()
    assert detail["patient"]["index_date"] == "2024-01-10"


def test_events(client_for: Clients) -> None:
    client = client_for("clin_a")
    r = client.post(
        "/api/patients/EMPTY-A/events",
        json={"date": "2024-05-02", "event": "infection", "detail": "VZV", "grade": 2},
    )
    assert r.status_code == 200
    (event,) = client.get("/api/patients/EMPTY-A").json()["events"]
    assert (event["event"], event["detail"], event["grade"]) == ("infection", "VZV", 2)
    bad = client.post("/api/patients/EMPTY-A/events", json={"date": "2024-05-02", "event": "party"})
    assert bad.status_code == 422


def test_new_patient_gets_the_clinicians_site(client_for: Clients) -> None:
    client = client_for("clin_a")
    r = client.post(
        "/api/patients",
        json={
            "patient_id": "NEW-1",
            "sex": "M",
            "birth_date": "2016-01-01",
            "diagnosis": "JDM",
            "antibodies": ["NXP2"],
            "site": "Demo Centre B",
        },
    )
    assert r.status_code == 201, r.text
    assert client.get("/api/patients/NEW-1").json()["patient"]["site"] == "Demo Centre A"
    assert client_for("clin_b").get("/api/patients/NEW-1").status_code == 404
    again = client.post(
        "/api/patients",
        json={"patient_id": "NEW-1", "sex": "M", "birth_date": "2016-01-01", "diagnosis": "JDM"},
    )
    assert again.status_code == 409


def test_new_patient_form(client_for: Clients) -> None:
    client = client_for("clin_a")
    token = client.headers["X-CSRF-Token"]
    bad = client.post(
        "/new-patient",
        data={
            "csrf_token": token,
            "patient_id": "has space",
            "sex": "F",
            "birth_date": "2016-01-01",
            "diagnosis": "JDM",
        },
    )
    assert bad.status_code == 422 and "patient_id" in bad.text
    ok = client.post(
        "/new-patient",
        data={
            "csrf_token": token,
            "patient_id": "FORM-1",
            "sex": "F",
            "birth_date": "2016-01-01",
            "diagnosis": "JDM",
            "antibodies": ["MDA5", "RO52"],
        },
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/patients/FORM-1?saved=patient"
    assert client.get("/api/patients/FORM-1").json()["patient"]["antibodies"] == ["MDA5", "RO52"]


def test_researcher_reads_de_identified(
    client_for: Clients, demo_patients: object, research_id: Callable[[str], str]
) -> None:
    pid = demo_patients.site_a  # type: ignore[attr-defined]
    admin = client_for("admin").get(f"/api/patients/{pid}").json()
    client = client_for("research")
    pid = research_id(pid)  # researchers' URLs carry research pseudonyms
    detail = client.get(f"/api/patients/{pid}").json()
    assert detail["patient"]["birth_date"] is None
    assert detail["patient"]["index_date"] is None
    assert detail["onset_date"] is None and detail["diagnosis_date"] is None
    assert detail["decision_support"] is None
    for kind in ("visits", "labs", "events", "assessments"):
        assert all(row["date"] is None for row in detail[kind])
    assert all(c["start_date"] is None and c["end_date"] is None for c in detail["courses"])
    assert [v["day"] for v in detail["visits"]] == [v["day"] for v in admin["visits"]]
    index = date.fromisoformat(admin["patient"]["index_date"])
    first = admin["visits"][0]
    assert detail["visits"][0]["day"] == (date.fromisoformat(first["date"]) - index).days
    birth = date.fromisoformat(admin["patient"]["birth_date"])
    assert detail["patient"]["age_years"] == round((index - birth).days / 365.25, 1)
    page = client.get(f"/patients/{pid}").text
    for text in (admin["patient"]["birth_date"], admin["patient"]["index_date"], first["date"]):
        assert text not in page
    assert "day +0" in page or "day 0" in page or "day +" in page
    listing = client.get("/patients").text
    assert admin["patient"]["birth_date"] not in listing
    assert (
        client.post(
            "/api/patients/EMPTY-A/events", json={"date": "2024-05-02", "event": "relapse"}
        ).status_code
        == 403
    )


def test_patient_list_filters_and_sorting(client_for: Clients) -> None:
    client = client_for("admin")
    everyone = client.get("/api/patients").json()
    assert {p["site"] for p in everyone} >= {"Demo Centre A", "Demo Centre B"}
    mda5 = client.get("/api/patients", params={"antibody": "MDA5"}).json()
    assert mda5 and all("MDA5" in p["antibodies"] for p in mda5)
    rux = client.get("/api/patients", params={"jak": "ruxolitinib"}).json()
    assert rux and all("ruxolitinib" in p["jak_inhibitors"] for p in rux)
    none = client.get("/api/patients", params={"jak": "none"}).json()
    assert [p["patient_id"] for p in none] == ["EMPTY-A"]
    site_b = client.get("/api/patients", params={"site": "Demo Centre B"}).json()
    assert site_b and all(p["site"] == "Demo Centre B" for p in site_b)
    found = client.get("/api/patients", params={"q": "empty"}).json()
    assert [p["patient_id"] for p in found] == ["EMPTY-A"]
    by_age = client.get("/api/patients", params={"sort": "age_years", "order": "desc"}).json()
    ages = [p["age_years"] for p in by_age]
    known = [a for a in ages if a is not None]  # age at the latest visit: none without visits
    assert ages == sorted(known, reverse=True) + [None] * (len(ages) - len(known))
    assert next(p for p in by_age if p["patient_id"] == "EMPTY-A")["age_years"] is None
    page = client.get("/patients", params={"antibody": "MDA5", "sort": "age_years"}).text
    assert all(p["patient_id"] in page for p in mda5)


def test_edit_patient_form_and_stale_edit(client_for: Clients) -> None:
    nurse, admin = client_for("clin_a"), client_for("admin")
    form = nurse.get("/patients/EMPTY-A/edit").text
    version = re.search(r'name="expected_version" value="(\d+)"', form)
    assert version is not None
    data = {
        "csrf_token": nurse.headers["X-CSRF-Token"],
        "sex": "F",
        "birth_date": "2014-05-01",
        "diagnosis": "JDM",
        "antibodies": ["TIF1G"],
        "expected_version": version.group(1),
        "reason": "antibody result came back",
        "patient_id": "RENAMED",
    }
    assert nurse.post("/patients/EMPTY-A/edit", data=data).status_code == 303
    detail = admin.get("/api/patients/EMPTY-A").json()
    assert detail["patient"]["antibodies"] == ["TIF1G"]
    assert detail["patient"]["site"] == "Demo Centre A"  # a clinician keeps their site
    assert admin.get("/api/patients/RENAMED").status_code == 404  # the key never changes
    stale = nurse.post("/patients/EMPTY-A/edit", data={**data, "antibodies": ["NXP2"]})
    assert stale.status_code == 409 and "someone else changed this record" in stale.text
    assert client_for("clin_b").get("/patients/EMPTY-A/edit").status_code == 404


def test_visit_form_for_a_date_without_visit_is_a_new_visit(client_for: Clients) -> None:
    nurse = client_for("clin_a")
    for on in ("not-a-date", "2024-02-30", "1999-01-01"):
        page = nurse.get("/patients/EMPTY-A/visit", params={"on": on})
        assert page.status_code == 200 and "New visit" in page.text


@pytest.mark.parametrize(
    ("path", "fields", "bad", "duplicate_message", "section"),
    [
        (
            "lab",
            {"date": "2024-06-01", "analyte": "CK", "value": "120", "unit": "U/L"},
            {"value": "-5"},
            "This analyte is already recorded on that date.",
            "labs",
        ),
        (
            "course",
            {
                "drug": "prednisolone",
                "start_date": "2024-06-01",
                "dose": "10",
                "dose_unit": "mg",
                "frequency": "QD",
                "route": "oral",
            },
            {"frequency": "hourly"},
            "A course of this drug already starts on that date.",
            "courses",
        ),
        (
            "event",
            {"date": "2024-06-01", "event": "relapse"},
            {"event": "flare"},
            "This event is already recorded on that date.",
            "events",
        ),
    ],
)
def test_entry_forms_save_refuse_duplicates_and_show_errors(
    client_for: Clients,
    path: str,
    fields: dict[str, str],
    bad: dict[str, str],
    duplicate_message: str,
    section: str,
) -> None:
    nurse = client_for("clin_a")
    data = {"csrf_token": nurse.headers["X-CSRF-Token"], **fields}
    saved = nurse.post(f"/patients/EMPTY-A/{path}", data=data)
    assert saved.status_code == 303 and saved.headers["location"].endswith(f"#{section}")
    again = nurse.post(f"/patients/EMPTY-A/{path}", data=data)
    assert again.status_code == 409 and duplicate_message in again.text
    wrong = nurse.post(
        f"/patients/EMPTY-A/{path}",
        data={**data, **bad, "date": "2024-07-01", "start_date": "2024-07-01"},
    )
    assert wrong.status_code == 422


def test_report_cutoff_is_chosen_on_the_cohort_page(client_for: Clients) -> None:
    client = client_for("admin")
    page = client.get("/cohort").text
    assert 'name="cutoff"' in page and 'formaction="/report.json"' in page
    early = client.get("/report.json", params={"cutoff": "2000-01-01"})
    late = client.get("/report.json", params={"cutoff": "2030-01-01"})
    assert early.status_code == late.status_code == 200
    assert early.json()["methods"]["cutoff_date"] == "2000-01-01"
    assert late.json()["methods"]["cutoff_date"] == "2030-01-01"
    # Nobody has an index date before 2000: everyone is left out of the early report.
    assert early.json()["n_patients"] == 0 < late.json()["n_patients"]
    assert client.get("/report.json", params={"cutoff": "01/02/2024"}).status_code == 422
    assert client.get("/report.json", params={"cutoff": ""}).status_code == 200  # the default


def test_unit_aliases_are_accepted_on_input(client_for: Clients) -> None:
    """The picker offers µkat/L once; the Greek-mu spelling and ukat/L typed through the API
    are the same unit (converted to U/L, the spelling as reported kept)."""
    client = client_for("clin_a")
    for i, spelling in enumerate(("µkat/L", "μkat/L", "ukat/L")):
        r = client.post(
            "/api/patients/EMPTY-A/labs",
            json={"date": f"2024-05-0{i + 1}", "analyte": "CK", "value": 2, "unit": spelling},
        )
        assert r.status_code == 200, (spelling, r.text)
    labs = client.get("/api/patients/EMPTY-A").json()["labs"]
    assert [(lab["value"], lab["unit"]) for lab in labs] == [(120, "U/L")] * 3


def test_patient_list_shows_labels(client_for: Clients) -> None:
    from myotrack.domain.labels import label

    page = client_for("admin").get("/patients").text
    assert label("antibody", "MDA5") in page and label("sex", "F") in page
    assert "Age at latest visit" in page
