"""Kaplan–Meier curves of time to an event, with a numbers-at-risk table drawn from
the estimator's own at-risk counts (never from lifelines' plotting helpers)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from myotrack.report.figures.canvas import GREY, INK, SERIES, TWO_COLUMNS_MM, mm, new_figure

if TYPE_CHECKING:  # matplotlib is imported where a figure is drawn (a JSON report draws none)
    from matplotlib.figure import Figure


@dataclass(frozen=True, slots=True)
class SurvivalCurve:
    """One curve: the step function S(t) at its jump times, the censoring times, and
    the number at risk at a given time (from `KaplanMeier.at_risk`)."""

    label: str
    times: tuple[float, ...]
    survival: tuple[float, ...]
    censored_times: tuple[float, ...]
    at_risk: Callable[[Sequence[float]], list[int]]  # e.g. KaplanMeier.at_risk
    n: int
    median: float | None = None  # the Kaplan–Meier median its table row prints (marked)
    source: str = ""  # the figure of the summary ("weeks_to_rash_resolved")


def survival_figure(
    curves: Sequence[SurvivalCurve],
    *,
    x_label: str = "Weeks since JAK-inhibitor start",
    y_label: str = "Cumulative proportion with event",
    tick_step: float | None = None,
    x_max: float | None = None,
    width_mm: float = TWO_COLUMNS_MM,
) -> Figure:
    """Curves drawn as 1 − S(t) (the proportion that has had the event), with censoring
    marks (+), each curve's Kaplan–Meier median marked by a dotted drop line from 0.5,
    and a numbers-at-risk table under the axis at each tick."""
    ends = [t for c in curves for t in (*c.times, *c.censored_times)]
    right = x_max if x_max is not None else (max(ends) if ends else 1.0)
    right = max(right, 1.0)
    step = tick_step if tick_step is not None else _nice_step(right)
    ticks = [step * k for k in range(int(right // step) + 1)]
    if ticks[-1] < right:
        ticks.append(ticks[-1] + step)
    rows = max(len(curves), 1)
    table_in = 0.28 + 0.2 * rows
    width = mm(width_mm)
    legend_columns = min(rows, 3) if width_mm >= 150 else 1  # one column: legend stacked
    legend_in = 0.22 + 0.17 * math.ceil(rows / legend_columns)
    height = 2.9 + legend_in + table_in
    fig = new_figure(width, height)
    bottom = (table_in + 0.55) / height
    left = 1.45 / width  # room for the at-risk labels, in inches whatever the width
    ax = fig.add_axes((left, bottom, 0.97 - left, 1 - bottom - legend_in / height))
    ax.set_xlim(0, ticks[-1])
    ax.set_ylim(0, 1.02)
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    ax.yaxis.grid(True, color="#ececec", lw=0.6)
    ax.set_axisbelow(True)
    for i, curve in enumerate(curves):
        colour = SERIES[i % len(SERIES)]
        xs = [0.0, *curve.times]
        ys = [0.0, *(1.0 - s for s in curve.survival)]
        if xs[-1] < ticks[-1]:
            xs.append(max([xs[-1], *curve.censored_times]))
            ys.append(ys[-1])
        ax.step(xs, ys, where="post", color=colour, lw=1.8, label=f"{curve.label} (n = {curve.n})")
        if curve.median is not None:
            ax.plot([curve.median, curve.median], [0, 0.5], color=colour, lw=1.0, ls=":", zorder=1)
        marks = [t for t in curve.censored_times if t > 0]
        if marks:
            ax.plot(
                marks,
                [_incidence_at(curve, t) for t in marks],
                ls="none",
                marker="+",
                ms=7,
                mew=1.2,
                color=colour,
            )
    if any(curve.median is not None for curve in curves):
        ax.axhline(0.5, color=GREY, lw=0.6, ls="--", zorder=0)
    if curves:
        if legend_columns > 1:
            ax.legend(
                loc="lower left",
                bbox_to_anchor=(0.0, 1.01),
                ncol=legend_columns,
                handlelength=1.6,
                borderaxespad=0.2,
            )
        else:  # one column: stacked at the figure's left edge, where the width is
            fig.legend(
                *ax.get_legend_handles_labels(),
                loc="upper left",
                bbox_to_anchor=(0.02, 0.995),
                handlelength=1.6,
                borderaxespad=0.2,
            )
    # the numbers-at-risk table, aligned with the x ticks
    fig.text(
        0.02,
        (table_in - 0.1) / height,
        "Number at risk",
        fontsize=8,
        fontweight="bold",
        color=INK,
        va="bottom",
    )
    for i, curve in enumerate(curves):
        y = (table_in - 0.25 - 0.2 * i) / height
        fig.text(0.02, y, curve.label, fontsize=6.5, color=SERIES[i % len(SERIES)], va="center")
        for t, n_at_risk in zip(ticks, curve.at_risk(ticks), strict=True):
            x_fig = fig.transFigure.inverted().transform(ax.transData.transform((t, 0)))[0]
            fig.text(x_fig, y, str(n_at_risk), fontsize=6.5, ha="center", va="center", color=INK)
    if all(curve.n == 0 for curve in curves):
        ax.text(0.5, 0.5, "no patients at risk", transform=ax.transAxes, ha="center", color=GREY)
    return fig


def _incidence_at(curve: SurvivalCurve, t: float) -> float:
    """1 − S(t) for the step function (right-continuous)."""
    value = 0.0
    for time, s in zip(curve.times, curve.survival, strict=True):
        if time <= t:
            value = 1.0 - s
        else:
            break
    return value


def _nice_step(span: float) -> float:
    for step in (1, 2, 4, 5, 10, 12, 13, 26, 52, 104):
        if span / step <= 8:
            return float(step)
    return float(round(span / 8))
