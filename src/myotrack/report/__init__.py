"""Rendering of the case-series report (JSON, HTML, PDF, Markdown) and its figures.

Public functions:
- `render_report(cohort, fmt=..., quantiles=..., cutoff=..., generated_at=...) -> bytes`
- `timeline_figure(record, measures=..., fmt=...) -> bytes`
"""

from myotrack.report.figures.timeline import timeline_figure

__all__ = ["timeline_figure"]
