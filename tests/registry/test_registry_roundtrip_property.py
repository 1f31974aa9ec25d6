"""Property: any cohort of valid domain objects survives import -> load unchanged,
and a second import of it changes nothing (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from myotrack.domain import (
    Assessment,
    Cohort,
    DrugCourse,
    Event,
    LabResult,
    Patient,
    ReportedValue,
    Visit,
)
from myotrack.domain.vocab import (
    ANTIBODIES,
    BOHAN_PETER,
    DIAGNOSES,
    EVENTS,
    FEATURES,
    QUALITATIVE_RESULTS,
    REFRACTORY,
    SEXES,
)
from myotrack.registry import import_cohort, load_cohort

# Text the cohort format can carry: any Unicode but NUL and lone surrogates.
TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\x00"),
    min_size=1,
    max_size=12,
)
IDS = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789-_", min_size=1, max_size=10)
DATES = st.dates(min_value=date(1950, 1, 1), max_value=date(2060, 12, 31))
NUMBER = st.floats(allow_nan=False, allow_infinity=False, width=64)
MAYBE_NUMBER = st.none() | NUMBER | st.integers(0, 1000)
MAYBE_TEXT = st.none() | TEXT
EXTRA = st.dictionaries(st.from_regex(r"x_[a-z0-9_]{1,8}", fullmatch=True), TEXT, max_size=3)


def _unique(items: list[Any], key: Any) -> tuple[Any, ...]:
    seen: set[Any] = set()
    out = []
    for item in items:
        k = key(item)
        if k not in seen:
            seen.add(k)
            out.append(item)
    return tuple(out)


@st.composite
def cohorts(draw: st.DrawFn) -> Cohort:
    ids = draw(st.lists(IDS, min_size=1, max_size=4, unique=True))
    pid = st.sampled_from(ids)
    patients = tuple(
        Patient(
            patient_id=i,
            sex=draw(st.sampled_from(SEXES)),
            birth_date=draw(DATES),
            diagnosis=draw(st.sampled_from(DIAGNOSES)),
            onset_date=draw(st.none() | DATES),
            diagnosis_date=draw(st.none() | DATES),
            bohan_peter=draw(st.none() | st.sampled_from(BOHAN_PETER)),
            antibodies=tuple(draw(st.lists(st.sampled_from(ANTIBODIES), unique=True, max_size=4))),
            refractory=draw(st.none() | st.sampled_from(REFRACTORY)),
            features=tuple(draw(st.lists(st.sampled_from(FEATURES), unique=True, max_size=3))),
            site=draw(MAYBE_TEXT),
            extra=draw(EXTRA),
        )
        for i in ids
    )
    visit = st.builds(
        Visit,
        patient_id=pid,
        date=DATES,
        weight_kg=MAYBE_NUMBER,
        height_cm=MAYBE_NUMBER,
        rash=st.none() | st.booleans(),
        weakness=st.none() | st.booleans(),
        cmas=MAYBE_NUMBER,
        mmt8=MAYBE_NUMBER,
        catbm_activity=MAYBE_NUMBER,
        catbm_damage=MAYBE_NUMBER,
        cdasi_activity=MAYBE_NUMBER,
        cdasi_damage=MAYBE_NUMBER,
        das_skin=MAYBE_NUMBER,
        das_muscle=MAYBE_NUMBER,
        phga=MAYBE_NUMBER,
        parent_global=MAYBE_NUMBER,
        chaq=MAYBE_NUMBER,
        extra=EXTRA,
    )
    reported = st.none() | st.builds(
        ReportedValue, value=NUMBER, unit=TEXT, ref_low=MAYBE_NUMBER, ref_high=MAYBE_NUMBER
    )
    lab = st.builds(
        LabResult,
        patient_id=pid,
        date=DATES,
        analyte=TEXT,
        value=MAYBE_NUMBER,
        unit=MAYBE_TEXT,
        result=st.none() | st.sampled_from(QUALITATIVE_RESULTS),
        ref_low=MAYBE_NUMBER,
        ref_high=MAYBE_NUMBER,
        reported=reported,
        extra=EXTRA,
    )
    course = st.builds(
        DrugCourse,
        patient_id=pid,
        drug=TEXT,
        start_date=DATES,
        end_date=st.none() | DATES,
        dose=MAYBE_NUMBER,
        dose_unit=MAYBE_TEXT,
        frequency=MAYBE_TEXT,
        route=MAYBE_TEXT,
        stop_reason=MAYBE_TEXT,
        extra=EXTRA,
    )
    event = st.builds(
        Event,
        patient_id=pid,
        date=DATES,
        event=st.sampled_from(EVENTS),
        detail=MAYBE_TEXT,
        grade=st.none() | st.integers(1, 5),
        extra=EXTRA,
    )
    assessment = st.builds(
        Assessment,
        patient_id=pid,
        date=DATES,
        instrument=TEXT,
        items=st.dictionaries(TEXT, st.none() | NUMBER, max_size=4),
        version=MAYBE_TEXT,
        total=MAYBE_NUMBER,
    )
    return Cohort(
        patients=patients,
        visits=_unique(draw(st.lists(visit, max_size=6)), lambda v: (v.patient_id, v.date)),
        labs=_unique(draw(st.lists(lab, max_size=6)), lambda r: (r.patient_id, r.date, r.analyte)),
        courses=_unique(
            draw(st.lists(course, max_size=4)), lambda c: (c.patient_id, c.drug, c.start_date)
        ),
        events=_unique(
            draw(st.lists(event, max_size=4)),
            lambda e: (e.patient_id, e.date, e.event, e.detail or ""),
        ),
        assessments=_unique(
            draw(st.lists(assessment, max_size=3)), lambda a: (a.patient_id, a.date, a.instrument)
        ),
        cutoff_date=draw(st.none() | DATES),
    )


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(cohort=cohorts())
def test_import_then_load_returns_the_same_cohort(engine: Engine, cohort: Cohort) -> None:
    # Each example runs in its own transaction, rolled back at the end (clean slate).
    with engine.connect() as conn:
        outer = conn.begin()
        try:
            session = Session(bind=conn)
            first = import_cohort(session, cohort, actor="prop", reason="test")
            assert first.changed == bool(cohort.patients)
            assert load_cohort(session) == cohort
            again = import_cohort(session, cohort, actor="prop", reason="again")
            assert not again.changed
            assert load_cohort(session) == cohort
            session.close()
        finally:
            outer.rollback()
