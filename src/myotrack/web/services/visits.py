"""Visits: saving one (scores from the items, totals, the record checks) in the caller's
transaction."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from myotrack import registry
from myotrack.cohort import check_totals, check_visit
from myotrack.domain import Assessment, PatientRecord, Visit
from myotrack.domain.vocab import VISIT_MEASURES
from myotrack.web import schemas
from myotrack.web.forms import score_visit
from myotrack.web.policy import Principal
from myotrack.web.services.writing import (
    FormErrors,
    _confirmed,
    _context,
    _refuse,
    _sentence,
    writable_record,
)

log = logging.getLogger(__name__)


MEASURE_COLUMNS = tuple(c for c in VISIT_MEASURES if c not in ("weight_kg", "height_cm"))


def save_visit(
    session: Session,
    principal: Principal,
    patient_id: str,
    data: schemas.VisitIn,
    *,
    today: date | None = None,
) -> schemas.Saved:
    record = writable_record(session, principal, patient_id)
    stored = next((v for v in record.visits if v.date == data.date), None)
    visit, assessments = visit_from(record, data, today=today)
    if data.expected_version is not None and stored is not None:
        # x_ columns the form does not show
        visit = replace(visit, extra={**stored.extra, **visit.extra})
    version = registry.save_visit(
        session,
        visit,
        expected_version=data.expected_version,
        actor=principal.username,
        reason=data.reason,
        assessments=assessments,
    )
    return schemas.Saved(
        kind="visit", key=[patient_id, data.date.isoformat()], version=int(version)
    )


def _yes_no(flag: bool | None) -> str | None:
    return None if flag is None else ("yes" if flag else "no")


def visit_from(
    record: PatientRecord, data: schemas.VisitIn, *, today: date | None = None
) -> tuple[Visit, list[Assessment]]:
    """The visit and its item-level assessments as entered, checked (FormErrors): each
    typed total by its column's rule and against its items, then the record checks."""
    patient_id = record.patient.patient_id
    columns, assessments, problems = score_visit(patient_id, data.date, data.instruments)
    errors: dict[str, str] = {p.key: p.short for p in problems}
    rules: dict[str, str] = {p.key: "item" for p in problems}
    typed: dict[str, float | None] = {
        column: value for column, value in data.totals.model_dump().items() if value is not None
    }
    for p in check_totals(typed, columns):
        errors[f"totals.{p.field}"] = _sentence(p.message)
        rules[f"totals.{p.field}"] = p.rule
    if errors:
        raise FormErrors(errors, rules)
    scores = {**typed, **columns}
    values: dict[str, Any] = {
        "patient_id": patient_id,
        "date": data.date,
        "weight_kg": data.weight_kg,
        "height_cm": data.height_cm,
        "rash": _yes_no(data.rash),
        "weakness": _yes_no(data.weakness),
        **scores,
    }
    confirmed = _refuse(check_visit(values, _context(record, today)), data.confirm_implausible)
    visit = Visit(
        patient_id=patient_id,
        date=data.date,
        weight_kg=data.weight_kg,
        height_cm=data.height_cm,
        rash=data.rash,
        weakness=data.weakness,
        extra=_confirmed({}, confirmed),
        **scores,
    )
    return visit, assessments
