"""Clinical images of a patient: photographs (skin, nailfolds) and exported imaging
slices (CT, MRI as PNG/JPEG), each at a date, of a body site, with a caption and three
consent flags. Pure: the files themselves live in `myotrack.media` (validation and the
content-addressed store), the rows in `myotrack.registry.images`.

Consent (decided here, documented in docs/images.md):

- `clinical_record`: the family agreed that the image is kept in the child's record. An
  image is only attached with it (the upload refuses otherwise); withdrawing it means
  retracting the image (with the reason).
- `research`: researchers may see the image — de-identified: under the research
  pseudonym, days from the index date instead of dates, and WITHOUT the caption (free
  text is removed in every de-identified tier, `docs/deidentification.md`); body site and
  kind are vocabulary and are shown. Without it a researcher is never shown that the
  image exists.
- `publication`: the image may leave the registry in a publication (case report, a
  before/after figure). Exports pick images by purpose (`consented_for`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal, get_args

ImageKind = Literal["photograph", "ct", "mri", "ultrasound", "capillaroscopy", "other"]
IMAGE_KINDS: Final[tuple[ImageKind, ...]] = get_args(ImageKind)

BodySite = Literal[
    "face",
    "eyelids",
    "scalp",
    "neck_chest",
    "back_shoulders",
    "hands_dorsal",
    "nailfolds",
    "palms",
    "elbows",
    "knees",
    "arms",
    "legs",
    "trunk",
    "feet",
    "chest",
    "thighs_pelvis",
    "other",
]
BODY_SITES: Final[tuple[BodySite, ...]] = get_args(BodySite)

# The clinic's words, one table (used by forms, pages and figure captions).
BODY_SITE_LABELS: Final[dict[BodySite, str]] = {
    "face": "face (cheeks, malar area)",
    "eyelids": "eyelids (heliotrope)",
    "scalp": "scalp",
    "neck_chest": "neck and upper chest (V sign)",
    "back_shoulders": "back and shoulders (shawl sign)",
    "hands_dorsal": "backs of the hands and fingers (Gottron)",
    "nailfolds": "nailfolds",
    "palms": "palms",
    "elbows": "elbows",
    "knees": "knees",
    "arms": "arms",
    "legs": "legs",
    "trunk": "trunk",
    "feet": "feet",
    "chest": "chest (thorax imaging)",
    "thighs_pelvis": "thighs and pelvis (muscle imaging)",
    "other": "other site",
}
IMAGE_KIND_LABELS: Final[dict[ImageKind, str]] = {
    "photograph": "photograph",
    "ct": "CT slice",
    "mri": "MRI slice",
    "ultrasound": "ultrasound image",
    "capillaroscopy": "capillaroscopy image",
    "other": "other image",
}

Purpose = Literal["clinical_record", "research", "publication"]
PURPOSES: Final[tuple[Purpose, ...]] = get_args(Purpose)
PURPOSE_LABELS: Final[dict[Purpose, str]] = {
    "clinical_record": "kept in the clinical record",
    "research": "shown to researchers (de-identified)",
    "publication": "published (case reports, figures)",
}

CAPTION_MAX = 500  # characters


@dataclass(frozen=True, slots=True)
class Consent:
    """What the family agreed to, one flag per purpose."""

    clinical_record: bool
    research: bool = False
    publication: bool = False

    def allows(self, purpose: Purpose) -> bool:
        allowed: bool = getattr(self, purpose)
        return allowed


@dataclass(frozen=True, slots=True)
class ClinicalImage:
    """One stored image. `sha256` is the hash of the stored (cleaned) file: its address in
    the image store. `image_id` is the registry's row id (None before it is stored)."""

    patient_id: str
    date: date
    body_site: BodySite
    kind: ImageKind
    sha256: str
    media_type: str  # image/png or image/jpeg (checked from the content)
    width: int
    height: int
    byte_size: int
    consent: Consent
    caption: str | None = None
    image_id: int | None = None
    version: int = 1


def consented_for(image: ClinicalImage, purpose: Purpose) -> bool:
    """Whether `image` may be used for `purpose` (its consent flag)."""
    return image.consent.allows(purpose)


def images_for(images: Iterable[ClinicalImage], purpose: Purpose) -> tuple[ClinicalImage, ...]:
    """The images that may be used for `purpose`, in date order."""
    return tuple(
        sorted(
            (i for i in images if consented_for(i, purpose)),
            key=lambda i: (i.date, i.body_site, i.image_id or 0),
        )
    )


@dataclass(frozen=True, slots=True)
class ImagePair:
    """Two images of one body site: before and after a date (e.g. the index date)."""

    body_site: BodySite
    before: ClinicalImage
    after: ClinicalImage


def before_after_pairs(
    images: Sequence[ClinicalImage], pivot: date, purpose: Purpose
) -> tuple[ImagePair, ...]:
    """For each body site with images on both sides of `pivot` (and consent for
    `purpose`): the last image on or before the pivot and the LAST image after it (the
    longest follow-up, as the first seed's Figure 1 shows a rash before and after
    treatment). Sites in the order of their first image."""
    usable = images_for(images, purpose)
    pairs: list[ImagePair] = []
    for site in dict.fromkeys(i.body_site for i in usable):
        same = [i for i in usable if i.body_site == site]
        before = [i for i in same if i.date <= pivot]
        after = [i for i in same if i.date > pivot]
        if before and after:
            pairs.append(ImagePair(site, before[-1], after[-1]))
    return tuple(pairs)


__all__ = [
    "BODY_SITES",
    "BODY_SITE_LABELS",
    "CAPTION_MAX",
    "IMAGE_KINDS",
    "IMAGE_KIND_LABELS",
    "PURPOSES",
    "PURPOSE_LABELS",
    "BodySite",
    "ClinicalImage",
    "Consent",
    "ImageKind",
    "ImagePair",
    "Purpose",
    "before_after_pairs",
    "consented_for",
    "images_for",
]
