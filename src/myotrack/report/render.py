"""`render_report`: the case-series report of a cohort as JSON, HTML, PDF or Markdown.

Pure apart from rendering: no clock (the caller passes `generated_at`), no files read
except the package's own templates, nothing written.
"""

from __future__ import annotations

import functools
import json
import math
import platform
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from importlib import metadata
from typing import TYPE_CHECKING, Any, Literal

import myotrack
from myotrack.analysis import (
    SmallCells,
    SubgroupBy,
    build_timelines,
    case_series_of,
    cohort_fingerprint,
    shown_count,
    subgroup_report,
    suppress_subgroups,
    suppress_summary,
)
from myotrack.analysis.supplement import Supplement, patient_numbers, supplement
from myotrack.domain import Cohort
from myotrack.report.between_table import between_table
from myotrack.report.docx_out import docx_report
from myotrack.report.methods import methods_paragraphs, split_lead
from myotrack.report.report_figures import ReportFigure, report_figures
from myotrack.report.supplement_files import (
    SupplementFormat,
    supplement_csv,
    supplement_parts,
    supplement_xlsx,
)
from myotrack.report.table1 import table1
from myotrack.report.table2 import table2
from myotrack.report.tables import Table, markdown_table
from myotrack.report.wording import EXCLUSION_LABELS, SUBGROUP_TITLES, group_label
from myotrack.report.xlsx_out import xlsx_report

if TYPE_CHECKING:
    import jinja2

ReportFormat = Literal["json", "html", "pdf", "md", "docx", "xlsx"]
QuantileChoice = Literal["type7", "type6"]
FORMATS: tuple[ReportFormat, ...] = ("json", "html", "pdf", "md", "docx", "xlsx")
# The per-patient appendix of the HTML/PDF report up to this many patients (beyond, a
# page per ~25 patients is no longer a readable appendix: use --supplement FILE).
APPENDIX_MAX_PATIENTS = 150
# Resolution of the figures: the SVG's embedded images on screen (report_figures' default),
# the PDF's PNG figures for print.
SCREEN_DPI = 150
PRINT_DPI = 300

DISCLAIMER = (
    "These statistics were computed automatically. Before they are published or used to "
    "make decisions, a statistician must review them: check the definitions against the "
    "question, the data against the source records, and the choice of tests."
)


@functools.cache
def _env() -> jinja2.Environment:
    """The templates' environment, made when a report is first written as HTML, PDF or
    Markdown (a JSON report does not load Jinja2)."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("myotrack.report", "templates"),
        autoescape=jinja2.select_autoescape(["html", "html.j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@dataclass(frozen=True, slots=True)
class Reproducibility:
    data_fingerprint: str
    cutoff_date: str | None
    myotrack_version: str
    generated_at: str
    quantile_type: str


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def software_versions(fmt: ReportFormat) -> dict[str, str]:
    """Versions of what computes and draws this format (myotrack, numpy and scipy are
    added by the statistics themselves)."""
    wanted = ["jinja2", "matplotlib"] if fmt in ("html", "pdf", "md") else []
    if fmt == "pdf":
        wanted.append("weasyprint")
    if fmt == "docx":
        wanted.append("python-docx")
    if fmt == "xlsx":
        wanted.append("openpyxl")
    out = {"python": platform.python_version()}
    for package in wanted:
        version = _version(package)
        if version is not None:
            out[package] = version
    return out


def jsonable(value: Any) -> Any:
    """Dates as ISO strings; NaN and infinities as null (JSON has neither)."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


@dataclass(frozen=True, slots=True)
class ReportContent:
    """Everything a report prints, computed once from one build of the timelines."""

    summary: dict[str, Any]
    tables: list[Table]
    table_roots: list[str]  # where each table's row sources live in the JSON document
    figures: list[ReportFigure]
    methods: list[str]
    supplement: Supplement | None  # for the formats that print it (html, pdf, xlsx)
    subgroups: dict[str, Any] | None
    repro: Reproducibility
    small_cells: SmallCells | None = None  # the suppression applied, if any


def build_content(
    cohort: Cohort,
    *,
    fmt: ReportFormat,
    quantiles: QuantileChoice = "type7",
    cutoff: date | None = None,
    generated_at: datetime,
    by: SubgroupBy | None = None,
    small_cells: SmallCells | None = None,
) -> ReportContent:
    """The statistics, tables, figures (drawn only for html and pdf), methods, supplement
    and subgroups of the report. With `small_cells`, every aggregate figure goes through
    `analysis.small_cells`, and what shows individual patients (figures, the per-patient
    appendix, data warnings) is left out."""
    timelines = build_timelines(cohort, cutoff)
    software = software_versions(fmt)
    summary = case_series_of(timelines, quantiles=quantiles, software=software)
    k = small_cells.min_cell_count if small_cells is not None else 0
    if small_cells is not None:
        summary = suppress_summary(summary, k)
    repro = Reproducibility(
        data_fingerprint=cohort_fingerprint(cohort),
        cutoff_date=summary["methods"].get("cutoff_date"),
        myotrack_version=myotrack.__version__,
        generated_at=generated_at.isoformat(timespec="seconds"),
        quantile_type=quantiles,
    )
    tables = [table1(summary), table2(summary)]
    roots = ["", ""]
    subgroups = None
    if by is not None:
        subgroups = subgroup_report(timelines, by, quantiles=quantiles, software=software)
        if small_cells is not None:
            subgroups = suppress_subgroups(subgroups, int(summary["n_patients"]), k)
        sub_tables, sub_roots = subgroup_tables(subgroups)
        tables += sub_tables
        roots += sub_roots
    methods = methods_paragraphs(summary, subgroups)
    if small_cells is not None:
        note = suppression_note(small_cells, subgroups)
        tables = [replace(t, notes=(*t.notes, note)) for t in tables]
        return ReportContent(
            summary=summary,
            tables=tables,
            table_roots=roots,
            figures=[],
            methods=[*methods, note],
            supplement=None,
            subgroups=subgroups,
            repro=repro,
            small_cells=small_cells,
        )
    numbers = patient_numbers(timelines)
    # The PDF embeds its figures as 300 dpi PNG: WeasyPrint lays out an SVG element by
    # element in Python, and the paired plot of a large cohort has a line per patient
    # (at 1,000 patients, most of the PDF's time; issue 13). Vector figures at journal
    # sizes: `myotrack report --figures`.
    figures = report_figures(
        timelines.included,
        summary,
        fmt="png" if fmt == "pdf" else "svg",
        draw=fmt in ("html", "pdf"),
        lane_names={pid: str(k) for pid, k in numbers.items()},
        dpi=PRINT_DPI if fmt == "pdf" else SCREEN_DPI,
    )
    return ReportContent(
        summary=summary,
        tables=tables,
        table_roots=roots,
        figures=figures,
        methods=methods,
        supplement=supplement(timelines) if fmt in ("html", "pdf", "xlsx") else None,
        subgroups=subgroups,
        repro=repro,
    )


def suppression_note(small_cells: SmallCells, subgroups: Mapping[str, Any] | None) -> str:
    """What the report says when small-cell suppression was applied, and its threshold."""
    k = small_cells.min_cell_count
    left_out = int(subgroups.get("groups_not_shown", 0)) if subgroups is not None else 0
    return (
        f"Small-cell suppression. Applied with a threshold of {k} patients (OHDSI's "
        f"minCellCount convention): counts of 1 to {k - 1} patients are shown as <{k}; "
        f"percentages, intervals, medians, ranges, means and p values of fewer than {k} "
        "patients are withheld; counts marked 'hidden' are left out so that a small count "
        "cannot be worked out from a total. Figures, the per-patient appendix and the data "
        "warnings, which show individual patients, are not part of this report."
        + (
            f" {left_out} subgroup{'s' if left_out != 1 else ''} not shown (fewer than {k} "
            "patients, or hidden so that such a subgroup cannot be worked out)."
            if left_out
            else ""
        )
    )


def subgroup_tables(subgroups: Mapping[str, Any]) -> tuple[list[Table], list[str]]:
    """Table 2 of each subgroup (2a, 2b, ...) and, when defined, the between-group table."""
    by: SubgroupBy = subgroups["by"]
    tables: list[Table] = []
    roots: list[str] = []
    for i, (value, summary) in enumerate(subgroups["groups"].items()):
        letter = chr(ord("a") + i) if i < 26 else f"-{i + 1}"
        name = group_label(by, value)
        table = table2(
            summary,
            title=f"Table 2{letter}. Outcomes on treatment, {SUBGROUP_TITLES[by]}: "
            f"{name} (n = {summary['n_patients']})",
        )
        tables.append(replace(table, key=f"table2{letter}"))
        roots.append(f"subgroups.groups.{value}")
    between = subgroups["between"]
    if between["tests"]:
        first, second = (group_label(by, g) for g in between["groups"])
        tables.append(between_table(between, (first, second), 3, SUBGROUP_TITLES[by]))
        roots.append("")
    return tables, roots


def report_document(content: ReportContent) -> dict[str, Any]:
    """The JSON report: the statistics, the printed tables and what each figure marks
    (so a reader or a test can check that every row and figure agree), the subgroups,
    and the reproducibility block."""
    document = dict(content.summary)
    document["tables"] = [
        {**t.to_dict(), "root": root}
        for t, root in zip(content.tables, content.table_roots, strict=True)
    ]
    document["figures"] = [f.to_dict() for f in content.figures]
    if content.subgroups is not None:
        document["subgroups"] = content.subgroups
    document["small_cell_suppression"] = (
        content.small_cells.to_dict() if content.small_cells is not None else {"applied": False}
    )
    document["reproducibility"] = {
        "data_fingerprint": content.repro.data_fingerprint,
        "cutoff_date": content.repro.cutoff_date,
        "myotrack_version": content.repro.myotrack_version,
        "generated_at": content.repro.generated_at,
    }
    return document


def render_report(
    cohort: Cohort,
    *,
    fmt: ReportFormat,
    quantiles: QuantileChoice = "type7",
    cutoff: date | None = None,
    generated_at: datetime,
    by: SubgroupBy | None = None,
    small_cells: SmallCells | None = None,
) -> bytes:
    """The case-series report of `cohort` in format `fmt` (json, html, pdf, md, docx or
    xlsx); `by` adds Table 2 per subgroup and the between-group tests the spec defines;
    `small_cells` suppresses small counts in every table (`analysis.small_cells`)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}: use one of {', '.join(FORMATS)}")
    content = build_content(
        cohort,
        fmt=fmt,
        quantiles=quantiles,
        cutoff=cutoff,
        generated_at=generated_at,
        by=by,
        small_cells=small_cells,
    )
    if fmt == "json":
        text = json.dumps(
            jsonable(report_document(content)), indent=2, ensure_ascii=False, allow_nan=False
        )
        return (text + "\n").encode("utf-8")
    if fmt == "docx":
        return docx_report(content, DISCLAIMER)
    if fmt == "xlsx":
        return xlsx_report(content, jsonable(report_document(content)), DISCLAIMER)
    summary = content.summary
    context: dict[str, Any] = {
        "summary": summary,
        "tables": content.tables,
        "methods": content.methods,
        "split_lead": split_lead,
        "warnings": list(summary["warnings"]),
        "exclusions": [
            (EXCLUSION_LABELS.get(reason, reason), shown_count(k))
            for reason, k in summary["excluded_reasons"].items()
            if k != 0
        ],
        "n_excluded": shown_count(summary["n_excluded"]) if summary["n_excluded"] != 0 else "",
        "suppression": suppression_note(content.small_cells, content.subgroups)
        if content.small_cells is not None
        else "",
        "disclaimer": DISCLAIMER,
        "repro": content.repro,
    }
    if fmt == "md":
        md_tables = [markdown_table(t) for t in content.tables]
        return _env().get_template("report.md.j2").render(md_tables=md_tables, **context).encode()
    appendix = content.supplement if summary["n_patients"] <= APPENDIX_MAX_PATIENTS else None
    html = _html(
        {
            **context,
            "appendix": appendix,
            "appendix_parts": supplement_parts(appendix) if appendix else [],
            "appendix_max": APPENDIX_MAX_PATIENTS,
        },
        content.figures,
        for_print=fmt == "pdf",
    )
    if fmt == "html":
        return html.encode("utf-8")
    return html_to_pdf(html)


def render_supplement(
    cohort: Cohort, *, fmt: SupplementFormat, cutoff: date | None = None
) -> bytes:
    """The per-patient supplement of the case series as CSV or XLSX."""
    table = supplement(build_timelines(cohort, cutoff))
    return supplement_csv(table) if fmt == "csv" else supplement_xlsx(table)


def _html(context: Mapping[str, Any], figures: list[ReportFigure], *, for_print: bool) -> str:
    return (
        _env()
        .get_template("report.html.j2")
        .render(figures=figures, for_print=for_print, **context)
    )


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint renders the same HTML (its print CSS) to PDF."""
    import weasyprint  # imported here: loading Pango is only needed for PDF

    pdf: bytes = weasyprint.HTML(string=html).write_pdf()
    return pdf
