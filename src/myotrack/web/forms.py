"""The visit form's instruments: which ones, in which order, and turning entered items into
visit totals. Everything comes from the instrument definitions (myotrack.instruments)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from myotrack.domain import Assessment
from myotrack.instruments import INSTRUMENTS, InstrumentDefinition, ItemError, score

# Shown first, in the order clinicians fill them in (issue 5); any other instrument that
# fills a visit column follows in name order.
_PREFERRED = ("cmas", "mmt8", "catbm", "cdasi", "das", "chaq", "globals")


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
    """The instruments of the visit form: those whose total fills a visit column."""
    chosen = [d for d in INSTRUMENTS.values() if d.visit_columns()]
    order = {name: i for i, name in enumerate(_PREFERRED)}
    return sorted(chosen, key=lambda d: (order.get(d.name, len(order)), d.name))


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
