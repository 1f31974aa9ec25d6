"""Drug courses: starting one and changing its dose (ending one course, starting the next),
with the course checks of the importer."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from myotrack import registry
from myotrack.cohort import check_course, check_jak_start
from myotrack.domain import DrugCourse, PatientRecord
from myotrack.web import schemas
from myotrack.web.errors import NotFound
from myotrack.web.policy import Principal
from myotrack.web.services.writing import FormErrors, _context, _refuse, writable_record

log = logging.getLogger(__name__)


def start_course(
    session: Session,
    principal: Principal,
    patient_id: str,
    data: schemas.CourseIn,
    *,
    today: date | None = None,
) -> schemas.Saved:
    record = writable_record(session, principal, patient_id)
    course = course_from(record, data, today=today)
    version = registry.save_course(
        session, course, expected_version=None, actor=principal.username, reason=data.reason
    )
    return schemas.Saved(
        kind="course",
        key=[patient_id, data.drug, data.start_date.isoformat()],
        version=int(version),
    )


def course_from(
    record: PatientRecord, data: schemas.CourseIn, *, today: date | None = None
) -> DrugCourse:
    """The course as entered, checked (FormErrors). `record` holds the patient's other
    courses (for an edit: without the course being edited)."""
    course = DrugCourse(
        patient_id=record.patient.patient_id,
        drug=data.drug,
        start_date=data.start_date,
        dose=data.dose,
        dose_unit=data.dose_unit,
        frequency=data.frequency,
        route=data.route,
    )
    refuse_course_problems(record, course, today)
    return course


def refuse_course_problems(
    record: PatientRecord, course: DrugCourse, today: date | None, *, new: bool = True
) -> None:
    """FormErrors for what the importer's course checks find in `course` (and, for a new
    course, a JAK-inhibitor start that clashes with another)."""
    problems = check_course(_course_values(course), _context(record, today))
    if new:
        others = [c.start_date for c in record.courses if c.is_jak_inhibitor]
        clash = check_jak_start(course.drug, course.start_date, others)
        problems += [clash] if clash is not None else []
    _refuse(problems)


def _course_values(course: DrugCourse) -> dict[str, Any]:
    return {
        "patient_id": course.patient_id,
        "drug": course.drug,
        "dose": course.dose,
        "dose_unit": course.dose_unit,
        "frequency": course.frequency,
        "route": course.route,
        "start_date": course.start_date,
        "end_date": course.end_date,
        "stop_reason": course.stop_reason,
    }


def change_course(
    session: Session,
    principal: Principal,
    patient_id: str,
    data: schemas.CourseChange,
    *,
    today: date | None = None,
) -> schemas.Saved:
    """Change dose: end the running course the day before `on` and start the same drug at
    the new dose on `on` (cohort format: a dose change ends one row and starts the next).
    Stop: end the course on `on` with the stop reason."""
    record = writable_record(session, principal, patient_id)
    course = next(
        (c for c in record.courses if c.drug == data.drug and c.start_date == data.start_date), None
    )
    if course is None:
        raise NotFound(f"No {data.drug} course starting {data.start_date} for {patient_id}.")
    if course.end_date is not None:
        raise FormErrors({"on": "This course has already ended."})
    if (data.new_dose is None) == (data.stop_reason is None):
        raise FormErrors({"new_dose": "Give either a new dose or a stop reason."})
    if data.new_dose is not None:
        if data.on <= course.start_date:
            raise FormErrors({"on": "A dose change must be after the course start."})
        ended = replace(course, end_date=data.on - timedelta(days=1))
        successor = replace(
            course, start_date=data.on, end_date=None, dose=data.new_dose, stop_reason=None
        )
        refuse_course_problems(record, ended, today, new=False)
        refuse_course_problems(record, successor, today)
        registry.save_course(
            session,
            ended,
            expected_version=data.expected_version,
            actor=principal.username,
            reason=data.reason,
        )
        version = registry.save_course(
            session, successor, expected_version=None, actor=principal.username, reason=data.reason
        )
        return schemas.Saved(
            kind="course", key=[patient_id, data.drug, data.on.isoformat()], version=int(version)
        )
    if data.on < course.start_date:
        raise FormErrors({"on": "The stop date is before the course start."})
    stopped = replace(course, end_date=data.on, stop_reason=data.stop_reason)
    refuse_course_problems(record, stopped, today, new=False)
    version = registry.save_course(
        session,
        stopped,
        expected_version=data.expected_version,
        actor=principal.username,
        reason=data.reason,
    )
    return schemas.Saved(
        kind="course",
        key=[patient_id, data.drug, data.start_date.isoformat()],
        version=int(version),
    )
