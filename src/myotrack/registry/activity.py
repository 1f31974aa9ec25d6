"""What a patient list shows without loading whole records: per active patient, the visit
count and dates, the JAK-inhibitor starts and the first date of anything recorded, by a
few grouped queries (one per table, whatever the number of patients); and a patient's
site by one indexed lookup. Retired rows are left out, as `load_cohort` leaves them out,
so `load_cohort` over whole records is the reference these agree with
(tests/web/test_listing.py).

    activity = patient_activity(session)       # {patient_id: PatientActivity}
    found, site = patient_site(session, "P01")  # (False, None) if no such active patient
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from myotrack.domain.vocab import JAK_INHIBITORS
from myotrack.registry.tables import (
    COURSE_TABLE,
    EVENT_TABLE,
    LAB_TABLE,
    PATIENT_TABLE,
    VISIT_TABLE,
)


@dataclass(frozen=True)
class PatientActivity:
    """One active patient's recorded activity (retired rows not counted)."""

    n_visits: int = 0
    first_visit: date | None = None
    last_visit: date | None = None
    jak_starts: tuple[tuple[str, date], ...] = ()  # (drug, start date) of each JAK course
    # First date of a lab result, a drug course start and an event (None: none recorded).
    first_dates: tuple[date, ...] = field(default=())

    @property
    def index_date(self) -> date | None:
        """The first JAK-inhibitor start (as `PatientRecord.index_date`)."""
        return min((start for _, start in self.jak_starts), default=None)

    @property
    def first_recorded(self) -> date | None:
        """The first date of a visit, lab result, drug course or event."""
        dates = [d for d in (self.first_visit, *self.first_dates) if d is not None]
        return min(dates, default=None)


def _first_dates(session: Session, table: Any, column: str) -> dict[int, date]:
    stmt = (
        select(table.c.patient_pk, func.min(table.c[column]))
        .where(table.c.retired_at.is_(None))
        .group_by(table.c.patient_pk)
    )
    return {pk: first for pk, first in session.execute(stmt) if first is not None}


def patient_activity(session: Session) -> dict[str, PatientActivity]:
    """Every active patient's activity, by patient id."""
    p = PATIENT_TABLE
    pk_of = dict(
        session.execute(select(p.c.patient_id, p.c.id).where(p.c.retired_at.is_(None))).all()
    )
    v = VISIT_TABLE
    visits = {
        pk: (int(n), first, last)
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
    out: dict[str, PatientActivity] = {}
    for patient_id, pk in pk_of.items():
        n_visits, first_visit, last_visit = visits.get(pk, (0, None, None))
        out[patient_id] = PatientActivity(
            n_visits=n_visits,
            first_visit=first_visit,
            last_visit=last_visit,
            jak_starts=tuple(jak.get(pk, ())),
            first_dates=tuple(d for f in firsts if (d := f.get(pk)) is not None),
        )
    return out


def patient_site(session: Session, patient_id: str) -> tuple[bool, str | None]:
    """Whether an active patient `patient_id` exists, and their site: one indexed lookup
    of one column (it runs on every patient route, before the route loads the record)."""
    p = PATIENT_TABLE
    row = session.execute(
        select(p.c.site).where(p.c.patient_id == patient_id, p.c.retired_at.is_(None))
    ).first()
    if row is None:
        return False, None
    return True, row[0]
