"""Matplotlib figures of the report. Each module draws one kind of figure on a
`matplotlib.figure.Figure` (never pyplot's global state) with the Agg renderer.

The house style (`canvas`: journal sizes in mm, ink, `new_figure`, `figure_bytes`) and the
patient timeline are public; other packages import them from here."""

from myotrack.report.figures.canvas import (
    INK,
    TWO_COLUMNS_MM,
    FigureFormat,
    figure_bytes,
    house_style,
    mm,
    new_figure,
)
from myotrack.report.figures.timeline import DEFAULT_MEASURES, TimelineMark, timeline_figure

__all__ = [
    "DEFAULT_MEASURES",
    "INK",
    "TWO_COLUMNS_MM",
    "FigureFormat",
    "TimelineMark",
    "figure_bytes",
    "house_style",
    "mm",
    "new_figure",
    "timeline_figure",
]
