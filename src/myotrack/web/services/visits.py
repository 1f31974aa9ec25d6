"""Visits: saving one (scores from the items, totals, the record checks) in the caller's
transaction.

Editing a visit never drops what a user stored: an assessment stored in an older shape of
its instrument (a CDASI entered before the December 2026 errata, its Gottron's-hands activity
one pre-summed number; registry migration v0003) keeps that shape, its version and the
items the form cannot show, and is scored with the definition it was entered with, unless
the user enters the items only the current shape has (then those replace it, and the audit
reason says what was replaced). What the form's tools did (the CDASI grid's "the rest are 0")
is written into the audit reason by the server, not only by the page's script."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from myotrack import registry
from myotrack.cohort import check_totals, check_visit
from myotrack.domain import Assessment, PatientRecord, Visit
from myotrack.domain.vocab import VISIT_MEASURES
from myotrack.instruments import INSTRUMENTS, InstrumentDefinition, score, stored_definition
from myotrack.web import schemas
from myotrack.web.forms import ItemProblem, item_errors, score_visit
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
    stored = _stored_assessments(record, data)
    entered = {name: dict(items) for name, items in data.instruments.items()}
    kept_columns, kept, kept_problems, notes = _older_shapes(patient_id, data.date, stored, entered)
    columns, assessments, problems = score_visit(patient_id, data.date, entered)
    columns.update(kept_columns)
    assessments.extend(kept)
    problems.extend(kept_problems)
    notes.extend(
        n for n in _form_tool_notes(data.instruments, stored, data.reason) if n not in data.reason
    )
    if notes:  # the audit reason says what the server kept, replaced or was told
        data.reason = "; ".join([data.reason, *notes])
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


Items = Mapping[str, float | str | None]


def _stored_assessments(record: PatientRecord, data: schemas.VisitIn) -> dict[str, Assessment]:
    """The item-level assessments stored with the visit being edited (none for a new one)."""
    if data.expected_version is None:
        return {}
    on = getattr(data, "original_date", None) or data.date
    return {a.instrument: a for a in record.assessments if a.date == on}


def _ids(defn: InstrumentDefinition, *, scored_only: bool = False) -> set[str]:
    return {it.id for it in defn.items if it.scored or not scored_only}


def _older_shapes(
    patient_id: str,
    on: date,
    stored: Mapping[str, Assessment],
    entered: dict[str, dict[str, float | str | None]],
) -> tuple[dict[str, float | None], list[Assessment], list[ItemProblem], list[str]]:
    """Instruments stored in an older shape (`stored_definition` is not the current one):
    scored with that shape, with the stored items the form cannot show added back, and taken
    out of `entered`. When the user entered scored items only the current shape has, the
    current shape replaces the old one (left in `entered`) and a note names what it
    replaced. Returns the visit columns, the assessments, item problems and the notes."""
    columns: dict[str, float | None] = {}
    kept: list[Assessment] = []
    problems: list[ItemProblem] = []
    notes: list[str] = []
    for name, old in stored.items():
        current = INSTRUMENTS.get(name)
        if current is None or name not in entered:
            continue
        shape = stored_definition(name, old.version)
        if shape.name == current.name:
            continue
        given = {k: v for k, v in entered[name].items() if v is not None}
        if not given:
            continue  # every item cleared: the edit removes the assessment, as for any
        form_ids = _ids(current)
        hidden = {k: v for k, v in old.items.items() if k not in form_ids and v is not None}
        only_current = _ids(current, scored_only=True) - _ids(shape)
        if only_current & given.keys():
            replaced = ", ".join(
                f"{k} = {v:g}" if isinstance(v, float) else f"{k} = {v}"
                for k, v in sorted(hidden.items())
            )
            notes.append(
                f"{name.upper()}: entered in the current shape ({current.version}); it replaces "
                f"the shape stored before ({old.version}: {replaced or 'no other items'})"
            )
            continue
        del entered[name]
        items = {**hidden, **{k: v for k, v in given.items() if k in _ids(shape)}}
        errors = item_errors(shape.name, items)
        if errors:
            problems.extend(ItemProblem(name, err.field, err.message) for err in errors)
            continue
        result = score(shape.name, items)
        for column, key in shape.visit_columns().items():
            columns[column] = result.total if key == "total" else result.subscores.get(key)
        kept.append(
            Assessment(
                patient_id=patient_id,
                date=on,
                instrument=name,
                items=items,  # type: ignore[arg-type]  # codes ("NA") are kept as given
                version=old.version,
                total=result.total,
            )
        )
    return columns, kept, problems, notes


def _form_tool_notes(
    entered: Mapping[str, Items], stored: Mapping[str, Assessment], reason: str
) -> list[str]:
    """What the form's tools recorded in unscored items (the CDASI grid's "the rest are 0":
    how many items it set to 0), as the definition words it, for what this save adds."""
    notes: list[str] = []
    for name, items in entered.items():
        defn = INSTRUMENTS.get(name)
        if defn is None:
            continue
        for it in defn.items:
            if it.scored or it.note_when_set is None:
                continue
            new, old = items.get(it.id), stored[name].items.get(it.id) if name in stored else None
            added = (new if isinstance(new, float | int) else 0) - (
                old if isinstance(old, float | int) else 0
            )
            if added > 0:
                n = f"{added:g}"
                # the grid's own line says the same ("CDASI: 3 items set to 0 by ..."):
                # given it, the reason is not repeated
                said = f"{name.upper()}: {n} item{'' if added == 1 else 's'} set to 0"
                notes.append(said if said in reason else it.note_when_set.format(value=n))
    return notes
