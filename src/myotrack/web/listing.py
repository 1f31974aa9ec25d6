"""The patient list without loading whole records: patients through the registry, and per
patient only what the list shows (JAK-inhibitor starts, visit count and dates, first
recorded date) by a few grouped queries. `services.summary` over full records is the
reference this must agree with (tests/web/test_listing.py)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from myotrack import registry
from myotrack.domain.vocab import JAK_INHIBITORS
from myotrack.registry.tables import (
    COURSE_TABLE,
    EVENT_TABLE,
    LAB_TABLE,
    PATIENT_TABLE,
    VISIT_TABLE,
)
from myotrack.web import schemas
from myotrack.web.policy import Principal, site_scope


def _first_dates(session: Session, table: Any, column: str) -> dict[int, date]:
    stmt = (
        select(table.c.patient_pk, func.min(table.c[column]))
        .where(table.c.retired_at.is_(None))
        .group_by(table.c.patient_pk)
    )
    return {pk: first for pk, first in session.execute(stmt) if first is not None}


def summaries(session: Session, principal: Principal, today: date) -> list[schemas.PatientSummary]:
    """One PatientSummary per patient the user may see (de-identified for researchers)."""
    scope = site_scope(principal)
    patients = registry.list_patients(session, sites=sorted(scope) if scope is not None else None)
    if not patients:
        return []
    p = PATIENT_TABLE
    pk_of = dict(
        session.execute(select(p.c.patient_id, p.c.id).where(p.c.retired_at.is_(None))).all()
    )
    v = VISIT_TABLE
    visits = {
        pk: (n, first, last)
        for pk, n, first, last in session.execute(
            select(v.c.patient_pk, func.count(), func.min(v.c.date), func.max(v.c.date))
            .where(v.c.retired_at.is_(None))
            .group_by(v.c.patient_pk)
        )
    }
    c = COURSE_TABLE
    jak: dict[int, list[tuple[str, date]]] = defaultdict(list)
    for pk, drug, start in session.execute(
        select(c.c.patient_pk, c.c.drug, c.c.start_date).where(
            c.c.retired_at.is_(None), c.c.drug.in_(JAK_INHIBITORS)
        )
    ):
        jak[pk].append((drug, start))
    firsts = [
        _first_dates(session, LAB_TABLE, "date"),
        _first_dates(session, COURSE_TABLE, "start_date"),
        _first_dates(session, EVENT_TABLE, "date"),
    ]
    deid = principal.deidentified
    out = []
    for patient in patients:
        pk = pk_of[patient.patient_id]
        n_visits, first_visit, last_visit = visits.get(pk, (0, None, None))
        starts = jak.get(pk, [])
        index: date | None = min((s for _, s in starts), default=None)
        ref: date | None
        if index is not None:
            ref = index
        else:
            candidates = [d for d in (first_visit, *(f.get(pk) for f in firsts)) if d]
            ref = min(candidates) if candidates else None
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
                jak_inhibitors=sorted({d for d, _ in starts}),
                birth_date=None if deid else patient.birth_date,
                age_years=round(age, 1) if age is not None else None,
                index_date=None if deid else index,
                n_visits=int(n_visits),
                last_visit_day=(last_visit - ref).days if last_visit and ref else None,
            )
        )
    return out
