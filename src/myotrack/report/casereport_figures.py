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
    pictures = (_pixels(read(pair.before)), _pixels(read(pair.after)))
    has_text = captions and any((pair.before.caption, pair.after.caption))
    # Laid out in millimetres: the panels as tall as the pictures need at half the width,
    # no empty band between heading, panel titles and pictures.
    side, gap, head, panel_head = 3.0, 4.0, 8.0, 7.0
    foot = 14.0 if has_text else 2.0
    panel_w = (TWO_COLUMNS_MM - 2 * side - gap) / 2
    aspect = max(p.shape[0] / p.shape[1] for p in pictures)
    panel_h = panel_w * aspect
    height = head + panel_head + panel_h + foot
    with house_style():
        fig = new_figure(mm(TWO_COLUMNS_MM), mm(height))
        axes = fig.subplots(1, 2)
        for letter, which, image, pixels, ax in (
            ("A", "Before", pair.before, pictures[0], axes[0]),
            ("B", "After", pair.after, pictures[1], axes[1]),
        ):
            ax.imshow(pixels, interpolation="lanczos")
            ax.set_xticks([])
            ax.set_yticks([])
            for spine in ax.spines.values():
                spine.set_visible(False)
            ax.set_title(f"{letter}  {_panel_title(which, image, date_text)}", loc="left")
            if captions and image.caption:
                ax.text(
                    0.0,
                    -0.03,
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
        fig.suptitle(heading, x=side / TWO_COLUMNS_MM, y=1 - 1.5 / height, ha="left", va="top")
        fig.subplots_adjust(
            left=side / TWO_COLUMNS_MM,
            right=1 - side / TWO_COLUMNS_MM,
            top=1 - (head + panel_head) / height,
            bottom=foot / height,
            wspace=gap / panel_w,
        )
        return figure_bytes(fig, fmt, dpi=300)


__all__ = ["iso_date", "pair_figure"]
