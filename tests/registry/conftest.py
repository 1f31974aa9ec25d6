"""Fixtures of the registry tests.

`engine` runs each test twice: on a fresh SQLite file and on PostgreSQL. The
PostgreSQL run needs MYOTRACK_TEST_POSTGRES_URL (e.g.
`postgresql+psycopg://myotrack:myotrack@localhost/myotrack_test`); each test gets a
clean schema there (`DROP SCHEMA public CASCADE`, then the migrations). Without the
variable those runs are skipped with the reason.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

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
from myotrack.registry import connect, upgrade

PG_ENV = "MYOTRACK_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _bare_engine(backend: str, tmp_path: Path) -> Engine:
    if backend == "sqlite":
        return connect(f"sqlite:///{tmp_path / 'registry.db'}")
    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(f"no PostgreSQL server: set {PG_ENV} to run the PostgreSQL variant")
    engine = connect(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    return engine


@pytest.fixture(params=BACKENDS)
def bare_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database (no schema yet)."""
    engine = _bare_engine(request.param, tmp_path)
    yield engine
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A database with the registry schema at the newest revision."""
    engine = _bare_engine(request.param, tmp_path)
    upgrade(engine)
    yield engine
    engine.dispose()


def make_cohort() -> Cohort:
    """Two fictional patients touching every column, None and value, order and extras."""
    p1 = Patient(
        patient_id="P01",
        sex="F",
        birth_date=date(2012, 3, 15),
        diagnosis="JDM",
        onset_date=date(2020, 11, 1),
        diagnosis_date=date(2021, 1, 20),
        bohan_peter="definite",
        antibodies=("RO52", "MDA5"),  # order kept as given
        refractory="gc_dependent",
        features=("ILD", "calcinosis"),
        site="Lund",
        extra={"x_ward": "B4", "x_note": "fictional"},
    )
    p2 = Patient(patient_id="P02", sex="M", birth_date=date(2010, 6, 15), diagnosis="ADM")
    visits = (
        Visit(
            "P01",
            date(2021, 10, 4),
            weight_kg=31.5,
            height_cm=138.0,
            rash=True,
            weakness=False,
            cmas=20,
            mmt8=61.5,
            catbm_activity=12,
            catbm_damage=1,
            cdasi_activity=14,
            cdasi_damage=2,
            das_skin=6,
            das_muscle=5.5,
            phga=7.2,
            parent_global=6,
            chaq=1.125,
            extra={"x_ward": "B4"},
        ),
        Visit("P01", date(2022, 4, 4), cmas=47, rash=False),
        Visit("P02", date(2021, 1, 1)),
    )
    labs = (
        LabResult(
            "P01",
            date(2021, 10, 4),
            "CK",
            value=1200.0,
            unit="U/L",
            ref_high=300.0,
            ref_low=0.0,
            reported=ReportedValue(20.0, "ukat/L", ref_high=5.0),
        ),
        LabResult("P01", date(2021, 10, 4), "IFN_score", value=4124, unit="score"),
        LabResult(
            "P01", date(2021, 9, 1), "TB_IGRA", result="negative", extra={"x_lab": "central"}
        ),
        LabResult("P02", date(2021, 1, 1), "LDH", value=250.5, unit="U/L"),
    )
    courses = (
        DrugCourse(
            "P01",
            "ruxolitinib",
            date(2021, 10, 7),
            dose=5,
            dose_unit="mg",
            frequency="BID",
            route="oral",
        ),
        DrugCourse(
            "P01",
            "prednisolone",
            date(2021, 9, 1),
            end_date=date(2022, 3, 1),
            dose=1,
            dose_unit="mg/kg",
            frequency="QD",
            route="oral",
            stop_reason="taper",
            extra={"x_src": "chart"},
        ),
        DrugCourse(
            "P02",
            "ivig",
            date(2021, 2, 1),
            dose=2,
            dose_unit="g/kg",
            frequency="monthly",
            route="iv",
        ),
    )
    events = (
        Event("P01", date(2021, 12, 1), "rash_improving"),
        Event("P01", date(2022, 1, 5), "infection", detail="EBV", grade=2),
        Event("P01", date(2022, 1, 5), "infection", detail="CMV"),
        Event("P02", date(2021, 3, 1), "adverse_event", grade=1, extra={"x_ctcae": "5.0"}),
    )
    assessments = (
        Assessment(
            "P01",
            date(2021, 10, 4),
            "cmas",
            {"head_elevation": 2, "arm_raise": 1.0, "sit_up": None},
            version="1999",
            total=20,
        ),
        Assessment("P01", date(2022, 4, 4), "cdasi", {"erythema_scalp": 1.0}),
    )
    return Cohort(
        patients=(p1, p2),
        visits=visits,
        labs=labs,
        courses=courses,
        events=events,
        assessments=assessments,
        cutoff_date=date(2022, 6, 30),
    )


@pytest.fixture
def cohort() -> Cohort:
    return make_cohort()
