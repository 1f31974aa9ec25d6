"""A small hand-built cohort for the report tests: five children on JAK inhibitors
(one with an open course, missing values and µkat/L-converted labs), one child never
given a JAK inhibitor (excluded), and a child modelled on seed 003's MDA5+ boy."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from myotrack.domain import (
    Cohort,
    DrugCourse,
    Event,
    LabResult,
    Patient,
    PatientRecord,
    ReportedValue,
    Visit,
)


def mda5_record() -> PatientRecord:
    pid = "MDA5-case"
    patient = Patient(pid, "M", date(2017, 3, 15), "JDM", antibodies=("MDA5", "RO52"))
    visits = (
        Visit(pid, date(2021, 9, 20), cmas=20, rash=True, weakness=True),
        Visit(pid, date(2021, 10, 20)),  # a visit with nothing recorded
        Visit(pid, date(2021, 12, 1), cmas=30),
        Visit(pid, date(2022, 4, 1), cmas=38),
        Visit(pid, date(2023, 1, 15), cmas=47),
    )
    labs = (
        LabResult(pid, date(2021, 9, 22), "IFN_score", 4124, "score", ref_high=12.49),
        LabResult(pid, date(2021, 12, 1), "IFN_score", 900, "score", ref_high=12.49),
        LabResult(pid, date(2022, 6, 1), "IFN_score", None, "score"),  # missing value
        LabResult(pid, date(2023, 1, 15), "IFN_score", 10, "score"),
    )
    c = DrugCourse
    courses = (
        c(pid, "methotrexate", date(2021, 6, 1), date(2021, 9, 1), 10, "mg/m2", "weekly"),
        c(pid, "prednisolone", date(2021, 9, 21), date(2021, 11, 1), 30, "mg", "QD"),
        c(pid, "hydroxychloroquine", date(2021, 9, 25), None, 100, "mg", "QD"),
        c(pid, "ivig", date(2021, 9, 25), date(2022, 10, 25), 2, "g/kg", "monthly"),
        c(pid, "cotrimoxazole", date(2021, 10, 1), date(2022, 3, 1), 240, "mg", "BID"),
        c(pid, "ruxolitinib", date(2021, 10, 12), None, 5, "mg", "BID"),
        c(pid, "prednisolone", date(2021, 11, 2), date(2021, 12, 31), 15, "mg", "QD"),
        c(pid, "prednisolone", date(2022, 1, 1), date(2022, 3, 20), 5, "mg", "QD"),
    )
    return PatientRecord(patient, visits, labs, courses)


def _child(
    i: int,
    *,
    sex: str,
    drug: str,
    dose: float,
    weight: float | None,
    cmas: tuple[float | None, float | None],
    catbm: tuple[float | None, float | None],
    ldh: tuple[float, float],
    improving_week: int | None,
    resolved_week: int | None,
    follow_up_days: int,
    ukat: bool = False,
) -> Cohort:
    pid = f"P{i:02d}"
    index = date(2022, 1, 10) + timedelta(days=17 * i)
    end = index + timedelta(days=follow_up_days)
    patient = Patient(
        pid,
        sex,
        date(2014 - i, 5, 15),
        "JDM",
        onset_date=date(2018, 1 + i, 1),
        diagnosis_date=date(2018, 2 + i, 1),
        refractory="gc_dependent" if i % 2 else "ineffective",
    )
    visits = (
        Visit(
            pid,
            index - timedelta(days=10),
            weight_kg=weight,
            rash=True,
            weakness=cmas[0] is not None,
            cmas=cmas[0],
            catbm_activity=catbm[0],
        ),
        Visit(pid, index + timedelta(days=30), rash=True),
        Visit(pid, end, rash=False, cmas=cmas[1], catbm_activity=catbm[1]),
    )
    labs: list[LabResult] = []
    for day, value in ((index - timedelta(days=5), ldh[0]), (end, ldh[1])):
        if ukat:  # reported in µkat/L, held in U/L (1 µkat/L = 60 U/L)
            labs.append(
                LabResult(
                    pid,
                    day,
                    "LDH",
                    round(value, 6),
                    "U/L",
                    ref_high=300,
                    reported=ReportedValue(value / 60, "ukat/L", ref_high=5.0),
                )
            )
        else:
            labs.append(LabResult(pid, day, "LDH", value, "U/L", ref_high=300))
    courses = [
        DrugCourse(pid, drug, index, index + timedelta(days=60), dose, "mg", "BID"),
        DrugCourse(
            pid, drug, index + timedelta(days=61), None if i == 1 else end, dose * 2, "mg", "BID"
        ),
        DrugCourse(
            pid,
            "prednisolone",
            index - timedelta(days=200),
            index + timedelta(days=90),
            10,
            "mg",
            "QD",
        ),
    ]
    events: list[Event] = []
    if improving_week is not None:
        events.append(Event(pid, index + timedelta(weeks=improving_week), "rash_improving"))
        events.append(Event(pid, index + timedelta(weeks=improving_week + 2), "rash_marked"))
    if resolved_week is not None:
        events.append(Event(pid, index + timedelta(weeks=resolved_week), "rash_resolved"))
    if i == 3:
        events.append(Event(pid, index + timedelta(days=40), "infection", detail=" vzv "))
    return Cohort((patient,), visits, tuple(labs), tuple(courses), tuple(events))


def small_cohort() -> Cohort:
    parts = [
        _child(
            1,
            sex="F",
            drug="ruxolitinib",
            dose=2.5,
            weight=18.0,
            cmas=(20, 35),
            catbm=(7, 1),
            ldh=(420, 290),
            improving_week=1,
            resolved_week=8,
            follow_up_days=200,
        ),
        _child(
            2,
            sex="M",
            drug="ruxolitinib",
            dose=5,
            weight=30.0,
            cmas=(30, 30),
            catbm=(9, 0),
            ldh=(380, 395),
            improving_week=2,
            resolved_week=None,
            follow_up_days=150,
            ukat=True,
        ),
        _child(
            3,
            sex="F",
            drug="tofacitinib",
            dose=5,
            weight=None,
            cmas=(None, 40),
            catbm=(3, 0),
            ldh=(250, 240),
            improving_week=3,
            resolved_week=12,
            follow_up_days=300,
        ),
        _child(
            4,
            sex="M",
            drug="ruxolitinib",
            dose=5,
            weight=41.0,
            cmas=(12, 44),
            catbm=(10, None),
            ldh=(500, 310),
            improving_week=None,
            resolved_week=None,
            follow_up_days=120,
        ),
        _child(
            5,
            sex="F",
            drug="tofacitinib",
            dose=2.5,
            weight=20.5,
            cmas=(25, 38),
            catbm=(5, 2),
            ldh=(330, 280),
            improving_week=1,
            resolved_week=20,
            follow_up_days=250,
        ),
    ]
    never = Patient("P99", "F", date(2012, 1, 15), "JDM")
    never_visit = Visit("P99", date(2022, 3, 1), cmas=40)
    never_course = DrugCourse("P99", "methotrexate", date(2021, 1, 1), None, 15, "mg/m2", "weekly")
    mda5 = mda5_record()
    return Cohort(
        patients=(*(p for c in parts for p in c.patients), never, mda5.patient),
        visits=(*(v for c in parts for v in c.visits), never_visit, *mda5.visits),
        labs=(*(lab for c in parts for lab in c.labs), *mda5.labs),
        courses=(*(x for c in parts for x in c.courses), never_course, *mda5.courses),
        events=tuple(e for c in parts for e in c.events),
        cutoff_date=date(2023, 6, 30),
    )


@pytest.fixture
def record() -> PatientRecord:
    return mda5_record()


@pytest.fixture
def cohort() -> Cohort:
    return small_cohort()
