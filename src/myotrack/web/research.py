"""What a user is shown, de-identified as their tier says (`policy.tier_for`).

The rules themselves live in `cohort.deidentify` (one implementation for exports and the
web app); this module only applies them with the registry's key and cut-off:

- `shown_record` / `shown_cohort`: a record or a cohort as the user may see it;
- `shown_patient_id`: the id a user sees (and uses in URLs) for a registry patient_id;
- `registry_patient_id`: the registry patient_id behind the id in a URL. A researcher's
  URLs carry research pseudonyms; the registry id in a researcher's URL is answered
  like a patient that does not exist.
"""

from __future__ import annotations

import hashlib
import threading
from datetime import date

from sqlalchemy.orm import Session
from starlette.requests import Request

from myotrack import registry
from myotrack.cohort import (
    Tier,
    apply_tier,
    apply_tier_to_record,
    pseudonym,
)
from myotrack.domain import Cohort, PatientRecord, RecordRow
from myotrack.web.policy import Principal, site_scope, tier_for

CUTOFF_SETTING = "cutoff_date"

_INDEX_SIZE = 16
_INDEX_LOCK = threading.Lock()
_INDEX: dict[tuple[str, bytes, tuple[str, ...] | None, int], dict[str, str]] = {}


def key_of(session: Session) -> bytes:
    """The research pseudonym key (the registry's, or $MYOTRACK_DEID_KEY)."""
    return registry.research_key(session)


def _cutoff(session: Session) -> date | None:
    text = registry.get_setting(session, CUTOFF_SETTING)
    return date.fromisoformat(text) if text else None


def shown_record(session: Session, principal: Principal, record: PatientRecord) -> PatientRecord:
    """`record` as `principal` may see it."""
    tier = tier_for(principal)
    if tier is Tier.IDENTIFIED:
        return record
    return apply_tier_to_record(record, tier, key=key_of(session), cutoff_date=_cutoff(session))


def shown_whole(
    session: Session, principal: Principal, record: PatientRecord, rows: tuple[RecordRow, ...]
) -> tuple[PatientRecord, tuple[RecordRow, ...]]:
    """`record` and its cohort format version 2 records (`rows`) as `principal` may see
    them: the same tier as `shown_record` (pseudonym, every date moved by the patient's one
    shift at its precision, no free text, nothing after the registry's cut-off)."""
    tier = tier_for(principal)
    if tier is Tier.IDENTIFIED:
        return record, rows
    single = Cohort(
        patients=(record.patient,),
        visits=record.visits,
        labs=record.labs,
        courses=record.courses,
        events=record.events,
        assessments=record.assessments,
        # without a registry cut-off nothing is left out (as `shown_record`)
        cutoff_date=_cutoff(session) or date.max,
        v2_rows=rows,
    )
    shown = apply_tier(single, tier, key=key_of(session))
    (shown_record_,) = shown.records().values()
    return shown_record_, shown.v2_rows


def shown_cohort(session: Session, principal: Principal, cohort: Cohort) -> Cohort:
    """`cohort` as `principal` may see it."""
    tier = tier_for(principal)
    if tier is Tier.IDENTIFIED:
        return cohort
    return apply_tier(cohort, tier, key=key_of(session))


def shown_patient_id(principal: Principal, key: bytes, patient_id: str) -> str:
    """The id `principal` sees for a registry patient_id."""
    if tier_for(principal) is Tier.IDENTIFIED:
        return patient_id
    return pseudonym(key, patient_id)


def registry_patient_id(session: Session, principal: Principal, path_id: str) -> str | None:
    """The registry patient_id a URL's id stands for, for this user (None: no such patient
    among those the user may see). Pseudonyms cannot be reversed, so a researcher's id
    is looked up among the pseudonyms of the patients they may see."""
    if tier_for(principal) is Tier.IDENTIFIED:
        return path_id
    key = key_of(session)
    scope = site_scope(principal)
    sites = tuple(sorted(scope)) if scope is not None else None
    # One HMAC per visible patient, so the index is kept per process until the registry
    # changes (every write adds an audit row).
    state = (
        str(session.connection().engine.url),
        hashlib.sha256(key).digest(),
        sites,
        registry.latest_audit_id(session),
    )
    with _INDEX_LOCK:
        index = _INDEX.get(state)
    if index is None:
        index = {
            pseudonym(key, p.patient_id): p.patient_id
            for p in registry.list_patients(session, sites=sites)
        }
        with _INDEX_LOCK:
            if len(_INDEX) >= _INDEX_SIZE:
                _INDEX.clear()
            _INDEX[state] = index
    return index.get(path_id)


def path_patient_id(request: Request, path_id: str) -> str:
    """The registry patient_id of a route's `{patient_id}`, as `deps.Requires` resolved it
    (the path id itself where Requires did not run the check)."""
    resolved = getattr(request.state, "patient_id", None)
    return resolved if isinstance(resolved, str) else path_id
