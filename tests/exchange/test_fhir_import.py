"""Importing FHIR: the same rules as the cohort folder, every problem located (file, entry
or line, resource id, element path, rule), all or nothing; and the same resources written
by another system (standard codes only, no myotrack codings) read as myotrack would."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from myotrack.domain import Cohort, DrugCourse, Event, LabResult, Patient, ReportedValue, Visit
from myotrack.exchange.fhir import read_fhir
from myotrack.exchange.fhir.codes import LOINC, PATIENT_ID_SYSTEM, RXNORM, SNOMED, UCUM

from .conftest import export_texts

TODAY = date(2026, 12, 1)
FILE = "cohort.fhir.json"


def _bundle(cohort: Cohort) -> dict[str, Any]:
    return json.loads(export_texts(cohort, "bundle")[FILE])  # type: ignore[no-any-return]


def _read(bundle: dict[str, Any]) -> tuple[Cohort | None, list[Any]]:
    return read_fhir({FILE: json.dumps(bundle)}, today=TODAY)


def _entry(
    bundle: dict[str, Any], test: Callable[[dict[str, Any]], bool]
) -> tuple[int, dict[str, Any]]:
    for number, entry in enumerate(bundle["entry"], start=1):
        if test(entry["resource"]):
            return number, entry["resource"]
    raise AssertionError("no such resource")


def _coded(resource: dict[str, Any], code: str) -> bool:
    return any(c.get("code") == code for c in resource.get("code", {}).get("coding", ()))


@pytest.fixture
def bundle(small_demo: Cohort) -> dict[str, Any]:
    return _bundle(small_demo)


def test_a_value_out_of_range_is_located(bundle: dict[str, Any]) -> None:
    number, lab = _entry(bundle, lambda r: _coded(r, "CK"))
    lab["valueQuantity"]["value"] = -5
    cohort, issues = _read(bundle)
    assert cohort is None  # all or nothing
    (issue,) = issues
    assert (issue.file, issue.line, issue.rule) == (FILE, number, "range")
    assert issue.field == f"Observation/{lab['id']}.valueQuantity.value (value)"
    assert "-5" in issue.message


def test_a_wrong_unit_is_refused_by_the_lab_rules(bundle: dict[str, Any]) -> None:
    number, lab = _entry(bundle, lambda r: _coded(r, "CK"))
    lab["valueQuantity"] = {"value": 300, "unit": "mg/dL"}
    cohort, issues = _read(bundle)
    assert cohort is None
    assert [(i.line, i.field, i.rule) for i in issues] == [
        (number, f"Observation/{lab['id']}.valueQuantity.unit (unit)", "unit")
    ]


def test_a_future_visit_is_refused_where_its_date_is(bundle: dict[str, Any]) -> None:
    number, encounter = _entry(bundle, lambda r: r["resourceType"] == "Encounter")
    encounter["period"] = {"start": "2030-01-01", "end": "2030-01-01"}
    cohort, issues = _read(bundle)
    assert cohort is None
    located = [(i.line, i.field, i.rule) for i in issues]
    assert (number, f"Encounter/{encounter['id']}.period.start (date)", "future_date") in located


def test_unknown_codes_references_and_ids_are_named(bundle: dict[str, Any]) -> None:
    obs_number, obs = _entry(bundle, lambda r: _coded(r, "LDH"))
    obs["code"] = {"coding": [{"system": LOINC, "code": "5234-0"}]}
    course_number, course = _entry(bundle, lambda r: r["resourceType"] == "MedicationStatement")
    course["subject"] = {"reference": "urn:uuid:00000000-0000-3000-8000-000000000000"}
    patient_number, patient = _entry(bundle, lambda r: r["resourceType"] == "Patient")
    del patient["identifier"]
    cohort, issues = _read(bundle)
    assert cohort is None
    located = {(i.line, i.field, i.rule) for i in issues}
    assert (obs_number, f"Observation/{obs['id']}.code", "fhir_code") in located
    assert (
        course_number,
        f"MedicationStatement/{course['id']}.subject.reference",
        "fhir_reference",
    ) in located
    assert (patient_number, f"Patient/{patient['id']}.identifier", "required") in located


def test_two_diagnoses_and_a_bad_item_are_refused(bundle: dict[str, Any]) -> None:
    _, diagnosis = _entry(
        bundle,
        lambda r: (
            r["resourceType"] == "Condition"
            and any("CodeSystem/diagnosis" in c["system"] for c in r["code"]["coding"])
        ),
    )
    bundle["entry"].append({"fullUrl": "urn:uuid:x", "resource": {**diagnosis, "id": "second"}})
    _, response = _entry(bundle, lambda r: r["resourceType"] == "QuestionnaireResponse")
    response["item"][0]["answer"] = [{"valueInteger": 999}]
    cohort, issues = _read(bundle)
    assert cohort is None
    rules = {(i.field, i.rule) for i in issues}
    assert ("Condition/second.code", "unique") in rules
    assert (f"QuestionnaireResponse/{response['id']}.item[0]", "item") in rules


def test_ndjson_problems_name_the_file_and_line(small_demo: Cohort) -> None:
    texts = export_texts(small_demo, "ndjson")
    lines = texts["MedicationStatement.ndjson"].splitlines()
    course = json.loads(lines[4])
    course["effectivePeriod"]["start"] = "2019-02-30"
    lines[4] = json.dumps(course)
    texts["MedicationStatement.ndjson"] = "\n".join(lines) + "\n"
    texts["Broken.ndjson"] = "{not json\n"
    cohort, issues = read_fhir(texts, today=TODAY)
    assert cohort is None
    located = {(i.file, i.line, i.field, i.rule) for i in issues}
    assert (
        "MedicationStatement.ndjson",
        5,
        f"MedicationStatement/{course['id']}.effectivePeriod.start (start_date)",
        "date",
    ) in located
    assert ("Broken.ndjson", 1, None, "fhir_json") in located


def test_implausible_values_need_accepting(bundle: dict[str, Any]) -> None:
    _, weight = _entry(bundle, lambda r: _coded(r, "29463-7"))
    weight["valueQuantity"]["value"] = 60  # 60 kg at 3 years: possible, not plausible
    cohort, issues = _read(bundle)
    assert cohort is None and [i.rule for i in issues] == ["implausible_value"]
    warnings: list[Any] = []
    cohort, issues = read_fhir(
        {FILE: json.dumps(bundle)}, today=TODAY, accept_implausible=True, warnings=warnings
    )
    assert cohort is not None and issues == []
    assert [w.field for w in warnings] == [
        f"Observation/{weight['id']}.valueQuantity.value (weight_kg)"
    ]


# ---------------------------------------------------------------- another system


def _other_system_bundle() -> dict[str, Any]:
    subject = {"reference": "Patient/p1"}
    resources: list[dict[str, Any]] = [
        {
            "resourceType": "Patient",
            "id": "p1",
            "identifier": [
                {"system": "urn:oid:1.2.3.4", "value": "MRN 0042"},  # never taken as the id
                {"system": PATIENT_ID_SYSTEM, "value": "EHR-7"},
            ],
            "gender": "female",
            "birthDate": "2012-04-03",
            "deceasedDateTime": "2022-01-05T08:00:00Z",
        },
        {
            "resourceType": "Condition",
            "id": "c1",
            "subject": subject,
            "code": {"coding": [{"system": SNOMED, "code": "1212005"}]},
            "onsetDateTime": "2019-03-01",
        },
        {
            "resourceType": "Condition",
            "id": "c2",
            "subject": subject,
            "code": {"coding": [{"system": SNOMED, "code": "233703007"}]},
        },
        {
            "resourceType": "Observation",
            "id": "o1",
            "status": "final",
            "subject": subject,
            "code": {"coding": [{"system": LOINC, "code": "2157-6"}]},
            "effectiveDateTime": "2020-05-01T10:30:00+02:00",
            "valueQuantity": {"value": 5, "system": UCUM, "code": "ukat/L"},
        },
        {
            "resourceType": "Observation",
            "id": "o2",
            "status": "final",
            "subject": subject,
            "code": {"coding": [{"system": LOINC, "code": "29463-7"}]},
            "effectiveDateTime": "2020-05-01",
            "valueQuantity": {"value": 31.5, "unit": "kg", "system": UCUM, "code": "kg"},
        },
        {
            "resourceType": "MedicationStatement",
            "id": "m1",
            "status": "active",
            "subject": subject,
            "medicationCodeableConcept": {"coding": [{"system": RXNORM, "code": "6851"}]},
            "effectivePeriod": {"start": "2020-05-02"},
            "dosage": [
                {
                    "timing": {"repeat": {"frequency": 1, "period": 1, "periodUnit": "wk"}},
                    "route": {"coding": [{"system": SNOMED, "code": "34206005"}]},
                    "doseAndRate": [
                        {"doseQuantity": {"value": 15, "system": UCUM, "code": "mg/m2"}}
                    ],
                }
            ],
        },
        {
            "resourceType": "AdverseEvent",
            "id": "a1",
            "actuality": "actual",
            "subject": subject,
            "date": "2020-06-01",
            "event": {"text": "VZV"},
        },
    ]
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"fullUrl": f"http://ehr.example/fhir/{r['resourceType']}/{r['id']}", "resource": r}
            for r in resources
        ],
    }


def test_resources_from_another_system_are_read() -> None:
    cohort, issues = _read(_other_system_bundle())
    assert issues == [] and cohort is not None
    assert cohort.patients == (
        Patient(
            patient_id="EHR-7",
            sex="F",
            birth_date=date(2012, 4, 3),
            diagnosis="JDM",
            onset_date=date(2019, 3, 1),
            features=("ILD",),
        ),
    )
    assert cohort.visits == (Visit("EHR-7", date(2020, 5, 1), weight_kg=31.5),)
    assert cohort.labs == (  # µkat/L held in U/L, the reported value kept (1 µkat/L = 60 U/L)
        LabResult(
            "EHR-7",
            date(2020, 5, 1),
            "CK",
            value=300.0,
            unit="U/L",
            reported=ReportedValue(5, "ukat/L"),
        ),
    )
    assert cohort.courses == (
        DrugCourse(
            "EHR-7",
            "methotrexate",
            date(2020, 5, 2),
            dose=15,
            dose_unit="mg/m2",
            frequency="weekly",
            route="sc",
        ),
    )
    assert sorted(cohort.events, key=lambda e: e.date) == [
        Event("EHR-7", date(2020, 6, 1), "adverse_event", detail="VZV"),
        Event("EHR-7", date(2022, 1, 5), "death"),
    ]


def test_a_patient_without_the_study_id_is_refused() -> None:
    bundle = _other_system_bundle()
    patient = bundle["entry"][0]["resource"]
    patient["identifier"] = patient["identifier"][:1]  # the hospital number only
    cohort, issues = _read(bundle)
    assert cohort is None
    assert [(i.field, i.rule) for i in issues] == [("Patient/p1.identifier", "required")]
