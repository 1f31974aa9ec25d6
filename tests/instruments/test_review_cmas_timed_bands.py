"""Clinical review: every edge of the CMAS timed-item bands (worked examples).

Source: Lovell DJ et al. Arthritis Rheum 1999;42:2213 (CMAS scoring sheet) for items 1 and 3;
item 8 from a secondary implementation consistent with the published 0-52 total (Huber AM et
al. Arthritis Rheum 2004;50:1595) — shared/spec/instruments.md §1.1-1.2:
items 1 and 3: unable 0; 1-9 s 1; 10-29 s 2; 30-59 s 3; 60-119 s 4; >= 120 s 5;
item 8: unable 0; 1-9 s 1; 10-29 s 2; 30-59 s 3; >= 60 s 4.
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
