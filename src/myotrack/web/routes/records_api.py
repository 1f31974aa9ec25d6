"""The JSON API of the whole JDM record (cohort format version 2, issue 11): list a
patient's investigations, organ involvement, background, antibody tests, family history,
treatment courses known to the month or year (and courses' detail), vaccinations,
pregnancy tests, decisions and version 2 events; add one; correct one. Retract and restore
them like every record (`POST /api/patients/{patient_id}/retract`, `POST /api/restore`)
with `kind` = the record kind and `key` = [patient_id, key].

The body of each kind is its model in `web.schemas.RECORD_MODELS` (one field per column of
the field table, with the same rules and rule names as the cohort importer; dates known to
the month or year as `YYYY`, `YYYY-MM` or `YYYY-MM-DD`); its JSON schema is in the
description of each operation's request body. The same service functions as the pages
(`web.services.records`)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Query
from pydantic import BaseModel
from starlette.requests import Request

from myotrack import registry
from myotrack.domain import PartialDate
from myotrack.web import record_fields, research, schemas
from myotrack.web.deps import Requires, db
from myotrack.web.policy import Access, Principal
from myotrack.web.schemas import Problem
from myotrack.web.services import records

router = APIRouter(prefix="/api", tags=["whole record"])

Reader = Annotated[Principal, Depends(Requires(Access.READ_PATIENTS))]
Writer = Annotated[Principal, Depends(Requires(Access.WRITE_PATIENTS))]
KindName = Literal[record_fields.KIND_NAMES]  # type: ignore[valid-type]

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "the body could not be read (not JSON)"},
    401: {"model": Problem, "description": "not logged in"},
    403: {"model": Problem, "description": "role does not allow it, or CSRF token missing"},
    404: {"model": Problem, "description": "no such patient or record that you can see"},
    409: {"model": Problem, "description": "the record exists already, or a stale edit"},
    422: {"model": Problem, "description": "invalid values, field by field, with the rule"},
}


class RecordOut(BaseModel):
    kind: str
    key: str
    values: dict[str, Any]
    version: int | None


def jsonable(value: Any) -> Any:
    """A stored value as JSON: dates as ISO text at their precision, choices as a list."""
    if isinstance(value, PartialDate):
        return value.iso()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _out(stored: list[records.StoredRecord]) -> list[RecordOut]:
    return [
        RecordOut(
            kind=r.kind,
            key=r.key,
            values={k: jsonable(v) for k, v in r.values.items()},
            version=r.version,
        )
        for r in stored
    ]


_BODY_HELP = "The record's values: the model " + ", ".join(
    f"{kind} -> {model.__name__}" for kind, model in schemas.RECORD_MODELS.items()
)


@router.get("/patients/{patient_id}/records", response_model=list[RecordOut], responses=_ERRORS)
def api_records(
    request: Request,
    patient_id: str,
    principal: Reader,
    kind: Annotated[KindName | None, Query(description="only this record kind")] = None,
) -> list[RecordOut]:
    """The patient's version 2 records, de-identified for researchers (pseudonym, moved
    dates at their precision, no free text, no versions)."""
    with db(request) as session:
        pid = research.path_patient_id(request, patient_id)
        if not principal.deidentified:
            return _out(records.list_records(session, pid, kind))
        cohort = registry.load_cohort(session, patient_ids=[pid])
        record = cohort.records()[pid]
        _, rows = research.shown_whole(
            session, principal, record, records.patient_rows(cohort, pid)
        )
    return _out(records.stored_records(rows, {}, kind))


@router.post(
    "/patients/{patient_id}/records/{kind}",
    response_model=schemas.Saved,
    status_code=201,
    responses=_ERRORS,
)
def api_add_record(
    request: Request,
    patient_id: str,
    kind: KindName,
    principal: Writer,
    body: Annotated[dict[str, Any], Body(description=_BODY_HELP)],
) -> schemas.Saved:
    """Add one record of `kind`, checked as the cohort importer checks its row (409 when
    its natural key is taken)."""
    data = records.parse_record(kind, body)
    with db(request) as session:
        return records.add_record(session, principal, patient_id, kind, data)


@router.put(
    "/patients/{patient_id}/records/{kind}", response_model=schemas.Saved, responses=_ERRORS
)
def api_edit_record(
    request: Request,
    patient_id: str,
    kind: KindName,
    principal: Writer,
    body: Annotated[
        dict[str, Any], Body(description=_BODY_HELP + "; plus original_key and expected_version")
    ],
) -> schemas.Saved:
    """Correct the record of `kind` whose key is `original_key` (also its date or other key
    parts), as it should be; `expected_version` is the version you saw."""
    data = records.parse_record(kind, body, edit=True)
    with db(request) as session:
        return records.edit_record(
            session,
            principal,
            patient_id,
            kind,
            data,
            original_key=str(getattr(data, "original_key")),  # noqa: B009
            expected_version=int(getattr(data, "expected_version")),  # noqa: B009
        )
