"""The streamed check of a cohort folder (`cohort.scan_folder`, issue 13) against the reader
that holds every row (`read_folder`, the oracle): on good and bad folders the same issues
(file, line, column, rule, message, in the same order), the same warnings, and for a good
folder the same Cohort from `FolderScan.chunks`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from myotrack.cohort import (
    FolderChangedError,
    FolderScan,
    read_folder,
    scan_folder,
    streamable,
    synthesize,
    write_folder,
)
from myotrack.cohort import stream as stream_module
from myotrack.domain import Cohort, ValidationIssue

TODAY = date(2026, 12, 1)
FolderMaker = Callable[..., Path]

P = "patient_id,sex,birth_date,diagnosis\n"
V = "patient_id,date,weight_kg,cmas\n"
L = "patient_id,date,analyte,value,result,unit,ref_low,ref_high\n"
T = "patient_id,drug,dose,dose_unit,start_date,end_date\n"
E = "patient_id,date,event,detail,grade\n"

# Folders with problems in every file and of every kind, several at once: the changes to
# the good folder of tests/conftest.py (None removes a file).
BAD: dict[str, dict[str, str | None]] = {
    "cells everywhere": {
        "patients_csv": P + "P01,X,2012-03-15,JDM\nJohn Smith,F,2012-03-15,JDM\nP02,F,,JDM\n",
        "visits_csv": V + "P01,2018-02-30,22,30\nP01,2018-01-05,abc,99\nP77,2018-01-06,,1\n",
        "labs_csv": L + "P01,2018-01-05,troponin,1,,U/L,,\nP01,2018-01-05,CK,-1,,U/L,,\n",
        "treatments_csv": T + "P01,Ruxolitnib,5,mg,2018-03-01,\n",
        "events_csv": E + "P01,2018-01-01,flare,,\nP01,2018-01-01,adverse_event,,6\n",
    },
    "repeated keys": {
        "patients_csv": P + "P01,F,2012-03-15,JDM\nP02,M,2017-06-15,JDM\nP01,F,2012-03-15,JDM\n",
        "visits_csv": V + "P01,2018-01-05,22,30\nP02,2021-01-05,16,\nP01,2018-01-05,23,31\n"
        "P01,2018-01-05,24,\n",
        "labs_csv": L + "P01,2018-01-05,CK,1,,U/L,,\nP01,2018-01-05,CK,2,,U/L,,\n"
        "P02,2021-01-05,CK,2,,U/L,,\nP01,2018-01-05,LDH,2,,U/L,,\nP01,2018-01-05,CK,3,,U/L,,\n",
        "treatments_csv": T + "P01,ruxolitinib,5,mg,2018-03-01,\nP01,tofacitinib,5,mg,2018-03-01,\n"
        "P01,ruxolitinib,5,mg,2018-03-01,\nP02,baricitinib,2,mg,2021-03-01,\n",
        "events_csv": E + "P01,2018-01-01,infection,PJP,3\nP01,2018-01-01,infection,PJP,2\n"
        "P01,2018-01-01,infection,EBV,2\nP01,2018-01-01,relapse,,\nP01,2018-01-01,relapse,,\n",
    },
    "rules across rows and unknown patients": {
        "visits_csv": V + "P09,2018-01-05,22,30\nP01,2010-01-05,22,30\nP01,2030-01-05,22,30\n",
        "labs_csv": L + "P01,2018-01-05,CK,100,,mg/dL,,\nP01,2018-01-05,HBsAg,1,negative,,,\n"
        "P01,2018-01-06,LDH,1,,U/L,300,100\nP03,2018-01-05,CK,1,,U/L,,\n",
        "treatments_csv": T + "P01,ruxolitinib,5,,2018-03-01,\n"
        "P01,prednisolone,1,mg/kg,2018-03-01,2018-02-01\nP05,ruxolitinib,5,mg,2018-03-01,\n"
        "P05,tofacitinib,5,mg,2018-03-01,\n",
        "events_csv": E + "P01,2011-01-01,relapse,,\nP04,2018-01-01,relapse,,\n",
    },
    "implausible, impossible and confirmed values": {
        "visits_csv": "patient_id,date,weight_kg,x_confirm_implausible\n"
        "P01,2018-01-05,130,\nP01,2018-02-05,131,yes\nP02,2021-10-05,16,\n",
        "labs_csv": "patient_id,date,analyte,value,unit,x_confirm_implausible\n"
        "P01,2018-01-05,CK,150000,U/L,\nP01,2018-01-06,CK,150000,U/L,YES\n"
        "P01,2018-01-07,hemoglobin,126,g/dL,yes\n",
    },
    "only implausible values": {
        "visits_csv": "patient_id,date,weight_kg\nP01,2018-01-05,130\nP02,2021-10-05,16\n",
        "labs_csv": "patient_id,date,analyte,value,unit\nP01,2018-01-05,CK,150000,U/L\n",
    },
    "headers": {
        "visits_csv": "patient_id,date,date\nP01,2018-01-05,2018-01-05\n",
        "labs_csv": "date\n2018-01-05\n",
        "events_csv": "patient_id,date,event,shoe_size\nP01,2018-01-01,relapse,3\n",
        "treatments_csv": "",
    },
    "a version 2 column in a version 1 folder": {
        "patients_csv": "patient_id,sex,birth_date,diagnosis,ethnicity\nP01,F,2012-03-15,JDM,x\n"
    },
    "no patients file and an unknown file": {"patients_csv": None, "Visits_csv": "x\n"},
    "ragged rows, quoted newlines, blank lines": {
        "visits_csv": V + "P01,2018-01-05,22,30\n\nP01,2018-02-05,22,31,extra\n"
        'P01,"2018-03-05",22,"3\n1"\n',
        "events_csv": E
        + 'P01,2018-01-20,infection,"EBV\nsecond line",\nP01,2018-13-20,relapse,,\n',
    },
    "a row that cannot be read": {"visits_csv": V + 'P01,2018-01-05,22,"30\n'},
    "an empty patients file": {"patients_csv": ""},
}


def _both(
    folder: Path, *, accept: bool = False
) -> tuple[tuple[Cohort | None, list[ValidationIssue], list[ValidationIssue]], ...]:
    """(cohort, issues, warnings) of the oracle and of the streamed check."""
    old_warnings: list[ValidationIssue] = []
    cohort, issues = read_folder(
        folder, today=TODAY, accept_implausible=accept, warnings=old_warnings
    )
    new_warnings: list[ValidationIssue] = []
    result = scan_folder(folder, today=TODAY, accept_implausible=accept, warnings=new_warnings)
    assert result is not None, "a version 1 folder is streamed"
    scan, new_issues = result
    streamed = None if scan is None else _cohort(scan)
    return (cohort, issues, old_warnings), (streamed, new_issues, new_warnings)


def _cohort(scan: FolderScan) -> Cohort:
    patients, visits, labs, courses, events = (
        tuple(obj for chunk in scan.chunks(file, size=2) for obj in chunk)
        for file in ("patients.csv", "visits.csv", "labs.csv", "treatments.csv", "events.csv")
    )
    return Cohort(patients, visits, labs, courses, events, cutoff_date=scan.cutoff_date)


def _assert_same(folder: Path, *, accept: bool = False) -> list[ValidationIssue]:
    old, new = _both(folder, accept=accept)
    assert [str(i) for i in new[1]] == [str(i) for i in old[1]]
    assert new[1] == old[1]
    assert new[2] == old[2]
    assert new[0] == old[0]
    return old[1]


@pytest.mark.parametrize("accept", [False, True])
@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_folders_give_the_same_issues(
    tmp_path: Path, folder_maker: FolderMaker, name: str, accept: bool
) -> None:
    changes = {k: v for k, v in BAD[name].items() if not k[0].isupper()}
    folder = folder_maker(tmp_path, **changes)
    for key, text in BAD[name].items():
        if key[0].isupper() and text is not None:  # an extra file with a capital letter
            (folder / key.replace("_csv", ".csv")).write_text(text, encoding="utf-8")
    issues = _assert_same(folder, accept=accept)
    if name != "only implausible values" or not accept:
        assert issues, "each bad folder has a problem"


def test_the_good_folder_gives_the_same_cohort(tmp_path: Path, folder_maker: FolderMaker) -> None:
    folder = folder_maker(tmp_path)
    assert _assert_same(folder) == []


def test_not_utf8_and_bom(tmp_path: Path, folder_maker: FolderMaker) -> None:
    folder = folder_maker(tmp_path)
    (folder / "patients.csv").write_bytes(b"\xef\xbb\xbf" + (folder / "patients.csv").read_bytes())
    (folder / "labs.csv").write_bytes(
        (folder / "labs.csv").read_bytes()
        + b"P01,2019-01-05,CK,1,,U/L,,\nP01,2019-01-06,CK,1,,\xb5kat/L,,\n"
    )
    issues = _assert_same(folder)
    assert [(i.file, i.line, i.rule) for i in issues] == [("labs.csv", 7, "encoding")]


def test_a_synthetic_cohort_gives_the_same_cohort(tmp_path: Path) -> None:
    write_folder(synthesize(12, seed=3), tmp_path / "synth")
    assert _assert_same(tmp_path / "synth", accept=True) == []


def test_meeting_hashes_are_told_apart_by_their_keys(
    tmp_path: Path, folder_maker: FolderMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every key hashed alike: each line is a suspect and read again, and only the rows
    whose keys are really equal are reported, naming the first line."""
    monkeypatch.setattr(stream_module, "hash", lambda _key: 7, raising=False)
    folder = folder_maker(tmp_path, **BAD["repeated keys"])
    issues = _assert_same(folder)
    assert sum(i.rule == "unique" for i in issues) == 8
    assert _assert_same(folder_maker(tmp_path / "good")) == []


def test_version_2_folders_are_left_to_read_folder(
    tmp_path: Path, folder_maker: FolderMaker
) -> None:
    folder = folder_maker(tmp_path, cohort_toml="format_version = 2\n")
    assert not streamable(folder)
    assert scan_folder(folder, today=TODAY) is None
    assert scan_folder(tmp_path / "nowhere", today=TODAY) is None
    bad = folder_maker(tmp_path / "bad", cohort_toml='cutoff_date = "31/12/2022"\n')
    assert scan_folder(bad, today=TODAY) is None


def test_a_file_changed_after_its_check_stops_the_chunks(
    tmp_path: Path, folder_maker: FolderMaker
) -> None:
    folder = folder_maker(tmp_path)
    good_labs = (folder / "labs.csv").read_text(encoding="utf-8")
    result = scan_folder(folder, today=TODAY)
    assert result is not None and result[0] is not None
    scan = result[0]
    with (folder / "visits.csv").open("a", encoding="utf-8") as handle:
        handle.write("P01,2019-01-05,24,,,40,\n")
    with pytest.raises(FolderChangedError):
        list(scan.chunks("visits.csv"))
    (folder / "labs.csv").write_text(good_labs + "P01,2019-02-30,CK,1,,U/L,,\n")
    with pytest.raises(FolderChangedError):
        list(scan.chunks("labs.csv"))


# A cell written into a random place of the good folder: valid and invalid values of every
# kind, repeated keys (a copied line) and unknown patients.
_CELLS = st.sampled_from(
    [
        "",
        " ",
        "P01",
        "P02",
        "P99",
        "bad id!",
        "2018-01-05",
        "2021-09-20",
        "2031-01-01",
        "2018-02-30",
        "1999-01-01",
        "yes",
        "no",
        "maybe",
        "0",
        "7",
        "52",
        "130",
        "150000",
        "-3",
        "1,5",
        "U/L",
        "g/dL",
        "CK",
        "LDH",
        "ruxolitinib",
        "tofacitinib",
        "Ruxolitnib",
        "relapse",
        "infection",
        "F",
        "X",
        "JDM",
        "MDA5;RO52",
        "none;MDA5",
        "negative",
    ]
)
_FILES = ("patients.csv", "visits.csv", "labs.csv", "treatments.csv", "events.csv")


@st.composite
def _mutations(draw: st.DrawFn) -> list[tuple[str, int, str, int, str, int]]:
    """Changes to make to the good folder: (file, line, action, cell, text, where)."""
    return [
        (
            draw(st.sampled_from(_FILES)),
            draw(st.integers(1, 5)),
            draw(st.sampled_from(["cell", "cell", "copy", "drop"])),
            draw(st.integers(0, 10)),
            draw(_CELLS),
            draw(st.integers(1, 6)),
        )
        for _ in range(draw(st.integers(1, 4)))
    ]


def _mutated(
    good: dict[str, str], changes: list[tuple[str, int, str, int, str, int]]
) -> dict[str, str]:
    files = {name: good[name].splitlines() for name in _FILES}
    for name, line, action, cell, text, where in changes:
        lines = files[name]
        if len(lines) < 2:
            continue
        at = 1 + line % (len(lines) - 1)
        if action == "copy":
            lines.insert(1 + where % len(lines), lines[at])
        elif action == "drop":
            del lines[at]
        else:
            cells = lines[at].split(",")
            cells[cell % len(cells)] = text
            lines[at] = ",".join(cells)
    return {name: "\n".join(lines) + "\n" for name, lines in files.items()}


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(changes=_mutations(), accept=st.booleans())
def test_random_folders_give_the_same_result(
    tmp_path_factory: pytest.TempPathFactory,
    folder_maker: FolderMaker,
    changes: list[tuple[str, int, str, int, str, int]],
    accept: bool,
) -> None:
    good = folder_maker(tmp_path_factory.mktemp("good"))
    texts = {name: (good / name).read_text(encoding="utf-8") for name in _FILES}
    files = _mutated(texts, changes)
    folder = folder_maker(
        tmp_path_factory.mktemp("random"), **{k.replace(".", "_"): v for k, v in files.items()}
    )
    _assert_same(folder, accept=accept)
