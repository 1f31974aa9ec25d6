"""Clinical images of a patient (issue 14): the images page (gallery, upload, consent,
retract), the image files themselves and the before/after figure.

Who sees what is `policy.image_view` (through `web.image_views`): clinicians and admins of
the patient's site everything; researchers only images with research consent, without
caption or date; any other image id is answered 404 like one that does not exist.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request

from myotrack import registry
from myotrack.domain import (
    BODY_SITE_LABELS,
    BODY_SITES,
    CAPTION_MAX,
    IMAGE_KIND_LABELS,
    IMAGE_KINDS,
    BodySite,
    Consent,
    ImageKind,
    Purpose,
    before_after_pairs,
)
from myotrack.media import (
    NOT_AN_IMAGE,
    ImageRejected,
    ImageUpload,
    StoreError,
    attach_image,
    sniff_format,
)
from myotrack.registry import DuplicateError, NotFoundError, StaleEditError
from myotrack.report import pair_figure
from myotrack.web import formdata, image_views, research
from myotrack.web.deps import Requires, db
from myotrack.web.errors import Invalid, NotFound
from myotrack.web.policy import Access, Principal
from myotrack.web.routes.entry_forms import GONE, STALE, today
from myotrack.web.schemas import IsoDate
from myotrack.web.services import FormErrors, reference_date
from myotrack.web.templating import render

router = APIRouter(include_in_schema=False)
Reader = Annotated[Principal, Depends(Requires(Access.READ_PATIENTS))]
Writer = Annotated[Principal, Depends(Requires(Access.WRITE_PATIENTS))]

PAIR_TYPES = {"png": "image/png", "pdf": "application/pdf"}
CONSENT_FIELDS = ("consent_clinical_record", "consent_research", "consent_publication")
NO_CLINICAL_CONSENT = (
    "An image is only kept with the family's consent to keep it in the clinical record. "
    "Without it, do not upload the image."
)


class ImageIn(BaseModel):
    """The fields of the upload form."""

    model_config = ConfigDict(extra="forbid")

    date: IsoDate
    body_site: BodySite
    kind: ImageKind
    caption: str | None = Field(default=None, max_length=CAPTION_MAX)
    consent_clinical_record: bool = False
    consent_research: bool = False
    consent_publication: bool = False
    reason: str | None = Field(default=None, max_length=500)


def _page(
    request: Request,
    principal: Principal,
    patient_id: str,
    shown_id: str,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
    message: str | None = None,
    saved: str = "",
) -> Response:
    with db(request) as session:
        images = image_views.shown_images(session, principal, patient_id)
        pairs = _pair_sites(session, principal, patient_id)
    return render(
        request,
        "images.html",
        {
            "patient_id": shown_id,
            "images": images,
            "pairs": pairs,
            "values": values or {"date": today().isoformat(), "consent_clinical_record": True},
            "errors": errors or {},
            "message": message,
            "saved": saved,
            "body_sites": [(s, BODY_SITE_LABELS[s]) for s in BODY_SITES],
            "kinds": [(k, IMAGE_KIND_LABELS[k]) for k in IMAGE_KINDS],
            "caption_max": CAPTION_MAX,
        },
        status_code=status,
    )


def _purpose(principal: Principal) -> Purpose:
    return "research" if principal.deidentified else "clinical_record"


def _pair_sites(session: Any, principal: Principal, patient_id: str) -> list[tuple[str, str]]:
    record = registry.load_record(session, patient_id)
    if record is None or record.index_date is None:
        return []
    visible = [i for i, _ in image_views.visible_images(session, principal, patient_id)]
    pairs = before_after_pairs(visible, record.index_date, _purpose(principal))
    return [(p.body_site, BODY_SITE_LABELS.get(p.body_site, p.body_site)) for p in pairs]


@router.get("/patients/{patient_id}/images")
def images_page(request: Request, patient_id: str, principal: Reader, saved: str = "") -> Response:
    """The patient's images: gallery, before/after figures, and for writers the upload
    form, consent changes and retraction."""
    pid = research.path_patient_id(request, patient_id)
    return _page(request, principal, pid, patient_id, saved=saved[:20])


def _upload_values(form: FormData) -> dict[str, Any]:
    values: dict[str, Any] = {
        k: formdata.text(form, k) for k in ("date", "body_site", "kind", "caption", "reason")
    }
    for name in CONSENT_FIELDS:
        values[name] = formdata.text(form, name) == "yes"
    return values


@router.post("/patients/{patient_id}/images")
async def image_upload(request: Request, patient_id: str, principal: Writer) -> Response:
    """Attach an image: checked, cleaned of metadata, stored, recorded and audited."""
    form = await request.form()
    try:
        values = _upload_values(form)
        upload = form.get("file")
        data = await upload.read() if isinstance(upload, UploadFile) else b""
    finally:
        await form.close()  # every uploaded part, not only "file" (no temporary file left open)
    errors: dict[str, str] = {}
    try:
        model = formdata.build(ImageIn, {k: v for k, v in values.items() if v not in ("", None)})
    except FormErrors as exc:
        errors.update(exc.errors)
        model = None
    if model is not None:
        errors.update(await run_in_threadpool(_date_problems, request, patient_id, model.date))
        if not model.consent_clinical_record:
            errors["consent_clinical_record"] = NO_CLINICAL_CONSENT
    if not data:
        errors["file"] = "Choose a PNG or JPEG file."
    elif sniff_format(data) is None:
        errors["file"] = NOT_AN_IMAGE
    if errors or model is None:
        return await run_in_threadpool(
            _page,
            request,
            principal,
            patient_id,
            patient_id,
            values=values,
            errors=errors,
            status=422,
        )
    details = ImageUpload(
        patient_id=patient_id,
        date=model.date,
        body_site=model.body_site,
        kind=model.kind,
        caption=(model.caption or None),
        consent=Consent(
            clinical_record=model.consent_clinical_record,
            research=model.consent_research,
            publication=model.consent_publication,
        ),
    )
    store = image_views.store_of(request)

    def run() -> None:
        attach_image(
            request.app.state.engine,
            store,
            details,
            data,
            actor=principal.username,
            reason=model.reason or "image attached in the web app",
        )

    try:
        await run_in_threadpool(run)
    except ImageRejected as exc:
        errors["file"] = exc.message
        return await run_in_threadpool(
            _page,
            request,
            principal,
            patient_id,
            patient_id,
            values=values,
            errors=errors,
            status=422,
        )
    except DuplicateError as exc:
        errors["file"] = f"Not saved: {exc}."
        return await run_in_threadpool(
            _page,
            request,
            principal,
            patient_id,
            patient_id,
            values=values,
            errors=errors,
            status=409,
        )
    return RedirectResponse(f"/patients/{patient_id}/images?saved=image", status_code=303)


def _date_problems(request: Request, patient_id: str, day: date) -> dict[str, str]:
    if day > today():
        return {"date": "The date is after today."}
    with db(request) as session:
        record = registry.load_record(session, patient_id)
    if record is not None and day < record.patient.birth_date:
        return {"date": "The date is before the patient's birth date."}
    return {}


@router.get("/patients/{patient_id}/images/{image_id}")
def image_file(request: Request, patient_id: str, image_id: str, principal: Reader) -> Response:
    """The image file (cleaned: no metadata), if this user may see it."""
    pid = research.path_patient_id(request, patient_id)
    with db(request) as session:
        found = image_views.visible_image(session, principal, pid, image_id)
    if found is None:
        raise NotFound("There is no such image.")
    image, _ = found
    try:
        data = image_views.store_of(request).read(image.sha256, image.media_type)
    except StoreError as exc:
        raise NotFound(f"The image file is not available ({exc}).") from None
    return Response(
        data,
        media_type=image.media_type,
        headers={
            "Content-Disposition": f'inline; filename="image-{image_id}.{_ext(image.media_type)}"'
        },
    )


def _ext(media_type: str) -> str:
    return "png" if media_type == "image/png" else "jpg"


def _version(form: FormData) -> int | None:
    text = formdata.text(form, "expected_version")
    return int(text) if text.isdigit() and len(text) <= 9 else None


@router.post("/patients/{patient_id}/images/{image_id}/consent")
async def image_consent(
    request: Request, patient_id: str, image_id: str, principal: Writer
) -> Response:
    """Change an image's consent flags (research or publication consent given or
    withdrawn); a reason is required, it goes into the audit log."""
    form = await request.form()
    consent = Consent(
        clinical_record=True,
        research=formdata.text(form, "consent_research") == "yes",
        publication=formdata.text(form, "consent_publication") == "yes",
    )
    try:
        return await _change(request, principal, patient_id, image_id, form, consent)
    finally:
        await form.close()


@router.post("/patients/{patient_id}/images/{image_id}/retract")
async def image_retract(
    request: Request, patient_id: str, image_id: str, principal: Writer
) -> Response:
    """Retract an image (with the reason; also when the family withdraws consent to keep
    it in the record). The row and the file stay; the image is no longer shown."""
    form = await request.form()
    try:
        return await _change(request, principal, patient_id, image_id, form, None)
    finally:
        await form.close()


async def _change(
    request: Request,
    principal: Principal,
    patient_id: str,
    image_id: str,
    form: FormData,
    consent: Consent | None,
) -> Response:
    reason = formdata.text(form, "reason")[:500]
    version = _version(form)
    if not image_id.isdigit() or len(image_id) > 12:
        raise NotFound("There is no such image.")
    if not reason or version is None:
        errors = {"reason": "Give the reason (it goes into the audit log)."} if not reason else {}
        return await run_in_threadpool(
            _page,
            request,
            principal,
            patient_id,
            patient_id,
            errors=errors,
            status=422,
            message="Not saved: the form was incomplete (reason and version are needed).",
        )

    def run() -> None:
        with db(request) as session:
            if consent is None:
                registry.retract_image(
                    session,
                    patient_id,
                    int(image_id),
                    expected_version=version,
                    actor=principal.username,
                    reason=reason,
                )
            else:
                registry.set_consent(
                    session,
                    patient_id,
                    int(image_id),
                    consent,
                    expected_version=version,
                    actor=principal.username,
                    reason=reason,
                )

    try:
        await run_in_threadpool(run)
    except StaleEditError:
        return await run_in_threadpool(
            _page, request, principal, patient_id, patient_id, status=409, message=STALE
        )
    except NotFoundError:
        return await run_in_threadpool(
            _page, request, principal, patient_id, patient_id, status=404, message=GONE
        )
    saved = "retracted" if consent is None else "consent"
    return RedirectResponse(f"/patients/{patient_id}/images?saved={saved}", status_code=303)


@router.get("/patients/{patient_id}/image-pair")
def image_pair(
    request: Request, patient_id: str, principal: Reader, site: str = "", fmt: str = "png"
) -> Response:
    """The before/after figure of one body site: the last image on or before the index
    date and the last after it, side by side (PNG or PDF). Researchers: images with
    research consent, days instead of dates, no captions."""
    if fmt not in PAIR_TYPES:
        raise Invalid("The figure comes as png or pdf.")
    pid = research.path_patient_id(request, patient_id)
    with db(request) as session:
        record = registry.load_record(session, pid)
        visible = [i for i, _ in image_views.visible_images(session, principal, pid)]
    assert record is not None  # Requires checked it exists and is visible
    if record.index_date is None:
        raise Invalid("There is no JAK-inhibitor start to show images before and after.")
    pairs = [
        p
        for p in before_after_pairs(visible, record.index_date, _purpose(principal))
        if p.body_site == site
    ]
    if not pairs:
        raise Invalid(
            "There are no images of that body site before and after the JAK-inhibitor start."
        )
    store = image_views.store_of(request)
    ref = reference_date(record)
    deid = principal.deidentified

    def date_text(day: date) -> str:
        if deid and ref is not None:
            return f"day {(day - ref).days:+d} from JAK-inhibitor start"
        return day.isoformat()

    try:
        body = pair_figure(
            pairs[0],
            lambda i: store.read(i.sha256, i.media_type),
            fmt=fmt,  # type: ignore[arg-type]
            date_text=date_text,
            captions=not deid,
        )
    except StoreError as exc:
        raise NotFound(f"An image file is not available ({exc}).") from None
    return Response(
        body,
        media_type=PAIR_TYPES[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="{patient_id}-{site}-before-after.{fmt}"'
        },
    )


__all__ = ["ImageIn", "router"]
