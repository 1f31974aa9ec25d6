"""`myotrack due` end to end on a registry holding the demo cohort: table, CSV, JSON, site
filter and clear errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from myotrack.cli import app
from myotrack.cohort import DEMO_FOLDER

runner = CliRunner()
DAY = "2021-10-20"


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    path: Path = tmp_path_factory.mktemp("due") / "registry.db"
    url = f"sqlite:///{path}"
    result = runner.invoke(app, ["import", str(DEMO_FOLDER), "--database", url])
    assert result.exit_code == 0, result.output
    return url


def test_due_json_lists_the_seed_child_with_rule_and_source(database: str) -> None:
    result = runner.invoke(app, ["due", "--date", DAY, "--database", database, "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["date"] == DAY and data["patients"] == 26
    lines = data["lines"]
    assert lines and all(line["rule"] and line["source"] for line in lines)
    states = [line["state"] for line in lines]
    order = {"overdue": 0, "blocks": 1, "due": 2, "cannot_assess": 3}
    assert states == sorted(states, key=order.__getitem__)
    assert any(line["patient_id"] == "MDA5-case" for line in lines)
    assert any("local-policy setting" in a for a in data["assumptions"])


def test_due_csv_and_site_filter(database: str) -> None:
    result = runner.invoke(
        app,
        [
            "due",
            "--date",
            DAY,
            "--database",
            database,
            "--format",
            "csv",
            "--site",
            "Demo Centre C",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows and {r["site"] for r in rows} == {"Demo Centre C"}
    assert {r["patient_id"] for r in rows} == {"MDA5-case"}


def test_due_table(database: str) -> None:
    result = runner.invoke(app, ["due", "--date", DAY, "--database", database])
    assert result.exit_code == 0, result.output
    assert f"Worklist on {DAY}" in result.output and "MDA5-case" in result.output
    assert "assumption:" in result.output


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--date", "20-10-2021"], "is not a date"),
        (["--format", "xml"], "is not one of table, csv, json"),
        (["--site", "Nowhere"], "no patient of site Nowhere"),
    ],
)
def test_due_errors_in_the_users_words(database: str, args: list[str], words: str) -> None:
    result = runner.invoke(app, ["due", "--database", database, *args])
    assert result.exit_code != 0
    assert words in result.output


@pytest.mark.postgres
def test_due_gives_the_same_worklist_on_postgresql(database: str) -> None:
    import os

    from myotrack import registry
    from myotrack.cohort import read_folder

    url = os.environ.get("MYOTRACK_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("no PostgreSQL server: set MYOTRACK_TEST_POSTGRES_URL to run this variant")
    engine = registry.connect(url)
    with engine.begin() as conn:  # a clean schema, as the registry tests do
        conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    registry.upgrade(engine)
    cohort, issues = read_folder(DEMO_FOLDER)
    assert cohort is not None and not issues
    with registry.transaction(engine) as session:
        registry.import_cohort(session, cohort, actor="test", reason="worklist on PostgreSQL")
    engine.dispose()
    args = ["due", "--date", DAY, "--format", "json"]
    on_pg = runner.invoke(app, [*args, "--database", url])
    on_sqlite = runner.invoke(app, [*args, "--database", database])
    assert on_pg.exit_code == on_sqlite.exit_code == 0, on_pg.output
    assert json.loads(on_pg.output) == json.loads(on_sqlite.output)
