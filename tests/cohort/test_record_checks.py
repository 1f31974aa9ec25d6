"""The one set of record checks (cohort.record_checks), called by the importer and the web
services alike: worked examples of each rule, and the import's handling of implausible
values (--accept-implausible, x_confirm_implausible)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from myotrack.cli import app
from myotrack.cohort.record_checks import (
    Context,
    Problem,
    check_course,
    check_event,
    check_jak_start,
    check_lab,
    check_patient,
    check_totals,
    check_visit,
)

TODAY = date(2024, 6, 1)
GIRL = Context(TODAY, date(2014, 5, 1), "F")


def _rules(problems: list[Problem]) -> set[tuple[str, str]]:
    return {(p.field, p.rule) for p in problems}


def test_patient_dates() -> None:
    values = {
        "birth_date": date(2014, 5, 1),
        "onset_date": date(2014, 4, 1),  # before birth
        "diagnosis_date": date(2024, 6, 2),  # after today
    }
    assert _rules(check_patient(values, Context(TODAY))) == {
        ("onset_date", "before_birth"),
        ("diagnosis_date", "future_date"),
    }
    order = {"birth_date": date(2014, 5, 1), "onset_date": date(2020, 3, 1)}
    order["diagnosis_date"] = date(2020, 1, 1)
    problems = check_patient(order, Context(TODAY))
    assert _rules(problems) == {("diagnosis_date", "date_order")}
    assert "2020-01-01" in problems[0].message and "2020-03-01" in problems[0].message
    assert check_patient({"birth_date": TODAY}, Context(TODAY)) == []


def test_record_dates_against_birth_and_today() -> None:
    assert _rules(check_event({"date": date(2014, 4, 30)}, GIRL)) == {("date", "before_birth")}
    assert check_event({"date": date(2014, 5, 1)}, GIRL) == []
    assert check_event({"date": TODAY}, GIRL) == []
    assert _rules(check_event({"date": date(2024, 6, 2)}, GIRL)) == {("date", "future_date")}


def test_course_rules() -> None:
    course = {
        "drug": "prednisolone",
        "start_date": date(2024, 1, 10),
        "end_date": date(2024, 1, 9),
        "dose": 5.0,
        "dose_unit": None,
    }
    assert _rules(check_course(course, GIRL)) == {
        ("end_date", "end_before_start"),
        ("dose_unit", "required"),
    }
    start = date(2024, 1, 10)
    assert check_jak_start("ruxolitinib", start, [start]) is not None
    assert check_jak_start("prednisolone", start, [start]) is None
    assert check_jak_start("ruxolitinib", start, [date(2024, 1, 11)]) is None


def test_lab_rules() -> None:
    screening = {"date": TODAY, "analyte": "TB_IGRA", "value": 1.0, "result": None}
    assert _rules(check_lab(screening, GIRL)) == {
        ("result", "required"),
        ("value", "qualitative"),
    }
    measured = {"date": TODAY, "analyte": "CK", "value": 120.0, "unit": "mg/dL"}
    assert _rules(check_lab(measured, GIRL)) == {("unit", "unit")}
    limits = {"date": TODAY, "analyte": "CK", "value": 120.0, "unit": "U/L"}
    limits.update(ref_low=200.0, ref_high=100.0)
    assert _rules(check_lab(limits, GIRL)) == {("ref_low", "reference_range")}
    impossible = {"date": TODAY, "analyte": "hemoglobin", "value": 126.0, "unit": "g/dL"}
    (problem,) = check_lab(impossible, GIRL)
    assert (problem.rule, problem.needs_confirmation) == ("impossible_value", False)
    unusual = {"date": TODAY, "analyte": "CK", "value": 150_000.0, "unit": "U/L"}
    (problem,) = check_lab(unusual, GIRL)
    assert (problem.rule, problem.needs_confirmation) == ("implausible_value", True)


def test_visit_weight_for_age() -> None:
    ten = {"date": TODAY, "weight_kg": 32.0, "height_cm": 140.0}
    assert check_visit(ten, GIRL) == []
    (problem,) = check_visit({"date": TODAY, "weight_kg": 130.0}, GIRL)
    assert problem.field == "weight_kg" and problem.needs_confirmation


def test_typed_total_against_items() -> None:
    (problem,) = check_totals({"cmas": 40.0}, {"cmas": 52.0})
    assert (problem.field, problem.rule) == ("cmas", "total_mismatch")
    assert "40" in problem.message and "52" in problem.message
    assert check_totals({"cmas": 52.0}, {"cmas": 52.0}) == []
    assert check_totals({"cmas": 40.0}, {}) == []  # no items: the typed total stands


def _folder(tmp_path: Path, labs: str) -> Path:
    folder = tmp_path / "cohort"
    folder.mkdir()
    (folder / "patients.csv").write_text(
        "patient_id,sex,birth_date,diagnosis\nP1,F,2014-05-01,JDM\n"
    )
    (folder / "labs.csv").write_text(labs)
    return folder


def test_cli_needs_accept_implausible(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "patient_id,date,analyte,value,unit\nP1,2024-05-02,CK,150000,U/L\n")
    runner = CliRunner()
    refused = runner.invoke(app, ["validate", str(folder)])
    assert refused.exit_code != 0
    assert "implausible_value" in refused.output and "--accept-implausible" in refused.output
    accepted = runner.invoke(app, ["validate", "--accept-implausible", str(folder)])
    assert accepted.exit_code == 0, accepted.output
    assert "1 unusual value accepted" in accepted.output
    database = f"sqlite:///{tmp_path / 'r.db'}"
    imported = runner.invoke(
        app, ["import", "--accept-implausible", "--database", database, str(folder)]
    )
    assert imported.exit_code == 0, imported.output


def test_cli_refuses_impossible_even_when_accepting(tmp_path: Path) -> None:
    folder = _folder(
        tmp_path, "patient_id,date,analyte,value,unit\nP1,2024-05-02,hemoglobin,126,g/dL\n"
    )
    result = CliRunner().invoke(app, ["validate", "--accept-implausible", str(folder)])
    assert result.exit_code != 0
    assert "impossible_value" in result.output and "g/L?" in result.output
