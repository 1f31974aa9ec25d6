"""A course's daily dose is one calculation on every path (issue 16's fifth disagreement).

Before, the decision-support view computed a course's mg a day itself and knew mg and mg/kg
only, while the dose checks also knew mg/m²: a ruxolitinib course dosed in mg/m² had no
daily dose in the panel. Here the same child and course come in through the cohort folder
reader and through the JSON API, and both give the panel the same daily dose.

Worked example (oracle: by hand; Mosteller BSA = sqrt(height_cm x weight_kg / 3600),
Mosteller RD, N Engl J Med 1987;317:1098): 105 cm and 17 kg give sqrt(1785 / 3600) =
0.70415 m²; ruxolitinib 4 mg/m² twice daily is 2 x 4 x 0.70415 = 5.6332 mg a day.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from myotrack.cohort import read_folder
from myotrack.therapy import decision_support

Clients = Callable[[str | None], TestClient]

ON = date(2024, 6, 1)
DAILY_MG = 5.6332  # by hand, see the module docstring
PATIENT = {"sex": "M", "birth_date": "2019-03-01", "diagnosis": "JDM"}
VISIT = {"date": "2024-05-01", "weight_kg": 17.0, "height_cm": 105.0}
COURSE = {
    "drug": "ruxolitinib",
    "start_date": "2024-05-01",
    "dose": 4.0,
    "dose_unit": "mg/m2",
    "frequency": "BID",
}


def _csv(**row: object) -> str:
    return ",".join(row) + "\n" + ",".join(str(v) for v in row.values()) + "\n"


def test_daily_dose_of_a_per_m2_course_from_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "cohort"
    folder.mkdir()
    files = {
        "patients.csv": _csv(patient_id="MG1", **PATIENT),
        "visits.csv": _csv(patient_id="MG1", **VISIT),
        "treatments.csv": _csv(patient_id="MG1", **COURSE),
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    cohort, issues = read_folder(folder)
    assert issues == [] and cohort is not None
    view = decision_support(cohort.records()["MG1"], ON)
    assert view.course is not None
    assert view.course.daily_mg == pytest.approx(DAILY_MG, abs=1e-4)


def test_daily_dose_of_a_per_m2_course_from_the_api(client_for: Clients) -> None:
    client = client_for("clin_a")
    r = client.post("/api/patients", json={"patient_id": "MG1", **PATIENT})
    assert r.status_code == 201, r.text
    r = client.post("/api/patients/MG1/visits", json=VISIT)
    assert r.status_code == 200, r.text
    r = client.post("/api/patients/MG1/courses", json=COURSE)
    assert r.status_code == 200, r.text
    r = client.get("/api/patients/MG1", params={"on": ON.isoformat()})
    assert r.status_code == 200, r.text
    course = r.json()["decision_support"]["dose"]["current_course"]
    assert (course["drug"], course["dose_unit"]) == ("ruxolitinib", "mg/m2")
    assert course["daily_mg"] == pytest.approx(DAILY_MG, abs=1e-4)
