"""The patient page's timeline figure: one axis per scale (CMAS on its range, the interferon
score on a log axis, the global ratings on 0-10), a bar for every drug course (not only the
JAK inhibitor) and a marker for every event, on one shared time axis."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from myotrack.domain import DrugCourse, Event, LabResult, Patient, PatientRecord, Visit
from myotrack.domain.labels import label
from myotrack.domain.vocab import MEASURES
from myotrack.web.timeline import figure

PATIENT = Patient("T1", "F", date(2014, 1, 1), "JDM")
RECORD = PatientRecord(
    patient=PATIENT,
    visits=(
        Visit("T1", date(2024, 1, 1), cmas=20, phga=7.5, parent_global=6),
        Visit("T1", date(2024, 4, 1), cmas=44, phga=2),
    ),
    labs=(
        LabResult("T1", date(2024, 1, 1), "IFN_score", 350.0, "score"),
        LabResult("T1", date(2024, 4, 1), "IFN_score", 4.0, "score"),
    ),
    courses=(
        DrugCourse("T1", "prednisolone", date(2023, 12, 1), date(2024, 3, 1), dose=20),
        DrugCourse("T1", "methotrexate", date(2023, 12, 1), dose=15, dose_unit="mg"),
        DrugCourse("T1", "baricitinib", date(2024, 1, 2), dose=4, dose_unit="mg"),
    ),
    events=(Event("T1", date(2024, 2, 1), "infection", "VZV", 2),),
)


def _axis(fig: dict[str, Any], trace: dict[str, Any]) -> dict[str, Any]:
    ref = trace.get("yaxis", "y")
    name = "yaxis" if ref == "y" else "yaxis" + ref[1:]
    axis: dict[str, Any] = fig["layout"][name]
    return axis


def test_one_axis_per_scale() -> None:
    fig = figure(RECORD, deidentified=False)
    assert fig is not None
    by_name = {t.get("name"): t for t in fig["data"]}
    cmas = by_name[MEASURES["cmas"].short_label]
    assert cmas["y"] == [20, 44]
    assert _axis(fig, cmas)["range"][0] == 0 and _axis(fig, cmas)["range"][1] >= 52
    ifn = by_name[label("analyte", "IFN_score")]
    assert ifn["y"] == [350.0, 4.0] and _axis(fig, ifn)["type"] == "log"
    phga = by_name[MEASURES["phga"].short_label]
    parent = by_name[MEASURES["parent_global"].short_label]
    assert phga["yaxis"] == parent["yaxis"] != ifn["yaxis"] != cmas["yaxis"]
    assert 10 <= _axis(fig, phga)["range"][1] < 11
    # The panels do not overlap.
    domains = sorted(
        tuple(fig["layout"][k]["domain"]) for k in fig["layout"] if k.startswith("yaxis")
    )
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(domains))


def test_every_course_is_a_bar_and_events_are_markers() -> None:
    fig = figure(RECORD, deidentified=False)
    assert fig is not None
    bars = [t for t in fig["data"] if t["mode"] == "lines+markers" and isinstance(t["y"][0], str)]
    assert sorted(t["y"][0] for t in bars) == sorted(label("drug", c.drug) for c in RECORD.courses)
    running = next(t for t in bars if t["y"][0] == label("drug", "methotrexate"))
    assert running["x"] == ["2023-12-01", "2024-04-01"]  # drawn to the last date, ongoing
    assert "ongoing" in running["hovertext"]
    (events,) = [t for t in fig["data"] if t["mode"] == "markers"]
    assert events["x"] == ["2024-02-01"] and label("event", "infection") in events["hovertext"][0]


def test_de_identified_figure_has_days_not_dates() -> None:
    fig = figure(RECORD, deidentified=True)
    assert fig is not None
    text = str(fig)
    assert "2024-" not in text and "2023-" not in text
    cmas = next(t for t in fig["data"] if t.get("name") == MEASURES["cmas"].short_label)
    assert cmas["x"] == [-1, 90]  # days from the first JAK-inhibitor start, 2024-01-02


def test_nothing_to_draw() -> None:
    assert figure(PatientRecord(patient=PATIENT), deidentified=False) is None
