"""The per-patient supplement (analysis.supplement): one row per patient of the series,
values equal to the report's own definitions, and nothing that identifies a patient."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

import pytest

from myotrack.analysis import build_timelines, case_series
from myotrack.analysis.supplement import supplement
from myotrack.domain import Cohort, DrugCourse, Event, LabResult, Patient, Visit


def _cohort() -> Cohort:
    index = date(2022, 3, 1)
    patients = (
        Patient(
            "CHILD-SMITH",
            "F",
            date(2014, 3, 1),
            "JDM",
            diagnosis_date=date(2021, 3, 1),
            antibodies=("MDA5", "RO52"),
            refractory="gc_dependent",
            site="St Elsewhere",
            extra={"x_note": "lives next to the school"},
        ),
        Patient("P2", "M", date(2010, 1, 1), "JDM"),
        Patient("P3", "M", date(2011, 1, 1), "JDM"),  # never on a JAK inhibitor
    )
    visits = (
        Visit(
            "CHILD-SMITH",
            index - timedelta(days=3),
            weight_kg=22,
            rash=True,
            weakness=True,
            cmas=20,
        ),
        Visit("CHILD-SMITH", index + timedelta(days=91), rash=False, cmas=41),
        Visit("P2", index + timedelta(days=10), weight_kg=40, rash=False),
        Visit("P2", index + timedelta(days=200)),
    )
    labs = (LabResult("CHILD-SMITH", index - timedelta(days=1), "LDH", 400.0, "U/L", ref_high=300),)
    courses = (
        DrugCourse(
            "CHILD-SMITH", "ruxolitinib", index, index + timedelta(days=30), 2.5, "mg", "BID"
        ),
        DrugCourse("CHILD-SMITH", "ruxolitinib", index + timedelta(days=31), None, 5, "mg", "BID"),
        DrugCourse("P2", "tofacitinib", index - timedelta(days=20), None, 5, "mg", "BID"),
    )
    events = (
        Event("CHILD-SMITH", index + timedelta(days=10), "rash_improving"),
        Event(
            "CHILD-SMITH", index + timedelta(days=15), "infection", detail="=HYPERLINK(bad) Dr Who"
        ),
    )
    return Cohort(patients, visits, labs, courses, events, cutoff_date=date(2022, 12, 31))


def test_one_row_per_patient_of_the_series_in_index_order() -> None:
    table = supplement(build_timelines(_cohort()))
    rows = table.as_dicts()
    assert [r["patient"] for r in rows] == [1, 2]
    # P2 started 20 days before the other child: number 1
    assert rows[0]["drug"] == "tofacitinib" and rows[1]["drug"] == "ruxolitinib"
    assert len(rows) == case_series(_cohort())["n_patients"]


def test_values_follow_the_report_definitions() -> None:
    row = supplement(build_timelines(_cohort())).as_dicts()[1]
    assert row["sex"] == "female"
    assert row["age_at_start_years"] == 8.0  # 2014-03-01 to 2022-03-01: 2922 d / 365.25
    assert row["disease_duration_months"] == 12.0  # 365 d / 30.4375 = 11.99 -> 12.0
    assert row["antibodies"] == "anti-MDA5, anti-Ro52"
    assert row["refractory"] == "glucocorticoid-dependent"
    assert row["starting_dose"] == "2.5 mg twice daily"
    assert row["highest_dose"] == "5 mg twice daily"
    assert row["weight_band"] == "< 25 kg"
    assert row["cmas_baseline"] == 20 and row["cmas_final"] == 41
    assert row["LDH_baseline"] == 400 and row["LDH_final"] is None
    assert row["weeks_to_rash_improving"] == 1.4  # 10 d / 7 = 1.43
    assert row["weeks_to_infection"] == 2.1  # 15 d / 7 = 2.14
    assert row["weeks_to_relapse"] is None
    assert row["follow_up_months"] == 3.0  # 91 d / 30.4375 = 2.99


def test_nothing_identifies_a_patient() -> None:
    cohort = _cohort()
    table = supplement(build_timelines(cohort))
    text = " ".join(str(v) for row in table.rows for v in row)
    for p in cohort.patients:
        assert p.patient_id not in text
    assert "Elsewhere" not in text and "school" not in text  # site, x_ columns
    assert "HYPERLINK" not in text and "Dr Who" not in text  # free-text event detail
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)  # no dates
    headers = " ".join(c.header.lower() for c in table.columns)
    assert "date" not in headers and " id" not in headers


@pytest.mark.parametrize("missing", ["weight", "dose"])
def test_missing_values_are_empty(missing: str) -> None:
    cohort = _cohort()
    if missing == "weight":
        visits = tuple(Visit(v.patient_id, v.date, rash=v.rash, cmas=v.cmas) for v in cohort.visits)
        cohort = replace(cohort, visits=visits)
        assert all(r["weight_band"] is None for r in supplement(build_timelines(cohort)).as_dicts())
    else:
        courses = (DrugCourse("P2", "tofacitinib", date(2022, 2, 9), None),)
        cohort = replace(
            cohort,
            patients=cohort.patients[1:2],
            visits=cohort.visits[2:],
            labs=(),
            courses=courses,
            events=(),
        )
        row = supplement(build_timelines(cohort)).as_dicts()[0]
        assert row["starting_dose"] == "dose not recorded" and row["highest_dose"] is None
