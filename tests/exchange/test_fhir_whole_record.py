"""The records of cohort format version 2 in FHIR (docs/exchange.md, "The whole JDM
record"): each record kind becomes the resources the mapping names, dates known to the
month or year are written as FHIR partial dates and come back with their precision, and
a record that no longer matches what was exported is told, located."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from datetime import date
from typing import Any

from myotrack.domain import Cohort, PartialDate
from myotrack.exchange.fhir import read_fhir

from .conftest import export_texts

TODAY = date(2026, 12, 1)

# record kind -> the resource types its record is written as (one record each)
RESOURCES = {
    "chest_ct": ("Procedure", "Observation", "DiagnosticReport"),
    "lung_function": ("Procedure", "Observation", "DiagnosticReport"),
    "muscle_biopsy": ("Procedure", "Observation", "DiagnosticReport"),
    "organ_involvement": ("Condition",),
    "family_history": ("FamilyMemberHistory",),
    "vaccination": ("Immunization",),
    "pregnancy_test": ("Observation",),
    "antibody_test": ("Observation",),
    "treatment_decision": ("Observation",),
}


def _bundle(cohort: Cohort) -> list[dict[str, Any]]:
    text = export_texts(cohort, "bundle")["cohort.fhir.json"]
    return [e["resource"] for e in json.loads(text)["entry"]]


def _kind_of(resource: dict[str, Any]) -> str | None:
    for element in ("code", "vaccineCode"):
        for coding in resource.get(element, {}).get("coding", ()):
            if coding["system"].endswith("/record-kinds"):
                return str(coding["code"])
    if resource["resourceType"] == "Condition" and any(
        c["system"].endswith("/organ") for c in resource["code"]["coding"]
    ):
        return "organ_involvement"
    if (
        resource["resourceType"] == "Observation"
        and resource.get("effectiveDateTime")
        and any(c["system"].endswith("/antibodies") for c in resource["code"]["coding"])
    ):
        return "antibody_test"
    return {"FamilyMemberHistory": "family_history", "Immunization": "vaccination"}.get(
        resource["resourceType"]
    )


def test_each_record_kind_is_its_resources(catalogue_cohort: Cohort) -> None:
    records = Counter(r.kind for r in catalogue_cohort.v2_rows)
    written: Counter[tuple[str, str]] = Counter()
    for resource in _bundle(catalogue_cohort):
        kind = _kind_of(resource)
        if kind is not None:
            written[(kind, resource["resourceType"])] += 1
    for kind, types in RESOURCES.items():
        assert records[kind] > 0, kind
        for rtype in types:
            assert written[(kind, rtype)] == records[kind], (kind, rtype)


def _seed_child(demo: Cohort) -> Cohort:
    """The demo's second-seed child alone (the patient with the whole record)."""
    pid = demo.v2_rows[0].patient_id

    def mine(rows: Any) -> Any:
        return tuple(r for r in rows if r.patient_id == pid)

    return replace(
        demo,
        patients=mine(demo.patients),
        visits=mine(demo.visits),
        labs=mine(demo.labs),
        courses=mine(demo.courses),
        events=mine(demo.events),
        assessments=mine(demo.assessments),
        v2_rows=mine(demo.v2_rows),
    )


def test_partial_dates_are_fhir_partial_dates_and_keep_their_precision(
    demo_cohort: Cohort,
) -> None:
    child = _seed_child(demo_cohort)
    resources = _bundle(child)
    # the seed child's ILD: onset known to the month (September 2021)
    ild = [
        r
        for r in resources
        if r["resourceType"] == "Condition"
        and any(c["code"] == "ILD" and c["system"].endswith("/organ") for c in r["code"]["coding"])
    ]
    assert ild and all(len(r["onsetDateTime"]) == len("2021-09") for r in ild)
    chest = [r for r in resources if r["resourceType"] == "Procedure"]
    assert {r["performedDateTime"] for r in chest} >= {"2021-09", "2021-11"}
    back, issues = read_fhir(export_texts(child, "ndjson"), today=TODAY, accept_implausible=True)
    assert issues == [] and back is not None
    months = [
        value
        for r in back.v2_rows
        for value in r.values.values()
        if isinstance(value, PartialDate) and value.precision == "month"
    ]
    expected = [
        value
        for r in child.v2_rows
        for value in r.values.values()
        if isinstance(value, PartialDate) and value.precision == "month"
    ]
    assert months and sorted(map(str, months)) == sorted(map(str, expected))


def test_an_unknown_record_field_is_located(demo_cohort: Cohort) -> None:
    texts = export_texts(_seed_child(demo_cohort), "bundle")
    bundle = json.loads(texts["cohort.fhir.json"])
    changed = 0
    for n, entry in enumerate(bundle["entry"], start=1):
        resource = entry["resource"]
        for component in resource.get("component", ()):
            for coding in component["code"]["coding"]:
                if coding["code"] == "chest_ct.change":
                    coding["code"] = "chest_ct.colour"
                    changed = n
    assert changed
    back, issues = read_fhir(
        {"cohort.fhir.json": json.dumps(bundle)}, today=TODAY, accept_implausible=True
    )
    assert back is None
    assert any(i.line == changed and i.rule == "fhir_code" for i in issues), [
        str(i) for i in issues
    ]
