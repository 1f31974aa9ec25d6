"""`render_report`: the case-series report of a cohort as JSON, HTML, PDF or Markdown.

Pure apart from rendering: no clock (the caller passes `generated_at`), no files read
except the package's own templates, nothing written.
"""

from __future__ import annotations

import json
import math
import platform
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from importlib import metadata
from typing import Any, Literal

import jinja2

import myotrack
from myotrack.analysis import case_series, cohort_fingerprint, patient_timelines
from myotrack.domain import Cohort
from myotrack.report.methods import methods_paragraphs, split_lead
from myotrack.report.report_figures import ReportFigure, report_figures
from myotrack.report.tables import markdown_table, table1, table2
from myotrack.report.wording import EXCLUSION_LABELS

ReportFormat = Literal["json", "html", "pdf", "md"]
QuantileChoice = Literal["type7", "type6"]
FORMATS: tuple[ReportFormat, ...] = ("json", "html", "pdf", "md")

DISCLAIMER = (
    "These statistics were computed automatically. Before they are published or used to "
    "make decisions, a statistician must review them: check the definitions against the "
    "question, the data against the source records, and the choice of tests."
)

_ENV = jinja2.Environment(
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
    out = {"python": platform.python_version()}
    for package in wanted:
        version = _version(package)
        if version is not None:
            out[package] = version
    return out


def _jsonable(value: Any) -> Any:
    """Dates as ISO strings; NaN and infinities as null (JSON has neither)."""
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def render_report(
    cohort: Cohort,
    *,
    fmt: ReportFormat,
    quantiles: QuantileChoice = "type7",
    cutoff: date | None = None,
    generated_at: datetime,
) -> bytes:
    """The case-series report of `cohort` in format `fmt` (json, html, pdf or md)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}: use one of {', '.join(FORMATS)}")
    summary = case_series(
        cohort, quantiles=quantiles, cutoff=cutoff, software=software_versions(fmt)
    )
    repro = Reproducibility(
        data_fingerprint=cohort_fingerprint(cohort),
        cutoff_date=summary["methods"].get("cutoff_date"),
        myotrack_version=myotrack.__version__,
        generated_at=generated_at.isoformat(timespec="seconds"),
        quantile_type=quantiles,
    )
    if fmt == "json":
        document = dict(summary)
        document["reproducibility"] = {
            "data_fingerprint": repro.data_fingerprint,
            "cutoff_date": repro.cutoff_date,
            "myotrack_version": repro.myotrack_version,
            "generated_at": repro.generated_at,
        }
        text = json.dumps(_jsonable(document), indent=2, ensure_ascii=False, allow_nan=False)
        return (text + "\n").encode("utf-8")
    timelines = patient_timelines(cohort, cutoff=cutoff)
    tables = [table1(summary), table2(summary)]
    context: dict[str, Any] = {
        "summary": summary,
        "tables": tables,
        "methods": methods_paragraphs(summary),
        "split_lead": split_lead,
        "warnings": list(summary["warnings"]),
        "exclusions": [
            (EXCLUSION_LABELS.get(reason, reason), k)
            for reason, k in summary["excluded_reasons"].items()
        ],
        "disclaimer": DISCLAIMER,
        "repro": repro,
    }
    if fmt == "md":
        md_tables = [markdown_table(t) for t in tables]
        return _ENV.get_template("report.md.j2").render(md_tables=md_tables, **context).encode()
    figures = report_figures(timelines, summary, fmt="svg")
    html = _html(context, figures, for_print=fmt == "pdf")
    if fmt == "html":
        return html.encode("utf-8")
    return html_to_pdf(html)


def _html(context: Mapping[str, Any], figures: list[ReportFigure], *, for_print: bool) -> str:
    return _ENV.get_template("report.html.j2").render(
        figures=figures, for_print=for_print, **context
    )


def html_to_pdf(html: str) -> bytes:
    """WeasyPrint renders the same HTML (its print CSS) to PDF."""
    import weasyprint  # imported here: loading Pango is only needed for PDF

    pdf: bytes = weasyprint.HTML(string=html).write_pdf()
    return pdf
