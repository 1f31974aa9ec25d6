"""CDASI v2 — Cutaneous Dermatomyositis Disease Area and Severity Index, modified version
(higher = worse). Activity and damage are reported separately.

Sources: Yassaee M, Fiorentino D, Okawa J, et al. Br J Dermatol 2010;162:669–73 (CDASI v2:
3 activity and 2 damage measures); Anyanwu CO et al. Br J Dermatol 2015;173:969–74
(interpretation). Item layout (15 locations; erythema 0–3, scale 0–2, erosion/ulceration
0–1; poikiloderma and calcinosis 0–1; periungual 0–2; recent hair loss 0–1) from a
secondary reproduction of the UPenn form (spec §4 [S18 f]).
"""

from __future__ import annotations

from myotrack.instruments.definitions._build import graded
from myotrack.instruments.model import InstrumentDefinition, Item, Subscore

LOCATIONS: tuple[tuple[str, str], ...] = (
    ("scalp", "Scalp"),
    ("malar", "Malar area"),
    ("periorbital", "Periorbital"),
    ("rest_of_face", "Rest of face"),
    ("v_neck_front", "V-area of neck (front)"),
    ("posterior_neck", "Posterior neck"),
    ("upper_back_shoulders", "Upper back & shoulders"),
    ("rest_back_buttocks", "Rest of back & buttocks"),
    ("abdomen", "Abdomen"),
    ("lateral_upper_thigh", "Lateral upper thigh"),
    ("rest_leg_feet", "Rest of leg & feet"),
    ("arm", "Arm"),
    ("mechanics_hand", "Mechanic's hand"),
    ("dorsum_hands_not_joints", "Dorsum of hands (not over joints)"),
    ("gottron_not_on_hands", "Gottron's — not on hands"),
)

ERYTHEMA = ("absent", "pink; faint erythema", "red", "dark red; violaceous; dusky")
SCALE = ("absent", "scale", "hyperkeratosis / crust")
EROSION = ("absent", "present")
PRESENT = ("absent", "present")

ACTIVITY_MAX = 100  # commonly quoted CDASI activity range 0–100 (UNVERIFIED in a retrieved source)
DAMAGE_MAX = 32  # commonly quoted CDASI damage range 0–32 (UNVERIFIED in a retrieved source)
# 15 x (3 + 2 + 1) = 90 location points; + periungual 2 + hair loss 1 = 93; the Gottron's-on-
# hands block is allowed the remaining 7 (activity) and 30 location damage points leave 2
# (damage): DERIVED residuals, UNVERIFIED against the official form.
GOTTRON_HANDS_ACTIVITY_MAX = ACTIVITY_MAX - 93
GOTTRON_HANDS_DAMAGE_MAX = DAMAGE_MAX - 30


def _items() -> tuple[Item, ...]:
    items: list[Item] = []
    for lid, label in LOCATIONS:
        items.append(graded(f"{lid}_erythema", f"{label}: erythema", ERYTHEMA, section="activity"))
        items.append(graded(f"{lid}_scale", f"{label}: scale", SCALE, section="activity"))
        items.append(
            graded(
                f"{lid}_erosion_ulceration",
                f"{label}: erosion/ulceration",
                EROSION,
                section="activity",
            )
        )
    items.append(
        graded(
            "periungual",
            "Periungual changes",
            (
                "absent",
                "pink/red erythema or microscopic telangiectasia",
                "visible telangiectasia",
            ),
            section="activity",
        )
    )
    items.append(
        graded(
            "alopecia_recent_hair_loss",
            "Alopecia: recent hair loss (last 30 days, patient-reported)",
            PRESENT,
            section="activity",
        )
    )
    items.append(
        Item(
            id="gottron_hands_activity",
            label="Gottron's papules on hands: activity",
            min=0,
            max=GOTTRON_HANDS_ACTIVITY_MAX,
            step=1,
            section="activity",
            help="Point values of this block are UNVERIFIED; enter the form's score.",
        )
    )
    for lid, label in LOCATIONS:
        items.append(
            graded(
                f"{lid}_poikiloderma",
                f"{label}: poikiloderma (dyspigmentation or telangiectasia)",
                PRESENT,
                section="damage",
            )
        )
        items.append(graded(f"{lid}_calcinosis", f"{label}: calcinosis", PRESENT, section="damage"))
    items.append(
        Item(
            id="gottron_hands_damage",
            label="Gottron's papules on hands: damage",
            min=0,
            max=GOTTRON_HANDS_DAMAGE_MAX,
            step=1,
            section="damage",
            help="Point values of this block are UNVERIFIED; enter the form's score.",
        )
    )
    return tuple(items)


_ITEMS = _items()

CDASI = InstrumentDefinition(
    name="cdasi",
    title="CDASI v2 (Cutaneous Dermatomyositis Disease Area and Severity Index)",
    version="v2 (modified)",
    source="Yassaee M et al., Br J Dermatol 2010;162:669 (CDASI v2)",
    items=_ITEMS,
    subscores=(
        Subscore(
            "activity",
            "CDASI activity",
            tuple(i.id for i in _ITEMS if i.section == "activity"),
            0,
            ACTIVITY_MAX,
            visit_column="cdasi_activity",
        ),
        Subscore(
            "damage",
            "CDASI damage",
            tuple(i.id for i in _ITEMS if i.section == "damage"),
            0,
            DAMAGE_MAX,
            visit_column="cdasi_damage",
        ),
    ),
    total_rule="subscore:activity",
    total_label="activity",
    total_min=0,
    total_max=ACTIVITY_MAX,
    visit_column="cdasi_activity",
    higher_is="worse",
    missing_rule="Activity and damage each need all their items; a missing item leaves that "
    "score empty (no published rule found).",
    assumptions=(
        "CDASI v2 item levels are from a secondary reproduction of the form, and the maxima "
        "100/32 and the Gottron's-on-hands block (0–7 activity, 0–2 damage, residuals) are "
        "UNVERIFIED against the official form.",
    ),
    notes=(
        "A 4-point (UPenn) or 5-point (Stanford) change in activity is a minimal clinically "
        "significant response; activity ≤ 14 mild (Stanford), 19 separates mild from "
        "moderate/severe (UPenn) (Anyanwu CO et al., Br J Dermatol 2015).",
    ),
)
