"""The visit form: a new visit, or (`?on=DATE`) correct one, also its date, or retract
it. Instruments are entered item by item (scored by the instrument engine)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from starlette.datastructures import FormData
from starlette.requests import Request

from myotrack import registry
from myotrack.domain import PatientRecord
from myotrack.web import corrections, formdata, schemas, services
from myotrack.web.deps import Requires, db
from myotrack.web.forms import parse_item, visit_instruments
from myotrack.web.policy import Access, Principal
from myotrack.web.routes.entry_forms import entry_form, save_entry, today

router = APIRouter(include_in_schema=False)
Writer = Annotated[Principal, Depends(Requires(Access.WRITE_PATIENTS))]

DUPLICATE = ("date", "There is already a visit on this date: open it from the patient page.")


def _yes_no(flag: bool | None) -> str:
    return "" if flag is None else ("yes" if flag else "no")


def visit_values(record: PatientRecord, on: str) -> dict[str, Any]:
    """Form values of the stored visit on `on` (empty when there is none)."""
    for visit in record.visits:
        if visit.date.isoformat() == on:
            values: dict[str, Any] = {
                "date": on,
                "weight_kg": visit.weight_kg,
                "height_cm": visit.height_cm,
                "rash": _yes_no(visit.rash),
                "weakness": _yes_no(visit.weakness),
                "original_date": on,
                "editing": on,
            }
            scored = {a.instrument for a in record.assessments if a.date == visit.date}
            from_items = {
                c for d in visit_instruments() if d.name in scored for c in d.visit_columns()
            }
            for column in services.MEASURE_COLUMNS:
                value = visit.measure(column)
                # a total computed from stored items is not shown as a typed one (it would
                # disagree with the items as soon as one is changed: total_mismatch)
                if value is not None and not isinstance(value, bool) and column not in from_items:
                    values[f"total__{column}"] = value
            for a in record.assessments:
                if a.date == visit.date:
                    for item, value in a.items.items():
                        values[f"item__{a.instrument}__{item}"] = value
            return values
    return {}


def visit_form(
    request: Request,
    patient_id: str,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
    message: str | None = None,
) -> Response:
    errors = {k.replace(".", "__"): v for k, v in errors.items()}
    return entry_form(
        request,
        "visit_form.html",
        patient_id,
        values,
        errors,
        status,
        message,
        instruments=visit_instruments(),
        error_instruments={k.split("__")[0] for k in errors},
        plain_totals=[c for c in services.MEASURE_COLUMNS if c not in ("rash", "weakness")],
    )


@router.get("/patients/{patient_id}/visit")
def visit_page(request: Request, patient_id: str, _: Writer, on: str | None = None) -> Response:
    with db(request) as session:
        record = registry.load_record(session, patient_id)
        versions = registry.row_versions(session, patient_id)
    assert record is not None  # Requires checked it exists and is visible
    values = visit_values(record, on or "")
    if values:
        key = (patient_id, date.fromisoformat(values["date"]))
        values["expected_version"] = services.version_of(versions, "visit", key)
    else:
        values["date"] = today().isoformat()
    return visit_form(request, patient_id, values, {})


def visit_data(form: FormData) -> tuple[dict[str, Any], dict[str, Any]]:
    """The form as submitted (to show again) and as the API model's data."""
    values: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str)}
    instruments: dict[str, dict[str, float | str | None]] = {}
    totals: dict[str, float | None] = {}
    for key, raw in values.items():
        if key.startswith("item__"):
            _, name, item = key.split("__", 2)
            instruments.setdefault(name, {})[item] = parse_item(raw)
        elif key.startswith("total__") and raw.strip():
            value = parse_item(raw)
            totals[key[len("total__") :]] = value if isinstance(value, float) else None
    data: dict[str, Any] = {
        "date": formdata.text(form, "date") or None,
        "weight_kg": formdata.optional(form, "weight_kg"),
        "height_cm": formdata.optional(form, "height_cm"),
        "rash": formdata.yes_no(form, "rash"),
        "weakness": formdata.yes_no(form, "weakness"),
        "instruments": instruments,
        "totals": totals,
        "expected_version": formdata.version(form),
        "reason": formdata.text(form, "reason") or "entered in the web app",
        "confirm_implausible": formdata.text(form, "confirm_implausible") == "yes",
    }
    return values, data


@router.post("/patients/{patient_id}/visit")
async def visit_submit(request: Request, patient_id: str, principal: Writer) -> Response:
    form = await request.form()
    values, data = visit_data(form)
    original = formdata.text(form, "original_date")
    if original:
        values["editing"] = original
        values["expected_version"] = data["expected_version"]
        data["original_date"] = original
        return await save_entry(
            request,
            patient_id,
            principal,
            values,
            data,
            form_of=visit_form,
            model_type=corrections.VisitEdit,
            save=corrections.edit_visit,
            duplicate=DUPLICATE,
            kind="visit",
            section="visits",
        )
    return await save_entry(
        request,
        patient_id,
        principal,
        values,
        data,
        form_of=visit_form,
        model_type=schemas.VisitIn,
        save=services.save_visit,
        duplicate=DUPLICATE,
        kind="visit",
        section="visits",
    )
