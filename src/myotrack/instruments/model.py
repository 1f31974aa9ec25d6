"""The shapes of an instrument definition and of a scored result.

An instrument is data: its items (allowed values, labels, sections), its sub-scores,
how the total is formed and what happens to missing items. One engine
(`myotrack.instruments.engine`) reads these definitions; the web form, the JSON schema
of `myotrack calc` and the validation all come from the same definition.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Non-numeric codes an item may accept (listed per item in `Item.codes`).
NOT_APPLICABLE = "NA"  # item/system not applicable or not assessable (CHAQ, MYOACT)
TRACE = "T"  # Kendall "trace" muscle grade (MMT); needs an explicit numeric policy


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    label: str
    min: float
    max: float
    step: float
    choices: tuple[tuple[float, str], ...] = ()
    section: str | None = None
    help: str | None = None
    # Non-numeric codes accepted besides numbers, e.g. (("NA", "not applicable"),).
    codes: tuple[tuple[str, str], ...] = ()
    # Unit of the value, e.g. "cm" for a visual analogue scale (mm accepted and converted).
    unit: str | None = None
    # False for optional check-boxes (e.g. CHAQ aids/help): absence means "not marked".
    required: bool = True
    # False for a record of how the form was filled in (e.g. CDASI "the rest are 0"): it is
    # stored with the items but never enters a score.
    scored: bool = True
    # Printed with the result (as an assumption) when the item is given and not 0; "{value}"
    # is replaced by the value.
    note_when_set: str | None = None

    def allowed_text(self) -> str:
        """The allowed values in words, for error messages and forms."""
        if self.choices and len(self.choices) <= 12:
            values = ", ".join(_fmt(v) for v, _ in self.choices)
        else:
            values = f"{_fmt(self.min)}–{_fmt(self.max)}"
            if self.step != 1:
                values += f" in steps of {_fmt(self.step)}"
            elif self.max - self.min > 1:
                values += " (whole numbers)"
        if self.unit:
            values += f" {self.unit}"
        if self.codes:
            values += " or " + ", ".join(f'"{c}" ({meaning})' for c, meaning in self.codes)
        return values


@dataclass(frozen=True, slots=True)
class Term:
    """One term of a derived item: the value of `item`, multiplied by `factor` when the
    yes/no item `when` is 1 (yes), else by 1."""

    item: str
    factor: float = 1
    when: str | None = None


@dataclass(frozen=True, slots=True)
class DerivedItem:
    """A score the engine forms from stored raw items (the raw inputs are what is entered
    and stored, so the score can be re-derived if its rule changes), e.g. CDASI Gottron's
    hands activity = erythema x 2 when papules are present + ulceration.

    Missing (None) when any of its input items is missing."""

    id: str
    label: str
    terms: tuple[Term, ...]
    min: float
    max: float
    section: str | None = None
    rule_text: str = ""  # the rule in words, shown in forms and `myotrack calc --schema`
    source: str = ""

    @property
    def inputs(self) -> tuple[str, ...]:
        ids: list[str] = []
        for term in self.terms:
            for item_id in (term.item, term.when):
                if item_id is not None and item_id not in ids:
                    ids.append(item_id)
        return tuple(ids)


@dataclass(frozen=True, slots=True)
class Subscore:
    id: str
    label: str
    items: tuple[str, ...]
    min: float
    max: float
    # "sum": sum of its items, none if any item is missing;
    # "max_answered": highest answered item, "NA"/missing items skipped (CHAQ domain);
    # "sum_assessed": sum of its items, "NA" items left out, none if any is missing (MDI).
    method: str = "sum"
    visit_column: str | None = None


@dataclass(frozen=True, slots=True)
class OptionSpec:
    """A documented scoring option of an instrument (shown by `myotrack calc --schema`)."""

    name: str
    description: str
    default: Any
    allowed: tuple[Any, ...] = ()  # empty: any value of the documented type


@dataclass(frozen=True, slots=True)
class InstrumentDefinition:
    name: str
    title: str
    version: str
    source: str
    items: tuple[Item, ...]
    total_min: float
    total_max: float
    visit_column: str | None  # the visits.csv column the total fills, if any
    subscores: tuple[Subscore, ...] = ()
    # How the total is formed: "sum" (all items), "sum_subscores", "subscore:<id>",
    # "mean_answered_subscores" (CHAQ disability index), "normalised_sum" (MYOACT),
    # "none" (no total: a set of separate ratings).
    total_rule: str = "sum"
    total_label: str = "total"
    higher_is: str = "better"  # "better" or "worse"
    missing_rule: str = (
        "Any missing item: no total (no published prorating rule was found; never counted as zero)."
    )
    options: tuple[OptionSpec, ...] = ()
    # Standing caveats printed with every result (e.g. maxima that are derived).
    assumptions: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    # Scores formed from raw items by a stated rule (sub-scores may list their ids).
    derived: tuple[DerivedItem, ...] = ()

    def item(self, item_id: str) -> Item:
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(it.id for it in self.items)

    def derived_item(self, derived_id: str) -> DerivedItem:
        for d in self.derived:
            if d.id == derived_id:
                return d
        raise KeyError(derived_id)

    def inputs_of(self, unit_id: str) -> tuple[str, ...]:
        """The stored items behind a scoring unit: itself, or a derived item's inputs."""
        for d in self.derived:
            if d.id == unit_id:
                return d.inputs
        return (unit_id,)

    def visit_columns(self) -> dict[str, str]:
        """visits.csv column -> result key ("total" or a sub-score id) that fills it."""
        columns: dict[str, str] = {}
        if self.visit_column:
            columns[self.visit_column] = "total"
        for sub in self.subscores:
            if sub.visit_column:
                columns[sub.visit_column] = sub.id
        return columns


@dataclass(frozen=True, slots=True)
class InstrumentResult:
    name: str
    version: str
    source: str
    total: float | None
    subscores: dict[str, float | None]
    missing: tuple[str, ...]
    assumptions: tuple[str, ...]
    flags: tuple[str, ...] = ()
    options: dict[str, Any] = field(default_factory=dict)
    items: dict[str, float | str | None] = field(default_factory=dict)
    total_label: str = "total"
    total_min: float | None = None
    total_max: float | None = None
    # Derived items formed from the raw ones (e.g. CDASI Gottron's hands activity).
    derived: dict[str, float | None] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "source": self.source,
            "total": self.total,
            "total_label": self.total_label,
            "total_range": [self.total_min, self.total_max],
            "subscores": dict(self.subscores),
            "missing": list(self.missing),
            "flags": list(self.flags),
            "options": dict(self.options),
            "items": dict(self.items),
            "derived": dict(self.derived),
            "assumptions": list(self.assumptions),
        }


class ItemError(ValueError):
    """A value that the instrument does not allow, or an item it does not have."""

    def __init__(self, field: str, allowed: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.allowed = allowed
        self.message = message


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
