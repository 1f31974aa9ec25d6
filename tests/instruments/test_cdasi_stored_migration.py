"""A registry holding CDASI assessments stored before the December 2026 errata (Gottron's
hands pre-summed) is upgraded by migration v0003_cdasi_gottron_presummed: the old-shape
assessment keeps every item and is marked with the legacy version; it is read back and
scored with the legacy definition, whose assumptions say so. A new-shape CDASI and other
instruments are left alone. Runs on SQLite and (with MYOTRACK_TEST_POSTGRES_URL) PostgreSQL.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command

from myotrack.instruments import score_stored
from myotrack.instruments.definitions.cdasi import LEGACY_VERSION, LOCATIONS
from myotrack.registry import connect, current_revision, load_cohort, transaction, upgrade
from myotrack.registry.migrate import alembic_config

PG_ENV = "MYOTRACK_TEST_POSTGRES_URL"
MIGRATION = importlib.import_module(
    "myotrack.registry.migrations.versions.v0003_cdasi_gottron_presummed"
)


def _engine(backend: str, tmp_path: Path) -> sa.Engine:
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


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def old_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[sa.Engine]:
    """A registry at the revision before the CDASI migration."""
    engine = _engine(request.param, tmp_path)
    with engine.connect() as conn, conn.begin():
        command.upgrade(alembic_config(conn), MIGRATION.down_revision)
    yield engine
    engine.dispose()


def _old_cdasi_items() -> dict[str, Any]:
    items: dict[str, Any] = {
        f"{loc}_{m}": 0 for loc, _ in LOCATIONS for m in ("erythema", "scale", "erosion_ulceration")
    }
    items.update(malar_erythema=2, periungual=1, alopecia_recent_hair_loss=0)
    items["gottron_hands_activity"] = 5  # the pre-errata, pre-summed block
    return items


def test_old_shape_cdasi_is_marked_kept_and_read_back(old_engine: sa.Engine) -> None:
    patient = sa.table(
        "patient",
        sa.column("id", sa.Integer),
        sa.column("patient_id", sa.String),
        sa.column("sex", sa.String),
        sa.column("birth_date", sa.Date),
        sa.column("diagnosis", sa.String),
        sa.column("row_version", sa.Integer),
    )
    assessment = sa.table(
        "assessment",
        sa.column("id", sa.Integer),
        sa.column("patient_pk", sa.Integer),
        sa.column("date", sa.Date),
        sa.column("instrument", sa.String),
        sa.column("version", sa.String),
        sa.column("items", sa.JSON),
        sa.column("total", sa.Double),
        sa.column("row_version", sa.Integer),
    )
    old_items = _old_cdasi_items()
    new_items = {"gottron_hands_erythema": 3, "gottron_hands_papules": 1}
    with old_engine.begin() as conn:
        conn.execute(
            sa.insert(patient).values(
                id=1,
                patient_id="P01",
                sex="F",
                birth_date=date(2012, 3, 1),
                diagnosis="JDM",
                row_version=1,
            )
        )
        common = {"patient_pk": 1, "version": "v2 (modified)", "row_version": 1}
        conn.execute(
            sa.insert(assessment),
            [
                {**common, "id": 1, "date": date(2022, 1, 10), "instrument": "cdasi",
                 "items": old_items, "total": 8.0},
                {**common, "id": 2, "date": date(2023, 1, 10), "instrument": "cdasi",
                 "items": new_items, "total": None},
                {**common, "id": 3, "date": date(2022, 1, 10), "instrument": "das",
                 "version": "Bode 2003", "items": {"skin": 3, "muscle": 2}, "total": 5.0},
            ],
        )  # fmt: skip

    upgrade(old_engine)
    assert current_revision(old_engine) != MIGRATION.down_revision

    with transaction(old_engine) as session:
        cohort = load_cohort(session)
    by_key = {(a.date, a.instrument): a for a in cohort.assessments}
    old = by_key[(date(2022, 1, 10), "cdasi")]
    assert old.version == LEGACY_VERSION == MIGRATION.LEGACY_VERSION
    assert dict(old.items) == old_items  # every item kept as stored
    assert old.total == 8.0
    assert by_key[(date(2023, 1, 10), "cdasi")].version == "v2 (modified)"
    assert by_key[(date(2022, 1, 10), "das")].version == "Bode 2003"

    result = score_stored(old.instrument, old.version, old.items)
    assert result.total == 8  # malar 2 + periungual 1 + pre-summed Gottron's hands 5
    assert result.version == LEGACY_VERSION
    assert any("before the December 2026 errata" in a for a in result.assumptions)

    # Downgrade puts the pre-errata version text back (items untouched).
    with old_engine.connect() as conn, conn.begin():
        command.downgrade(alembic_config(conn), MIGRATION.down_revision)
    with old_engine.connect() as conn:
        versions = dict(conn.execute(sa.select(assessment.c.id, assessment.c.version)).all())
    assert versions == {1: "v2 (modified)", 2: "v2 (modified)", 3: "Bode 2003"}
