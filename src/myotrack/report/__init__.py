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

Each name is imported from its module when it is first used (PEP 562 `__getattr__`), so
`from myotrack.report import render_report` loads the report and the statistics but not
the case report's stack (matplotlib, Pillow, Jinja2) nor anything a JSON report does not
draw (issue 13: the import of the whole stack was most of a small report's time).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from myotrack.report.casereport import CaseReport, build_case_report
    from myotrack.report.casereport_figures import pair_figure
    from myotrack.report.casereport_out import CaseReportFormat, render_case_report
    from myotrack.report.figure_files import figure_files
    from myotrack.report.figures.timeline import timeline_figure
    from myotrack.report.render import (
        QuantileChoice,
        ReportFormat,
        render_report,
        render_supplement,
    )
    from myotrack.report.supplement_files import SupplementFormat

# Where each public name lives (imported on first use).
_HOMES = {
    "CaseReport": "myotrack.report.casereport",
    "build_case_report": "myotrack.report.casereport",
    "pair_figure": "myotrack.report.casereport_figures",
    "CaseReportFormat": "myotrack.report.casereport_out",
    "render_case_report": "myotrack.report.casereport_out",
    "figure_files": "myotrack.report.figure_files",
    "timeline_figure": "myotrack.report.figures.timeline",
    "QuantileChoice": "myotrack.report.render",
    "ReportFormat": "myotrack.report.render",
    "render_report": "myotrack.report.render",
    "render_supplement": "myotrack.report.render",
    "SupplementFormat": "myotrack.report.supplement_files",
}

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


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # imported once
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
