"""Implausible and impossible values in the web forms (issue 9, plausibility): an
implausible value (soft limit of domain.plausibility) is shown beside its field with a
"confirm this value is correct" checkbox and is saved once the user ticks it; an impossible
value (hard limit) is refused whatever the box says, naming the likely unit mistake. The
form, the JSON API and the importer give the same rule names."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from myotrack import registry
from myotrack.cohort import read_folder

Clients = Callable[[str | None], TestClient]

PID = "EMPTY-A"  # F, born 2014-05-01, site A (tests/web/conftest.py)
CK_IMPLAUSIBLE = {"date": "2024-05-02", "analyte": "CK", "value": "150000", "unit": "U/L"}
HB_IMPOSSIBLE = {"date": "2024-05-02", "analyte": "hemoglobin", "value": "126", "unit": "g/dL"}
HEAVY_GIRL_OF_4 = {"date": "2018-05-02", "weight_kg": "60"}  # CDC weight-for-age z > 8


def _post(client: TestClient, path: str, data: dict[str, str]) -> httpx.Response:
    body = {"csrf_token": client.headers["X-CSRF-Token"], **data}
    response: httpx.Response = client.post(path, data=body)
    return response


def _checkbox(html: str) -> str | None:
    found = re.search(r'<input[^>]*name="confirm_implausible"[^>]*>', html)
    return None if found is None else found.group(0)


def _error_beside(html: str, field: str) -> str:
    found = re.search(rf'id="f-{field}"[^>]*>([^<]*)<', html)
    assert found is not None, f"no message beside {field}"
    return found.group(1)


def _labs(app: object, pid: str = PID) -> list[object]:
    with registry.transaction(app.state.engine) as session:  # type: ignore[attr-defined]
        record = registry.load_record(session, pid)
    assert record is not None
    return list(record.labs)


def test_implausible_lab_in_the_form_asks_to_confirm_then_saves(
    client_for: Clients, app: object
) -> None:
    client = client_for("clin_a")
    r = _post(client, f"/patients/{PID}/lab", CK_IMPLAUSIBLE)
    assert r.status_code == 422
    assert "150000 U/L for creatine kinase (CK) is unusual" in _error_beside(r.text, "value")
    box = _checkbox(r.text)
    assert box is not None and 'type="checkbox"' in box and "checked" not in box
    assert "confirm this value is correct" in r.text.lower()
    assert _labs(app) == []
    r = _post(client, f"/patients/{PID}/lab", {**CK_IMPLAUSIBLE, "confirm_implausible": "yes"})
    assert r.status_code == 303, r.text
    (lab,) = _labs(app)
    assert lab.value == 150000  # type: ignore[attr-defined]
    assert lab.extra["x_confirm_implausible"] == "yes"  # type: ignore[attr-defined]


def test_impossible_lab_is_refused_even_when_confirmed_naming_the_unit(
    client_for: Clients, app: object
) -> None:
    client = client_for("clin_a")
    for confirm in ({}, {"confirm_implausible": "yes"}):
        r = _post(client, f"/patients/{PID}/lab", {**HB_IMPOSSIBLE, **confirm})
        assert r.status_code == 422
        beside = _error_beside(r.text, "value")
        assert "126 g/dL" in beside and "did you mean g/L?" in beside.replace("Did", "did")
        assert _checkbox(r.text) is None  # an impossible value cannot be confirmed
    assert _labs(app) == []


def test_implausible_weight_in_the_visit_form_asks_to_confirm_then_saves(
    client_for: Clients, app: object
) -> None:
    client = client_for("clin_a")
    r = _post(client, f"/patients/{PID}/visit", HEAVY_GIRL_OF_4)
    assert r.status_code == 422
    assert "CDC 2000" in _error_beside(r.text, "weight_kg")
    assert _checkbox(r.text) is not None
    r = _post(client, f"/patients/{PID}/visit", {**HEAVY_GIRL_OF_4, "confirm_implausible": "yes"})
    assert r.status_code == 303, r.text
    with registry.transaction(app.state.engine) as session:  # type: ignore[attr-defined]
        record = registry.load_record(session, PID)
    assert record is not None
    (visit,) = record.visits
    assert visit.weight_kg == 60 and visit.extra["x_confirm_implausible"] == "yes"


def test_form_api_and_importer_name_the_same_rules(client_for: Clients, tmp_path: Path) -> None:
    """implausible_value / impossible_value on every path (the form's message beside the
    field, the API's errors, the importer's issues)."""
    client = client_for("clin_a")
    rules: dict[str, set[str]] = {}
    for name, data in (("implausible", CK_IMPLAUSIBLE), ("impossible", HB_IMPOSSIBLE)):
        body = {**data, "value": float(data["value"])}
        api = client.post(f"/api/patients/{PID}/labs", json=body)
        assert api.status_code == 422
        rules[f"api {name}"] = {e["rule"] for e in api.json()["errors"]}
        folder = tmp_path / name
        folder.mkdir()
        (folder / "patients.csv").write_text(
            "patient_id,sex,birth_date,diagnosis\nP1,F,2014-05-01,JDM\n", encoding="utf-8"
        )
        (folder / "labs.csv").write_text(
            "patient_id,date,analyte,value,unit\n"
            f"P1,{data['date']},{data['analyte']},{data['value']},{data['unit']}\n",
            encoding="utf-8",
        )
        _, issues = read_folder(folder)
        rules[f"import {name}"] = {i.rule for i in issues}
    assert rules["api implausible"] == rules["import implausible"] == {"implausible_value"}
    assert rules["api impossible"] == rules["import impossible"] == {"impossible_value"}
