"""The forms of the whole JDM record (cohort format version 2, issue 11): one generic,
table-driven form for every record kind (`record_form.html`, its fields from the field
table through `web.record_fields`) — a new record, or (`?key=`) the stored one to correct
or retract. Saving goes through `web.services.records` (the importer's checks, one
transaction) with the same answers as every entry form: 422 beside the field, 409 on a
duplicate or stale edit, the saved notice on the patient page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.requests import Request

from myotrack.web import formdata, record_fields, schemas
from myotrack.web.deps import Requires, db
from myotrack.web.errors import NotFound
from myotrack.web.policy import Access, Principal
from myotrack.web.routes.entry_forms import entry_form, save_entry
from myotrack.web.services import records

router = APIRouter(include_in_schema=False)
Writer = Annotated[Principal, Depends(Requires(Access.WRITE_PATIENTS))]

DUPLICATE = ("form", "This record is already recorded (same date or key): correct that one.")
SECTION = "whole-record"


def _kind(kind: str) -> str:
    if kind not in record_fields.KIND_NAMES:
        raise NotFound(f"There is no record kind {kind!r}.")
    return kind


def record_form(
    request: Request,
    patient_id: str,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
    message: str | None = None,
) -> Response:
    kind = str(values["kind"])
    return entry_form(
        request,
        "record_form.html",
        patient_id,
        values,
        errors,
        status,
        message,
        fields=record_fields.form_fields(kind),
        title=record_fields.title(kind),
        kind_words=record_fields.kind_words(kind),
    )


def _stored_values(kind: str, stored: records.StoredRecord) -> dict[str, Any]:
    spec = record_fields.kind_of(kind)
    values: dict[str, Any] = {
        c.name: record_fields.form_text(c, stored.values.get(c.name)) for c in spec.columns[1:]
    }
    return {
        **values,
        "kind": kind,
        "original_key": stored.key,
        "expected_version": stored.version,
        "editing": True,
    }


@router.get("/patients/{patient_id}/records/{kind}")
def record_page(
    request: Request, patient_id: str, kind: str, _: Writer, key: str | None = None
) -> Response:
    """A new record of `kind`, or the stored one with the natural key `key` to correct or
    retract (the background, one a patient, opens the stored one)."""
    kind = _kind(kind)
    if key is not None or kind == "patient_background":
        with db(request) as session:
            found = records.list_records(session, patient_id, kind)
        stored = next((r for r in found if key is None or r.key == key), None)
        if stored is not None:
            return record_form(request, patient_id, _stored_values(kind, stored), {})
    return record_form(request, patient_id, {"kind": kind}, {})


def _entered(form: FormData, kind: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The form's values as shown again (`values`) and as the model reads them (`data`)."""
    values: dict[str, Any] = {"kind": kind}
    data: dict[str, Any] = {}
    for field in record_fields.form_fields(kind):
        if field.widget == "checkboxes":
            picked = [v for v in form.getlist(field.name) if isinstance(v, str) and v]
            values[field.name] = picked
            if picked:
                data[field.name] = picked
            continue
        text = formdata.text(form, field.name)
        values[field.name] = text
        if text:
            data[field.name] = text
    values["reason"] = formdata.text(form, "reason")
    if values["reason"]:
        data["reason"] = values["reason"]
    return values, data


@router.post("/patients/{patient_id}/records/{kind}")
async def record_submit(
    request: Request, patient_id: str, kind: str, principal: Writer
) -> Response:
    kind = _kind(kind)
    form = await request.form()
    values, data = _entered(form, kind)
    editing = form.get("original_key")
    if isinstance(editing, str) and "expected_version" in form:
        version = formdata.version(form)
        values.update(original_key=editing, expected_version=version, editing=True)
        data.update(original_key=editing, expected_version=version)

        def correct(session: Session, who: Principal, pid: str, model: BaseModel) -> object:
            return records.edit_record(
                session,
                who,
                pid,
                kind,
                model,
                original_key=editing,
                expected_version=int(getattr(model, "expected_version")),  # noqa: B009
            )

        return await save_entry(
            request,
            patient_id,
            principal,
            values,
            data,
            form_of=record_form,
            model_type=records.edit_model(kind),
            save=correct,
            duplicate=DUPLICATE,
            kind="record",
            section=SECTION,
        )

    def add(session: Session, who: Principal, pid: str, model: BaseModel) -> object:
        return records.add_record(session, who, pid, kind, model)

    return await save_entry(
        request,
        patient_id,
        principal,
        values,
        data,
        form_of=record_form,
        model_type=schemas.RECORD_MODELS[kind],
        save=add,
        duplicate=DUPLICATE,
        kind="record",
        section=SECTION,
    )


__all__ = ["record_form", "router"]
