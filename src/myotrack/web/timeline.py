"""The patient timeline for the patient page: an interactive plotly figure (CMAS and the
interferon score over time, JAK-inhibitor courses shaded). The figure is plain plotly.js
JSON (data + layout), built directly rather than through plotly's Python object layer,
which costs tens of milliseconds per page; the page draws it with the plotly.js that the
installed plotly package ships (no inline script, no CDN)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from myotrack.domain import PatientRecord
from myotrack.web.services import reference_date

_CMAS_COLOUR = "#1f5f8b"
_IFN_COLOUR = "#b3541e"
_PHGA_COLOUR = "#6a3d9a"
_CATBM_COLOUR = "#c2185b"
_JAK_FILL = "rgba(46, 125, 50, 0.12)"
_GRID = "#e5e7eb"


Point = tuple[str | int, float]


def _step(top: float) -> float:
    """A round tick step giving about five ticks up to `top`."""
    for step in (1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0):
        if top / step <= 6:
            return step
    return 1000.0


def _series(record: PatientRecord, x: Any) -> list[tuple[str, str, str, str, list[Point]]]:
    """(name, axis, colour, dash, points) of the measures that have values: muscle on the
    left axis (CMAS 0–52), activity on the right (PhGA, CAT-BM activity, IFN score)."""
    wanted = [
        (
            "CMAS",
            "y",
            _CMAS_COLOUR,
            "solid",
            [(x(v.date), v.cmas) for v in record.visits if v.cmas is not None],
        ),
        (
            "PhGA (cm)",
            "y2",
            _PHGA_COLOUR,
            "dash",
            [(x(v.date), v.phga) for v in record.visits if v.phga is not None],
        ),
        (
            "CAT-BM activity",
            "y2",
            _CATBM_COLOUR,
            "dashdot",
            [(x(v.date), v.catbm_activity) for v in record.visits if v.catbm_activity is not None],
        ),
        (
            "IFN score",
            "y2",
            _IFN_COLOUR,
            "dot",
            [
                (x(lab.date), lab.value)
                for lab in record.labs
                if lab.analyte == "IFN_score" and lab.value is not None
            ],
        ),
    ]
    return [(n, a, c, d, pts) for n, a, c, d, pts in wanted if pts]


def figure(record: PatientRecord, *, deidentified: bool) -> dict[str, Any] | None:
    """The figure as plotly.js JSON, or None when there is nothing to draw. De-identified:
    the x axis is days from the index date instead of dates."""
    ref = reference_date(record)

    def x(d: date) -> str | int:
        if deidentified and ref is not None:
            return (d - ref).days
        return d.isoformat()

    series = _series(record, x)
    jak = record.jak_courses
    if not series and not jak:
        return None
    data: list[dict[str, Any]] = []
    for name, axis, colour, dash, points in series:
        trace: dict[str, Any] = {
            "type": "scatter",
            "mode": "lines+markers",
            "name": name,
            "x": [p[0] for p in points],
            "y": [p[1] for p in points],
            "line": {"color": colour, "width": 2, "dash": dash},
            "marker": {"size": 6},
        }
        if axis == "y2":
            trace["yaxis"] = "y2"
        data.append(trace)
    last = max(
        [v.date for v in record.visits]
        + [lab.date for lab in record.labs]
        + [c.start_date for c in record.courses],
        default=None,
    )
    shapes, annotations = [], []
    for course in jak:
        end = course.end_date or last or course.start_date
        shapes.append(
            {
                "type": "rect",
                "xref": "x",
                "yref": "paper",
                "x0": x(course.start_date),
                "x1": x(end),
                "y0": 0,
                "y1": 1,
                "fillcolor": _JAK_FILL,
                "line": {"width": 0},
                "layer": "below",
            }
        )
        annotations.append(
            {
                "xref": "x",
                "yref": "paper",
                "x": x(course.start_date),
                "y": 1,
                "xanchor": "left",
                "yanchor": "bottom",
                "showarrow": False,
                "text": course.drug,
                "font": {"size": 11, "color": "#2e7d32"},
            }
        )
    xaxis: dict[str, Any] = {"gridcolor": _GRID}
    if deidentified:
        xaxis["title"] = {"text": "days from index date"}
    else:
        xaxis.update(type="date", hoverformat="%Y-%m-%d")
    # An explicit range: plotly's autorange ignores shapes, and a single date needs room.
    dates = [v.date for v in record.visits] + [lab.date for lab in record.labs]
    dates += [c.start_date for c in jak] + [c.end_date for c in jak if c.end_date]
    if dates:
        first, final = min(dates), max(dates)
        pad = max(30, (final - first).days // 20)
        xaxis["range"] = [x(first - timedelta(days=pad)), x(final + timedelta(days=pad))]
    # The right axis starts at 0 and shows at least the 10-cm VAS range.
    right = [y for _, axis, _, _, pts in series if axis == "y2" for _, y in pts]
    right_top = max([10.0, *right]) * 1.02
    layout: dict[str, Any] = {
        "margin": {"l": 50, "r": 50, "t": 30, "b": 40},
        "height": 300,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "font": {"family": "system-ui, sans-serif", "size": 12},
        "legend": {"orientation": "h", "y": -0.2},
        "xaxis": xaxis,
        "yaxis": {"title": {"text": "CMAS (0–52)"}, "range": [0, 53], "gridcolor": _GRID},
        "yaxis2": {
            "title": {"text": "PhGA cm · CAT-BM · IFN score"},
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
            "range": [0, right_top],
            "tickmode": "linear",
            "tick0": 0,
            "dtick": _step(right_top),
        },
        "shapes": shapes,
        "annotations": annotations,
    }
    return {"data": data, "layout": layout}


def figure_json(record: PatientRecord, *, deidentified: bool) -> str | None:
    """`figure` as JSON text that is safe inside <script type="application/json">."""
    fig = figure(record, deidentified=deidentified)
    if fig is None:
        return None
    return json.dumps(fig, separators=(",", ":")).replace("</", "<\\/")
