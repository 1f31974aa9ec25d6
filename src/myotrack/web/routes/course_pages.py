"""The drug-course form: start a course, or (`?drug=X&start=DATE`) correct one, also its
drug, start, end and stop reason, or retract it; and the dose change / stop buttons
under a running course."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from myotrack import registry
from myotrack.domain import DrugCourse
from myotrack.web import corrections, formdata, schemas, services
from myotrack.web.deps import Requires, db
from myotrack.web.policy import Access, Principal
from myotrack.web.routes.entry_forms import entry_form, save_entry, saved_redirect, today

router = APIRouter(include_in_schema=False)
Writer = Annotated[Principal, Depends(Requires(Access.WRITE_PATIENTS))]

FIELDS = ("drug", "start_date", "dose", "dose_unit", "frequency", "route", "reason")
EDIT_FIELDS = ("end_date", "stop_reason")
DUPLICATE = ("start_date", "A course of this drug already starts on that date.")


def course_form(
    request: Request,
    patient_id: str,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
    message: str | None = None,
) -> Response:
    return entry_form(request, "course_form.html", patient_id, values, errors, status, message)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def course_values(course: DrugCourse, version: int | None) -> dict[str, Any]:
    return {
        "drug": course.drug,
        "start_date": course.start_date.isoformat(),
        "end_date": _text(course.end_date and course.end_date.isoformat()),
        "dose": _text(course.dose),
        "dose_unit": _text(course.dose_unit),
        "frequency": _text(course.frequency),
        "route": _text(course.route),
        "stop_reason": _text(course.stop_reason),
        "original_drug": course.drug,
        "original_start_date": course.start_date.isoformat(),
        "expected_version": version,
        "editing": True,
    }


@router.get("/patients/{patient_id}/course")
def course_page(
    request: Request, patient_id: str, _: Writer, drug: str = "", start: str = ""
) -> Response:
    """A new course, or the stored course of `drug` starting `start` to correct."""
    if drug and start:
        with db(request) as session:
            record = registry.load_record(session, patient_id)
            versions = registry.row_versions(session, patient_id)
        assert record is not None  # Requires checked it exists and is visible
        course = next(
            (c for c in record.courses if c.drug == drug and c.start_date.isoformat() == start),
            None,
        )
        if course is not None:
            key = (patient_id, course.drug, course.start_date)
            version = services.version_of(versions, "course", key)
            return course_form(request, patient_id, course_values(course, version), {})
    return course_form(request, patient_id, {"start_date": today().isoformat()}, {})


@router.post("/patients/{patient_id}/course")
async def course_submit(request: Request, patient_id: str, principal: Writer) -> Response:
    form = await request.form()
    values: dict[str, Any] = {k: formdata.text(form, k) for k in FIELDS}
    values["drug"] = values["drug"].lower()
    data: dict[str, Any] = {k: v for k, v in values.items() if v}
    editing = formdata.text(form, "original_start_date")
    if editing:
        for k in EDIT_FIELDS:
            values[k] = formdata.text(form, k)
            if values[k]:
                data[k] = values[k]
        values.update(
            original_drug=formdata.text(form, "original_drug"),
            original_start_date=editing,
            expected_version=formdata.version(form),
            editing=True,
        )
        data.update(
            original_drug=values["original_drug"],
            original_start_date=editing,
            expected_version=values["expected_version"],
        )
        return await save_entry(
            request,
            patient_id,
            principal,
            values,
            data,
            form_of=course_form,
            model_type=corrections.CourseEdit,
            save=corrections.edit_course,
            duplicate=DUPLICATE,
            kind="course",
            section="courses",
        )
    return await save_entry(
        request,
        patient_id,
        principal,
        values,
        data,
        form_of=course_form,
        model_type=schemas.CourseIn,
        save=services.start_course,
        duplicate=DUPLICATE,
        kind="course",
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
    return saved_redirect(patient_id, "course", "courses")
