"""The event form: record an event, or (`?on=DATE&event=X&detail=Y`) correct one, also
its date, kind or detail, or retract it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from starlette.requests import Request

from myotrack import registry
from myotrack.domain import Event
from myotrack.web import corrections, formdata, schemas, services
from myotrack.web.deps import Requires, db
from myotrack.web.policy import Access, Principal
from myotrack.web.routes.entry_forms import entry_form, save_entry, today

router = APIRouter(include_in_schema=False)
Writer = Annotated[Principal, Depends(Requires(Access.WRITE_PATIENTS))]

FIELDS = ("date", "event", "detail", "grade", "reason")
DUPLICATE = ("event", "This event is already recorded on that date.")


def event_form(
    request: Request,
    patient_id: str,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
    message: str | None = None,
) -> Response:
    return entry_form(request, "event_form.html", patient_id, values, errors, status, message)


def event_values(event: Event, version: int | None) -> dict[str, Any]:
    return {
        "date": event.date.isoformat(),
        "event": event.event,
        "detail": event.detail or "",
        "grade": "" if event.grade is None else str(event.grade),
        "original_date": event.date.isoformat(),
        "original_event": event.event,
        "original_detail": event.detail or "",
        "expected_version": version,
        "editing": True,
    }


@router.get("/patients/{patient_id}/event")
def event_page(
    request: Request,
    patient_id: str,
    _: Writer,
    on: str = "",
    event: str = "",
    detail: str = "",
) -> Response:
    """A new event, or the stored one (`on`, `event`, `detail`) to correct or retract."""
    if on and event:
        with db(request) as session:
            record = registry.load_record(session, patient_id)
            versions = registry.row_versions(session, patient_id)
        assert record is not None  # Requires checked it exists and is visible
        stored = next(
            (
                e
                for e in record.events
                if e.date.isoformat() == on and e.event == event and (e.detail or "") == detail
            ),
            None,
        )
        if stored is not None:
            key = (patient_id, stored.date, stored.event, stored.detail)
            version = services.version_of(versions, "event", key)
            return event_form(request, patient_id, event_values(stored, version), {})
    return event_form(request, patient_id, {"date": today().isoformat()}, {})


@router.post("/patients/{patient_id}/event")
async def event_submit(request: Request, patient_id: str, principal: Writer) -> Response:
    form = await request.form()
    values: dict[str, Any] = {k: formdata.text(form, k) for k in FIELDS}
    data: dict[str, Any] = {k: v for k, v in values.items() if v}
    editing = formdata.text(form, "original_date")
    if editing:
        values.update(
            original_date=editing,
            original_event=formdata.text(form, "original_event"),
            original_detail=formdata.text(form, "original_detail"),
            expected_version=formdata.version(form),
            editing=True,
        )
        data.update(
            original_date=editing,
            original_event=values["original_event"],
            original_detail=values["original_detail"] or None,
            expected_version=values["expected_version"],
        )
        return await save_entry(
            request,
            patient_id,
            principal,
            values,
            data,
            form_of=event_form,
            model_type=corrections.EventEdit,
            save=corrections.edit_event,
            duplicate=DUPLICATE,
            kind="event",
            section="events",
        )
    return await save_entry(
        request,
        patient_id,
        principal,
        values,
        data,
        form_of=event_form,
        model_type=schemas.EventIn,
        save=services.add_event,
        duplicate=DUPLICATE,
        kind="event",
        section="events",
    )
