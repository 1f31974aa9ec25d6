"""The patient list without loading whole records: patients through the registry, and per
patient only what the list shows (JAK-inhibitor starts, visit count and dates, first
recorded date: `registry.patient_activity`, a few grouped queries). `services.summary` over
full records is the reference this must agree with (tests/web/test_listing.py)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from myotrack import registry
from myotrack.web import schemas
from myotrack.web.policy import Principal, site_scope


def summaries(session: Session, principal: Principal, today: date) -> list[schemas.PatientSummary]:
    """One PatientSummary per patient the user may see (de-identified for researchers)."""
    scope = site_scope(principal)
    patients = registry.list_patients(session, sites=sorted(scope) if scope is not None else None)
    if not patients:
        return []
    activity = registry.patient_activity(session)
    deid = principal.deidentified
    out = []
    for patient in patients:
        seen = activity[patient.patient_id]
        last_visit = seen.last_visit
        index = seen.index_date
        ref = index if index is not None else seen.first_recorded
        # Age at the latest visit (at the index date when de-identified), as services.summary.
        at = index if deid else last_visit
        age = patient.age_years(at) if at is not None else None
        out.append(
            schemas.PatientSummary(
                patient_id=patient.patient_id,
                site=None if deid else patient.site,  # researchers see no site
                sex=patient.sex,
                diagnosis=patient.diagnosis,
                antibodies=list(patient.antibodies),
                jak_inhibitors=sorted({d for d, _ in seen.jak_starts}),
                birth_date=None if deid else patient.birth_date,
                age_years=round(age, 1) if age is not None else None,
                index_date=None if deid else index,
                n_visits=seen.n_visits,
                last_visit_day=(last_visit - ref).days if last_visit and ref else None,
            )
        )
    return out
