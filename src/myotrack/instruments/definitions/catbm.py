"""CAT-BM — Cutaneous Assessment Tool, binary method (higher = worse).

Sources: Huber AM, Dugan EM, Lachenbruch PA, et al. Rheumatology (Oxford) 2007;46(10):1606–11
(CAT: 10 activity, 4 damage and 7 combined lesions — CONFIRMED, also on the NIEHS IMACS
"Other tools" page; errata 2026-12 §3); Huber AM et al. Arthritis Rheum 2008;59(3):352–6
(binary scoring: each lesion's activity and damage component present = 1; correlation 0.98
with the original CAT for activity).

The list of the 21 lesions (which are "combined") and any published CAT-BM maxima could not
be verified (errata §3: STILL UNVERIFIED), so no lesion list is shipped: totals only, entered
as counts of lesions present per component, with the DERIVED maxima flagged.
"""

from __future__ import annotations

from myotrack.instruments.model import InstrumentDefinition, Item, Subscore

# 10 activity-only + 7 combined lesions = 17; 4 damage-only + 7 combined = 11
# (DERIVED from the lesion counts of Huber 2007, CONFIRMED; UNVERIFIED as published maxima,
# errata 2026-12 §3).
ACTIVITY_MAX = 17
DAMAGE_MAX = 11

CATBM = InstrumentDefinition(
    name="catbm",
    title="CAT-BM (Cutaneous Assessment Tool, binary method)",
    version="binary method",
    source="Huber AM et al., Rheumatology 2007;46:1606 (CAT); Huber AM et al., "
    "Arthritis Rheum 2008;59:352 (binary scoring)",
    items=(
        Item(
            id="activity_lesions",
            label="Activity: number of lesions with an active component present",
            min=0,
            max=ACTIVITY_MAX,
            step=1,
            section="activity",
        ),
        Item(
            id="damage_lesions",
            label="Damage: number of lesions with a damage component present",
            min=0,
            max=DAMAGE_MAX,
            step=1,
            section="damage",
        ),
    ),
    subscores=(
        Subscore(
            "activity",
            "CAT-BM activity",
            ("activity_lesions",),
            0,
            ACTIVITY_MAX,
            visit_column="catbm_activity",
        ),
        Subscore(
            "damage",
            "CAT-BM damage",
            ("damage_lesions",),
            0,
            DAMAGE_MAX,
            visit_column="catbm_damage",
        ),
    ),
    total_rule="subscore:activity",
    total_label="activity",
    total_min=0,
    total_max=ACTIVITY_MAX,
    visit_column="catbm_activity",
    higher_is="worse",
    missing_rule="Each score needs its own count; a missing count gives no score.",
    assumptions=(
        "CAT-BM maxima activity 17 / damage 11 are DERIVED from the lesion counts of Huber 2007 "
        "(10 activity + 7 combined; 4 damage + 7 combined), and the lesion list is UNVERIFIED: "
        "lesions are entered as counts.",
    ),
)
