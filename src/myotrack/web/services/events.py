"""Events: adding one, checked like an imported row."""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy.orm import Session

from myotrack import registry
from myotrack.cohort import check_event
from myotrack.domain import Event, PatientRecord
from myotrack.web import schemas
from myotrack.web.policy import Principal
from myotrack.web.services.writing import _context, _refuse, writable_record

log = logging.getLogger(__name__)


def add_event(
    session: Session,
    principal: Principal,
    patient_id: str,
    data: schemas.EventIn,
    *,
    today: date | None = None,
) -> schemas.Saved:
    record = writable_record(session, principal, patient_id)
    event = event_from(record, data, today=today)
    version = registry.save_event(
        session, event, expected_version=None, actor=principal.username, reason=data.reason
    )
    return schemas.Saved(
        kind="event", key=[patient_id, data.date.isoformat(), data.event], version=int(version)
    )


def event_from(record: PatientRecord, data: schemas.EventIn, *, today: date | None = None) -> Event:
    """The event as entered, checked (FormErrors)."""
    detail_text = (data.detail or "").strip() or None
    event = Event(
        patient_id=record.patient.patient_id,
        date=data.date,
        event=data.event,
        detail=detail_text,
        grade=data.grade,
    )
    values = {"patient_id": event.patient_id, "date": event.date, "event": event.event}
    _refuse(check_event(values, _context(record, today)))
    return event
