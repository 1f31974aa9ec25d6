"""Pages: the patient list, the patient page and the patient form. The other records'
forms are one module each (`visit_pages`, `lab_pages`, `course_pages`, `event_pages`,
`retraction_pages`), included here, so the app includes one router for all of them
(the corrections API is `corrections_api`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from myotrack import registry
from myotrack.domain import vocab
from myotrack.registry import DuplicateError, StaleEditError
from myotrack.web import (
    corrections,
    formdata,
    record_fields,
    record_marks,
    record_view,
    research,
    schemas,
    services,
    timeline,
)
from myotrack.web.deps import Requires, db
from myotrack.web.errors import PSEUDONYM_TAKEN, Invalid
from myotrack.web.forms import item_level_scores, visit_instruments
from myotrack.web.policy import Access, Principal
from myotrack.web.routes import (
    course_pages,
    event_pages,
    lab_pages,
    record_pages,
    retraction_pages,
    visit_pages,
)
from myotrack.web.routes.entry_forms import SAVED_MESSAGES, STALE, today, vocab_context
from myotrack.web.services import FormErrors, PatientFilter, records
from myotrack.web.templating import render

router = APIRouter(include_in_schema=False)

READ = Requires(Access.READ_PATIENTS)
WRITE = Requires(Access.WRITE_PATIENTS)

Reader = Annotated[Principal, Depends(READ)]
Writer = Annotated[Principal, Depends(WRITE)]


for _module in (
    visit_pages,
    lab_pages,
    course_pages,
    event_pages,
    record_pages,
    retraction_pages,
):
    router.include_router(_module.router)


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
    saved: str = "",
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
        rows = services.list_patients(session, principal, flt, today())
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
            "saved_message": SAVED_MESSAGES.get(saved),
            "vocab": vocab_context(),
        },
    )


# ------------------------------------------------------------------ patient page


@router.get("/patients/{patient_id}")
def patient_page(
    request: Request,
    patient_id: str,
    principal: Reader,
    on: schemas.IsoDate | None = None,
    saved: str = "",
) -> Response:
    """The patient page; `on` sets the date of the decision-support panel (default today:
    nothing recorded after it is used); `saved` names what was just saved."""
    on_day = today()
    panel_on = on or on_day
    with db(request) as session:
        record = registry.load_record(session, research.path_patient_id(request, patient_id))
        assert record is not None  # Requires checked it exists and is visible
        panel, blocks, panel_error = (None, False, None)
        if not principal.deidentified:
            whole = registry.load_whole_record(session, record.patient.patient_id)
            panel, blocks, panel_error = services.decision_support(record, on, panel_on, whole)
        detail = services.detail(session, record, principal, on_day, panel)
        shown = research.shown_record(session, principal, record)  # the user's tier
        assessment_versions = {
            (key[1].isoformat(), key[2]): version
            for key, version in registry.row_versions(session, record.patient.patient_id)[
                "assessment"
            ].items()
        }
        rows, row_versions = records.shown_rows(session, principal, record)  # the user's tier
    figure = timeline.figure_json(shown, deidentified=principal.deidentified, v2_rows=rows)
    end = record_view.axis_end(shown, rows, on_day, deidentified=principal.deidentified)
    bars, bar_axis = record_view.involvement_bars(rows, end)
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
            "vocab": vocab_context(),
            "instrument_titles": {d.name: d.title for d in visit_instruments()},
            "item_level_scores": item_level_scores,
            "today": on_day.isoformat(),
            "saved_message": SAVED_MESSAGES.get(saved),
            "whole": record_view.groups(rows, row_versions),
            "bars": bars,
            "bar_axis": bar_axis,
            "offered": {g: record_view.offered(g) for g in record_fields.GROUP_TITLES},
            "group_titles": record_fields.GROUP_TITLES,
            "kind_words": corrections.KIND_WORDS,
            "assessment_versions": assessment_versions,
            "panel_on": panel_on.isoformat(),
            "lab_summary": _latest_labs(detail.labs),
            "visit_columns": [
                (c, vocab.MEASURES[c].short_label if c in vocab.MEASURES else c)
                for c in services.MEASURE_COLUMNS
                if any(v.measures.get(c) is not None for v in detail.visits)
            ],
        },
    )


@router.get("/patients/{patient_id}/timeline.{fmt}")
def timeline_download(request: Request, patient_id: str, principal: Reader, fmt: str) -> Response:
    """The patient's timeline as `myotrack figure timeline` draws it (PNG, SVG or PDF),
    de-identified as the user's tier says (`web.research`)."""
    from myotrack.report import timeline_figure  # loaded on first use (matplotlib)

    if fmt not in FIGURE_TYPES:
        raise Invalid("The figure comes as png, svg or pdf.")
    with db(request) as session:
        record = registry.load_record(session, research.path_patient_id(request, patient_id))
        assert record is not None  # Requires checked it exists and is visible
        shown = research.shown_record(session, principal, record)  # the user's tier
        rows, _ = records.shown_rows(session, principal, record)
    marks = record_marks.record_marks(rows)  # the whole record beneath the courses
    body = timeline_figure(shown, fmt=fmt, marks=marks)  # type: ignore[arg-type]
    return Response(
        body,
        media_type=FIGURE_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{patient_id}-timeline.{fmt}"'},
    )


FIGURE_TYPES = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}


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
        {"values": values, "errors": errors, "vocab": vocab_context(), "message": message},
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
        "extra": dict(p.extra),
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
            STALE,
        )
    return RedirectResponse(f"/patients/{model.patient_id}?saved=patient", status_code=303)


__all__ = ["router"]
