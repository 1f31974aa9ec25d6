"""Patients in the JSON API: the list (filtered, sorted), adding or changing one, and one patient
with the decision-support panel."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import Depends, Query
from starlette.requests import Request

from myotrack import registry
from myotrack.web import research, schemas, services
from myotrack.web.deps import db
from myotrack.web.errors import NotFound
from myotrack.web.policy import Principal
from myotrack.web.routes.api_shared import (
    ERRORS,
    PATIENT_ERRORS,
    READ,
    WRITE,
    WRITE_ERRORS,
    api_router,
)

router = api_router()


@router.get(
    "/patients", response_model=list[schemas.PatientSummary], tags=["patients"], responses=ERRORS
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
    responses=WRITE_ERRORS,
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
    responses=PATIENT_ERRORS,
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
        if not principal.deidentified:  # the whole record, as the patient page uses it
            whole = registry.load_whole_record(session, record.patient.patient_id)
            panel, _, error = services.decision_support(record, on, date.today(), whole)
        return services.detail(session, record, principal, today, panel, error)
