"""The patient timeline for the patient page: an interactive plotly figure with one axis
per scale, stacked on one shared time axis, and beneath them a bar for every drug course
and a marker for every event:

- CMAS on its range;
- the type I interferon score, on a log axis (it spans orders of magnitude);
- the global ratings (physician and parent global) on their scale;
  the ranges and their sources come from the measure table (`domain.vocab.MEASURES`);
- drug courses (JAK inhibitors in green), one row per drug, ongoing courses drawn to the
  last date of the record; events as markers on their own row, in the clinic's words.

A scale without values is left out. The figure is plain plotly.js JSON (data + layout),
built directly rather than through plotly's Python object layer, which costs tens of
milliseconds per page; the page draws it with the plotly.js that the installed plotly
package ships (no inline script, no CDN). The same record as a publication figure (PNG,
SVG, PDF) is `myotrack.report.figures.timeline`, downloadable from the page."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from myotrack.domain import PatientRecord, RecordRow
from myotrack.domain.labels import label
from myotrack.domain.vocab import MEASURES, Measure
from myotrack.report.figures import TimelineMark
from myotrack.web.record_marks import EVENTS, record_marks
from myotrack.web.services import reference_date

_GRID = "#e5e7eb"
_JAK = "#2e7d32"
_OTHER_DRUG = "#5b7a99"
_EVENT = "#a4262c"
_COURSES_ROW_HEIGHT = 26  # px per drug row
_PANEL_HEIGHT = 150  # px per measure panel


@dataclass(frozen=True, slots=True)
class Scale:
    """One measure panel: its title, axis settings and the series drawn on it."""

    title: str
    axis: dict[str, Any]
    series: tuple[tuple[str, str, list[tuple[date, float]]], ...]  # name, colour, points


def _scales(record: PatientRecord) -> list[Scale]:
    visits = record.visits
    cmas = [(v.date, float(v.cmas)) for v in visits if v.cmas is not None]
    ifn = [
        (lab.date, float(lab.value))
        for lab in record.labs
        if lab.analyte == "IFN_score" and lab.value is not None and lab.value > 0
    ]
    phga = [(v.date, float(v.phga)) for v in visits if v.phga is not None]
    parent = [(v.date, float(v.parent_global)) for v in visits if v.parent_global is not None]
    cmas_scale = MEASURES["cmas"]  # the range and its source live in the measure table
    vas = MEASURES["phga"]
    scales = [
        Scale(
            cmas_scale.titled,
            {"range": [cmas_scale.min, _top(cmas_scale) * 1.02], "dtick": _top(cmas_scale) / 4},
            ((cmas_scale.short_label, "#1f5f8b", cmas),),
        ),
        Scale(
            "IFN score (log)",
            {"type": "log"},
            ((label("analyte", "IFN_score"), "#b3541e", ifn),),
        ),
        Scale(
            f"Global ({vas.scale})",
            {"range": [vas.min, _top(vas) * 1.03], "dtick": _top(vas) / 5},
            (
                (MEASURES["phga"].short_label, "#6a3d9a", phga),
                (MEASURES["parent_global"].short_label, "#c2185b", parent),
            ),
        ),
    ]
    return [s for s in scales if any(points for _, _, points in s.series)]


def _top(measure: Measure) -> float:
    """The top of a score's axis: its maximum in the measure table."""
    assert measure.max is not None, f"{measure.name} has no maximum to draw an axis to"
    return measure.max


def _last_date(record: PatientRecord) -> date | None:
    dates = [v.date for v in record.visits] + [lab.date for lab in record.labs]
    dates += [c.start_date for c in record.courses] + [
        c.end_date for c in record.courses if c.end_date
    ]
    dates += [e.date for e in record.events]
    return max(dates, default=None)


def _dose(course: Any) -> str:
    parts = []
    if course.dose is not None:
        parts.append(f"{course.dose:g} {course.dose_unit or ''}".strip())
    if course.frequency:
        parts.append(label("frequency", course.frequency))
    return " ".join(parts)


def figure(
    record: PatientRecord, *, deidentified: bool, v2_rows: Sequence[RecordRow] = ()
) -> dict[str, Any] | None:
    """The figure as plotly.js JSON, or None when there is nothing to draw. De-identified:
    the x axis is days from the index date instead of dates. `v2_rows`, the patient's version 2
    records (in the user's tier), add their marks (`web.record_marks`): investigations in
    one row, each involved organ as bars, courses and events known to the month or year
    over their period."""
    ref = reference_date(record)

    def x(d: date) -> str | int:
        if deidentified and ref is not None:
            return (d - ref).days
        return d.isoformat()

    scales = _scales(record)
    courses = sorted(record.courses, key=lambda c: c.start_date)
    events = record.events
    marks = record_marks(v2_rows)
    if not scales and not courses and not events and not marks:
        return None
    last = max([d for d in (_last_date(record),) if d is not None] + [m.end for m in marks])
    drug_rows = list(dict.fromkeys(label("drug", c.drug) for c in courses))
    drug_rows += [m.lane for m in marks if m.kind == "course" and m.lane not in drug_rows]
    mark_rows = [m.lane for m in marks if m.kind != "course" and m.lane != EVENTS]
    rows_ = drug_rows + list(dict.fromkeys(mark_rows))
    rows_ += [EVENTS] if events or any(m.lane == EVENTS for m in marks) else []
    rows = list(dict.fromkeys(rows_))
    bottom_px = _COURSES_ROW_HEIGHT * len(rows) + 30 if rows else 0
    height = _PANEL_HEIGHT * len(scales) + bottom_px + 70
    # Panels from the top; the course/event panel at the bottom; small gaps between.
    gap = 18 / height
    fractions = [_PANEL_HEIGHT / height] * len(scales) + ([bottom_px / height] if rows else [])
    usable = 1 - gap * (len(fractions) - 1)
    scale_sum = sum(fractions)
    top = 1.0
    domains: list[tuple[float, float]] = []
    for f in fractions:
        size = f / scale_sum * usable
        domains.append((max(0.0, top - size), top))
        top -= size + gap

    data: list[dict[str, Any]] = []
    layout: dict[str, Any] = {
        "margin": {"l": 120, "r": 20, "t": 20, "b": 40},
        "height": height,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "font": {"family": "system-ui, sans-serif", "size": 12},
        "legend": {"orientation": "h", "y": -0.08 if rows else -0.15},
        "hovermode": "closest",
    }
    axis_names = [f"y{i + 1}" if i else "y" for i in range(len(fractions))]
    for i, scale in enumerate(scales):
        name = axis_names[i]
        layout[f"yaxis{i + 1}" if i else "yaxis"] = {
            "title": {"text": scale.title, "font": {"size": 11}},
            "domain": list(domains[i]),
            "anchor": "x",
            "gridcolor": _GRID,
            "zeroline": False,
            **scale.axis,
        }
        for series_name, colour, points in scale.series:
            if not points:
                continue
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "name": series_name,
                    "x": [x(d) for d, _ in points],
                    "y": [v for _, v in points],
                    "yaxis": name,
                    "line": {"color": colour, "width": 2},
                    "marker": {"size": 6},
                }
            )
    if rows:
        i = len(scales)
        name = axis_names[i]
        layout[f"yaxis{i + 1}" if i else "yaxis"] = {
            "domain": list(domains[i]),
            "anchor": "x",
            "type": "category",
            "categoryorder": "array",
            "categoryarray": list(reversed(rows)),
            "showgrid": False,
            "automargin": True,
        }
        for course in courses:
            end = course.end_date or last or course.start_date
            row = label("drug", course.drug)
            colour = _JAK if course.is_jak_inhibitor else _OTHER_DRUG
            ongoing = "" if course.end_date else " (ongoing)"
            text = f"{row} {_dose(course)}: {course.start_date} – {course.end_date or ''}{ongoing}"
            if deidentified:
                text = f"{row} {_dose(course)}{ongoing}"
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines+markers",  # a course of one day still shows
                    "x": [x(course.start_date), x(end)],
                    "y": [row, row],
                    "yaxis": name,
                    "line": {
                        "color": _JAK if course.is_jak_inhibitor else _OTHER_DRUG,
                        "width": 12,
                    },
                    "opacity": 0.55 if course.end_date is None else 0.85,
                    "hovertext": text,
                    "hoverinfo": "text",
                    "showlegend": False,
                }
            )
        if events:
            data.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "name": "events",
                    "x": [x(e.date) for e in events],
                    "y": ["events"] * len(events),
                    "yaxis": name,
                    "marker": {"symbol": "diamond", "size": 11, "color": _EVENT},
                    "hovertext": [
                        label("event", e.event) + (f" ({e.detail})" if e.detail else "")
                        for e in events
                    ],
                    "hoverinfo": "text",
                    "showlegend": False,
                }
            )
        for mark in marks:
            data += _mark_traces(mark, x, last, name)
        key = TimelineMark.key_words(marks)
        if key:  # what a thin or dotted mark means, above the course panel's right end
            layout["annotations"] = [
                {
                    "text": key,
                    "xref": "paper",
                    "yref": "paper",
                    "x": 1,
                    "y": domains[-1][1],
                    "xanchor": "right",
                    "yanchor": "bottom",
                    "showarrow": False,
                    "font": {"size": 10, "color": "#5f6b7a"},
                }
            ]
    xaxis: dict[str, Any] = {"gridcolor": _GRID, "anchor": axis_names[-1]}
    if deidentified:
        xaxis["title"] = {"text": "days from index date"}
    else:
        xaxis.update(type="date", hoverformat="%Y-%m-%d")
    first = min(
        [d for s in scales for _, _, pts in s.series for d, _ in pts]
        + [c.start_date for c in courses]
        + [e.date for e in events]
        + [m.start for m in marks],
        default=None,
    )
    if first is not None and last is not None:
        pad = max(30, (last - first).days // 20)
        xaxis["range"] = [x(first - timedelta(days=pad)), x(last + timedelta(days=pad))]
    layout["xaxis"] = xaxis
    return {"data": data, "layout": layout}


_MARK_COLOURS = {
    "investigation": "#37474f",
    "involvement": "#8a5a9e",
    "course": _OTHER_DRUG,
    "event": _EVENT,
}


def _mark_traces(
    mark: TimelineMark, x: Callable[[date], str | int], last: date, axis: str
) -> list[dict[str, Any]]:
    """One mark of the whole record: a point as a marker, a period (or a date known only to
    the month or year) as a bar over its days, an ongoing one to the last date; a single
    investigation or event known only to the year as a thin bar (some time in that year); a
    course whose end is not reported dotted from its start to the last date."""
    colour = _JAK if mark.jak_inhibitor else _MARK_COLOURS[mark.kind]
    common = {
        "type": "scatter",
        "y": [mark.lane, mark.lane],
        "yaxis": axis,
        "hovertext": mark.text,
        "hoverinfo": "text",
        "showlegend": False,
    }
    if mark.is_point:
        symbol = "diamond" if mark.kind == "event" else "square"
        return [
            {
                **common,
                "mode": "markers",
                "x": [x(mark.start)],
                "y": [mark.lane],
                "marker": {"symbol": symbol, "size": 10, "color": colour},
            }
        ]
    end = last if mark.ongoing else mark.end
    width = 4 if mark.imprecise else 12 if mark.kind != "investigation" else 9
    traces = [
        {
            **common,
            "mode": "lines",
            "x": [x(mark.start), x(end)],
            "line": {"color": colour, "width": width},
            "opacity": 0.5 if mark.ongoing or mark.imprecise else 0.8,
        }
    ]
    if not mark.end_reported and last > end:
        traces.append(
            {
                **common,
                "mode": "lines",
                "x": [x(end), x(last)],
                "line": {"color": colour, "width": 2, "dash": "dot"},
                "opacity": 0.8,
            }
        )
    return traces


def figure_json(
    record: PatientRecord, *, deidentified: bool, v2_rows: Sequence[RecordRow] = ()
) -> str | None:
    """`figure` as JSON text that is safe inside <script type="application/json">."""
    fig = figure(record, deidentified=deidentified, v2_rows=v2_rows)
    if fig is None:
        return None
    return json.dumps(fig, separators=(",", ":")).replace("</", "<\\/")
