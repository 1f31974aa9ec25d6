"""Before/after pairs (pure choice of images by consent and date) and the figure that
lays two images side by side; the demo's fictional images."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from PIL import Image
from sqlalchemy import Engine

from myotrack import registry
from myotrack.domain.images import ClinicalImage, Consent, before_after_pairs, images_for
from myotrack.media import ImageStore, check_store, clean_image
from myotrack.media.demo import DEMO_IMAGES, DEMO_PATIENT, add_demo_images
from myotrack.registry import images as image_rows
from myotrack.report.casereport_figures import pair_figure

START = date(2021, 10, 5)


def _image(day: date, site: str, n: int, **consent: bool) -> ClinicalImage:
    return ClinicalImage(
        patient_id="P",
        date=day,
        body_site=site,  # type: ignore[arg-type]
        kind="photograph",
        sha256=f"{n:064x}",
        media_type="image/png",
        width=10,
        height=10,
        byte_size=100,
        consent=Consent(clinical_record=True, **consent),
        image_id=n,
    )


def test_pairs_take_the_last_before_and_the_last_after_with_consent() -> None:
    images = [
        _image(date(2021, 9, 1), "face", 1, publication=True),
        _image(date(2021, 10, 5), "face", 2, publication=True),  # on the start day: before
        _image(date(2021, 12, 1), "face", 3, publication=True),
        _image(date(2022, 6, 1), "face", 4, publication=True),
        _image(date(2022, 7, 1), "face", 5, publication=False),  # no consent: not used
        _image(date(2021, 9, 1), "elbows", 6, publication=True),  # nothing after
        _image(date(2021, 9, 1), "knees", 7, publication=False),
        _image(date(2022, 1, 1), "knees", 8, publication=True),
    ]
    (pair,) = before_after_pairs(images, START, "publication")
    assert (pair.body_site, pair.before.image_id, pair.after.image_id) == ("face", 2, 4)
    assert [i.image_id for i in images_for(images, "research")] == []
    research = [replace(i, consent=Consent(True, research=True)) for i in images]
    sites = [p.body_site for p in before_after_pairs(research, START, "research")]
    assert sites == ["face", "knees"]


def test_pair_figure_shows_both_images(make_picture: Callable[..., bytes]) -> None:
    red = clean_image(make_picture((120, 90), "PNG", (220, 30, 30)))
    blue = clean_image(make_picture((120, 90), "PNG", (30, 30, 220)))
    before = replace(_image(date(2021, 9, 1), "face", 1), sha256=red.sha256)
    after = replace(_image(date(2022, 6, 1), "face", 2), sha256=blue.sha256, caption="clear")
    files = {red.sha256: red.data, blue.sha256: blue.data}
    (pair,) = before_after_pairs([before, after], START, "clinical_record")
    png = pair_figure(pair, lambda i: files[i.sha256], fmt="png")
    picture = Image.open(io.BytesIO(png)).convert("RGB")
    width, height = picture.size
    assert width > 1500  # 175 mm at 300 dpi
    left = picture.getpixel((int(width * 0.25), int(height * 0.5)))
    right = picture.getpixel((int(width * 0.75), int(height * 0.5)))
    assert isinstance(left, tuple) and isinstance(right, tuple)
    assert left[0] > 180 and left[2] < 80  # before (red) on the left
    assert right[2] > 180 and right[0] < 80  # after (blue) on the right
    assert pair_figure(pair, lambda i: files[i.sha256], fmt="pdf").startswith(b"%PDF")


def test_demo_images_are_attached_once_with_their_consents(
    sqlite_engine: Engine, store: ImageStore
) -> None:
    assert add_demo_images(sqlite_engine, store) == len(DEMO_IMAGES)
    assert add_demo_images(sqlite_engine, store) == 0  # again: nothing new
    with registry.transaction(sqlite_engine) as session:
        stored = image_rows.list_images(session, DEMO_PATIENT)
    assert len(stored) == len(DEMO_IMAGES)
    assert all("Fictional" in (i.caption or "") for i in stored)
    assert not any(i.consent.research for i in stored)  # no researcher reaches them
    assert all(i.consent.clinical_record for i in stored)
    assert {i.body_site for i in stored if not i.consent.publication} == {"nailfolds", "elbows"}
    pairs = before_after_pairs(stored, START, "publication")
    assert [p.body_site for p in pairs] == ["face", "hands_dorsal", "chest"]
    assert check_store(sqlite_engine, store).ok
