"""Every entry path equally strict (issue 9 'one rule per field', issue 16's five
disagreements): each case through the cohort import, the web form and the JSON API,
with the same rule name on every path."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from myotrack import registry
from myotrack.cohort import read_folder, write_folder
from myotrack.domain import ValidationIssue
from myotrack.instruments import INSTRUMENTS, score

Clients = Callable[[str | None], TestClient]

PID = "EMPTY-A"  # F, born 2014-05-01, site A (tests/web/conftest.py)
NEXT_YEAR = (date.today() + timedelta(days=366)).isoformat()
PATIENTS_CSV = (
    "patient_id,sex,birth_date,diagnosis,onset_date,diagnosis_date\nP1,F,2014-05-01,JDM,,\n"
)


def _import(tmp_path: Path, **files: str) -> list[ValidationIssue]:
    """The issues of a folder holding patient P1 (born 2014-05-01) and `files`."""
    folder = tmp_path / "cohort"
    folder.mkdir()
    files.setdefault("patients_csv", PATIENTS_CSV)
    for name, text in files.items():
        (folder / name.replace("_csv", ".csv")).write_text(text, encoding="utf-8")
    cohort, issues = read_folder(folder)
    assert (cohort is None) == bool(issues)
    return issues


def _rules(issues: list[ValidationIssue]) -> set[str]:
    return {i.rule for i in issues}


def _api_rules(response: object) -> set[str]:
    body = response.json()  # type: ignore[attr-defined]
    return {e["rule"] for e in body.get("errors", [])}


def _form(client: TestClient, path: str, **data: str) -> object:
    return client.post(path, data={"csrf_token": client.headers["X-CSRF-Token"], **data})


# ----------------------------------------------------------- haemoglobin 126 g/dL


def test_haemoglobin_126_g_dl_refused_by_import(tmp_path: Path) -> None:
    issues = _import(
        tmp_path, labs_csv="patient_id,date,analyte,value,unit\nP1,2024-05-02,hemoglobin,126,g/dL\n"
    )
    (issue,) = issues
    assert (issue.file, issue.line, issue.field, issue.rule) == (
        "labs.csv",
        2,
        "value",
        "impossible_value",
    )
    assert "Did you mean g/L?" in issue.message


def test_haemoglobin_126_g_dl_refused_by_api_even_when_confirmed(client_for: Clients) -> None:
    client = client_for("clin_a")
    body = {"date": "2024-05-02", "analyte": "hemoglobin", "value": 126, "unit": "g/dL"}
    for confirm in (False, True):
        r = client.post(f"/api/patients/{PID}/labs", json={**body, "confirm_implausible": confirm})
        assert r.status_code == 422
        assert _api_rules(r) == {"impossible_value"}
        assert "g/L?" in r.json()["errors"][0]["message"]
    ok = client.post(f"/api/patients/{PID}/labs", json={**body, "unit": "g/L"})
    assert ok.status_code == 200, ok.text


def test_haemoglobin_126_g_dl_refused_by_form(client_for: Clients) -> None:
    client = client_for("clin_a")
    r = _form(
        client,
        f"/patients/{PID}/lab",
        date="2024-05-02",
        analyte="hemoglobin",
        value="126",
        unit="g/dL",
    )
    assert r.status_code == 422  # type: ignore[attr-defined]
    assert "Did you mean g/L?" in r.text  # type: ignore[attr-defined]


# ----------------------------------------------------------- dated next year


def test_visit_and_ck_next_year_refused_by_import(tmp_path: Path) -> None:
    issues = _import(
        tmp_path,
        visits_csv=f"patient_id,date\nP1,{NEXT_YEAR}\n",
        labs_csv=f"patient_id,date,analyte,value,unit\nP1,{NEXT_YEAR},CK,120,U/L\n",
    )
    assert {(i.file, i.field, i.rule) for i in issues} == {
        ("visits.csv", "date", "future_date"),
        ("labs.csv", "date", "future_date"),
    }


def test_import_clock_is_injectable(tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "patients.csv").write_text(PATIENTS_CSV)
    (folder / "visits.csv").write_text("patient_id,date\nP1,2024-05-02\n")
    assert read_folder(folder, today=date(2024, 5, 2))[0] is not None
    cohort, issues = read_folder(folder, today=date(2024, 5, 1))
    assert cohort is None and _rules(issues) == {"future_date"}


def test_visit_and_ck_next_year_refused_by_api(client_for: Clients) -> None:
    client = client_for("clin_a")
    visit = client.post(f"/api/patients/{PID}/visits", json={"date": NEXT_YEAR})
    assert visit.status_code == 422 and _api_rules(visit) == {"future_date"}
    lab = client.post(
        f"/api/patients/{PID}/labs",
        json={"date": NEXT_YEAR, "analyte": "CK", "value": 120, "unit": "U/L"},
    )
    assert lab.status_code == 422 and _api_rules(lab) == {"future_date"}
    assert "after today" in lab.json()["errors"][0]["message"]


def test_visit_and_ck_next_year_refused_by_form(client_for: Clients) -> None:
    client = client_for("clin_a")
    visit = _form(client, f"/patients/{PID}/visit", date=NEXT_YEAR)
    assert visit.status_code == 422 and "after today" in visit.text  # type: ignore[attr-defined]
    lab = _form(
        client, f"/patients/{PID}/lab", date=NEXT_YEAR, analyte="CK", value="120", unit="U/L"
    )
    assert lab.status_code == 422 and "after today" in lab.text  # type: ignore[attr-defined]


def test_services_take_today(client_for: Clients, app: object) -> None:
    """The web's clock is a parameter: the same visit is refused or stored by the date."""
    from myotrack.web import schemas, services
    from myotrack.web.policy import Principal, Role

    engine = app.state.engine  # type: ignore[attr-defined]
    principal = Principal(username="clin_a", role=Role.CLINICIAN, site="Demo Centre A")
    data = schemas.VisitIn.model_validate({"date": "2024-05-02"})
    with registry.transaction(engine) as session:
        with pytest.raises(services.FormErrors) as err:
            services.save_visit(session, principal, PID, data, today=date(2024, 5, 1))
        assert err.value.rules == {"date": "future_date"}
        services.save_visit(session, principal, PID, data, today=date(2024, 5, 2))


# ----------------------------------------------------------- drug names


def _round_trip(app: object, tmp_path: Path) -> None:
    """Export the registry and import the export: no problem, same cohort."""
    engine = app.state.engine  # type: ignore[attr-defined]
    with registry.transaction(engine) as session:
        stored = registry.load_cohort(session)
    write_folder(stored, tmp_path / "export")
    again, issues = read_folder(tmp_path / "export")
    assert issues == [], [str(i) for i in issues]
    assert again is not None
    assert again.courses == stored.courses and again.labs == stored.labs
    assert again.visits == stored.visits and again.patients == stored.patients


def test_course_drug_as_written_exports_and_reimports(
    client_for: Clients, app: object, tmp_path: Path
) -> None:
    client = client_for("clin_a")
    for drug, start in (
        ("mometasone_furoate", "2024-05-02"),
        ("Co-trimoxazole", "2024-05-03"),
        ("ampicillin / sulbactam", "2024-05-04"),
    ):
        body = {"drug": drug, "start_date": start, "dose": 1, "dose_unit": "mg"}
        r = client.post(f"/api/patients/{PID}/courses", json=body)
        assert r.status_code == 200, r.text
    drugs = {c["drug"] for c in client.get(f"/api/patients/{PID}").json()["courses"]}
    assert drugs == {"mometasone furoate", "cotrimoxazole", "ampicillin/sulbactam"}
    _round_trip(app, tmp_path)


def test_course_drug_by_form(client_for: Clients) -> None:
    client = client_for("clin_a")
    ok = _form(
        client, f"/patients/{PID}/course", drug="Mometasone furoate", start_date="2024-05-02"
    )
    assert ok.status_code == 303  # type: ignore[attr-defined]
    typo = _form(client, f"/patients/{PID}/course", drug="ruxolitnib", start_date="2024-05-03")
    assert typo.status_code == 422 and "did you mean ruxolitinib?" in typo.text  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("drug", "rule"),
    [
        ("mometasone furoate", None),
        ("mometasone_furoate", None),
        ("ampicillin/sulbactam", None),
        ("co-trimoxazole", None),
        ("Ruxolitinib", None),
        ("ruxolitnib", "drug_name"),
        ("=cmd()", "drug_name"),
    ],
)
def test_drug_name_characters_same_on_import_and_api(
    drug: str, rule: str | None, client_for: Clients, tmp_path: Path
) -> None:
    """Issue 16: the web allowed '_' and the folder reader refused it (and vice versa)."""
    issues = _import(
        tmp_path, treatments_csv=f'patient_id,drug,start_date\nP1,"{drug}",2024-05-02\n'
    )
    r = client_for("clin_a").post(
        f"/api/patients/{PID}/courses", json={"drug": drug, "start_date": "2024-05-02"}
    )
    if rule is None:
        assert issues == [] and r.status_code == 200, r.text
    else:
        assert _rules(issues) == {rule} and _api_rules(r) == {rule}


# ----------------------------------------------------------- issue 16's disagreements


def test_dose_of_zero_refused_on_every_path(client_for: Clients, tmp_path: Path) -> None:
    issues = _import(
        tmp_path,
        treatments_csv="patient_id,drug,dose,dose_unit,start_date\nP1,prednisolone,0,mg,2024-05-02\n",
    )
    assert _rules(issues) == {"range"}
    client = client_for("clin_a")
    body = {"drug": "prednisolone", "start_date": "2024-05-02", "dose": 0, "dose_unit": "mg"}
    r = client.post(f"/api/patients/{PID}/courses", json=body)
    assert r.status_code == 422 and _api_rules(r) == {"range"}
    assert r.json()["errors"][0]["message"] == issues[0].message
    form = _form(
        client,
        f"/patients/{PID}/course",
        drug="prednisolone",
        start_date="2024-05-02",
        dose="0",
        dose_unit="mg",
    )
    assert form.status_code == 422  # type: ignore[attr-defined]


def test_diagnosis_before_onset_refused_on_every_path(client_for: Clients, tmp_path: Path) -> None:
    issues = _import(
        tmp_path,
        patients_csv="patient_id,sex,birth_date,diagnosis,onset_date,diagnosis_date\n"
        "P1,F,2014-05-01,JDM,2020-03-01,2020-01-01\n",
    )
    assert {(i.field, i.rule) for i in issues} == {("diagnosis_date", "date_order")}
    client = client_for("clin_a")
    body = {
        "patient_id": "ORDER-1",
        "sex": "F",
        "birth_date": "2014-05-01",
        "diagnosis": "JDM",
        "onset_date": "2020-03-01",
        "diagnosis_date": "2020-01-01",
    }
    r = client.post("/api/patients", json=body)
    assert r.status_code == 422 and _api_rules(r) == {"date_order"}
    form = _form(client, "/new-patient", **{k: v for k, v in body.items()})
    assert form.status_code == 422  # type: ignore[attr-defined]
    assert client.get("/api/patients/ORDER-1").status_code == 404


def test_catbm_maximum_same_on_every_path(client_for: Clients, tmp_path: Path) -> None:
    """Issue 16: the instrument's maximum was 17 and the visit table had none."""
    too_high = _import(tmp_path, visits_csv="patient_id,date,catbm_activity\nP1,2024-05-02,18\n")
    assert _rules(too_high) == {"range"}
    client = client_for("clin_a")
    r = client.post(
        f"/api/patients/{PID}/visits", json={"date": "2024-05-02", "totals": {"catbm_activity": 18}}
    )
    assert r.status_code == 422 and _api_rules(r) == {"range"}
    ok = client.post(
        f"/api/patients/{PID}/visits", json={"date": "2024-05-02", "totals": {"catbm_activity": 17}}
    )
    assert ok.status_code == 200, ok.text


# ----------------------------------------------------------- numbers


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_nan_and_infinity_refused_in_every_number_field(client_for: Clients, bad: float) -> None:
    client = client_for("clin_a")
    cases = [
        ("visits", {"date": "2024-05-02", "weight_kg": bad}),
        ("visits", {"date": "2024-05-02", "height_cm": bad}),
        ("visits", {"date": "2024-05-02", "totals": {"cmas": bad}}),
        ("visits", {"date": "2024-05-02", "instruments": {"globals": {"phga": bad}}}),
        ("labs", {"date": "2024-05-02", "analyte": "CK", "value": bad, "unit": "U/L"}),
        (
            "labs",
            {"date": "2024-05-02", "analyte": "CK", "value": 1, "unit": "U/L", "ref_high": bad},
        ),
        (
            "labs",
            {"date": "2024-05-02", "analyte": "CK", "value": 1, "unit": "U/L", "ref_low": bad},
        ),
        ("courses", {"drug": "prednisolone", "start_date": "2024-05-02", "dose": bad}),
    ]
    for resource, body in cases:
        # json.dumps writes NaN/Infinity as Python's json (and so FastAPI) reads them back
        r = client.post(
            f"/api/patients/{PID}/{resource}",
            content=json.dumps(body),
            headers={"Content-Type": "application/json"},
        )
        assert r.status_code == 422, (resource, body, r.text)
        assert _api_rules(r) == {"number"}, r.json()


# ----------------------------------------------------------- typed total vs items


def _cmas_items() -> dict[str, float]:
    return {it.id: float(it.max) for it in INSTRUMENTS["cmas"].items}


def test_cmas_total_beside_items_that_disagree_refused_by_api(client_for: Clients) -> None:
    items = _cmas_items()
    total = score("cmas", items).total
    assert total == 52
    client = client_for("clin_a")
    r = client.post(
        f"/api/patients/{PID}/visits",
        json={"date": "2024-05-02", "instruments": {"cmas": items}, "totals": {"cmas": 40}},
    )
    assert r.status_code == 422
    (error,) = r.json()["errors"]
    assert (error["field"], error["rule"]) == ("totals.cmas", "total_mismatch")
    assert "40" in error["message"] and "52" in error["message"]
    same = client.post(
        f"/api/patients/{PID}/visits",
        json={"date": "2024-05-02", "instruments": {"cmas": items}, "totals": {"cmas": 52}},
    )
    assert same.status_code == 200, same.text


def test_cmas_total_beside_items_that_disagree_refused_by_form(client_for: Clients) -> None:
    client = client_for("clin_a")
    data = {f"item__cmas__{k}": f"{v:g}" for k, v in _cmas_items().items()}
    r = _form(client, f"/patients/{PID}/visit", date="2024-05-02", total__cmas="40", **data)
    assert r.status_code == 422  # type: ignore[attr-defined]
    assert "add up to 52" in r.text  # type: ignore[attr-defined]


# ----------------------------------------------------------- implausible values


def test_implausible_lab_needs_confirming_and_reimports(
    client_for: Clients, app: object, tmp_path: Path
) -> None:
    client = client_for("clin_a")
    body = {"date": "2024-05-02", "analyte": "CK", "value": 150000, "unit": "U/L"}
    r = client.post(f"/api/patients/{PID}/labs", json=body)
    assert r.status_code == 422 and _api_rules(r) == {"implausible_value"}
    assert "confirm" in r.json()["errors"][0]["message"]
    ok = client.post(f"/api/patients/{PID}/labs", json={**body, "confirm_implausible": True})
    assert ok.status_code == 200, ok.text
    _round_trip(app, tmp_path)  # the export carries x_confirm_implausible = yes


def test_implausible_weight_for_age_needs_confirming(
    client_for: Clients, app: object, tmp_path: Path
) -> None:
    client = client_for("clin_a")
    body = {"date": "2018-05-02", "weight_kg": 60}  # a girl of 4 years
    r = client.post(f"/api/patients/{PID}/visits", json=body)
    assert r.status_code == 422 and _api_rules(r) == {"implausible_value"}
    assert "CDC 2000" in r.json()["errors"][0]["message"]
    ok = client.post(f"/api/patients/{PID}/visits", json={**body, "confirm_implausible": True})
    assert ok.status_code == 200, ok.text
    _round_trip(app, tmp_path)  # the export carries x_confirm_implausible = yes


def test_implausible_value_on_import(tmp_path: Path) -> None:
    labs = "patient_id,date,analyte,value,unit\nP1,2024-05-02,CK,150000,U/L\n"
    issues = _import(tmp_path, labs_csv=labs)
    assert _rules(issues) == {"implausible_value"}
    folder = tmp_path / "cohort"
    warnings: list[ValidationIssue] = []
    cohort, issues = read_folder(folder, accept_implausible=True, warnings=warnings)
    assert cohort is not None and issues == []
    assert _rules(warnings) == {"implausible_value"}
    (folder / "labs.csv").write_text(
        "patient_id,date,analyte,value,unit,x_confirm_implausible\n"
        "P1,2024-05-02,CK,150000,U/L,yes\n"
    )
    cohort, issues = read_folder(folder)
    assert cohort is not None and issues == []
