"""CDASI v2 after the December 2026 errata (shared/spec/errata-2026-12.md §1), worked
examples at the edges:

* Gottron's papules on the hands: erythema 0–3, doubled when papules are present, +
  ulceration 0–1 = activity 0–7 (every whole number reachable); damage 0 absent /
  1 dyspigmentation / 2 scarring. The raw inputs are stored; the engine derives the block.
* Poikiloderma is 0–1 (a 2 is refused): damage 32 = 15 x (1 + 1) + 2.
* Activity 100 = 15 x (3 + 2 + 1) + 7 + 2 + 1; both maxima stay flagged UNVERIFIED.
* "The rest are 0" is recorded with the items and printed with the result.
* Assessments stored before the errata (pre-summed Gottron's hands) are read with the
  legacy definition and say so.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from myotrack.instruments import (
    CALCULATORS,
    DEFINITIONS,
    ItemError,
    score,
    score_stored,
    stored_definition,
)
from myotrack.instruments.definitions.cdasi import LEGACY_VERSION, LOCATIONS

CDASI = DEFINITIONS["cdasi"]


def _all(value: int, suffixes: tuple[str, ...]) -> dict[str, Any]:
    return {f"{loc}_{s}": value for loc, _ in LOCATIONS for s in suffixes}


def _activity_zero() -> dict[str, Any]:
    items = _all(0, ("erythema", "scale", "erosion_ulceration"))
    items.update(periungual=0, alopecia_recent_hair_loss=0)
    return items


def _gottron(erythema: int, papules: int, ulceration: int) -> dict[str, Any]:
    return {
        "gottron_hands_erythema": erythema,
        "gottron_hands_papules": papules,
        "gottron_hands_ulceration": ulceration,
    }


def test_gottron_hands_erythema_3_with_papules_and_ulceration_is_7() -> None:
    """3 x 2 + 1 = 7: all other activity items 0, so activity = 7."""
    result = score("cdasi", {**_activity_zero(), **_gottron(3, 1, 1)})
    assert result.derived == {"gottron_hands_activity": 7}
    assert result.subscores["activity"] == 7
    assert result.total == 7


def test_gottron_hands_without_papules_is_not_doubled() -> None:
    """Erythema 3, no papules, ulceration 1 -> 3 + 1 = 4; erythema 2 with papules, no
    ulceration -> 4 as well (two ways to 4)."""
    assert score("cdasi", _gottron(3, 0, 1)).derived["gottron_hands_activity"] == 4
    assert score("cdasi", _gottron(2, 1, 0)).derived["gottron_hands_activity"] == 4


def test_every_gottron_hands_activity_from_0_to_7_is_reachable() -> None:
    reached = {
        e * (2 if p else 1) + u
        for e, p, u in itertools.product(range(4), range(2), range(2))
    }  # fmt: skip
    assert reached == set(range(8))
    engine = {
        score("cdasi", _gottron(e, p, u)).derived["gottron_hands_activity"]
        for e, p, u in itertools.product(range(4), range(2), range(2))
    }
    assert engine == set(range(8))


def test_the_block_is_missing_when_one_raw_input_is_missing() -> None:
    """Papules not recorded: no Gottron's-hands score and no activity, never a guess."""
    items = {**_activity_zero(), "gottron_hands_erythema": 2, "gottron_hands_ulceration": 0}
    result = score("cdasi", items)
    assert result.derived["gottron_hands_activity"] is None
    assert result.total is None
    assert "gottron_hands_papules" in result.missing


def test_a_pre_summed_gottron_value_is_refused_for_new_entries() -> None:
    with pytest.raises(ItemError) as err:
        score("cdasi", {"gottron_hands_activity": 7})
    assert err.value.field == "gottron_hands_activity"
    assert "gottron_hands_erythema" in err.value.allowed


def test_gottron_raw_inputs_out_of_range_are_refused() -> None:
    for item, bad in (
        ("gottron_hands_erythema", 4),
        ("gottron_hands_papules", 2),
        ("gottron_hands_ulceration", 2),
        ("gottron_hands_damage", 3),
    ):
        with pytest.raises(ItemError) as err:
            score("cdasi", {item: bad})
        assert err.value.field == item


def test_damage_max_32_with_poikiloderma_1_everywhere_and_gottron_damage_scarring() -> None:
    """15 x (poikiloderma 1 + calcinosis 1) + Gottron's hands scarring 2 = 32."""
    items = {**_all(1, ("poikiloderma", "calcinosis")), "gottron_hands_damage": 2}
    result = score("cdasi", items)
    assert result.subscores["damage"] == 32 == len(LOCATIONS) * 2 + 2
    assert result.total is None  # activity not entered
    only_poikiloderma = {**_all(0, ("calcinosis",)), **_all(1, ("poikiloderma",))}
    assert score("cdasi", {**only_poikiloderma, "gottron_hands_damage": 1}).subscores[
        "damage"
    ] == 16  # 15 + dyspigmentation 1  # fmt: skip


def test_a_poikiloderma_of_2_is_refused() -> None:
    """0–2 poikiloderma would make the damage maximum 47, not 32 (errata §1)."""
    with pytest.raises(ItemError) as err:
        score("cdasi", {"malar_poikiloderma": 2})
    assert err.value.field == "malar_poikiloderma"
    assert err.value.allowed == "0, 1"
    assert CDASI.item("malar_poikiloderma").max == 1


def test_activity_max_100_and_maxima_flagged_unverified() -> None:
    items = _all(0, ("poikiloderma", "calcinosis"))
    for loc, _ in LOCATIONS:
        items.update({f"{loc}_erythema": 3, f"{loc}_scale": 2, f"{loc}_erosion_ulceration": 1})
    items.update(_gottron(3, 1, 1), periungual=2, alopecia_recent_hair_loss=1)
    items["gottron_hands_damage"] = 0
    result = score("cdasi", items)
    assert result.total == 100 == len(LOCATIONS) * (3 + 2 + 1) + 7 + 2 + 1
    assert result.subscores["damage"] == 0
    assert CDASI.total_max == 100
    assert [s.max for s in CDASI.subscores] == [100, 32]
    text = " ".join(result.assumptions)
    assert "UNVERIFIED" in text and "100" in text and "32" in text


def test_the_rest_are_0_is_recorded_and_said_with_the_result() -> None:
    """The grid's explicit action stores how many items it filled; it never enters a
    score, and every result of that assessment says so."""
    items = {**_activity_zero(), **_gottron(1, 1, 0), "malar_erythema": 2, "rest_set_to_zero": 46}
    result = score("cdasi", items)
    assert result.total == 4  # malar 2 + Gottron's hands 1 x 2
    assert result.items["rest_set_to_zero"] == 46
    assert any("46 CDASI item(s) were entered as 0" in a for a in result.assumptions)
    plain = score("cdasi", {k: v for k, v in items.items() if k != "rest_set_to_zero"})
    assert plain.total == 4
    assert not any("the rest are 0" in a for a in plain.assumptions)


def test_old_shape_assessment_is_read_with_the_legacy_definition_and_marked() -> None:
    old = {**_activity_zero(), "gottron_hands_activity": 5}
    defn = stored_definition("cdasi", LEGACY_VERSION)
    assert defn.name == "cdasi_gottron_presummed"
    result = score_stored("cdasi", LEGACY_VERSION, old)
    assert result.total == 5
    assert result.version == LEGACY_VERSION
    assert any("pre-summed" in a for a in result.assumptions)
    # The same items with the current version are refused: the shape changed.
    with pytest.raises(ItemError):
        score_stored("cdasi", "v2 (modified)", old)
    assert stored_definition("cdasi", None) is CDASI
    assert len(LEGACY_VERSION) <= 64  # the registry's version column is String(64)


def test_calc_schema_offers_the_raw_inputs_with_the_rule() -> None:
    """`myotrack calc cdasi --schema` comes from the same definition: the three raw inputs,
    no pre-summed block, the doubling rule in the description, poikiloderma 0–1."""
    schema = CALCULATORS["cdasi"].input_model.model_json_schema()
    items = schema["$defs"]["CdasiItems"]["properties"]
    assert {"gottron_hands_erythema", "gottron_hands_papules", "gottron_hands_ulceration"} <= set(
        items
    )
    assert "gottron_hands_activity" not in items
    assert "x 2 when papules are present" in items["gottron_hands_erythema"]["description"]
    assert items["malar_poikiloderma"]["maximum"] == 1
    assert items["gottron_hands_damage"]["x-choices"][2]["label"] == "scarring"
    out = CALCULATORS["cdasi"].compute(
        CALCULATORS["cdasi"].input_model.model_validate({"items": _gottron(3, 1, 1)})
    )
    assert out["derived"] == {"gottron_hands_activity": 7}
