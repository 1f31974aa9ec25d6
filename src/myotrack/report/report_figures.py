"""The figures of the case-series report, drawn from the same patient timelines the
statistics use (myotrack.analysis), embedded in HTML as data URIs."""

from __future__ import annotations

import base64
import contextlib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from myotrack.analysis import (
    DAYS_PER_MONTH,
    DAYS_PER_WEEK,
    PatientTimeline,
    kaplan_meier,
    members,
    quantile,
)
from myotrack.analysis.describe import QuantileType
from myotrack.domain.vocab import MEASURES
from myotrack.report.figures.canvas import (
    ONE_COLUMN_MM,
    TWO_COLUMNS_MM,
    FigureFormat,
    figure_bytes,
    house_style,
)
from myotrack.report.figures.labels import dose_text
from myotrack.report.figures.paired import (
    SUMMARY_WORDS,
    Mark,
    PairedPanel,
    PanelSummary,
    paired_figure,
)
from myotrack.report.figures.survival import SurvivalCurve, survival_figure
from myotrack.report.figures.swimmer import (
    SwimmerLane,
    SwimmerSegment,
    sort_lanes,
    swimmer_figure,
)
from myotrack.report.formatting import fmt_p
from myotrack.report.wording import p_method_short

SWIMMER_MAX_PATIENTS = 150  # beyond this a lane per patient is no longer readable
SWIMMER_LANES_PER_FIGURE = 40  # one figure fits an A4 page

RASH_CURVES = (
    ("rash_improving", "rash improving", "weeks_to_rash_improving"),
    ("rash_marked", "rash markedly improved", "weeks_to_rash_marked"),
    ("rash_resolved", "rash resolved", "weeks_to_rash_resolved"),
)


@dataclass(frozen=True, slots=True)
class ReportFigure:
    key: str
    title: str
    caption: str
    mime: str
    data: bytes
    width_mm: float = TWO_COLUMNS_MM
    # what the figure marks, for the JSON report and its consistency test: one entry
    # per panel or curve, naming the summary's figure (`source`) and the values marked
    marks: tuple[dict[str, Any], ...] = field(default=())
    no_summary: str = ""  # why the figure marks no summary, when it marks none

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "caption": self.caption,
            "width_mm": self.width_mm,
            "drawn": self.drawn,
            "marks": list(self.marks),
            "no_summary": self.no_summary or None,
        }

    @property
    def drawn(self) -> bool:
        return bool(self.data)

    @property
    def data_uri(self) -> str:
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"


def _pairs(timelines: Sequence[PatientTimeline], measure: str) -> tuple[tuple[float, float], ...]:
    out = []
    for t in timelines:
        b, f = t.baseline.get(measure), t.final.get(measure)
        if b is not None and f is not None:
            out.append((float(b), float(f)))
    return tuple(out)


def subgroups(timelines: Sequence[PatientTimeline]) -> dict[str, list[PatientTimeline]]:
    """The spec's subgroups: rash at baseline, weakness at baseline, and baseline CK or
    LDH strictly above its ref_high (the statistics' own definitions)."""
    return {name: members(timelines, name) for name in ("rash", "weak", "enzymes")}


def _mark(values: Sequence[float], summary: PanelSummary, kind: QuantileType) -> Mark:
    """The summary of the drawn values, computed here from the points on the panel."""
    if summary == "mean_sd":
        centre = math.fsum(values) / len(values)
        if len(values) < 2:
            return Mark(centre, None, None)
        sd = math.sqrt(math.fsum((v - centre) ** 2 for v in values) / (len(values) - 1))
        return Mark(centre, centre - sd, centre + sd)
    middle = quantile(values, 0.5, kind)
    assert middle is not None  # values is not empty
    return Mark(middle, quantile(values, 0.25, kind), quantile(values, 0.75, kind))


def _panel(
    title: str,
    axis_label: str,
    pairs: tuple[tuple[float, float], ...],
    block: Mapping[str, Any],
    *,
    source: str,
    summary: PanelSummary,
    kind: QuantileType,
) -> PairedPanel:
    marks = None
    if pairs:
        marks = (
            _mark([b for b, _ in pairs], summary, kind),
            _mark([f for _, f in pairs], summary, kind),
        )
    return PairedPanel(
        title, axis_label, pairs, _test_text(block), summary=summary, marks=marks, source=source
    )


def _panel_marks(panel: PairedPanel) -> dict[str, Any]:
    def side(mark: Mark | None) -> dict[str, Any] | None:
        if mark is None:
            return None
        return {"centre": mark.centre, "low": mark.low, "high": mark.high}

    baseline, final = panel.marks if panel.marks else (None, None)
    return {
        "panel": panel.title,
        "source": panel.source,
        "summary": panel.summary,
        "n": len(panel.pairs),
        "baseline": side(baseline),
        "final": side(final),
        "test_text": panel.test_text,
    }


def _test_text(block: Mapping[str, Any]) -> str:
    if block.get("p") is None:
        return "p not computed"
    return f"{p_method_short(str(block.get('p_method')))}, p {_p_phrase(block.get('p'))}"


def _p_phrase(p: Any) -> str:
    text = fmt_p(p)
    return f"< {text[1:]}" if text.startswith("<") else f"= {text}"


def paired_panels(
    timelines: Sequence[PatientTimeline], summary: Mapping[str, Any]
) -> list[PairedPanel]:
    """Figure 1's panels. Each marks the summary its Table 2 row prints: CAT-BM activity
    and LDH as median (IQR) (Wilcoxon), CMAS as mean ± SD (paired t-test), with the
    report's quantile type."""
    groups = subgroups(timelines)
    kind: QuantileType = summary["methods"]["quantile_type"]
    return [
        _panel(
            MEASURES["catbm_activity"].short_label,
            MEASURES["catbm_activity"].label,
            _pairs(groups["rash"], "catbm_activity"),
            summary["catbm_activity"],
            source="catbm_activity",
            summary="median_iqr",
            kind=kind,
        ),
        _panel(
            MEASURES["cmas"].short_label,
            MEASURES["cmas"].titled,
            _pairs(groups["weak"], "cmas"),
            summary["cmas"],
            source="cmas",
            summary="mean_sd",
            kind=kind,
        ),
        _panel(
            "LDH",
            "LDH (U/L)",
            _pairs(groups["enzymes"], "LDH"),
            summary["enzymes"]["LDH"],
            source="enzymes.LDH",
            summary="median_iqr",
            kind=kind,
        ),
    ]


def survival_curves(timelines: Sequence[PatientTimeline]) -> list[SurvivalCurve]:
    rash = subgroups(timelines)["rash"]
    curves = []
    for event, label, key in RASH_CURVES:
        times: list[float] = []
        events: list[bool] = []
        for t in rash:
            if event in t.event_weeks:
                times.append(t.event_weeks[event])
                events.append(True)
            else:
                times.append(t.follow_up_days / DAYS_PER_WEEK)
                events.append(False)
        km = kaplan_meier(times, events)
        curves.append(
            SurvivalCurve(
                label=label,
                times=tuple(km.times),
                survival=tuple(km.survival),
                censored_times=tuple(t for t, e in zip(times, events, strict=True) if not e),
                at_risk=km.at_risk,
                n=km.n,
                median=km.median,
                source=key,
            )
        )
    return curves


def swimmer_lanes(
    timelines: Sequence[PatientTimeline], names: Mapping[str, str] | None = None
) -> list[SwimmerLane]:
    """One lane per patient; `names` labels the lanes (the supplement's patient numbers),
    else the patient ids."""
    lanes = []
    for t in timelines:
        segments = []
        for course in t.jak_courses:
            if course.start_date > t.follow_up_end:
                continue
            end_day = course.end_date
            ongoing = end_day is None or end_day > t.follow_up_end
            end = t.follow_up_end if ongoing or end_day is None else end_day
            segments.append(
                SwimmerSegment(
                    start=(course.start_date - t.index_date).days / DAYS_PER_MONTH,
                    end=(end - t.index_date).days / DAYS_PER_MONTH,
                    drug=course.drug,
                    dose_label=dose_text(course),
                    ongoing=ongoing,
                )
            )
        events = tuple(((e.date - t.index_date).days / DAYS_PER_MONTH, e.event) for e in t.events)
        name = names.get(t.patient_id, t.patient_id) if names else t.patient_id
        lanes.append(SwimmerLane(name, t.follow_up_months, tuple(segments), events))
    return lanes


# what a figure's mark shows, in words (the JSON holds the codes)
MARK_WORDS: dict[str, str] = {
    **{str(code): words for code, words in SUMMARY_WORDS.items()},
    "km_median": "Kaplan–Meier median",
    "lanes": "one lane per patient, no summary",
}

PAIRED_CAPTION = (
    "CAT-BM activity among patients with rash at baseline, CMAS among patients with "
    "weakness at baseline, and LDH among patients whose baseline CK or LDH was above "
    "the upper reference limit; each line is one patient with both values. Each panel "
    "marks the summary Table 2 gives for it: {marks}."
)
KM_CAPTION = (
    "1 − Kaplan–Meier estimate among patients with rash at baseline; patients without "
    "the event are censored (+) at the end of follow-up. Dotted drop lines mark the "
    "Kaplan–Meier medians Table 2 gives (where the curve reaches 0.5; none where it is not "
    "reached). Numbers at risk are counted from the estimator's event table at each tick."
)
SWIMMER_NO_SUMMARY = (
    "Each lane shows one patient's own course; no summary is marked (Table 1 gives "
    "follow-up and JAK-inhibitor exposure as median (IQR))."
)


def _draw(fig_factory: Any, fmt: FigureFormat, draw: bool, dpi: int) -> tuple[str, bytes]:
    if not draw:
        return "", b""
    mime = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}[fmt]
    return mime, figure_bytes(fig_factory(), fmt, dpi=dpi)


def report_figures(
    timelines: Sequence[PatientTimeline],
    summary: Mapping[str, Any],
    *,
    fmt: FigureFormat = "svg",
    draw: bool = True,
    lane_names: Mapping[str, str] | None = None,
    dpi: int = 150,
) -> list[ReportFigure]:
    """The paired plots, the Kaplan–Meier curves and the swimmer plot, at journal widths
    (Figure 2 one column, the others two), with what each marks. `draw=False` gives the
    marks only (for the JSON report)."""
    out: list[ReportFigure] = []
    # the marks need no matplotlib: without drawing, its style (and import) is skipped
    with house_style() if draw else contextlib.nullcontext():
        panels = paired_panels(timelines, summary)
        mime, data = _draw(lambda: paired_figure(panels), fmt, draw, dpi)
        marks_text = "; ".join(f"{p.title} {SUMMARY_WORDS[p.summary]}" for p in panels)
        out.append(
            ReportFigure(
                "paired",
                "Figure 1. Baseline and final values",
                PAIRED_CAPTION.format(marks=marks_text),
                mime,
                data,
                width_mm=TWO_COLUMNS_MM,
                marks=tuple(_panel_marks(p) for p in panels),
            )
        )
        curves = survival_curves(timelines)
        mime, data = _draw(lambda: survival_figure(curves, width_mm=ONE_COLUMN_MM), fmt, draw, dpi)
        out.append(
            ReportFigure(
                "kaplan_meier",
                "Figure 2. Time to rash improvement, marked improvement and resolution",
                KM_CAPTION,
                mime,
                data,
                width_mm=ONE_COLUMN_MM,
                marks=tuple(
                    {
                        "curve": c.label,
                        "source": c.source,
                        "summary": "km_median",
                        "n": c.n,
                        "km_median": c.median,
                    }
                    for c in curves
                ),
            )
        )
        if len(timelines) <= SWIMMER_MAX_PATIENTS:
            lanes = sort_lanes(swimmer_lanes(timelines, lane_names))
            right = max([lane.follow_up for lane in lanes] + [1.0])
            parts = [
                lanes[k : k + SWIMMER_LANES_PER_FIGURE]
                for k in range(0, len(lanes), SWIMMER_LANES_PER_FIGURE)
            ] or [[]]
            for number, part in enumerate(parts, start=1):
                mime, data = _draw(
                    lambda part=part: swimmer_figure(part, x_max=right), fmt, draw, dpi
                )
                title = "Figure 3. JAK-inhibitor courses and events of every patient"
                if len(parts) > 1:
                    title += f" (part {number} of {len(parts)})"
                out.append(
                    ReportFigure(
                        f"swimmer-{number}" if len(parts) > 1 else "swimmer",
                        title,
                        "One lane per patient from the index date to the end of follow-up, "
                        "longest follow-up first"
                        + (", numbered as in the per-patient supplement" if lane_names else "")
                        + "; a new segment starts at each dose change (dose "
                        "inside the bar where it fits); an arrow marks a course still running at "
                        "the end of follow-up. " + SWIMMER_NO_SUMMARY,
                        mime,
                        data,
                        width_mm=TWO_COLUMNS_MM,
                        marks=({"source": "n_patients", "summary": "lanes", "n": len(part)},),
                        no_summary=SWIMMER_NO_SUMMARY,
                    )
                )
        else:
            out.append(
                ReportFigure(
                    "swimmer",
                    "Figure 3. JAK-inhibitor courses and events of every patient",
                    f"Not drawn: {len(timelines)} patients are more than the "
                    f"{SWIMMER_MAX_PATIENTS} lanes a swimmer plot can show legibly. Draw one "
                    "patient's course with `myotrack figure timeline PATIENT_ID`.",
                    "",
                    b"",
                    no_summary="not drawn",
                )
            )
    return out
