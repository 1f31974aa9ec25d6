"""`glucocorticoids.cumulative` computes per stretch of days (courses, weight and height
unchanged) instead of day by day: it must give what the day-by-day sum of `daily_dose`
gives. The day-by-day algorithm it replaced is kept here as the reference; random patient
records (several courses, every frequency incl. missing and unknown ones, mg, mg/kg, mg/m2
and unusable units, missing doses, open ends, topical ones, weights and heights on some
dates) are compared over periods before, within and after the courses."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from myotrack.domain.model import DrugCourse, Patient, PatientRecord, Visit
from myotrack.therapy import glucocorticoids
from myotrack.therapy.glucocorticoids import (
    PREDNISOLONE_FACTORS,
    DailyDose,
    Exposure,
    course_exposures,
    cumulative,
    daily_dose,
)

PID = "P001"
D0 = date(2024, 1, 1)
PATIENT = Patient(PID, "F", date(2014, 3, 5), "JDM")
FREQUENCIES = (
    None,
    "QD",
    "BID",
    "TID",
    "weekly",
    "every_2_weeks",
    "every_4_weeks",
    "monthly",
    "once",
    "fortnightly",  # not in the vocabulary: its count cannot be known
)
# A factor table without prednisone: its courses are then not counted at all.
WITHOUT_PREDNISONE = {k: v for k, v in PREDNISOLONE_FACTORS.items() if k != "prednisone"}


def _cumulative_by_day(
    record: PatientRecord,
    start: date,
    end: date,
    factors: Mapping[str, Fraction] = PREDNISOLONE_FACTORS,
    *,
    courses: Sequence[DrugCourse] | None = None,
) -> Exposure:
    """The former `cumulative`, verbatim: `daily_dose` summed over every day."""
    if end < start:
        raise ValueError(f"period end {end} is before its start {start}")
    mg = 0.0
    mg_kg: float | None = 0.0
    days_on = 0
    problems: list[str] = []
    pool = record.courses if courses is None else courses
    gc_courses = [c for c in pool if c.drug in factors and c.route != "topical"]
    first = max(start, min((c.start_date for c in gc_courses), default=end))
    day = first
    while day <= end:
        if any(c.running_on(day) for c in gc_courses):
            d = daily_dose(record, day, factors, courses=gc_courses)
            if d.problems:
                problems.extend(p for p in d.problems if p not in problems)
            elif d.mg:
                days_on += 1
                mg += d.mg
                if d.mg_per_kg is None:
                    mg_kg = None
                    note = f"no weight recorded on or before {day}"
                    if note not in problems:
                        problems.append(note)
                elif mg_kg is not None:
                    mg_kg += d.mg_per_kg
        day += timedelta(days=1)
    if problems:
        return Exposure(start, end, None, None, days_on, tuple(problems))
    return Exposure(start, end, mg, mg_kg, days_on, ())


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=0.0)


def _assert_same(fast: Exposure, slow: Exposure) -> None:
    assert (fast.start, fast.end) == (slow.start, slow.end)
    assert fast.problems == slow.problems
    assert fast.days_on_glucocorticoid == slow.days_on_glucocorticoid
    assert _close(fast.cumulative_mg, slow.cumulative_mg), (fast, slow)
    assert _close(fast.cumulative_mg_per_kg, slow.cumulative_mg_per_kg), (fast, slow)


def _day(offset: int) -> date:
    return D0 + timedelta(days=offset)


@st.composite
def _courses(draw: st.DrawFn) -> DrugCourse:
    start = draw(st.integers(-40, 420))
    length = draw(st.one_of(st.none(), st.integers(-2, 300)))  # None: still running
    return DrugCourse(
        PID,
        draw(
            st.sampled_from(
                ["prednisolone", "prednisone", "methylprednisolone"] * 3
                + ["dexamethasone", "hydrocortisone", "methotrexate"]
            )
        ),
        _day(start),
        None if length is None else _day(start + length),
        dose=draw(
            st.one_of(
                st.none(),
                st.just(0.0),
                st.floats(0.05, 60, allow_nan=False, allow_subnormal=False),
            )
        ),
        dose_unit=draw(st.sampled_from([None, "mg", "mg", "mg/kg", "mg/kg", "mg/m2", "g"])),
        frequency=draw(st.sampled_from(FREQUENCIES)),
        route=draw(st.sampled_from([None, "oral", "oral", "iv", "topical"])),
    )


@st.composite
def _visits(draw: st.DrawFn) -> Visit:
    return Visit(
        PID,
        _day(draw(st.integers(-80, 500))),
        weight_kg=draw(st.one_of(st.none(), st.floats(4, 90, allow_nan=False))),
        height_cm=draw(st.one_of(st.none(), st.floats(60, 190, allow_nan=False))),
    )


@st.composite
def _records(draw: st.DrawFn) -> PatientRecord:
    courses = draw(st.lists(_courses(), min_size=0, max_size=6))
    visits = draw(st.lists(_visits(), min_size=0, max_size=8))
    return PatientRecord(
        patient=PATIENT,
        visits=tuple(sorted(visits, key=lambda v: v.date)),
        courses=tuple(sorted(courses, key=lambda c: c.start_date)),
    )


def _weekly_and_missing_dose() -> tuple[PatientRecord, date, date]:
    # A weekly methylprednisolone course without a dose starting mid-stretch, next to a daily
    # prednisolone course of unknown frequency: the problems' order follows the days.
    return (
        PatientRecord(
            patient=PATIENT,
            visits=(Visit(PID, _day(20), weight_kg=20.0),),
            courses=(
                DrugCourse(PID, "prednisolone", _day(0), _day(60), 10.0, "mg", "fortnightly"),
                DrugCourse(PID, "methylprednisolone", _day(3), None, None, "mg", "weekly"),
                DrugCourse(PID, "prednisolone", _day(5), _day(9), 1.0, "mg/kg", "QD", "oral"),
            ),
        ),
        _day(-5),
        _day(90),
    )


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    record=_records(),
    start=st.integers(-120, 560),
    length=st.integers(0, 500),
    factors=st.sampled_from([PREDNISOLONE_FACTORS, WITHOUT_PREDNISONE]),
    only_one=st.booleans(),
)
@example(
    record=_weekly_and_missing_dose()[0],
    start=-5,
    length=95,
    factors=PREDNISOLONE_FACTORS,
    only_one=False,
)
def test_cumulative_equals_the_day_by_day_sum(
    record: PatientRecord,
    start: int,
    length: int,
    factors: Mapping[str, Fraction],
    only_one: bool,
) -> None:
    first, last = _day(start), _day(start + length)
    courses = record.courses[:1] if only_one and record.courses else None
    _assert_same(
        cumulative(record, first, last, factors, courses=courses),
        _cumulative_by_day(record, first, last, factors, courses=courses),
    )


def _record(*courses: DrugCourse, visits: tuple[Visit, ...] = ()) -> PatientRecord:
    return PatientRecord(patient=PATIENT, visits=visits, courses=courses)


W20 = (Visit(PID, _day(0), weight_kg=20.0, height_cm=110.0),)


@pytest.mark.parametrize(
    ("record", "start", "end"),
    [
        # monthly from the 31st: given on the last day of shorter months (29 Feb 2024)
        (
            _record(
                DrugCourse(PID, "prednisolone", date(2024, 1, 31), None, 30.0, "mg", "monthly"),
                visits=W20,
            ),
            date(2024, 1, 1),
            date(2024, 12, 31),
        ),
        # every 4 weeks, counted over a period starting between two doses
        (
            _record(
                DrugCourse(
                    PID,
                    "methylprednisolone",
                    _day(0),
                    _day(200),
                    30.0,
                    "mg/kg",
                    "every_4_weeks",
                    "iv",
                ),
                visits=W20,
            ),
            _day(17),
            _day(300),
        ),
        # BID in mg/m2, weight changing mid-course
        (
            _record(
                DrugCourse(PID, "prednisone", _day(0), _day(100), 30.0, "mg/m2", "BID"),
                visits=(*W20, Visit(PID, _day(50), weight_kg=22.0)),
            ),
            _day(0),
            _day(120),
        ),
        # weighed on day 45 only: the weight counts from day 15 (lookahead), a problem a day
        # before it
        (
            _record(
                DrugCourse(PID, "prednisolone", _day(0), _day(60), 1.0, "mg/kg", "QD"),
                visits=(Visit(PID, _day(45), weight_kg=20.0),),
            ),
            _day(0),
            _day(60),
        ),
        # mg doses while no weight is known: the note names each day
        (
            _record(DrugCourse(PID, "prednisolone", _day(0), _day(6), 10.0, "mg", "TID")),
            _day(0),
            _day(6),
        ),
        _weekly_and_missing_dose(),
    ],
)
def test_worked_schedules_equal_the_day_by_day_sum(
    record: PatientRecord, start: date, end: date
) -> None:
    _assert_same(cumulative(record, start, end), _cumulative_by_day(record, start, end))


def test_monthly_dose_on_the_last_day_of_short_months() -> None:
    # 30 mg monthly from 31 Jan 2024, over 2024: 31 Jan, 29 Feb, 31 Mar, 30 Apr, ... 31 Dec
    # = 12 doses = 360 mg; at 20 kg 18 mg/kg.
    rec = _record(
        DrugCourse(PID, "prednisolone", date(2024, 1, 31), None, 30.0, "mg", "monthly"),
        visits=W20,
    )
    exp = cumulative(rec, date(2024, 1, 1), date(2024, 12, 31))
    assert exp.days_on_glucocorticoid == 12
    assert exp.cumulative_mg == pytest.approx(360.0)
    assert exp.cumulative_mg_per_kg == pytest.approx(18.0)


def test_problem_order_follows_the_days() -> None:
    record, start, end = _weekly_and_missing_dose()
    exp = cumulative(record, start, end)
    assert exp.problems == (
        "prednisolone from 2024-01-01: frequency missing or unknown",
        "methylprednisolone from 2024-01-04: dose missing",
    )
    assert exp.cumulative_mg is None


WEEKLY_NO_DOSE = DrugCourse(PID, "methylprednisolone", _day(0), None, None, "mg", "weekly")
DAILY_NO_DOSE = DrugCourse(PID, "prednisolone", _day(0), None, None, "mg", "QD")
WEEKLY_PROBLEM = "methylprednisolone from 2024-01-01: dose missing"
DAILY_PROBLEM = "prednisolone from 2024-01-01: dose missing"


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (_day(0), (WEEKLY_PROBLEM, DAILY_PROBLEM)),  # a weekly dosing day first
        (_day(1), (DAILY_PROBLEM, WEEKLY_PROBLEM)),  # six days of the daily course alone first
    ],
)
def test_problems_in_the_order_of_the_days_they_first_occur(
    start: date, expected: tuple[str, ...]
) -> None:
    record = _record(WEEKLY_NO_DOSE, DAILY_NO_DOSE, visits=W20)
    assert cumulative(record, start, _day(60)).problems == expected
    assert _cumulative_by_day(record, start, _day(60)).problems == expected


def test_mg_per_m2_follows_a_height_measured_without_weight() -> None:
    # 60 mg/m2 QD for 20 days, 20 kg; height 90 cm then 122.5 cm from day 10 (no weight that
    # visit). Mosteller BSA sqrt(90*20/3600) = 0.7071 m2 -> 42.43 mg; sqrt(122.5*20/3600)
    # = 0.8250 m2 -> 49.50 mg.
    rec = _record(
        DrugCourse(PID, "prednisolone", _day(0), _day(19), 60.0, "mg/m2", "QD"),
        visits=(
            Visit(PID, _day(0), weight_kg=20.0, height_cm=90.0),
            Visit(PID, _day(10), height_cm=122.5),
        ),
    )
    exp = cumulative(rec, _day(0), _day(19))
    expected_mg = 10 * 60 * math.sqrt(90 * 20 / 3600) + 10 * 60 * math.sqrt(122.5 * 20 / 3600)
    assert exp.cumulative_mg == pytest.approx(expected_mg)
    assert exp.cumulative_mg == pytest.approx(10 * 42.4264 + 10 * 49.4975, abs=1e-2)
    assert exp.cumulative_mg_per_kg == pytest.approx(expected_mg / 20)
    _assert_same(exp, _cumulative_by_day(rec, _day(0), _day(19)))


def test_a_long_daily_course_is_computed_once_per_stretch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Two years of prednisolone 1 mg/kg QD, weighed at the start and after a year: the dose is
    # computed once per stretch of unchanged course and weight, not on each of the 731 days.
    rec = _record(
        DrugCourse(PID, "prednisolone", _day(0), None, 1.0, "mg/kg", "QD"),
        visits=(Visit(PID, _day(0), weight_kg=20.0), Visit(PID, _day(366), weight_kg=25.0)),
    )
    calls: list[date] = []

    def counting(
        record: PatientRecord,
        day: date,
        factors: Mapping[str, Fraction] = PREDNISOLONE_FACTORS,
        *,
        courses: Sequence[DrugCourse] | None = None,
    ) -> DailyDose:
        calls.append(day)
        return daily_dose(record, day, factors, courses=courses)

    monkeypatch.setattr(glucocorticoids, "daily_dose", counting)
    exp = cumulative(rec, _day(0), _day(730))
    assert calls == [_day(0), _day(366)]
    assert exp.days_on_glucocorticoid == 731
    assert exp.cumulative_mg == pytest.approx(366 * 20 + 365 * 25)
    assert exp.cumulative_mg_per_kg == pytest.approx(731.0)


@settings(max_examples=60, deadline=None)
@given(record=_records(), until=st.integers(-50, 600))
def test_course_exposures_equal_the_day_by_day_sum(record: PatientRecord, until: int) -> None:
    # (a course ending before it starts makes `cumulative` refuse the period, as before)
    assume(all(c.end_date is None or c.start_date <= c.end_date for c in record.courses))
    on = _day(until)
    for ce in course_exposures(record, on):
        c = ce.course
        end = on if c.end_date is None else min(c.end_date, on)
        _assert_same(ce.exposure, _cumulative_by_day(record, c.start_date, end, courses=[c]))
