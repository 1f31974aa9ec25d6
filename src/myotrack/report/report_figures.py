"""The figures of the case-series report, drawn from the same patient timelines the
statistics use (myotrack.analysis), embedded in HTML as data URIs."""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from myotrack.analysis import PatientTimeline, kaplan_meier
from myotrack.analysis.timeline import DAYS_PER_MONTH, DAYS_PER_WEEK
from myotrack.report.figures.canvas import FigureFormat, figure_bytes, house_style
from myotrack.report.figures.labels import dose_text
from myotrack.report.figures.paired import PairedPanel, paired_figure
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

    @property
    def drawn(self) -> bool:
        return bool(self.data)

    @property
    def data_uri(self) -> str:
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"


def _encode(fig: Any, fmt: FigureFormat) -> tuple[str, bytes]:
    mime = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}[fmt]
    return mime, figure_bytes(fig, fmt, dpi=150)


def _pairs(timelines: Sequence[PatientTimeline], measure: str) -> tuple[tuple[float, float], ...]:
    out = []
    for t in timelines:
        b, f = t.baseline.get(measure), t.final.get(measure)
        if b is not None and f is not None:
            out.append((float(b), float(f)))
    return tuple(out)


def _above(value: object, ref_high: float | None) -> bool:
    return isinstance(value, int | float) and ref_high is not None and float(value) > ref_high


def subgroups(timelines: Sequence[PatientTimeline]) -> dict[str, list[PatientTimeline]]:
    """The spec's subgroups: rash at baseline, weakness at baseline, and baseline CK or
    LDH strictly above its ref_high."""
    return {
        "rash": [t for t in timelines if t.baseline.get("rash") is True],
        "weak": [t for t in timelines if t.baseline.get("weakness") is True],
        "enzymes": [
            t
            for t in timelines
            if any(_above(t.baseline.get(a), t.baseline_ref_high.get(a)) for a in ("CK", "LDH"))
        ],
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
    groups = subgroups(timelines)
    return [
        PairedPanel(
            "CAT-BM activity",
            "CAT-BM activity score",
            _pairs(groups["rash"], "catbm_activity"),
            _test_text(summary["catbm_activity"]),
        ),
        PairedPanel(
            "CMAS", "CMAS (0–52)", _pairs(groups["weak"], "cmas"), _test_text(summary["cmas"])
        ),
        PairedPanel(
            "LDH",
            "LDH (U/L)",
            _pairs(groups["enzymes"], "LDH"),
            _test_text(summary["enzymes"]["LDH"]),
        ),
    ]


def survival_curves(timelines: Sequence[PatientTimeline]) -> list[SurvivalCurve]:
    rash = subgroups(timelines)["rash"]
    curves = []
    for event, label, _ in RASH_CURVES:
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
            )
        )
    return curves


def swimmer_lanes(timelines: Sequence[PatientTimeline]) -> list[SwimmerLane]:
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
        lanes.append(SwimmerLane(t.patient_id, t.follow_up_months, tuple(segments), events))
    return lanes


def report_figures(
    timelines: Sequence[PatientTimeline],
    summary: Mapping[str, Any],
    *,
    fmt: FigureFormat = "svg",
) -> list[ReportFigure]:
    """The paired plots, the Kaplan–Meier curves and the swimmer plot."""
    out: list[ReportFigure] = []
    with house_style():
        mime, data = _encode(paired_figure(paired_panels(timelines, summary)), fmt)
        out.append(
            ReportFigure(
                "paired",
                "Figure 1. Baseline and final values",
                "CAT-BM activity among patients with rash at baseline, CMAS among patients with "
                "weakness at baseline, and LDH among patients whose baseline CK or LDH was above "
                "the upper reference limit; each line is one patient with both values.",
                mime,
                data,
            )
        )
        mime, data = _encode(survival_figure(survival_curves(timelines)), fmt)
        out.append(
            ReportFigure(
                "kaplan_meier",
                "Figure 2. Time to rash improvement, marked improvement and resolution",
                "1 − Kaplan–Meier estimate among patients with rash at baseline; patients without "
                "the event are censored (+) at the end of follow-up. Numbers at risk are counted "
                "from the estimator's event table at each tick.",
                mime,
                data,
            )
        )
        if len(timelines) <= SWIMMER_MAX_PATIENTS:
            lanes = sort_lanes(swimmer_lanes(timelines))
            right = max([lane.follow_up for lane in lanes] + [1.0])
            parts = [
                lanes[k : k + SWIMMER_LANES_PER_FIGURE]
                for k in range(0, len(lanes), SWIMMER_LANES_PER_FIGURE)
            ] or [[]]
            for number, part in enumerate(parts, start=1):
                mime, data = _encode(swimmer_figure(part, x_max=right), fmt)
                title = "Figure 3. JAK-inhibitor courses and events of every patient"
                if len(parts) > 1:
                    title += f" (part {number} of {len(parts)})"
                out.append(
                    ReportFigure(
                        f"swimmer-{number}" if len(parts) > 1 else "swimmer",
                        title,
                        "One lane per patient from the index date to the end of follow-up, "
                        "longest follow-up first; a new segment starts at each dose change (dose "
                        "inside the bar where it fits); an arrow marks a course still running at "
                        "the end of follow-up.",
                        mime,
                        data,
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
                )
            )
    return out
