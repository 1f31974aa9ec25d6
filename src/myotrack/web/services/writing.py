"""What every save of the web shares: the write check on a patient, the record checks' context
and their problems refused as field errors (`FormErrors`, shown beside the fields, with the
rule each broke), and import issues as the API shows them."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Final

from sqlalchemy.orm import Session

from myotrack import registry
from myotrack.cohort import CONFIRM_COLUMN, CONFIRMED, Context, Problem
from myotrack.domain import PatientRecord
from myotrack.web import schemas
from myotrack.web.errors import Invalid, NotFound
from myotrack.web.policy import Principal, may_write

log = logging.getLogger(__name__)


class FormErrors(Invalid):
    """Field-level problems (shown beside the fields); `rules` names the rule each broke
    (field -> rule name, the same names as the cohort importer's)."""

    def __init__(self, errors: Mapping[str, str], rules: Mapping[str, str] | None = None) -> None:
        super().__init__("Not saved: " + "; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = dict(errors)
        self.rules = dict(rules or {})


def _today(today: date | None) -> date:
    """The web's clock, read once per save at this edge; tests pass `today`."""
    return date.today() if today is None else today


# The field that confirms implausible values (API: `confirm_implausible: true`; the forms'
# checkbox of the same name). Its error tells the user how to store a value they checked.
CONFIRM_FIELD: Final = "confirm_implausible"
CONFIRM_MESSAGE: Final = (
    'If the value is right, tick "Confirm this value is correct" and save again; the record '
    "keeps that you confirmed it."
)


def _refuse(problems: Iterable[Problem], confirmed: bool = False) -> bool:
    """FormErrors for the record checks' problems (implausible values only when not
    `confirmed`; then the confirmation field gets its own error, with the same rule, so a
    form shows its checkbox); True when confirmed implausible values are being stored."""
    errors: dict[str, str] = {}
    rules: dict[str, str] = {}
    stored_implausible = False
    to_confirm: str | None = None
    for p in problems:
        if p.needs_confirmation and confirmed:
            stored_implausible = True
            continue
        if p.needs_confirmation:
            to_confirm = to_confirm or p.rule
        errors.setdefault(p.field, _sentence(p.message))
        rules.setdefault(p.field, p.rule)
    if to_confirm is not None:
        errors[CONFIRM_FIELD] = CONFIRM_MESSAGE
        rules[CONFIRM_FIELD] = to_confirm
    if errors:
        raise FormErrors(errors, rules)
    return stored_implausible


def _sentence(message: str) -> str:
    text = message[:1].upper() + message[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


def writable_record(session: Session, principal: Principal, patient_id: str) -> PatientRecord:
    record = registry.load_record(session, patient_id)
    if record is None or not may_write(principal, record.patient.site):
        raise NotFound(f"There is no patient {patient_id!r} that you can change.")
    return record


def _context(record: PatientRecord, today: date | None) -> Context:
    p = record.patient
    return Context(_today(today), p.birth_date, p.sex)


def _confirmed(extra: Mapping[str, str], stored_implausible: bool) -> dict[str, str]:
    """The record's x_ columns, marked as confirmed when implausible values are stored
    (so the export re-imports without --accept-implausible)."""
    return {**extra, CONFIRM_COLUMN: CONFIRMED} if stored_implausible else dict(extra)


def issues_out(issues: Iterable[Any]) -> list[schemas.IssueOut]:
    return [
        schemas.IssueOut(file=i.file, line=i.line, field=i.field, rule=i.rule, message=i.message)
        for i in issues
    ]
