"""Properties of the engine over every definition: totals stay in range for any valid
items and equal an independent computation; a missing item gives no total; an
out-of-range or off-grid value is refused naming the field; VAS mm <-> cm round-trips."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from myotrack.instruments import (
    DEFINITIONS,
    INSTRUMENTS,
    InstrumentDefinition,
    Item,
    ItemError,
    cm_to_mm,
    cmas_timed_item,
    mm_to_cm,
    score,
    visit_values,
)
from myotrack.instruments.cmas_timed import TIMED_ITEMS
from myotrack.instruments.model import NOT_APPLICABLE

NAMES = sorted(DEFINITIONS)


def _grid(it: Item) -> st.SearchStrategy[float]:
    n = round((it.max - it.min) / it.step)
    return st.integers(0, n).map(lambda k: round(it.min + k * it.step, 10))


def _value(it: Item) -> st.SearchStrategy[Any]:
    if any(code == NOT_APPLICABLE for code, _ in it.codes):
        return st.one_of(_grid(it), st.just(NOT_APPLICABLE))
    return _grid(it)


def complete_items(defn: InstrumentDefinition) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({it.id: _value(it) for it in defn.items})


@st.composite
def definition_and_items(draw: st.DrawFn) -> tuple[InstrumentDefinition, dict[str, Any]]:
    defn = DEFINITIONS[draw(st.sampled_from(NAMES))]
    return defn, draw(complete_items(defn))


# Derived items recomputed here from the errata's words, not from the definition's terms:
# CDASI Gottron's hands activity = erythema 0-3, doubled when papules are present, +
# ulceration 0-1 (shared/spec/errata-2026-12.md §1).
INDEPENDENT_DERIVED: dict[str, Any] = {
    "gottron_hands_activity": lambda v: (
        v["gottron_hands_erythema"] * (2 if v["gottron_hands_papules"] == 1 else 1)
        + v["gottron_hands_ulceration"]
    ),
}


def _numeric(values: dict[str, Any], ids: Any) -> list[float]:
    out = []
    for i in ids:
        derived = i in INDEPENDENT_DERIVED and i not in values
        value = INDEPENDENT_DERIVED[i](values) if derived else values.get(i)
        if value not in (None, NOT_APPLICABLE):
            out.append(float(value))
    return out


def independent_total(defn: InstrumentDefinition, items: dict[str, Any]) -> float | None:
    """The total recomputed here, from the published rules, without the engine."""
    rule = defn.total_rule
    if rule == "sum":
        return math.fsum(float(items[it.id]) for it in defn.items if it.scored)
    if rule == "sum_subscores" or rule.startswith("subscore:"):
        subs = (
            defn.subscores
            if rule == "sum_subscores"
            else [s for s in defn.subscores if s.id == rule.split(":")[1]]
        )
        return math.fsum(math.fsum(_numeric(items, s.items)) for s in subs)
    if rule == "mean_answered_subscores":  # CHAQ DI, original method (default)
        domains = []
        for s in defn.subscores:
            answered = _numeric(items, s.items)
            if answered:
                worst = max(answered)
                if items.get(f"aids_or_help_{s.id}") == 1 and worst < 2:
                    worst = 2.0
                domains.append(worst)
        return math.fsum(domains) / len(domains) if len(domains) >= 6 else None
    if rule == "normalised_sum":  # MYOACT
        assessed = [it for it in defn.items if items[it.id] != NOT_APPLICABLE]
        if not assessed:
            return None
        return math.fsum(float(items[it.id]) for it in assessed) / (10 * len(assessed))
    assert rule == "none"
    return None


@settings(max_examples=300)
@given(definition_and_items())
def test_total_in_range_and_equal_to_independent_computation(
    case: tuple[InstrumentDefinition, dict[str, Any]],
) -> None:
    defn, items = case
    result = score(defn.name, items)
    expected = independent_total(defn, items)
    if expected is None:
        assert result.total is None
    else:
        assert result.total is not None
        assert result.total == pytest.approx(expected, abs=1e-9)
        assert defn.total_min <= result.total <= defn.total_max
    for sub in defn.subscores:
        value = result.subscores[sub.id]
        if value is not None:
            assert sub.min <= value <= sub.max


@pytest.mark.parametrize("name", NAMES)
def test_item_maxima_match_the_declared_total_range(name: str) -> None:
    """The definitions' own arithmetic: all items at maximum give exactly total_max."""
    defn = DEFINITIONS[name]
    if defn.total_rule in ("none", "mean_answered_subscores", "normalised_sum"):
        top = {it.id: it.max for it in defn.items}
        result = score(name, top)
        assert result.total == (None if defn.total_rule == "none" else defn.total_max)
        return
    top = {it.id: it.max for it in defn.items}
    assert score(name, top).total == defn.total_max
    bottom = {it.id: it.min for it in defn.items}
    assert score(name, bottom).total == defn.total_min


SUMMED = [n for n in NAMES if DEFINITIONS[n].total_rule not in ("none", "mean_answered_subscores")]


@given(st.data())
def test_a_missing_item_gives_no_total(data: st.DataObject) -> None:
    defn = DEFINITIONS[data.draw(st.sampled_from(SUMMED))]
    items = data.draw(complete_items(defn))
    rule = defn.total_rule
    if rule.startswith("subscore:"):
        sub = next(s for s in defn.subscores if s.id == rule.split(":")[1])
        # A derived unit (CDASI Gottron's hands) is missing when any of its inputs is.
        candidates = [i for unit in sub.items for i in defn.inputs_of(unit)]
    else:
        candidates = list(defn.item_ids)
    gone = data.draw(st.sampled_from(candidates))
    del items[gone]
    result = score(defn.name, items)
    assert result.total is None
    assert gone in result.missing
    assert "incomplete" in result.flags
    # None counts as missing too, never as zero.
    items[gone] = None
    assert score(defn.name, items).total is None


def test_chaq_domains_answered_rule() -> None:
    defn = DEFINITIONS["chaq"]
    items: dict[str, Any] = {it.id: 1 for it in defn.items if it.section != "aids_or_help"}
    assert score("chaq", items).total == 1.0
    # Two domains entirely unanswered: DI over the 6 answered (published NINDS CDE rule).
    walking = next(s for s in defn.subscores if s.id == "walking")
    grip = next(s for s in defn.subscores if s.id == "grip")
    for item_id in walking.items + grip.items:
        items[item_id] = None
    items["dress"] = 3
    result = score("chaq", items)
    assert result.total == pytest.approx((3 + 5 * 1) / 6)
    assert result.assumptions
    # A third domain gone: below the 6-domain minimum, no DI; min_domains=5 allows it.
    for item_id in next(s for s in defn.subscores if s.id == "reach").items:
        items[item_id] = NOT_APPLICABLE
    assert score("chaq", items).total is None
    assert score("chaq", items, min_domains=5).total == pytest.approx((3 + 4 * 1) / 5)


def test_myoact_missing_system_is_not_not_applicable() -> None:
    items = {
        "constitutional": 2,
        "cutaneous": 3,
        "skeletal": 0,
        "gastrointestinal": 0,
        "pulmonary": 1,
    }
    assert score("myoact", items).total is None  # cardiac left empty: no score
    assert score("myoact", {**items, "cardiac": "NA"}).total == pytest.approx(6 / 50)


@given(st.data())
def test_out_of_range_or_off_grid_value_names_the_field(data: st.DataObject) -> None:
    defn = DEFINITIONS[data.draw(st.sampled_from(NAMES))]
    it = data.draw(st.sampled_from(defn.items))
    bad = data.draw(
        st.sampled_from([it.max + it.step, it.min - it.step, it.max + 100, it.min + it.step / 2])
    )
    with pytest.raises(ItemError) as err:
        score(defn.name, {it.id: bad})
    assert err.value.field == it.id
    assert err.value.allowed == it.allowed_text()
    assert it.id in err.value.message


def test_unknown_item_and_unknown_option_are_refused() -> None:
    with pytest.raises(ItemError) as err:
        score("cmas", {"head_lift": 3})
    assert err.value.field == "head_lift"
    assert "head_elevation" in err.value.allowed
    with pytest.raises(ItemError) as err:
        score("cmas", {}, scale="0-60")
    assert err.value.field == "scale"
    with pytest.raises(ItemError) as err:
        score("cmas", {}, version="0-50")
    assert err.value.field == "version"
    with pytest.raises(ItemError) as err:
        score("nonsense", {})
    assert err.value.field == "name"
    with pytest.raises(ItemError):
        score("cmas", {"head_elevation": True})  # a yes/no only fits a 0/1 item


@given(st.integers(min_value=0, max_value=100))
def test_vas_mm_cm_round_trip(mm: int) -> None:
    cm = mm_to_cm(mm)
    assert cm == pytest.approx(mm / 10)
    assert cm_to_mm(cm) == mm
    by_mm = score("globals", {"phga": mm}, vas_unit="mm")
    by_cm = score("globals", {"phga": cm})
    assert by_mm.subscores["phga"] == by_cm.subscores["phga"] == pytest.approx(mm / 10)
    assert any("mm" in a for a in by_mm.assumptions)


def test_vas_refuses_mm_given_as_cm_and_sub_millimetre_values() -> None:
    with pytest.raises(ItemError) as err:
        score("globals", {"phga": 45})  # 45 is mm, but the unit is cm by default
    assert err.value.field == "phga"
    assert "vas_unit='mm'" in err.value.message  # the message says how to give mm
    with pytest.raises(ItemError):
        score("globals", {"phga": 4.55})  # finer than 0.1 cm
    with pytest.raises(ItemError):
        score("globals", {"phga": 101}, vas_unit="mm")


def test_mmt8_trace_policy_is_explicit() -> None:
    grades: dict[str, Any] = {it.id: 10 for it in DEFINITIONS["mmt8"].items}
    grades["ankle_dorsiflexors"] = "T"
    assert score("mmt8", grades).total is None
    counted = score("mmt8", grades, trace_grade=0)
    assert counted.total == 70
    assert any("trace" in a for a in counted.assumptions)
    assert score("mmt8", grades, trace_grade=0.5).total == 70.5
    with pytest.raises(ItemError) as err:
        score("mmt8", grades, trace_grade=2)
    assert err.value.field == "trace_grade"


def test_cmas_0_51_version() -> None:
    items = {it.id: it.max for it in DEFINITIONS["cmas"].items}
    with pytest.raises(ItemError) as err:
        score("cmas", items, version="0-51")  # supine-to-prone 3 does not exist in 0-51
    assert err.value.field == "supine_to_prone"
    items["supine_to_prone"] = 2
    result = score("cmas", items, version="0-51")
    assert result.total == 51
    assert result.version == "0-51"
    assert result.options["version"] == "0-51"
    assert score("cmas", items).options["version"] == "0-52"  # the default, recorded
    assert any("UNVERIFIED" in a for a in result.assumptions)


@given(st.sampled_from(sorted(TIMED_ITEMS)), st.floats(0, 1000), st.floats(0, 1000))
def test_timed_items_are_monotone_and_bounded(item: str, a: float, b: float) -> None:
    lo, hi = sorted((a, b))
    top = DEFINITIONS["cmas"].item(item).max
    assert 0 <= cmas_timed_item(item, lo) <= cmas_timed_item(item, hi) <= top


def test_timed_item_refuses_negative_seconds() -> None:
    with pytest.raises(ItemError) as err:
        cmas_timed_item("head_elevation", -1)
    assert err.value.field == "seconds"


def test_visit_values_fill_the_cohort_columns() -> None:
    result = score("das", {"skin": 5, "muscle": 4})
    assert visit_values(result) == {"das_skin": 5, "das_muscle": 4}
    result = score("catbm", {"activity_lesions": 3, "damage_lesions": 1})
    assert visit_values(result) == {"catbm_activity": 3, "catbm_damage": 1}
    result = score("globals", {"phga": 2.5})
    assert visit_values(result) == {"phga": 2.5, "parent_global": None}
    from myotrack.domain.vocab import VISIT_MEASURES

    for defn in INSTRUMENTS.values():
        for column, key in defn.visit_columns().items():
            low, high, _ = VISIT_MEASURES[column]
            rng = (
                (defn.total_min, defn.total_max)
                if key == "total"
                else next((s.min, s.max) for s in defn.subscores if s.id == key)
            )
            assert low is None or low <= rng[0]
            assert high is None or rng[1] <= high, (defn.name, column)


@pytest.mark.parametrize("name", NAMES)
def test_every_scored_item_reaches_a_score_and_derived_maxima_add_up(name: str) -> None:
    """No entered item is silently dropped: each scored item is in a sub-score (or the
    plain-sum total) directly or through a derived item; unscored items (CDASI 'the rest
    are 0') are in none. A derived item's declared maximum is what its terms give at their
    items' maxima."""
    defn = DEFINITIONS[name]
    units = {u for s in defn.subscores for u in s.items}
    reached = {i for u in units for i in defn.inputs_of(u)}
    for it in defn.items:
        if not it.scored:
            assert it.id not in reached, it.id
        elif defn.total_rule == "mean_answered_subscores":  # CHAQ: aids/help enter the DI
            assert it.id in reached or it.id.startswith("aids_or_help_"), it.id
        elif defn.subscores and defn.total_rule != "normalised_sum":
            assert it.id in reached, it.id
    for d in defn.derived:
        top = sum(defn.item(t.item).max * (t.factor if t.when is not None else 1) for t in d.terms)
        assert top == d.max, d.id
        assert d.id in units
