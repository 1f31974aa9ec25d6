"""Record-level writes (the web app's path): create, update, stale edits, retire."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sqlalchemy import Engine, select

from myotrack.cohort.columns_v2 import RECORD_KIND
from myotrack.domain import Assessment, Cohort, DrugCourse, Event, LabResult, Patient, Visit
from myotrack.registry import (
    DuplicateError,
    InvalidValueError,
    NotFoundError,
    StaleEditError,
    audit_log,
    import_cohort,
    load_cohort,
    load_record,
    retire,
    row_versions,
    save_course,
    save_event,
    save_lab,
    save_patient,
    save_visit,
    transaction,
)
from myotrack.registry.tables import EVENT_TABLE, VISIT_TABLE

PATIENT = Patient("W01", "F", date(2013, 5, 15), "JDM", antibodies=("NXP2",), site="Lund")


def _create_patient(engine: Engine) -> None:
    with transaction(engine) as s:
        assert save_patient(s, PATIENT, expected_version=None, actor="nurse", reason="new") == 1


def test_create_and_update_a_patient(engine: Engine) -> None:
    _create_patient(engine)
    changed = dataclasses.replace(PATIENT, features=("ILD",), site="Malmö")
    with transaction(engine) as s:
        assert save_patient(s, changed, expected_version=1, actor="nurse", reason="ILD") == 2
    with transaction(engine) as s:
        assert load_cohort(s).patients == (changed,)
        update, insert = audit_log(s, table="patient")
        assert insert.action == "insert" and insert.old is None
        assert insert.new is not None and insert.new["birth_date"] == "2013-05-15"
        assert insert.record == "W01" and insert.reason == "new"
        assert update.action == "update"
        assert update.old == {"features": None, "site": "Lund"}
        assert update.new == {"features": ["ILD"], "site": "Malmö"}
        assert update.actor == "nurse" and update.reason == "ILD"


def test_creating_an_existing_record_is_a_duplicate(engine: Engine) -> None:
    _create_patient(engine)
    with pytest.raises(DuplicateError), transaction(engine) as s:
        save_patient(s, PATIENT, expected_version=None, actor="nurse", reason="again")
    visit = Visit("W01", date(2022, 1, 3), cmas=30)
    with transaction(engine) as s:
        save_visit(s, visit, expected_version=None, actor="nurse", reason="visit")
    with pytest.raises(DuplicateError, match="visit"), transaction(engine) as s:
        save_visit(s, visit, expected_version=None, actor="nurse", reason="visit")


def test_stale_edit_is_refused_and_changes_nothing(engine: Engine) -> None:
    _create_patient(engine)
    visit = Visit("W01", date(2022, 1, 3), cmas=30)
    with transaction(engine) as s:
        save_visit(s, visit, expected_version=None, actor="a", reason="r")
    # Two people open version 1; the first saves, the second must be refused.
    with transaction(engine) as s:
        v = save_visit(
            s, dataclasses.replace(visit, cmas=31), expected_version=1, actor="a", reason="first"
        )
        assert v == 2
    with pytest.raises(StaleEditError, match="version 2"), transaction(engine) as s:
        save_visit(
            s, dataclasses.replace(visit, cmas=12), expected_version=1, actor="b", reason="second"
        )
    with transaction(engine) as s:
        record = load_record(s, "W01")
        assert record is not None and record.visits[0].cmas == 31
        assert [e.reason for e in audit_log(s, table="visit")] == ["first", "r"]


def test_saving_equal_values_writes_nothing(engine: Engine) -> None:
    _create_patient(engine)
    with transaction(engine) as s:
        before = len(audit_log(s))
        assert save_patient(s, PATIENT, expected_version=1, actor="a", reason="no-op") == 1
        assert len(audit_log(s)) == before


def test_unknown_patient_or_record_is_not_found(engine: Engine) -> None:
    with pytest.raises(NotFoundError, match="W01"), transaction(engine) as s:
        save_lab(
            s,
            LabResult("W01", date(2022, 1, 1), "CK", value=100, unit="U/L"),
            expected_version=None,
            actor="a",
            reason="r",
        )
    _create_patient(engine)
    with pytest.raises(NotFoundError), transaction(engine) as s:
        save_event(
            s, Event("W01", date(2022, 1, 1), "relapse"), expected_version=3, actor="a", reason="r"
        )


def test_all_kinds_round_trip_with_versions(engine: Engine) -> None:
    _create_patient(engine)
    lab = LabResult("W01", date(2022, 1, 3), "CK", value=600.0, unit="U/L", ref_high=200.0)
    course = DrugCourse(
        "W01",
        "tofacitinib",
        date(2022, 1, 10),
        dose=5,
        dose_unit="mg",
        frequency="BID",
        route="oral",
    )
    event = Event("W01", date(2022, 2, 1), "rash_improving")
    visit = Visit("W01", date(2022, 1, 3), cmas=30, rash=True)
    cmas = Assessment("W01", date(2022, 1, 3), "cmas", {"head_elevation": 3.0}, total=30)
    with transaction(engine) as s:
        save_lab(s, lab, expected_version=None, actor="a", reason="r")
        save_course(s, course, expected_version=None, actor="a", reason="r")
        save_event(s, event, expected_version=None, actor="a", reason="r")
        save_visit(s, visit, expected_version=None, actor="a", reason="r", assessments=[cmas])
    with transaction(engine) as s:
        stopped = dataclasses.replace(course, end_date=date(2022, 6, 1), stop_reason="remission")
        assert save_course(s, stopped, expected_version=1, actor="a", reason="stop") == 2
        versions = row_versions(s, "W01")
    # the cohort format version 2 kinds are listed too, empty for this patient
    assert all(not versions.pop(name) for name in RECORD_KIND)
    assert versions == {
        "patient": {("W01",): 1},
        "visit": {("W01", date(2022, 1, 3)): 1},
        "lab": {("W01", date(2022, 1, 3), "CK"): 1},
        "course": {("W01", "tofacitinib", date(2022, 1, 10)): 2},
        "event": {("W01", date(2022, 2, 1), "rash_improving", None): 1},
        "assessment": {("W01", date(2022, 1, 3), "cmas"): 1},
    }
    with transaction(engine) as s:
        record = load_record(s, "W01")
    assert record is not None
    assert record.labs == (lab,) and record.courses == (stopped,) and record.events == (event,)
    assert record.visits == (visit,) and record.assessments == (cmas,)


def test_assessments_are_updated_with_their_visit(engine: Engine) -> None:
    _create_patient(engine)
    visit = Visit("W01", date(2022, 1, 3), cmas=30)
    cmas = Assessment("W01", date(2022, 1, 3), "cmas", {"head_elevation": 3.0}, total=30)
    with transaction(engine) as s:
        save_visit(s, visit, expected_version=None, actor="a", reason="r", assessments=[cmas])
    better = dataclasses.replace(cmas, items={"head_elevation": 4.0}, total=31)
    with transaction(engine) as s:
        save_visit(
            s,
            dataclasses.replace(visit, cmas=31),
            expected_version=1,
            actor="a",
            reason="rescored",
            assessments=[better],
        )
        (entry, *_) = audit_log(s, table="assessment")
        assert entry.old == {"items": {"head_elevation": 3.0}, "total": 30}
        assert load_cohort(s).assessments == (better,)
    other_day = dataclasses.replace(cmas, date=date(2022, 1, 4))
    with pytest.raises(InvalidValueError), transaction(engine) as s:
        save_visit(s, visit, expected_version=2, actor="a", reason="r", assessments=[other_day])


def test_retire_hides_the_record_and_audits_it(engine: Engine, cohort: Cohort) -> None:
    with transaction(engine) as s:
        import_cohort(s, cohort, actor="dm", reason="import")
    visit = cohort.visits[0]
    with pytest.raises(StaleEditError), transaction(engine) as s:
        retire(s, "visit", ("P01", visit.date), expected_version=7, actor="dm", reason="wrong")
    with transaction(engine) as s:
        retire(
            s,
            "visit",
            ("P01", visit.date.isoformat()),
            expected_version=1,
            actor="dm",
            reason="entered twice",
        )
    with transaction(engine) as s:
        assert visit not in load_cohort(s).visits
        assert ("P01", visit.date) not in row_versions(s, "P01")["visit"]
        (entry,) = audit_log(s, table="visit")
        assert entry.action == "retire" and entry.reason == "entered twice"
        assert entry.old is not None and entry.old["cmas"] == 20
        assert entry.new is not None and "retired_at" in entry.new
        # The row is still there (never hard-deleted), only marked.
        rows = s.connection().execute(select(VISIT_TABLE.c.retired_at)).scalars().all()
        assert len(rows) == 3 and sum(r is not None for r in rows) == 1
    with pytest.raises(NotFoundError), transaction(engine) as s:
        retire(s, "visit", ("P01", visit.date), expected_version=2, actor="dm", reason="again")
    # Re-importing the folder does not bring the retired visit back.
    with transaction(engine) as s:
        summary = import_cohort(s, cohort, actor="dm", reason="re-import")
        assert not summary.changed and summary["visit"].skipped_retired == 1
        assert visit not in load_cohort(s).visits


def test_retire_event_without_detail_and_a_patient(engine: Engine, cohort: Cohort) -> None:
    with transaction(engine) as s:
        import_cohort(s, cohort, actor="dm", reason="import")
    event = cohort.events[0]
    with transaction(engine) as s:
        retire(
            s,
            "event",
            ("P01", event.date, event.event, None),
            expected_version=1,
            actor="dm",
            reason="duplicate",
        )
        retired = (
            s.connection()
            .execute(select(EVENT_TABLE.c.event).where(EVENT_TABLE.c.retired_at.is_not(None)))
            .scalars()
            .all()
        )
        assert retired == ["rash_improving"]
        retire(s, "patient", ("P02",), expected_version=1, actor="dm", reason="withdrew")
    with transaction(engine) as s:
        loaded = load_cohort(s)
        assert [p.patient_id for p in loaded.patients] == ["P01"]
        assert {v.patient_id for v in loaded.visits} == {"P01"}
        assert {lab.patient_id for lab in loaded.labs} == {"P01"}
        assert load_record(s, "P02") is None
        with pytest.raises(NotFoundError):
            row_versions(s, "P02")
    with pytest.raises(InvalidValueError), transaction(engine) as s:
        retire(s, "vists", ("P01",), expected_version=1, actor="dm", reason="typo")


# ---------------------------------------------------------------- corrections


def _audit_of(engine: Engine, table: str) -> list[object]:
    with transaction(engine) as s:
        return list(audit_log(s, table=table))


def test_a_lab_date_and_analyte_change_is_an_audited_edit(engine: Engine, cohort: Cohort) -> None:
    with transaction(engine) as s:
        import_cohort(s, cohort, actor="dm", reason="import")
    ck = next(lab for lab in cohort.labs if lab.analyte == "CK")
    moved = dataclasses.replace(ck, date=date(2021, 10, 5), analyte="LDH")
    old_key = ("P01", ck.date.isoformat(), "CK")
    with pytest.raises(StaleEditError), transaction(engine) as s:
        save_lab(s, moved, expected_version=9, actor="dm", reason="typo", replaces=old_key)
    with transaction(engine) as s:
        version = save_lab(
            s, moved, expected_version=1, actor="dm", reason="typo", replaces=old_key
        )
        assert version == 2
    with transaction(engine) as s:
        labs = load_cohort(s).labs
        assert moved in labs and ck not in labs
        assert row_versions(s, "P01")["lab"][("P01", moved.date, "LDH")] == 2
        (entry,) = audit_log(s, table="lab")
        assert entry.action == "update" and entry.reason == "typo"
        assert entry.old == {"date": "2021-10-04", "analyte": "CK"}
        assert entry.new == {"date": "2021-10-05", "analyte": "LDH"}
        assert entry.record == "P01 | 2021-10-05 | LDH"
        # reported value and extras rode along untouched
        (stored,) = [lab for lab in labs if lab.analyte == "LDH" and lab.patient_id == "P01"]
        assert stored.reported == ck.reported


def test_a_key_change_onto_a_taken_key_is_refused(engine: Engine, cohort: Cohort) -> None:
    with transaction(engine) as s:
        import_cohort(s, cohort, actor="dm", reason="import")
    ck = next(lab for lab in cohort.labs if lab.analyte == "CK")
    ifn = next(lab for lab in cohort.labs if lab.analyte == "IFN_score")
    onto = dataclasses.replace(ifn, analyte="CK")  # same date as the CK
    with pytest.raises(DuplicateError, match="already exists"), transaction(engine) as s:
        save_lab(s, onto, expected_version=1, actor="dm", reason="r", replaces=key_of(ifn))
    # A retracted record holds its key too: the message says so.
    with transaction(engine) as s:
        retire(s, "lab", key_of(ck), expected_version=1, actor="dm", reason="wrong")
    with pytest.raises(DuplicateError, match="retracted"), transaction(engine) as s:
        save_lab(s, onto, expected_version=1, actor="dm", reason="r", replaces=key_of(ifn))
    with transaction(engine) as s:
        assert ifn in load_cohort(s).labs  # nothing changed


def key_of(lab: LabResult) -> tuple[object, ...]:
    return (lab.patient_id, lab.date, lab.analyte)


def test_moving_a_visit_moves_its_assessments(engine: Engine) -> None:
    _create_patient(engine)
    visit = Visit("W01", date(2022, 1, 3), cmas=30, extra={"x_room": "4"})
    cmas = Assessment("W01", date(2022, 1, 3), "cmas", {"a": 1.0}, total=30)
    with transaction(engine) as s:
        save_visit(s, visit, expected_version=None, actor="a", reason="r", assessments=[cmas])
    moved = dataclasses.replace(visit, date=date(2022, 1, 4))
    with transaction(engine) as s:
        save_visit(
            s, moved, expected_version=1, actor="a", reason="date", replaces=("W01", "2022-01-03")
        )
    with transaction(engine) as s:
        loaded = load_cohort(s)
        assert loaded.visits == (moved,)
        assert loaded.visits[0].extra == {"x_room": "4"}
        assert loaded.assessments == (dataclasses.replace(cmas, date=date(2022, 1, 4)),)
        moves = [e for e in audit_log(s) if e.action == "update"]
        assert {e.table for e in moves} == {"visit", "assessment"}
        assert all(e.old == {"date": "2022-01-03"} for e in moves)


def test_a_pseudonym_never_changes_and_a_key_change_needs_a_version(engine: Engine) -> None:
    _create_patient(engine)
    visit = Visit("W01", date(2022, 1, 3), cmas=30)
    with transaction(engine) as s:
        save_visit(s, visit, expected_version=None, actor="a", reason="r")
    with pytest.raises(InvalidValueError), transaction(engine) as s:
        save_visit(
            s, visit, expected_version=None, actor="a", reason="r", replaces=("W01", "2022-01-02")
        )


def test_re_entering_a_retracted_record_brings_the_row_back(engine: Engine) -> None:
    _create_patient(engine)
    course = DrugCourse("W01", "tofacitinib", date(2022, 2, 1), dose=5, dose_unit="mg")
    with transaction(engine) as s:
        save_course(s, course, expected_version=None, actor="a", reason="new")
        retire(
            s,
            "course",
            ("W01", "tofacitinib", "2022-02-01"),
            expected_version=1,
            actor="a",
            reason="wrong dose",
        )
    right = dataclasses.replace(course, dose=2.5)
    with transaction(engine) as s:
        assert save_course(s, right, expected_version=None, actor="a", reason="again") == 3
    with transaction(engine) as s:
        assert load_cohort(s).courses == (right,)
        entry = audit_log(s, table="course")[0]
        assert entry.action == "insert" and entry.old is not None
        assert entry.old["dose"] == 5 and "retired_at" in entry.old
        assert entry.new is not None and entry.new["dose"] == 2.5
    # A retracted patient is not re-used by a new entry: an admin restores it.
    with transaction(engine) as s:
        retire(s, "patient", ("W01",), expected_version=1, actor="a", reason="withdrew")
    with pytest.raises(DuplicateError, match="restore"), transaction(engine) as s:
        save_patient(s, PATIENT, expected_version=None, actor="a", reason="again")


def test_restore_brings_back_a_record_and_is_audited(engine: Engine, cohort: Cohort) -> None:
    from myotrack.registry import restore, retired_records

    with transaction(engine) as s:
        import_cohort(s, cohort, actor="dm", reason="import")
        save_visit(
            s,
            dataclasses.replace(cohort.visits[0]),
            expected_version=1,
            actor="dm",
            reason="r",
            assessments=[Assessment("P01", cohort.visits[0].date, "cmas", {"a": 2.0}, total=20)],
        )
    visit = cohort.visits[0]
    with transaction(engine) as s:
        retire(s, "visit", ("P01", visit.date), expected_version=1, actor="dm", reason="wrong")
    with transaction(engine) as s:
        # the assessment left with its visit
        assert all(a.date != visit.date for a in load_cohort(s).assessments)
        (listed,) = [r for r in retired_records(s) if r.kind == "visit"]
        assert listed.key == ("P01", visit.date) and listed.values["cmas"] == 20
        assert {r.kind for r in retired_records(s)} == {"visit", "assessment"}
    with pytest.raises(StaleEditError), transaction(engine) as s:
        restore(s, "visit", listed.key, expected_version=1, actor="admin", reason="r")
    with transaction(engine) as s:
        assert (
            restore(
                s,
                "visit",
                listed.key,
                expected_version=listed.version,
                actor="admin",
                reason="was right",
            )
            == 3
        )
    with transaction(engine) as s:
        loaded = load_cohort(s)
        assert visit in loaded.visits
        assert [a.instrument for a in loaded.assessments if a.date == visit.date] == ["cmas"]
        assert retired_records(s) == []
        entry = audit_log(s, table="visit")[0]
        assert entry.action == "restore" and entry.reason == "was right"
        assert entry.new == {"retired_at": None}
    with pytest.raises(NotFoundError), transaction(engine) as s:
        restore(s, "visit", listed.key, expected_version=3, actor="admin", reason="again")
    # A retracted patient comes back with all of their records.
    with transaction(engine) as s:
        before = load_cohort(s)
        retire(s, "patient", ("P02",), expected_version=1, actor="dm", reason="withdrew")
        (patient,) = retired_records(s)
        assert patient.kind == "patient" and patient.key == ("P02",)
        restore(s, "patient", ("P02",), expected_version=2, actor="admin", reason="consented")
        assert load_cohort(s) == before


def test_an_event_without_detail_gets_one_and_collisions_count_no_detail_as_one(
    engine: Engine,
) -> None:
    _create_patient(engine)
    bare = Event("W01", date(2022, 3, 1), "infection")
    with transaction(engine) as s:
        save_event(s, bare, expected_version=None, actor="a", reason="r")
    detailed = dataclasses.replace(bare, detail="EBV", grade=2)
    with transaction(engine) as s:
        # The key as forms send it: an empty detail is no detail.
        key = ("W01", "2022-03-01", "infection", "")
        assert save_event(s, detailed, expected_version=1, actor="a", reason="r", replaces=key) == 2
    with transaction(engine) as s:
        save_event(s, bare, expected_version=None, actor="a", reason="again")
    with pytest.raises(DuplicateError), transaction(engine) as s:
        save_event(
            s,
            dataclasses.replace(detailed, detail=None),
            expected_version=2,
            actor="a",
            reason="r",
            replaces=("W01", date(2022, 3, 1), "infection", "EBV"),
        )
    with transaction(engine) as s:
        assert sorted((e.detail or "") for e in load_cohort(s).events) == ["", "EBV"]
