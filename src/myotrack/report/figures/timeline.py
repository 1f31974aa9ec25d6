"""One child's course: chosen measures over time, each on its own axis, above a bar
for every drug course on a shared date axis (like Figure 3 of Kaiser et al.'s MDA5+
JDM case report, the project's seed 003); beneath, when given, the whole record's marks
(`TimelineMark`: investigations, dated organ involvement, courses and events known to the
month or year), one lane each — a date known only to the month or year drawn as a bar
over its period, never as a point."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from textwrap import fill
from typing import Final, Literal

import matplotlib.ticker as ticker
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from myotrack.domain import DrugCourse, PatientRecord
from myotrack.domain.vocab import QUANTITATIVE_ANALYTES, VISIT_MEASURES
from myotrack.report.figures.canvas import (
    BLUE,
    GREY,
    INK,
    LIGHT_GREY,
    PURPLE,
    SERIES,
    VERMILION,
    FigureFormat,
    date_axis,
    date_num,
    figure_bytes,
    house_style,
    new_figure,
)
from myotrack.report.figures.labels import course_label, dose_text, drug_words, measure_label

DEFAULT_MEASURES = ("cmas", "IFN_score")
MarkKind = Literal["investigation", "involvement", "course", "event"]


@dataclass(frozen=True, slots=True)
class TimelineMark:
    """One thing of the whole record drawn beneath the courses: in lane `lane` (e.g.
    'investigations', 'ILD'), from `start` to `end` (the last day; equal to `start` for a
    point, later for a period or a date known only to the month or year); `ongoing` when
    it has not ended (drawn to the last date of the record); `text` its words."""

    lane: str
    kind: MarkKind
    start: date
    end: date
    text: str
    ongoing: bool = False
    jak_inhibitor: bool = False  # a course of a JAK inhibitor (drawn as the JAK courses)
    # False for a course whose end the record does not give (no end date, no duration, not
    # recorded as ongoing): drawn over its start, then dotted to the last date.
    end_reported: bool = True

    @property
    def is_point(self) -> bool:
        return self.start == self.end and not self.ongoing

    @staticmethod
    def key_words(marks: Sequence[TimelineMark]) -> str:
        """What a thin or a dotted mark means, when `marks` have any ('' otherwise): the
        key printed beside the marks."""
        words = []
        if any(m.imprecise for m in marks):
            words.append("thin bar: some time in that period (known only to the year)")
        if any(not m.end_reported for m in marks):
            words.append("dotted: end not reported")
        return " · ".join(words)

    @property
    def imprecise(self) -> bool:
        """A single investigation or event known only to the year (or a span longer than a
        month), or a course started some time in such a span whose end is not reported:
        drawn thin, as 'some time in this period', not as a long stay or a long course."""
        when_only = self.kind in ("investigation", "event") or not self.end_reported
        return when_only and (self.end - self.start).days > 31


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    label: str
    points: tuple[tuple[date, float], ...]
    ref_high: float | None = None
    lower: float | None = None  # the measure's published floor/ceiling, if any
    upper: float | None = None


def timeline_figure(
    record: PatientRecord,
    *,
    measures: Sequence[str] = DEFAULT_MEASURES,
    fmt: FigureFormat = "png",
    marks: Sequence[TimelineMark] = (),
) -> bytes:
    """One child's course as PNG, SVG or PDF bytes.

    `measures` are visit columns (e.g. 'cmas', 'catbm_activity') or quantitative lab
    analytes (e.g. 'IFN_score', 'LDH'); each gets its own axis. Every drug course is
    a horizontal bar beneath, labelled with drug and dose; a course with no end date
    is drawn to the last date of the record and marked as ongoing. `marks` (the whole
    record: investigations, organ involvement, ...) get one lane each beneath."""
    with house_style():
        fig = draw_timeline(record, measures, marks)
        return figure_bytes(fig, fmt)


def measure_series(record: PatientRecord, name: str) -> Series:
    """The recorded (non-empty) values of one visit measure or lab analyte."""
    if name in VISIT_MEASURES:
        low, high, _ = VISIT_MEASURES[name]
        points: list[tuple[date, float]] = []
        for visit in record.visits:
            value = visit.measure(name)
            if value is not None and not isinstance(value, bool):
                points.append((visit.date, float(value)))
        return Series(name, measure_label(name), tuple(points), lower=low, upper=high)
    if name in QUANTITATIVE_ANALYTES:
        labs = [lab for lab in record.labs if lab.analyte == name and lab.value is not None]
        unit = next((lab.unit for lab in reversed(labs) if lab.unit), None)
        ref_high = next((lab.ref_high for lab in reversed(labs) if lab.ref_high is not None), None)
        lab_points = tuple((lab.date, float(lab.value)) for lab in labs if lab.value is not None)
        return Series(name, measure_label(name, unit), lab_points, ref_high=ref_high, lower=0)
    choices = ", ".join([*VISIT_MEASURES, *QUANTITATIVE_ANALYTES])
    raise ValueError(f"unknown measure {name!r}: choose a visit column or lab analyte ({choices})")


def record_dates(record: PatientRecord) -> list[date]:
    dates = [v.date for v in record.visits]
    dates += [lab.date for lab in record.labs]
    dates += [e.date for e in record.events]
    for course in record.courses:
        dates.append(course.start_date)
        if course.end_date is not None:
            dates.append(course.end_date)
    return dates


def draw_timeline(
    record: PatientRecord, measures: Sequence[str], marks: Sequence[TimelineMark] = ()
) -> Figure:
    series = [measure_series(record, name) for name in measures]
    rows = _course_rows(record.courses)
    dates = record_dates(record) + [d for m in marks for d in (m.start, m.end)]
    # lanes: courses, then organ involvement, investigations, events (as the page's timeline)
    lanes = list(dict.fromkeys(m.lane for m in sorted(marks, key=lambda m: _LANE_ORDER[m.kind])))
    first = min(dates) if dates else date.today().replace(month=1, day=1)
    last = max(dates) if dates else first + timedelta(days=365)
    pad = max(timedelta(days=5), (last - first) * 0.03)
    x_min, x_max = first - pad, last + pad

    measure_height = 1.9
    row_height = 0.62
    courses_height = max(1.0, row_height * max(len(rows), 1) + 0.5)
    marks_height = row_height * 0.8 * len(lanes) + 0.4 if lanes else 0.0
    top_in, bottom_in = 0.55, 0.55
    height = top_in + bottom_in + measure_height * len(series) + courses_height + marks_height
    fig = new_figure(8.5, height)
    FigureCanvasAgg(fig)  # a private canvas: text can be measured for label placement
    ratios = [measure_height] * len(series) + [courses_height]
    if lanes:
        ratios.append(marks_height)
    grid = fig.add_gridspec(
        len(ratios),
        1,
        height_ratios=ratios,
        hspace=0.18,
        left=0.2,
        right=0.96,
        top=1 - top_in / height,
        bottom=bottom_in / height,
    )
    axes: list[Axes] = []
    for i in range(len(ratios)):
        ax = fig.add_subplot(grid[i, 0], sharex=axes[0] if axes else None)
        axes.append(ax)
    for i, (ax, one) in enumerate(zip(axes, series, strict=False)):
        _draw_series(ax, one, SERIES[i % len(SERIES)])
        ax.tick_params(labelbottom=False)
    course_ax = axes[len(series)]
    bottom_ax = axes[-1]
    bottom_ax.set_xlim(date_num(x_min), date_num(x_max))
    date_axis(bottom_ax)
    if lanes:
        course_ax.tick_params(labelbottom=False)
        _draw_marks(bottom_ax, lanes, marks, last)
        key = TimelineMark.key_words(marks)
        if key:
            bottom_ax.text(
                1.0,
                1.0,
                key,
                transform=bottom_ax.transAxes,
                ha="right",
                va="bottom",
                fontsize=7,
                color=GREY,
            )

    index_date = record.index_date
    if index_date is not None:
        for ax in axes:
            ax.axvline(date_num(index_date), color=BLUE, lw=0.9, ls="--", zorder=0)
        axes[0].annotate(
            "JAK inhibitor start",
            xy=(date_num(index_date), 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(3, 2),
            textcoords="offset points",
            fontsize=7.5,
            color=BLUE,
            va="bottom",
            ha="left",
        )
    empty = (
        "no course with whole dates: the courses known to the month or year are drawn below"
        if any(m.kind == "course" for m in marks)
        else "no treatment recorded"
    )
    _draw_courses(fig, course_ax, rows, last, empty)
    fig.suptitle(
        f"{record.patient.patient_id}: measures and treatment over time",
        x=0.2,
        ha="left",
        y=1 - 0.12 / height,
        va="top",
        fontsize=10.5,
        fontweight="bold",
    )
    return fig


_MARK_COLOURS: dict[MarkKind, str] = {
    "investigation": INK,
    "involvement": PURPLE,
    "course": GREY,
    "event": VERMILION,
}


_LANE_ORDER: Final[dict[MarkKind, int]] = {
    "course": 0,
    "involvement": 1,
    "investigation": 2,
    "event": 3,
}
_LANE_WIDTH: Final = 26  # characters of a lane's name on one line (the margin holds about 30)


def _draw_marks(ax: Axes, lanes: list[str], marks: Sequence[TimelineMark], last: date) -> None:
    """One lane per name: points as markers, periods (and dates known only to the month or
    year) as bars over their days, ongoing ones to the last date with an arrow."""
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    ax.set_ylim(-len(lanes) + 0.45, 0.6)
    ax.set_yticks(
        [-i for i in range(len(lanes))],
        [fill(lane, _LANE_WIDTH, break_long_words=False) for lane in lanes],
    )
    row_of = {lane: -i for i, lane in enumerate(lanes)}
    for mark in marks:
        y = row_of[mark.lane]
        colour = BLUE if mark.jak_inhibitor else _MARK_COLOURS[mark.kind]
        if mark.is_point:
            ax.plot(date_num(mark.start), y, marker="D", ms=4.5, color=colour, zorder=3)
            continue
        end = last if mark.ongoing else mark.end
        start = date_num(mark.start)
        width = date_num(max(end, mark.start)) + 1 - start
        half = 0.05 if mark.imprecise else 0.14
        ax.broken_barh(
            [(start, width)],
            (y - half, 2 * half),
            facecolors=colour,
            alpha=0.55 if mark.kind == "investigation" or mark.imprecise else 0.75,
            edgecolors="none",
            zorder=2,
        )
        if not mark.end_reported and last > end:
            ax.plot(
                [start + width, date_num(last) + 1], [y, y], ls=":", lw=1.5, color=colour, zorder=2
            )
        if mark.ongoing:
            ax.plot(start + width, y, marker=">", color=colour, ms=5, zorder=3, clip_on=False)


def _draw_series(ax: Axes, one: Series, colour: str) -> None:
    ax.set_ylabel(one.label)
    ax.yaxis.grid(True, color="#ececec", lw=0.6)
    ax.set_axisbelow(True)
    if not one.points:
        ax.text(
            0.5,
            0.5,
            f"no {one.label} recorded",
            transform=ax.transAxes,
            ha="center",
            va="center",
            color=GREY,
            fontsize=8.5,
        )
        ax.set_yticks([])
        return
    xs = [date_num(d) for d, _ in one.points]
    ys = [v for _, v in one.points]
    ax.plot(xs, ys, color=colour, lw=1.6, marker="o", ms=4.5, zorder=3)
    positive = [v for v in ys if v > 0]
    if len(positive) == len(ys) and max(ys) / min(positive) >= 50:
        ax.set_yscale("log")
        ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda v, _: f"{v:g}"))
        ax.set_ylabel(f"{one.label}\n(log scale)")
    elif one.lower is not None:
        highest = max([*ys, one.ref_high or 0.0])
        top = highest * 1.08 if one.upper is None else one.upper
        ax.set_ylim(one.lower, max(top, highest) or 1)
    if one.ref_high is not None:
        ax.axhline(one.ref_high, color=GREY, lw=0.8, ls=":", zorder=1)
        ax.annotate(
            f"upper reference {one.ref_high:g}",
            xy=(0.0, one.ref_high),
            xycoords=("axes fraction", "data"),
            xytext=(3, 2),
            textcoords="offset points",
            ha="left",
            va="bottom",
            fontsize=7,
            color=GREY,
        )


def _course_rows(courses: Sequence[DrugCourse]) -> list[tuple[str, list[DrugCourse]]]:
    """Courses grouped one row per drug, rows in order of the drug's first start."""
    rows: dict[str, list[DrugCourse]] = {}
    for course in sorted(courses, key=lambda c: (c.start_date, c.drug)):
        rows.setdefault(course.drug, []).append(course)
    return list(rows.items())


def _draw_courses(
    fig: Figure,
    ax: Axes,
    rows: list[tuple[str, list[DrugCourse]]],
    last: date,
    empty: str = "no treatment recorded",
) -> None:
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    if not rows:
        ax.set_yticks([])
        ax.text(
            0.5,
            0.5,
            empty,
            transform=ax.transAxes,
            ha="center",
            va="center",
            color=GREY,
            fontsize=8.5,
        )
        return
    ax.set_ylim(-len(rows) + 0.45, 0.6)
    ax.set_yticks([-i for i in range(len(rows))], [drug_words(drug) for drug, _ in rows])
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    bar_height = 0.34
    for i, (_, courses) in enumerate(rows):
        y = -i
        ax.axhline(y, color="#f1f1f1", lw=0.6, zorder=0)
        right_edges = {"above": float("-inf"), "below": float("-inf")}
        for course in courses:
            start = date_num(course.start_date)
            end_day = course.end_date if course.end_date is not None else last
            end = date_num(max(end_day, course.start_date)) + 1  # inclusive end day
            jak = course.is_jak_inhibitor
            ax.broken_barh(
                [(start, end - start)],
                (y - bar_height / 2, bar_height),
                facecolors=BLUE if jak else LIGHT_GREY,
                edgecolors="white" if jak else GREY,
                linewidth=0.6,
                zorder=2,
            )
            if course.end_date is None:
                ax.plot(
                    end, y, marker=">", color=BLUE if jak else GREY, ms=5, zorder=3, clip_on=False
                )
            _place_label(ax, renderer, course, start, end, y, bar_height, right_edges)


def _place_label(
    ax: Axes,
    renderer: object,
    course: DrugCourse,
    start: float,
    end: float,
    y: float,
    bar_height: float,
    right_edges: dict[str, float],
) -> None:
    """Label a course above or below its bar, starting at the course's start; when the
    previous label of the row is in the way, shift it right (but not past the course's
    end), first with drug and dose, then with the dose only. Labels never overlap."""
    gap = 8.0  # pixels between neighbouring labels
    start_px = ax.transData.transform((start, y))[0]
    end_px = ax.transData.transform((end, y))[0]
    best: tuple[float, str, str] | None = None
    for text in (course_label(course), dose_text(course)):
        for side in ("above", "below"):
            x_px = max(start_px, right_edges[side] + gap)
            fits = x_px == start_px or x_px < end_px - 20
            if fits and (best is None or x_px < best[0] - 0.5):
                best = (x_px, side, text)
        if best is not None and best[0] == start_px:
            break
    if best is None:  # no room inside the course: the dose, after the previous label
        side = min(right_edges, key=lambda s: right_edges[s])
        best = (max(start_px, right_edges[side] + gap), side, dose_text(course))
    x_px, side, text = best
    x = ax.transData.inverted().transform((x_px, 0))[0]
    label = _text(ax, x, y, bar_height, side, text, course.is_jak_inhibitor)
    right_edges[side] = label.get_window_extent(renderer).x1  # type: ignore[arg-type]


def _text(ax: Axes, x: float, y: float, bar_height: float, side: str, text: str, jak: bool) -> Text:
    offset = bar_height / 2 + 0.04
    return ax.text(
        x,
        y + offset if side == "above" else y - offset,
        text,
        ha="left",
        va="bottom" if side == "above" else "top",
        fontsize=7,
        color=INK if jak else "#444444",
        fontweight="bold" if jak else "normal",
        zorder=4,
        bbox={
            "boxstyle": "square,pad=0.1",
            "facecolor": "white",
            "edgecolor": "none",
            "alpha": 0.85,
        },
    )
