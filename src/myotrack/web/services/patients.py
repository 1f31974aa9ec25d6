"""Patients: the list (filtered, sorted, de-identified where the policy says so), one
patient's summary and detail with relative days, and adding or changing a patient."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal

from sqlalchemy.orm import Session

from myotrack import registry
from myotrack.cohort import Context, check_patient
from myotrack.domain import LabResult, Patient, PatientRecord
from myotrack.domain.vocab import QUALITATIVE_ANALYTES
from myotrack.therapy import DecisionSupport
from myotrack.web import research, schemas
from myotrack.web.errors import PSEUDONYM_TAKEN, Forbidden, PseudonymTaken
from myotrack.web.listing import summaries
from myotrack.web.policy import Principal, may_write, site_for_new_patient, site_scope
from myotrack.web.services.visits import MEASURE_COLUMNS
from myotrack.web.services.writing import _refuse, _today, writable_record

log = logging.getLogger(__name__)


def _day(on: date | None, index: date | None) -> int | None:
    if on is None or index is None:
        return None
    return (on - index).days


def reference_date(record: PatientRecord) -> date | None:
    """Day 0 of relative days: the index date (first JAK-inhibitor start), else the first
    visit, lab or course (so de-identified views of untreated patients still have days)."""
    if record.index_date is not None:
        return record.index_date
    dates = [v.date for v in record.visits] + [lab.date for lab in record.labs]
    dates += [c.start_date for c in record.courses] + [e.date for e in record.events]
    return min(dates) if dates else None


def summary(record: PatientRecord, principal: Principal, today: date) -> schemas.PatientSummary:
    """One row of the patient list; for researchers `record` must already be de-identified
    (`research.shown_record`, as `detail` does), and no site is shown in any case."""
    p = record.patient
    deid = principal.deidentified
    index = record.index_date
    ref = reference_date(record)
    jak = sorted({c.drug for c in record.jak_courses})
    last = record.visits[-1].date if record.visits else None
    # The list's age column: at the latest visit (at the index date when de-identified).
    at = index if deid else last
    age = p.age_years(at) if at is not None else None
    return schemas.PatientSummary(
        patient_id=p.patient_id,
        site=None if deid else p.site,
        sex=p.sex,
        diagnosis=p.diagnosis,
        antibodies=list(p.antibodies),
        jak_inhibitors=jak,
        birth_date=None if deid else p.birth_date,
        age_years=round(age, 1) if age is not None else None,
        index_date=None if deid else index,
        n_visits=len(record.visits),
        last_visit_day=_day(last, ref),
    )


@dataclass(frozen=True, slots=True)
class PatientFilter:
    search: str = ""
    diagnosis: str = ""
    antibody: str = ""
    jak: str = ""  # "", "any", "none" or a drug
    site: str = ""
    sort: str = "patient_id"
    descending: bool = False


SORT_KEYS = (
    "patient_id",
    "site",
    "diagnosis",
    "age_years",
    "index_date",
    "n_visits",
    "last_visit_day",
)


def list_patients(
    session: Session, principal: Principal, flt: PatientFilter, today: date
) -> list[schemas.PatientSummary]:
    rows = summaries(session, principal, today)
    if principal.deidentified:
        # Research pseudonyms, no site; filtering or sorting by site would reveal it.
        research_key = research.key_of(session)
        rows = [
            row.model_copy(
                update={
                    "patient_id": research.shown_patient_id(
                        principal, research_key, row.patient_id
                    ),
                    "site": None,
                }
            )
            for row in rows
        ]
        flt = replace(flt, site="", sort="patient_id" if flt.sort == "site" else flt.sort)
    needle = flt.search.strip().lower()
    out = []
    for row in rows:
        if needle and needle not in row.patient_id.lower():
            continue
        if flt.diagnosis and row.diagnosis != flt.diagnosis:
            continue
        if flt.antibody and flt.antibody not in row.antibodies:
            continue
        if flt.site and (row.site or "") != flt.site:
            continue
        if flt.jak == "any" and not row.jak_inhibitors:
            continue
        if flt.jak == "none" and row.jak_inhibitors:
            continue
        if flt.jak not in ("", "any", "none") and flt.jak not in row.jak_inhibitors:
            continue
        out.append(row)
    key = flt.sort if flt.sort in SORT_KEYS else "patient_id"

    def sort_key(row: schemas.PatientSummary) -> tuple[bool, Any, str]:
        value = getattr(row, key)
        return (value is None, value if value is not None else 0, row.patient_id)

    present = sorted(
        (r for r in out if getattr(r, key) is not None), key=sort_key, reverse=flt.descending
    )
    absent = [r for r in out if getattr(r, key) is None]
    return present + sorted(absent, key=lambda r: r.patient_id)


def version_of(
    versions: Mapping[str, Mapping[tuple[Any, ...], int]], kind: str, key: tuple[Any, ...]
) -> int | None:
    """The row version of one record in `registry.row_versions` output (what a form sends
    back as expected_version), or None."""
    table = versions.get(kind, {})
    if key in table:
        return table[key]
    text_key = tuple("" if k is None else str(k) for k in key)
    for candidate, version in table.items():
        if tuple("" if k is None else str(k) for k in candidate) == text_key:
            return version
    return None


def _number(value: float | bool | None) -> float | None:
    return None if value is None or isinstance(value, bool) else float(value)


def lab_flag(lab: LabResult) -> Literal["high", "low", "abnormal", ""]:
    if lab.above_reference:
        return "high"
    if lab.below_reference:
        return "low"
    if lab.analyte in QUALITATIVE_ANALYTES:
        # Screening tests: a positive result needs attention, except VZV IgG, where
        # positive means immune and negative (not immune) is what needs attention.
        attention = "negative" if lab.analyte == "VZV_IgG" else "positive"
        if lab.result == attention:
            return "abnormal"
    return ""


def _panel_json(panel: DecisionSupport | None, error: str | None) -> dict[str, Any] | None:
    if panel is not None:
        return panel.to_dict()
    return None if error is None else {"error": error}


def detail(
    session: Session,
    record: PatientRecord,
    principal: Principal,
    today: date,
    decision_support: DecisionSupport | None,
    decision_error: str | None = None,
) -> schemas.PatientDetail:
    """One patient as the API shows it: the decision support leaves the program here, as
    JSON (`to_dict()`), or the words saying why it could not be computed."""
    deid = principal.deidentified
    record = research.shown_record(session, principal, record)  # the user's tier
    p = record.patient
    pid = p.patient_id
    ref = reference_date(record)
    versions = {} if deid else registry.row_versions(session, pid)

    def shown(d: date | None) -> date | None:
        return None if deid else d

    return schemas.PatientDetail(
        patient=summary(record, principal, today),
        onset_date=shown(p.onset_date),
        diagnosis_date=shown(p.diagnosis_date),
        bohan_peter=p.bohan_peter,
        refractory=p.refractory,
        features=list(p.features),
        version=version_of(versions, "patient", (pid,)),
        visits=[
            schemas.VisitOut(
                date=shown(v.date),
                day=_day(v.date, ref),
                weight_kg=v.weight_kg,
                height_cm=v.height_cm,
                rash=v.rash,
                weakness=v.weakness,
                measures={c: _number(v.measure(c)) for c in MEASURE_COLUMNS},
                version=version_of(versions, "visit", (pid, v.date)),
            )
            for v in record.visits
        ],
        labs=[
            schemas.LabOut(
                date=shown(lab.date),
                day=_day(lab.date, ref),
                analyte=lab.analyte,
                value=lab.value,
                unit=lab.unit,
                result=lab.result,
                ref_low=lab.ref_low,
                ref_high=lab.ref_high,
                flag=lab_flag(lab),
                reported=(
                    f"{lab.reported.value:g} {lab.reported.unit}"
                    if lab.reported is not None
                    else None
                ),
                version=version_of(versions, "lab", (pid, lab.date, lab.analyte)),
            )
            for lab in record.labs
        ],
        courses=[
            schemas.CourseOut(
                drug=c.drug,
                start_date=shown(c.start_date),
                start_day=_day(c.start_date, ref),
                end_date=shown(c.end_date),
                end_day=_day(c.end_date, ref),
                dose=c.dose,
                dose_unit=c.dose_unit,
                frequency=c.frequency,
                route=c.route,
                stop_reason=c.stop_reason,
                running=c.end_date is None,
                version=version_of(versions, "course", (pid, c.drug, c.start_date)),
            )
            for c in record.courses
        ],
        events=[
            schemas.EventOut(
                date=shown(e.date),
                day=_day(e.date, ref),
                event=e.event,
                detail=e.detail,
                grade=e.grade,
                version=version_of(versions, "event", (pid, e.date, e.event, e.detail)),
            )
            for e in record.events
        ],
        assessments=[
            schemas.AssessmentOut(
                date=shown(a.date),
                day=_day(a.date, ref),
                instrument=a.instrument,
                version=a.version,
                total=a.total,
                items={k: v for k, v in a.items.items()},
            )
            for a in record.assessments
        ],
        decision_support=None if deid else _panel_json(decision_support, decision_error),
    )


def create_patient(
    session: Session, principal: Principal, data: schemas.PatientIn, *, today: date | None = None
) -> int:
    """Add a patient, or with `expected_version` change one (a clinician keeps their own
    site; the pseudonym cannot change; `x_` columns the form does not show are kept)."""
    site = site_for_new_patient(principal, data.site)
    if not may_write(principal, site):
        raise Forbidden("You may only add patients of your own site.")
    extra: dict[str, str] = {}
    if data.expected_version is not None:
        extra = dict(writable_record(session, principal, data.patient_id).patient.extra)
    _refuse(check_patient(data.model_dump(), Context(_today(today))))
    patient = Patient(
        patient_id=data.patient_id,
        sex=data.sex,
        birth_date=data.birth_date,
        diagnosis=data.diagnosis,
        onset_date=data.onset_date,
        diagnosis_date=data.diagnosis_date,
        bohan_peter=data.bohan_peter,
        antibodies=tuple(data.antibodies),
        refractory=data.refractory,
        features=tuple(data.features),
        site=site,
        extra=extra,
    )
    try:
        version = registry.save_patient(
            session,
            patient,
            expected_version=data.expected_version,
            actor=principal.username,
            reason=data.reason,
        )
    except registry.DuplicateError as exc:  # the same words whichever site holds it
        raise PseudonymTaken(PSEUDONYM_TAKEN) from exc
    return int(version)


def known_sites(session: Session, principal: Principal) -> list[str]:
    if principal.deidentified:
        return []  # researchers are not shown sites
    scope = site_scope(principal)
    if scope is not None:
        return sorted(scope)
    return sorted({p.site for p in registry.list_patients(session) if p.site})
