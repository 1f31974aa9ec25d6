"""CAT-BM and JDM DAS after the December 2026 errata (§3, §4), worked examples at the edges:

* CAT-BM: totals only, activity 0–17 = 10 activity + 7 combined lesions and damage 0–11 =
  4 damage + 7 combined (lesion counts CONFIRMED, Huber 2007), the maxima DERIVED and said so
  in every result; 18 / 12 refused; no lesion list.
* DAS: domains skin 0–9 and muscle 0–11 (CONFIRMED), total 0–20; 10 / 12 refused; no
  item-level DAS.
"""

from __future__ import annotations

import pytest

from myotrack.instruments import DEFINITIONS, ItemError, score


def test_catbm_totals_only_with_derived_maxima() -> None:
    catbm = DEFINITIONS["catbm"]
    assert catbm.item_ids == ("activity_lesions", "damage_lesions")  # no lesion list
    result = score("catbm", {"activity_lesions": 17, "damage_lesions": 11})
    assert result.subscores == {"activity": 10 + 7, "damage": 4 + 7}
    assert any("DERIVED" in a and "17" in a and "11" in a for a in result.assumptions)
    for item, bad in (("activity_lesions", 18), ("damage_lesions", 12)):
        with pytest.raises(ItemError) as err:
            score("catbm", {item: bad})
        assert err.value.field == item


def test_das_domain_ranges_and_total() -> None:
    das = DEFINITIONS["das"]
    assert das.item_ids == ("skin", "muscle")  # no item-level DAS
    result = score("das", {"skin": 9, "muscle": 11})
    assert result.total == 20 == 9 + 11
    assert result.subscores == {"skin": 9, "muscle": 11}
    assert any("UNVERIFIED" in a for a in result.assumptions)
    for item, bad, allowed in (("skin", 10, "0–9"), ("muscle", 12, "0–11")):
        with pytest.raises(ItemError) as err:
            score("das", {item: bad})
        assert err.value.field == item and allowed in err.value.allowed
    assert "10.1002/art.10924" in das.source
