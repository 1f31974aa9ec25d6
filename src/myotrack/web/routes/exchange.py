"""Exports in every exchange format, on the cohort page and in the API (issue 12).

- `GET /cohort/exchange/export` and `GET /api/cohort/export`: the patients the user may
  see (`policy.site_scope`) as a zip in `format` (folder, fhir, redcap, omop), `layout`
  (fhir: bundle, ndjson, transaction) and `tier` (identified, pseudonymised,
  safe-harbor; default: the user's own tier). A tier the user's role may not export
  (`policy.may_export`) is refused (403) before anything is loaded.
- `GET /cohort/exchange/redcap-dictionary.csv` and `GET /api/cohort/redcap-dictionary`:
  the REDCap data dictionary of the myotrack project (definitions only, no patient data).

Imports in every import format are the cohort upload (`cohort_pages.cohort_upload`,
`api.api_import`), which keeps its body limit and streaming.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import FileResponse, Response
from starlette.background import BackgroundTask
from starlette.requests import Request

from myotrack import registry
from myotrack.cohort import Tier
from myotrack.exchange import FORMATS
from myotrack.web import exchange_io, research
from myotrack.web.deps import Requires, db
from myotrack.web.errors import Forbidden, Invalid
from myotrack.web.policy import (
    Access,
    Principal,
    export_tiers,
    may_export,
    site_scope,
)
from myotrack.web.schemas import Problem

router = APIRouter()

EXCHANGE = Requires(Access.EXCHANGE)
USER = Requires(Access.USER)

ExportFormat = Literal["folder", "fhir", "redcap", "omop"]
ExportLayout = Literal["folder", "bundle", "ndjson", "transaction", "csv"]

_FORMAT_HELP = "folder (cohort folder), fhir (HL7 FHIR R4), redcap, omop (OMOP CDM 5.4)"
_LAYOUT_HELP = "fhir: bundle (default), ndjson or transaction; other formats have one layout"
_TIER_HELP = "identified, pseudonymised or safe-harbor (default: the tier you see)"
_ERRORS: dict[int | str, dict[str, object]] = {
    401: {"model": Problem, "description": "not logged in"},
    403: {"model": Problem, "description": "your role may not export this tier"},
    422: {"model": Problem, "description": "a layout the format does not write"},
}


def _refusal(principal: Principal, tier: Tier) -> str:
    allowed = " or ".join(t.value for t in export_tiers(principal))
    return (
        f"Your role ({principal.role.value}) may not export the {tier.value} tier; "
        f"choose {allowed}."
    )


def export_response(
    request: Request,
    principal: Principal,
    format_name: ExportFormat,
    layout: ExportLayout | None,
    tier: Tier | None,
) -> Response:
    """The zip of the user's patients in a format and tier (see the module docstring)."""
    fmt = FORMATS[format_name]
    chosen = tier or export_tiers(principal)[0]
    if not may_export(principal, chosen):
        raise Forbidden(_refusal(principal, chosen))
    shape = layout or fmt.layouts[0]
    if shape not in fmt.layouts:
        raise Invalid(f"The {fmt.name} format writes {', '.join(fmt.layouts)}, not {shape}.")
    scope = site_scope(principal)
    with db(request) as session:
        cohort = registry.load_cohort(session, sites=sorted(scope) if scope is not None else None)
        key = research.key_of(session) if chosen is not Tier.IDENTIFIED else None
    stamp = date.today().isoformat()
    folder = f"myotrack-{fmt.name}-{chosen.value}-{stamp}"
    path = exchange_io.export_zip(
        cohort, fmt, layout=shape, tier=chosen, key=key, folder_name=folder
    )
    return FileResponse(
        path,
        media_type="application/zip",
        filename=f"{folder}.zip",
        background=BackgroundTask(path.unlink, missing_ok=True),
    )


def _dictionary() -> Response:
    from myotrack.exchange.redcap import dictionary_csv

    return Response(
        dictionary_csv(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="myotrack_redcap_dictionary.csv"'},
    )


@router.get("/cohort/exchange/export", include_in_schema=False)
def page_export(
    request: Request,
    principal: Annotated[Principal, Depends(EXCHANGE)],
    format: Annotated[ExportFormat, Query(description=_FORMAT_HELP)] = "folder",
    layout: Annotated[ExportLayout | None, Query(description=_LAYOUT_HELP)] = None,
    tier: Annotated[Tier | None, Query(description=_TIER_HELP)] = None,
) -> Response:
    return export_response(request, principal, format, layout, tier)


@router.get("/cohort/exchange/redcap-dictionary.csv", include_in_schema=False)
def page_redcap_dictionary(_: Annotated[Principal, Depends(USER)]) -> Response:
    return _dictionary()


@router.get(
    "/api/cohort/export",
    tags=["cohort"],
    responses={
        200: {"content": {"application/zip": {}}, "description": "the export, zipped"},
        **_ERRORS,
    },
    response_class=FileResponse,
)
def api_export(
    request: Request,
    principal: Annotated[Principal, Depends(EXCHANGE)],
    format: Annotated[ExportFormat, Query(description=_FORMAT_HELP)] = "folder",
    layout: Annotated[ExportLayout | None, Query(description=_LAYOUT_HELP)] = None,
    tier: Annotated[Tier | None, Query(description=_TIER_HELP)] = None,
) -> Response:
    """The patients you may see as a zip in an exchange format, at a de-identification
    tier your role may export (researchers: pseudonymised or safe-harbor)."""
    return export_response(request, principal, format, layout, tier)


@router.get(
    "/api/cohort/redcap-dictionary",
    tags=["cohort"],
    responses={200: {"content": {"text/csv": {}}, "description": "the data dictionary"}},
    response_class=Response,
)
def api_redcap_dictionary(_: Annotated[Principal, Depends(USER)]) -> Response:
    """The REDCap data dictionary of the myotrack project (upload it in REDCap to create
    the forms); definitions only, no patient data."""
    return _dictionary()
