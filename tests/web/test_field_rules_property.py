"""One rule per field, proved: the folder reader and the API give the same verdict.

* Every field's boundary values (range ends and just beyond, whole numbers, text lengths,
  vocabularies, dates around today and the birth date) go through the cohort folder
  reader and the JSON API: both accept, or both refuse with the same rule names.
* Property (hypothesis): any lab or course row the importer refuses, the API refuses with
  the same rule names; any the API accepts is exported and imported back unchanged.

The oracle is the other entry path: neither verdict is written down here.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from myotrack.cohort import read_folder, write_folder
from myotrack.cohort.cells import CellError, parse_number
from myotrack.cohort.columns import COLUMNS, Column
from myotrack.domain import Cohort, Patient, PatientRecord, vocab
from myotrack.domain import units as unit_table
from myotrack.web import schemas, services

Clients = Callable[[str | None], TestClient]
TODAY = date.today()
BIRTH = date(2014, 5, 1)  # EMPTY-A of tests/web/conftest.py, a girl
PATIENT_ROW = "patient_id,sex,birth_date,diagnosis\nP1,F,2014-05-01,JDM\n"
Verdict = tuple[bool, frozenset[str]]


@dataclass(frozen=True)
class Case:
    file: str
    column: str
    value: Any  # JSON value (str, number or None)


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}" if value != int(value) or abs(value) < 1e15 else repr(value)
    return str(value)


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


# The base record of each file: valid, on day `n` (to keep keys apart), as CSV and JSON.
def _base(file: str, n: int) -> dict[str, Any]:
    day = (date(2020, 1, 1) + timedelta(days=n)).isoformat()
    if file == "patients.csv":
        return {"patient_id": f"B{n}", "sex": "F", "birth_date": "2014-05-01", "diagnosis": "JDM"}
    if file == "visits.csv":
        return {"date": day}
    if file == "labs.csv":
        return {"date": day, "analyte": "CK", "value": 120.0, "unit": "U/L"}
    if file == "treatments.csv":
        return {"drug": "prednisolone", "start_date": day, "dose": 5.0, "dose_unit": "mg"}
    return {"date": day, "event": "relapse"}


_SCORES = {m.name for m in vocab.VISIT_MEASURE_TABLE if m.unit is None}


def _folder_verdict(tmp: Path, file: str, record: dict[str, Any]) -> Verdict:
    folder = tmp / f"f{len(list(tmp.iterdir()))}"
    folder.mkdir()
    if file == "patients.csv":
        header, row = list(record), [_csv_text(v) for v in record.values()]
    else:
        (folder / "patients.csv").write_text(PATIENT_ROW)
        header = ["patient_id", *record]
        row = ["P1", *(_csv_text(v) for v in record.values())]
    text = ",".join(header) + "\n" + ",".join(_quoted(c) for c in row) + "\n"
    (folder / file).write_text(text, encoding="utf-8")
    cohort, issues = read_folder(folder, today=TODAY)
    return cohort is not None, frozenset(i.rule for i in issues)


_PATHS = {
    "patients.csv": "/api/patients",
    "visits.csv": "/api/patients/EMPTY-A/visits",
    "labs.csv": "/api/patients/EMPTY-A/labs",
    "treatments.csv": "/api/patients/EMPTY-A/courses",
    "events.csv": "/api/patients/EMPTY-A/events",
}


def _api_verdict(client: TestClient, file: str, record: dict[str, Any]) -> Verdict:
    body = {k: v for k, v in record.items() if v is not None or k in ("weight_kg",)}
    if file == "visits.csv":
        totals = {k: body.pop(k) for k in list(body) if k in _SCORES}
        body["totals"] = totals
    r = client.post(
        _PATHS[file], content=json.dumps(body), headers={"Content-Type": "application/json"}
    )
    assert r.status_code in (200, 201, 422), (file, body, r.status_code, r.text)
    if r.status_code in (200, 201):
        return True, frozenset()
    return False, frozenset(e["rule"] for e in r.json()["errors"])


def _boundaries(column: Column) -> Iterator[Any]:
    if column.kind in ("number", "integer"):
        for bound in (column.min, column.max):
            if bound is None:
                continue
            yield float(bound)
            yield float(bound) - 0.5
            yield float(bound) + 0.5
        yield "nan"
        yield "1,5"
    elif column.kind == "date":
        yield TODAY.isoformat()
        yield (TODAY + timedelta(days=1)).isoformat()
        yield BIRTH.isoformat()
        yield (BIRTH - timedelta(days=1)).isoformat()
        yield "2021-02-30"
    elif column.kind in ("choice", "choices"):
        yield column.choices[0]
        yield column.choices[-1]
        yield "bogus"
    elif column.kind == "text" and column.max_length is not None:
        yield "a" * column.max_length
        yield "a" * (column.max_length + 1)
    elif column.kind == "drug":
        yield "co-trimoxazole"
        yield "ruxolitnib"


_API_FIELDS: dict[str, type[BaseModel]] = {
    "patients.csv": schemas.PatientIn,
    "visits.csv": schemas.VisitIn,
    "labs.csv": schemas.LabIn,
    "treatments.csv": schemas.CourseIn,
    "events.csv": schemas.EventIn,
}


def _cases() -> list[Case]:
    out: list[Case] = []
    for file, columns in COLUMNS.items():
        fields = set(_API_FIELDS[file].model_fields) | (_SCORES if file == "visits.csv" else set())
        for column in columns.values():
            if column.name not in fields or (
                column.name == "patient_id" and file != "patients.csv"
            ):
                continue
            out += [Case(file, column.name, v) for v in _boundaries(column)]
    return out


CASES = _cases()


def test_boundary_cases_cover_every_field_with_a_rule() -> None:
    covered = {(c.file, c.column) for c in CASES}
    for file, columns in COLUMNS.items():
        for column in columns.values():
            ruled = column.kind != "text" or column.max_length is not None
            in_api = column.name in _API_FIELDS[file].model_fields
            if ruled and in_api and column.name != "patient_id":
                assert (file, column.name) in covered
    assert ("visits.csv", "cmas") in covered and ("visits.csv", "catbm_activity") in covered


def test_every_boundary_value_gets_the_same_verdict_from_folder_and_api(
    client_for: Clients, tmp_path: Path
) -> None:
    client = client_for("clin_a")
    mismatches = []
    for n, case in enumerate(CASES):
        record = _base(case.file, n)
        value = case.value
        if COLUMNS[case.file][case.column].kind == "choices":
            value = [value]
        record[case.column] = value
        if case.file == "labs.csv" and case.column == "result":
            record.update(analyte="TB_IGRA", value=None, unit=None)
        folder = _folder_verdict(tmp_path, case.file, {**record, case.column: case.value})
        api = _api_verdict(client, case.file, record)
        if folder != api:
            mismatches.append((case, folder, api))
    assert not mismatches, "\n".join(map(str, mismatches))


# ------------------------------------------------------------------ property


PATIENT = Patient(patient_id="P1", sex="F", birth_date=BIRTH, diagnosis="JDM")
RECORD = PatientRecord(patient=PATIENT)

texts = st.sampled_from
numbers = st.one_of(
    st.sampled_from(["0", "0.26", "5.37", "12.6", "126", "150000", "-1", "1e3", "nan", ""]),
    st.floats(min_value=0, max_value=1e7, allow_nan=False).map(lambda x: f"{x:.3f}"),
)
days = st.integers(-400, 5000).map(lambda d: (BIRTH + timedelta(days=d)).isoformat())
all_units = sorted(
    {u for a in vocab.QUANTITATIVE_ANALYTES for u in unit_table.accepted_units(a)} | {"mg"}
)


@st.composite
def lab_rows(draw: st.DrawFn) -> dict[str, str]:
    return {
        "date": draw(st.one_of(days, st.just(TODAY.isoformat()), st.just("2020-02-30"))),
        "analyte": draw(texts([*vocab.ANALYTES, "sodium"])),
        "value": draw(numbers),
        "unit": draw(st.one_of(texts(all_units), st.just(""))),
        "result": draw(texts(["", *vocab.QUALITATIVE_RESULTS, "maybe"])),
        "ref_low": draw(st.one_of(st.just(""), numbers)),
        "ref_high": draw(st.one_of(st.just(""), numbers)),
    }


@st.composite
def course_rows(draw: st.DrawFn) -> dict[str, str]:
    drug = draw(
        texts(
            [
                "prednisolone",
                "Co-trimoxazole",
                "mometasone_furoate",
                "ampicillin / sulbactam",
                "ruxolitnib",
                "=bad",
                "tofacitinib",
            ]
        )
    )
    return {
        "drug": drug,
        "start_date": draw(days),
        "end_date": draw(st.one_of(st.just(""), days)),
        "dose": draw(numbers),
        "dose_unit": draw(texts(["", *vocab.DOSE_UNITS, "tablets"])),
        "frequency": draw(texts(["", *vocab.FREQUENCIES])),
        "route": draw(texts(["", *vocab.ROUTES])),
        "stop_reason": draw(texts(["", *vocab.STOP_REASONS])),
    }


def _json(row: dict[str, str]) -> dict[str, Any]:
    """The row as a JSON client sends it: empty cells left out, plain decimals of number
    columns as JSON numbers, anything else as text."""
    body: dict[str, Any] = {}
    for key, text in row.items():
        if not text:
            continue
        kinds = {columns[key].kind for columns in COLUMNS.values() if key in columns}
        body[key] = text
        if kinds & {"number", "integer"}:
            with contextlib.suppress(CellError):
                body[key] = parse_number(text)
    return body


def _import_row(file: str, row: dict[str, str]) -> tuple[Cohort | None, frozenset[str]]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "patients.csv").write_text(PATIENT_ROW)
        header = "patient_id," + ",".join(row)
        line = "P1," + ",".join(_quoted(v) for v in row.values())
        (folder / file).write_text(f"{header}\n{line}\n", encoding="utf-8")
        cohort, issues = read_folder(folder, today=TODAY)
    return cohort, frozenset(i.rule for i in issues)


def _api(
    model: type[BaseModel], build: Callable[..., Any], body: dict[str, Any]
) -> tuple[Any, frozenset[str]]:
    try:
        data = model.model_validate(body)
    except ValidationError as exc:
        return None, frozenset(str(e["type"]) for e in exc.errors())
    try:
        return build(RECORD, data, today=TODAY), frozenset()
    except services.FormErrors as exc:
        return None, frozenset(exc.rules.values())


def _export_import(cohort: Cohort) -> Cohort:
    with tempfile.TemporaryDirectory() as tmp:
        write_folder(cohort, Path(tmp) / "out")
        again, issues = read_folder(Path(tmp) / "out", today=TODAY)
    assert issues == [], [str(i) for i in issues]
    assert again is not None
    return again


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(lab_rows())
def test_lab_rows_same_verdict_and_api_records_round_trip(row: dict[str, str]) -> None:
    imported, folder_rules = _import_row("labs.csv", row)
    stored, api_rules = _api(schemas.LabIn, services.lab_from, _json(row))
    assert (imported is None) == (stored is None), (folder_rules, api_rules)
    assert folder_rules == api_rules
    if stored is not None:
        again = _export_import(Cohort(patients=(PATIENT,), labs=(stored,)))
        assert again.labs == (stored,)


@PROPERTY
@given(course_rows())
def test_course_rows_same_verdict_and_api_records_round_trip(row: dict[str, str]) -> None:
    # the API starts a course (no end or stop reason): compare the row without them
    row = {**row, "end_date": "", "stop_reason": ""}
    imported, folder_rules = _import_row("treatments.csv", row)
    body = {k: v for k, v in _json(row).items() if k not in ("end_date", "stop_reason")}
    stored, api_rules = _api(schemas.CourseIn, services.course_from, body)
    assert (imported is None) == (stored is None), (folder_rules, api_rules)
    assert folder_rules == api_rules
    if stored is not None:
        again = _export_import(Cohort(patients=(PATIENT,), courses=(stored,)))
        assert again.courses == (stored,)


@pytest.mark.parametrize("text", ["1e3", "1,5", " 12 ", "+3", ".5"])
def test_number_text_same_on_both_paths(text: str) -> None:
    row = {"date": "2024-05-02", "analyte": "CK", "value": text, "unit": "U/L"}
    imported, folder_rules = _import_row("labs.csv", row)
    stored, api_rules = _api(schemas.LabIn, services.lab_from, {**row, "value": text})
    assert (imported is None, folder_rules) == (stored is None, api_rules)


score_texts = st.sampled_from(["", "0", "3", "17", "18", "52", "53", "2.5", "-1", "nan", "x"])


@st.composite
def visit_rows(draw: st.DrawFn) -> dict[str, str]:
    return {
        "date": draw(st.one_of(days, st.just(TODAY.isoformat()))),
        "weight_kg": draw(st.sampled_from(["", "0.5", "1", "12", "30", "45.5", "150", "201"])),
        "height_cm": draw(st.sampled_from(["", "39", "40", "95", "140", "165", "221"])),
        "cmas": draw(score_texts),
        "catbm_activity": draw(score_texts),
        "phga": draw(st.sampled_from(["", "0", "2.5", "10", "10.5"])),
        "chaq": draw(st.sampled_from(["", "0", "1.125", "3", "3.5"])),
    }


def _visit_body(row: dict[str, str]) -> dict[str, Any]:
    body = _json(row)
    body["totals"] = {k: body.pop(k) for k in list(body) if k in _SCORES}
    return body


def _visit_from(record: PatientRecord, data: Any, *, today: date) -> Any:
    visit, _ = services.visit_from(record, data, today=today)
    return visit


@PROPERTY
@given(visit_rows())
def test_visit_rows_same_verdict_and_api_records_round_trip(row: dict[str, str]) -> None:
    imported, folder_rules = _import_row("visits.csv", row)
    stored, api_rules = _api(schemas.VisitIn, _visit_from, _visit_body(row))
    assert (imported is None) == (stored is None), (row, folder_rules, api_rules)
    assert folder_rules == api_rules, row
    if stored is not None:
        again = _export_import(Cohort(patients=(PATIENT,), visits=(stored,)))
        assert again.visits == (stored,)


@PROPERTY
@given(
    st.fixed_dictionaries(
        {
            "date": st.one_of(days, st.just("2021-13-01")),
            "event": st.sampled_from([*vocab.EVENTS, "party"]),
            "detail": st.sampled_from(["", "EBV", "x" * 200, "x" * 201]),
            "grade": st.sampled_from(["", "1", "5", "0", "6", "2.5"]),
        }
    )
)
def test_event_rows_same_verdict_and_api_records_round_trip(row: dict[str, str]) -> None:
    imported, folder_rules = _import_row("events.csv", row)
    stored, api_rules = _api(schemas.EventIn, services.event_from, _json(row))
    assert (imported is None) == (stored is None), (folder_rules, api_rules)
    assert folder_rules == api_rules
    if stored is not None:
        again = _export_import(Cohort(patients=(PATIENT,), events=(stored,)))
        assert again.events == (stored,)
