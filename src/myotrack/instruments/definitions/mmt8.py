"""MMT-8 — manual muscle testing of 8 muscle groups on the Kendall 0–10 scale
(higher = better).

Sources: Rider LG, Koziol D, Giannini EH, et al. Arthritis Care Res 2010;62:465–72
(validation of the MMT-8 subset); IMACS Form 04 MMT scoring sheet and procedures
(Kendall grades; neck flexors scored once as an axial muscle).
"""

from __future__ import annotations

from myotrack.instruments.model import TRACE, InstrumentDefinition, Item, OptionSpec

SOURCE = "Rider LG et al., Arthritis Care Res 2010;62:465 (MMT-8); IMACS Form 04 (Kendall 0-10)"

# Kendall 0–10 grades with their MRC-style equivalents (IMACS Form 04 procedures;
# Kendall FP, Muscles: Testing and Function). "T" (trace) has no number on this scale.
KENDALL_GRADES: tuple[tuple[float, str], ...] = (
    (0, "0 — no contraction"),
    (1, "1 (2−) — gravity eliminated, partial range"),
    (2, "2 (2) — gravity eliminated, full range"),
    (3, "3 (2+) — against gravity, partial range"),
    (4, "4 (3−) — gradual release from antigravity test position"),
    (5, "5 (3) — holds antigravity position, no added pressure"),
    (6, "6 (3+) — holds against slight pressure"),
    (7, "7 (4−) — holds against slight-to-moderate pressure"),
    (8, "8 (4) — holds against moderate pressure"),
    (9, "9 (4+) — holds against moderate-to-strong pressure"),
    (10, "10 (5) — holds against strong pressure (normal)"),
)
_TRACE_CODE = ((TRACE, "trace: tendon prominent or flicker, no movement"),)

# The 8 groups (Rider 2010). Neck flexors are axial: scored once even when bilateral.
MUSCLE_GROUPS: tuple[tuple[str, str], ...] = (
    ("neck_flexors", "Neck flexors"),
    ("deltoid", "Deltoid (middle; shoulder abductors)"),
    ("biceps", "Biceps (elbow flexors)"),
    ("wrist_extensors", "Wrist extensors"),
    ("gluteus_maximus", "Gluteus maximus (hip extensors)"),
    ("gluteus_medius", "Gluteus medius (hip abductors)"),
    ("quadriceps", "Quadriceps (knee extensors)"),
    ("ankle_dorsiflexors", "Ankle dorsiflexors"),
)
AXIAL = ("neck_flexors",)


def _grade(item_id: str, label: str, section: str | None) -> Item:
    return Item(
        id=item_id,
        label=label,
        min=0,
        max=10,
        step=1,
        choices=KENDALL_GRADES,
        section=section,
        codes=_TRACE_CODE,
        help="Kendall 0–10 grade; 'T' for trace needs option trace_grade.",
    )


_OPTIONS = (
    OptionSpec(
        name="laterality",
        description="'unilateral' (8 groups on one side, usually the right; 0–80, default) or "
        "'bilateral' (neck flexors once + 7 groups right and left; 0–150).",
        default=None,
        allowed=("unilateral", "bilateral"),
    ),
    OptionSpec(
        name="trace_grade",
        description="Number (0–1) to count a trace grade 'T' as. Default null: a 'T' gives no "
        "total, because no published MMT-8 rule gives trace a number (UNVERIFIED).",
        default=None,
    ),
)

MMT8 = InstrumentDefinition(
    name="mmt8",
    title="MMT-8 (unilateral, Kendall 0–10)",
    version="unilateral 0-80",
    source=SOURCE,
    items=tuple(_grade(gid, label, None) for gid, label in MUSCLE_GROUPS),
    total_min=0,
    total_max=80,  # 8 groups x 10 (Rider 2010; IMACS Form 04)
    visit_column="mmt8",
    higher_is="better",
    options=_OPTIONS,
    notes=("MMT-8 ≥ 78 (0–80) is a PRINTO inactive-disease criterion (Lazarevic 2013).",),
)

MMT8_BILATERAL = InstrumentDefinition(
    name="mmt8_bilateral",
    title="MMT-8 (bilateral, Kendall 0–10)",
    version="bilateral 0-150",
    source=SOURCE,
    items=(
        _grade("neck_flexors", "Neck flexors (axial)", "axial"),
        *(
            _grade(f"{gid}_{side}", f"{label}, {side}", side)
            for side in ("right", "left")
            for gid, label in MUSCLE_GROUPS
            if gid not in AXIAL
        ),
    ),
    total_min=0,
    # 10 (neck flexors, axial column of IMACS Form 04) + 7 groups x 2 sides x 10 = 150
    # (DERIVED from the form structure; the wording "0-150" not found verbatim).
    total_max=150,
    visit_column=None,  # visits.csv 'mmt8' holds the unilateral 0–80 total
    higher_is="better",
    options=_OPTIONS,
)
