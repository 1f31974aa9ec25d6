"""The report as an editable Word document (python-docx): Table 1, Table 2 (and the
subgroup tables), the figure legends and the methods text, so authors can paste them into
a manuscript and edit them. The numbers are the printed cells of the same `Table`
objects the HTML and PDF print; figures are files of their own (`--figures DIR`)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

from myotrack.report.methods import split_lead
from myotrack.report.tables import Table

if TYPE_CHECKING:
    from myotrack.report.render import ReportContent

TITLE = "Case series: JAK inhibitors in juvenile dermatomyositis"


def _table(document: Any, table: Table) -> None:
    from docx.shared import Pt

    document.add_paragraph(table.title, style="Heading 2")
    width = len(table.columns)
    grid = document.add_table(rows=1, cols=width)
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, table.columns, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in table.rows:
        cells = grid.add_row().cells
        if row.section:
            merged = cells[0].merge(cells[-1])
            merged.text = ""
            merged.paragraphs[0].add_run(row.label).bold = True
            continue
        indent = "    " * row.level
        values = [indent + row.label, *row.cells]
        values += [""] * (width - len(values))
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    for r in grid.rows:
        for cell in r.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(8.5)
    for note in table.notes:
        paragraph = document.add_paragraph(note)
        for run in paragraph.runs:
            run.font.size = Pt(8)
            run.italic = True


def docx_report(content: ReportContent, disclaimer: str) -> bytes:
    """The Word document of a report (see the module docstring)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    document.core_properties.title = TITLE
    document.core_properties.author = "myotrack"
    summary = content.summary
    document.add_heading(TITLE, level=1)
    document.add_paragraph(
        f"{summary['n_patients']} patients · cut-off date {content.repro.cutoff_date or 'none'}"
        f" · quantiles {content.repro.quantile_type} · generated {content.repro.generated_at}"
        f" by myotrack {content.repro.myotrack_version}"
    )
    review = document.add_paragraph()
    review.add_run("Review needed. ").bold = True
    review.add_run(disclaimer)
    for table in content.tables:
        _table(document, table)
    document.add_heading("Figure legends", level=2)
    for figure in content.figures:
        paragraph = document.add_paragraph()
        paragraph.add_run(figure.title + " ").bold = True
        paragraph.add_run(figure.caption)
    document.add_heading("Methods", level=2)
    for text in content.methods:
        lead, rest = split_lead(text)
        paragraph = document.add_paragraph()
        if lead:
            paragraph.add_run(lead + " ").bold = True
        paragraph.add_run(rest)
    document.add_paragraph(
        f"Data fingerprint (SHA-256 of the normalised cohort): {content.repro.data_fingerprint}"
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
