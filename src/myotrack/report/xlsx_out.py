"""The report as a workbook (openpyxl): one sheet per table with the printed cells, the
figure legends and what each figure marks, the methods, the per-patient supplement, and
a "Numbers" sheet holding every number of the JSON report unrounded (one row per JSON
path), so a statistician can recompute from it."""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from myotrack.report.report_figures import MARK_WORDS
from myotrack.report.supplement_files import supplement_sheet, write_sheet

if TYPE_CHECKING:
    from myotrack.report.render import ReportContent

SHEET_NAME_MAX = 31  # Excel's limit


def flatten(value: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted path, leaf) of every number, text, boolean and null of a JSON document;
    list items are numbered from 0."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from flatten(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from flatten(item, f"{path}.{i}" if path else str(i))
    else:
        yield path, value


def _sheet_name(title: str, used: set[str]) -> str:
    base = title.split(".")[0].strip() or "Table"  # "Table 2a. Outcomes ..." -> "Table 2a"
    name = base[:SHEET_NAME_MAX]
    k = 2
    while name in used:
        name = f"{base[: SHEET_NAME_MAX - 4]} ({k})"
        k += 1
    used.add(name)
    return name


def xlsx_report(content: ReportContent, document: Mapping[str, Any], disclaimer: str) -> bytes:
    """The workbook of a report; `document` is the JSON report (jsonable) for "Numbers"."""
    from openpyxl import Workbook

    workbook = Workbook()
    about = workbook.active
    about.title = "About"
    write_sheet(
        about,
        [
            ["Case series: JAK inhibitors in juvenile dermatomyositis"],
            [f"{content.summary['n_patients']} patients"],
            ["Review needed", disclaimer],
            ["Cut-off date", content.repro.cutoff_date or "none"],
            ["Quantile type", content.repro.quantile_type],
            ["myotrack version", content.repro.myotrack_version],
            ["Generated at", content.repro.generated_at],
            ["Data fingerprint", content.repro.data_fingerprint],
        ],
    )
    used = {"About"}
    for table in content.tables:
        sheet = workbook.create_sheet(_sheet_name(table.title, used))
        width = len(table.columns)
        rows: list[list[object]] = [[table.title], list(table.columns)]
        for row in table.rows:
            cells: list[object] = ["    " * row.level + row.label, *row.cells]
            rows.append(cells + [""] * (width - len(cells)))
        rows.append([])
        rows.extend([note] for note in table.notes)
        write_sheet(sheet, rows)
        sheet.column_dimensions["A"].width = 48
        for letter in "BCDEF"[: width - 1]:
            sheet.column_dimensions[letter].width = 24
    figures = workbook.create_sheet("Figures")
    fig_rows: list[list[object]] = [["Figure", "Legend", "Marks"]]
    for figure in content.figures:
        marks = "; ".join(
            f"{m.get('panel') or m.get('curve') or m.get('source')}: "
            f"{MARK_WORDS.get(str(m.get('summary')), m.get('summary'))}"
            for m in figure.marks
        )
        fig_rows.append([figure.title, figure.caption, marks or figure.no_summary])
    write_sheet(figures, fig_rows)
    methods = workbook.create_sheet("Methods")
    write_sheet(methods, [["Methods"], *([p] for p in content.methods)])
    if content.supplement is not None:
        supplement_sheet(workbook, content.supplement)
    numbers = workbook.create_sheet("Numbers")
    write_sheet(
        numbers,
        [["JSON path", "value"], *([path, value] for path, value in flatten(document))],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
