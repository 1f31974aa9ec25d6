"""The manuscript formats: DOCX (python-docx) and XLSX (openpyxl) open with their own
libraries and hold the same numbers as the JSON report; the supplement as CSV and XLSX
holds the same rows; the journal figures have the stated sizes and resolutions."""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook
from PIL import Image

from myotrack.cohort import DEMO_FOLDER, read_folder
from myotrack.domain import Cohort
from myotrack.report import render_report
from myotrack.report.render import render_supplement
from myotrack.report.xlsx_out import flatten

GENERATED = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo() -> Cohort:
    if not (DEMO_FOLDER / "patients.csv").exists():
        pytest.skip("no demo cohort")
    cohort, issues = read_folder(DEMO_FOLDER)
    assert cohort is not None, issues
    return cohort


def _json(cohort: Cohort, **options: Any) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        render_report(cohort, fmt="json", generated_at=GENERATED, **options)
    )
    return document


def _expected_rows(table: dict[str, Any]) -> list[list[str]]:
    """The table as a grid: header, then each row (a section row is its label)."""
    width = len(table["columns"])
    grid = [list(table["columns"])]
    for row in table["rows"]:
        if row["section"]:
            grid.append([row["label"]] * width)  # one merged cell spans the row
            continue
        cells = ["    " * row["level"] + row["label"], *row["cells"]]
        grid.append(cells + [""] * (width - len(cells)))
    return grid


def test_docx_tables_hold_the_json_tables(demo: Cohort) -> None:
    document = _json(demo, by="drug")
    word = Document(io.BytesIO(render_report(demo, fmt="docx", generated_at=GENERATED, by="drug")))
    assert len(word.tables) == len(document["tables"])
    for table, expected in zip(word.tables, document["tables"], strict=True):
        got = [[cell.text for cell in row.cells] for row in table.rows]
        assert got == _expected_rows(expected), expected["title"]
    text = "\n".join(p.text for p in word.paragraphs)
    for table in document["tables"]:
        assert table["title"] in text
    assert "Statistics." in text and "Subgroups." in text  # the methods text, editable
    assert "Wilcoxon rank-sum" in text and "Fisher" in text
    assert "a statistician must review them" in text


def test_xlsx_holds_every_number_of_the_json(demo: Cohort) -> None:
    document = _json(demo, by="refractory")
    book = load_workbook(
        io.BytesIO(render_report(demo, fmt="xlsx", generated_at=GENERATED, by="refractory"))
    )
    numbers = book["Numbers"]
    # the software block names what drew each format (openpyxl here): not a number
    rows = [
        r for r in numbers.iter_rows(min_row=2, values_only=True) if ".software." not in str(r[0])
    ]
    expected = [(p, v) for p, v in flatten(document) if ".software." not in p]
    assert len(rows) == len(expected)
    for (path, value), (want_path, want) in zip(rows, expected, strict=True):
        assert path == want_path
        if isinstance(want, float):
            # a workbook keeps 15-16 significant digits (Excel shows 15): equal to 1e-14
            assert math.isclose(value, want, rel_tol=1e-14, abs_tol=1e-300), path
        elif want in ("", None):
            assert value in ("", None), path
        else:
            assert value == want, path
    # the printed tables, one sheet each, cell for cell
    for table in document["tables"]:
        sheet = book[table["title"].split(".")[0]]
        got = [
            ["" if v is None else str(v) for v in row][: len(table["columns"])]
            for row in sheet.iter_rows(min_row=2, max_row=len(table["rows"]) + 2, values_only=True)
        ]
        want_grid = _expected_rows(table)
        for got_row, want_row, row in zip(got[1:], want_grid[1:], table["rows"], strict=True):
            if row["section"]:
                assert got_row[0] == row["label"]
            else:
                assert got_row == want_row, table["title"]
        assert got[0] == want_grid[0]


def test_supplement_csv_and_xlsx_hold_the_same_rows(demo: Cohort) -> None:
    text = render_supplement(demo, fmt="csv").decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    book = load_workbook(io.BytesIO(render_supplement(demo, fmt="xlsx")))
    sheet = [list(r) for r in book["Supplement"].iter_rows(values_only=True)]
    assert rows[0] == sheet[0]
    n = _json(demo)["n_patients"]
    assert len(rows) == len(sheet) == n + 1
    for csv_row, xlsx_row in zip(rows[1:], sheet[1:], strict=True):
        for header, a, b in zip(rows[0], csv_row, xlsx_row, strict=True):
            if b is None:
                assert a == "", header
            elif isinstance(b, int | float):
                assert float(a) == pytest.approx(b), header
            else:
                assert a == b, header
    # the supplement inside the xlsx report is the same table
    report = load_workbook(io.BytesIO(render_report(demo, fmt="xlsx", generated_at=GENERATED)))
    assert [list(r) for r in report["Supplement"].iter_rows(values_only=True)] == sheet


def test_supplement_csv_cells_cannot_become_formulas(demo: Cohort) -> None:
    from dataclasses import replace

    patients = tuple(
        replace(p, refractory="=cmd|' /C calc'!A0") if i == 0 else p
        for i, p in enumerate(demo.patients)
    )
    text = render_supplement(replace(demo, patients=patients), fmt="csv").decode()
    assert "'=cmd" in text  # escaped with a leading apostrophe (spreadsheet_safety)
    assert ",=cmd" not in text
    book = load_workbook(
        io.BytesIO(render_supplement(replace(demo, patients=patients), fmt="xlsx"))
    )
    cells = [c for row in book["Supplement"].iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)


def test_journal_figures(cohort: Cohort, tmp_path: Path) -> None:
    """`myotrack report --figures DIR`: each figure at its column width, vector and 300 dpi."""
    from dataclasses import replace

    from typer.testing import CliRunner

    from myotrack.cli import app
    from myotrack.cohort import write_folder

    folder = tmp_path / "cohort"
    write_folder(replace(cohort, labs=tuple(r for r in cohort.labs if r.value is not None)), folder)
    out = tmp_path / "figures"
    result = CliRunner().invoke(
        app,
        ["report", str(folder), "-f", "md", "-o", str(tmp_path / "r.md"), "--figures", str(out)],
    )
    assert result.exit_code == 0, result.output
    files = {p.name: p.read_bytes() for p in out.iterdir()}
    stems = {name.rsplit(".", 1)[0] for name in files}
    assert stems == {
        "figure1-paired-175mm",
        "figure2-kaplan_meier-85mm",
        "figure3-swimmer-175mm",
    }
    assert len(files) == 4 * len(stems)
    for stem in stems:
        width_mm = float(stem.rsplit("-", 1)[1].removesuffix("mm"))
        assert files[f"{stem}.pdf"].startswith(b"%PDF")
        assert b"<svg" in files[f"{stem}.svg"][:400]
        for ext in ("png", "tiff"):
            with Image.open(io.BytesIO(files[f"{stem}.{ext}"])) as image:
                dpi = image.info["dpi"][0]
                assert round(dpi) == 300
                assert image.width / dpi * 25.4 == pytest.approx(width_mm, abs=0.2)
    # vector PDF: the page is the figure's width in points (1 mm = 72/25.4 pt)
    pdf = files["figure2-kaplan_meier-85mm.pdf"].decode("latin-1")
    box = pdf.split("/MediaBox", 1)[1].split("]", 1)[0].strip(" [")
    assert float(box.split()[2]) == pytest.approx(85 * 72 / 25.4, abs=0.5)


def test_supplement_cells_as_printed() -> None:
    from myotrack.analysis.supplement import Column
    from myotrack.report.supplement_files import cell_text

    value, time = Column("cmas_final", "CMAS, final", "number"), Column("w", "Weeks", "time")
    assert [cell_text(value, v) for v in (35.0, 322.2, 1234567.0, None)] == [
        "35",
        "322.2",
        "1234567",
        "",
    ]
    # times by the printing rule: one decimal, half away from zero on the decimal value
    assert [cell_text(time, v) for v in (2.0, 0.25, 1.45)] == ["2.0", "0.3", "1.5"]
