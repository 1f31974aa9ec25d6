"""Matplotlib figures of the report. Each module draws one kind of figure on a
`matplotlib.figure.Figure` (never pyplot's global state) with the Agg renderer.

The house style (`canvas`: journal sizes in mm, ink, `new_figure`, `figure_bytes`) and the
patient timeline are public; other packages import them from here.

matplotlib itself is imported where a figure is drawn, and the timeline module on first
use of one of its names (PEP 562 `__getattr__`): a JSON report, which draws nothing, does
not load it (issue 13)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from myotrack.report.figures.canvas import (
    INK,
    TWO_COLUMNS_MM,
    FigureFormat,
    figure_bytes,
    house_style,
    mm,
    new_figure,
)

if TYPE_CHECKING:
    from myotrack.report.figures.timeline import DEFAULT_MEASURES, TimelineMark, timeline_figure

_TIMELINE_NAMES = ("DEFAULT_MEASURES", "TimelineMark", "timeline_figure")

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


def __getattr__(name: str) -> Any:
    if name not in _TIMELINE_NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module("myotrack.report.figures.timeline"), name)
    globals()[name] = value  # imported once
    return value
