"""De-identified copies of a cohort for sharing (`myotrack export --deidentified`).

What changes, and why:
- patient_id becomes a keyed pseudonym (HMAC-SHA256 of the id with a secret key the
  centre keeps), so the same key gives the same pseudonyms across exports and nobody
  without the key can link them back.
- every date of a patient moves by the same number of days (between -182 and +182,
  drawn from the same HMAC), so ages, intervals, durations and the order of
  everything stay exactly as they were, while calendar dates do not identify anyone.
  Data after the cut-off are dropped first and the cut-off itself is not exported,
  since one calendar cut-off cannot hold for shifted patients; courses still running
  at the cut-off stay open-ended.
- free text that could name a person is removed: `x_` columns and site. An event's
  detail is kept only when it is an organism code (e.g. EBV, PJP).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import replace
from datetime import date, timedelta

from myotrack.domain import Cohort, DrugCourse, Event, LabResult, Patient, Visit

MAX_SHIFT_DAYS = 182
_ORGANISM = re.compile(r"[A-Za-z0-9 .\-]{1,20}")


def _digest(key: bytes, patient_id: str) -> bytes:
    return hmac.new(key, patient_id.encode("utf-8"), hashlib.sha256).digest()


def pseudonym(key: bytes, patient_id: str) -> str:
    return "S-" + _digest(key, patient_id)[:6].hex().upper()


def shift_days(key: bytes, patient_id: str) -> int:
    value = int.from_bytes(_digest(key, patient_id)[6:10], "big")
    return value % (2 * MAX_SHIFT_DAYS + 1) - MAX_SHIFT_DAYS


def deidentify(cohort: Cohort, *, key: bytes) -> Cohort:
    cutoff = cohort.effective_cutoff()
    ids = {p.patient_id: pseudonym(key, p.patient_id) for p in cohort.patients}
    shifts = {p.patient_id: timedelta(days=shift_days(key, p.patient_id)) for p in cohort.patients}

    def kept(day: date) -> bool:
        return cutoff is None or day <= cutoff

    def move(pid: str, day: date | None) -> date | None:
        return None if day is None else day + shifts[pid]

    def patient(p: Patient) -> Patient:
        pid = p.patient_id
        return replace(
            p,
            patient_id=ids[pid],
            birth_date=p.birth_date + shifts[pid],
            onset_date=move(pid, p.onset_date),
            diagnosis_date=move(pid, p.diagnosis_date),
            site=None,
            extra={},
        )

    def visit(v: Visit) -> Visit:
        return replace(
            v, patient_id=ids[v.patient_id], date=v.date + shifts[v.patient_id], extra={}
        )

    def lab(r: LabResult) -> LabResult:
        return replace(
            r, patient_id=ids[r.patient_id], date=r.date + shifts[r.patient_id], extra={}
        )

    def course(c: DrugCourse) -> DrugCourse:
        end = c.end_date if c.end_date is None or kept(c.end_date) else None
        return replace(
            c,
            patient_id=ids[c.patient_id],
            start_date=c.start_date + shifts[c.patient_id],
            end_date=move(c.patient_id, end),
            stop_reason=c.stop_reason if end else None,
            extra={},
        )

    def event(e: Event) -> Event:
        detail = e.detail if e.detail and _ORGANISM.fullmatch(e.detail) else None
        return replace(
            e,
            patient_id=ids[e.patient_id],
            date=e.date + shifts[e.patient_id],
            detail=detail,
            extra={},
        )

    return Cohort(
        patients=tuple(patient(p) for p in cohort.patients),
        visits=tuple(visit(v) for v in cohort.visits if kept(v.date)),
        labs=tuple(lab(r) for r in cohort.labs if kept(r.date)),
        courses=tuple(course(c) for c in cohort.courses if kept(c.start_date)),
        events=tuple(event(e) for e in cohort.events if kept(e.date)),
        cutoff_date=None,
    )
