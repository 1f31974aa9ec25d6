"""One child's course drawn as PNG, SVG and PDF."""

from __future__ import annotations

import struct
from datetime import date

import pytest

from myotrack.domain import Patient, PatientRecord
from myotrack.report import timeline_figure

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_MAGIC
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def test_timeline_png_of_the_mda5_child(record: PatientRecord) -> None:
    png = timeline_figure(record)  # open courses, a visit without values, a missing lab
    width, height = _png_size(png)
    # two measure axes and six drug rows make a tall figure; one axis only is shorter
    single = timeline_figure(record, measures=("cmas",))
    assert height > _png_size(single)[1]
    assert width > 1000


def test_timeline_svg_is_an_svg_document(record: PatientRecord) -> None:
    svg = timeline_figure(record, fmt="svg").decode()
    assert svg.lstrip().startswith("<?xml")
    assert "<svg" in svg


def test_timeline_pdf_is_a_pdf(record: PatientRecord) -> None:
    pdf = timeline_figure(record, fmt="pdf")
    assert pdf.startswith(b"%PDF")


def test_timeline_labels_are_drug_and_dose(record: PatientRecord) -> None:
    from matplotlib.text import Text

    from myotrack.report.figures.timeline import draw_timeline

    fig = draw_timeline(record, ("cmas", "IFN_score"))
    texts = {t.get_text() for t in fig.findobj(Text)}
    assert "ruxolitinib 5 mg BID" in texts
    assert "IVIG 2 g/kg monthly"  # drugs in words, not codes in texts
    assert "JAK inhibitor start" in texts
    assert {"CMAS (0–52)", "Interferon score\n(log scale)"} <= texts


def test_timeline_same_input_same_bytes(record: PatientRecord) -> None:
    assert timeline_figure(record, fmt="svg") == timeline_figure(record, fmt="svg")


def test_timeline_without_values_or_courses_still_draws() -> None:
    bare = PatientRecord(Patient("X1", "F", date(2015, 1, 1), "JDM"))
    assert timeline_figure(bare).startswith(PNG_MAGIC)


def test_unknown_measure_is_a_clear_error(record: PatientRecord) -> None:
    with pytest.raises(ValueError, match="unknown measure 'cmass'"):
        timeline_figure(record, measures=("cmass",))


def test_no_pyplot_figures_are_left_open(record: PatientRecord) -> None:
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    timeline_figure(record)
    assert plt.get_fignums() == before


def test_course_labels_never_overlap() -> None:
    """Three prednisolone doses in quick succession (a taper) must not print on top of
    each other."""
    from datetime import timedelta

    from matplotlib.text import Text

    from myotrack.domain import DrugCourse
    from myotrack.report.figures.timeline import draw_timeline

    start = date(2021, 1, 1)
    taper = [
        DrugCourse(
            "T1",
            "prednisolone",
            start + timedelta(days=14 * k),
            start + timedelta(days=14 * k + 13),
            dose,
            "mg/kg",
            "QD",
        )
        for k, dose in enumerate((2, 1.5, 1, 0.75, 0.5))
    ]
    jaki = DrugCourse("T1", "ruxolitinib", start + timedelta(days=20), None, 5, "mg", "BID")
    courses = (*taper, jaki)
    record = PatientRecord(Patient("T1", "F", date(2014, 1, 1), "JDM"), courses=courses)
    fig = draw_timeline(record, ("cmas",))
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    course_ax = fig.axes[-1]
    boxes = [
        t.get_window_extent(renderer)
        for t in course_ax.findobj(Text)
        if t.get_text() and t.axes is course_ax and "mg" in t.get_text()
    ]
    assert len(boxes) == 6  # every course is labelled
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), "two course labels overlap"


def test_timeline_png_of_the_demo_mda5_child() -> None:
    from myotrack.cohort import DEMO_FOLDER, read_folder

    if not (DEMO_FOLDER / "patients.csv").exists():
        pytest.skip("no demo cohort")
    cohort, issues = read_folder(DEMO_FOLDER)
    assert cohort is not None, issues
    records = cohort.records()
    if "MDA5-case" not in records:
        pytest.skip("the demo cohort has no MDA5-case child")
    width, height = _png_size(timeline_figure(records["MDA5-case"]))
    assert width > 1000 and height > 1000
