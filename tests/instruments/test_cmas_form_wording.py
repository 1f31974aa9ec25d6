"""CMAS after the December 2026 errata (shared/spec/errata-2026-12.md §2), worked examples:

* The official form's top bands say "> 2 min" (items 1, 3) and "> 60 s" (item 8); the
  boundaries stay 120 s -> 5, 119 s -> 4, and 60 s -> 4 for item 8 (59 s -> 3), and every
  result says so in its assumptions.
* Items 8–14 are sourced from the IMACS Form 05c transcription: their levels sum with items
  1–7 to 52 and no "UNVERIFIED against the official sheet" wording is left.
"""

from __future__ import annotations

import inspect

from myotrack.instruments import CALCULATORS, DEFINITIONS, cmas_timed_item, score
from myotrack.instruments.definitions import cmas as cmas_module
from myotrack.instruments.definitions.cmas import TOP_BAND_ASSUMPTION


def test_119_and_120_seconds_and_item_8_at_60_seconds() -> None:
    for item in ("head_elevation", "straight_leg_lift"):
        assert cmas_timed_item(item, 119) == 4
        assert cmas_timed_item(item, 120) == 5
    assert cmas_timed_item("arm_raise_duration", 59) == 3
    assert cmas_timed_item("arm_raise_duration", 60) == 4


def test_the_band_reading_is_in_every_cmas_result_and_the_timed_calculator() -> None:
    items = {it.id: it.max for it in DEFINITIONS["cmas"].items}
    result = score("cmas", items)
    assert result.total == 52
    assert TOP_BAND_ASSUMPTION in result.assumptions
    assert "'> 2 min'" in TOP_BAND_ASSUMPTION and "'> 60 s'" in TOP_BAND_ASSUMPTION
    calc = CALCULATORS["cmas_timed_item"]
    out = calc.compute(calc.input_model.model_validate({"item": "head_elevation", "seconds": 120}))
    assert out["item_score"] == 5
    assert out["assumptions"] == [TOP_BAND_ASSUMPTION]
    via_seconds = CALCULATORS["cmas"].compute(
        CALCULATORS["cmas"].input_model.model_validate(
            {"items": {}, "timed_seconds": {"arm_raise_duration": 60}}
        )
    )
    assert via_seconds["items"]["arm_raise_duration"] == 4
    assert TOP_BAND_ASSUMPTION in via_seconds["assumptions"]


def test_top_level_labels_give_the_form_wording() -> None:
    cmas = DEFINITIONS["cmas"]
    assert "> 2 min" in cmas.item("head_elevation").choices[5][1]
    assert "> 60 s" in cmas.item("arm_raise_duration").choices[4][1]


def test_items_8_to_14_sourced_from_the_imacs_form_and_no_longer_unverified() -> None:
    text = inspect.getsource(cmas_module)
    assert "IMACS Form 05c" in text
    assert "UNVERIFIED against the official" not in text
    cmas = DEFINITIONS["cmas"]
    maxima = [cmas.item(i).max for i in cmas.item_ids[7:]]
    assert maxima == [4, 3, 4, 4, 4, 3, 3]  # items 8-14 (errata §2 table)
    assert cmas.item("pick_up").choices[0][1].startswith("unable to bend over")
