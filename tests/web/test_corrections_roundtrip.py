"""The issue's "done when", end to end: a fresh registry with the demo cohort, records
entered, corrected and retracted through the web app (pages and API), then
`myotrack export`, `myotrack validate` on the export (no problem) and `myotrack import`
of the export again ("Nothing changed"), and what was retracted is in no file."""

from __future__ import annotations

import csv
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from myotrack import registry
from myotrack.cli import app as cli
from myotrack.cohort import DEMO_FOLDER
from myotrack.web import WebSettings, create_app
from myotrack.web.passwords import hash_password

PASSWORD = "correct horse battery"
runner = CliRunner()


def _cli(*args: str) -> str:
    result = runner.invoke(cli, list(args))
    text = " ".join(result.output.split())
    assert result.exit_code == 0, text
    return text


def _rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_enter_correct_retract_then_export_validates_and_reimports_unchanged(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    _cli("import", str(DEMO_FOLDER), "--database", url)
    engine = registry.connect(url)
    with registry.transaction(engine) as session:
        registry.create_user(
            session,
            "nurse",
            password_hash=hash_password(PASSWORD),
            role="admin",
            site=None,
            actor="test",
        )
    engine.dispose()
    web = create_app(url, secret_key="roundtrip", settings=WebSettings())
    with TestClient(web, follow_redirects=False) as client:
        login = client.post("/api/session", json={"username": "nurse", "password": PASSWORD})
        assert login.status_code == 200, login.text
        token = login.json()["csrf_token"]
        client.headers["X-CSRF-Token"] = token

        def form(path: str, data: dict[str, object]) -> None:
            response = client.post(path, data={**data, "csrf_token": token})
            assert response.status_code == 303, response.text

        # A new patient and their records, through the forms.
        form(
            "/new-patient",
            {
                "patient_id": "RT-01",
                "sex": "F",
                "birth_date": "2014-02-01",
                "diagnosis": "JDM",
                "antibodies": "MDA5",
                "site": "Demo Centre A",
            },
        )
        form(
            "/patients/RT-01/visit", {"date": "2024-01-10", "weight_kg": "30", "total__cmas": "30"}
        )
        form(
            "/patients/RT-01/lab",
            {"date": "2024-01-10", "analyte": "CK", "value": "700", "unit": "U/L"},
        )
        form(
            "/patients/RT-01/lab",
            {"date": "2024-01-10", "analyte": "CRP", "value": "12", "unit": "mg/L"},
        )
        form(
            "/patients/RT-01/course",
            {
                "drug": "tofacitinib",
                "start_date": "2024-01-11",
                "dose": "5",
                "dose_unit": "mg",
                "frequency": "BID",
                "route": "oral",
            },
        )
        form(
            "/patients/RT-01/course",
            {
                "drug": "prednisolone",
                "start_date": "2024-01-11",
                "dose": "20",
                "dose_unit": "mg",
                "frequency": "QD",
                "route": "oral",
            },
        )
        form(
            "/patients/RT-01/event",
            {"date": "2024-02-01", "event": "infection", "detail": "VZV", "grade": "2"},
        )
        # Corrections: the lab's date, the course's start and dose, the visit's date.
        form(
            "/patients/RT-01/lab",
            {
                "original_date": "2024-01-10",
                "original_analyte": "CK",
                "expected_version": "1",
                "date": "2024-01-09",
                "analyte": "CK",
                "value": "7",
                "unit": "µkat/L",
                "reason": "unit and date from the report",
            },
        )
        form(
            "/patients/RT-01/course",
            {
                "original_drug": "tofacitinib",
                "original_start_date": "2024-01-11",
                "expected_version": "1",
                "drug": "tofacitinib",
                "start_date": "2024-01-12",
                "dose": "2.5",
                "dose_unit": "mg",
                "frequency": "BID",
                "route": "oral",
                "reason": "dose by weight",
            },
        )
        form(
            "/patients/RT-01/visit",
            {
                "original_date": "2024-01-10",
                "expected_version": "1",
                "date": "2024-01-08",
                "weight_kg": "30",
                "total__cmas": "31",
                "reason": "date of the visit",
            },
        )
        # Retractions: a lab and a course (pages), an event (API).
        form(
            "/patients/RT-01/retract",
            {
                "kind": "lab",
                "key": ["RT-01", "2024-01-10", "CRP"],
                "expected_version": "1",
                "reason": "other patient",
            },
        )
        form(
            "/patients/RT-01/retract",
            {
                "kind": "course",
                "key": ["RT-01", "prednisolone", "2024-01-11"],
                "expected_version": "1",
                "reason": "never started",
            },
        )
        retracted = client.post(
            "/api/patients/RT-01/retract",
            json={
                "kind": "event",
                "key": ["RT-01", "2024-02-01", "infection", "VZV"],
                "expected_version": 1,
                "reason": "entered twice",
            },
        )
        assert retracted.status_code == 200, retracted.text
    web.state.engine.dispose()

    out = tmp_path / "export"
    _cli("export", str(out), "--database", url)
    assert "no problems found" in _cli("validate", str(out))
    assert "Nothing changed" in _cli("import", str(out), "--database", url)

    labs = [r for r in _rows(out, "labs.csv") if r["patient_id"] == "RT-01"]
    assert [(r["date"], r["analyte"]) for r in labs] == [("2024-01-09", "CK")]
    courses = [r for r in _rows(out, "treatments.csv") if r["patient_id"] == "RT-01"]
    assert [(r["drug"], r["start_date"], r["dose"]) for r in courses] == [
        ("tofacitinib", "2024-01-12", "2.5")
    ]
    assert [r for r in _rows(out, "events.csv") if r["patient_id"] == "RT-01"] == []
    visits = [r for r in _rows(out, "visits.csv") if r["patient_id"] == "RT-01"]
    assert [(r["date"], r["cmas"]) for r in visits] == [("2024-01-08", "31")]
    # The demo's x_ column came back out unchanged.
    demo_notes = [r["x_note"] for r in _rows(DEMO_FOLDER, "visits.csv") if r["x_note"]]
    assert demo_notes and all(
        note in {r.get("x_note", "") for r in _rows(out, "visits.csv")} for note in demo_notes
    )
