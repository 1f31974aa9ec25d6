"""The lab-result form: enter a result, or (`?on=DATE&analyte=X`) correct one, also its
date or analyte, or retract it."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from starlette.requests import Request

from myotrack import registry
from myotrack.domain import LabResult, vocab
from myotrack.domain import units as unit_table
from myotrack.web import corrections, formdata, schemas, services
from myotrack.web.deps import Requires, db
from myotrack.web.policy import Access, Principal
from myotrack.web.routes.entry_forms import entry_form, save_entry, today

router = APIRouter(include_in_schema=False)
Writer = Annotated[Principal, Depends(Requires(Access.WRITE_PATIENTS))]

FIELDS = ("date", "analyte", "value", "unit", "result", "ref_low", "ref_high", "reason")


def lab_form(
    request: Request,
    patient_id: str,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
    message: str | None = None,
) -> Response:
    # Each unit once (aliases such as µ/μ are accepted when typed or imported).
    units = {a: list(unit_table.unit_choices(a)) for a in vocab.QUANTITATIVE_ANALYTES}
    return entry_form(
        request,
        "lab_form.html",
        patient_id,
        values,
        errors,
        status,
        message,
        units=units,
        units_json=json.dumps(units),
    )


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def lab_values(lab: LabResult, version: int | None) -> dict[str, Any]:
    """Form values of a stored result: as the laboratory reported it, when converted."""
    r = lab.reported
    return {
        "date": lab.date.isoformat(),
        "analyte": lab.analyte,
        "value": _num(r.value if r else lab.value),
        "unit": (r.unit if r else lab.unit) or "",
        "result": lab.result or "",
        "ref_low": _num(r.ref_low if r else lab.ref_low),
        "ref_high": _num(r.ref_high if r else lab.ref_high),
        "original_date": lab.date.isoformat(),
        "original_analyte": lab.analyte,
        "expected_version": version,
        "editing": True,
    }


@router.get("/patients/{patient_id}/lab")
def lab_page(
    request: Request, patient_id: str, _: Writer, on: str = "", analyte: str = ""
) -> Response:
    """A new result, or the stored one of `analyte` on `on` to correct or retract."""
    if on and analyte:
        with db(request) as session:
            record = registry.load_record(session, patient_id)
            versions = registry.row_versions(session, patient_id)
        assert record is not None  # Requires checked it exists and is visible
        lab = next(
            (x for x in record.labs if x.date.isoformat() == on and x.analyte == analyte), None
        )
        if lab is not None:
            version = services.version_of(versions, "lab", (patient_id, lab.date, lab.analyte))
            return lab_form(request, patient_id, lab_values(lab, version), {})
    return lab_form(request, patient_id, {"date": today().isoformat()}, {})


@router.post("/patients/{patient_id}/lab")
async def lab_submit(request: Request, patient_id: str, principal: Writer) -> Response:
    form = await request.form()
    values: dict[str, Any] = {k: formdata.text(form, k) for k in FIELDS}
    data: dict[str, Any] = {k: v for k, v in values.items() if v}
    if data.get("analyte") in vocab.QUALITATIVE_ANALYTES:
        data.pop("unit", None)
    else:
        data.pop("result", None)
    data["expected_version"] = formdata.version(form)
    values["confirm_implausible"] = formdata.text(form, "confirm_implausible")  # the checkbox
    data["confirm_implausible"] = values["confirm_implausible"] == "yes"
    editing = formdata.text(form, "original_date")
    if editing:
        values.update(
            original_date=editing,
            original_analyte=formdata.text(form, "original_analyte"),
            expected_version=data["expected_version"],
            editing=True,
        )
        data.update(original_date=editing, original_analyte=values["original_analyte"])
        return await save_entry(
            request,
            patient_id,
            principal,
            values,
            data,
            form_of=lab_form,
            model_type=corrections.LabEdit,
            save=corrections.edit_lab,
            duplicate=("analyte", "This analyte is already recorded on that date."),
            kind="lab",
            section="labs",
        )
    return await save_entry(
        request,
        patient_id,
        principal,
        values,
        data,
        form_of=lab_form,
        model_type=schemas.LabIn,
        save=services.save_lab,
        duplicate=("analyte", "This analyte is already recorded on that date."),
        kind="lab",
        section="labs",
    )
