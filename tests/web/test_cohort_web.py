"""Cohort upload (all or nothing, errors by file and line), cohort download, the report in
its three formats, and the audit page."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable

import httpx
from fastapi.testclient import TestClient

from myotrack.web.cohort_io import read_zip

Clients = Callable[[str | None], TestClient]


def _zip(files: dict[str, str], folder: str = "cohort") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, text in files.items():
            z.writestr(f"{folder}/{name}" if folder else name, text)
    return buffer.getvalue()


GOOD = {
    "patients.csv": "patient_id,sex,birth_date,diagnosis,site\nUP-1,F,2014-02-01,JDM,Upload\n",
    "visits.csv": "patient_id,date,cmas\nUP-1,2020-01-01,40\n",
}
BAD = {
    "patients.csv": "patient_id,sex,birth_date,diagnosis\nUP-2,F,2014-02-30,JDM\n"
    "UP-3,F,2014-02-01,JDM\n",
    "visits.csv": "patient_id,date,cmas\nUP-3,2020-01-01,60\n",
}


def _upload(client: TestClient, data: bytes, url: str = "/cohort/upload") -> httpx.Response:
    response: httpx.Response = client.post(
        url,
        files={"file": ("cohort.zip", data, "application/zip")},
        data={"csrf_token": client.headers["X-CSRF-Token"]},
    )
    return response


def test_bad_upload_lists_every_problem_and_stores_nothing(client_for: Clients) -> None:
    admin = client_for("admin")
    before = len(admin.get("/api/patients").json())
    r = _upload(admin, _zip(BAD))
    assert r.status_code == 422
    assert "Nothing was stored" in r.text
    assert "patients.csv" in r.text and "visits.csv" in r.text
    api = admin.post(
        "/api/cohort/import", files={"file": ("c.zip", _zip(BAD), "application/zip")}
    ).json()
    assert api["stored"] is False
    places = {(i["file"], i["line"], i["field"]) for i in api["issues"]}
    assert ("patients.csv", 2, "birth_date") in places
    assert ("visits.csv", 2, "cmas") in places
    assert len(admin.get("/api/patients").json()) == before


def test_not_a_zip_and_unsafe_paths(client_for: Clients) -> None:
    admin = client_for("admin")
    r = admin.post("/api/cohort/import", files={"file": ("c.zip", b"hello", "application/zip")})
    assert r.json()["issues"][0]["message"].startswith("This is not a zip file")
    cohort, issues = read_zip(_zip({"../patients.csv": "x"}, folder=""))
    assert cohort is None and "Unsafe path" in issues[0].message
    cohort, issues = read_zip(_zip({"notes.txt": "x"}))
    assert cohort is None and issues[0].rule == "missing_file"


def test_good_upload_is_stored(client_for: Clients) -> None:
    admin = client_for("admin")
    r = _upload(admin, _zip(GOOD))
    assert r.status_code == 200 and "Imported" in r.text
    detail = admin.get("/api/patients/UP-1").json()
    assert detail["visits"][0]["measures"]["cmas"] == 40
    # Only admins import.
    assert _upload(client_for("clin_a"), _zip(GOOD)).status_code == 403


def test_download_is_a_cohort_folder_of_the_visible_patients(client_for: Clients) -> None:
    admin = client_for("admin")
    r = admin.get("/cohort/export.zip")
    assert r.headers["content-type"] == "application/zip"
    cohort, issues = read_zip(r.content)
    assert not issues and cohort is not None
    assert len(cohort.patients) == len(admin.get("/api/patients").json())
    clin = client_for("clin_a").get("/cohort/export.zip")
    own, issues = read_zip(clin.content)
    assert not issues and own is not None
    assert own.patients and {p.site for p in own.patients} == {"Demo Centre A"}
    assert client_for("research").get("/cohort/export.zip").status_code == 403


def test_report_formats(client_for: Clients) -> None:
    admin = client_for("admin")
    api = admin.get("/api/report").json()
    assert api["n_patients"] >= 1
    as_file = json.loads(admin.get("/report.json").content)
    assert as_file["n_patients"] == api["n_patients"]
    html = admin.get("/report.html")
    assert html.headers["content-type"].startswith("text/html") and "<html" in html.text.lower()
    pdf = admin.get("/report.pdf")
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    # A clinician's report covers their site only.
    clin = client_for("clin_b").get("/api/report").json()
    assert clin["n_patients"] + clin["n_excluded"] <= 6 < api["n_patients"] + api["n_excluded"]


def test_audit_shows_who_changed_what(client_for: Clients) -> None:
    nurse = client_for("clin_a")
    nurse.post("/api/patients/EMPTY-A/visits", json={"date": "2024-06-01", "weight_kg": 30})
    version = nurse.get("/api/patients/EMPTY-A").json()["visits"][0]["version"]
    nurse.post(
        "/api/patients/EMPTY-A/visits",
        json={
            "date": "2024-06-01",
            "weight_kg": 31,
            "expected_version": version,
            "reason": "typo in weight",
        },
    )
    admin = client_for("admin")
    entries = admin.get("/api/audit", params={"patient_id": "EMPTY-A"}).json()
    update = next(e for e in entries if e["action"] == "update")
    assert update["actor"] == "clin_a" and update["reason"] == "typo in weight"
    assert update["old"]["weight_kg"] == 30 and update["new"]["weight_kg"] == 31
    page = admin.get("/audit", params={"patient": "EMPTY-A"}).text
    assert "typo in weight" in page and "clin_a" in page
    assert nurse.get("/audit").status_code == 403
