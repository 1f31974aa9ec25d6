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
_JAK_FILL = "rgba(46, 125, 50, 0.12)"
_GRID = "#e5e7eb"


def figure(record: PatientRecord, *, deidentified: bool) -> dict[str, Any] | None:
    """The figure as plotly.js JSON, or None when there is nothing to draw. De-identified:
    the x axis is days from the index date instead of dates."""
    ref = reference_date(record)

    def x(d: date) -> str | int:
        if deidentified and ref is not None:
            return (d - ref).days
        return d.isoformat()

    cmas = [(x(v.date), v.cmas) for v in record.visits if v.cmas is not None]
    ifn = [(x(lab.date), lab.value) for lab in record.labs
           if lab.analyte == "IFN_score" and lab.value is not None]
    jak = record.jak_courses
    if not cmas and not ifn and not jak:
        return None
    data: list[dict[str, Any]] = []
    if cmas:
        data.append({"type": "scatter", "mode": "lines+markers", "name": "CMAS (0–52)",
                     "x": [p[0] for p in cmas], "y": [p[1] for p in cmas],
                     "line": {"color": _CMAS_COLOUR, "width": 2}})
    if ifn:
        data.append({"type": "scatter", "mode": "lines+markers", "name": "IFN score",
                     "x": [p[0] for p in ifn], "y": [p[1] for p in ifn], "yaxis": "y2",
                     "line": {"color": _IFN_COLOUR, "width": 2, "dash": "dot"}})
    last = max([v.date for v in record.visits] + [lab.date for lab in record.labs]
               + [c.start_date for c in record.courses], default=None)
    shapes, annotations = [], []
    for course in jak:
        end = course.end_date or last or course.start_date
        shapes.append({"type": "rect", "xref": "x", "yref": "paper", "x0": x(course.start_date),
                       "x1": x(end), "y0": 0, "y1": 1, "fillcolor": _JAK_FILL,
                       "line": {"width": 0}, "layer": "below"})
        annotations.append({"xref": "x", "yref": "paper", "x": x(course.start_date), "y": 1,
                            "xanchor": "left", "yanchor": "bottom", "showarrow": False,
                            "text": course.drug, "font": {"size": 11, "color": "#2e7d32"}})
    xaxis: dict[str, Any] = {"gridcolor": _GRID}
    if deidentified:
        xaxis["title"] = {"text": "days from index date"}
    else:
        xaxis.update(type="date", hoverformat="%Y-%m-%d")
    xs = [p[0] for p in cmas] + [p[0] for p in ifn]
    if len(set(xs)) == 1 and not jak:  # one date: give it some room
        only = xs[0]
        if isinstance(only, str):
            day = date.fromisoformat(only)
            xaxis["range"] = [(day - timedelta(days=60)).isoformat(),
                              (day + timedelta(days=60)).isoformat()]
        else:
            xaxis["range"] = [only - 60, only + 60]
    layout: dict[str, Any] = {
        "margin": {"l": 50, "r": 50, "t": 30, "b": 40},
        "height": 300,
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "font": {"family": "system-ui, sans-serif", "size": 12},
        "legend": {"orientation": "h", "y": -0.2},
        "xaxis": xaxis,
        "yaxis": {"title": {"text": "CMAS"}, "range": [0, 53], "gridcolor": _GRID},
        "yaxis2": {"title": {"text": "IFN score"}, "overlaying": "y", "side": "right",
                   "showgrid": False},
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
