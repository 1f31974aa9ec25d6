"""The cohort folder reader: a good folder, then one small bad folder per rule."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from myotrack.cohort import read_folder
from myotrack.domain import ValidationIssue

FolderMaker = Callable[..., Path]


def _issues(folder: Path) -> list[ValidationIssue]:
    cohort, issues = read_folder(folder)
    assert cohort is None, "a folder with problems must not give a cohort"
    assert issues
    return issues


def _only(issues: list[ValidationIssue]) -> ValidationIssue:
    assert len(issues) == 1, [str(i) for i in issues]
    return issues[0]


def test_good_folder_reads(tmp_path: Path, folder_maker: FolderMaker) -> None:
    cohort, issues = read_folder(folder_maker(tmp_path))
    assert issues == []
    assert cohort is not None
    assert [p.patient_id for p in cohort.patients] == ["P01", "P02"]
    assert cohort.patients[1].antibodies == ("MDA5", "RO52")
    assert cohort.patients[0].extra == {"x_note": "kept"}
    assert cohort.patients[1].extra == {}
    assert cohort.cutoff_date == date(2022, 12, 31)
    v = cohort.visits[0]
    assert (v.weight_kg, v.rash, v.cmas, v.catbm_activity) == (22.5, True, 30, 7)
    assert cohort.visits[2].catbm_activity is None  # empty means not recorded, never 0
    assert len(cohort.courses) == 3 and cohort.courses[1].end_date is None
    assert cohort.events[1].grade == 3 and cohort.events[1].detail == "PJP"


def test_microkatal_enzymes_become_units_per_litre(
    tmp_path: Path, folder_maker: FolderMaker
) -> None:
    cohort, _ = read_folder(folder_maker(tmp_path))
    assert cohort is not None
    ck = next(r for r in cohort.labs if r.analyte == "CK")
    # 0.26 µkat/L × 60 = 15.6 U/L (1 U = 1 µmol/min, so 1 µkat/L = 60 U/L)
    assert ck.value == pytest.approx(15.6) and ck.unit == "U/L"
    assert ck.ref_high == pytest.approx(190.2)  # 3.17 × 60
    assert ck.reported is not None
    assert (ck.reported.value, ck.reported.unit, ck.reported.ref_high) == (0.26, "µmol/(s*L)", 3.17)
    ldh = next(r for r in cohort.labs if r.analyte == "LDH" and r.patient_id == "P02")
    assert (ldh.value, ldh.ref_low, ldh.ref_high) == (322.2, 120.0, 300.0)
    assert ldh.above_reference is True
    tb = next(r for r in cohort.labs if r.analyte == "TB_IGRA")
    assert tb.result == "negative" and tb.value is None


@pytest.mark.parametrize("spelling", ["ukat/L", "µkat/L", "μkat/L", "umol/(s*L)", "µmol/(s*L)"])
def test_every_microkatal_spelling_is_converted(
    tmp_path: Path, folder_maker: FolderMaker, spelling: str
) -> None:
    labs = f"patient_id,date,analyte,value,unit\nP01,2018-01-05,ALT,0.5,{spelling}\n"
    cohort, issues = read_folder(folder_maker(tmp_path, labs_csv=labs))
    assert issues == [] and cohort is not None
    assert cohort.labs[0].value == 30.0 and cohort.labs[0].unit == "U/L"


def test_bom_is_tolerated(tmp_path: Path, folder_maker: FolderMaker) -> None:
    folder = folder_maker(tmp_path)
    (folder / "patients.csv").write_bytes(b"\xef\xbb\xbf" + (folder / "patients.csv").read_bytes())
    cohort, issues = read_folder(folder)
    assert issues == [] and cohort is not None


def test_non_utf8_file(tmp_path: Path, folder_maker: FolderMaker) -> None:
    folder = folder_maker(tmp_path)
    (folder / "events.csv").write_bytes(
        b"patient_id,date,event,detail\nP01,2018-01-20,infection,Sch\xf6n\n"
    )
    issue = _only(_issues(folder))
    assert (issue.file, issue.line, issue.rule) == ("events.csv", 2, "encoding")
    assert "UTF-8" in issue.message


@pytest.mark.parametrize(
    ("visits", "field", "rule", "line"),
    [
        ("patient_id,date\nP01,2018-02-30\n", "date", "date", 2),
        ("patient_id,date\nP01,05/01/2018\n", "date", "date", 2),
        ("patient_id,date,cmas\nP01,2018-01-05,53\n", "cmas", "range", 2),
        ("patient_id,date,cmas\nP01,2018-01-05,30.5\n", "cmas", "integer", 2),
        ('patient_id,date,weight_kg\nP01,2018-01-05,"22,5"\n', "weight_kg", "number", 2),
        ("patient_id,date,rash\nP01,2018-01-05,maybe\n", "rash", "choice", 2),
        ("patient_id,date\nP01,\n", "date", "required", 2),
        ("patient_id,date\nP09,2018-01-05\n", "patient_id", "unknown_patient", 2),
        ("patient_id,date\nP01,2010-01-05\n", "date", "before_birth", 2),
        ("patient_id,date\nP01,2018-01-05\nP01,2018-01-05\n", "date", "unique", 3),
        ("patient_id,date,shoe_size\nP01,2018-01-05,3\n", "shoe_size", "unknown_column", 1),
        ("date\n2018-01-05\n", "patient_id", "missing_column", 1),
        ("patient_id,date,date\nP01,2018-01-05,2018-01-05\n", "date", "header", 1),
    ],
)
def test_visit_rules(
    tmp_path: Path, folder_maker: FolderMaker, visits: str, field: str, rule: str, line: int
) -> None:
    issue = _only(_issues(folder_maker(tmp_path, visits_csv=visits)))
    assert (issue.file, issue.line, issue.field, issue.rule) == ("visits.csv", line, field, rule)
    assert str(issue).startswith(f"visits.csv:{line}: {field}:")


@pytest.mark.parametrize(
    ("patients", "field", "rule"),
    [
        ("patient_id,sex,birth_date,diagnosis\nP01,X,2012-03-15,JDM\n", "sex", "choice"),
        (
            "patient_id,sex,birth_date,diagnosis\nJohn Smith,F,2012-03-15,JDM\n",
            "patient_id",
            "patient_id",
        ),
        (
            "patient_id,sex,birth_date,diagnosis\nP01,F,2012-03-15,JDM\nP01,F,2012-03-15,JDM\n",
            "patient_id",
            "unique",
        ),
        (
            "patient_id,sex,birth_date,diagnosis,antibodies\nP01,F,2012-03-15,JDM,MDA5;XYZ\n",
            "antibodies",
            "choice",
        ),
        (
            "patient_id,sex,birth_date,diagnosis,antibodies\nP01,F,2012-03-15,JDM,none;MDA5\n",
            "antibodies",
            "choice",
        ),
        (
            "patient_id,sex,birth_date,onset_date,diagnosis\nP01,F,2012-03-15,2011-01-01,JDM\n",
            "onset_date",
            "before_birth",
        ),
    ],
)
def test_patient_rules(
    tmp_path: Path, folder_maker: FolderMaker, patients: str, field: str, rule: str
) -> None:
    folder = folder_maker(
        tmp_path,
        patients_csv=patients,
        visits_csv=None,
        labs_csv=None,
        treatments_csv=None,
        events_csv=None,
    )
    issues = _issues(folder)
    assert any((i.file, i.field, i.rule) == ("patients.csv", field, rule) for i in issues), issues


@pytest.mark.parametrize(
    ("labs", "field", "rule"),
    [
        ("patient_id,date,analyte,value,unit\nP01,2018-01-05,CK,-1,U/L\n", "value", "range"),
        ("patient_id,date,analyte,value,unit\nP01,2018-01-05,CK,100,mg/dL\n", "unit", "unit"),
        ("patient_id,date,analyte,value,unit\nP01,2018-01-05,CK,100,\n", "unit", "required"),
        ("patient_id,date,analyte,value,unit\nP01,2018-01-05,CK,,U/L\n", "value", "required"),
        (
            "patient_id,date,analyte,value,unit\nP01,2018-01-05,troponin,1,U/L\n",
            "analyte",
            "choice",
        ),
        ("patient_id,date,analyte,result\nP01,2018-01-05,HBsAg,\n", "result", "required"),
        (
            "patient_id,date,analyte,value,result\nP01,2018-01-05,HBsAg,1,negative\n",
            "value",
            "qualitative",
        ),
        (
            "patient_id,date,analyte,value,unit,ref_low,ref_high\nP01,2018-01-05,LDH,1,U/L,300,100\n",
            "ref_low",
            "reference_range",
        ),
        (
            "patient_id,date,analyte,value,unit\nP01,2018-01-05,CK,1,U/L\nP01,2018-01-05,CK,2,U/L\n",
            "analyte",
            "unique",
        ),
    ],
)
def test_lab_rules(
    tmp_path: Path, folder_maker: FolderMaker, labs: str, field: str, rule: str
) -> None:
    issue = _only(_issues(folder_maker(tmp_path, labs_csv=labs)))
    assert (issue.file, issue.field, issue.rule) == ("labs.csv", field, rule)


@pytest.mark.parametrize(
    ("treatments", "field", "rule"),
    [
        (
            "patient_id,drug,start_date,end_date\nP01,ruxolitinib,2018-03-01,2018-02-01\n",
            "end_date",
            "end_before_start",
        ),
        ("patient_id,drug,start_date\nP01,Ruxolitnib,2018-03-01\n", "drug", "drug_name"),
        (
            "patient_id,drug,dose,start_date\nP01,ruxolitinib,5,2018-03-01\n",
            "dose_unit",
            "required",
        ),
        (
            "patient_id,drug,start_date\nP01,ruxolitinib,2018-03-01\nP01,tofacitinib,2018-03-01\n",
            "start_date",
            "jak_same_start",
        ),
        (
            "patient_id,drug,start_date,frequency\nP01,ruxolitinib,2018-03-01,twice\n",
            "frequency",
            "choice",
        ),
    ],
)
def test_treatment_rules(
    tmp_path: Path, folder_maker: FolderMaker, treatments: str, field: str, rule: str
) -> None:
    issue = _only(_issues(folder_maker(tmp_path, treatments_csv=treatments)))
    assert (issue.file, issue.field, issue.rule) == ("treatments.csv", field, rule)


@pytest.mark.parametrize(
    ("events", "field", "rule"),
    [
        ("patient_id,date,event\nP01,2011-01-01,relapse\n", "date", "before_birth"),
        ("patient_id,date,event\nP01,2018-01-01,flare\n", "event", "choice"),
        ("patient_id,date,event,grade\nP01,2018-01-01,adverse_event,6\n", "grade", "range"),
    ],
)
def test_event_rules(
    tmp_path: Path, folder_maker: FolderMaker, events: str, field: str, rule: str
) -> None:
    issue = _only(_issues(folder_maker(tmp_path, events_csv=events)))
    assert (issue.file, issue.field, issue.rule) == ("events.csv", field, rule)


def test_ragged_row_names_its_line(tmp_path: Path, folder_maker: FolderMaker) -> None:
    visits = "patient_id,date,cmas\nP01,2018-01-05,30\nP01,2018-02-05,31,extra\n"
    issue = _only(_issues(folder_maker(tmp_path, visits_csv=visits)))
    assert (issue.line, issue.rule) == (3, "row_length")


def test_line_numbers_count_quoted_newlines(tmp_path: Path, folder_maker: FolderMaker) -> None:
    events = (
        'patient_id,date,event,detail\nP01,2018-01-20,infection,"EBV\nsecond line"\n'
        "P01,2018-13-20,relapse,\n"
    )
    issue = _only(_issues(folder_maker(tmp_path, events_csv=events)))
    assert (issue.line, issue.rule) == (4, "date")


def test_missing_patients_file_and_unknown_file(tmp_path: Path, folder_maker: FolderMaker) -> None:
    folder = folder_maker(tmp_path, patients_csv=None)
    (folder / "Visits.csv").write_text("x\n", encoding="utf-8")
    rules = {(i.file, i.rule) for i in _issues(folder)}
    assert ("patients.csv", "missing_file") in rules
    assert ("Visits.csv", "unknown_file") in rules


def test_bad_cutoff_setting(tmp_path: Path, folder_maker: FolderMaker) -> None:
    issue = _only(_issues(folder_maker(tmp_path, cohort_toml='cutoff_date = "31/12/2022"\n')))
    assert (issue.file, issue.field, issue.rule) == ("cohort.toml", "cutoff_date", "date")


def test_every_problem_is_reported_not_just_the_first(
    tmp_path: Path, folder_maker: FolderMaker
) -> None:
    visits = "patient_id,date,cmas\nP01,2018-02-30,30\nP01,2018-01-05,99\nP77,2018-01-06,1\n"
    issues = _issues(folder_maker(tmp_path, visits_csv=visits))
    assert [(i.line, i.rule) for i in issues] == [(2, "date"), (3, "range"), (4, "unknown_patient")]


@pytest.mark.parametrize(
    ("text", "value"),
    [("12", 12.0), ("12.5", 12.5), ("+3", 3.0), ("-0.5", -0.5), (".5", 0.5), ("7.", 7.0)],
)
def test_numbers_accepted(text: str, value: float) -> None:
    from myotrack.cohort.cells import parse_number

    assert parse_number(text) == value


@pytest.mark.parametrize(
    "text", ["1,5", "1e3", "nan", "inf", "1_000", ".", "-", "١٢", "12.5.1", "²"]
)
def test_numbers_refused(text: str) -> None:
    from myotrack.cohort.cells import CellError, parse_number

    with pytest.raises(CellError):
        parse_number(text)
