"""Laboratory results: saving one, converted and checked like an imported row."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from myotrack import registry
from myotrack.cohort import check_lab, lab_result
from myotrack.domain import LabResult, PatientRecord
from myotrack.web import schemas
from myotrack.web.policy import Principal
from myotrack.web.services.writing import _confirmed, _context, _refuse, writable_record

log = logging.getLogger(__name__)


def save_lab(
    session: Session,
    principal: Principal,
    patient_id: str,
    data: schemas.LabIn,
    *,
    today: date | None = None,
) -> schemas.Saved:
    record = writable_record(session, principal, patient_id)
    lab = lab_from(record, data, today=today)
    if data.expected_version is not None:  # an edit keeps the x_ columns no form shows
        key = (data.date, data.analyte)
        stored = next((x for x in record.labs if (x.date, x.analyte) == key), None)
        lab = replace(lab, extra={**stored.extra, **lab.extra}) if stored is not None else lab
    version = registry.save_lab(
        session,
        lab,
        expected_version=data.expected_version,
        actor=principal.username,
        reason=data.reason,
    )
    return schemas.Saved(
        kind="lab", key=[patient_id, data.date.isoformat(), data.analyte], version=int(version)
    )


def lab_from(record: PatientRecord, data: schemas.LabIn, *, today: date | None = None) -> LabResult:
    """The lab result as entered, checked by the record checks (FormErrors) and stored as
    the importer stores it (`cohort.reader.lab_result`: µkat/L converted, the reported
    value kept)."""
    values: dict[str, Any] = {
        "patient_id": record.patient.patient_id,
        "date": data.date,
        "analyte": data.analyte,
        "value": data.value,
        "unit": data.unit,
        "result": data.result,
        "ref_low": data.ref_low,
        "ref_high": data.ref_high,
    }
    confirmed = _refuse(check_lab(values, _context(record, today)), data.confirm_implausible)
    return lab_result(values, _confirmed({}, confirmed))
