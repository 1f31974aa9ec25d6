"""Fictional clinical images for the demo cohort's MDA5-positive child (`MDA5-case`,
modelled on Strauss et al. 2023, the project's second seed).

Every picture here is DRAWN by this module (Pillow shapes, seeded noise): simple synthetic
sketches of skin, fingers and a chest CT slice that only suggest the findings, each
marked "FICTIONAL" in its corner. No real photograph is used or imitated. Deterministic:
the same bytes every time, so attaching them again finds them attached (the store is
content-addressed) and changes nothing.

Consent flags, as the family of the seed's child gave them (Strauss et al. 2023: written
consent "to the publication of the case report and included patient photographs"): the
face, hand and chest CT images have clinical-record and publication consent, and no
research consent, so a researcher reaches none of this child's images and no research
export holds them; the elbow photographs and the nailfold image have clinical-record
consent only, so the case report leaves them out. (Decided here; the issue is silent on
the demo's flags.)
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from sqlalchemy.engine import Engine

from myotrack.domain import BodySite, Consent, ImageKind
from myotrack.media.attach import ImageUpload, attach_image
from myotrack.media.store import ImageStore, image_dir_for
from myotrack.registry import DuplicateError, NotFoundError

DEMO_PATIENT = "MDA5-case"
ACTOR = "myotrack demo images"
SIZE = (640, 480)
SKIN = (226, 190, 160)


def _noise(seed: int, size: tuple[int, int], spread: float) -> Image.Image:
    rng = np.random.default_rng(seed)
    values = rng.normal(0.0, spread, (size[1], size[0])).clip(-40, 40) + 128
    return Image.fromarray(values.astype(np.uint8), "L").filter(ImageFilter.GaussianBlur(2))


def _skin(seed: int) -> Image.Image:
    base = Image.new("RGB", SIZE, SKIN)
    texture = _noise(seed, SIZE, 10).convert("RGB")
    return Image.blend(base, texture, 0.12)


def _patches(
    image: Image.Image,
    seed: int,
    boxes: list[tuple[int, int, int, int]],
    colour: tuple[int, int, int],
    strength: float,
) -> Image.Image:
    """Blurred coloured patches (erythema) of the given strength 0–1 over `image`."""
    mask = Image.new("L", image.size, 0)
    draw = ImageDraw.Draw(mask)
    rng = np.random.default_rng(seed)
    for x0, y0, x1, y1 in boxes:
        for _ in range(6):
            dx, dy = rng.integers(-25, 25, 2)
            draw.ellipse((x0 + dx, y0 + dy, x1 + dx, y1 + dy), fill=int(255 * strength))
    mask = mask.filter(ImageFilter.GaussianBlur(18))
    return Image.composite(Image.new("RGB", image.size, colour), image, mask)


MARK = "FICTIONAL - drawn by myotrack, not a real image"


def _mark(image: Image.Image) -> Image.Image:
    """The label every demo picture carries, large enough to read in a printed figure."""
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=22)
    width = int(draw.textlength(MARK, font=font))
    draw.rectangle((0, SIZE[1] - 32, width + 16, SIZE[1]), fill=(255, 255, 255))
    draw.text((8, SIZE[1] - 29), MARK, fill=(60, 60, 60), font=font)
    return image


def face(strength: float, seed: int) -> Image.Image:
    """A face outline with malar erythema and livid eyelids of `strength`."""
    image = Image.new("RGB", SIZE, (236, 238, 240))
    draw = ImageDraw.Draw(image)
    draw.ellipse((170, 40, 470, 450), fill=SKIN, outline=(180, 150, 125), width=3)
    image = _patches(
        image, seed, [(200, 230, 290, 300), (350, 230, 440, 300)], (200, 90, 100), strength * 0.8
    )
    image = _patches(
        image, seed + 1, [(235, 170, 300, 200), (340, 170, 405, 200)], (140, 90, 160), strength
    )
    draw = ImageDraw.Draw(image)
    for cx in (268, 372):
        draw.ellipse(
            (cx - 22, 182, cx + 22, 200), fill=(250, 250, 250), outline=(90, 70, 60), width=2
        )
        draw.ellipse((cx - 7, 184, cx + 7, 198), fill=(70, 60, 50))
    draw.arc((270, 330, 370, 390), 20, 160, fill=(150, 80, 80), width=4)
    return _mark(image)


def hand(strength: float, seed: int) -> Image.Image:
    """The back of a hand (four fingers) with papules over the knuckles and periungual
    redness of `strength`."""
    image = Image.new("RGB", SIZE, (236, 238, 240))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((150, 260, 470, 470), 40, fill=SKIN)
    for i in range(4):
        x = 160 + i * 80
        draw.rounded_rectangle(
            (x, 40, x + 64, 300), 30, fill=SKIN, outline=(190, 160, 135), width=2
        )
        draw.rounded_rectangle((x + 12, 48, x + 52, 96), 14, fill=(238, 214, 205))
    knuckles = [(165 + i * 80, 250, 219 + i * 80, 290) for i in range(4)]
    knuckles += [(165 + i * 80, 160, 219 + i * 80, 190) for i in range(4)]
    image = _patches(image, seed, knuckles, (170, 80, 110), strength)
    folds = [(168 + i * 80, 90, 216 + i * 80, 112) for i in range(4)]
    image = _patches(image, seed + 1, folds, (205, 60, 70), strength * 0.9)
    return _mark(image)


def nailfold(seed: int) -> Image.Image:
    """A magnified nailfold: a regular row of thin capillary loops (the seed's child had an
    unremarkable capillaroscopy, as the demo's capillaroscopy.csv records)."""
    image = Image.new("RGB", SIZE, (232, 200, 180))
    draw = ImageDraw.Draw(image)
    rng = np.random.default_rng(seed)
    for i in range(11):
        x = 40 + i * 54
        wide = 6
        top = 140 + int(rng.integers(-10, 10))
        draw.line((x, 400, x, top), fill=(170, 40, 50), width=4)
        draw.line((x + wide, 400, x + wide, top), fill=(170, 40, 50), width=4)
        draw.arc(
            (x - 2, top - wide // 2 - 2, x + wide + 2, top + wide // 2 + 2),
            180,
            360,
            fill=(170, 40, 50),
            width=4,
        )
    return _mark(image.filter(ImageFilter.GaussianBlur(1.2)))


def elbow(strength: float, seed: int) -> Image.Image:
    """An elbow with a livid scaly plaque; `strength` > 0.6 draws an ulcer, lower values a
    healed scar."""
    image = _skin(seed)
    image = _patches(image, seed, [(230, 170, 410, 320)], (150, 90, 130), strength)
    draw = ImageDraw.Draw(image)
    if strength > 0.6:
        draw.ellipse((290, 215, 350, 270), fill=(170, 60, 50), outline=(235, 225, 200), width=5)
    else:
        draw.line((295, 245, 345, 240), fill=(235, 215, 200), width=4)
    return _mark(image)


def chest_ct(opacity: float, seed: int) -> Image.Image:
    """An axial chest CT slice sketch: body outline, two lungs, spine; ground-glass
    opacities of `opacity` 0–1 in the lungs."""
    size = (512, 512)
    image = Image.new("L", size, 8)
    draw = ImageDraw.Draw(image)
    draw.ellipse((40, 90, 472, 430), fill=105)
    for box in ((85, 125, 245, 395), (267, 125, 427, 395)):
        draw.ellipse(box, fill=22)
    draw.ellipse((225, 330, 287, 392), fill=235)
    draw.ellipse((215, 160, 300, 260), fill=120)
    lungs = Image.new("L", size, 0)
    ImageDraw.Draw(lungs).ellipse((85, 125, 245, 395), fill=255)
    ImageDraw.Draw(lungs).ellipse((267, 125, 427, 395), fill=255)
    rng = np.random.default_rng(seed)
    haze = Image.new("L", size, 0)
    hd = ImageDraw.Draw(haze)
    for _ in range(int(40 * opacity)):
        x, y = int(rng.integers(90, 420)), int(rng.integers(140, 390))
        r = int(rng.integers(12, 34))
        hd.ellipse((x - r, y - r, x + r, y + r), fill=int(90 * opacity))
    haze = haze.filter(ImageFilter.GaussianBlur(10))
    veins = _noise(seed + 3, size, 14).point(lambda v: 60 if v > 150 else 0)
    inside = np.asarray(lungs, dtype=np.int16) > 0
    extra = np.asarray(haze, dtype=np.int16) + np.asarray(veins, dtype=np.int16)
    pixels = np.asarray(image, dtype=np.int16) + np.where(inside, extra, 0)
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "L")
    rgb = image.convert("RGB")
    font = ImageFont.load_default(size=20)
    ImageDraw.Draw(rgb).text((8, 484), MARK, fill=(220, 220, 220), font=font)
    return rgb


@dataclass(frozen=True, slots=True)
class DemoImage:
    day: date
    body_site: BodySite
    kind: ImageKind
    caption: str
    consent: Consent
    draw: Callable[[], Image.Image]
    fmt: str = "JPEG"


CASE_REPORT = Consent(clinical_record=True, research=False, publication=True)
RECORD_ONLY = Consent(clinical_record=True, research=False, publication=False)

DEMO_IMAGES: tuple[DemoImage, ...] = (
    DemoImage(
        date(2021, 9, 13),
        "face",
        "photograph",
        "Fictional drawing: patchy erythema on both cheeks, livid discoloration of the eyelids.",
        CASE_REPORT,
        lambda: face(0.9, 11),
    ),
    DemoImage(
        date(2021, 9, 13),
        "hands_dorsal",
        "photograph",
        "Fictional drawing: periungual erythema and incipient Gottron papules.",
        CASE_REPORT,
        lambda: hand(0.9, 12),
    ),
    DemoImage(
        date(2021, 9, 13),
        "elbows",
        "photograph",
        "Fictional drawing: livid plaque with ulceration over the right elbow.",
        RECORD_ONLY,
        lambda: elbow(0.95, 13),
    ),
    DemoImage(
        date(2021, 9, 14),
        "nailfolds",
        "capillaroscopy",
        "Fictional drawing: nailfold capillaries, regular thin loops (unremarkable).",
        RECORD_ONLY,
        lambda: nailfold(14),
    ),
    DemoImage(
        date(2021, 9, 16),
        "chest",
        "ct",
        "Fictional drawing: ground-glass opacities in both lungs before treatment.",
        CASE_REPORT,
        lambda: chest_ct(1.0, 15),
        "PNG",
    ),
    DemoImage(
        date(2021, 11, 16),
        "chest",
        "ct",
        "Fictional drawing: ground-glass opacities largely resolved, small residual patches.",
        CASE_REPORT,
        lambda: chest_ct(0.25, 16),
        "PNG",
    ),
    DemoImage(
        date(2022, 6, 14),
        "face",
        "photograph",
        "Fictional drawing: cheeks and eyelids clear.",
        CASE_REPORT,
        lambda: face(0.08, 17),
    ),
    DemoImage(
        date(2022, 6, 14),
        "hands_dorsal",
        "photograph",
        "Fictional drawing: knuckles and nailfolds clear.",
        CASE_REPORT,
        lambda: hand(0.06, 18),
    ),
    DemoImage(
        date(2022, 6, 14),
        "elbows",
        "photograph",
        "Fictional drawing: ulcer healed with a small scar.",
        RECORD_ONLY,
        lambda: elbow(0.2, 19),
    ),
)


def encoded(item: DemoImage) -> bytes:
    buffer = io.BytesIO()
    picture = item.draw()
    if item.fmt == "PNG":
        picture.save(buffer, "PNG")
    else:
        picture.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def add_demo_images(
    engine: Engine, store: ImageStore | None = None, patient_id: str = DEMO_PATIENT
) -> int:
    """Attach the fictional images to the demo child; returns how many were new (0 when
    they are all there already, or the patient is not in the registry). Without `store`,
    the registry's own image folder (`media.store.image_dir_for`)."""
    if store is None:
        store = ImageStore(image_dir_for(engine.url.render_as_string(hide_password=False)))
    added = 0
    for item in DEMO_IMAGES:
        upload = ImageUpload(
            patient_id=patient_id,
            date=item.day,
            body_site=item.body_site,
            kind=item.kind,
            consent=item.consent,
            caption=item.caption,
        )
        try:
            attach_image(
                engine, store, upload, encoded(item), actor=ACTOR, reason="demo images (fictional)"
            )
        except DuplicateError:
            continue
        except NotFoundError:
            return added
        added += 1
    return added


__all__ = ["DEMO_IMAGES", "DEMO_PATIENT", "MARK", "DemoImage", "add_demo_images"]
