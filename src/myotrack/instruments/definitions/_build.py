"""Small builders shared by the definition modules (no clinical content here)."""

from __future__ import annotations

from myotrack.instruments.model import Item, OptionSpec
from myotrack.instruments.vas import VAS_MAX_CM, VAS_STEP_CM


def graded(
    item_id: str,
    label: str,
    levels: tuple[str, ...],
    *,
    section: str | None = None,
    help: str | None = None,
    codes: tuple[tuple[str, str], ...] = (),
) -> Item:
    """An item scored 0..len(levels)-1 in whole numbers; levels[i] describes score i."""
    return Item(
        id=item_id,
        label=label,
        min=0,
        max=len(levels) - 1,
        step=1,
        choices=tuple((float(i), text) for i, text in enumerate(levels)),
        section=section,
        help=help,
        codes=codes,
    )


def vas(
    item_id: str,
    label: str,
    *,
    section: str | None = None,
    help: str | None = None,
    codes: tuple[tuple[str, str], ...] = (),
) -> Item:
    """A 0–10 cm visual analogue scale item (0.1 cm steps; mm accepted with vas_unit='mm')."""
    return Item(
        id=item_id,
        label=label,
        min=0,
        max=VAS_MAX_CM,
        step=VAS_STEP_CM,
        section=section,
        help=help,
        codes=codes,
        unit="cm",
    )


VAS_UNIT_OPTION = OptionSpec(
    name="vas_unit",
    description="Unit of the VAS values given: 'cm' (0–10, stored) or 'mm' (0–100, divided by 10).",
    default="cm",
    allowed=("cm", "mm"),
)
