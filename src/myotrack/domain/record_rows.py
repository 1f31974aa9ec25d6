"""The version 1 view analyses read of a cohort with format version 2 records, and the one
conversion it needs: a `treatment_course` record (a course known only to the month or year,
without a start, or with a version 2 code; its checked column values, `Cohort.v2_rows`) as a
`TreatmentCourse`. Pure code; `cohort.whole` builds the other whole-record objects.

`v1_view(cohort, not_after)` is `Cohort.records()` with those courses added as version 1
courses: partial dates imputed mid-period (15th of the month, 1 July of the year; never after
`not_after`, the cut-off), a course without any start left out — each said in a warning per
patient, which the analyses print with their results (never silently).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from myotrack.domain.model import Cohort, DrugCourse, PatientRecord
from myotrack.domain.partial_date import PartialDate
from myotrack.domain.treatment_detail import Strength, TreatmentCourse


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _tuple(value: Any) -> Any:
    """A choices cell (checked against its vocabulary) as the domain's tuple."""
    return tuple(value) if value else ()


def treatment_course(
    patient_id: str, v: Mapping[str, Any], base: DrugCourse | None = None
) -> TreatmentCourse:
    """A treatments.csv row's checked values (or a version 1 course `base` with the values
    of its version 2 detail) as a TreatmentCourse."""
    if base is not None:
        v = {
            "drug": base.drug,
            "start_date": PartialDate.of(base.start_date),
            "end_date": None if base.end_date is None else PartialDate.of(base.end_date),
            "dose": base.dose,
            "dose_unit": base.dose_unit,
            "frequency": base.frequency,
            "route": base.route,
            "stop_reason": base.stop_reason,
            **{k: x for k, x in v.items() if k not in ("drug", "start_date")},
        }
    strength = None
    if v.get("strength") is not None and v.get("strength_unit") is not None:
        strength = Strength(float(v["strength"]), v["strength_unit"])
    start = v.get("start_date")
    return TreatmentCourse(
        patient_id=patient_id,
        drug=v["drug"],
        start=start if isinstance(start, PartialDate) else None,
        end=v.get("end_date"),
        status=v.get("status", "not_reported"),
        duration_months=_int(v.get("duration_months")),
        dose=v.get("dose"),
        dose_unit=v.get("dose_unit"),
        frequency=v.get("frequency"),
        route=v.get("route"),
        formulation=v.get("formulation"),
        strength=strength,
        indication=v.get("indication"),
        sites=_tuple(v.get("sites")),
        sites_excluded=_tuple(v.get("sites_excluded")),
        stop_reason=v.get("stop_reason"),
        prescribed_elsewhere=v.get("prescribed_elsewhere") == "yes",
        free_text=v.get("free_text"),
    )


def v1_view(
    cohort: Cohort, not_after: date | None = None
) -> tuple[dict[str, PatientRecord], dict[str, tuple[str, ...]]]:
    """Every patient's version 1 record with the `treatment_course` records added as
    version 1 courses (mid-period imputation, not after `not_after` — default the cohort's
    effective cut-off), and per patient the warnings saying what was imputed or left out.
    A version 1 cohort gives `cohort.records()` and no warnings."""
    records = cohort.records()
    rows = [r for r in cohort.v2_rows if r.kind == "treatment_course" and r.patient_id in records]
    if not rows:
        return records, {}
    limit = not_after or cohort.effective_cutoff() or date.max
    added: dict[str, list[DrugCourse]] = {}
    notes: dict[str, list[str]] = {}
    for row in rows:
        course, said = treatment_course(row.patient_id, row.values).to_drug_course(limit)
        if course is not None:
            added.setdefault(row.patient_id, []).append(course)
        notes.setdefault(row.patient_id, []).extend(said)
    for pid, courses in added.items():
        record = records[pid]
        merged = sorted((*record.courses, *courses), key=lambda c: (c.start_date, c.drug))
        records[pid] = replace(record, courses=tuple(merged))
    return records, {pid: tuple(said) for pid, said in notes.items() if said}
