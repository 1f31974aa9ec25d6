"""The visit form's instruments: which ones, in which order, and turning entered items into
visit totals. Everything comes from the instrument definitions (myotrack.instruments)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

from myotrack.domain import Assessment
from myotrack.instruments import (
    INSTRUMENTS,
    InstrumentDefinition,
    ItemError,
    score,
    score_stored,
    stored_definition,
)

# Shown first, in the order clinicians fill them in (issue 5); any other instrument that
# fills a visit column follows in name order.
_PREFERRED = ("cmas", "mmt8", "catbm", "cdasi", "das", "chaq", "globals", "mdi")

# Offered although no total fills a visit column: stored as item-level assessments only
# (registry only, like every assessment's items). The MDI is the yearly damage form (form C
# of the JDM dataset, McCann LJ et al. Ann Rheum Dis 2018;77:241).
_ITEM_LEVEL_ONLY = frozenset({"mdi"})


@dataclass(frozen=True, slots=True)
class ItemProblem:
    instrument: str
    field: str
    message: str

    @property
    def key(self) -> str:
        return f"{self.instrument}.{self.field}"

    @property
    def short(self) -> str:
        """The message without the instrument and item name (shown beside the field)."""
        at = self.message.find(": allowed")
        return self.message[at + 2 :] if at >= 0 else self.message


def visit_instruments() -> list[InstrumentDefinition]:
    """The instruments of the visit form: those whose total fills a visit column, and the
    item-level-only ones named in `_ITEM_LEVEL_ONLY` (the MDI)."""
    chosen = [
        d if d.name not in _ITEM_LEVEL_ONLY else _by_system(d)
        for d in INSTRUMENTS.values()
        if d.visit_columns() or d.name in _ITEM_LEVEL_ONLY
    ]
    order = {name: i for i, name in enumerate(_PREFERRED)}
    return sorted(chosen, key=lambda d: (order.get(d.name, len(order)), d.name))


def _by_system(defn: InstrumentDefinition) -> InstrumentDefinition:
    """The form's copy of an item-level-only instrument (the MDI): each organ system's
    items together with that system's severity VAS after them (the MDI rates damage per
    system), under the system's name ("Peripheral vascular"). Order and headings only: the
    items, their ids and the scoring are the definition's (the engine scores by id)."""
    first: dict[str | None, int] = {}
    for n, it in enumerate(defn.items):
        first.setdefault(it.section, n)
    items = sorted(defn.items, key=lambda it: first[it.section])  # stable: form order kept
    return replace(
        defn,
        items=tuple(
            replace(it, section=it.section.replace("_", " ").capitalize()) if it.section else it
            for it in items
        ),
    )


def item_level_scores(
    instrument: str, version: str | None, items: Mapping[str, float | str | None]
) -> list[tuple[str, float | None, float | None]]:
    """The scores of a stored item-level-only instrument (the MDI: extent and severity of
    damage), each as (label, value, maximum), scored by the engine with the shape it was
    stored in; empty for the other instruments (their totals are visit columns) or when the
    stored items no longer score."""
    if instrument not in _ITEM_LEVEL_ONLY:
        return []
    given = {k: v for k, v in items.items() if v is not None}
    try:
        result = score_stored(instrument, version, given)
    except ItemError:
        return []
    defn = stored_definition(instrument, version)
    return [(s.label, result.subscores.get(s.id), s.max) for s in defn.subscores]


def item_errors(name: str, given: Mapping[str, float | str | None]) -> list[ItemError]:
    """Every bad item of instrument `name` among `given`, each with its field and allowed
    values: the one item check of the visit form and of the scoring API."""
    errors: list[ItemError] = []
    for item_id, value in given.items():
        try:
            score(name, {item_id: value})
        except ItemError as err:
            errors.append(err)
    return errors


def parse_item(raw: str) -> float | str | None:
    """A form cell: empty is missing, numbers are numbers, anything else is kept as text
    (a code like "NA", or a mistake the engine reports)."""
    text = raw.strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return raw.strip()


def score_visit(
    patient_id: str,
    on: date,
    entered: Mapping[str, Mapping[str, float | str | None]],
) -> tuple[dict[str, float | None], list[Assessment], list[ItemProblem]]:
    """Score every instrument with at least one item entered.

    Returns the visit columns they fill, the item-level assessments to store, and the
    problems (one per bad item, with the allowed values)."""
    columns: dict[str, float | None] = {}
    assessments: list[Assessment] = []
    problems: list[ItemProblem] = []
    for name, items in entered.items():
        given = {k: v for k, v in items.items() if v is not None}
        if not given:
            continue
        definition = INSTRUMENTS.get(name)
        if definition is None:
            problems.append(ItemProblem(name, "", f"There is no instrument {name!r}."))
            continue
        errors = item_errors(name, given)
        if errors:
            problems.extend(ItemProblem(name, err.field, err.message) for err in errors)
            continue
        result = score(name, given)
        for column, key in definition.visit_columns().items():
            columns[column] = result.total if key == "total" else result.subscores.get(key)
        assessments.append(
            Assessment(
                patient_id=patient_id,
                date=on,
                instrument=name,
                items=dict(given),  # type: ignore[arg-type]
                version=result.version,
                total=result.total,
            )
        )
    return columns, assessments, problems
