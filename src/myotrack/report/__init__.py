"""Rendering of the case-series report (JSON, HTML, PDF, Markdown) and its figures.

Public functions:
- `render_report(cohort, fmt=..., quantiles=..., cutoff=..., generated_at=...) -> bytes`
- `timeline_figure(record, measures=..., fmt=...) -> bytes`
"""

from myotrack.report.figures.timeline import timeline_figure
from myotrack.report.render import render_report

__all__ = ["render_report", "timeline_figure"]
