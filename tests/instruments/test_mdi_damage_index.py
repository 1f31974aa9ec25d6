"""Myositis Damage Index: item-level entry read by the one engine; the two scores (number of
damage items present; sum of the organ-system damage VAS) on a worked example computed by
hand; 'NA' left out, empty gives no score; the evidence status of every item is stated."""

from __future__ import annotations

from typing import Any

import pytest

from myotrack.instruments import DEFINITIONS, ItemError, score
from myotrack.instruments.definitions.mdi import (
    COUNTED_IDS,
    MDI_ITEMS,
    MDI_SYSTEMS,
    PUBLISHED_JUVENILE_COUNT_MAX,
    UNVERIFIED_ITEMS,
    VAS_SUM_MAX,
)

ENDOCRINE_ADULT = ("irregular_menses", "amenorrhoea", "infertility", "sexual_dysfunction")


def _child_with_skin_and_joint_damage() -> dict[str, Any]:
    """A 9-year-old boy, 4 years after onset: calcinosis (superficial nodules at the elbows),
    contractures, scarring and lipodystrophy; items for adults/girls not applicable."""
    items: dict[str, Any] = {i.id: 0 for i in MDI_ITEMS if i.counted}
    items.update(
        calcinosis=1,
        calcinosis_superficial=1,  # a detail: recorded, not counted
        joint_contractures=1,
        cutaneous_scarring=1,
        lipodystrophy=1,
    )
    for item_id in ENDOCRINE_ADULT:
        items[item_id] = "NA"
    items.update({f"{s.id}_vas": 0 for s in MDI_SYSTEMS})
    items.update(cutaneous_vas=3.5, skeletal_vas=2.0)
    return items


def test_worked_example() -> None:
    result = score("mdi", _child_with_skin_and_joint_damage())
    # by hand: calcinosis + contractures + scarring + lipodystrophy = 4 items present;
    # VAS: cutaneous 3.5 + skeletal 2.0 = 5.5 cm
    assert result.subscores["damage_count"] == 4
    assert result.subscores["damage_vas_sum"] == pytest.approx(5.5)
    assert result.total is None  # two scores, no single total
    assert result.items["calcinosis_superficial"] == 1.0
    assert result.items["infertility"] == "NA"
    assert any("UNVERIFIED" in a for a in result.assumptions)
    assert any(str(PUBLISHED_JUVENILE_COUNT_MAX) in a for a in result.assumptions)


def test_empty_item_gives_no_count_and_empty_system_no_vas_sum() -> None:
    items = _child_with_skin_and_joint_damage()
    del items["cataract"]
    result = score("mdi", items)
    assert result.subscores["damage_count"] is None
    assert "cataract" in result.missing
    assert result.subscores["damage_vas_sum"] == pytest.approx(5.5)
    items = _child_with_skin_and_joint_damage()
    items["ocular_vas"] = None
    assert score("mdi", items).subscores["damage_vas_sum"] is None


def test_na_system_is_left_out_of_the_vas_sum() -> None:
    items = _child_with_skin_and_joint_damage()
    items["malignancy_vas"] = "NA"
    items["skeletal_vas"] = 10
    assert score("mdi", items).subscores["damage_vas_sum"] == pytest.approx(13.5)


def test_ranges() -> None:
    defn = DEFINITIONS["mdi"]
    assert len(MDI_SYSTEMS) == 11 and VAS_SUM_MAX == 110  # 11 systems x 10 cm
    top: dict[str, Any] = {it.id: it.max for it in defn.items}
    result = score("mdi", top)
    assert result.subscores["damage_count"] == len(COUNTED_IDS)
    assert result.subscores["damage_vas_sum"] == 110
    with pytest.raises(ItemError) as err:
        score("mdi", {"calcinosis": 2})
    assert err.value.field == "calcinosis"
    with pytest.raises(ItemError):
        score("mdi", {"muscle_vas": 10.5})


def test_every_item_has_a_status_and_only_the_retrieved_ones_are_verified() -> None:
    verified = [i for i in MDI_ITEMS if i.status == "VERIFIED"]
    assert all(i.number is not None for i in verified)
    # Form 08 items 1-13 (with 11a-d and 12a-d) are the retrieved part.
    numbers = {i.number for i in verified}
    assert {str(n) for n in range(1, 14)} <= numbers
    assert all(i.number is None for i in MDI_ITEMS if i.id in UNVERIFIED_ITEMS)
    defn = DEFINITIONS["mdi"]
    for item in defn.items:
        if item.id in UNVERIFIED_ITEMS:
            assert item.help and "UNVERIFIED" in item.help
