"""The version 2 record objects: every code has a label; dated involvement answers yes/no/
unknown by the partial-date rule; treatment tables mean what they say; a version 2 course
becomes a version 1 course with its imputations in words; a JAK start plan stays open until
a JAK course starts; live vaccines in the weeks before a start are found; the biopsy score
refuses values outside the published ranges."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from myotrack.domain import vocab
from myotrack.domain.investigations_muscle import BIOPSY_DOMAIN_BY_ID, BiopsyScore
from myotrack.domain.involvement import OrganInvolvement, involvement_on
from myotrack.domain.model import DrugCourse, Patient, PatientRecord
from myotrack.domain.partial_date import PartialDate
from myotrack.domain.prevention import VACCINES, Vaccination, live_vaccines_within
from myotrack.domain.record_events import TreatmentDecision
from myotrack.domain.record_vocab import RECORD_LABELS, RECORD_VOCABULARIES, record_label
from myotrack.domain.treatment_detail import (
    DOSE_UNITS_V2,
    FREQUENCIES,
    ROUTES_V2,
    Strength,
    TreatmentCourse,
)
from myotrack.domain.whole_record import WholeRecord


@pytest.mark.parametrize("kind", sorted(RECORD_VOCABULARIES))
def test_every_version_2_code_has_a_label(kind: str) -> None:
    missing = [c for c in RECORD_VOCABULARIES[kind] if c not in RECORD_LABELS[kind]]
    assert not missing, f"{kind}: no label for {missing}"
    assert set(RECORD_LABELS[kind]) == set(RECORD_VOCABULARIES[kind])


def test_labels_in_the_clinic_words() -> None:
    assert record_label("oxygen_support", "supplemental_not_stated").startswith("supplemental")
    assert record_label("indication", "empirical") == "empirical (calculated) treatment"
    assert record_label("organ", "unknown_code") == "unknown_code"


def test_version_1_codes_are_rows_of_the_version_2_tables() -> None:
    assert {f.code for f in FREQUENCIES.values() if f.v1} == set(vocab.FREQUENCIES)
    assert {u.code for u in DOSE_UNITS_V2.values() if u.v1} == set(vocab.DOSE_UNITS)
    assert {r.code for r in ROUTES_V2.values() if r.v1} == set(vocab.ROUTES)


def test_frequencies_mean_what_they_say() -> None:
    # q6h: 24 h / 6 h = 4 doses a day; QID 4 a day; q8h 3 a day; FHIR 1 per 6 h.
    assert FREQUENCIES["q6h"].per_day == 24 / 6 == FREQUENCIES["QID"].per_day
    assert FREQUENCIES["q8h"].per_day == 24 / 8
    assert FREQUENCIES["q6h"].fhir == (1, 6, "h")
    assert FREQUENCIES["every_3_weeks"].fhir == (1, 3, "wk")
    assert FREQUENCIES["every_6_months"].fhir == (1, 6, "mo")
    assert FREQUENCIES["prn"].as_needed and FREQUENCIES["prn"].fhir is None
    for f in FREQUENCIES.values():
        if f.unit == "h" and f.every is not None:
            assert f.per_day == 24 / f.every
    assert DOSE_UNITS_V2["mg/kg/day"].amount == "mg/kg" and DOSE_UNITS_V2["mg/kg/day"].per == "day"
    assert DOSE_UNITS_V2["mg/m2/week"].per == "week"
    assert Strength(0.1, "%").text() == "0.1%"
    assert Strength(5, "mg").text() == "5 mg"


def _involvement(onset: str | None, resolution: str | None = None) -> OrganInvolvement:
    return OrganInvolvement(
        patient_id="P",
        organ="ILD",
        onset=PartialDate.parse(onset) if onset else None,
        resolution=PartialDate.parse(resolution) if resolution else None,
    )


@pytest.mark.parametrize(
    ("onset", "resolution", "day", "expected"),
    [
        ("2021-09", None, date(2021, 10, 20), "yes"),
        ("2021-09", None, date(2021, 9, 10), "unknown"),  # inside the onset month
        ("2021-09", None, date(2021, 8, 31), "no"),
        ("2021-09", "2022-03", date(2022, 4, 1), "no"),
        ("2021-09", "2022-03", date(2022, 3, 10), "unknown"),
        ("2021-09-05", "2022-03-01", date(2022, 2, 28), "yes"),
        (None, None, date(2022, 1, 1), "unknown"),
    ],
)
def test_dated_involvement(
    onset: str | None, resolution: str | None, day: date, expected: str
) -> None:
    assert _involvement(onset, resolution).active_on(day) == expected


def test_involvement_over_several_records_and_excluded() -> None:
    excluded = OrganInvolvement(patient_id="P", organ="ILD", certainty="excluded")
    assert excluded.active_on(date(2022, 1, 1)) == "no"
    records = (excluded, _involvement("2021-09"))
    assert involvement_on(records, "ILD", date(2022, 1, 1)) == "yes"
    assert involvement_on(records, "calcinosis", date(2022, 1, 1)) == "no"


def test_course_with_month_dates_becomes_a_version_1_course_with_warnings() -> None:
    rux = TreatmentCourse(
        patient_id="P",
        drug="ruxolitinib",
        start=PartialDate(2021, 10),
        status="ongoing",
        dose=5,
        dose_unit="mg",
        frequency="BID",
        route="oral",
    )
    course, warnings = rux.to_drug_course(not_after=date(2023, 1, 31))
    assert course is not None
    assert course.start_date == date(2021, 10, 15)  # mid-month
    assert course.end_date is None and course.frequency == "BID"
    assert any("2021-10" in w and "2021-10-15" in w for w in warnings)


def test_end_reported_as_a_duration() -> None:
    pred = TreatmentCourse(
        patient_id="P",
        drug="prednisolone",
        start=PartialDate(2021, 9),
        status="stopped",
        duration_months=6,
    )
    assert pred.end_estimate() == PartialDate(2022, 3)
    ivig = TreatmentCourse(
        patient_id="P", drug="ivig", start=PartialDate(2021, 9), duration_months=13
    )
    assert ivig.end_estimate() == PartialDate(2022, 10)
    course, warnings = pred.to_drug_course(not_after=date(2023, 1, 31))
    assert course is not None and course.end_date == date(2022, 3, 15)
    assert any("reported duration" in w for w in warnings)


def test_codes_without_a_version_1_home_are_left_empty_and_said() -> None:
    abx = TreatmentCourse(
        patient_id="P", drug="cotrimoxazole", start=PartialDate(2021, 9, 20), frequency="q6h"
    )
    course, warnings = abx.to_drug_course(not_after=date(2022, 1, 1))
    assert course is not None and course.frequency is None
    assert any("'q6h' has no version 1 code" in w for w in warnings)
    no_start = TreatmentCourse(patient_id="P", drug="tacrolimus", start=None, route="topical")
    assert no_start.to_drug_course(date(2022, 1, 1))[0] is None


def _course(drug: str, start: date) -> DrugCourse:
    return DrugCourse(patient_id="P", drug=drug, start_date=start)


def test_jak_start_plan_is_open_until_a_jak_course_starts() -> None:
    plan = TreatmentDecision(
        patient_id="P", decided_on=PartialDate(2021, 10, 1), decision="jak_start_planned"
    )
    assert plan.is_open((), date(2021, 10, 5))
    assert not plan.is_open((), date(2021, 9, 30))  # not yet decided
    other = (_course("prednisolone", date(2021, 10, 2)),)
    assert plan.is_open(other, date(2021, 10, 5))
    started = (_course("ruxolitinib", date(2021, 10, 3)),)
    assert not plan.is_open(started, date(2021, 10, 5))
    assert plan.is_open(started, date(2021, 10, 2))  # the course had not started yet
    named = TreatmentDecision(
        patient_id="P",
        decided_on=PartialDate(2021, 10, 1),
        decision="jak_start_planned",
        drug="baricitinib",
    )
    assert named.is_open(started, date(2021, 10, 5))  # another JAK inhibitor
    done = TreatmentDecision(
        patient_id="P",
        decided_on=PartialDate(2021, 10),
        decision="jak_start_planned",
        status="done",
    )
    assert not done.is_open((), date(2021, 12, 1))


def test_live_vaccines_in_the_weeks_before_a_start() -> None:
    shots = (
        Vaccination(patient_id="P", date=PartialDate(2021, 9, 1), vaccine="mmr"),
        Vaccination(patient_id="P", date=PartialDate(2021, 9, 20), vaccine="hepatitis_b"),
        Vaccination(patient_id="P", date=PartialDate(2021, 6), vaccine="varicella"),
        Vaccination(patient_id="P", date=PartialDate(2021, 8), vaccine="varicella"),
    )
    found = live_vaccines_within(shots, start=date(2021, 10, 1), weeks=4)  # from 2021-09-03
    # MMR on 1 September is 30 days before: outside 4 weeks; August is outside; June too.
    assert found == ()
    found = live_vaccines_within(shots, start=date(2021, 10, 1), weeks=5)  # from 2021-08-27
    assert [v.vaccine for v in found] == ["mmr", "varicella"]  # August overlaps the window
    assert VACCINES["mmr"].live and not VACCINES["zoster_recombinant"].live


def test_biopsy_score_ranges() -> None:
    assert BIOPSY_DOMAIN_BY_ID["overall_vas"].max == 10
    assert BiopsyScore(inflammatory=12, vascular=3, overall_vas=10).problems() == ()
    problems = BiopsyScore(inflammatory=13, vascular=-1, muscle_fibre=99).problems()
    assert len(problems) == 2
    assert any("inflammatory" in p and "12" in p for p in problems)


def test_whole_record_gives_the_version_1_view() -> None:
    patient = Patient(patient_id="P", sex="M", birth_date=date(2017, 1, 1), diagnosis="JDM")
    whole = WholeRecord(
        base=PatientRecord(patient=patient),
        treatment_courses=(
            TreatmentCourse(patient_id="P", drug="ruxolitinib", start=PartialDate(2021, 10)),
        ),
    )
    record, warnings = whole.as_patient_record(not_after=date(2022, 1, 1))
    assert record.index_date == date(2021, 10, 15)
    assert warnings


def test_reported_visit_ranges_and_v1_view() -> None:
    from myotrack.domain.reported import ReportedLab, ReportedVisit

    ok = ReportedVisit(patient_id="P", date=PartialDate(2023, 1), measures={"cmas": 47})
    assert ok.problems() == ()
    visit, warning = ok.to_visit(not_after=date(2023, 1, 10))
    assert visit.cmas == 47 and visit.date == date(2023, 1, 10)  # not after the cut-off
    assert warning is not None and "2023-01" in warning
    bad = ReportedVisit(
        patient_id="P",
        date=PartialDate(2023, 1),
        measures={"cmas": 53, "cmas_total": 3},
        flags={"fever": True},
    )
    problems = bad.problems()
    assert len(problems) == 3
    assert any("53" in p and "0-52" in p for p in problems)
    lab, note = ReportedLab("P", PartialDate.of(date(2021, 9, 13)), "CK", 0.26).to_lab(
        date(2022, 1, 1)
    )
    assert lab.date == date(2021, 9, 13) and note is None


def test_table_codes_are_the_closed_sets() -> None:
    from myotrack.domain.prevention import VACCINE_TABLE, VaccineCode
    from myotrack.domain.record_vocab import codes
    from myotrack.domain.treatment_detail import (
        DOSE_UNIT_TABLE,
        FREQUENCY_TABLE,
        ROUTE_TABLE,
        DoseUnitCode,
        FrequencyCode,
        RouteCode,
    )

    assert [f.code for f in FREQUENCY_TABLE] == list(codes(FrequencyCode))
    assert [u.code for u in DOSE_UNIT_TABLE] == list(codes(DoseUnitCode))
    assert [r.code for r in ROUTE_TABLE] == list(codes(RouteCode))
    assert [v.code for v in VACCINE_TABLE] == list(codes(VaccineCode))


@given(
    st.dates(date(2015, 1, 1), date(2023, 12, 31)),
    st.integers(0, 800),
    st.dates(date(2014, 1, 1), date(2025, 12, 31)),
)
def test_exact_dates_never_give_unknown(onset: date, days: int, day: date) -> None:
    resolution = date.fromordinal(onset.toordinal() + days)
    inv = OrganInvolvement(
        patient_id="P",
        organ="ILD",
        onset=PartialDate.of(onset),
        resolution=PartialDate.of(resolution),
    )
    expected = "yes" if onset <= day <= resolution else "no"
    assert inv.active_on(day) == expected
