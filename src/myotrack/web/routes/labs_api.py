"""Laboratory results in the JSON API."""

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
    "/patients/{patient_id}/labs",
    response_model=schemas.Saved,
    tags=["entry"],
    responses=WRITE_ERRORS,
)
def api_lab(
    request: Request,
    patient_id: str,
    body: schemas.LabIn,
    principal: Annotated[Principal, Depends(WRITE)],
) -> schemas.Saved:
    with db(request) as session:
        return services.save_lab(session, principal, patient_id, body)
