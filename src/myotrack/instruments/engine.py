"""The one engine that validates item values and forms sub-scores and totals from an
instrument definition. Instrument knowledge lives in `myotrack.instruments.definitions`;
nothing here is specific to one instrument except the named total rules."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from myotrack.instruments.definitions import DEFINITIONS, VARIANTS
from myotrack.instruments.model import (
    NOT_APPLICABLE,
    TRACE,
    DerivedItem,
    InstrumentDefinition,
    InstrumentResult,
    Item,
    ItemError,
    Subscore,
)
from myotrack.instruments.vas import MM_PER_CM

_TOLERANCE = 1e-9
ItemValue = float | int | str | bool | None

# Sentinel for an item given as a code that the chosen options cannot turn into a number
# (e.g. a trace grade "T" without a trace_grade option).
_UNRESOLVED = object()


def definition(name: str, **options: Any) -> InstrumentDefinition:
    """The definition scored for `name` with these options (e.g. the 0–51 CMAS for
    version="0-51", the bilateral MMT-8 for laterality="bilateral")."""
    if name not in DEFINITIONS:
        raise ItemError("name", ", ".join(sorted(DEFINITIONS)), f"unknown instrument {name!r}")
    variant = VARIANTS.get(name)
    if variant is None:
        return DEFINITIONS[name]
    option, choices = variant
    value = options.get(option)
    if value is None:
        return DEFINITIONS[name]
    if value not in choices:
        allowed = ", ".join(repr(c) for c in choices)
        raise ItemError(option, allowed, f"option {option}: allowed {allowed}; got {value!r}")
    return DEFINITIONS[choices[value]]


def score(name: str, items: Mapping[str, ItemValue], **options: Any) -> InstrumentResult:
    """Validate the items of instrument `name` and compute its sub-scores and total.

    Missing items (absent or None) give no total unless the instrument's own published
    rule says otherwise (CHAQ: domains answered; MYOACT: systems assessed). Raises
    ItemError naming the field and the allowed values for an unknown item, a value
    outside the allowed set, or an unknown option.
    """
    defn = definition(name, **options)
    opts = _resolve_options(defn, options)
    variant = VARIANTS.get(defn.name)
    if variant is not None:  # record which variant was scored, e.g. version "0-52"
        option, choices = variant
        opts[option] = next(key for key, target in choices.items() if target == defn.name)
    assumptions: list[str] = list(defn.assumptions)
    flags: list[str] = []

    known = set(defn.item_ids)
    for key in items:
        if key not in known:
            raise ItemError(
                key,
                ", ".join(defn.item_ids),
                f"{defn.title}: unknown item {key!r}; items are: {', '.join(defn.item_ids)}",
            )

    values: dict[str, float | str | None] = {}  # numeric, NA, or None (missing/unresolved)
    recorded: dict[str, float | str | None] = {}
    missing: list[str] = []
    for it in defn.items:
        raw = items.get(it.id)
        value = validate_item(defn, it, raw, vas_unit=opts.get("vas_unit", "cm"))
        recorded[it.id] = value
        if value is None:
            if it.required:
                missing.append(it.id)
            values[it.id] = None
        elif value == TRACE:
            trace = opts.get("trace_grade")
            if trace is None:
                values[it.id] = None
                flag = "trace grade requires explicit numeric policy (option trace_grade)"
                if flag not in flags:
                    flags.append(flag)
            else:
                values[it.id] = float(trace)
        else:
            values[it.id] = value
    if "trace_grade" in opts and opts["trace_grade"] is not None and TRACE in recorded.values():
        assumptions.append(
            f"A trace grade 'T' was counted as {_fmt(opts['trace_grade'])} (option trace_grade); "
            "the Kendall 0–10 key gives trace no number and no published MMT-8 rule was found "
            "(UNVERIFIED)."
        )
    if opts.get("vas_unit") == "mm" and any(it.unit == "cm" for it in defn.items):
        assumptions.append("VAS entered in mm and converted to cm (÷10).")

    for it in defn.items:
        value = recorded[it.id]
        if it.note_when_set and value is not None and value != 0:
            assumptions.append(it.note_when_set.replace("{value}", _fmt(float(value))))

    derived = {d.id: _derive(d, values) for d in defn.derived}
    units = _scoring_units(defn, values, derived)
    subscores: dict[str, float | None] = {}
    for sub in defn.subscores:
        subscores[sub.id] = _subscore(sub, units)

    total = _total(defn, values, units, subscores, opts, assumptions, flags)
    if total is not None and not (
        defn.total_min - _TOLERANCE <= total <= defn.total_max + _TOLERANCE
    ):
        # Definitions are tested so that this cannot happen; fail loudly if one is wrong.
        raise AssertionError(
            f"{defn.name}: total {total} outside {defn.total_min}-{defn.total_max}"
        )
    if missing and total is None and "incomplete" not in flags:
        flags.append("incomplete")

    return InstrumentResult(
        name=defn.name,
        version=defn.version,
        source=defn.source,
        total=total,
        subscores=subscores,
        missing=tuple(missing),
        assumptions=tuple(assumptions),
        flags=tuple(flags),
        options=opts,
        items=recorded,
        total_label=defn.total_label,
        total_min=defn.total_min,
        total_max=defn.total_max,
        derived=derived,
    )


def stored_definition(instrument: str, version: str | None) -> InstrumentDefinition:
    """The definition a stored assessment was entered with: the variant of `instrument`
    whose version text is `version` (e.g. a CDASI stored with its Gottron's-hands block
    pre-summed, before the December 2026 errata), else the current one."""
    base = definition(instrument)
    if version is None or version == base.version:
        return base
    variant = VARIANTS.get(base.name)
    if variant is not None:
        for target in variant[1].values():
            if DEFINITIONS[target].version == version:
                return DEFINITIONS[target]
    return base


def score_stored(
    instrument: str,
    version: str | None,
    items: Mapping[str, ItemValue],
    **options: Any,
) -> InstrumentResult:
    """Score a stored assessment with the definition it was entered with (see
    `stored_definition`); its assumptions say when that is an older shape."""
    defn = stored_definition(instrument, version)
    return score(defn.name, items, **options)


def validate_item(
    defn: InstrumentDefinition, it: Item, raw: ItemValue, *, vas_unit: str = "cm"
) -> float | str | None:
    """One item value checked against the definition: a number on the item's grid (VAS in
    mm converted to cm), one of its codes, or None for missing."""
    if raw is None:
        return None
    field = it.id
    allowed = it.allowed_text()
    label = f"{defn.title} item {it.label!r} ({it.id})"
    if isinstance(raw, str):
        code = raw.strip()
        for c, _ in it.codes:
            if code.upper() == c.upper():
                return c
        try:
            raw = float(code)
        except ValueError:
            raise ItemError(field, allowed, f"{label}: allowed {allowed}; got {raw!r}") from None
    if isinstance(raw, bool):
        if not (it.min == 0 and it.max == 1):
            raise ItemError(field, allowed, f"{label}: allowed {allowed}; got {raw!r}")
        raw = 1.0 if raw else 0.0
    value = float(raw)
    if math.isnan(value) or math.isinf(value):
        raise ItemError(field, allowed, f"{label}: allowed {allowed}; got {raw!r}")
    shown = _fmt(value)
    if it.unit == "cm" and vas_unit == "mm":
        value = value / MM_PER_CM
        shown += " mm"
    if value < it.min - _TOLERANCE or value > it.max + _TOLERANCE:
        hint = ""
        if it.unit == "cm" and vas_unit == "cm" and value <= it.max * MM_PER_CM:
            hint = " (if this value is in mm, give the option vas_unit='mm')"
        raise ItemError(field, allowed, f"{label}: allowed {allowed}; got {shown}{hint}")
    steps = (value - it.min) / it.step
    if abs(steps - round(steps)) > 1e-6:
        raise ItemError(field, allowed, f"{label}: allowed {allowed}; got {shown}")
    value = round(it.min + round(steps) * it.step, 10)
    if it.choices and not any(abs(value - v) <= _TOLERANCE for v, _ in it.choices):
        raise ItemError(field, allowed, f"{label}: allowed {allowed}; got {shown}")
    return value


def visit_values(result: InstrumentResult) -> dict[str, float | None]:
    """The visits.csv columns a result fills (e.g. {"cdasi_activity": 26, "cdasi_damage": 3})."""
    defn = DEFINITIONS[result.name]
    out: dict[str, float | None] = {}
    for column, key in defn.visit_columns().items():
        out[column] = result.total if key == "total" else result.subscores.get(key)
    return out


def _resolve_options(defn: InstrumentDefinition, options: Mapping[str, Any]) -> dict[str, Any]:
    specs = {o.name: o for o in defn.options}
    resolved: dict[str, Any] = {o.name: o.default for o in defn.options}
    for key, value in options.items():
        spec = specs.get(key)
        if spec is None:
            allowed = ", ".join(specs) or "(none)"
            raise ItemError(
                key, allowed, f"{defn.title}: unknown option {key!r}; options: {allowed}"
            )
        if value is None:
            continue
        if spec.allowed and value not in spec.allowed:
            allowed = ", ".join(repr(a) for a in spec.allowed)
            raise ItemError(
                key, allowed, f"{defn.title} option {key}: allowed {allowed}; got {value!r}"
            )
        resolved[key] = value
    trace = resolved.get("trace_grade")
    if trace is not None and (
        isinstance(trace, bool) or not isinstance(trace, int | float) or not 0 <= trace <= 1
    ):
        raise ItemError(
            "trace_grade",
            "a number from 0 to 1 (trace lies between grade 0 and grade 1), or null",
            f"option trace_grade: allowed a number from 0 to 1 or null; got {trace!r}",
        )
    min_domains = resolved.get("min_domains")
    if min_domains is not None and (
        isinstance(min_domains, bool)
        or not isinstance(min_domains, int)
        or not 1 <= min_domains <= len(defn.subscores)
    ):
        raise ItemError(
            "min_domains",
            f"a whole number from 1 to {len(defn.subscores)}",
            f"option min_domains: allowed 1–{len(defn.subscores)}; got {min_domains!r}",
        )
    return resolved


def _derive(d: DerivedItem, values: Mapping[str, float | str | None]) -> float | None:
    """A derived item from its inputs: the sum of its terms, each multiplied by its
    factor when its yes/no item is 1; None if any input is missing or a code."""
    parts: list[float] = []
    for term in d.terms:
        value = values.get(term.item)
        if value is None or isinstance(value, str):
            return None
        factor = 1.0
        if term.when is not None:
            flag = values.get(term.when)
            if flag is None or isinstance(flag, str):
                return None
            factor = float(term.factor) if flag == 1 else 1.0
        parts.append(float(value) * factor)
    result = _clean(math.fsum(parts))
    if not d.min - _TOLERANCE <= result <= d.max + _TOLERANCE:
        # Definitions are tested so that this cannot happen; fail loudly if one is wrong.
        raise AssertionError(f"{d.id}: {result} outside {d.min}-{d.max}")
    return result


def _scoring_units(
    defn: InstrumentDefinition,
    values: Mapping[str, float | str | None],
    derived: Mapping[str, float | None],
) -> dict[str, float | str | None]:
    """What scores are formed from: the scored items that are no derived item's input,
    then the derived items."""
    consumed = {i for d in defn.derived for i in d.inputs}
    units: dict[str, float | str | None] = {
        it.id: values[it.id] for it in defn.items if it.scored and it.id not in consumed
    }
    units.update(derived)
    return units


def _subscore(sub: Subscore, values: Mapping[str, float | str | None]) -> float | None:
    vals = [values[i] for i in sub.items]
    if sub.method == "sum":
        if any(v is None or isinstance(v, str) for v in vals):
            return None
        return _clean(math.fsum(float(v) for v in vals if v is not None and not isinstance(v, str)))
    if sub.method == "sum_assessed":  # "NA" items left out; a missing item gives none
        if any(v is None for v in vals):
            return None
        return _clean(math.fsum(float(v) for v in vals if v is not None and not isinstance(v, str)))
    if sub.method == "max_answered":
        answered = [float(v) for v in vals if v is not None and not isinstance(v, str)]
        return max(answered) if answered else None
    raise ValueError(f"unknown sub-score method {sub.method!r}")


def _total(
    defn: InstrumentDefinition,
    values: Mapping[str, float | str | None],
    units: Mapping[str, float | str | None],
    subscores: Mapping[str, float | None],
    opts: Mapping[str, Any],
    assumptions: list[str],
    flags: list[str],
) -> float | None:
    rule = defn.total_rule
    if rule == "none":
        return None
    if rule == "sum":
        vals = list(units.values())
        if any(v is None or isinstance(v, str) for v in vals):
            return None
        return _clean(math.fsum(float(v) for v in vals if v is not None and not isinstance(v, str)))
    if rule == "sum_subscores":
        subs = list(subscores.values())
        if any(s is None for s in subs):
            return None
        return _clean(math.fsum(s for s in subs if s is not None))
    if rule.startswith("subscore:"):
        return subscores[rule.split(":", 1)[1]]
    if rule == "mean_answered_subscores":
        return _disability_index(defn, values, subscores, opts, assumptions, flags)
    if rule == "normalised_sum":
        return _normalised_sum(defn, values, subscores)
    raise ValueError(f"unknown total rule {rule!r}")


def _disability_index(
    defn: InstrumentDefinition,
    values: Mapping[str, float | str | None],
    subscores: Mapping[str, float | None],
    opts: Mapping[str, Any],
    assumptions: list[str],
    flags: list[str],
) -> float | None:
    """CHAQ disability index: each domain scores its worst answered item; in the original
    scoring a domain with aids/devices or help from another person is raised to at least 2;
    DI = sum of domain scores / number of domains answered (Singh 1994; NINDS CDE)."""
    domains = [s for s in defn.subscores if s.id in subscores]
    scores: dict[str, float | None] = {s.id: subscores[s.id] for s in domains}
    if opts.get("method") == "original":
        raised = []
        for s in domains:
            aid = f"aids_or_help_{s.id}"
            current = scores[s.id]
            if values.get(aid) == 1.0 and current is not None and current < 2:
                scores[s.id] = 2.0
                raised.append(s.id)
        if raised:
            assumptions.append(
                "Original CHAQ scoring: domain(s) "
                + ", ".join(raised)
                + " raised to 2 for aids/devices or help (HAQ convention, Stanford HAQ scoring "
                "instructions; not confirmed in the CHAQ paper — UNVERIFIED). Use "
                "method='simplified' (Ruperto 2010) to score without it."
            )
    for s in domains:
        # Report the adjusted domain scores as the domain sub-scores.
        if isinstance(subscores, dict):
            subscores[s.id] = scores[s.id]
    answered = [v for v in scores.values() if v is not None]
    min_domains = int(opts.get("min_domains") or len(domains))
    if len(answered) < min_domains:
        flags.append(
            f"only {len(answered)} of {len(domains)} domains answered (need {min_domains})"
        )
        return None
    if len(answered) < len(domains):
        assumptions.append(
            f"DI divided by the {len(answered)} domains answered (NINDS CDE CHAQ rule); minimum "
            f"{min_domains} domains (HAQ convention, UNVERIFIED for the CHAQ; option min_domains)."
        )
    return _clean(math.fsum(answered) / len(answered))


def _normalised_sum(
    defn: InstrumentDefinition,
    values: Mapping[str, float | str | None],
    subscores: dict[str, float | None] | Mapping[str, float | None],
) -> float | None:
    """MYOACT: sum of the organ-system VAS divided by the maximum possible for the systems
    assessed ("NA" systems leave both out); a missing (not "NA") system gives no score."""
    vals = [values[it.id] for it in defn.items]
    if any(v is None for v in vals):
        return None
    assessed = [it for it in defn.items if values[it.id] != NOT_APPLICABLE]
    if not assessed:
        return None
    total = math.fsum(float(values[it.id]) for it in assessed)  # type: ignore[arg-type]
    maximum = math.fsum(it.max for it in assessed)
    if isinstance(subscores, dict):
        subscores["sum_assessed"] = _clean(total)
        subscores["max_possible"] = _clean(maximum)
    return _clean(total / maximum)


def _clean(x: float) -> float:
    return round(x, 10) + 0.0


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
