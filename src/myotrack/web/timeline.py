"""The patient timeline for the patient page: an interactive plotly figure (CMAS and the
interferon score over time, JAK-inhibitor courses shaded). The page loads plotly.js from the
installed plotly package and draws the figure from this JSON (no inline script)."""

from __future__ import annotations

from datetime import date, timedelta

import plotly.graph_objects as go

from myotrack.domain import PatientRecord
from myotrack.web.services import reference_date

_CMAS_COLOUR = "#1f5f8b"
_IFN_COLOUR = "#b3541e"
_JAK_FILL = "rgba(46, 125, 50, 0.12)"


def figure_json(record: PatientRecord, *, deidentified: bool) -> str | None:
    """Plotly figure JSON, or None when there is nothing to draw. De-identified: the x axis
    is days from the index date instead of dates."""
    ref = reference_date(record)

    def x(d: date) -> date | int:
        if deidentified and ref is not None:
            return (d - ref).days
        return d

    cmas = [(x(v.date), v.cmas) for v in record.visits if v.cmas is not None]
    ifn = [(x(lab.date), lab.value) for lab in record.labs
           if lab.analyte == "IFN_score" and lab.value is not None]
    if not cmas and not ifn and not record.jak_courses:
        return None
    fig = go.Figure()
    if cmas:
        fig.add_trace(go.Scatter(x=[p[0] for p in cmas], y=[p[1] for p in cmas],
                                 mode="lines+markers", name="CMAS (0–52)",
                                 line={"color": _CMAS_COLOUR, "width": 2}))
    if ifn:
        fig.add_trace(go.Scatter(x=[p[0] for p in ifn], y=[p[1] for p in ifn],
                                 mode="lines+markers", name="IFN score", yaxis="y2",
                                 line={"color": _IFN_COLOUR, "width": 2, "dash": "dot"}))
    last = max([v.date for v in record.visits] + [lab.date for lab in record.labs]
               + [c.start_date for c in record.courses], default=None)
    for course in record.jak_courses:
        end = course.end_date or last or course.start_date
        fig.add_vrect(x0=x(course.start_date), x1=x(end), fillcolor=_JAK_FILL, line_width=0,
                      annotation_text=course.drug, annotation_position="top left",
                      annotation_font_size=11)
    xs = [p[0] for p in cmas] + [p[0] for p in ifn]
    xaxis: dict[str, object] = {"gridcolor": "#e5e7eb"}
    if deidentified:
        xaxis["title"] = "days from index date"
    else:
        xaxis.update(type="date", hoverformat="%Y-%m-%d")
    if len(set(xs)) == 1 and not record.jak_courses:  # one date: give it some room
        only = xs[0]
        if isinstance(only, date):
            xaxis["range"] = [(only - timedelta(days=60)).isoformat(),
                              (only + timedelta(days=60)).isoformat()]
        else:
            xaxis["range"] = [only - 60, only + 60]
    fig.update_layout(
        margin={"l": 50, "r": 50, "t": 30, "b": 40},
        height=300,
        paper_bgcolor="white",
        plot_bgcolor="white",
        font={"family": "system-ui, sans-serif", "size": 12},
        legend={"orientation": "h", "y": -0.2},
        xaxis=xaxis,
        yaxis={"title": "CMAS", "range": [0, 53], "gridcolor": "#e5e7eb"},
        yaxis2={"title": "IFN score", "overlaying": "y", "side": "right", "showgrid": False},
    )
    # Safe inside <script type="application/json">: no "</script>" can appear.
    return str(fig.to_json()).replace("</", "<\\/")
