"""Visits in the JSON API: saving one, instruments item by item."""

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
    "/patients/{patient_id}/visits",
    response_model=schemas.Saved,
    tags=["entry"],
    responses=WRITE_ERRORS,
)
def api_visit(
    request: Request,
    patient_id: str,
    body: schemas.VisitIn,
    principal: Annotated[Principal, Depends(WRITE)],
) -> schemas.Saved:
    """Save a visit (new, or an edit with `expected_version`); instruments item by item."""
    with db(request) as session:
        return services.save_visit(session, principal, patient_id, body)
