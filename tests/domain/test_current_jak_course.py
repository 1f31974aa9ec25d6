""" "The current JAK-inhibitor course" is one helper, `PatientRecord.jak_course_on(on)`, read by
monitoring, decision support, the infection checks and the worklist."""

from __future__ import annotations

from datetime import date

from myotrack.domain import DrugCourse, Patient, PatientRecord

PID = "J1"


def _record(*courses: DrugCourse) -> PatientRecord:
    return PatientRecord(
        patient=Patient(patient_id=PID, sex="F", birth_date=date(2015, 1, 1), diagnosis="JDM"),
        courses=courses,
    )


def test_the_running_jak_inhibitor_course() -> None:
    tofa = DrugCourse(PID, "tofacitinib", date(2023, 1, 1), end_date=date(2023, 6, 30))
    rux = DrugCourse(PID, "ruxolitinib", date(2023, 7, 1))
    pred = DrugCourse(PID, "prednisolone", date(2023, 8, 1))
    record = _record(tofa, rux, pred)
    assert record.jak_course_on(date(2022, 12, 31)) is None  # before any
    assert record.jak_course_on(date(2023, 6, 30)) == tofa  # the end day is inclusive
    assert record.jak_course_on(date(2023, 7, 1)) == rux
    assert record.jak_course_on(date(2024, 1, 1)) == rux  # an open end runs on; not prednisolone


def test_overlapping_courses_give_the_latest_started() -> None:
    first = DrugCourse(PID, "tofacitinib", date(2023, 1, 1), end_date=date(2023, 3, 1))
    second = DrugCourse(PID, "tofacitinib", date(2023, 2, 15), dose=5.0, dose_unit="mg")
    assert _record(first, second).jak_course_on(date(2023, 2, 20)) == second
    assert _record(second, first).jak_course_on(date(2023, 2, 20)) == second


def test_no_other_copy_of_the_helper_in_therapy() -> None:
    """The old copies (monitoring.current_jak_course, infections._running_jak) are gone."""
    from myotrack.therapy import infections, monitoring

    assert not hasattr(monitoring, "current_jak_course")
    assert not hasattr(infections, "_running_jak")
