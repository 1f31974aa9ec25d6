"""The report's figures as files for a journal (`myotrack report --figures DIR`): each
figure at its column width (one column 85 mm, two columns 175 mm), as vector PDF and SVG
and as 300 dpi PNG and TIFF (LZW-compressed, the resolution journals ask of line art
with shading). The figures are the very ones the HTML and PDF report embed."""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date
from typing import Final

from myotrack.analysis import build_timelines, case_series_of
from myotrack.analysis.describe import QuantileType
from myotrack.analysis.supplement import patient_numbers
from myotrack.domain import Cohort
from myotrack.report.figures.canvas import FigureFormat
from myotrack.report.report_figures import ReportFigure, report_figures

JOURNAL_DPI: Final = 300
VECTOR_FORMATS: Final[tuple[FigureFormat, ...]] = ("pdf", "svg")


def _tiff(png: bytes) -> bytes:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        out = io.BytesIO()
        image.convert("RGB").save(
            out, format="TIFF", compression="tiff_lzw", dpi=(JOURNAL_DPI, JOURNAL_DPI)
        )
    return out.getvalue()


def _name(number: int, figure: ReportFigure) -> str:
    return f"figure{number}-{figure.key}-{figure.width_mm:g}mm"


def figure_files(
    cohort: Cohort, *, quantiles: QuantileType = "type7", cutoff: date | None = None
) -> dict[str, bytes]:
    """File name -> content of every drawn figure in PDF, SVG, PNG and TIFF."""
    timelines = build_timelines(cohort, cutoff)
    summary = case_series_of(timelines, quantiles=quantiles)
    names: Mapping[str, str] = {pid: str(k) for pid, k in patient_numbers(timelines).items()}
    out: dict[str, bytes] = {}
    renders = {
        fmt: report_figures(timelines.included, summary, fmt=fmt, lane_names=names, dpi=JOURNAL_DPI)
        for fmt in (*VECTOR_FORMATS, "png")
    }
    numbers: dict[str, int] = {}
    for figure in renders["png"]:
        if not figure.drawn:
            continue
        number = numbers.setdefault(figure.title.split(".")[0], len(numbers) + 1)
        stem = _name(number, figure)
        out[f"{stem}.png"] = figure.data
        out[f"{stem}.tiff"] = _tiff(figure.data)
    for fmt in VECTOR_FORMATS:
        for figure in renders[fmt]:
            if figure.drawn:
                number = numbers[figure.title.split(".")[0]]
                out[f"{_name(number, figure)}.{fmt}"] = figure.data
    return dict(sorted(out.items()))
