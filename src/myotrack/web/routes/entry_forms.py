"""What every data-entry page shares: the vocabularies a form offers, rendering a form
with its values and the messages beside its fields, and saving one record in one
transaction with the registry's refusals shown where the user looks.

A form that is not saved comes back with status 422 (a field is wrong: the message is
beside it and in a summary at the top that links to it), 409 (the record exists, or
someone else changed it first) or 404 (it was retracted meanwhile). A saved form
redirects to the patient page, which says what was saved (`?saved=<kind>`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from myotrack.domain import vocab
from myotrack.registry import DuplicateError, StaleEditError
from myotrack.web import formdata
from myotrack.web.deps import db
from myotrack.web.errors import NotFound
from myotrack.web.policy import Principal
from myotrack.web.services import FormErrors
from myotrack.web.templating import render

M = TypeVar("M", bound=BaseModel)
FormOf = Callable[[Request, str, dict[str, Any], dict[str, str], int], Response]

STALE = (
    "Not saved: someone else changed this record after you opened the form. Open the "
    "patient page to see their version, then enter your changes again."
)
GONE = (
    "Not saved: this record is no longer there (someone retracted or changed it). Open "
    "the patient page to see what is recorded now."
)

# What the patient page says after a save (?saved=<kind>); never text from the request.
SAVED_MESSAGES: dict[str, str] = {
    "patient": "Patient saved.",
    "visit": "Visit saved.",
    "lab": "Lab result saved.",
    "course": "Drug course saved.",
    "event": "Event saved.",
    "record": "Record saved.",
    "retracted": "Record retracted. It no longer counts anywhere; the audit log keeps it.",
}


def today() -> date:
    return date.today()


def vocab_context() -> dict[str, Any]:
    """The vocabularies the forms and pages offer (labels come from domain.labels)."""
    return {
        "SEXES": vocab.SEXES,
        "DIAGNOSES": vocab.DIAGNOSES,
        "BOHAN_PETER": vocab.BOHAN_PETER,
        "ANTIBODIES": vocab.ANTIBODIES,
        "REFRACTORY": vocab.REFRACTORY,
        "FEATURES": vocab.FEATURES,
        "KNOWN_DRUGS": vocab.KNOWN_DRUGS,
        "JAK_INHIBITORS": vocab.JAK_INHIBITORS,
        "DOSE_UNITS": vocab.DOSE_UNITS,
        "FREQUENCIES": vocab.FREQUENCIES,
        "ROUTES": vocab.ROUTES,
        "STOP_REASONS": vocab.STOP_REASONS,
        "EVENTS": vocab.EVENTS,
        "QUANTITATIVE_ANALYTES": vocab.QUANTITATIVE_ANALYTES,
        "QUALITATIVE_ANALYTES": vocab.QUALITATIVE_ANALYTES,
        "QUALITATIVE_RESULTS": vocab.QUALITATIVE_RESULTS,
    }


def entry_form(
    request: Request,
    template: str,
    patient_id: str,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
    message: str | None = None,
    **context: Any,
) -> Response:
    """One data-entry form with its values, the messages beside its fields and, when
    not saved, a message at the top."""
    return render(
        request,
        template,
        {
            "patient_id": patient_id,
            "values": values,
            "errors": errors,
            "message": message,
            "vocab": vocab_context(),
            **context,
        },
        status_code=status,
    )


def saved_redirect(patient_id: str, kind: str, section: str) -> RedirectResponse:
    return RedirectResponse(f"/patients/{patient_id}?saved={kind}#{section}", status_code=303)


async def save_entry(
    request: Request,
    patient_id: str,
    principal: Principal,
    values: dict[str, Any],
    data: dict[str, Any],
    *,
    form_of: Callable[..., Response],
    model_type: type[M],
    save: Callable[[Session, Principal, str, M], object],
    duplicate: tuple[str, str],
    kind: str,
    section: str,
) -> Response:
    """Save one record (new or an edit) in one transaction; on a problem, show the form
    again with the message beside the field (422), the duplicate's message (409), a
    stale edit (409) or a record that is gone (404)."""
    try:
        model = formdata.build(model_type, data)

        def run() -> None:
            with db(request) as session:
                save(session, principal, patient_id, model)

        await run_in_threadpool(run)
    except FormErrors as exc:
        return form_of(request, patient_id, values, exc.errors, 422)
    except DuplicateError as exc:
        field, message = duplicate
        return form_of(request, patient_id, values, {field: message}, 409, f"Not saved: {exc}.")
    except StaleEditError:
        return form_of(request, patient_id, values, {}, 409, STALE)
    except NotFound:
        return form_of(request, patient_id, values, {}, 404, GONE)
    return saved_redirect(patient_id, kind, section)


__all__ = [
    "GONE",
    "SAVED_MESSAGES",
    "STALE",
    "entry_form",
    "save_entry",
    "saved_redirect",
    "today",
    "vocab_context",
]
