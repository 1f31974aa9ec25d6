"""Clinical review: every edge of the CMAS timed-item bands (worked examples).

Source: Lovell DJ et al. Arthritis Rheum 1999;42:2213 (CMAS scoring sheet) for items 1 and 3;
item 8 from the IMACS Form 05c transcription (openEHR archetype cmas_score.v0) and [S11]
(shared/spec/errata-2026-12.md §2):
items 1 and 3: unable 0; 1-9 s 1; 10-29 s 2; 30-59 s 3; 60-119 s 4; 120 s or more 5;
item 8: unable 0; 1-9 s 1; 10-29 s 2; 30-59 s 3; 60 s or more 4.
The form prints "> 2 min" / "> 60 s"; 120 s and 60 s are counted in the top band, the only
reading that leaves no second between bands (errata §2) — see test_cmas_form_wording.py.
"""

from __future__ import annotations

import pytest

from myotrack.instruments.cmas_timed import cmas_timed_item

HEAD_LEG = [(0, 0), (0.9, 0), (1, 1), (9, 1), (9.9, 1), (10, 2), (29, 2), (30, 3), (59, 3),
            (60, 4), (119, 4), (120, 5), (600, 5)]  # fmt: skip
ARM = [(0, 0), (1, 1), (9, 1), (10, 2), (29, 2), (29.9, 2), (30, 3), (59, 3), (60, 4), (600, 4)]


@pytest.mark.parametrize("item", ["head_elevation", "straight_leg_lift"])
@pytest.mark.parametrize(("seconds", "score"), HEAD_LEG)
def test_head_and_leg_bands(item: str, seconds: float, score: int) -> None:
    assert cmas_timed_item(item, seconds) == score


@pytest.mark.parametrize(("seconds", "score"), ARM)
def test_arm_raise_duration_bands(seconds: float, score: int) -> None:
    assert cmas_timed_item("arm_raise_duration", seconds) == score
