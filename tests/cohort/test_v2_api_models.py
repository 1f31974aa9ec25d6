"""One rule per field for the version 2 record kinds: the API/web-form models
(`web.schemas.RECORD_MODELS`, built from the field table) give the same verdict and rule
name as the folder reader for the same cell, and a record entered through a model is the
same `RecordRow` the reader makes of the same cells."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from pydantic import ValidationError

from myotrack.cohort import read_folder
from myotrack.domain import RecordRow
from myotrack.web.schemas import RECORD_MODELS, record_values

FolderMaker = Callable[..., Path]
V2 = "format_version = 2\n"
TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    ("kind", "file", "column", "cell"),
    [
        ("chest_ct", "chest_ct.csv", "date", "2021-13"),
        ("chest_ct", "chest_ct.csv", "extent_percent", "120"),
        ("chest_ct", "chest_ct.csv", "findings", "ground_glass_opacity;bogus"),
        ("antibody_test", "antibody_tests.csv", "titre", "0"),
        ("vaccination", "vaccinations.csv", "vaccine", "smallpox"),
        ("oxygen_need", "oxygen.csv", "fio2_percent", "12"),
        ("lung_function", "lung_function.csv", "fvc_percent_predicted", "7,5"),
    ],
)
def test_the_model_and_the_reader_give_the_same_rule(
    tmp_path: Path, folder_maker: FolderMaker, kind: str, file: str, column: str, cell: str
) -> None:
    base = {
        "chest_ct": {"date": "2021-09"},
        "antibody_test": {"date": "2021-09", "antibody": "ANA", "result": "positive"},
        "vaccination": {"date": "2021-09", "vaccine": "mmr"},
        "oxygen_need": {"date": "2021-09", "support": "low_flow"},
        "lung_function": {"date": "2021-09"},
    }[kind]
    cells = {**base, column: cell}
    text = "patient_id," + ",".join(cells) + "\nP02," + ",".join(f'"{v}"' for v in cells.values())
    folder = folder_maker(tmp_path, cohort_toml=V2, **{file.replace(".", "_"): text + "\n"})
    _, issues = read_folder(folder, today=TODAY)
    (issue,) = issues
    json_value: object = cell.split(";") if column == "findings" else cell
    with pytest.raises(ValidationError) as caught:
        RECORD_MODELS[kind].model_validate({**base, column: json_value})
    (error,) = caught.value.errors()
    assert (error["loc"][0], error["type"]) == (issue.field, issue.rule)
    assert error["msg"] == issue.message


def test_a_record_entered_through_the_model_is_the_one_the_reader_makes(
    tmp_path: Path, folder_maker: FolderMaker
) -> None:
    cells = {
        "date": "2021-11",
        "findings": "ground_glass_opacity",
        "lobes": "right_middle;right_upper",
        "change": "near_complete_resolution",
        "extent_percent": "5",
        "free_text": "minor interstitial drawing proliferation",
    }
    text = "patient_id," + ",".join(cells) + "\nP02," + ",".join(cells.values()) + "\n"
    cohort, issues = read_folder(
        folder_maker(tmp_path, cohort_toml=V2, chest_ct_csv=text), today=TODAY
    )
    assert cohort is not None, issues
    (from_folder,) = cohort.v2_rows
    model = RECORD_MODELS["chest_ct"].model_validate(
        {**cells, "findings": ["ground_glass_opacity"], "lobes": ["right_middle", "right_upper"]}
    )
    assert RecordRow("chest_ct", "P02", record_values(model)) == from_folder


def test_required_fields_follow_the_field_table() -> None:
    schema = RECORD_MODELS["cardiac_test"].model_json_schema()
    assert set(schema["required"]) == {"date", "kind", "result"}
    assert schema["properties"]["date"]["pattern"] == r"^\d{4}(-\d{2}(-\d{2})?)?$"


def test_the_services_run_the_importers_record_checks_with_the_patients_summaries() -> None:
    from myotrack.cohort import Context, check_record
    from myotrack.domain import PartialDate

    values = {"date": PartialDate(2021, 9), "antibody": "TIF1G", "result": "positive"}
    known = Context(TODAY, date(2015, 1, 1), "F", antibodies=("MDA5",), features=())
    (problem,) = check_record("antibody_test", values, known)
    assert problem.rule == "antibody_summary" and problem.field == "antibody"
    assert check_record("antibody_test", values, Context(TODAY, date(2015, 1, 1), "F")) == []
    ild = {"organ": "ILD", "onset_date": PartialDate(2027, 1)}
    rules = [p.rule for p in check_record("organ_involvement", ild, known)]
    assert rules == ["future_date", "feature_summary"]
