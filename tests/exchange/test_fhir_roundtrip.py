"""Round trip: what the FHIR export writes imports back as the same cohort, in every
layout — for the demo cohort (with item-level assessments), for a cohort using every
vocabulary value, for generated valid cohorts (the strategies of
tests/cohort/test_roundtrip_property.py), and through the registry (a re-import of the
registry's own export changes nothing)."""

from __future__ import annotations

import importlib.util
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from myotrack import registry
from myotrack.cohort import read_folder
from myotrack.cohort.deidentify import Tier, apply_tier
from myotrack.domain import Cohort
from myotrack.exchange.fhir import LAYOUTS, read_fhir

from .conftest import canonical, export_texts, with_assessments

TODAY = date(2026, 12, 1)


def _load_strategies() -> Any:
    path = Path(__file__).parents[1] / "cohort" / "test_roundtrip_property.py"
    spec = importlib.util.spec_from_file_location("cohort_roundtrip_strategies", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


cohort_folders = _load_strategies().cohort_folders


def _round_trip(cohort: Cohort, layout: str) -> Cohort:
    back, issues = read_fhir(export_texts(cohort, layout), today=TODAY, accept_implausible=True)
    assert issues == [], [str(i) for i in issues[:10]]
    assert back is not None
    return back


@pytest.mark.parametrize("layout", LAYOUTS)
def test_demo_cohort_comes_back_unchanged(demo_cohort: Cohort, layout: str) -> None:
    assert demo_cohort.assessments  # item-level assessments travel too
    back = _round_trip(demo_cohort, layout)
    assert canonical(back) == canonical(demo_cohort)


def test_bundle_keeps_the_order_of_every_table(demo_cohort: Cohort) -> None:
    assert _round_trip(demo_cohort, "bundle") == demo_cohort


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_vocabulary_value_comes_back(catalogue_cohort: Cohort, layout: str) -> None:
    back = _round_trip(catalogue_cohort, layout)
    assert canonical(back) == canonical(catalogue_cohort)


@pytest.mark.parametrize("tier", [Tier.PSEUDONYMISED, Tier.SAFE_HARBOR])
def test_a_de_identified_export_reads_back_as_that_tier(demo_cohort: Cohort, tier: Tier) -> None:
    shown = apply_tier(demo_cohort, tier, key=b"test key")
    back = _round_trip(shown, "ndjson")
    assert canonical(back) == canonical(shown)
    text = "".join(export_texts(shown, "bundle").values())
    assert "extra-column" not in text and "Organization" not in text
    assert all(p.patient_id not in text for p in demo_cohort.patients)


@st.composite
def generated(draw: st.DrawFn) -> Cohort:
    files = draw(cohort_folders())
    with tempfile.TemporaryDirectory() as tmp:
        for name, text in files.items():
            (Path(tmp) / name).write_text(text, encoding="utf-8")
        cohort, issues = read_folder(tmp, accept_implausible=True, today=TODAY)
    assert cohort is not None, [str(i) for i in issues]
    return with_assessments(cohort, per_patient=draw(st.integers(0, 2)))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated(), st.sampled_from(LAYOUTS))
def test_generated_cohorts_come_back_unchanged(cohort: Cohort, layout: str) -> None:
    back = _round_trip(cohort, layout)
    assert canonical(back) == canonical(cohort)


def _registry_url(kind: str, tmp_path: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'registry.db'}"
    url = os.environ.get("MYOTRACK_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("no PostgreSQL server: set MYOTRACK_TEST_POSTGRES_URL to run this variant")
    engine = registry.connect(url)
    with engine.begin() as conn:  # a clean schema, as the registry tests do
        conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()
    return url


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_registry_export_reimports_without_a_change(
    demo_cohort: Cohort, tmp_path: Path, kind: str
) -> None:
    engine = registry.connect(_registry_url(kind, tmp_path))
    registry.upgrade(engine)
    with registry.transaction(engine) as session:
        registry.import_cohort(session, demo_cohort, actor="test", reason="demo")
    with registry.transaction(engine) as session:
        stored = registry.load_cohort(session)
    assert len(stored.assessments) == len(demo_cohort.assessments)
    assert len(stored.v2_rows) == len(demo_cohort.v2_rows) > 0  # the whole record too
    back = _round_trip(stored, "transaction")
    assert canonical(back) == canonical(stored)
    with registry.transaction(engine) as session:
        summary = registry.import_cohort(session, back, actor="test", reason="fhir again")
    assert not summary.changed
    engine.dispose()
