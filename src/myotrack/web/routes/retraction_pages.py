"""Retracting a record from its page (a reason is required), and the admins' list of
retracted records with a restore button each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from myotrack.registry import DuplicateError, NotFoundError, StaleEditError
from myotrack.web import corrections, formdata, value_text
from myotrack.web.deps import Requires, db
from myotrack.web.policy import Access, Principal
from myotrack.web.routes.admin import KEY_SEPARATOR, record_words
from myotrack.web.routes.entry_forms import GONE, STALE, saved_redirect
from myotrack.web.services import FormErrors
from myotrack.web.templating import render

router = APIRouter(include_in_schema=False)
Writer = Annotated[Principal, Depends(Requires(Access.WRITE_PATIENTS))]
Admin = Annotated[Principal, Depends(Requires(Access.ADMIN))]

SECTIONS = {
    "visit": "visits",
    "assessment": "visits",
    "lab": "labs",
    "course": "courses",
    "event": "events",
}


def _retraction_data(form: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    keys = [v for v in form.getlist("key") if isinstance(v, str)]
    values: dict[str, Any] = {
        "kind": formdata.text(form, "kind"),
        "key": keys,
        "expected_version": formdata.version(form),
        "reason": formdata.text(form, "reason"),
    }
    data = {**values, "key": [k or None for k in keys]}
    return values, data


def _confirm(
    request: Request,
    patient_id: str,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int,
    message: str | None = None,
) -> Response:
    return render(
        request,
        "retract.html",
        {
            "patient_id": patient_id,
            "values": values,
            "errors": errors,
            "message": message,
            "kind_words": corrections.KIND_WORDS,
        },
        status_code=status,
    )


@router.post("/patients/{patient_id}/retract")
async def retract_submit(request: Request, patient_id: str, principal: Writer) -> Response:
    """Retract one record of the patient (or the patient); without a reason the page
    asks for one, beside the field."""
    form = await request.form()
    values, data = _retraction_data(form)
    try:
        model = formdata.build(corrections.Retraction, data)

        def run() -> None:
            with db(request) as session:
                corrections.retract(session, principal, patient_id, model)

        await run_in_threadpool(run)
    except FormErrors as exc:
        errors = {k.split(".")[0]: v for k, v in exc.errors.items()}
        if "reason" in errors:
            errors["reason"] = "Give the reason for retracting (it goes into the audit log)."
        return _confirm(request, patient_id, values, errors, 422)
    except StaleEditError:
        return _confirm(request, patient_id, values, {}, 409, STALE)
    except NotFoundError:
        return _confirm(request, patient_id, values, {}, 404, GONE)
    if model.kind == "patient":
        return RedirectResponse("/patients?saved=retracted", status_code=303)
    return saved_redirect(patient_id, "retracted", SECTIONS.get(model.kind, "top"))


def _record_words(kind: str, key: Sequence[object]) -> str:
    """The record in the clinic's words, as the audit page names it ('Lab: creatine kinase
    (CK) 2024-03-01')."""
    record = KEY_SEPARATOR.join("" if part is None else str(part) for part in key)
    return record_words(kind, record)


def _retracted_page(
    request: Request, errors: dict[str, str] | None = None, status: int = 200, saved: bool = False
) -> Response:
    with db(request) as session:
        rows = corrections.retracted(session)
    return render(
        request,
        "retracted.html",
        {
            "rows": rows,
            "errors": errors or {},
            "saved": saved,
            "kind_words": corrections.KIND_WORDS,
            "summarise": value_text.summarise,
            "record_words": _record_words,
        },
        status_code=status,
    )


@router.get("/retracted")
def retracted_page(request: Request, _: Admin, restored: str = "") -> Response:
    """Retracted records, newest first, each with a restore button (admins)."""
    return _retracted_page(request, saved=restored == "1")


@router.post("/retracted/restore")
async def restore_submit(request: Request, principal: Admin) -> Response:
    form = await request.form()
    _, data = _retraction_data(form)
    try:
        model = formdata.build(corrections.Retraction, data)

        def run() -> None:
            with db(request) as session:
                corrections.restore(session, principal, model)

        await run_in_threadpool(run)
    except FormErrors as exc:
        errors = {k.split(".")[0]: v for k, v in exc.errors.items()}
        if "reason" in errors:
            errors["reason"] = "Give the reason for restoring (it goes into the audit log)."
        return _retracted_page(request, errors, 422)
    except (StaleEditError, NotFoundError, DuplicateError) as exc:
        return _retracted_page(request, {"form": f"Not restored: {exc}."}, 409)
    return RedirectResponse("/retracted?restored=1", status_code=303)
