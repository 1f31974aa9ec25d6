"""Any file a user hands over is answered with problems, never a crash: a valid export
with one element replaced by a value of another JSON type (or removed) either imports
or lists located problems."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from myotrack.domain import Cohort
from myotrack.exchange.fhir import read_fhir

from .conftest import export_texts, few

TODAY = date(2026, 12, 1)
_REMOVE = object()
ODD_VALUES = st.sampled_from([None, 0, -1, 1.5, True, "", "x", "2020-13-45", [], {}, [{}], _REMOVE])


def _paths(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path] if path else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _paths(value, (*path, index))
    return out


def _replace(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    copy = json.loads(json.dumps(document))
    parent = copy
    for key in path[:-1]:
        parent = parent[key]
    if value is _REMOVE:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return copy


@pytest.fixture(scope="module")
def one_patient(demo_cohort: Cohort) -> tuple[dict[str, Any], list[tuple[Any, ...]]]:
    bundle = json.loads(export_texts(few(demo_cohort, 1), "bundle")["cohort.fhir.json"])
    bundle["entry"] = bundle["entry"][:60]  # patient level, visits, the first labs
    return bundle, _paths(bundle)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_changed_element_gives_problems_not_a_crash(
    one_patient: tuple[dict[str, Any], list[tuple[Any, ...]]], data: st.DataObject
) -> None:
    bundle, paths = one_patient
    path = data.draw(st.sampled_from(paths))
    changed = _replace(bundle, path, data.draw(ODD_VALUES))
    cohort, issues = read_fhir({"cohort.fhir.json": json.dumps(changed)}, today=TODAY)
    assert (cohort is None) == bool(issues)
    for issue in issues:
        assert issue.file == "cohort.fhir.json" and issue.rule and issue.message
