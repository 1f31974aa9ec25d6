"""Bad values in the version 2 resources of a FHIR import are told in the user's words,
located (file, line of the resource, field) and naming what was given, and nothing is read:
a code the code system does not have (a relative, a family condition, a severity, a body
site), a record field no column has, and a note that is not a list of annotations (its
free text was dropped without a word)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from myotrack.domain import Cohort
from myotrack.exchange.fhir import read_fhir

from .conftest import export_texts

TODAY = date(2026, 12, 1)
CHILD = "MDA5-case"


@pytest.fixture(scope="module")
def bundle(demo_cohort: Cohort) -> dict[str, Any]:
    def mine(rows: Any) -> Any:
        return tuple(r for r in rows if r.patient_id == CHILD)

    child = replace(
        demo_cohort,
        patients=mine(demo_cohort.patients),
        visits=mine(demo_cohort.visits),
        labs=mine(demo_cohort.labs),
        courses=mine(demo_cohort.courses),
        events=mine(demo_cohort.events),
        assessments=mine(demo_cohort.assessments),
        v2_rows=mine(demo_cohort.v2_rows),
    )
    loaded: dict[str, Any] = json.loads(export_texts(child, "bundle")["cohort.fhir.json"])
    return loaded


def _changed(
    bundle: dict[str, Any], pick: Callable[[dict[str, Any]], bool], change: Callable[..., None]
) -> tuple[str, str]:
    """The bundle with `change` made to the first resource `pick` chooses, and its id."""
    copy = json.loads(json.dumps(bundle))
    for resource in (e["resource"] for e in copy["entry"]):
        if pick(resource):
            change(resource)
            return json.dumps(copy, indent=1), resource["id"]
    raise AssertionError("no such resource in the demo child's bundle")


def _located(issue: str, resource_id: str) -> bool:
    """`issue` names the file and line, and the resource by its type and id."""
    return re.match(r"cohort\.fhir\.json:\d+: ", issue) is not None and f"/{resource_id}" in issue


def _issues(text: str) -> list[str]:
    back, issues = read_fhir({"cohort.fhir.json": text}, today=TODAY, accept_implausible=True)
    assert back is None and issues, "the bad value was read"
    return [str(i) for i in issues]


def _family(resource: dict[str, Any]) -> bool:
    return bool(resource["resourceType"] == "FamilyMemberHistory")


def _oxygen(resource: dict[str, Any]) -> bool:
    kind = "oxygen_need" in json.dumps(resource.get("code", {}))
    return kind and resource["resourceType"] == "Observation" and "component" in resource


def _calcinosis(resource: dict[str, Any]) -> bool:
    return resource["resourceType"] == "Condition" and "bodySite" in resource


def _code(element: dict[str, Any], code: str) -> None:
    element["coding"][0]["code"] = code


@pytest.mark.parametrize(
    ("pick", "change", "field", "given"),
    [
        (_family, lambda r: _code(r["relationship"], "uncle_in_law"), "relative", "uncle_in_law"),
        (_family, lambda r: _code(r["condition"][0]["code"], "gout"), "condition", "gout"),
        (_calcinosis, lambda r: _code(r["bodySite"][0], "knees_and_toes"), "sites", "knees"),
    ],
)
def test_a_code_the_system_does_not_have_is_named(
    bundle: dict[str, Any],
    pick: Callable[[dict[str, Any]], bool],
    change: Callable[..., None],
    field: str,
    given: str,
) -> None:
    text, rid = _changed(bundle, pick, change)
    issues = _issues(text)
    assert any(_located(i, rid) and f"({field})" in i and given in i for i in issues), issues


def test_a_record_field_no_column_has_is_named(bundle: dict[str, Any]) -> None:
    def change(resource: dict[str, Any]) -> None:
        resource["component"][0]["code"]["coding"][0]["code"] = "oxygen_need.colour"

    text, rid = _issues_at(bundle, change)
    assert any(_located(i, rid) and "oxygen_need.colour" in i for i in text), text


def _issues_at(
    bundle: dict[str, Any], change: Callable[[dict[str, Any]], None]
) -> tuple[list[str], str]:
    text, rid = _changed(bundle, _oxygen, change)
    return _issues(text), rid


@pytest.mark.parametrize("note", ["acute respiratory insufficiency", {"text": "acute"}, [7]])
def test_a_note_that_is_not_annotations_is_refused_not_dropped(
    bundle: dict[str, Any], note: object
) -> None:
    def change(resource: dict[str, Any]) -> None:
        resource["note"] = note

    issues, rid = _issues_at(bundle, change)
    assert any(_located(i, rid) and ".note" in i and "[fhir_structure]" in i for i in issues), (
        issues
    )
