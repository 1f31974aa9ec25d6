"""The case-series report with small-cell suppression (issue 12): every printed table of
every format shows no count of 1 to k-1, says that suppression was applied and with
which threshold, leaves out what shows individual patients (figures, the per-patient
appendix, data warnings); `myotrack report --suppress-small-cells` and `--tier`.

Oracle: the printed cells themselves (a count "n/N" with 1 <= n < k must not appear).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from myotrack.analysis import SmallCells
from myotrack.cli import app
from myotrack.cohort import DEMO_FOLDER, read_folder
from myotrack.domain import Cohort
from myotrack.report import render_report

runner = CliRunner()
AT = datetime(2026, 12, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo() -> Cohort:
    cohort, issues = read_folder(DEMO_FOLDER)
    assert cohort is not None, issues
    return cohort


def _small_counts(cell: str, k: int) -> list[str]:
    """'3/26 (11.5%)', 'ruxolitinib 5 mg (2)', '3 events / 25': counts of 1..k-1."""
    found = re.findall(r"(?<![\d.<–-])(\d+)(?=/| events| \)|\))", cell)
    return [n for n in found if 0 < int(n) < k]


@pytest.mark.parametrize("k", [5, 11])
def test_json_tables_hold_no_small_count(demo: Cohort, k: int) -> None:
    plain = json.loads(render_report(demo, fmt="json", generated_at=AT, by="drug"))
    shown = json.loads(
        render_report(demo, fmt="json", generated_at=AT, by="drug", small_cells=SmallCells(k))
    )
    assert plain["small_cell_suppression"] == {"applied": False}
    assert shown["small_cell_suppression"]["applied"] is True
    assert shown["small_cell_suppression"]["min_cell_count"] == k
    before = [c for t in plain["tables"] for r in t["rows"] for c in r["cells"]]
    assert any(_small_counts(c, k) for c in before)  # the demo has small cells to hide
    after = [c for t in shown["tables"] for r in t["rows"] for c in r["cells"]]
    assert [c for c in after if _small_counts(c, k)] == []
    assert any(f"<{k}" in c for c in after)
    assert all(any("Small-cell suppression" in n for n in t["notes"]) for t in shown["tables"])
    assert shown["figures"] == [] and plain["figures"]
    assert shown["warnings"] == []


def test_html_and_markdown_say_so_and_leave_out_individuals(demo: Cohort) -> None:
    html = render_report(demo, fmt="html", generated_at=AT, small_cells=SmallCells()).decode()
    assert 'id="small-cell-suppression"' in html and "threshold of 5 patients" in html
    assert "<img" not in html and "Appendix. Per-patient data" not in html
    plain = render_report(demo, fmt="html", generated_at=AT).decode()
    assert "small-cell-suppression" not in plain and "<img" in plain
    md = render_report(demo, fmt="md", generated_at=AT, small_cells=SmallCells()).decode()
    assert "Small-cell suppression. Applied with a threshold of 5" in md
    for fmt in ("docx", "xlsx", "pdf"):  # the other formats are built from the same tables
        assert render_report(demo, fmt=fmt, generated_at=AT, small_cells=SmallCells())


def test_cli_suppress_small_cells(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["report", "demo", "--format", "json", "--suppress-small-cells", "--min-cell-count", "11"],
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["small_cell_suppression"]["min_cell_count"] == 11
    plain = json.loads(runner.invoke(app, ["report", "demo", "--format", "json"]).stdout)
    assert plain["small_cell_suppression"]["applied"] is False  # never silently
    refused = runner.invoke(
        app, ["report", "demo", "--suppress-small-cells", "--supplement", str(tmp_path / "s.csv")]
    )
    assert refused.exit_code != 0 and "individual patients" in refused.output


def test_cli_tier_of_a_folder_needs_the_key(monkeypatch: pytest.MonkeyPatch, demo: Cohort) -> None:
    monkeypatch.delenv("MYOTRACK_DEID_KEY", raising=False)
    refused = runner.invoke(app, ["report", "demo", "--format", "json", "--tier", "safe-harbor"])
    assert refused.exit_code != 0 and "MYOTRACK_DEID_KEY" in refused.output
    monkeypatch.setenv("MYOTRACK_DEID_KEY", "a test key")
    result = runner.invoke(app, ["report", "demo", "--format", "json", "--tier", "safe-harbor"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert not any(re.search(rf"\b{re.escape(p.patient_id)}\b", text) for p in demo.patients)
    assert json.loads(text)["n_patients"] > 0
