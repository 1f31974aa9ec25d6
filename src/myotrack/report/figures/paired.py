"""Paired before/after plots: one line per patient from baseline to final value."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from myotrack.report.figures.canvas import (
    BLUE,
    GREY,
    INK,
    TWO_COLUMNS_MM,
    VERMILION,
    mm,
    new_figure,
)

if TYPE_CHECKING:  # matplotlib is imported where a figure is drawn (a JSON report draws none)
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

PanelSummary = Literal["median_iqr", "mean_sd"]
SUMMARY_WORDS: dict[PanelSummary, str] = {"median_iqr": "median (IQR)", "mean_sd": "mean ± SD"}


@dataclass(frozen=True, slots=True)
class Mark:
    """A summary marked on a panel: the centre (bar) and the spread (whisker)."""

    centre: float
    low: float | None
    high: float | None


@dataclass(frozen=True, slots=True)
class PairedPanel:
    """One measure: its title, axis label, the (baseline, final) pairs, the test, and the
    summary marked at baseline and final: the one its table row gives."""

    title: str
    axis_label: str
    pairs: tuple[tuple[float, float], ...]
    test_text: str = ""  # e.g. "Wilcoxon signed-rank (exact), p = 0.016"
    summary: PanelSummary = "median_iqr"
    marks: tuple[Mark, Mark] | None = None  # (baseline, final); None: no pairs
    source: str = ""  # the figure of the summary its table row prints ("cmas")


def paired_figure(panels: Sequence[PairedPanel], *, width_mm: float = TWO_COLUMNS_MM) -> Figure:
    """Side-by-side panels; rises are drawn in vermilion, falls in blue, no change in
    grey; the black bar and whisker mark each panel's summary (named under its title)."""
    count = max(len(panels), 1)
    width = mm(width_mm)
    fig = new_figure(width, 3.0)
    grid = fig.add_gridspec(1, count, left=0.085, right=0.985, top=0.78, bottom=0.17, wspace=0.55)
    for i, panel in enumerate(panels):
        ax = fig.add_subplot(grid[0, i])
        _draw_panel(ax, panel)
    fig.text(
        0.5,
        0.02,
        "One line per patient with both values. Vermilion: rose; blue: fell; grey: unchanged. "
        "Black bar and whisker: the summary named under each title.",
        ha="center",
        va="bottom",
        fontsize=6.5,
        color=GREY,
    )
    return fig


def _draw_panel(ax: Axes, panel: PairedPanel) -> None:
    from matplotlib.collections import LineCollection

    ax.set_title(panel.title, fontsize=8.5, pad=24)
    subtitle = f"n = {len(panel.pairs)}; bars: {SUMMARY_WORDS[panel.summary]}"
    if panel.test_text:
        subtitle += f"\n{panel.test_text}"
    ax.text(
        0.5,
        1.03,
        subtitle,
        transform=ax.transAxes,
        ha="center",
        va="bottom",
        fontsize=6.5,
        color=INK,
        linespacing=1.3,
    )
    ax.set_xlim(-0.5, 1.5)
    ax.set_xticks([0, 1], ["Baseline", "Final"])
    ax.set_ylabel(panel.axis_label)
    ax.yaxis.grid(True, color="#ececec", lw=0.6)
    ax.set_axisbelow(True)
    if not panel.pairs:
        ax.text(
            0.5,
            0.5,
            "no patient with\nboth values",
            transform=ax.transAxes,
            ha="center",
            va="center",
            color=GREY,
            fontsize=8,
        )
        ax.set_yticks([])
        return
    alpha = max(0.12, min(0.75, 15 / len(panel.pairs)))  # many lines: lighter, still visible
    by_colour: dict[str, list[tuple[float, float]]] = {}
    for before, after in panel.pairs:
        colour = VERMILION if after > before else BLUE if after < before else GREY
        by_colour.setdefault(colour, []).append((before, after))
    # One collection of lines and one set of points per colour, not one plot per patient:
    # the same picture, and thousands of patients draw about as fast as ten.
    for colour, pairs in by_colour.items():
        segments = [((0.0, before), (1.0, after)) for before, after in pairs]
        ax.add_collection(
            LineCollection(segments, colors=colour, linewidths=1.1, alpha=alpha, zorder=2)
        )
        xs = [0.0] * len(pairs) + [1.0] * len(pairs)
        ys = [before for before, _ in pairs] + [after for _, after in pairs]
        ax.plot(xs, ys, ls="none", color=colour, alpha=alpha, marker="o", ms=3.5, zorder=2)
    for x, mark in zip((0, 1), panel.marks or (), strict=False):
        side = -1 if x == 0 else 1  # whisker just outside the lines, bar across them
        ax.plot(
            [x - 0.22, x + 0.22],
            [mark.centre] * 2,
            color=INK,
            lw=2.4,
            zorder=3,
            solid_capstyle="butt",
        )
        if mark.low is not None and mark.high is not None:
            wx = x + side * 0.3
            ax.plot([wx, wx], [mark.low, mark.high], color=INK, lw=1.1, zorder=3)
            for y in (mark.low, mark.high):
                ax.plot([wx - 0.05, wx + 0.05], [y, y], color=INK, lw=1.1, zorder=3)
    spread = [v for m in panel.marks or () for v in (m.low, m.high) if v is not None]
    lowest = min([min(p) for p in panel.pairs] + spread)
    highest = max([max(p) for p in panel.pairs] + spread)
    span = (highest - lowest) or max(abs(highest), 1.0)
    ax.set_ylim(
        min(0.0, lowest - 0.05 * span) if lowest >= 0 else lowest - 0.05 * span,
        highest + 0.08 * span,
    )
