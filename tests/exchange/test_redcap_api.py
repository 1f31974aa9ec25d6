"""The REDCap API edge (PyCap), replayed: no REDCap server runs here, so each HTTP POST
PyCap makes is answered from tests/data/redcap_api/ (responses written from PyCap 2.7's
documented request and response shapes), and the request PyCap sends is checked against
what the fixture says the API expects."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("redcap", reason="PyCap is the optional extra myotrack[redcap]")

from myotrack.cohort import DEMO_FOLDER, read_folder
from myotrack.domain import Cohort
from myotrack.exchange.redcap import api

DATA = Path(__file__).parents[1] / "data" / "redcap_api"
URL = "https://redcap.example.org/api/"
TOKEN = "0123456789ABCDEF0123456789ABCDEF"  # a made-up token of REDCap's shape
TODAY = date(2026, 12, 1)


def _fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / name).read_text(encoding="utf-8"))
    return data


class _Answer:
    """What requests.Session.post returns, as far as PyCap reads it."""

    def __init__(self, response: dict[str, Any]) -> None:
        self.status_code = response["status"]
        if "json" in response:
            self.text = json.dumps(response["json"])
        else:
            self.text = (DATA / response["text_file"]).read_text(encoding="utf-8")
        self.content = self.text.encode()

    def json(self) -> Any:
        return json.loads(self.text)


@pytest.fixture
def replay(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, Any]]]:
    """Answer each POST from the fixture of its `content` (and direction); the payloads
    sent are kept for the test to inspect."""
    import requests

    sent: list[dict[str, Any]] = []
    answers = {
        ("metadata", True): "import_metadata.json",
        ("metadata", False): "export_metadata.json",
        ("repeatingFormsEvents", True): "import_repeating.json",
        ("record", True): "import_records.json",
        ("record", False): "export_records.json",
    }

    def post(_self: Any, url: str, data: dict[str, Any], **_: Any) -> _Answer:
        assert url == URL
        assert data["token"] == TOKEN
        sent.append(data)
        fixture = _fixture(answers[(data["content"], "data" in data)])
        for key, expected in fixture["request"].items():
            assert str(data[key]).lower() == str(expected).lower(), key
        return _Answer(fixture["response"])

    monkeypatch.setattr(requests.Session, "post", post)
    yield sent


@pytest.fixture
def demo() -> Cohort:
    cohort, issues = read_folder(DEMO_FOLDER, today=TODAY)
    assert cohort is not None, issues
    return cohort


def test_design_sends_the_dictionary_and_the_repeating_forms(
    replay: list[dict[str, Any]], demo: Cohort
) -> None:
    fields = api.design_project(api.connect(URL, TOKEN), demo)
    assert fields == _fixture("import_metadata.json")["response"]["json"]
    metadata, repeating = replay
    assert metadata["data"].startswith("Variable / Field Name,Form Name,")
    assert repeating["data"].splitlines()[0] == "form_name,custom_form_label"
    assert "visit,[visit_date]" in repeating["data"]


def test_push_sends_the_flat_records(replay: list[dict[str, Any]], demo: Cohort) -> None:
    count = api.push_records(api.connect(URL, TOKEN), demo)
    assert count == 10
    (request,) = replay
    header = request["data"].split("\n", 1)[0].split(",")
    assert header[:3] == ["patient_id", "redcap_repeat_instrument", "redcap_repeat_instance"]
    assert request["overwriteBehavior"] == "normal"


def test_pull_reads_the_records_back(replay: list[dict[str, Any]], demo: Cohort) -> None:
    cohort, issues = api.pull_cohort(
        api.connect(URL, TOKEN), today=TODAY, cutoff_date=demo.cutoff_date
    )
    assert issues == [] and cohort is not None
    # the recorded answer holds the demo's first two records
    expected = {"DEMO-01", "DEMO-02"}
    assert {p.patient_id for p in cohort.patients} == expected
    assert cohort.visits == tuple(v for v in demo.visits if v.patient_id in expected)
    assert cohort.labs == tuple(r for r in demo.labs if r.patient_id in expected)
    assert [p.site for p in cohort.patients] == ["Demo Centre A", "Demo Centre B"]


def test_a_refusal_is_said_in_words(monkeypatch: pytest.MonkeyPatch, demo: Cohort) -> None:
    import requests

    refusal = _fixture("error_permissions.json")["response"]
    monkeypatch.setattr(requests.Session, "post", lambda *a, **k: _Answer(refusal))
    with pytest.raises(api.RedcapApiError, match="permissions to use the API"):
        api.push_records(api.connect(URL, TOKEN), demo)


def test_a_wrong_address_is_said_in_words() -> None:
    with pytest.raises(api.RedcapApiError, match="address or token"):
        api.connect("https://redcap.example.org/", TOKEN)


def test_cli_push_and_pull(
    replay: list[dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from myotrack.cli import app

    runner = CliRunner()
    database = f"sqlite:///{tmp_path / 'registry.db'}"
    assert runner.invoke(app, ["import", str(DEMO_FOLDER), "--database", database]).exit_code == 0
    result = runner.invoke(app, ["redcap", "push", "--database", database])
    assert result.exit_code == 1 and "MYOTRACK_REDCAP_URL" in result.output
    monkeypatch.setenv("MYOTRACK_REDCAP_URL", URL)
    monkeypatch.setenv("MYOTRACK_REDCAP_TOKEN", TOKEN)
    result = runner.invoke(
        app, ["redcap", "push", "--database", database, "--tier", "pseudonymised", "--design"]
    )
    assert result.exit_code == 0, result.output
    assert "REDCap imported 10 records (pseudonymised tier)" in result.output
    records = replay[-1]["data"]
    assert "DEMO-01" not in records and "Demo Centre" not in records  # the tier was applied
    result = runner.invoke(app, ["redcap", "pull", str(tmp_path / "pulled")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "pulled" / "redcap_records.csv").is_file()
    second = f"sqlite:///{tmp_path / 'second.db'}"
    result = runner.invoke(app, ["import", str(tmp_path / "pulled"), "--database", second])
    assert result.exit_code == 0, result.output
