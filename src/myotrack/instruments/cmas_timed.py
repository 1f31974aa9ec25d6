"""CMAS item scores from what the examiner records: seconds held for the timed items
(1 head elevation, 3 straight leg lift, 8 arm raise/duration) and the six sit-up variants
of item 5. Bands and variants are data in `definitions.cmas`."""

from __future__ import annotations

import math
from collections.abc import Mapping

from myotrack.instruments.definitions.cmas import ARM_BANDS, HEAD_LEG_BANDS, SIT_UP_VARIANTS
from myotrack.instruments.model import ItemError

TIMED_ITEMS: dict[str, tuple[tuple[float, int], ...]] = {
    "head_elevation": HEAD_LEG_BANDS,
    "straight_leg_lift": HEAD_LEG_BANDS,
    "arm_raise_duration": ARM_BANDS,
}


def cmas_timed_item(item: str, seconds: float) -> int:
    """Score of a timed CMAS item from the seconds held (0 s = unable = 0)."""
    bands = TIMED_ITEMS.get(item)
    if bands is None:
        allowed = ", ".join(TIMED_ITEMS)
        raise ItemError("item", allowed, f"CMAS timed item: allowed {allowed}; got {item!r}")
    if isinstance(seconds, bool) or not math.isfinite(seconds) or seconds < 0:
        raise ItemError(
            "seconds", "a number of seconds ≥ 0", f"{item}: seconds must be ≥ 0; got {seconds!r}"
        )
    result = 0
    for lowest, item_score in bands:
        if seconds >= lowest:
            result = item_score
    return result


def cmas_situps(variants: Mapping[str, int | bool]) -> int:
    """CMAS item 5: number of the six sit-up variants performed (each 0 = unable, 1 = able).
    All six must be given."""
    known = [key for key, _ in SIT_UP_VARIANTS]
    allowed = ", ".join(known)
    for key in variants:
        if key not in known:
            raise ItemError(
                key, allowed, f"CMAS sit-ups: unknown variant {key!r}; variants: {allowed}"
            )
    total = 0
    for key in known:
        if key not in variants or variants[key] is None:
            raise ItemError(key, "0 (unable) or 1 (able)", f"CMAS sit-ups: variant {key!r} missing")
        value = variants[key]
        if value not in (0, 1):  # True/False compare equal to 1/0
            raise ItemError(
                key,
                "0 (unable) or 1 (able)",
                f"CMAS sit-ups variant {key}: allowed 0 or 1; got {value!r}",
            )
        total += int(value)
    return total
