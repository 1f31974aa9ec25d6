"""Formula injection: text cells that start like a formula are escaped on write and read
back exactly; numbers are never touched."""

from __future__ import annotations

import csv
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from myotrack.cohort import read_folder, write_folder
from myotrack.cohort.spreadsheet_safety import (
    FORMULA_STARTS,
    escape,
    escape_row,
    unescape,
    unescape_row,
)
from myotrack.domain import Cohort, Event, Patient, Visit

# Characters spreadsheets read as the start of a formula (OWASP "CSV Injection"), written
# out here independently of the module.
DANGEROUS = ["=", "+", "-", "@", "\t", "\r"]


@given(st.text())
def test_unescape_inverts_escape_for_any_text(text: str) -> None:
    assert unescape(escape(text)) == text


@given(st.text(), st.text())
def test_escape_is_injective(a: str, b: str) -> None:
    if a != b:
        assert escape(a) != escape(b)


@given(st.text())
def test_no_escaped_text_starts_like_a_formula(text: str) -> None:
    assert not escape(text).startswith(tuple(DANGEROUS))


def test_the_dangerous_starts_are_the_owasp_list() -> None:
    assert set(FORMULA_STARTS) == set(DANGEROUS)
    assert escape("=1+2") == "'=1+2"
    assert escape("'quoted") == "''quoted"
    assert escape("plain") == "plain"
    assert unescape("''quoted") == "'quoted"


def test_rows_escape_text_but_not_numbers() -> None:
    assert escape_row(["-5", -5, -2.5, "@x", None]) == ["'-5", -5, -2.5, "'@x", None]
    assert unescape_row(["a", "b"]) == ["a", "b"]
    assert unescape_row(["'=x", "b", "''y"]) == ["=x", "b", "'y"]


def _cohort(note: str, detail: str) -> Cohort:
    return Cohort(
        patients=(
            Patient(
                patient_id="P-1",
                sex="F",
                birth_date=date(2012, 3, 4),
                diagnosis="JDM",
                extra={"x_note": note},
            ),
        ),
        visits=(Visit(patient_id="P-1", date=date(2020, 1, 2), cmas=40.0),),
        events=(Event(patient_id="P-1", date=date(2020, 2, 3), event="infection", detail=detail),),
    )


def test_an_exported_formula_is_text_in_a_spreadsheet(tmp_path: Path) -> None:
    cohort = _cohort('=HYPERLINK("http://evil","click")', "@SUM(A1)")
    write_folder(cohort, tmp_path)
    with (tmp_path / "patients.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    note = rows[1][rows[0].index("x_note")]
    assert note == '\'=HYPERLINK("http://evil","click")'
    events = (tmp_path / "events.csv").read_text(encoding="utf-8")
    assert "'@SUM(A1)" in events
    again, issues = read_folder(tmp_path)
    assert issues == [] and again == cohort


def test_negative_numbers_stay_numbers(tmp_path: Path) -> None:
    cohort = Cohort(
        patients=(Patient(patient_id="-P", sex="M", birth_date=date(2011, 1, 1), diagnosis="JDM"),),
        visits=(Visit(patient_id="-P", date=date(2020, 1, 2), weight_kg=30.5),),
    )
    write_folder(cohort, tmp_path)
    lines = (tmp_path / "visits.csv").read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("'-P,2020-01-02,30.5")  # the id is text, the weight a number
    again, issues = read_folder(tmp_path)
    assert issues == [] and again == cohort


# Text a cohort folder can hold in a free column: the reader ignores blanks around a cell,
# so the property is over text without them (NUL cannot be in a CSV file).
free_text = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
    min_size=1,
    max_size=40,
).filter(lambda t: t == t.strip() and t != "")


@settings(max_examples=150, deadline=None)
@given(note=free_text, prefix=st.sampled_from(["", *DANGEROUS[:4], "'", "''"]))
def test_any_text_survives_write_and_read(note: str, prefix: str) -> None:
    text = prefix + note
    cohort = _cohort(text, "EBV")
    with tempfile.TemporaryDirectory() as tmp:
        write_folder(cohort, tmp)
        again, issues = read_folder(tmp)
    assert issues == []
    assert again is not None
    assert again.patients[0].extra == {"x_note": text}
