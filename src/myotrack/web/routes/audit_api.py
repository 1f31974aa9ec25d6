"""The audit log in the JSON API (admins)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query
from starlette.requests import Request

from myotrack import registry
from myotrack.web import schemas
from myotrack.web.deps import db
from myotrack.web.policy import Principal
from myotrack.web.routes.api_shared import ADMIN, ERRORS, api_router

router = api_router()


@router.get("/audit", response_model=list[schemas.AuditOut], tags=["admin"], responses=ERRORS)
def api_audit(
    request: Request,
    _: Annotated[Principal, Depends(ADMIN)],
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    table: Annotated[str | None, Query(max_length=40)] = None,
    patient_id: Annotated[str | None, Query(max_length=64)] = None,
) -> list[schemas.AuditOut]:
    """Who changed what and when, newest first (admins)."""
    with db(request) as session:
        entries = registry.audit_log(
            session, limit=limit, offset=offset, table=table, patient_id=patient_id
        )
    return [
        schemas.AuditOut(
            id=e.id,
            at=e.at.isoformat(),
            actor=e.actor,
            action=e.action,
            table=e.table,
            record=e.record,
            patient_id=e.patient_id,
            old=e.old,
            new=e.new,
            reason=e.reason,
        )
        for e in entries
    ]
