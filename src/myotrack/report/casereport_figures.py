"""Before/after figures: two images of one body site side by side, each with its date
(or its day relative to the index date) and caption, like Figure 1 of the first seed
(Ding et al. 2021: a rash before and after JAK inhibition) or Figure 2 of the second
(Strauss et al. 2023: CT before and after treatment). PNG (300 dpi) or PDF, at the
two-column journal width (175 mm).

Pure apart from decoding the two cleaned image files the caller passes in.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable
from datetime import date

import numpy as np
from PIL import Image

from myotrack.domain import BODY_SITE_LABELS, IMAGE_KIND_LABELS, ClinicalImage, ImagePair
from myotrack.report.figures import (
    INK,
    TWO_COLUMNS_MM,
    FigureFormat,
    figure_bytes,
    house_style,
    mm,
    new_figure,
)

DateText = Callable[[date], str]


def iso_date(day: date) -> str:
    return day.isoformat()


def _pixels(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as image:
        return np.asarray(image.convert("RGB"))


def _panel_title(which: str, image: ClinicalImage, date_text: DateText) -> str:
    return f"{which}: {date_text(image.date)}"


def pair_figure(
    pair: ImagePair,
    read: Callable[[ClinicalImage], bytes],
    *,
    fmt: FigureFormat = "png",
    date_text: DateText = iso_date,
    captions: bool = True,
    title: str | None = None,
) -> bytes:
    """The two images of `pair` side by side (panels A and B) with dates and captions.
    `read` gives an image's stored bytes; `captions=False` leaves the captions out
    (de-identified use: captions are free text)."""
    with house_style():
        width = mm(TWO_COLUMNS_MM)
        fig = new_figure(width, width * 0.56)
        axes = fig.subplots(1, 2)
        for letter, which, image, ax in (
            ("A", "Before", pair.before, axes[0]),
            ("B", "After", pair.after, axes[1]),
        ):
            ax.imshow(_pixels(read(image)), interpolation="lanczos")
            ax.set_xticks([])
            ax.set_yticks([])
            for spine in ax.spines.values():
                spine.set_visible(False)
            ax.set_title(f"{letter}  {_panel_title(which, image, date_text)}", loc="left")
            if captions and image.caption:
                ax.text(
                    0.0,
                    -0.04,
                    "\n".join(textwrap.wrap(image.caption, 60)),
                    transform=ax.transAxes,
                    ha="left",
                    va="top",
                    fontsize=7.5,
                    color=INK,
                )
        site = BODY_SITE_LABELS.get(pair.body_site, pair.body_site)
        kind = IMAGE_KIND_LABELS.get(pair.before.kind, pair.before.kind)
        heading = title or f"{kind[:1].upper()}{kind[1:]}, {site}"
        fig.suptitle(heading, x=0.02, ha="left", fontsize=10)
        has_text = captions and any((pair.before.caption, pair.after.caption))
        fig.subplots_adjust(
            left=0.02, right=0.98, top=0.84, bottom=0.16 if has_text else 0.03, wspace=0.06
        )
        return figure_bytes(fig, fmt, dpi=300)


__all__ = ["iso_date", "pair_figure"]
