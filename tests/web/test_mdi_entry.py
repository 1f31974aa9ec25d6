"""The Myositis Damage Index (MDI, the yearly damage form C of the JDM dataset) entered item by
item in the visit form and the JSON API: stored as an item-level assessment (it fills no
visit column), scored by the instrument engine, shown on the patient page with its two
scores, edited, cleared and retracted like any assessment.

The worked example, checked by hand against the rules of
`myotrack.instruments.definitions.mdi` (an item is present 1 / absent 0 / "NA"; the extent
`damage_count` counts the present items among the 44 counted ones, "NA" left out, the
recorded details 11a-11d and 12a-12d not counted; the severity `damage_vas_sum` adds the
11 organ-system VAS, "NA" left out):

* present: 1 muscle atrophy (clinical), 6 joint contractures, 11 limitation of passive
  joint motion (with its detail 11c knee extension), 12 calcinosis (with its detail 12a
  superficial) -> extent 1 + 1 + 1 + 1 = 4 (the two details add nothing);
* 3 muscle dysfunction "NA" (left out), every other counted item absent;
* VAS muscle 3.5, skeletal 2, cutaneous 4, ocular "NA", the other 7 systems 0
  -> severity 3.5 + 2 + 4 = 9.5.

The edit adds 13 alopecia present and raises the cutaneous VAS to 5: extent 5, severity 10.5.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from fastapi.testclient import TestClient

from myotrack import registry
from myotrack.domain import PatientRecord
from myotrack.instruments import INSTRUMENTS, score_stored
from myotrack.instruments.definitions.mdi import COUNTED_IDS, MDI_SYSTEMS
from myotrack.web.forms import visit_instruments

Clients = Callable[[str | None], TestClient]
PID = "EMPTY-A"  # a site-A patient without records (conftest)
ON = "2024-05-02"

PRESENT = ("muscle_atrophy_clinical", "joint_contractures", "limitation_of_motion", "calcinosis")
DETAILS = ("rom_knee_extension", "calcinosis_superficial")  # recorded, not counted
VAS: dict[str, float | str] = {
    "muscle_vas": 3.5,
    "skeletal_vas": 2.0,
    "cutaneous_vas": 4.0,
    "ocular_vas": "NA",
}


def _example() -> dict[str, float | str]:
    items: dict[str, float | str] = dict.fromkeys(COUNTED_IDS, 0.0)
    items.update(dict.fromkeys(PRESENT, 1.0))
    items.update(dict.fromkeys(DETAILS, 1.0))
    items["muscle_dysfunction"] = "NA"
    items.update({f"{s.id}_vas": 0.0 for s in MDI_SYSTEMS})
    items.update(VAS)
    return items


def _as_form(items: Mapping[str, float | str]) -> dict[str, str]:
    return {f"item__mdi__{k}": (f"{v:g}" if isinstance(v, float) else v) for k, v in items.items()}


def _form(client: TestClient, url: str, data: Mapping[str, Any]) -> httpx.Response:
    token = client.headers["X-CSRF-Token"]
    response: httpx.Response = client.post(url, data={**data, "csrf_token": token})
    return response


def _stored(db_url: str) -> PatientRecord:
    engine = registry.connect(db_url)
    try:
        with registry.transaction(engine) as session:
            record = registry.load_record(session, PID)
    finally:
        engine.dispose()
    assert record is not None
    return record


def _scores(record: PatientRecord) -> dict[str, float | None]:
    (mdi,) = [a for a in record.assessments if a.instrument == "mdi"]
    return score_stored("mdi", mdi.version, mdi.items).subscores


def test_the_visit_form_offers_the_mdi_and_nothing_else_changes() -> None:
    names = [d.name for d in visit_instruments()]
    # the instruments with visit columns, in the clinic's order, then the MDI (no column)
    assert names == ["cmas", "mmt8", "catbm", "cdasi", "das", "chaq", "globals", "mdi"]
    assert all(d.visit_columns() for d in visit_instruments() if d.name != "mdi")
    assert "myoact" not in names and "mmt8_bilateral" not in names  # still not offered
    for d in visit_instruments()[:-1]:
        assert d is INSTRUMENTS[d.name]  # the others: the definitions themselves, unchanged


def test_the_form_shows_each_system_with_its_vas_under_its_name() -> None:
    form = visit_instruments()[-1]
    assert {it.id for it in form.items} == {it.id for it in INSTRUMENTS["mdi"].items}
    headings = [it.section for it in form.items]
    # one block per organ system, in the form's order, its severity VAS last in the block
    blocks = list(dict.fromkeys(headings))
    assert blocks == [s.label for s in MDI_SYSTEMS]
    assert "Peripheral vascular" in blocks
    for system in MDI_SYSTEMS:
        block = [it.id for it in form.items if it.section == system.label]
        assert block[-1] == f"{system.id}_vas"
        assert headings.index(system.label) + len(block) - 1 == max(
            n for n, h in enumerate(headings) if h == system.label
        )  # contiguous


def test_the_worked_example_by_the_engine() -> None:
    from myotrack.instruments import score

    items = _example()
    assert len(COUNTED_IDS) == 44 and len(MDI_SYSTEMS) == 11
    result = score("mdi", items)
    assert result.subscores == {"damage_count": 4.0, "damage_vas_sum": 9.5}
    assert result.total is None  # two scores, no single total


def test_mdi_entered_in_the_visit_form_is_stored_shown_reloaded_edited_and_cleared(
    client_for: Clients, db_url: str
) -> None:
    client = client_for("clin_a")
    page = client.get(f"/patients/{PID}/visit").text
    assert 'data-instrument="mdi"' in page
    assert 'name="item__mdi__muscle_atrophy_clinical"' in page
    assert 'name="item__mdi__ocular_vas"' in page

    r = _form(client, f"/patients/{PID}/visit", {"date": ON, **_as_form(_example())})
    assert r.status_code == 303, r.text
    record = _stored(db_url)
    (visit,) = record.visits  # a visit with the MDI only: no visit column filled
    assert visit.date == date(2024, 5, 2)
    (mdi,) = record.assessments
    assert mdi.instrument == "mdi" and mdi.total is None
    kept: Mapping[str, object] = mdi.items  # codes are stored as given
    assert kept["muscle_dysfunction"] == "NA" and kept["ocular_vas"] == "NA"
    assert mdi.items["rom_knee_extension"] == 1
    assert _scores(record) == {"damage_count": 4.0, "damage_vas_sum": 9.5}

    shown = client.get(f"/patients/{PID}").text
    assert "Myositis Damage Index (MDI)" in shown
    assert "(extent of damage) <strong>4</strong> / 44" in shown
    assert "(severity of damage, 0-110) <strong>9.5</strong> / 110" in shown

    form = client.get(f"/patients/{PID}/visit", params={"on": ON}).text  # reloaded
    assert 'value="NA" selected' in form  # muscle dysfunction and ocular VAS as stored
    assert 'name="item__mdi__muscle_vas" data-item="muscle_vas"' in form
    assert 'value="3.5"' in form

    edited = _example() | {"alopecia": 1.0, "cutaneous_vas": 5.0}
    r = _form(
        client,
        f"/patients/{PID}/visit",
        {
            "date": ON,
            "original_date": ON,
            "expected_version": "1",
            "reason": "alopecia found at the yearly review",
            **_as_form(edited),
        },
    )
    assert r.status_code == 303, r.text
    record = _stored(db_url)
    assert _scores(record) == {"damage_count": 5.0, "damage_vas_sum": 10.5}
    versions = registry_versions(db_url)
    assert versions[(PID, date(2024, 5, 2), "mdi")] == 2

    cleared = {k: "" for k in _as_form(edited)}
    r = _form(
        client,
        f"/patients/{PID}/visit",
        {"date": ON, "original_date": ON, "expected_version": _visit_version(client), **cleared},
    )
    assert r.status_code == 303, r.text
    record = _stored(db_url)
    assert record.assessments == () and len(record.visits) == 1  # the visit stays


def _visit_version(client: TestClient) -> str:
    """The visit's version as the edit form holds it."""
    form = client.get(f"/patients/{PID}/visit", params={"on": ON}).text
    match = re.search(r'name="expected_version" value="(\d+)"', form)
    assert match is not None
    return match.group(1)


def registry_versions(db_url: str) -> dict[tuple[Any, ...], int]:
    engine = registry.connect(db_url)
    try:
        with registry.transaction(engine) as session:
            return dict(registry.row_versions(session, PID)["assessment"])
    finally:
        engine.dispose()


def test_a_bad_mdi_item_is_refused_beside_its_field(client_for: Clients, db_url: str) -> None:
    client = client_for("clin_a")
    items = _as_form(_example()) | {"item__mdi__muscle_vas": "12"}
    r = _form(client, f"/patients/{PID}/visit", {"date": ON, **items})
    assert r.status_code == 422
    assert 'data-error-for="mdi.muscle_vas" role="alert">' in r.text
    assert "allowed" in r.text.split('data-error-for="mdi.muscle_vas" role="alert">')[1][:200]
    assert _stored(db_url).assessments == ()


def test_mdi_scores_are_retracted_alone_from_the_patient_page(
    client_for: Clients, db_url: str
) -> None:
    client = client_for("clin_a")
    r = _form(client, f"/patients/{PID}/visit", {"date": ON, **_as_form(_example())})
    assert r.status_code == 303, r.text
    r = _form(
        client,
        f"/patients/{PID}/retract",
        {"kind": "assessment", "key": [PID, ON, "mdi"], "expected_version": "1", "reason": "t"},
    )
    assert r.status_code == 303, r.text
    record = _stored(db_url)
    assert record.assessments == () and len(record.visits) == 1


def test_mdi_through_the_json_api(client_for: Clients, db_url: str) -> None:
    client = client_for("clin_a")
    listed = {i["name"]: i for i in client.get("/api/instruments").json()}
    assert "mdi" in listed and listed["mdi"]["visit_column"] is None
    assert len(listed["mdi"]["items"]) == 44 + 8 + 11  # counted, details, system VAS

    live = client.post("/api/instruments/mdi/score", json={"items": _example()}).json()
    assert live["errors"] == [] and live["total"] is None
    assert live["result"]["subscores"] == {"damage_count": 4.0, "damage_vas_sum": 9.5}

    r = client.post(
        f"/api/patients/{PID}/visits", json={"date": ON, "instruments": {"mdi": _example()}}
    )
    assert r.status_code == 200, r.text
    detail = client.get(f"/api/patients/{PID}").json()
    (stored,) = detail["assessments"]
    assert stored["instrument"] == "mdi" and stored["total"] is None
    assert stored["items"]["calcinosis"] == 1
    assert _scores(_stored(db_url)) == {"damage_count": 4.0, "damage_vas_sum": 9.5}

    version = detail["visits"][0]["version"]
    edited = _example() | {"alopecia": 1.0, "cutaneous_vas": 5.0}
    r = client.put(
        f"/api/patients/{PID}/visits",
        json={
            "original_date": ON,
            "date": ON,
            "instruments": {"mdi": edited},
            "expected_version": version,
            "reason": "alopecia",
        },
    )
    assert r.status_code == 200, r.text
    assert _scores(_stored(db_url)) == {"damage_count": 5.0, "damage_vas_sum": 10.5}


def test_a_folder_export_says_the_mdi_stays_in_the_registry(
    client_for: Clients, db_url: str, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from myotrack.cli import app
    from myotrack.cohort import read_folder

    client = client_for("clin_a")
    r = _form(client, f"/patients/{PID}/visit", {"date": ON, **_as_form(_example())})
    assert r.status_code == 303, r.text
    engine = registry.connect(db_url)
    try:
        with registry.transaction(engine) as session:
            held = len(registry.load_cohort(session).assessments)
    finally:
        engine.dispose()
    assert held >= 1
    result = CliRunner().invoke(app, ["export", str(tmp_path / "out"), "--database", db_url])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())
    assert f"Kept in the registry only: {held} item-level assessments" in said
    exported, issues = read_folder(tmp_path / "out")
    assert exported is not None and issues == []
    assert [v.date for v in exported.visits if v.patient_id == PID] == [date(2024, 5, 2)]
    assert exported.assessments == ()  # the folder has no file for them
