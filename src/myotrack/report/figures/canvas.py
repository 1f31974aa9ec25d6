"""One house style for every figure, and figure → bytes without pyplot.

Figures are built as `matplotlib.figure.Figure` objects inside `house_style()` so no
global pyplot state is created or left behind; the style is applied with an
rc_context, which restores matplotlib's settings on exit.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # matplotlib is imported where a figure is drawn (a JSON report draws none)
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

FigureFormat = Literal["png", "svg", "pdf"]

# Journal figure widths (the common column widths of BMJ, Elsevier and Springer journals:
# one column about 85 mm, two columns about 175 mm); the house style's 7–9 pt text stays
# legible at these sizes.
MM_PER_INCH = 25.4
ONE_COLUMN_MM = 85.0
TWO_COLUMNS_MM = 175.0


def mm(value: float) -> float:
    """Millimetres in inches (matplotlib's unit)."""
    return value / MM_PER_INCH


# Colours: a colour-blind-safe palette (Okabe & Ito, "Color Universal Design", 2008).
INK = "#222222"
GRID = "#d9d9d9"
BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"
VERMILION = "#D55E00"
PURPLE = "#CC79A7"
SKY = "#56B4E9"
GREY = "#9a9a9a"
LIGHT_GREY = "#cfcfcf"
SERIES = (BLUE, VERMILION, GREEN, ORANGE, PURPLE, SKY)

_STYLE: dict[str, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": ["Liberation Sans", "DejaVu Sans", "Arial", "Helvetica"],
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.labelsize": 9,
    "axes.edgecolor": INK,
    "axes.labelcolor": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "xtick.color": INK,
    "ytick.color": INK,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "svg.hashsalt": "myotrack",  # stable ids: the same figure gives the same SVG
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
}


@contextmanager
def house_style() -> Iterator[None]:
    """Apply the house style for the duration of the block (rcParams restored after)."""
    import matplotlib

    style: Any = _STYLE
    with matplotlib.rc_context(style):
        yield


def date_num(day: date) -> float:
    """A date as matplotlib's date number (days since its epoch)."""
    import matplotlib.dates as mdates

    return float(mdates.date2num(day))  # type: ignore[no-untyped-call]


def date_axis(ax: Axes) -> None:
    """Concise automatic date ticks on the x axis."""
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=4, maxticks=10)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    formatter = mdates.ConciseDateFormatter(locator)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_formatter(formatter)


def new_figure(width_in: float, height_in: float) -> Figure:
    """A figure not registered with pyplot (call inside `house_style()`)."""
    from matplotlib.figure import Figure

    return Figure(figsize=(width_in, height_in), dpi=100, layout=None)


def figure_bytes(fig: Figure, fmt: FigureFormat, *, dpi: int = 200) -> bytes:
    """Encode a figure; metadata dates are left out so the output is reproducible."""
    buffer = io.BytesIO()
    metadata: dict[str, Any]
    if fmt == "png":
        metadata = {"Software": None}
    elif fmt == "svg":
        metadata = {"Date": None, "Creator": None}
    elif fmt == "pdf":
        metadata = {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None}
    else:
        raise ValueError(f"unknown figure format {fmt!r}: use png, svg or pdf")
    with house_style():
        fig.savefig(buffer, format=fmt, dpi=dpi, metadata=metadata, facecolor="white")
    return buffer.getvalue()
