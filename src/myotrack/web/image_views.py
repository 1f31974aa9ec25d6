"""Clinical images as a user is shown them: which images, with what (policy.image_view
decides), the image store of the app, and the patient page's images card.

Clinicians and admins (of the patient's site) see every active image with its date,
caption and consent flags. Researchers see only images with research consent, under
the research pseudonym (their URLs), with days from the index date instead of dates and
no caption; an image without research consent is answered like one that does not exist.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from jinja2 import pass_context
from sqlalchemy.orm import Session
from starlette.requests import Request

from myotrack import registry
from myotrack.domain import (
    BODY_SITE_LABELS,
    IMAGE_KIND_LABELS,
    ClinicalImage,
)
from myotrack.media import ImageStore, image_dir_for
from myotrack.web import research
from myotrack.web.policy import ImageView, Principal, image_view
from myotrack.web.services import reference_date
from myotrack.web.templating import templates


def store_of(request: Request) -> ImageStore:
    """The app's image store: `app.state.image_store` if set, else the folder beside the
    registry (`media.store.image_dir_for`)."""
    state = request.app.state
    store = getattr(state, "image_store", None)
    if not isinstance(store, ImageStore):
        store = ImageStore(image_dir_for(state.engine.url.render_as_string(hide_password=False)))
        state.image_store = store
    return store


@dataclass(frozen=True, slots=True)
class ShownImage:
    """One image as the page shows it."""

    image_id: int
    when: str  # a date, or "day +12" for de-identified users
    body_site: str
    kind: str
    caption: str | None
    width: int
    height: int
    full: bool  # identified view: consent flags, caption, actions
    consent_clinical_record: bool
    consent_research: bool
    consent_publication: bool
    version: int
    # Where the image sits on the patient's timeline: its date, or (de-identified users)
    # its day from the reference date, as the timeline's x axis counts; None: no day known.
    timeline_x: str | int | None = None


def _when(day: date, ref: date | None, view: ImageView) -> str:
    if view is ImageView.FULL:
        return day.isoformat()
    if ref is None:
        return "—"
    return f"day {(day - ref).days:+d}"


def shown(image: ClinicalImage, view: ImageView, ref: date | None) -> ShownImage:
    full = view is ImageView.FULL
    return ShownImage(
        image_id=image.image_id or 0,
        when=_when(image.date, ref, view),
        body_site=BODY_SITE_LABELS.get(image.body_site, image.body_site),
        kind=IMAGE_KIND_LABELS.get(image.kind, image.kind),
        caption=image.caption if full else None,
        width=image.width,
        height=image.height,
        full=full,
        consent_clinical_record=image.consent.clinical_record if full else False,
        consent_research=image.consent.research,
        consent_publication=image.consent.publication if full else False,
        version=image.version,
        timeline_x=image.date.isoformat()
        if full
        else (None if ref is None else (image.date - ref).days),
    )


def visible_images(
    session: Session, principal: Principal, patient_id: str
) -> list[tuple[ClinicalImage, ImageView]]:
    """The patient's active images this user may see (registry `patient_id`)."""
    out: list[tuple[ClinicalImage, ImageView]] = []
    for image in registry.list_images(session, patient_id):
        view = image_view(principal, research_consent=image.consent.research)
        if view is not ImageView.NONE:
            out.append((image, view))
    return out


def shown_images(session: Session, principal: Principal, patient_id: str) -> list[ShownImage]:
    found = visible_images(session, principal, patient_id)
    if not found:
        return []
    ref = None
    if principal.deidentified:
        record = registry.load_record(session, patient_id)
        ref = reference_date(record) if record is not None else None
    return [shown(image, view, ref) for image, view in found]


def visible_image(
    session: Session, principal: Principal, patient_id: str, image_id: str
) -> tuple[ClinicalImage, ImageView] | None:
    """One image the user may see, or None (no such image, another patient's, retracted,
    or not for this user: all answered alike)."""
    if not image_id.isdigit() or len(image_id) > 12:
        return None
    image = registry.get_image(session, patient_id, int(image_id))
    if image is None:
        return None
    view = image_view(principal, research_consent=image.consent.research)
    return None if view is ImageView.NONE else (image, view)


@pass_context
def _images_card(context: Any) -> list[ShownImage]:
    """For the patient page's images card (`_images.html`): the images of the page's
    patient this user may see."""
    request: Request = context["request"]
    principal = getattr(request.state, "principal", None)
    if not isinstance(principal, Principal):
        return []
    patient_id = research.path_patient_id(request, str(context["p"].patient_id))
    engine = request.app.state.engine
    with registry.transaction(engine) as session:
        return shown_images(session, principal, patient_id)


def timeline_marks(images: list[ShownImage], patient_url_id: str) -> str:
    """The images as marks of the patient page's timeline (`static/timeline_images.js`):
    JSON safe inside <script type="application/json">, one {x, text, href} per image with a
    place on the timeline."""
    marks = [
        {
            "x": i.timeline_x,
            "text": f"{i.kind}, {i.body_site}, {i.when}",
            "href": f"/patients/{patient_url_id}/images#image-{i.image_id}",
        }
        for i in images
        if i.timeline_x is not None
    ]
    return json.dumps(marks, separators=(",", ":")).replace("</", "<\\/")


templates.env.globals["clinical_images"] = _images_card
templates.env.globals["image_timeline_marks"] = timeline_marks

__all__ = [
    "ShownImage",
    "shown_images",
    "store_of",
    "timeline_marks",
    "visible_image",
    "visible_images",
]
