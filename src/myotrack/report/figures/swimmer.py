"""Swimmer plot: one lane per patient from the JAK-inhibitor start, a segment per
course (a dose change starts a new segment, labelled with its dose), and markers for
events."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from myotrack.domain.labels import label
from myotrack.report.figures.canvas import (
    BLUE,
    GREEN,
    GREY,
    INK,
    ORANGE,
    PURPLE,
    SKY,
    TWO_COLUMNS_MM,
    VERMILION,
    mm,
    new_figure,
)

if TYPE_CHECKING:  # matplotlib is imported where a figure is drawn (a JSON report draws none)
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

DRUG_COLOURS = {
    "ruxolitinib": BLUE,
    "tofacitinib": ORANGE,
    "baricitinib": GREEN,
    "upadacitinib": PURPLE,
    "filgotinib": SKY,
}

# marker and colour per event (vocabulary of domain.vocab.EVENTS; legend words from
# domain.labels, the one table of the clinic's words)
EVENT_MARKERS: dict[str, tuple[str, str]] = {
    "rash_improving": ("^", GREEN),
    "rash_marked": ("d", "#4d9221"),
    "rash_resolved": ("o", "#1b7837"),
    "gc_stopped": ("s", "#666666"),
    "relapse": ("X", VERMILION),
    "infection": ("D", PURPLE),
    "thromboembolism": ("*", "#b2182b"),
    "adverse_event": ("P", ORANGE),
    "death": ("x", INK),
    "lost_to_follow_up": ("|", INK),
}


@dataclass(frozen=True, slots=True)
class SwimmerSegment:
    start: float  # months since the index date
    end: float
    drug: str
    dose_label: str
    ongoing: bool = False  # still running at the end of follow-up


@dataclass(frozen=True, slots=True)
class SwimmerLane:
    patient_id: str
    follow_up: float  # months
    segments: tuple[SwimmerSegment, ...]
    events: tuple[tuple[float, str], ...]  # (months since index, event)


def swimmer_figure(
    lanes: Sequence[SwimmerLane],
    *,
    x_label: str = "Months since JAK-inhibitor start",
    x_max: float | None = None,
    width_mm: float = TWO_COLUMNS_MM,
) -> Figure:
    """Lanes sorted by follow-up, longest first. `x_max` (months) fixes the axis, so that
    a long cohort split over several figures shares one scale."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import MultipleLocator

    ordered = sort_lanes(lanes)
    count = max(len(ordered), 1)
    lane_in = 0.3
    legend_in = 0.55
    height = 0.8 + legend_in + lane_in * count
    fig = new_figure(mm(width_mm), height)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.13, (0.5 + legend_in) / height, 0.84, lane_in * count / height))
    right = x_max if x_max is not None else max([lane.follow_up for lane in ordered] + [1.0])
    ax.set_xlim(0, right * 1.04)
    ax.xaxis.set_major_locator(MultipleLocator(_month_step(right)))
    ax.set_ylim(count - 0.4, -0.6)
    ax.set_yticks(range(len(ordered)), [lane.patient_id for lane in ordered])
    ax.tick_params(axis="y", length=0, labelsize=7)
    ax.spines["left"].set_visible(False)
    ax.set_xlabel(x_label)
    ax.xaxis.grid(True, color="#ececec", lw=0.6)
    ax.set_axisbelow(True)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    drugs_seen: list[str] = []
    events_seen: list[str] = []
    for y, lane in enumerate(ordered):
        ax.plot([0, lane.follow_up], [y, y], color=GREY, lw=0.8, zorder=1)
        for seg in lane.segments:
            colour = DRUG_COLOURS.get(seg.drug, GREY)
            if seg.drug not in drugs_seen:
                drugs_seen.append(seg.drug)
            width = max(seg.end - seg.start, 0.0)
            ax.barh(
                y,
                width,
                left=seg.start,
                height=0.52,
                color=colour,
                edgecolor="white",
                linewidth=0.8,
                zorder=2,
            )
            if seg.ongoing:
                ax.plot(seg.end, y, marker=">", color=colour, ms=4.5, zorder=3, clip_on=False)
            _label_inside(ax, renderer, seg, y)
        for time, event in lane.events:
            marker, colour = EVENT_MARKERS.get(event, ("o", INK))
            if event not in events_seen:
                events_seen.append(event)
            ax.plot(
                time,
                y - 0.42,
                marker=marker,
                color=colour,
                ms=4.2,
                mec="white",
                mew=0.4,
                ls="none",
                zorder=4,
                clip_on=False,
            )
    handles: list[Patch | Line2D] = [
        Patch(facecolor=DRUG_COLOURS.get(d, GREY), label=d) for d in drugs_seen
    ]
    for event in events_seen:
        marker, colour = EVENT_MARKERS.get(event, ("o", INK))
        text = label("event", event)
        handles.append(Line2D([], [], marker=marker, color=colour, ls="none", ms=5, label=text))
    handles.append(Line2D([], [], color=GREY, lw=0.8, label="follow-up"))
    if handles:
        fig.legend(
            handles=handles,
            loc="lower center",
            ncol=min(len(handles), 5),
            bbox_to_anchor=(0.55, 0.02),
            fontsize=7.5,
            handlelength=1.4,
        )
    if not ordered:
        ax.text(0.5, 0.5, "no patients", transform=ax.transAxes, ha="center", color=GREY)
    return fig


def sort_lanes(lanes: Sequence[SwimmerLane]) -> list[SwimmerLane]:
    return sorted(lanes, key=lambda lane: (-lane.follow_up, lane.patient_id))


def _label_inside(ax: Axes, renderer: object, seg: SwimmerSegment, y: float) -> None:
    """The dose inside its segment, if it fits; a shorter form if not; else nothing."""
    x0, _ = ax.transData.transform((seg.start, y))
    x1, _ = ax.transData.transform((seg.end, y))
    first = seg.dose_label.split(" ")[0]
    candidates = [seg.dose_label] + ([first] if first[:1].isdigit() else [])
    for text in candidates:
        artist = ax.text(
            (seg.start + seg.end) / 2,
            y,
            text,
            ha="center",
            va="center",
            fontsize=6,
            color="white",
            fontweight="bold",
            zorder=3,
        )
        width = artist.get_window_extent(renderer).width  # type: ignore[arg-type]
        if width + 4 <= x1 - x0:
            return
        artist.remove()


def _month_step(span: float) -> float:
    """Ticks every 1, 3, 6, 12 or 24 months: at most about ten ticks."""
    for step in (1.0, 3.0, 6.0, 12.0, 24.0):
        if span / step <= 10:
            return step
    return 60.0
