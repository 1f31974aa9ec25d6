"""Exporting clinical images for a purpose, only with the matching consent
(`domain.images.images_for`): a folder of image files and `images.csv` describing them.

- `research`: images with research consent, named and described under the research
  pseudonym, dated as days from the index date (the first JAK-inhibitor start), without
  caption (free text) or calendar date: the de-identified tier's rules
  (`docs/deidentification.md`) applied to images.
- `publication`: images with publication consent, under the research pseudonym, with
  month and year, the day from the index date and the caption (the authors check it).

The files are the stored, cleaned files (no EXIF, GPS or other metadata). CSV cells of
text are escaped against spreadsheet formulas (`cohort.writer.csv_cell`).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from myotrack.cohort import csv_cell
from myotrack.domain import ClinicalImage, Purpose, images_for

MANIFEST = "images.csv"
COLUMNS: dict[Purpose, tuple[str, ...]] = {
    "research": ("file", "patient", "day_from_index", "body_site", "kind"),
    "publication": ("file", "patient", "month", "day_from_index", "body_site", "kind", "caption"),
    "clinical_record": (),  # not an export purpose: the record stays in the registry
}


@dataclass(frozen=True, slots=True)
class ExportSummary:
    purpose: Purpose
    exported: int
    left_out: int  # images without the matching consent


def export_images(
    images: Sequence[ClinicalImage],
    read: Callable[[ClinicalImage], bytes],
    purpose: Purpose,
    folder: Path,
    *,
    pseudonym_of: Callable[[str], str],
    index_dates: Mapping[str, date | None],
) -> ExportSummary:
    """Write the images of `images` that have consent for `purpose` into `folder`, with
    `images.csv`; returns how many were written and how many were left out."""
    if purpose == "clinical_record":
        raise ValueError("images are exported for research or publication only")
    chosen = images_for(images, purpose)
    folder.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, object]] = []
    for n, image in enumerate(chosen, start=1):
        patient = pseudonym_of(image.patient_id)
        start = index_dates.get(image.patient_id)
        day = (image.date - start).days if start is not None else None
        ext = "png" if image.media_type == "image/png" else "jpg"
        day_text = f"day{day:+d}" if day is not None else "day-unknown"
        name = f"{patient}-{day_text}-{image.body_site}-{n}.{ext}"
        (folder / name).write_bytes(read(image))
        row: dict[str, object] = {
            "file": name,
            "patient": patient,
            "day_from_index": "" if day is None else day,
            "body_site": image.body_site,
            "kind": image.kind,
        }
        if purpose == "publication":
            row["month"] = image.date.strftime("%Y-%m")
            row["caption"] = image.caption or ""
        rows.append(row)
    with (folder / MANIFEST).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS[purpose])
        for row in rows:
            writer.writerow([csv_cell(row[c]) for c in COLUMNS[purpose]])
    return ExportSummary(purpose, len(chosen), len(images) - len(chosen))


__all__ = ["COLUMNS", "MANIFEST", "ExportSummary", "export_images"]
