"""The JSON API of corrections: edit any record (also its date or other key), retract one
with a reason, and (admins) list and restore retracted records. The same service
functions as the pages (`myotrack.web.corrections`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from starlette.requests import Request

from myotrack.web import corrections, schemas
from myotrack.web.deps import Requires, db
from myotrack.web.policy import Access, Principal
from myotrack.web.schemas import Problem

router = APIRouter(prefix="/api", tags=["corrections"])

Writer = Annotated[Principal, Depends(Requires(Access.WRITE_PATIENTS))]
Admin = Annotated[Principal, Depends(Requires(Access.ADMIN))]

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "the body could not be read (not JSON)"},
    401: {"model": Problem, "description": "not logged in"},
    403: {"model": Problem, "description": "role does not allow it, or CSRF token missing"},
    404: {"model": Problem, "description": "no such patient or record that you can see"},
    409: {
        "model": Problem,
        "description": "stale edit (someone saved first) or the new key is taken",
    },
    422: {"model": Problem, "description": "invalid values, field by field"},
}


@router.put("/patients/{patient_id}/visits", response_model=schemas.Saved, responses=_ERRORS)
def api_edit_visit(
    request: Request, patient_id: str, body: corrections.VisitEdit, principal: Writer
) -> schemas.Saved:
    """Correct the visit on `original_date` (a different `date` moves it, with its
    item-level scores)."""
    with db(request) as session:
        return corrections.edit_visit(session, principal, patient_id, body)


@router.put("/patients/{patient_id}/labs", response_model=schemas.Saved, responses=_ERRORS)
def api_edit_lab(
    request: Request, patient_id: str, body: corrections.LabEdit, principal: Writer
) -> schemas.Saved:
    """Correct the result of `original_analyte` on `original_date` (also its date or
    analyte)."""
    with db(request) as session:
        return corrections.edit_lab(session, principal, patient_id, body)


@router.put("/patients/{patient_id}/courses", response_model=schemas.Saved, responses=_ERRORS)
def api_edit_course(
    request: Request, patient_id: str, body: corrections.CourseEdit, principal: Writer
) -> schemas.Saved:
    """Correct the course of `original_drug` starting `original_start_date` (also its
    drug, start, end and stop reason)."""
    with db(request) as session:
        return corrections.edit_course(session, principal, patient_id, body)


@router.put("/patients/{patient_id}/events", response_model=schemas.Saved, responses=_ERRORS)
def api_edit_event(
    request: Request, patient_id: str, body: corrections.EventEdit, principal: Writer
) -> schemas.Saved:
    """Correct the event named by `original_date`, `original_event`, `original_detail`."""
    with db(request) as session:
        return corrections.edit_event(session, principal, patient_id, body)


@router.post("/patients/{patient_id}/retract", response_model=schemas.Saved, responses=_ERRORS)
def api_retract(
    request: Request, patient_id: str, body: corrections.Retraction, principal: Writer
) -> schemas.Saved:
    """Retract one record (kind and key as `Saved` gives them) with a reason: it leaves
    every view, the decision support, reports and exports; the audit log keeps it."""
    with db(request) as session:
        return corrections.retract(session, principal, patient_id, body)


@router.get("/retracted", response_model=list[corrections.RetractedOut], responses=_ERRORS)
def api_retracted(
    request: Request,
    _: Admin,
    patient_id: Annotated[str | None, Query(max_length=64)] = None,
) -> list[corrections.RetractedOut]:
    """Retracted records, most recently retracted first (admins)."""
    with db(request) as session:
        return corrections.retracted(session, patient_id=patient_id)


@router.post("/restore", response_model=schemas.Saved, responses=_ERRORS)
def api_restore(request: Request, body: corrections.Retraction, principal: Admin) -> schemas.Saved:
    """Bring back a retracted record (admins), with a reason."""
    with db(request) as session:
        return corrections.restore(session, principal, body)
