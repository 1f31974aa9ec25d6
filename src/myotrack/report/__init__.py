"""Rendering of the case-series report (JSON, HTML, PDF, Markdown, DOCX, XLSX), its
per-patient supplement and its figures.

Public functions:
- `render_report(cohort, fmt=..., quantiles=..., cutoff=..., generated_at=..., by=None)
  -> bytes` (fmt: json, html, pdf, md, docx, xlsx; by: drug, weight_band, antibody,
  refractory)
- `render_supplement(cohort, fmt="csv"|"xlsx", cutoff=None) -> bytes`
- `figure_files(cohort, quantiles=..., cutoff=None) -> {file name: bytes}` (journal sizes)
- `timeline_figure(record, measures=..., fmt=...) -> bytes`
- `build_case_report(record, generated_at=..., images=..., read_image=..., investigations=...)
  -> CaseReport` and `render_case_report(report, "pdf"|"docx"|"html") -> bytes` (issue 14)
- `pair_figure(pair, read, fmt=..., date_text=..., captions=...) -> bytes` (before/after)
"""

from myotrack.report.casereport import CaseReport, build_case_report
from myotrack.report.casereport_figures import pair_figure
from myotrack.report.casereport_out import CaseReportFormat, render_case_report
from myotrack.report.figure_files import figure_files
from myotrack.report.figures.timeline import timeline_figure
from myotrack.report.render import QuantileChoice, ReportFormat, render_report, render_supplement
from myotrack.report.supplement_files import SupplementFormat

__all__ = [
    "CaseReport",
    "CaseReportFormat",
    "QuantileChoice",
    "ReportFormat",
    "SupplementFormat",
    "build_case_report",
    "figure_files",
    "pair_figure",
    "render_case_report",
    "render_report",
    "render_supplement",
    "timeline_figure",
]
