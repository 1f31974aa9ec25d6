"""Bulk import of a cohort and loading it back, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sqlalchemy import Engine, Table, func, select

from myotrack.domain import Cohort, DrugCourse, Patient, Visit
from myotrack.registry import (
    DuplicateError,
    ImportSummary,
    NotFoundError,
    audit_log,
    import_cohort,
    list_patients,
    load_cohort,
    load_record,
    transaction,
)
from myotrack.registry.tables import AUDIT_TABLE, LAB_TABLE, PATIENT_TABLE, VISIT_TABLE


def _import(engine: Engine, cohort: Cohort, reason: str = "first import") -> ImportSummary:
    with transaction(engine) as session:
        return import_cohort(session, cohort, actor="dm", reason=reason, source="demo/")


def _load(engine: Engine, **filters: list[str]) -> Cohort:
    with transaction(engine) as session:
        return load_cohort(session, **filters)


def _count(engine: Engine, table: Table) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_import_then_load_is_lossless(engine: Engine, cohort: Cohort) -> None:
    summary = _import(engine, cohort)
    assert summary.changed
    assert summary["patient"].added == 2
    assert summary["visit"].added == 3
    assert summary["lab"].added == 4
    assert summary["event"].added == 4
    assert summary.total_rows == 2 + 3 + 4 + 3 + 4 + 2
    loaded = _load(engine)
    for name in ("patients", "visits", "labs", "courses", "events", "assessments"):
        assert getattr(loaded, name) == getattr(cohort, name), name
    assert loaded == cohort
    p1 = loaded.patients[0]
    assert p1.antibodies == ("RO52", "MDA5")
    assert p1.extra == {"x_ward": "B4", "x_note": "fictional"}
    ck = loaded.labs[0]
    assert ck.reported is not None and ck.reported.unit == "ukat/L"
    assert loaded.labs[1].reported is None
    assert loaded.visits[2].cmas is None and loaded.visits[0].rash is True


def test_reimport_changes_nothing_and_writes_no_audit(engine: Engine, cohort: Cohort) -> None:
    _import(engine, cohort)
    audit_rows = _count(engine, AUDIT_TABLE)
    again = _import(engine, cohort, reason="again")
    assert not again.changed
    assert again.import_id is None
    assert all(c.added == 0 and c.updated == 0 for c in again.tables.values())
    assert again["lab"].unchanged == 4
    assert _count(engine, AUDIT_TABLE) == audit_rows
    assert _load(engine) == cohort


def test_import_writes_one_import_event_and_links_inserted_rows(
    engine: Engine, cohort: Cohort
) -> None:
    summary = _import(engine, cohort)
    with transaction(engine) as session:
        entries = audit_log(session)
        assert [e.action for e in entries] == ["insert", "import"]  # the cut-off setting
        imp = entries[1]
        assert imp.id == summary.import_id
        assert imp.actor == "dm" and imp.reason == "first import"
        assert imp.new is not None and imp.new["source"] == "demo/"
        assert imp.new["counts"]["lab"]["added"] == 4
        assert imp.at.tzinfo is not None
        links = session.connection().execute(select(LAB_TABLE.c.created_by_audit_id)).scalars()
        assert set(links) == {summary.import_id}


def test_changed_value_is_updated_with_audit_of_old_and_new(engine: Engine, cohort: Cohort) -> None:
    _import(engine, cohort)
    v0 = cohort.visits[0]
    changed = dataclasses.replace(
        cohort,
        visits=(dataclasses.replace(v0, cmas=22, extra={}), *cohort.visits[1:]),
        patients=(dataclasses.replace(cohort.patients[0], site="Malmö"), cohort.patients[1]),
    )
    summary = _import(engine, changed, reason="corrected CMAS")
    assert summary.changed
    assert summary["visit"].updated == 1 and summary["visit"].unchanged == 2
    assert summary["patient"].updated == 1
    assert summary["lab"].unchanged == 4 and summary["lab"].added == 0
    assert _load(engine) == changed
    with transaction(engine) as session:
        visit_audit = audit_log(session, table="visit")
        assert len(visit_audit) == 1
        entry = visit_audit[0]
        assert entry.action == "update"
        assert entry.record == "P01 | 2021-10-04"
        assert entry.patient_id == "P01"
        assert entry.old == {"cmas": 20, "extra": {"x_ward": "B4"}}
        assert entry.new == {"cmas": 22, "extra": None}
        assert entry.reason == "corrected CMAS"
        assert entry.import_id == summary.import_id
        (patient_entry,) = audit_log(session, table="patient")
        assert patient_entry.old == {"site": "Lund"} and patient_entry.new == {"site": "Malmö"}
        rows = session.connection().execute(
            select(VISIT_TABLE.c.row_version).order_by(VISIT_TABLE.c.id)
        )
        assert list(rows.scalars()) == [2, 1, 1]


def test_rows_absent_from_the_folder_are_kept(engine: Engine, cohort: Cohort) -> None:
    _import(engine, cohort)
    smaller = dataclasses.replace(cohort, visits=cohort.visits[:1], labs=(), cutoff_date=None)
    summary = _import(engine, smaller)
    assert not summary.changed
    assert _load(engine) == cohort


def test_new_rows_are_added_to_existing_patients(engine: Engine, cohort: Cohort) -> None:
    _import(engine, cohort)
    extra_visit = Visit("P02", date(2021, 6, 1), cmas=40)
    extra_patient = Patient("P03", "F", date(2015, 1, 15), "JDM", site="Oslo")
    bigger = dataclasses.replace(
        cohort,
        patients=(*cohort.patients, extra_patient),
        visits=(*cohort.visits, extra_visit, Visit("P03", date(2022, 1, 1))),
    )
    summary = _import(engine, bigger)
    assert summary["patient"].added == 1 and summary["patient"].unchanged == 2
    assert summary["visit"].added == 2 and summary["visit"].unchanged == 3
    assert _load(engine) == bigger


def test_failed_import_leaves_nothing(engine: Engine, cohort: Cohort) -> None:
    with pytest.raises(RuntimeError), transaction(engine) as session:
        import_cohort(session, cohort, actor="dm", reason="r")
        raise RuntimeError("disk full")
    for table in (PATIENT_TABLE, VISIT_TABLE, LAB_TABLE, AUDIT_TABLE):
        assert _count(engine, table) == 0
    assert _load(engine) == Cohort()


def test_duplicate_natural_key_in_the_cohort_is_refused(engine: Engine, cohort: Cohort) -> None:
    twice = dataclasses.replace(cohort, courses=(*cohort.courses, cohort.courses[0]))
    with pytest.raises(DuplicateError, match="course"), transaction(engine) as session:
        import_cohort(session, twice, actor="dm", reason="r")
    assert _count(engine, PATIENT_TABLE) == 0


def test_event_without_detail_is_one_key(engine: Engine, cohort: Cohort) -> None:
    event = cohort.events[0]
    assert event.detail is None
    twice = dataclasses.replace(cohort, events=(*cohort.events, event))
    with pytest.raises(DuplicateError), transaction(engine) as session:
        import_cohort(session, twice, actor="dm", reason="r")


def test_unknown_patient_is_refused(engine: Engine, cohort: Cohort) -> None:
    orphan = DrugCourse("P99", "tofacitinib", date(2021, 1, 1))
    bad = dataclasses.replace(cohort, courses=(*cohort.courses, orphan))
    with pytest.raises(NotFoundError, match="P99"), transaction(engine) as session:
        import_cohort(session, bad, actor="dm", reason="r")
    assert _count(engine, PATIENT_TABLE) == 0


def test_progress_is_reported_up_to_the_total(engine: Engine, cohort: Cohort) -> None:
    calls: list[tuple[int, int]] = []
    with transaction(engine) as session:
        summary = import_cohort(
            session, cohort, actor="dm", reason="r", progress=lambda d, t: calls.append((d, t))
        )
    assert calls, "progress was never called"
    assert calls[-1] == (summary.total_rows, summary.total_rows)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


def test_load_filters_by_site_and_patient(engine: Engine, cohort: Cohort) -> None:
    _import(engine, cohort)
    lund = _load(engine, sites=["Lund"])
    assert [p.patient_id for p in lund.patients] == ["P01"]
    assert {v.patient_id for v in lund.visits} == {"P01"}
    assert {c.patient_id for c in lund.courses} == {"P01"}
    only_p2 = _load(engine, patient_ids=["P02"])
    assert [p.patient_id for p in only_p2.patients] == ["P02"]
    assert only_p2.labs == (cohort.labs[3],)
    assert _load(engine, sites=["Nowhere"]).visits == ()
    with transaction(engine) as session:
        record = load_record(session, "P01")
        assert record is not None
        assert [v.date for v in record.visits] == [date(2021, 10, 4), date(2022, 4, 4)]
        assert record.index_date == date(2021, 10, 7)
        assert len(record.assessments) == 2
        assert load_record(session, "P77") is None
        assert [p.patient_id for p in list_patients(session)] == ["P01", "P02"]
        assert [p.patient_id for p in list_patients(session, sites=["Lund"])] == ["P01"]


def test_duplicate_key_matching_a_stored_row_is_refused(engine: Engine, cohort: Cohort) -> None:
    _import(engine, cohort)
    changed_copy = dataclasses.replace(cohort.visits[0], cmas=1)
    twice = dataclasses.replace(cohort, visits=(*cohort.visits, changed_copy))
    with pytest.raises(DuplicateError, match=r"P01 \| 2021-10-04"), transaction(engine) as s:
        import_cohort(s, twice, actor="dm", reason="r")
    assert _load(engine) == cohort


def test_plain_core_insert_path_is_lossless(
    engine: Engine, cohort: Cohort, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The path for drivers without a fast path (on PostgreSQL, pretend psycopg has no
    COPY) stores the same rows."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite always takes its own fast path")
    monkeypatch.setattr(engine.dialect, "driver", "another")
    _import(engine, cohort)
    assert _load(engine) == cohort
