"""The OMOP export of a registry loads into SQLite and into PostgreSQL through the DDL
generated from OHDSI's specification (NOT NULL, primary keys, foreign keys enforced by
the database), and per patient the measurements, drug exposures and conditions in the
database are the registry's: same counts, same values (the oracle: the registry's own
cohort, read back with `registry.load_cohort`)."""

from __future__ import annotations

import csv
import io
import os
import sqlite3
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from myotrack import registry
from myotrack.cohort import DEMO_FOLDER, read_folder
from myotrack.cohort.writer import cell
from myotrack.domain import Cohort, PartialDate
from myotrack.exchange.omop import create_tables, export_texts, foreign_keys
from myotrack.exchange.omop.cdm import cdm_tables
from myotrack.exchange.omop.export import TABLES, file_name

Facts = dict[str, Counter[tuple[str, ...]]]


@pytest.fixture(scope="module")
def stored(tmp_path_factory: pytest.TempPathFactory) -> Cohort:
    """The demo cohort as the registry holds it after an import."""
    cohort, issues = read_folder(DEMO_FOLDER)
    assert cohort is not None, issues
    path = tmp_path_factory.mktemp("omop") / "registry.db"
    engine = registry.connect(f"sqlite:///{path}")
    registry.upgrade(engine)
    with registry.transaction(engine) as session:
        registry.import_cohort(session, cohort, actor="test", reason="omop")
    with registry.transaction(engine) as session:
        loaded = registry.load_cohort(session)
    engine.dispose()
    return loaded


def _rows(text: str) -> Iterator[list[Any]]:
    reader = csv.reader(io.StringIO(text))
    next(reader)
    for row in reader:
        yield [None if c == "" else c for c in row]


def _expected(cohort: Cohort) -> dict[str, Facts]:
    """Per patient, what the registry says: measurements (source value, date, number or
    value), drug exposures (drug, start, recorded end), conditions (source value)."""
    facts: dict[str, Facts] = {}
    for pid, record in cohort.records().items():
        m: Counter[tuple[str, ...]] = Counter()
        for r in record.labs:
            value = cell(r.value) if r.value is not None else (r.result or "")
            m[(r.analyte, r.date.isoformat(), value)] += 1
        for v in record.visits:
            for name in ("weight_kg", "height_cm", "cmas", "mmt8", "catbm_activity",
                         "catbm_damage", "cdasi_activity", "cdasi_damage", "das_skin",
                         "das_muscle", "phga", "parent_global", "chaq"):  # fmt: skip
                value = getattr(v, name)
                if value is not None:
                    m[(name, v.date.isoformat(), cell(value))] += 1
        d: Counter[tuple[str, ...]] = Counter(
            (c.drug, c.start_date.isoformat(), c.end_date.isoformat() if c.end_date else "")
            for c in record.courses
        )
        conditions: Counter[tuple[str, ...]] = Counter(
            (code,)
            for code in (record.patient.diagnosis, *record.patient.features)
            if code != "none"
        )
        facts[pid] = {"measurement": m, "drug": d, "condition": conditions}
    _expected_v2(cohort, facts)
    return facts


# Numbers of a version 2 record its own OMOP row holds (not a measurement of their own).
_OWN_NUMBERS = {"titre", "dose_number", "grade", "dose", "strength", "duration_months"}


def _expected_v2(cohort: Cohort, facts: dict[str, Facts]) -> None:
    """The registry's cohort format version 2 records, as the export promises them
    (docs/exchange.md): each number of an investigation/oxygen/... record a measurement
    on its date, a pregnancy test a measurement with its result, organ involvement a
    condition, a course with a start and each vaccination a drug exposure; dates known to
    the month or year on the day the analyses impute (`PartialDate.impute`)."""
    cutoff = cohort.effective_cutoff()

    def day(value: Any) -> str:
        return (value.impute(cutoff).day if isinstance(value, PartialDate) else value).isoformat()

    for r in cohort.v2_rows:
        v, f = r.values, facts[r.patient_id]
        when = v.get("decided_on", v.get("date", v.get("onset_date")))
        if r.kind == "organ_involvement":
            f["condition"][(v["organ"],)] += 1
        elif r.kind == "patient_background" and v.get("subtype") == "hypomyopathic":
            f["condition"][("hypomyopathic",)] += 1  # concept 606434 (VERIFIED)
        elif r.kind == "pregnancy_test":
            f["measurement"][("pregnancy_test", day(v["date"]), v["result"])] += 1
        elif r.kind == "vaccination":
            f["drug"][(v["vaccine"], day(v["date"]), day(v["date"]))] += 1
        elif r.kind == "treatment_course" and v.get("start_date") is not None:
            end = v.get("end_date")
            exact = end.isoformat() if isinstance(end, date) else ""
            f["drug"][(v["drug"], day(v["start_date"]), exact)] += 1
        if r.kind.endswith("_detail") or r.kind == "patient_background" or when is None:
            continue
        for name, value in v.items():
            if isinstance(value, int | float) and name not in _OWN_NUMBERS:
                f["measurement"][(f"{r.kind}.{name}", day(when), cell(float(value)))] += 1


_MEASUREMENTS = """
    SELECT p.person_source_value, m.measurement_source_value, m.measurement_date,
           m.value_as_number, m.value_source_value
    FROM measurement m JOIN person p ON p.person_id = m.person_id
    WHERE m.measurement_source_value NOT IN ({antibodies})
"""
_DRUGS = """
    SELECT p.person_source_value, d.drug_source_value, d.drug_exposure_start_date,
           d.verbatim_end_date
    FROM drug_exposure d JOIN person p ON p.person_id = d.person_id
"""
_CONDITIONS = """
    SELECT p.person_source_value, c.condition_source_value
    FROM condition_occurrence c JOIN person p ON p.person_id = c.person_id
"""


def _number(value: Any) -> str:
    return cell(float(value))


def _found(fetch: Any, antibodies: str) -> dict[str, Facts]:
    facts: dict[str, Facts] = {}

    def patient(pid: str) -> Facts:
        return facts.setdefault(pid, {"measurement": Counter(), "drug": Counter(),
                                      "condition": Counter()})  # fmt: skip

    for pid, source, day, number, value in fetch(_MEASUREMENTS.format(antibodies=antibodies)):
        shown = _number(number) if number is not None else (value or "")
        patient(pid)["measurement"][(source, str(day)[:10], shown)] += 1
    for pid, drug, start, end in fetch(_DRUGS):
        patient(pid)["drug"][(drug, str(start)[:10], str(end)[:10] if end else "")] += 1
    for pid, source in fetch(_CONDITIONS):
        patient(pid)["condition"][(source,)] += 1
    return facts


def _antibody_codes() -> str:
    from myotrack.domain.vocab import ANTIBODIES

    return ", ".join(f"'{a}'" for a in ANTIBODIES)


def _compare(stored: Cohort, found: dict[str, Facts]) -> None:
    expected = _expected(stored)
    for pid, facts in expected.items():
        got = found.get(pid, {"measurement": Counter(), "drug": Counter(), "condition": Counter()})
        for kind in ("measurement", "drug", "condition"):
            assert got[kind] == facts[kind], (pid, kind)
    assert set(found) <= set(expected)


def test_loads_into_sqlite_with_every_constraint(stored: Cohort, tmp_path: Path) -> None:
    texts = export_texts(stored)
    con = sqlite3.connect(tmp_path / "omop.db")
    for statement in create_tables("sqlite"):
        con.execute(statement)
    # checked once everything is in: CONCEPT and VOCABULARY refer to each other
    con.execute("PRAGMA foreign_keys = OFF")
    for table in TABLES:
        names = [f.name for f in cdm_tables()[table]]
        marks = ", ".join("?" for _ in names)
        con.executemany(
            f"INSERT INTO {table} ({', '.join(names)}) VALUES ({marks})",
            _rows(texts[file_name(table)]),
        )
    con.commit()
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    for table in TABLES:  # every required field filled (the database said NOT NULL too)
        for f in cdm_tables()[table]:
            if f.required:
                missing = con.execute(f"SELECT count(*) FROM {table} WHERE {f.name} IS NULL")
                assert missing.fetchone() == (0,), (table, f.name)
    count = con.execute("SELECT count(*) FROM person").fetchone()
    assert count == (len(stored.patients),)
    _compare(stored, _found(lambda sql: con.execute(sql).fetchall(), _antibody_codes()))
    con.close()


def test_sqlite_refuses_a_missing_required_field(tmp_path: Path) -> None:
    con = sqlite3.connect(tmp_path / "omop.db")
    for statement in create_tables("sqlite", ("person",)):
        con.execute(statement)
    with pytest.raises(sqlite3.IntegrityError):
        con.execute("INSERT INTO person (person_id, gender_concept_id) VALUES (1, 8532)")


@pytest.mark.postgres
def test_loads_into_postgresql_with_every_constraint(stored: Cohort) -> None:
    url = os.environ.get("MYOTRACK_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("MYOTRACK_TEST_POSTGRES_URL is not set")
    import psycopg

    texts = export_texts(stored)
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as con:
        con.execute("DROP SCHEMA IF EXISTS omop_test CASCADE")
        con.execute("CREATE SCHEMA omop_test")
        con.execute("SET search_path TO omop_test")
        try:
            for statement in create_tables("postgresql"):
                con.execute(statement)
            with con.cursor() as cur:
                for table in TABLES:
                    with cur.copy(f"COPY {table} FROM STDIN (FORMAT csv, HEADER true)") as copy:
                        copy.write(texts[file_name(table)])
            for table in cdm_tables():  # the database checks every foreign key now
                for statement in foreign_keys(table):
                    con.execute(statement)
            for table in TABLES:
                for f in cdm_tables()[table]:
                    if f.required:
                        row = con.execute(
                            f"SELECT count(*) FROM {table} WHERE {f.name} IS NULL"
                        ).fetchone()
                        assert row == (0,), (table, f.name)
            _compare(stored, _found(lambda sql: con.execute(sql).fetchall(), _antibody_codes()))
        finally:
            con.execute("DROP SCHEMA omop_test CASCADE")
