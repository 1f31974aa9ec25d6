"""The OMOP export passes the CDM 5.4 field checks (generated from OHDSI's specification)
for the demo cohort, a cohort using every vocabulary value and each de-identification
tier; the checks catch each kind of broken export; running courses, doses and what OMOP
cannot carry are written as documented."""

from __future__ import annotations

import csv
import importlib.util
import io
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from myotrack.cohort import read_folder
from myotrack.cohort.deidentify import Tier, apply_tier
from myotrack.domain import Cohort
from myotrack.exchange.omop import LOSSY, check_files, create_tables, export_texts
from myotrack.exchange.omop.cdm import cdm_tables, field_names


def _rows(texts: dict[str, str], name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(texts[name])))


@pytest.mark.parametrize("tier", list(Tier))
def test_the_exports_pass_every_check(
    demo_cohort: Cohort, catalogue_cohort: Cohort, tier: Tier
) -> None:
    for cohort in (demo_cohort, catalogue_cohort):
        texts = export_texts(apply_tier(cohort, tier, key=b"key"))
        assert check_files(texts) == []


def test_every_table_has_the_specifications_columns(demo_cohort: Cohort) -> None:
    texts = export_texts(demo_cohort)
    for name, text in texts.items():
        table = name.removesuffix(".csv").lower()
        assert text.split("\n", 1)[0].split(",") == list(field_names(table))
    wanted = {
        "PERSON.csv",
        "OBSERVATION_PERIOD.csv",
        "VISIT_OCCURRENCE.csv",
        "CONDITION_OCCURRENCE.csv",
        "MEASUREMENT.csv",
        "DRUG_EXPOSURE.csv",
        "OBSERVATION.csv",
        "PROCEDURE_OCCURRENCE.csv",
        "DEATH.csv",
        "CDM_SOURCE.csv",
        "CONCEPT.csv",
    }
    assert wanted <= set(texts)


def test_running_and_ended_courses(catalogue_cohort: Cohort) -> None:
    texts = export_texts(catalogue_cohort)
    rows = _rows(texts, "DRUG_EXPOSURE.csv")
    # then the courses of cohort format version 2 with a start, and the vaccinations
    v2 = [
        r
        for r in catalogue_cohort.v2_rows
        if r.kind == "vaccination"
        or (r.kind == "treatment_course" and r.values.get("start_date") is not None)
    ]
    assert v2 and len(rows) == len(catalogue_cohort.courses) + len(v2)
    assert [r["drug_source_value"] for r in rows[len(catalogue_cohort.courses) :]] == [
        r.values.get("drug", r.values.get("vaccine")) for r in v2
    ]
    rows = rows[: len(catalogue_cohort.courses)]
    cutoff = catalogue_cohort.cutoff_date
    assert cutoff is not None
    for course, row in zip(catalogue_cohort.courses, rows, strict=True):
        assert row["drug_exposure_start_date"] == course.start_date.isoformat()
        if course.end_date is None:  # running at the cut-off (or started after it)
            assert row["drug_exposure_end_date"] == max(cutoff, course.start_date).isoformat()
            assert row["verbatim_end_date"] == ""
        else:
            assert row["drug_exposure_end_date"] == course.end_date.isoformat()
            assert row["verbatim_end_date"] == course.end_date.isoformat()
        assert row["dose_unit_source_value"] == (course.dose_unit or "")
        assert row["sig"].startswith(course.drug)
        assert f" {course.dose_unit} " in row["sig"] or course.dose_unit is None


def test_a_running_course_never_ends_before_it_starts(catalogue_cohort: Cohort) -> None:
    from dataclasses import replace

    late = replace(catalogue_cohort, cutoff_date=date(2018, 1, 5))
    rows = _rows(export_texts(late), "DRUG_EXPOSURE.csv")
    for row in rows:
        assert row["drug_exposure_end_date"] >= row["drug_exposure_start_date"]


def test_what_omop_cannot_carry_is_stated(demo_cohort: Cohort) -> None:
    texts = export_texts(demo_cohort)
    (source,) = _rows(texts, "CDM_SOURCE.csv")
    assert source["cdm_version"] == "5.4"
    for text in LOSSY:
        assert text in source["source_description"]
    metadata = {r["value_as_string"] for r in _rows(texts, "METADATA.csv")}
    assert {text[:250] for text in LOSSY} <= metadata
    assert demo_cohort.cutoff_date is not None
    assert demo_cohort.cutoff_date.isoformat() in metadata


def test_ddl_declares_every_field(demo_cohort: Cohort) -> None:
    statements = create_tables("sqlite")
    assert len(statements) == len(cdm_tables())
    person = next(s for s in statements if s.startswith("CREATE TABLE person "))
    assert "person_id INTEGER NOT NULL PRIMARY KEY" in person
    assert "month_of_birth INTEGER," in person  # not required
    assert "FOREIGN KEY (gender_concept_id) REFERENCES concept (concept_id)" in person


# --- the checks catch broken exports --------------------------------------------------


def _edit(texts: dict[str, str], name: str, change: Callable[[list[dict[str, str]]], None]) -> None:
    reader = csv.DictReader(io.StringIO(texts[name]))
    rows = list(reader)
    change(rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(reader.fieldnames or ()), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    texts[name] = out.getvalue()


def _set(field: str, value: str, row: int = 0) -> Callable[[list[dict[str, str]]], None]:
    def change(rows: list[dict[str, str]]) -> None:
        rows[row][field] = value

    return change


@pytest.mark.parametrize(
    ("file", "change", "rule", "field"),
    [
        ("PERSON.csv", _set("year_of_birth", ""), "is_required", "year_of_birth"),
        ("MEASUREMENT.csv", _set("value_as_number", "high"), "datatype", "value_as_number"),
        (
            "VISIT_OCCURRENCE.csv",
            _set("visit_start_date", "2020-13-01"),
            "datatype",
            "visit_start_date",
        ),
        ("DRUG_EXPOSURE.csv", _set("stop_reason", "x" * 21), "datatype", "stop_reason"),
        (
            "VISIT_OCCURRENCE.csv",
            _set("visit_occurrence_id", "1", row=1),
            "is_primary_key",
            "visit_occurrence_id",
        ),
        ("MEASUREMENT.csv", _set("person_id", "999"), "is_foreign_key", "person_id"),
        ("DRUG_EXPOSURE.csv", _set("drug_concept_id", "123"), "is_foreign_key", "drug_concept_id"),
        ("PERSON.csv", _set("gender_concept_id", "3007220"), "fk_domain", "gender_concept_id"),
        (
            "DRUG_EXPOSURE.csv",
            _set("drug_exposure_end_date", "1999-01-01"),
            "start_before_end",
            "drug_exposure_end_date",
        ),
        (
            "OBSERVATION.csv",
            _set("observation_date", "2099-01-01"),
            "in_observation_period",
            "observation_date",
        ),
        (
            "MEASUREMENT.csv",
            _set("measurement_date", "1990-01-01"),
            "after_birth",
            "measurement_date",
        ),
    ],
)
def test_the_checks_catch_a_broken_export(
    demo_cohort: Cohort,
    file: str,
    change: Callable[[list[dict[str, str]]], None],
    rule: str,
    field: str,
) -> None:
    texts = export_texts(demo_cohort)
    _edit(texts, file, change)
    found = [i for i in check_files(texts) if i.rule == rule]
    assert found, check_files(texts)
    assert found[0].file == file and found[0].field == field
    assert found[0].line == (3 if rule == "is_primary_key" else 2)  # the second use of a key


def test_wrong_columns_and_a_missing_person_table(demo_cohort: Cohort) -> None:
    texts = export_texts(demo_cohort)
    texts["VISIT_OCCURRENCE.csv"] = texts["VISIT_OCCURRENCE.csv"].replace(
        "visit_concept_id", "visit_kind", 1
    )
    del texts["PERSON.csv"]
    rules = {(i.file, i.rule) for i in check_files(texts)}
    assert ("VISIT_OCCURRENCE.csv", "columns") in rules
    assert ("PERSON.csv", "missing_file") in rules


def _strategies() -> Any:
    path = Path(__file__).parents[1] / "cohort" / "test_roundtrip_property.py"
    spec = importlib.util.spec_from_file_location("cohort_roundtrip_strategies_omop", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_strategies().cohort_folders())
def test_every_valid_folder_exports_to_a_valid_cdm(files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        cohort, issues = read_folder(folder, today=date(2026, 12, 1), accept_implausible=True)
    assert cohort is not None, issues
    texts = export_texts(cohort)
    assert check_files(texts) == []
    assert len(_rows(texts, "DRUG_EXPOSURE.csv")) == len(cohort.courses)
