"""Migration v0006_whole_record upgrades a registry without loss: a registry built at the
previous head (v0005) holding data in EVERY table is upgraded, and every row of every table
is still there with every value, the cohort and the audit chain read back the same, and the
new tables take the demo's version 2 records (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine, MetaData, insert, inspect, select

from myotrack.cohort import DEMO_FOLDER, read_folder
from myotrack.cohort.columns_v2 import RECORD_KIND
from myotrack.domain import Cohort
from myotrack.registry import (
    create_user,
    current_revision,
    import_cohort,
    load_cohort,
    transaction,
    upgrade,
)
from myotrack.registry.audit import verify_chain
from myotrack.registry.tables import CLINICAL_IMAGE_TABLE, LOGIN_FAILURE_TABLE
from myotrack.registry.web_sessions import store_session

from .conftest import make_cohort

PREVIOUS = "v0005_clinical_images"
REVISION = "v0006_whole_record"


def _fill_every_table(engine: Engine) -> None:
    with transaction(engine) as s:
        import_cohort(s, make_cohort(), actor="dm", reason="first import")
        create_user(
            s, "nurse", password_hash="$argon2id$x", role="clinician", site="Lund", actor="admin"
        )
        store_session(s, "cookie-value", username="nurse", csrf_token="t" * 32, now=1_700_000_000)
        conn = s.connection()
        conn.execute(
            insert(LOGIN_FAILURE_TABLE).values(
                pair_hash="a" * 64, failures=2, locked_until=0.0, last_failed_at=1.5
            )
        )
        pk = conn.execute(select(1).select_from(CLINICAL_IMAGE_TABLE)).first()
        assert pk is None
        patient_pk = conn.exec_driver_sql("SELECT id FROM patient ORDER BY id").scalars().first()
        conn.execute(
            insert(CLINICAL_IMAGE_TABLE).values(
                patient_pk=patient_pk,
                date=date(2021, 10, 4),
                body_site="hands",
                kind="photograph",
                caption="Gottron papules",
                sha256="b" * 64,
                media_type="image/png",
                width=10,
                height=20,
                byte_size=300,
                consent_clinical_record=True,
                consent_research=False,
                consent_publication=False,
                row_version=1,
            )
        )


def _snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (but alembic_version), in primary-key order."""
    meta = MetaData()
    meta.reflect(engine)
    out: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        for name, table in meta.tables.items():
            if name == "alembic_version":
                continue
            order = list(table.primary_key.columns) or list(table.columns)
            out[name] = [tuple(r) for r in conn.execute(select(table).order_by(*order))]
    return out


def test_upgrading_a_registry_with_data_keeps_every_row(bare_engine: Engine) -> None:
    upgrade(bare_engine, PREVIOUS)
    assert current_revision(bare_engine) == PREVIOUS
    _fill_every_table(bare_engine)
    before = _snapshot(bare_engine)
    empty = [name for name, rows in before.items() if not rows]
    assert empty == [], f"fill these tables too: {empty}"

    upgrade(bare_engine)

    assert current_revision(bare_engine) == REVISION
    after = _snapshot(bare_engine)
    for name, rows in before.items():
        assert after[name] == rows, name  # every row, every value, same ids
    new_tables = set(after) - set(before)
    assert new_tables == set(RECORD_KIND)
    assert all(after[name] == [] for name in new_tables)
    with transaction(bare_engine) as s:
        assert load_cohort(s) == make_cohort()  # what was imported before the upgrade
        report = verify_chain(s)
        assert report.intact, report


def test_the_upgraded_registry_takes_the_version_2_records(bare_engine: Engine) -> None:
    upgrade(bare_engine, PREVIOUS)
    demo, issues = read_folder(DEMO_FOLDER)
    assert demo is not None, issues
    with transaction(bare_engine) as s:  # the version 1 part, as a v0005 registry held it
        import_cohort(
            s,
            Cohort(
                demo.patients,
                demo.visits,
                demo.labs,
                demo.courses,
                demo.events,
                cutoff_date=demo.cutoff_date,
            ),
            actor="dm",
            reason="old import",
        )
    upgrade(bare_engine)
    with transaction(bare_engine) as s:
        summary = import_cohort(s, demo, actor="dm", reason="version 2 folder")
    assert summary["patient"].unchanged == len(demo.patients)
    assert summary["course"].unchanged == len(demo.courses)
    assert sum(summary[k].added for k in RECORD_KIND) == len(demo.v2_rows)
    with transaction(bare_engine) as s:
        assert load_cohort(s) == demo
    assert {c["name"] for c in inspect(bare_engine).get_columns("chest_ct")} >= {
        "date",
        "date_precision",
        "findings",
        "record_key",
        "row_version",
    }
