"""Item-level instruments as repeating REDCap forms: the visit date, the version, every
item of the definition (`myotrack.instruments`), and the total and visit sub-scores as
calculated fields where REDCap's arithmetic can say the rule (sums, and the derived
items' "x factor when" terms via `if()`). A convenience only: myotrack is the scorer of
record, and the field note of every calculated field says so."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Final

from myotrack.exchange.redcap.fields import (
    ASSESSMENT_DATE,
    ASSESSMENT_VERSION,
    Field,
    Form,
    Names,
    number_text,
    redcap_code,
)
from myotrack.instruments import InstrumentDefinition, Item

# An item's scale as radio buttons up to this many values (MMT8: 0-10 and "trace").
MAX_ITEM_RADIO_CHOICES: Final = 12

SCORER_NOTE: Final = (
    "Calculated by REDCap as a convenience only; myotrack is the scorer of record "
    "(REDCap's sum() skips blank and coded items, myotrack gives no total when an item "
    "is missing)."
)


def _item_field(defn: InstrumentDefinition, item: Item, name: str) -> Field:
    note_parts = [f"allowed {item.allowed_text()}"]
    if item.help:
        note_parts.insert(0, item.help)
    base = Field(
        name=name,
        form=defn.name,
        type="text",
        label=item.label,
        column=item.id,
        section=item.section or "",
        note="; ".join(note_parts),
    )
    if item.choices:
        values = [(redcap_code(number_text(v)), text) for v, text in item.choices]
        values += [(redcap_code(code), meaning) for code, meaning in item.codes]
        codes = {redcap_code(number_text(v)): number_text(v) for v, _ in item.choices}
        codes.update({redcap_code(code): code for code, _ in item.codes})
        return replace(
            base,
            type="radio" if len(values) <= MAX_ITEM_RADIO_CHOICES else "dropdown",
            choices=tuple(values),
            codes=codes,
        )
    if item.codes:  # a number or a code in one box: no REDCap validation can say so
        return base
    # "number", not "number_1dp": REDCap's number_Ndp wants exactly N decimals ("5.0").
    whole = item.step == 1 and float(item.min).is_integer()
    validation = "integer" if whole else "number"
    return replace(
        base, validation=validation, min=number_text(item.min), max=number_text(item.max)
    )


def instrument_form(defn: InstrumentDefinition, names: Names) -> Form:
    """An item-level instrument as a repeating form: its date and version, every item, and
    its total as a calculated field where REDCap's arithmetic can say it."""
    prefix = defn.name
    fields: list[Field] = [
        Field(
            name=names.claim(f"{prefix}_date", "visit"),
            form=defn.name,
            type="text",
            label="Visit date",
            column=ASSESSMENT_DATE,
            validation="date_ymd",
            required=True,
            section=defn.title,
            note=f"{defn.title} ({defn.source})",
        ),
        Field(
            name=names.claim(f"{prefix}_version", "form"),
            form=defn.name,
            type="text",
            label="Version of the instrument",
            column=ASSESSMENT_VERSION,
            note=f"as myotrack names it; empty = {defn.version}",
            annotation=f'@DEFAULT="{defn.version}"',
        ),
    ]
    variable: dict[str, str] = {}
    items: list[Field] = []
    for item in defn.items:
        variable[item.id] = names.claim(f"{prefix}_{item.id}", "item")
        items.append(_item_field(defn, item, variable[item.id]))
    fields.extend(_matrix_groups(prefix, items, names))
    fields.extend(_calculated(defn, variable, names))
    return Form(
        name=defn.name,
        label=defn.title,
        repeating=True,
        fields=tuple(fields),
        instrument=defn,
    )


def _matrix_groups(prefix: str, items: list[Field], names: Names) -> list[Field]:
    """Runs of radio items of one section with the same choices as REDCap matrix groups
    (one grid on the form, e.g. the eight MMT8 muscle groups on one 0-10 scale)."""
    out: list[Field] = []
    run: list[Field] = []
    groups = 0

    def flush() -> None:
        nonlocal groups
        if len(run) >= 2:
            groups += 1
            group = names.claim(f"{prefix}_grid_{groups}", "matrix")
            out.extend(replace(f, matrix_group=group) for f in run)
        else:
            out.extend(run)
        run.clear()

    for f in items:
        if run and (
            f.type != "radio" or f.choices != run[0].choices or f.section != run[0].section
        ):
            flush()
        if f.type == "radio":
            run.append(f)
        else:
            flush()
            out.append(f)
    flush()
    return out


def _unit_expression(defn: InstrumentDefinition, unit: str, variable: Mapping[str, str]) -> str:
    """REDCap arithmetic for one scoring unit: an item, or a derived item's rule."""
    for derived in defn.derived:
        if derived.id == unit:
            terms = []
            for term in derived.terms:
                text = f"[{variable[term.item]}]"
                if term.when is not None:
                    text += f"*if([{variable[term.when]}]='1',{number_text(term.factor)},1)"
                elif term.factor != 1:
                    text += f"*{number_text(term.factor)}"
                terms.append(text)
            return "(" + "+".join(terms) + ")"
    return f"[{variable[unit]}]"


def _sum(defn: InstrumentDefinition, units: Sequence[str], variable: Mapping[str, str]) -> str:
    return "sum(" + ",".join(_unit_expression(defn, u, variable) for u in units) + ")"


def _calculated(
    defn: InstrumentDefinition, variable: Mapping[str, str], names: Names
) -> list[Field]:
    consumed = {i for d in defn.derived for i in d.inputs}
    units = [it.id for it in defn.items if it.scored and it.id not in consumed]
    units += [d.id for d in defn.derived]
    subscores = {s.id: s for s in defn.subscores}
    rule = defn.total_rule
    expression: str | None = None
    if rule == "sum":
        expression = _sum(defn, units, variable)
    elif rule.startswith("subscore:"):
        expression = _sum(defn, subscores[rule.split(":", 1)[1]].items, variable)
    elif rule == "sum_subscores":
        expression = _sum(defn, [i for s in defn.subscores for i in s.items], variable)
    fields: list[Field] = []
    if expression is not None:
        fields.append(
            Field(
                name=names.claim(f"{defn.name}_total", "calc"),
                form=defn.name,
                type="calc",
                label=f"{defn.title}: {defn.total_label}",
                calculation=expression,
                note=SCORER_NOTE,
            )
        )
    else:
        fields.append(
            Field(
                name=names.claim(f"{defn.name}_total_note", "calc"),
                form=defn.name,
                type="descriptive",
                label=f"{defn.title}: {defn.total_label} — scored by myotrack only (the rule "
                f"needs more than REDCap's arithmetic). {defn.missing_rule}",
            )
        )
    for sub in defn.subscores:
        if sub.visit_column is None or sub.method != "sum" or rule == f"subscore:{sub.id}":
            continue
        fields.append(
            Field(
                name=names.claim(f"{defn.name}_{sub.id}", "score"),
                form=defn.name,
                type="calc",
                label=f"{defn.title}: {sub.label}",
                calculation=_sum(defn, sub.items, variable),
                note=SCORER_NOTE,
            )
        )
    return fields
