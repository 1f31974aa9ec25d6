"""The JSON API under /api/: everything the pages do, with the same access rules."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from myotrack import registry
from myotrack.instruments import INSTRUMENTS, score
from myotrack.web import reports, research, schemas, services
from myotrack.web.deps import Requires, db
from myotrack.web.errors import NotFound
from myotrack.web.forms import item_errors, visit_instruments
from myotrack.web.policy import Access, Principal
from myotrack.web.routes.cohort_pages import import_zip, read_upload
from myotrack.web.schemas import Problem

# Every operation documents its errors with the Problem shape (also 422: the app's
# validation-error handler answers {"detail", "errors"} rather than FastAPI's default).
router = APIRouter(
    prefix="/api",
    responses={
        400: {"model": Problem, "description": "the body could not be read (not JSON / form)"},
        422: {"model": Problem, "description": "invalid values, field by field"},
    },
)

USER = Requires(Access.USER)
READ = Requires(Access.READ_PATIENTS)
WRITE = Requires(Access.WRITE_PATIENTS)
IMPORT = Requires(Access.IMPORT)
ADMIN = Requires(Access.ADMIN)

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "not logged in"},
    403: {"model": Problem, "description": "role does not allow it, or CSRF token missing"},
}
_PATIENT_ERRORS: dict[int | str, dict[str, Any]] = {
    **_ERRORS,
    404: {"model": Problem, "description": "no such patient that you can see"},
}
_WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **_PATIENT_ERRORS,
    409: {"model": Problem, "description": "stale edit or duplicate: someone saved first"},
    422: {"model": Problem, "description": "invalid values, field by field"},
}


@router.get(
    "/patients", response_model=list[schemas.PatientSummary], tags=["patients"], responses=_ERRORS
)
def api_patients(
    request: Request,
    principal: Annotated[Principal, Depends(READ)],
    q: Annotated[str, Query(max_length=64, description="pseudonym contains")] = "",
    diagnosis: Annotated[str, Query(max_length=20)] = "",
    antibody: Annotated[str, Query(max_length=20)] = "",
    jak: Annotated[str, Query(max_length=40, description="'any', 'none' or a drug")] = "",
    site: Annotated[str, Query(max_length=100)] = "",
    sort: Literal[
        "patient_id", "site", "diagnosis", "age_years", "index_date", "n_visits", "last_visit_day"
    ] = "patient_id",
    order: Literal["asc", "desc"] = "asc",
) -> list[schemas.PatientSummary]:
    """The patients you may see, filtered and sorted."""
    flt = services.PatientFilter(
        search=q,
        diagnosis=diagnosis,
        antibody=antibody,
        jak=jak,
        site=site,
        sort=sort,
        descending=order == "desc",
    )
    with db(request) as session:
        return services.list_patients(session, principal, flt, date.today())


@router.post(
    "/patients",
    response_model=schemas.Saved,
    status_code=201,
    tags=["patients"],
    responses=_WRITE_ERRORS,
)
def api_new_patient(
    request: Request, body: schemas.PatientIn, principal: Annotated[Principal, Depends(WRITE)]
) -> schemas.Saved:
    """Add a patient (a clinician's patients get the clinician's site); with
    `expected_version`, change an existing one."""
    with db(request) as session:
        version = services.create_patient(session, principal, body)
    return schemas.Saved(kind="patient", key=[body.patient_id], version=version)


@router.get(
    "/patients/{patient_id}",
    response_model=schemas.PatientDetail,
    tags=["patients"],
    responses=_PATIENT_ERRORS,
)
def api_patient(
    request: Request,
    patient_id: str,
    principal: Annotated[Principal, Depends(READ)],
    on: Annotated[
        schemas.IsoDate | None,
        Query(description="date of the decision-support panel (default today)"),
    ] = None,
) -> schemas.PatientDetail:
    """One patient with visits, labs, courses, events, item-level assessments and the
    decision-support panel (de-identified for researchers)."""
    today = on or date.today()
    with db(request) as session:
        record = registry.load_record(session, research.path_patient_id(request, patient_id))
        if record is None:
            raise NotFound(f"There is no patient {patient_id!r} that you can see.")
        panel, error = None, None
        if not principal.deidentified:
            panel, _, error = services.decision_support(record, on, date.today())
        return services.detail(session, record, principal, today, panel, error)


@router.post(
    "/patients/{patient_id}/visits",
    response_model=schemas.Saved,
    tags=["entry"],
    responses=_WRITE_ERRORS,
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


@router.post(
    "/patients/{patient_id}/labs",
    response_model=schemas.Saved,
    tags=["entry"],
    responses=_WRITE_ERRORS,
)
def api_lab(
    request: Request,
    patient_id: str,
    body: schemas.LabIn,
    principal: Annotated[Principal, Depends(WRITE)],
) -> schemas.Saved:
    with db(request) as session:
        return services.save_lab(session, principal, patient_id, body)


@router.post(
    "/patients/{patient_id}/courses",
    response_model=schemas.Saved,
    tags=["entry"],
    responses=_WRITE_ERRORS,
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
    responses=_WRITE_ERRORS,
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


@router.post(
    "/patients/{patient_id}/events",
    response_model=schemas.Saved,
    tags=["entry"],
    responses=_WRITE_ERRORS,
)
def api_event(
    request: Request,
    patient_id: str,
    body: schemas.EventIn,
    principal: Annotated[Principal, Depends(WRITE)],
) -> schemas.Saved:
    with db(request) as session:
        return services.add_event(session, principal, patient_id, body)


@router.get(
    "/instruments",
    response_model=list[schemas.InstrumentOut],
    tags=["instruments"],
    responses=_ERRORS,
)
def api_instruments(_: Annotated[Principal, Depends(USER)]) -> list[schemas.InstrumentOut]:
    """The instruments of the visit form, item by item."""
    return [
        schemas.InstrumentOut(
            name=d.name,
            title=d.title,
            version=d.version,
            source=d.source,
            total_min=d.total_min,
            total_max=d.total_max,
            visit_column=d.visit_column,
            items=[
                schemas.InstrumentItemOut(
                    id=i.id,
                    label=i.label,
                    min=i.min,
                    max=i.max,
                    step=i.step,
                    choices=[list(c) for c in i.choices] or None,
                    section=i.section,
                    help=i.help,
                )
                for i in d.items
            ],
        )
        for d in visit_instruments()
    ]


@router.post(
    "/instruments/{name}/score",
    response_model=schemas.ScoreResponse,
    tags=["instruments"],
    responses={**_ERRORS, 404: {"model": Problem}},
)
def api_score(
    name: str, body: schemas.ScoreRequest, _: Annotated[Principal, Depends(USER)]
) -> schemas.ScoreResponse:
    """Score items as they are entered: the total so far and a message per bad item."""
    if name not in INSTRUMENTS:
        raise NotFound(f"There is no instrument {name!r}.")
    given = {k: v for k, v in body.items.items() if v is not None}
    errors = [
        schemas.FieldError(field=err.field, message=err.message) for err in item_errors(name, given)
    ]
    if errors:
        return schemas.ScoreResponse(
            instrument=name, total=None, complete=False, result=None, errors=errors
        )
    result = score(name, given)
    return schemas.ScoreResponse(
        instrument=name,
        total=result.total,
        complete=not result.missing,
        result=result.to_dict(),
        errors=[],
    )


@router.get("/report", tags=["report"], responses=_ERRORS)
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
    responses={**_ERRORS, 422: {"model": Problem}},
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


@router.get("/audit", response_model=list[schemas.AuditOut], tags=["admin"], responses=_ERRORS)
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
