"""Pages: the patient list, the patient page and the data-entry forms."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request

from myotrack import registry
from myotrack.domain import units as unit_table
from myotrack.domain import vocab
from myotrack.registry.errors import DuplicateError, StaleEditError
from myotrack.web import formdata, research, schemas, services, timeline
from myotrack.web.deps import Requires, db
from myotrack.web.errors import PSEUDONYM_TAKEN
from myotrack.web.forms import parse_item, visit_instruments
from myotrack.web.policy import Access, Principal, Role
from myotrack.web.services import FormErrors, PatientFilter
from myotrack.web.templating import render

M = TypeVar("M", bound=BaseModel)

router = APIRouter(include_in_schema=False)

READ = Requires(Access.READ_PATIENTS)
WRITE = Requires(Access.WRITE_PATIENTS)

Reader = Annotated[Principal, Depends(READ)]
Writer = Annotated[Principal, Depends(WRITE)]


MEASURE_LABELS = {
    "cmas": "CMAS",
    "mmt8": "MMT8",
    "catbm_activity": "CAT-BM act",
    "catbm_damage": "CAT-BM dam",
    "cdasi_activity": "CDASI act",
    "cdasi_damage": "CDASI dam",
    "das_skin": "DAS skin",
    "das_muscle": "DAS muscle",
    "phga": "PhGA",
    "parent_global": "Parent global",
    "chaq": "CHAQ",
}


def _today() -> date:
    return date.today()


def _vocab() -> dict[str, Any]:
    return {
        "SEXES": vocab.SEXES,
        "DIAGNOSES": vocab.DIAGNOSES,
        "BOHAN_PETER": vocab.BOHAN_PETER,
        "ANTIBODIES": vocab.ANTIBODIES,
        "REFRACTORY": vocab.REFRACTORY,
        "FEATURES": vocab.FEATURES,
        "KNOWN_DRUGS": vocab.KNOWN_DRUGS,
        "JAK_INHIBITORS": vocab.JAK_INHIBITORS,
        "DOSE_UNITS": vocab.DOSE_UNITS,
        "FREQUENCIES": vocab.FREQUENCIES,
        "ROUTES": vocab.ROUTES,
        "STOP_REASONS": vocab.STOP_REASONS,
        "EVENTS": vocab.EVENTS,
        "QUANTITATIVE_ANALYTES": vocab.QUANTITATIVE_ANALYTES,
        "QUALITATIVE_ANALYTES": vocab.QUALITATIVE_ANALYTES,
        "QUALITATIVE_RESULTS": vocab.QUALITATIVE_RESULTS,
    }


# ------------------------------------------------------------------ list


@router.get("/patients")
def patient_list(
    request: Request,
    principal: Reader,
    q: str = "",
    diagnosis: str = "",
    antibody: str = "",
    jak: str = "",
    site: str = "",
    sort: str = "patient_id",
    order: str = "asc",
) -> Response:
    flt = PatientFilter(
        search=q[:64],
        diagnosis=diagnosis,
        antibody=antibody,
        jak=jak,
        site=site,
        sort=sort,
        descending=order == "desc",
    )
    with db(request) as session:
        rows = services.list_patients(session, principal, flt, _today())
        sites = services.known_sites(session, principal)
    return render(
        request,
        "patients.html",
        {
            "rows": rows,
            "flt": flt,
            "sites": sites,
            "sort_keys": services.SORT_KEYS,
            "show_site": len(sites) > 1,
            "vocab": _vocab(),
        },
    )


# ------------------------------------------------------------------ patient page


@router.get("/patients/{patient_id}")
def patient_page(
    request: Request, patient_id: str, principal: Reader, on: schemas.IsoDate | None = None
) -> Response:
    """The patient page; `on` sets the date of the decision-support panel (default today:
    nothing recorded after it is used)."""
    today = _today()
    panel_on = on or today
    with db(request) as session:
        record = registry.load_record(session, research.path_patient_id(request, patient_id))
        assert record is not None  # Requires checked it exists and is visible
        panel, blocks, panel_error = (None, False, None)
        if not principal.deidentified:
            panel, blocks, panel_error = services.decision_support(record, panel_on)
        detail = services.detail(session, record, principal, today, panel)
    figure = timeline.figure_json(record, deidentified=principal.deidentified)
    return render(
        request,
        "patient.html",
        {
            "d": detail,
            "p": detail.patient,
            "panel": panel,
            "blocks_jak_start": blocks,
            "panel_error": panel_error,
            "figure": figure,
            "vocab": _vocab(),
            "instrument_titles": {d.name: d.title for d in visit_instruments()},
            "today": today.isoformat(),
            "panel_on": panel_on.isoformat(),
            "lab_summary": _latest_labs(detail.labs),
            "visit_columns": [
                (c, MEASURE_LABELS.get(c, c))
                for c in services.MEASURE_COLUMNS
                if any(v.measures.get(c) is not None for v in detail.visits)
            ],
        },
    )


def _latest_labs(labs: list[schemas.LabOut]) -> list[tuple[schemas.LabOut, schemas.LabOut | None]]:
    """Per analyte (in vocabulary order): the latest result and the one before it."""
    by_analyte: dict[str, list[schemas.LabOut]] = {}
    for lab in labs:  # sorted by date
        by_analyte.setdefault(lab.analyte, []).append(lab)
    order = {a: i for i, a in enumerate(vocab.ANALYTES)}
    return [
        (rows[-1], rows[-2] if len(rows) > 1 else None)
        for _, rows in sorted(by_analyte.items(), key=lambda kv: order.get(kv[0], 999))
    ]


# ------------------------------------------------------------------ new patient


def _patient_form(
    request: Request,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
    message: str | None = None,
) -> Response:
    return render(
        request,
        "patient_form.html",
        {"values": values, "errors": errors, "vocab": _vocab(), "message": message},
        status_code=status,
    )


@router.get("/patients/{patient_id}/edit")
def edit_patient_form(request: Request, patient_id: str, _: Writer) -> Response:
    with db(request) as session:
        record = registry.load_record(session, patient_id)
        versions = registry.row_versions(session, patient_id)
    assert record is not None  # Requires checked it exists and is visible
    p = record.patient
    values: dict[str, Any] = {
        "patient_id": p.patient_id,
        "sex": p.sex,
        "birth_date": p.birth_date.isoformat(),
        "diagnosis": p.diagnosis,
        "onset_date": p.onset_date.isoformat() if p.onset_date else "",
        "diagnosis_date": p.diagnosis_date.isoformat() if p.diagnosis_date else "",
        "bohan_peter": p.bohan_peter or "",
        "refractory": p.refractory or "",
        "site": p.site or "",
        "antibodies": list(p.antibodies),
        "features": list(p.features),
        "expected_version": services.version_of(versions, "patient", (patient_id,)),
        "editing": True,
    }
    return _patient_form(request, values, {})


@router.post("/patients/{patient_id}/edit")
async def edit_patient_submit(request: Request, patient_id: str, principal: Writer) -> Response:
    return await _save_patient_form(request, principal, editing=patient_id)


@router.get("/new-patient")
def new_patient_form(request: Request, principal: Writer) -> Response:
    return _patient_form(request, {"site": principal.site or ""}, {})


@router.post("/new-patient")
async def new_patient_submit(request: Request, principal: Writer) -> Response:
    return await _save_patient_form(request, principal, editing=None)


async def _save_patient_form(
    request: Request, principal: Principal, editing: str | None
) -> Response:
    form = await request.form()
    values: dict[str, Any] = {
        k: formdata.text(form, k)
        for k in (
            "patient_id",
            "sex",
            "birth_date",
            "diagnosis",
            "onset_date",
            "diagnosis_date",
            "bohan_peter",
            "refractory",
            "site",
            "reason",
        )
    }
    values["antibodies"] = [v for v in form.getlist("antibodies") if isinstance(v, str)]
    values["features"] = [v for v in form.getlist("features") if isinstance(v, str)]
    if editing is not None:
        values["patient_id"] = editing  # the pseudonym is the key: it does not change
        values["expected_version"] = formdata.version(form)
        values["editing"] = True
    data = {k: (v if v not in ("", []) else None) for k, v in values.items() if k != "editing"}
    data = {k: v for k, v in data.items() if v is not None}
    try:
        model = formdata.build(schemas.PatientIn, data)

        def save() -> None:
            with db(request) as session:
                services.create_patient(session, principal, model)

        await run_in_threadpool(save)
    except FormErrors as exc:
        return _patient_form(request, values, exc.errors, 422)
    except DuplicateError:
        return _patient_form(request, values, {"patient_id": PSEUDONYM_TAKEN}, 409)
    except StaleEditError:
        return _patient_form(
            request,
            values,
            {},
            409,
            "Not saved: someone else changed this patient after you opened "
            "the form. Open the patient page to see their version, then enter "
            "your changes again.",
        )
    return RedirectResponse(f"/patients/{model.patient_id}", status_code=303)


# ------------------------------------------------------------------ visit


def _visit_values(record: Any, on: str | None) -> tuple[dict[str, Any], str]:
    """Form values of an existing visit (edit) and its version; empty for a new visit."""
    values: dict[str, Any] = {}
    if not on:
        return values, ""
    for visit in record.visits:
        if visit.date.isoformat() == on:
            values = {
                "date": on,
                "weight_kg": visit.weight_kg,
                "height_cm": visit.height_cm,
                "rash": {True: "yes", False: "no"}.get(visit.rash, ""),
                "weakness": {True: "yes", False: "no"}.get(visit.weakness, ""),
            }
            for column in services.MEASURE_COLUMNS:
                value = visit.measure(column)
                if value is not None and not isinstance(value, bool):
                    values[f"total__{column}"] = value
            for a in record.assessments:
                if a.date == visit.date:
                    for item, value in a.items.items():
                        values[f"item__{a.instrument}__{item}"] = value
            return values, on
    return {}, ""  # no visit on that date: a new visit


def _visit_form(
    request: Request,
    patient_id: str,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
    message: str | None = None,
) -> Response:
    return render(
        request,
        "visit_form.html",
        {
            "patient_id": patient_id,
            "instruments": visit_instruments(),
            "values": values,
            "errors": errors,
            "message": message,
            "error_instruments": {k.split("__")[0] for k in errors},
            "plain_totals": [c for c in services.MEASURE_COLUMNS if c not in ("rash", "weakness")],
        },
        status_code=status,
    )


@router.get("/patients/{patient_id}/visit")
def visit_form(request: Request, patient_id: str, _: Writer, on: str | None = None) -> Response:
    with db(request) as session:
        record = registry.load_record(session, patient_id)
        versions = registry.row_versions(session, patient_id)
    values, editing = _visit_values(record, on)
    if editing:
        key = date.fromisoformat(editing)
        values["expected_version"] = services.version_of(versions, "visit", (patient_id, key))
        values["editing"] = editing
    else:
        values["date"] = _today().isoformat()
    return _visit_form(request, patient_id, values, {})


def _visit_model(form: FormData) -> tuple[dict[str, Any], dict[str, Any]]:
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
    }
    return values, data


@router.post("/patients/{patient_id}/visit")
async def visit_submit(request: Request, patient_id: str, principal: Writer) -> Response:
    form = await request.form()
    values, data = _visit_model(form)
    try:
        model = formdata.build(schemas.VisitIn, data)

        def save() -> None:
            with db(request) as session:
                services.save_visit(session, principal, patient_id, model)

        await run_in_threadpool(save)
    except FormErrors as exc:
        errors = {k.replace(".", "__"): v for k, v in exc.errors.items()}
        return _visit_form(
            request,
            patient_id,
            values,
            errors,
            422,
            "Not saved: please correct the fields marked in red.",
        )
    except StaleEditError:
        return _visit_form(
            request,
            patient_id,
            values,
            {},
            409,
            "Not saved: someone else changed this visit after you opened it. "
            "Open the patient page to see their version, then enter your "
            "changes again.",
        )
    except DuplicateError:
        return _visit_form(
            request,
            patient_id,
            values,
            {
                "date": "There is already a visit "
                "on this date: open it from the patient page to edit it."
            },
            409,
        )
    return RedirectResponse(f"/patients/{patient_id}#visits", status_code=303)


# ------------------------------------------------------------------ lab


def _entry_form(
    request: Request,
    template: str,
    patient_id: str,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
    **context: Any,
) -> Response:
    """One data-entry form (lab, course, event) with its values and errors beside fields."""
    return render(
        request,
        template,
        {
            "patient_id": patient_id,
            "values": values,
            "errors": errors,
            "vocab": _vocab(),
            **context,
        },
        status_code=status,
    )


def _lab_form(
    request: Request,
    patient_id: str,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    units = {a: list(unit_table.accepted_units(a)) for a in vocab.QUANTITATIVE_ANALYTES}
    return _entry_form(
        request,
        "lab_form.html",
        patient_id,
        values,
        errors,
        status,
        units=units,
        units_json=json.dumps(units),
    )


@router.get("/patients/{patient_id}/lab")
def lab_form(request: Request, patient_id: str, _: Writer) -> Response:
    return _lab_form(request, patient_id, {"date": _today().isoformat()}, {})


@router.post("/patients/{patient_id}/lab")
async def lab_submit(request: Request, patient_id: str, principal: Writer) -> Response:
    form = await request.form()
    values = {
        k: formdata.text(form, k)
        for k in ("date", "analyte", "value", "unit", "result", "ref_low", "ref_high", "reason")
    }
    data: dict[str, Any] = {k: v for k, v in values.items() if v}
    if data.get("analyte") in vocab.QUALITATIVE_ANALYTES:
        data.pop("unit", None)
    else:
        data.pop("result", None)
    data["expected_version"] = formdata.version(form)
    return await _save_entry(
        request,
        patient_id,
        principal,
        values,
        data,
        form_of=_lab_form,
        model_type=schemas.LabIn,
        save=services.save_lab,
        duplicate=("analyte", "This analyte is already recorded on that date."),
        section="labs",
    )


# ------------------------------------------------------------------ course


def _course_form(
    request: Request,
    patient_id: str,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    return _entry_form(request, "course_form.html", patient_id, values, errors, status)


@router.get("/patients/{patient_id}/course")
def course_form(request: Request, patient_id: str, _: Writer) -> Response:
    return _course_form(request, patient_id, {"start_date": _today().isoformat()}, {})


@router.post("/patients/{patient_id}/course")
async def course_submit(request: Request, patient_id: str, principal: Writer) -> Response:
    form = await request.form()
    values = {
        k: formdata.text(form, k)
        for k in ("drug", "start_date", "dose", "dose_unit", "frequency", "route", "reason")
    }
    values["drug"] = values["drug"].lower()
    data: dict[str, Any] = {k: v for k, v in values.items() if v}
    return await _save_entry(
        request,
        patient_id,
        principal,
        values,
        data,
        form_of=_course_form,
        model_type=schemas.CourseIn,
        save=services.start_course,
        duplicate=("start_date", "A course of this drug already starts on that date."),
        section="courses",
    )


@router.post("/patients/{patient_id}/course-change")
async def course_change_submit(request: Request, patient_id: str, principal: Writer) -> Response:
    form = await request.form()
    data: dict[str, Any] = {
        k: formdata.text(form, k)
        for k in ("drug", "start_date", "on", "new_dose", "stop_reason", "reason")
    }
    data = {k: v for k, v in data.items() if v}
    data["expected_version"] = formdata.version(form)
    model = formdata.build(schemas.CourseChange, data)

    def save() -> None:
        with db(request) as session:
            services.change_course(session, principal, patient_id, model)

    await run_in_threadpool(save)
    return RedirectResponse(f"/patients/{patient_id}#courses", status_code=303)


# ------------------------------------------------------------------ event


def _event_form(
    request: Request,
    patient_id: str,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    return _entry_form(request, "event_form.html", patient_id, values, errors, status)


@router.get("/patients/{patient_id}/event")
def event_form(request: Request, patient_id: str, _: Writer) -> Response:
    return _event_form(request, patient_id, {"date": _today().isoformat()}, {})


@router.post("/patients/{patient_id}/event")
async def event_submit(request: Request, patient_id: str, principal: Writer) -> Response:
    form = await request.form()
    values = {k: formdata.text(form, k) for k in ("date", "event", "detail", "grade", "reason")}
    data: dict[str, Any] = {k: v for k, v in values.items() if v}
    return await _save_entry(
        request,
        patient_id,
        principal,
        values,
        data,
        form_of=_event_form,
        model_type=schemas.EventIn,
        save=services.add_event,
        duplicate=("event", "This event is already recorded on that date."),
        section="events",
    )


async def _save_entry(
    request: Request,
    patient_id: str,
    principal: Principal,
    values: dict[str, Any],
    data: dict[str, Any],
    *,
    form_of: Callable[[Request, str, dict[str, Any], dict[str, str], int], Response],
    model_type: type[M],
    save: Callable[[Session, Principal, str, M], object],
    duplicate: tuple[str, str],
    section: str,
) -> Response:
    """Save one lab, course or event in one transaction; on a problem, show the form
    again with the message beside the field (422), or the duplicate's message (409)."""
    try:
        model = formdata.build(model_type, data)

        def run() -> None:
            with db(request) as session:
                save(session, principal, patient_id, model)

        await run_in_threadpool(run)
    except FormErrors as exc:
        return form_of(request, patient_id, values, exc.errors, 422)
    except DuplicateError:
        field, message = duplicate
        return form_of(request, patient_id, values, {field: message}, 409)
    return RedirectResponse(f"/patients/{patient_id}#{section}", status_code=303)


__all__ = ["Role", "router"]
