"""The cohort fingerprint: a function of the content only (row order, folder or registry,
5 or 5.0 do not matter), sensitive to every value of every field, and pinned for the
demo cohort so that an accidental change of its definition is noticed."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import random
import struct
import sys
import types
import typing
from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from myotrack import registry
from myotrack.analysis import cohort_fingerprint
from myotrack.analysis.fingerprint import TABLES
from myotrack.cohort import DEMO_FOLDER, read_folder
from myotrack.cohort.synth import synthesize
from myotrack.domain import (
    Assessment,
    Cohort,
    Event,
    LabResult,
    PartialDate,
    Patient,
    RecordRow,
    ReportedValue,
    Visit,
)

# The demo cohort's fingerprint under definition myotrack-cohort-fingerprint/2. If the
# demo folder was changed on purpose, put its new fingerprint here; if it was not, the
# definition changed: say so in docs (the report footers of old reports no longer match).
DEMO_FINGERPRINT = "f3aed20944140aa4d92da927bcfb8ddb76a59660c3b105089d69c6ce95b59ac3"


def _shuffled(cohort: Cohort, seed: int) -> Cohort:
    rng = random.Random(seed)

    def mixed(rows: tuple[Any, ...]) -> tuple[Any, ...]:
        out = list(rows)
        rng.shuffle(out)
        return tuple(out)

    tables: dict[str, Any] = {t.name: mixed(getattr(cohort, t.name)) for t in TABLES}
    return dataclasses.replace(cohort, **tables)


def _with_assessments(cohort: Cohort) -> Cohort:
    """The synthetic cohort with assessments and cohort format version 2 records."""
    patient = cohort.patients[0].patient_id
    items = {"item_1": 2.0, "item_2": None, "item_3": 1.5}
    return dataclasses.replace(
        cohort,
        assessments=(
            Assessment(patient, date(2020, 1, 1), "cdasi", items, version="1", total=3.5),
            Assessment(patient, date(2020, 2, 1), "cdasi", {"item_1": 1.0}, total=1.0),
        ),
        v2_rows=(
            RecordRow("organ_involvement", patient, {"organ": "lung", "date": PartialDate(2021)}),
            RecordRow("organ_involvement", patient, {"organ": "heart", "value": 2.0}),
        ),
    )


@pytest.fixture(scope="module")
def cohort() -> Cohort:
    return _with_assessments(synthesize(12, seed=3, visits_per_patient=4, labs_per_patient=6))


def test_row_order_does_not_matter(cohort: Cohort) -> None:
    expected = cohort_fingerprint(cohort)
    for seed in range(5):
        assert cohort_fingerprint(_shuffled(cohort, seed)) == expected


def test_rows_with_equal_keys_are_ordered_by_content() -> None:
    # two events without detail on one day (their key is equal) and an exact duplicate:
    # any order gives one fingerprint, and which row holds which grade still counts
    day = date(2021, 3, 1)
    rows = (
        Event("P1", day, "infection", None, 2),
        Event("P1", day, "infection", "", 3),
        Event("P1", day, "infection", None, 2),
        Event("P1", day, "flare", None, None),
    )
    one = cohort_fingerprint(Cohort(events=rows))
    assert cohort_fingerprint(Cohort(events=rows[::-1])) == one
    assert cohort_fingerprint(Cohort(events=(rows[1], rows[3], rows[0], rows[2]))) == one
    swapped = (
        Event("P1", day, "infection", None, 3),
        Event("P1", day, "infection", "", 2),
        rows[2],
        rows[3],
    )
    assert cohort_fingerprint(Cohort(events=swapped)) != one


def _other(value: Any, field: str) -> Any:
    """A different value of the same kind."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return value + 0.5
    if isinstance(value, str):
        return value + "x"
    if isinstance(value, date):
        return value + timedelta(days=1)
    if isinstance(value, tuple):
        return (*value, "x")
    if isinstance(value, Mapping):
        return {**value, "x_other": "1"} if field == "extra" else {**value, "item_9": 1.0}
    if isinstance(value, ReportedValue):
        return dataclasses.replace(value, value=value.value + 1)
    assert value is None
    return {
        "reported": ReportedValue(1.0, "µkat/L"),
        "rash": True,
        "weakness": False,
        "grade": 2,
    }.get(field, 1.0 if field not in _TEXT_FIELDS else "text")


_TEXT_FIELDS = {
    "bohan_peter",
    "refractory",
    "site",
    "unit",
    "result",
    "dose_unit",
    "frequency",
    "route",
    "stop_reason",
    "detail",
    "version",
    "onset_date",
    "diagnosis_date",
    "end_date",
}


def _changed(value: Any, field: str) -> Any:
    if value is None and field.endswith("_date"):
        return date(2015, 1, 1)
    return _other(value, field)


def test_any_changed_value_changes_the_fingerprint(cohort: Cohort) -> None:
    # every field of a row of every table (a present value and a missing one where the
    # synthetic cohort has one), and the cut-off
    expected = cohort_fingerprint(cohort)
    checked = 0
    for table in TABLES:
        rows = getattr(cohort, table.name)
        for f in dataclasses.fields(table.domain_type):
            candidates = [rows[0]]
            missing = next((r for r in rows if getattr(r, f.name) in (None, {}, ())), None)
            if missing is not None:
                candidates.append(missing)
            for row in candidates:
                new = dataclasses.replace(row, **{f.name: _changed(getattr(row, f.name), f.name)})
                changed_rows = tuple(new if r is row else r for r in rows)
                replaced: dict[str, Any] = {table.name: changed_rows}
                changed = dataclasses.replace(cohort, **replaced)
                assert cohort_fingerprint(changed) != expected, (table.name, f.name)
                checked += 1
    assert checked > 60
    assert cohort_fingerprint(dataclasses.replace(cohort, cutoff_date=date(2030, 1, 1))) != (
        expected
    )
    dropped = dataclasses.replace(cohort, visits=cohort.visits[1:])
    assert cohort_fingerprint(dropped) != expected


def test_a_value_moved_to_another_row_changes_the_fingerprint() -> None:
    a = Visit("P1", date(2020, 1, 1), cmas=10.0, phga=2.0)
    b = Visit("P1", date(2020, 2, 1), cmas=20.0, phga=2.0)
    swapped = (dataclasses.replace(a, cmas=20.0), dataclasses.replace(b, cmas=10.0))
    assert cohort_fingerprint(Cohort(visits=(a, b))) != cohort_fingerprint(Cohort(visits=swapped))


def test_a_missing_value_differs_from_every_number_and_text() -> None:
    lab = LabResult("P1", date(2020, 1, 1), "CK", 100.0, "U/L")
    seen = {
        cohort_fingerprint(Cohort(labs=(dataclasses.replace(lab, ref_high=value),)))
        for value in (None, 0.0, float("nan"))
    }
    assert len(seen) == 2  # a NaN cannot be stored: it reads as missing (docstring)
    texts = {
        cohort_fingerprint(Cohort(patients=(Patient("P1", "F", date(2010, 1, 1), "JDM", site=s),)))
        for s in (None, "", "null", "None")
    }
    assert len(texts) == 4


def test_text_holding_the_separator_is_told_apart() -> None:
    def sites(*names: str) -> str:
        born = date(2010, 1, 1)
        patients = tuple(
            Patient(f"P{i}", "F", born, "JDM", site=name) for i, name in enumerate(names)
        )
        return cohort_fingerprint(Cohort(patients=patients))

    assert sites("a\0", "b") != sites("a", "\0b")
    assert sites("a", "b") != sites("a\0b", "")


def test_whole_numbers_and_floats_are_one_value() -> None:
    lab = LabResult("P1", date(2020, 1, 1), "CK", 100.0, "U/L", ref_high=200.0)
    as_int = dataclasses.replace(lab, value=100, ref_high=200)
    assert cohort_fingerprint(Cohort(labs=(lab,))) == cohort_fingerprint(Cohort(labs=(as_int,)))
    items = Assessment("P1", date(2020, 1, 1), "cmas", {"a": 1.0}, total=1.0)
    items_int = Assessment("P1", date(2020, 1, 1), "cmas", {"a": 1}, total=1)
    assert cohort_fingerprint(Cohort(assessments=(items,))) == cohort_fingerprint(
        Cohort(assessments=(items_int,))
    )


def test_folder_and_registry_give_one_fingerprint(tmp_path: Path) -> None:
    # the same content read from the folder and loaded back from a registry (rows in the
    # order they were stored, extra as stored JSON, numbers as stored doubles)
    cohort, issues = read_folder(DEMO_FOLDER)
    assert cohort is not None and not issues
    engine = registry.connect(f"sqlite:///{tmp_path / 'fp.db'}")
    registry.upgrade(engine)
    with registry.transaction(engine) as session:
        registry.import_cohort(session, _shuffled(cohort, 7), actor="test", reason="test")
    with registry.transaction(engine) as session:
        loaded = registry.load_cohort(session)
    engine.dispose()
    assert loaded.visits != cohort.visits  # another order...
    assert cohort_fingerprint(loaded) == cohort_fingerprint(cohort)  # ...the same content


def test_the_demo_fingerprint_is_pinned() -> None:
    cohort, issues = read_folder(DEMO_FOLDER)
    assert cohort is not None and not issues
    assert cohort_fingerprint(cohort) == DEMO_FINGERPRINT


def _reference(cohort: Cohort) -> str:
    """The module docstring's definition written plainly, row by row (the oracle)."""

    def canonical(value: Any) -> Any:
        if isinstance(value, bool) or value is None or isinstance(value, str):
            return value
        if isinstance(value, int | float):
            return float(value)
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, Mapping):
            return {k: canonical(v) for k, v in value.items()}
        if isinstance(value, tuple):
            return [canonical(v) for v in value]
        return [canonical(getattr(value, f.name)) for f in dataclasses.fields(value)]

    def dumps(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)

    out = [b"myotrack-cohort-fingerprint/2\n"]
    out.append(dumps(cohort.cutoff_date and cohort.cutoff_date.isoformat()).encode() + b"\n")
    for table in TABLES:
        rows = list(getattr(cohort, table.name))
        fields = [f.name for f in dataclasses.fields(table.domain_type)]

        def order(row: Any, fields: list[str] = fields, n: int = table.key_length) -> Any:
            key = tuple("" if (v := canonical(getattr(row, f))) is None else v for f in fields[:n])
            return key, dumps([canonical(getattr(row, f)) for f in fields])

        rows.sort(key=order)
        columns: list[tuple[str, list[Any], bool]] = []
        for name in fields:
            values = [getattr(r, name) for r in rows]
            if name == "reported":
                columns.append((name, [v is not None for v in values], False))
                for inner in ("value", "unit", "ref_low", "ref_high"):
                    sub = [None if v is None else getattr(v, inner) for v in values]
                    columns.append((f"{name}.{inner}", sub, inner != "unit"))
            else:
                number = name in _NUMBER_FIELDS
                columns.append((name, values, number))
        out.append(dumps([table.name, len(rows), [c[0] for c in columns]]).encode() + b"\n")
        if not rows:
            continue
        for _, values, number in columns:
            if number:
                nan = float("nan")
                packed = b"".join(struct.pack("<d", nan if v is None else v) for v in values)
                out.append(packed + b"\n")
                continue
            texts = [canonical(v) for v in values]  # dates become text here
            if all(isinstance(v, str) and "\0" not in v for v in texts):
                out.append(b"\0" + "\0".join(texts).encode() + b"\n")
            else:
                out.append(dumps(texts).encode() + b"\n")
    return hashlib.sha256(b"".join(out)).hexdigest()


_NUMBER_FIELDS = {
    f.name
    for t in TABLES
    for f in dataclasses.fields(t.domain_type)
    if f.type in ("float | None", "int | None", "float")
}


def test_the_definition_written_plainly_gives_the_same_fingerprint(cohort: Cohort) -> None:
    assert {"cmas", "value", "dose", "grade", "total"} <= _NUMBER_FIELDS
    day = date(2021, 5, 1)
    nul = Cohort(  # a key part holding the NUL that otherwise joins key parts
        events=(
            Event("P1", day, "infection", "x\0y", 2),
            Event("P1", day, "infection", "x", 1),
            Event("P1", day, "infection", "x\1", 3),
        )
    )
    ties = Cohort(  # equal keys: ordered by the whole row, nested reported value included
        labs=(
            LabResult("P1", day, "CK", 2.0, "U/L", reported=ReportedValue(1.0, "ukat/L")),
            LabResult("P1", day, "CK", 2.0, "U/L", reported=None),
            LabResult("P1", day, "CK", 2.0, "U/L", reported=ReportedValue(0.5, "ukat/L")),
            LabResult("P1", day, "CK", 1.0, "U/L", extra={"x_a": "1"}),
        )
    )
    plain = (cohort, _shuffled(cohort, 1), Cohort(), read_folder(DEMO_FOLDER)[0], nul, ties)
    for c in plain:
        assert c is not None
        assert cohort_fingerprint(c) == _reference(c)


def test_every_table_of_a_cohort_is_hashed() -> None:
    # a table added to Cohort must be added to TABLES (or its changes go unnoticed)
    tables = {f.name for f in dataclasses.fields(Cohort)} - {"cutoff_date"}
    assert tables == {t.name for t in TABLES}


def test_every_field_of_every_table_is_hashed() -> None:
    # the header of each table names every field of its domain object (a field added to
    # the domain is fingerprinted without a change here)
    from myotrack.analysis.fingerprint import _SCHEMAS

    for table in TABLES:
        names = [f.name for f in _SCHEMAS[table.name]]
        assert names == [f.name for f in dataclasses.fields(table.domain_type)]
    nested = {f.name: f for f in _SCHEMAS["labs"]}["reported"]
    assert [f.name for f in nested.nested] == [
        "reported." + f.name for f in dataclasses.fields(ReportedValue)
    ]


# Any single value replaced by another of its type changes the fingerprint (hypothesis
# chooses the table, the row, the field and the new value: text with NUL bytes and
# non-ASCII, negative and fractional numbers, missing values, a changed or added entry
# of an x_ column, an assessment item or a version 2 record's values).

_FLOATS = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False)
_TEXT = st.text(max_size=6)
_ANY_VALUE = st.one_of(st.none(), st.booleans(), _FLOATS, _TEXT, st.dates())


def _declared(domain_type: type, name: str) -> Any:
    namespace = vars(sys.modules[domain_type.__module__])
    return typing.get_type_hints(domain_type, globalns=namespace, localns=namespace)[name]


def _values_of(annotation: Any) -> st.SearchStrategy[Any]:
    """Values of a declared field type (None too where the field is optional)."""
    args = typing.get_args(annotation)
    present = [a for a in args if a is not type(None)] if args else [annotation]
    optional = type(None) in args
    options: list[st.SearchStrategy[Any]] = [st.none()] if optional else []
    for kind in present if isinstance(annotation, types.UnionType) else [annotation]:
        origin = typing.get_origin(kind)
        if kind is bool:
            options.append(st.booleans())
        elif kind in (float, int):
            options.append(_FLOATS)
        elif kind is str:
            options.append(_TEXT)
        elif kind is date:
            options.append(st.dates())
        elif origin is tuple:
            options.append(st.lists(_TEXT, max_size=3).map(tuple))
        elif kind is ReportedValue:
            options.append(st.builds(ReportedValue, _FLOATS, _TEXT))
    return st.one_of(options)


def _entry_changed(old: Mapping[str, Any], annotation: Any) -> st.SearchStrategy[Any]:
    """The mapping with one entry changed or added (values of the mapping's type)."""
    value_type = typing.get_args(annotation)[1] if typing.get_args(annotation) else Any
    values = (
        _TEXT
        if value_type is str
        else (_values_of(value_type) if value_type is not Any else _ANY_VALUE)
    )
    keys = (
        st.sampled_from(sorted(old)) | st.text(min_size=1, max_size=4)
        if old
        else (st.text(min_size=1, max_size=4))
    )
    return st.tuples(keys, values).map(lambda kv: {**old, kv[0]: kv[1]})


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_single_value_replaced_changes_the_fingerprint(cohort: Cohort, data: Any) -> None:
    table = data.draw(st.sampled_from([t for t in TABLES if getattr(cohort, t.name)]))
    rows: tuple[Any, ...] = getattr(cohort, table.name)
    i = data.draw(st.integers(0, len(rows) - 1))
    field = data.draw(st.sampled_from(dataclasses.fields(table.domain_type)))
    old = getattr(rows[i], field.name)
    annotation = _declared(table.domain_type, field.name)
    if typing.get_origin(annotation) is Mapping or isinstance(old, Mapping):
        new = data.draw(_entry_changed(old, annotation))
    else:
        new = data.draw(_values_of(annotation))
    assume(new != old)  # 5 and 5.0 are one value by definition
    changed_row = dataclasses.replace(rows[i], **{field.name: new})
    replaced: dict[str, Any] = {table.name: (*rows[:i], changed_row, *rows[i + 1 :])}
    changed = dataclasses.replace(cohort, **replaced)
    assert cohort_fingerprint(changed) != _fingerprint_of(cohort), (table.name, field.name)


_KNOWN: dict[int, tuple[Cohort, str]] = {}


def _fingerprint_of(cohort: Cohort) -> str:
    """The fingerprint of the unchanged cohort, computed once per cohort object."""
    known = _KNOWN.get(id(cohort))
    if known is None or known[0] is not cohort:
        known = _KNOWN[id(cohort)] = (cohort, cohort_fingerprint(cohort))
    return known[1]
