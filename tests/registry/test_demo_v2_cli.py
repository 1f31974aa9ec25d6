"""The version 2 demo end to end: `myotrack import` of the bundled demo stores its version 2
records, a second import changes nothing, `myotrack export` writes a version 2 folder that
re-imports with nothing changed, and `myotrack check MDA5-case` runs with the whole record
(dated ILD, oxygen, the live-vaccine check before the start, the course known to the year)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from myotrack.cli import app
from myotrack.cohort import DEMO_FOLDER

runner = CliRunner()


def test_the_demo_imports_exports_and_checks_the_child(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    first = runner.invoke(app, ["import", str(DEMO_FOLDER), "--database", url])
    assert first.exit_code == 0, first.output
    assert "chest_ct" in first.output
    again = runner.invoke(app, ["import", str(DEMO_FOLDER), "--database", url])
    assert again.exit_code == 0 and "Nothing changed" in again.output, again.output
    out = tmp_path / "export"
    exported = runner.invoke(app, ["export", str(out), "--database", url])
    assert exported.exit_code == 0, exported.output
    assert "format_version = 2" in (out / "cohort.toml").read_text()
    assert (out / "organ_involvement.csv").exists()
    back = runner.invoke(app, ["import", str(out), "--database", url])
    assert back.exit_code == 0 and "Nothing changed" in back.output, back.output

    checked = runner.invoke(
        app, ["check", "MDA5-case", "--date", "2021-09-20", "--database", url, "--json"]
    )
    assert checked.exit_code == 0, checked.output
    data = json.loads(checked.output)
    names = {c["name"] for c in data["checks"]}
    assert "live vaccines before the start" in names
    flags = " ".join(f["why"] for f in data["risk_flags"])
    assert "suspected ILD, onset 2021-09 (exact day not known)" in flags
    assert "needs oxygen (as of 2021-09)" in flags
    assert any("ampicillin/sulbactam" in a for a in data["assumptions"])
