"""A case-report draft (`casereport.CaseReport`) as HTML, PDF (the same HTML through
WeasyPrint, as the case-series report) or an editable Word document (python-docx)."""

from __future__ import annotations

import base64
import io
from typing import Any, Literal

import jinja2

import myotrack
from myotrack.report.casereport import CaseReport
from myotrack.report.casereport_care import CARE_SOURCE, STATUS_WORDS
from myotrack.report.render import html_to_pdf
from myotrack.report.tables import Row, Table

CaseReportFormat = Literal["pdf", "docx", "html"]
FORMATS: tuple[CaseReportFormat, ...] = ("pdf", "docx", "html")

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("myotrack.report", "templates"),
    autoescape=jinja2.select_autoescape(["html", "j2"]),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _image_type(data: bytes) -> str:
    return "png" if data.startswith(b"\x89PNG") else "jpeg"


def to_write(report: CaseReport) -> str:
    """The CARE items the authors must write, as one line of text."""
    return report.to_write


def case_report_html(report: CaseReport) -> str:
    return _ENV.get_template("casereport.html.j2").render(
        report=report,
        version=myotrack.__version__,
        timeline_b64=base64.b64encode(report.timeline_png).decode("ascii"),
        images=[(i, base64.b64encode(i.png).decode("ascii")) for i in report.images],
        image_types=[_image_type(i.png) for i in report.images],
        status_words=STATUS_WORDS,
        care_source=CARE_SOURCE,
        to_write=to_write(report),
    )


def _docx_table(document: Any, table: Table) -> None:
    from docx.shared import Pt

    document.add_paragraph(table.title, style="Heading 3")
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, table.columns, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in table.rows:
        values = [row.label, *row.cells]
        values += [""] * (len(table.columns) - len(values))
        for cell, text in zip(grid.add_row().cells, values, strict=True):
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


def case_report_docx(report: CaseReport) -> bytes:
    """The draft as an editable Word document: the same sections, tables, figures and
    CARE checklist."""
    from docx import Document
    from docx.shared import Mm

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(18))
    document.core_properties.title = report.title
    document.core_properties.author = "myotrack (draft)"
    document.add_heading(report.title, level=1)
    document.add_paragraph(
        f"Case-report draft · generated {report.generated_at} by myotrack {myotrack.__version__}"
    )
    callout = document.add_paragraph()
    callout.add_run("Draft for the authors. ").bold = True
    callout.add_run(" ".join(report.notes))
    width = Mm(174)
    for part in report.sections:
        document.add_heading(f"{part.title} (CARE {part.care})", level=2)
        if part.key == "timeline":
            document.add_picture(io.BytesIO(report.timeline_png), width=width)
            legend = document.add_paragraph()
            legend.add_run("Figure 1. ").bold = True
            legend.add_run(report.timeline_legend)
        for text in part.paragraphs:
            document.add_paragraph(text)
        for table in part.tables:
            _docx_table(document, table)
        if part.empty:
            document.add_paragraph(part.empty).runs[0].italic = True
    document.add_heading("Images (publication consent only)", level=2)
    if not report.images:
        document.add_paragraph("No image of this patient has publication consent.")
    for image in report.images:
        document.add_picture(io.BytesIO(image.png), width=width)
        legend = document.add_paragraph()
        legend.add_run(image.title + " ").bold = True
        legend.add_run(image.legend)
    document.add_heading("CARE checklist: what this draft fills", level=2)
    care = Table(
        "CARE items",
        ("Item", "Topic", "The checklist asks for", "Status", "In this draft / to do"),
        tuple(
            _care_row(i.number, i.topic, i.item, STATUS_WORDS[i.status], i.draft)
            for i in report.care
        ),
    )
    _docx_table(document, care)
    document.add_paragraph(
        f"Items paraphrased from: {CARE_SOURCE} The authors must still write: {to_write(report)}."
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _care_row(number: str, *cells: str) -> Row:
    return Row(number, tuple(cells))


def render_case_report(report: CaseReport, fmt: CaseReportFormat) -> bytes:
    """The draft as PDF, DOCX or HTML bytes."""
    if fmt == "docx":
        return case_report_docx(report)
    html = case_report_html(report)
    if fmt == "html":
        return html.encode("utf-8")
    if fmt == "pdf":
        return html_to_pdf(html)
    raise ValueError(f"unknown case-report format {fmt!r}: use pdf, docx or html")


__all__ = [
    "FORMATS",
    "CaseReportFormat",
    "case_report_docx",
    "case_report_html",
    "render_case_report",
    "to_write",
]
