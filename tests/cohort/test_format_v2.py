"""Cohort format version 2: version 1 folders read unchanged, the demo's version 2 records
are the seed-003 child as the paper reports him, exports re-read as the same cohort, and
every version 2 rule speaks in the `file:line: column: message [rule]` shape."""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from myotrack.cohort import DEMO_FOLDER, read_folder, write_folder
from myotrack.cohort.columns_v2 import FILES_V2, RECORD_KIND, RECORD_KINDS, record_key
from myotrack.cohort.synth import synthesize
from myotrack.cohort.whole import whole_records
from myotrack.domain import Cohort, PartialDate, ValidationIssue, v1_view

FolderMaker = Callable[..., Path]
TODAY = date(2026, 12, 1)


def _seed003() -> Any:
    path = Path(__file__).parents[1] / "domain" / "seed003_record.py"
    spec = importlib.util.spec_from_file_location("seed003_record_for_cohort", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _sorted_rows(cohort: Cohort) -> list[Any]:
    def key(r: Any) -> tuple[str, str, str]:
        return (r.kind, r.patient_id, record_key(RECORD_KIND[r.kind], r.values))

    return sorted(cohort.v2_rows, key=key)


def _read(folder: Path) -> Cohort:
    cohort, issues = read_folder(folder, today=TODAY)
    assert issues == [], [str(i) for i in issues]
    assert cohort is not None
    return cohort


def _issues(folder: Path) -> list[str]:
    cohort, issues = read_folder(folder, today=TODAY)
    assert cohort is None and issues
    return [str(i) for i in issues]


@pytest.fixture(scope="module")
def demo() -> Cohort:
    return _read(DEMO_FOLDER)


# ------------------------------------------------------------------ version 1 unchanged


def _as_v2(folder: Path, into: Path) -> Path:
    shutil.copytree(folder, into)
    settings = into / "cohort.toml"
    old = settings.read_text(encoding="utf-8") if settings.exists() else ""
    settings.write_text("format_version = 2\n" + old, encoding="utf-8")
    return into


def test_a_version_1_folder_reads_the_same_under_version_2(
    tmp_path: Path, folder_maker: FolderMaker
) -> None:
    v1_folder = folder_maker(tmp_path / "v1")
    v1 = _read(v1_folder)
    assert v1.v2_rows == ()
    assert _read(_as_v2(v1_folder, tmp_path / "v2")) == v1


@pytest.mark.parametrize("seed", [1, 2])
def test_generated_version_1_folders_read_the_same_under_version_2(
    tmp_path: Path, seed: int
) -> None:
    cohort = synthesize(6, seed=seed, visits_per_patient=4, labs_per_patient=6)
    write_folder(cohort, tmp_path / "v1")
    assert (
        not (tmp_path / "v1" / "cohort.toml").exists()
        or "format_version" not in (tmp_path / "v1" / "cohort.toml").read_text()
    )
    v1 = _read(tmp_path / "v1")
    assert _read(_as_v2(tmp_path / "v1", tmp_path / "v2")) == v1


def test_the_demo_version_1_part_reads_the_same_as_a_version_1_folder(
    tmp_path: Path, demo: Cohort
) -> None:
    v1_part = replace(demo, v2_rows=())
    write_folder(v1_part, tmp_path / "v1")
    assert "format_version" not in (tmp_path / "v1" / "cohort.toml").read_text()
    assert _read(tmp_path / "v1") == v1_part
    assert _read(_as_v2(tmp_path / "v1", tmp_path / "v2")) == v1_part


# ------------------------------------------------------------------ the demo child


def test_the_demo_carries_the_seed_003_child_as_the_paper_reports_him(demo: Cohort) -> None:
    truth = _seed003().seed003_record()
    mine = whole_records(demo)["MDA5-case"]
    assert mine.investigations == truth.investigations
    assert mine.involvement == truth.involvement
    assert mine.clinical_events == truth.clinical_events
    assert mine.decisions == truth.decisions
    bg, true_bg = mine.background, truth.background
    assert bg is not None and true_bg is not None
    assert (bg.subtype, bg.family_history, bg.ana, bg.antibody_tests) == (
        true_bg.subtype,
        true_bg.family_history,
        true_bg.ana,
        true_bg.antibody_tests,
    )
    assert bg.first_specialist_contact == true_bg.first_specialist_contact
    assert bg.ana[0].titre_text == "1:160"
    # the infection: Pneumocystis on the lavage, coded (no longer only the detail text)
    (infection,) = mine.infections
    assert infection.organism == "pneumocystis_jirovecii"
    assert infection.specimen == "bronchoalveolar lavage"
    courses = {(c.drug, c.start.iso() if c.start else None): c for c in mine.treatment_courses}
    ampicillin = courses[("ampicillin/sulbactam", "2021")]
    assert (ampicillin.indication, ampicillin.prescribed_elsewhere) == ("empirical", True)
    tacrolimus = courses[("tacrolimus", "2021-12-15")]
    assert tacrolimus.strength is not None and tacrolimus.strength.text() == "0.1%"
    assert tacrolimus.formulation == "ointment" and tacrolimus.route == "topical"
    assert courses[("cotrimoxazole", "2021-09-17")].indication == "treatment"
    assert courses[("cotrimoxazole", "2021-10-08")].indication == "prophylaxis"
    assert courses[("mometasone", "2021-09-15")].sites_excluded == ("face",)
    assert courses[("ruxolitinib", "2021-10-05")].status == "ongoing"


def test_the_demo_version_1_records_are_kept(demo: Cohort) -> None:
    record = demo.records()["MDA5-case"]
    assert [c.drug for c in record.courses].count("cotrimoxazole") == 2
    assert record.index_date == date(2021, 10, 5)
    assert not any(c.drug == "ampicillin/sulbactam" for c in record.courses)


def test_the_analyses_view_says_how_it_used_a_date_known_to_the_year(demo: Cohort) -> None:
    records, warnings = v1_view(demo)
    courses = records["MDA5-case"].courses
    ampicillin = [c for c in courses if c.drug == "ampicillin/sulbactam"]
    assert [c.start_date for c in ampicillin] == [date(2021, 7, 1)]  # mid-year
    (note,) = warnings["MDA5-case"]
    assert "2021 is known only to the year; 2021-07-01 was used" in note
    # the detail of a version 1 course is not counted twice
    assert len(courses) == len(demo.records()["MDA5-case"].courses) + 1
    assert set(warnings) == {"MDA5-case"}


# ------------------------------------------------------------------ round trip


def test_a_version_2_export_reads_back_as_the_same_cohort(tmp_path: Path, demo: Cohort) -> None:
    write_folder(demo, tmp_path / "out")
    assert "format_version = 2" in (tmp_path / "out" / "cohort.toml").read_text()
    back = _read(tmp_path / "out")
    assert replace(back, v2_rows=()) == replace(demo, v2_rows=())
    assert _sorted_rows(back) == _sorted_rows(demo)
    # and once more: the written folder is a fixed point
    write_folder(back, tmp_path / "again")
    for name in FILES_V2:
        first, second = tmp_path / "out" / name, tmp_path / "again" / name
        assert first.exists() == second.exists(), name
        if first.exists():
            assert sorted(first.read_text().splitlines()) == sorted(
                second.read_text().splitlines()
            ), name


def test_every_record_kind_has_its_file_columns_and_key() -> None:
    for kind in RECORD_KINDS:
        assert kind.columns[0].name == "patient_id", kind.name
        names = {c.name for c in kind.columns}
        assert set(kind.key) <= names, kind.name
        file_columns = {c.name for c in FILES_V2[kind.file]}
        assert names - {"start_date", "date"} <= file_columns, kind.name


# ------------------------------------------------------------------ messages and rules

V2 = "format_version = 2\ncutoff_date = 2022-12-31\n"


def test_a_version_1_folder_with_a_version_2_column_is_told_what_to_do(
    tmp_path: Path, folder_maker: FolderMaker
) -> None:
    treatments = "patient_id,drug,start_date,indication\nP01,ruxolitinib,2018-01-06,treatment\n"
    (problem,) = _issues(folder_maker(tmp_path, treatments_csv=treatments))
    assert problem.startswith("treatments.csv:1: indication: unknown column 'indication'")
    assert "add format_version = 2 to cohort.toml" in problem
    assert problem.endswith("[unknown_column]")


def test_a_version_1_folder_with_a_version_2_file_is_told_what_to_do(
    tmp_path: Path, folder_maker: FolderMaker
) -> None:
    folder = folder_maker(tmp_path, oxygen_csv="patient_id,date,support\nP01,2018-01,none\n")
    (problem,) = _issues(folder)
    assert problem.startswith("oxygen.csv: unknown file")
    assert "oxygen.csv is a file of format version 2" in problem


@pytest.mark.parametrize("value", ["3", '"2"', "true"])
def test_format_version_must_be_1_or_2(
    tmp_path: Path, folder_maker: FolderMaker, value: str
) -> None:
    (problem,) = _issues(folder_maker(tmp_path, cohort_toml=f"format_version = {value}\n"))
    assert problem == "cohort.toml: format_version: format_version must be 1 or 2 [settings]"


def _v2_issue(tmp_path: Path, folder_maker: FolderMaker, **files: str) -> str:
    (problem,) = _issues(folder_maker(tmp_path, cohort_toml=V2, **files))
    return problem


def test_partial_dates_are_read_with_their_precision(
    tmp_path: Path, folder_maker: FolderMaker
) -> None:
    folder = folder_maker(
        tmp_path,
        cohort_toml=V2,
        treatments_csv=(
            "patient_id,drug,start_date,end_date,status,start_unknown\n"
            "P02,ruxolitinib,2021-10,,ongoing,\n"
            "P02,tacrolimus,,,,yes\n"
        ),
    )
    cohort = _read(folder)
    rows = {r.values["drug"]: r for r in cohort.v2_rows}
    assert rows["ruxolitinib"].values["start_date"] == PartialDate(2021, 10)
    assert "start_date" not in rows["tacrolimus"].values
    assert cohort.courses == ()  # neither can be a version 1 course


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"treatments_csv": "patient_id,drug,start_date\nP02,ruxolitinib,2021-13\n"},
            "treatments.csv:2: start_date: '2021-13' is not a date: month 13 is not 1-12; "
            "write a date written YYYY, YYYY-MM or YYYY-MM-DD",
        ),
        (
            {"treatments_csv": "patient_id,drug,start_date,start_unknown\nP02,ivig,2021,yes\n"},
            "[start_unknown]",
        ),
        (
            {"treatments_csv": "patient_id,drug,start_date,end_date\nP02,ivig,2021-10,2021-09\n"},
            "[end_before_start]",
        ),
        (
            {"treatments_csv": "patient_id,drug,start_date,strength\nP02,tacrolimus,2021,0.1\n"},
            "[strength_unit]",
        ),
        (
            {"treatments_csv": "patient_id,drug,start_date\nP02,ivig,2027\n"},
            "[future_date]",
        ),
        (
            {"treatments_csv": "patient_id,drug,start_date\nP02,ivig,2016\n"},
            "[before_birth]",
        ),
        (
            {"events_csv": "patient_id,date,event\nP02,2021-09,rash_improving\n"},
            "events.csv:2: date: the event 'rash_improving' needs a whole date",
        ),
        (
            {
                "events_csv": "patient_id,date,event,organism\n"
                "P02,2021-09-15,relapse,pneumocystis_jirovecii\n"
            },
            "[organism_event]",
        ),
        (
            {
                "antibody_tests_csv": "patient_id,date,antibody,result,titre\n"
                "P02,2021-09,MDA5,positive,160\n"
            },
            "antibody_tests.csv:2: titre: a titre is recorded for ANA only, not MDA5 "
            "[titre_only_ana]",
        ),
        (
            {"antibody_tests_csv": "patient_id,date,antibody,result\nP02,2021-09,TIF1G,positive\n"},
            "[antibody_summary]",
        ),
        (
            {"organ_involvement_csv": "patient_id,organ,onset_date\nP02,calcinosis,2021-09\n"},
            "[feature_summary]",
        ),
        (
            {
                "organ_involvement_csv": "patient_id,organ,onset_date,resolution_date\n"
                "P02,cardiac,2021-09,2021\n"
            },
            "",  # 2021 overlaps 2021-09: not certainly before it, so accepted
        ),
        (
            {
                "organ_involvement_csv": "patient_id,organ,onset_date,resolution_date\n"
                "P02,cardiac,2021-09,2021-08\n"
            },
            "[resolution_before_onset]",
        ),
        (
            {"pregnancy_tests_csv": "patient_id,date,result\nP02,2021-10-01,negative\n"},
            "pregnancy_tests.csv:2: result: a pregnancy test for a patient recorded as male [sex]",
        ),
        (
            {"oxygen_csv": "patient_id,date,support,flow_l_per_min\nP02,2021-09,none,2\n"},
            "[oxygen_flow]",
        ),
        (
            {"lung_function_csv": "patient_id,date,fvc_percent_predicted\nP02,2021-12,78\n"},
            "lung_function.csv:2: reference_equation: a % predicted value needs the reference",
        ),
        (
            {"chest_ct_csv": "patient_id,date,extent_percent\nP09,2021-09,20\n"},
            "chest_ct.csv:2: patient_id: patient_id 'P09' is not in patients.csv [unknown_patient]",
        ),
        (
            {"chest_ct_csv": "patient_id,date\nP02,2021-09\nP02,2021-09\n"},
            "chest_ct.csv:3: date: this chest CT is already on line 2 [unique]",
        ),
        (
            {"chest_ct_csv": "patient_id,date,x_note\nP02,2021-09,mine\n"},
            "[extra_column]",
        ),
    ],
)
def test_version_2_rules(
    tmp_path: Path, folder_maker: FolderMaker, files: dict[str, str], expected: str
) -> None:
    folder = folder_maker(tmp_path, cohort_toml=V2, **files)
    cohort, issues = read_folder(folder, today=TODAY)
    if not expected:
        assert issues == [] and cohort is not None
        return
    assert cohort is None
    (problem,) = [str(i) for i in issues]
    assert expected in problem


def test_the_current_month_is_not_the_future(tmp_path: Path, folder_maker: FolderMaker) -> None:
    folder = folder_maker(
        tmp_path,
        cohort_toml=V2,
        oxygen_csv="patient_id,date,support\nP02,2026-12,low_flow\nP02,2027-01,low_flow\n",
    )
    _, issues = read_folder(folder, today=TODAY)
    assert [str(i) for i in issues] == [
        "oxygen.csv:3: date: the date 2027-01 is after today (2026-12-01) [future_date]"
    ]


def test_issue_shape(tmp_path: Path) -> None:
    issue = ValidationIssue("bal.csv", 4, "organisms", "choice", "x")
    assert str(issue) == "bal.csv:4: organisms: x [choice]"


def test_the_case_series_warns_how_it_used_a_date_known_to_the_year(demo: Cohort) -> None:
    from myotrack.analysis import case_series

    warnings = case_series(demo)["warnings"]
    assert any(
        w.startswith("ampicillin/sulbactam course start: date 2021 is known only to the year; ")
        and w.endswith("(1 patient: MDA5-case)")
        for w in warnings
    ), warnings
    assert case_series(replace(demo, v2_rows=()))["warnings"] == [
        w for w in warnings if "known only to the" not in w
    ]


def test_docs_describe_every_version_2_file_and_column() -> None:
    from myotrack.cohort.columns_v2 import NEW_FILES, V2_COLUMNS_OF_V1

    text = (Path(__file__).parents[2] / "docs" / "cohort-format.md").read_text(encoding="utf-8")
    for file, columns in {**NEW_FILES, **V2_COLUMNS_OF_V1}.items():
        if not columns:
            continue
        assert f"### {file}" in text, file
        section = text.split(f"### {file}", 1)[1].split("\n### ", 1)[0]
        for column in columns:
            assert f"| {column.name} |" in section, (file, column.name)


def test_de_identified_tiers_keep_the_version_2_records_moved_and_without_free_text(
    demo: Cohort, tmp_path: Path
) -> None:
    from myotrack.cohort import Tier, apply_tier, pseudonym

    key = b"k"
    shown = apply_tier(demo, Tier.PSEUDONYMISED, key=key)
    child = pseudonym(key, "MDA5-case")
    original = {p.patient_id: p for p in demo.patients}["MDA5-case"]
    moved = {p.patient_id: p for p in shown.patients}[child]
    delta = moved.birth_date - original.birth_date  # the patient's one shift
    cts = [r for r in shown.v2_rows if r.kind == "chest_ct"]
    assert [r.patient_id for r in cts] == [child, child]
    first = PartialDate(2021, 9).earliest() + delta
    assert cts[0].values["date"] == PartialDate(first.year, first.month)  # month kept
    assert all("free_text" not in r.values for r in shown.v2_rows)
    assert all("specimen" not in r.values for r in shown.v2_rows)
    events = [r for r in shown.v2_rows if r.kind in ("clinical_event", "event_detail")]
    assert {r.values.get("detail") for r in events} <= {None, "PJP"}
    assert len(shown.v2_rows) == len(demo.v2_rows)  # nothing of the child is after the cut-off
    for tier in (Tier.PSEUDONYMISED, Tier.SAFE_HARBOR):
        write_folder(apply_tier(demo, tier, key=key), tmp_path / tier.value)
        back, issues = read_folder(tmp_path / tier.value, today=date(2030, 1, 1))
        assert issues == [] and back is not None, [str(i) for i in issues]
        assert len(back.v2_rows) == len(demo.v2_rows)
