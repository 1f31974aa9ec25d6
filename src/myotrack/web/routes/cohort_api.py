"""The cohort in the JSON API: the case-series report and importing a cohort."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from myotrack.web import reports, schemas, services
from myotrack.web.policy import Principal
from myotrack.web.routes.api_shared import ERRORS, IMPORT, READ, api_router
from myotrack.web.routes.cohort_pages import import_zip, read_upload
from myotrack.web.schemas import Problem

router = api_router()


@router.get("/report", tags=["report"], responses=ERRORS)
async def api_report(
    request: Request, principal: Annotated[Principal, Depends(READ)]
) -> dict[str, Any]:
    """The case-series report (JSON, see docs/case-series-report.md) of the patients you
    may see (de-identified for researchers; 503 while too many reports are computed)."""
    import json

    data: dict[str, Any] = json.loads(await reports.report_bytes(request, principal, "json"))
    return data


@router.post(
    "/cohort/import",
    response_model=schemas.ImportResult,
    tags=["cohort"],
    responses={**ERRORS, 422: {"model": Problem}},
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file"],
                        "properties": {
                            "file": {"type": "string", "format": "binary"},
                            "format": {"type": "string", "enum": ["", "folder", "fhir", "redcap"]},
                        },
                    }
                }
            },
            "required": True,
        }
    },
)
async def api_import(
    request: Request, principal: Annotated[Principal, Depends(IMPORT)]
) -> schemas.ImportResult:
    """Upload a cohort (field `file`) in any import format: a zip of a cohort folder, of
    FHIR NDJSON files or of REDCap files, a FHIR Bundle (.json), an NDJSON file or a
    REDCap records file (.csv); field `format` (folder, fhir, redcap) names it, else it is
    recognised. Checked like `myotrack import`: all or nothing, every problem located."""
    filename, data, fmt = await read_upload(request)
    issues, summary = await run_in_threadpool(import_zip, request, principal, filename, data, fmt)
    return schemas.ImportResult(
        stored=not issues, issues=services.issues_out(issues), summary=summary
    )
