"""Drug courses in the JSON API: starting one, changing its dose or stopping it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from starlette.requests import Request

from myotrack.web import schemas, services
from myotrack.web.deps import db
from myotrack.web.policy import Principal
from myotrack.web.routes.api_shared import WRITE, WRITE_ERRORS, api_router

router = api_router()


@router.post(
    "/patients/{patient_id}/courses",
    response_model=schemas.Saved,
    tags=["entry"],
    responses=WRITE_ERRORS,
)
def api_course(
    request: Request,
    patient_id: str,
    body: schemas.CourseIn,
    principal: Annotated[Principal, Depends(WRITE)],
) -> schemas.Saved:
    with db(request) as session:
        return services.start_course(session, principal, patient_id, body)


@router.post(
    "/patients/{patient_id}/courses/change",
    response_model=schemas.Saved,
    tags=["entry"],
    responses=WRITE_ERRORS,
)
def api_course_change(
    request: Request,
    patient_id: str,
    body: schemas.CourseChange,
    principal: Annotated[Principal, Depends(WRITE)],
) -> schemas.Saved:
    """Change the dose of a running course, or stop it with a reason."""
    with db(request) as session:
        return services.change_course(session, principal, patient_id, body)
