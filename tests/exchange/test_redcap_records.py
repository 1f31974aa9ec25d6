"""REDCap records: folder -> REDCap flat CSV -> folder gives the same cohort (the demo
cohort with item-level assessments, a cohort using every vocabulary value, generated
valid folders — the strategies of tests/cohort/test_roundtrip_property.py — and each
de-identification tier), and an import with any problem gives no cohort and every
problem with its place (line, REDCap variable, record, form, instance, rule)."""

from __future__ import annotations

import csv
import importlib.util
import io
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from myotrack import registry
from myotrack.cohort import RECORD_KINDS, read_folder
from myotrack.cohort.deidentify import Tier, apply_tier
from myotrack.domain import Cohort, RecordRow, ValidationIssue, vocab
from myotrack.exchange import format_named
from myotrack.exchange.redcap import (
    RedcapExportError,
    build_project,
    read_records,
    records_csv,
)

from .conftest import canonical

TODAY = date(2026, 12, 1)


def _load_strategies() -> Any:
    path = Path(__file__).parents[1] / "cohort" / "test_roundtrip_property.py"
    spec = importlib.util.spec_from_file_location("cohort_roundtrip_strategies_redcap", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


cohort_folders = _load_strategies().cohort_folders
RECORD_KIND = {k.name: k for k in RECORD_KINDS}


def _in_choice_order(row: RecordRow) -> RecordRow:
    columns = RECORD_KIND[row.kind].column
    values = {
        name: tuple(sorted(v, key=columns[name].choices.index)) if isinstance(v, tuple) else v
        for name, v in row.values.items()
    }
    return replace(row, values=values)


def _as_sets(cohort: Cohort) -> Cohort:
    """Multi-choice values in the vocabulary's order: REDCap checkboxes are a set; and an
    item-level assessment lists its answered items (a blank cell is a missing item)."""
    return replace(
        cohort,
        v2_rows=tuple(_in_choice_order(r) for r in cohort.v2_rows),
        assessments=tuple(
            replace(a, items={k: v for k, v in a.items.items() if v is not None})
            for a in cohort.assessments
        ),
        patients=tuple(
            replace(
                p,
                antibodies=tuple(sorted(p.antibodies, key=vocab.ANTIBODIES.index)),
                features=tuple(sorted(p.features, key=vocab.FEATURES.index)),
            )
            for p in cohort.patients
        ),
    )


def _round_trip(cohort: Cohort) -> Cohort:
    back, issues = read_records(
        records_csv(cohort), today=TODAY, cutoff_date=cohort.cutoff_date, accept_implausible=True
    )
    assert issues == [], [str(i) for i in issues[:10]]
    assert back is not None
    return back


def test_demo_cohort_comes_back_unchanged(demo_cohort: Cohort) -> None:
    assert demo_cohort.assessments
    back = _round_trip(demo_cohort)
    assert canonical(back) == canonical(_as_sets(demo_cohort))


def test_every_vocabulary_value_comes_back(catalogue_cohort: Cohort) -> None:
    back = _round_trip(catalogue_cohort)
    assert canonical(back) == canonical(_as_sets(catalogue_cohort))


def test_registry_export_reimports_without_a_change(demo_cohort: Cohort, tmp_path: Path) -> None:
    """The registry's demo (with the second seed's whole record) -> REDCap records -> the
    same registry: the import finds nothing to change."""
    engine = registry.connect(f"sqlite:///{tmp_path / 'registry.db'}")
    registry.upgrade(engine)
    with registry.transaction(engine) as session:
        registry.import_cohort(session, _as_sets(demo_cohort), actor="test", reason="demo")
    with registry.transaction(engine) as session:
        stored = registry.load_cohort(session)
    assert {r.kind for r in stored.v2_rows} >= {"chest_ct", "organ_involvement", "bal"}
    back = _round_trip(stored)
    assert canonical(back) == canonical(_as_sets(stored))
    with registry.transaction(engine) as session:
        summary = registry.import_cohort(session, back, actor="test", reason="redcap again")
    assert not summary.changed
    engine.dispose()


@pytest.mark.parametrize("tier", [Tier.PSEUDONYMISED, Tier.SAFE_HARBOR])
def test_a_de_identified_export_reads_back_as_that_tier(demo_cohort: Cohort, tier: Tier) -> None:
    shown = apply_tier(demo_cohort, tier, key=b"test key")
    back = _round_trip(shown)
    assert canonical(back) == canonical(_as_sets(shown))
    text = records_csv(shown)
    assert "redcap_data_access_group" not in text and "Demo Centre" not in text
    assert all(p.patient_id not in text for p in demo_cohort.patients)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cohort_folders())
def test_generated_folders_come_back_unchanged(files: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        original, issues = read_folder(folder, today=TODAY, accept_implausible=True)
    assert original is not None, [str(i) for i in issues]
    assert canonical(_round_trip(original)) == canonical(_as_sets(original))


def test_the_format_row_writes_and_reads_the_files(demo_cohort: Cohort) -> None:
    fmt = format_named("redcap")
    assert fmt.export is not None and fmt.read is not None
    texts: dict[str, str] = {}
    for name, piece in fmt.export(demo_cohort, "csv"):
        texts[name] = texts.get(name, "") + piece
    assert set(texts) >= {"redcap_dictionary.csv", "redcap_records.csv"}
    assert fmt.recognises(tuple(texts), {})
    back, issues = fmt.read(texts, today=TODAY)
    assert issues == [] and back is not None
    assert back.cutoff_date == demo_cohort.cutoff_date  # beside the records in cohort.toml
    assert canonical(back) == canonical(_as_sets(demo_cohort))


def test_flat_layout_repeat_columns_checkboxes_and_groups(demo_cohort: Cohort) -> None:
    rows = list(csv.DictReader(io.StringIO(records_csv(demo_cohort))))
    header = list(rows[0])
    assert header[:4] == [
        "patient_id",
        "redcap_repeat_instrument",
        "redcap_repeat_instance",
        "redcap_data_access_group",
    ]
    first = demo_cohort.patients[0]
    patient_row = next(r for r in rows if r["patient_id"] == first.patient_id)
    assert patient_row["redcap_repeat_instrument"] == patient_row["redcap_repeat_instance"] == ""
    for code in vocab.ANTIBODIES:
        expected = "1" if code in first.antibodies else "0"
        assert patient_row[f"antibodies___{code.lower()}"] == expected
    assert patient_row["redcap_data_access_group"] == "demo_centre_a"
    visits = [
        r
        for r in rows
        if r["patient_id"] == first.patient_id and r["redcap_repeat_instrument"] == "visit"
    ]
    assert [r["redcap_repeat_instance"] for r in visits] == [
        str(n) for n in range(1, len(visits) + 1)
    ]
    assert {r["rash"] for r in visits} <= {"1", "0", ""}
    assert "cmas_total" not in header  # REDCap computes its calculated fields


def test_redcaps_calculated_values_and_statuses_are_ignored(demo_cohort: Cohort) -> None:
    # REDCap exports its calculated fields too (and may mark forms 0 Incomplete)
    rows = list(csv.reader(io.StringIO(records_csv(demo_cohort))))
    calculated = [f for f in build_project().fields if f.type == "calc"]
    rows[0] += [f.name for f in calculated]
    for row in rows[1:]:
        row += ["7" if row[1] == f.form else "" for f in calculated]
        for n, name in enumerate(rows[0]):
            if name.endswith("_complete") and row[n] == "2":
                row[n] = "0"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    back, issues = read_records(out.getvalue(), today=TODAY, cutoff_date=demo_cohort.cutoff_date)
    assert issues == [] and back is not None
    assert canonical(back) == canonical(_as_sets(demo_cohort))


def test_records_without_repeat_columns_are_read() -> None:
    # REDCap leaves the repeat columns out when a batch has no repeating data
    text = "patient_id,sex,birth_date,diagnosis\nP1,f,2012-01-02,jdm\n"
    cohort, issues = read_records(text, today=TODAY)
    assert issues == [] and cohort is not None
    assert cohort.patients[0].sex == "F" and cohort.patients[0].diagnosis == "JDM"


# --- problems, located, all or nothing -------------------------------------------------


def _edited(cohort: Cohort, row_of: tuple[str, str], changes: dict[str, str]) -> str:
    """The records file with cells of one row changed (row: record id, repeat instrument,
    its first instance)."""
    reader = csv.reader(io.StringIO(records_csv(cohort)))
    rows = list(reader)
    header = rows[0]
    for row in rows[1:]:
        if row[0] == row_of[0] and row[1] == row_of[1] and row[2] in ("", "1"):
            for name, value in changes.items():
                row[header.index(name)] = value
            break
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _problems(text: str) -> list[ValidationIssue]:
    cohort, issues = read_records(text, today=TODAY)
    assert cohort is None  # all or nothing
    assert issues
    return issues


@pytest.mark.parametrize(
    ("row", "changes", "variable", "rule", "where"),
    [
        (("DEMO-01", ""), {"sex": "x"}, "sex", "choice", "record DEMO-01, form patient"),
        (("DEMO-01", ""), {"weight_kg": "20"}, "weight_kg", "other_form", "form patient"),
        (("DEMO-01", ""), {"sex": "male"}, "sex", "label_export", "form patient"),
        (
            ("DEMO-01", "visit"),
            {"visit_date": "2030-01-01"},
            "visit_date",
            "future_date",
            "visit #1",
        ),
        (("DEMO-01", "visit"), {"weight_kg": "20,5"}, "weight_kg", "number", "visit #1"),
        (("DEMO-01", "visit"), {"cmas": "60"}, "cmas", "range", "visit #1"),
        (("DEMO-01", "lab"), {"lab_unit": "mg/dL"}, "lab_unit", "qualitative", "form lab #1"),
        (("DEMO-01", "treatment"), {"drug": "ruxolitnib"}, "drug", "drug_name", "treatment #1"),
        (
            ("DEMO-01", "visit"),
            {"redcap_repeat_instrument": "visits"},
            "redcap_repeat_instrument",
            "repeat_instrument",
            "form visits",
        ),
        (
            ("DEMO-01", "visit"),
            {"redcap_repeat_instance": "0"},
            "redcap_repeat_instance",
            "repeat_instance",
            "visit",
        ),
        (
            ("DEMO-01", "visit"),
            {"redcap_repeat_instance": "2"},
            "redcap_repeat_instance",
            "unique",
            "visit #2",
        ),
    ],
)
def test_each_problem_is_located(
    demo_cohort: Cohort,
    row: tuple[str, str],
    changes: dict[str, str],
    variable: str,
    rule: str,
    where: str,
) -> None:
    issues = _problems(_edited(demo_cohort, row, changes))
    found = [i for i in issues if i.rule == rule]
    assert found, [str(i) for i in issues]
    assert found[0].field == variable and found[0].file == "records.csv"
    assert found[0].line is not None and found[0].line > 1
    assert where in found[0].message, found[0].message


def test_a_group_other_than_the_sites_is_a_warning(demo_cohort: Cohort) -> None:
    text = _edited(demo_cohort, ("DEMO-01", ""), {"redcap_data_access_group": "other_centre"})
    warnings: list[ValidationIssue] = []
    cohort, issues = read_records(text, today=TODAY, warnings=warnings)
    assert issues == [] and cohort is not None
    assert cohort.patients[0].site == "Demo Centre A"  # the site as written wins
    assert [(w.rule, w.field) for w in warnings] == [
        ("data_access_group", "redcap_data_access_group")
    ]
    # without a site, the group is the site
    text = _edited(demo_cohort, ("DEMO-01", ""), {"site": ""})
    cohort, issues = read_records(text, today=TODAY)
    assert cohort is not None and cohort.patients[0].site == "demo_centre_a"


def test_an_instrument_item_out_of_range_is_located(demo_cohort: Cohort) -> None:
    a = demo_cohort.assessments[0]
    form = build_project().form(a.instrument)
    item = next(f.name for f in form.fields if f.column in a.items)
    rows = list(csv.reader(io.StringIO(records_csv(demo_cohort))))
    header = rows[0]
    row = next(r for r in rows[1:] if r[1] == a.instrument)
    row[header.index(item)] = "999"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    issues = _problems(out.getvalue())
    assert [(i.field, i.line) for i in issues] == [(item, rows.index(row) + 1)]
    assert issues[0].rule in ("item", "choice") and f"form {a.instrument} #1" in issues[0].message


def test_a_label_export_is_refused_with_the_way_out() -> None:
    text = "Patient ID,Repeat Instrument,Repeat Instance,Sex\nP1,,,Female\n"
    issues = _problems(text)
    assert issues[0].rule == "label_export"
    assert "raw" in issues[0].message


def test_an_unknown_column_and_a_longitudinal_export_are_refused() -> None:
    text = "patient_id,redcap_event_name,sex,favourite_colour\nP1,baseline_arm_1,f,blue\n"
    rules = {i.rule for i in _problems(text)}
    assert {"longitudinal", "unknown_column"} <= rules


def test_a_repeating_row_of_a_record_without_its_patient_row() -> None:
    text = (
        "patient_id,redcap_repeat_instrument,redcap_repeat_instance,sex,birth_date,diagnosis,"
        "visit_date\nP1,,,f,2012-01-02,jdm,\nP2,visit,1,,,,2020-01-01\n"
    )
    issues = _problems(text)
    assert [(i.rule, i.line) for i in issues] == [("unknown_patient", 3)]
    assert "record P2" in issues[0].message


def test_own_columns_travel_and_unnameable_ones_are_refused(catalogue_cohort: Cohort) -> None:
    assert "visit_x_room" in records_csv(catalogue_cohort).split("\n", 1)[0]
    patient = replace(catalogue_cohort.patients[0], extra={"x_Ward": "7"})
    broken = replace(catalogue_cohort, patients=(patient, *catalogue_cohort.patients[1:]))
    with pytest.raises(RedcapExportError, match="x_Ward"):
        records_csv(broken)


def test_only_the_forms_a_cohort_fills_are_columns(demo_cohort: Cohort) -> None:
    bare = replace(demo_cohort, assessments=(), v2_rows=())
    header = records_csv(bare).split("\n", 1)[0].split(",")
    assert "visit_date" in header and "lab_date" in header
    project = build_project()
    instrument_fields = {
        f.name for form in project.forms if form.instrument is not None for f in form.fields
    }
    v2_fields = {
        f.name for form in project.forms[5:] if form.instrument is None for f in form.fields
    }
    assert v2_fields and not (instrument_fields | v2_fields) & set(header)
    assert len(header) < 100
    # the forms of cohort format version 2 only when the cohort has such records
    whole = records_csv(replace(demo_cohort, assessments=())).split("\n", 1)[0].split(",")
    assert "chest_ct_findings___ground_glass_opacity" in whole and "chest_ct_complete" in whole
    assert "muscle_biopsy_date" not in whole  # the demo has no biopsy
    a = demo_cohort.assessments[0]
    one = replace(demo_cohort, assessments=(a,))
    header = records_csv(one).split("\n", 1)[0].split(",")
    assert f"{a.instrument}_date" in header and f"{a.instrument}_complete" in header


@pytest.mark.parametrize(
    ("day", "rule"), [("2030-01-01", "future_date"), ("1990-01-01", "before_birth")]
)
def test_an_assessment_date_follows_the_rules_of_every_date(
    demo_cohort: Cohort, day: str, rule: str
) -> None:
    a = demo_cohort.assessments[0]
    rows = list(csv.reader(io.StringIO(records_csv(demo_cohort))))
    header = rows[0]
    row = next(r for r in rows[1:] if r[1] == a.instrument)
    row[header.index(f"{a.instrument}_date")] = day
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    issues = _problems(out.getvalue())
    assert [(i.rule, i.field, i.line) for i in issues] == [
        (rule, f"{a.instrument}_date", rows.index(row) + 1)
    ]
