"""The registry keeps the cohort format version 2 records: the demo's v2 folder imports,
loads back equal, exports as a v2 folder that re-imports with nothing changed; one record is
saved, edited (audited, versioned), refused when stale or taken, retracted and restored
through the repository functions; partial dates keep their precision."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from myotrack.cohort import DEMO_FOLDER, read_folder, write_folder
from myotrack.domain import Cohort, PartialDate, RecordRow
from myotrack.registry import (
    import_cohort,
    load_cohort,
    load_whole_record,
    restore,
    retire,
    row_versions,
    save_record,
    transaction,
)
from myotrack.registry.errors import DuplicateError, InvalidValueError, StaleEditError
from myotrack.registry.tables import AUDIT_TABLE


@pytest.fixture(scope="module")
def demo() -> Cohort:
    cohort, issues = read_folder(DEMO_FOLDER)
    assert cohort is not None, issues
    assert cohort.v2_rows
    return cohort


def test_a_version_2_cohort_round_trips_through_the_registry(
    engine: Engine, demo: Cohort, tmp_path: Path
) -> None:
    with transaction(engine) as s:
        import_cohort(s, demo, actor="dm", reason="demo")
    with transaction(engine) as s:
        loaded = load_cohort(s)
    assert loaded == demo
    write_folder(loaded, tmp_path / "export")
    again, issues = read_folder(tmp_path / "export")
    assert again is not None, issues
    with transaction(engine) as s:
        summary = import_cohort(s, again, actor="dm", reason="re-import of the export")
    assert not summary.changed  # "Nothing changed"
    assert summary.import_id is None


def test_the_whole_record_of_the_demo_child_comes_from_the_registry(
    engine: Engine, demo: Cohort
) -> None:
    with transaction(engine) as s:
        import_cohort(s, demo, actor="dm", reason="demo")
        whole = load_whole_record(s, "MDA5-case")
    assert whole is not None
    assert whole.organ_on("ILD", whole.base.courses[0].start_date) == "no"
    ild = [i for i in whole.involvement if i.organ == "ILD"]
    assert ild[0].onset == PartialDate(2021, 9) and ild[0].onset.precision == "month"
    assert whole.background is not None and whole.background.subtype == "hypomyopathic"


def _ct(change: str) -> RecordRow:
    return RecordRow(
        "chest_ct",
        "P01",
        {"date": PartialDate(2021, 11), "findings": ("ground_glass_opacity",), "change": change},
    )


def test_save_edit_retract_restore_one_record(engine: Engine, cohort: Cohort) -> None:
    with transaction(engine) as s:
        import_cohort(s, cohort, actor="dm", reason="setup")
    with transaction(engine) as s:
        assert save_record(s, _ct("improved"), expected_version=None, actor="dr", reason="new") == 1
    with pytest.raises(DuplicateError), transaction(engine) as s:
        save_record(s, _ct("stable"), expected_version=None, actor="dr", reason="again")
    with transaction(engine) as s:
        version = save_record(s, _ct("stable"), expected_version=1, actor="dr", reason="typo")
    assert version == 2
    with pytest.raises(StaleEditError), transaction(engine) as s:
        save_record(s, _ct("progressed"), expected_version=1, actor="dr", reason="late")
    with transaction(engine) as s:
        key = ("P01", "2021-11")
        assert row_versions(s, "P01")["chest_ct"] == {key: 2}
        rows = s.execute(
            select(AUDIT_TABLE.c.action, AUDIT_TABLE.c.old_value, AUDIT_TABLE.c.new_value).where(
                AUDIT_TABLE.c.table_name == "chest_ct"
            )
        ).all()
    assert [r[0] for r in rows] == ["insert", "update"]
    assert rows[1][1] == {"change": "improved"} and rows[1][2] == {"change": "stable"}
    assert rows[0][2]["date"] == "2021-11-01" and rows[0][2]["date_precision"] == "month"
    with transaction(engine) as s:
        retire(s, "chest_ct", key, expected_version=2, actor="dr", reason="wrong patient")
    with transaction(engine) as s:
        assert [r for r in load_cohort(s).v2_rows if r.kind == "chest_ct"] == []
        restore(s, "chest_ct", key, expected_version=3, actor="admin", reason="was right")
    with transaction(engine) as s:
        (back,) = [r for r in load_cohort(s).v2_rows if r.kind == "chest_ct"]
    assert back == _ct("stable")


def test_a_record_of_an_unknown_kind_is_refused(engine: Engine) -> None:
    with pytest.raises(InvalidValueError), transaction(engine) as s:
        save_record(s, RecordRow("visit", "P01", {}), expected_version=None, actor="dr", reason="x")
