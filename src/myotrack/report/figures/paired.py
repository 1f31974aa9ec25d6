"""Paired before/after plots: one line per patient from baseline to final value."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from myotrack.report.figures.canvas import BLUE, GREY, INK, VERMILION, new_figure


@dataclass(frozen=True, slots=True)
class PairedPanel:
    """One measure: its title, axis label, the (baseline, final) pairs and the test."""

    title: str
    axis_label: str
    pairs: tuple[tuple[float, float], ...]
    test_text: str = ""  # e.g. "Wilcoxon signed-rank (exact), p = 0.016"


def paired_figure(panels: Sequence[PairedPanel]) -> Figure:
    """Side-by-side panels; rises are drawn in vermilion, falls in blue, no change in
    grey; the black bars are the medians at baseline and final."""
    count = max(len(panels), 1)
    fig = new_figure(2.6 * count + 0.4, 3.5)
    grid = fig.add_gridspec(1, count, left=0.08, right=0.98, top=0.8, bottom=0.16, wspace=0.6)
    for i, panel in enumerate(panels):
        ax = fig.add_subplot(grid[0, i])
        _draw_panel(ax, panel)
    fig.text(
        0.5,
        0.03,
        "One line per patient with both values. Vermilion: rose; blue: fell; grey: unchanged. "
        "Black bars: medians.",
        ha="center",
        va="bottom",
        fontsize=7.5,
        color=GREY,
    )
    return fig


def _draw_panel(ax: Axes, panel: PairedPanel) -> None:
    ax.set_title(panel.title, fontsize=9.5, pad=22)
    subtitle = f"n = {len(panel.pairs)}"
    if panel.test_text:
        subtitle += f"; {panel.test_text}"
    ax.text(
        0.5,
        1.03,
        subtitle,
        transform=ax.transAxes,
        ha="center",
        va="bottom",
        fontsize=7.2,
        color=INK,
    )
    ax.set_xlim(-0.45, 1.45)
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
    for before, after in panel.pairs:
        colour = VERMILION if after > before else BLUE if after < before else GREY
        ax.plot(
            [0, 1], [before, after], color=colour, lw=1.1, alpha=alpha, marker="o", ms=3.5, zorder=2
        )
    for x, values in ((0, [b for b, _ in panel.pairs]), (1, [a for _, a in panel.pairs])):
        ax.plot(
            [x - 0.22, x + 0.22],
            [median(values)] * 2,
            color=INK,
            lw=2.4,
            zorder=3,
            solid_capstyle="butt",
        )
    lowest = min(min(p) for p in panel.pairs)
    highest = max(max(p) for p in panel.pairs)
    span = (highest - lowest) or max(abs(highest), 1.0)
    ax.set_ylim(
        min(0.0, lowest - 0.05 * span) if lowest >= 0 else lowest - 0.05 * span,
        highest + 0.08 * span,
    )
