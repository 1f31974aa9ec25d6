"""JDM DAS — Disease Activity Score for juvenile dermatomyositis (higher = worse).

Source: Bode RK, Klein-Gitelman MS, Miller ML, Lechman TS, Pachman LM. Arthritis Rheum
2003;49(1):7–15, doi 10.1002/art.10924 (form in its Appendix A, not reached). Domain ranges
skin 0–9, muscle 0–11, total 0–20 CONFIRMED by a J Rheumatol JDM cohort table
("Total, 0–20; Muscle, 0–11; Cutaneous, 0–9", spec §5 [S19 b]; errata 2026-12 §4). The item
list of each domain is still UNVERIFIED, so no item-level DAS: the two domain scores are
entered as whole numbers within their ranges.
"""

from __future__ import annotations

from myotrack.instruments.model import InstrumentDefinition, Item, Subscore

SKIN_MAX = 9  # DAS skin domain 0–9 (Bode 2003; J Rheumatol table, errata §4 CONFIRMED)
MUSCLE_MAX = 11  # DAS muscle domain 0–11 (Bode 2003; J Rheumatol table, errata §4)

DAS = InstrumentDefinition(
    name="das",
    title="JDM DAS (Disease Activity Score)",
    version="Bode 2003 (skin 0-9, muscle 0-11)",
    source="Bode RK et al., Arthritis Rheum 2003;49(1):7-15 (doi 10.1002/art.10924)",
    items=(
        Item(id="skin", label="Skin domain score", min=0, max=SKIN_MAX, step=1, section="skin"),
        Item(
            id="muscle",
            label="Muscle (weakness) domain score",
            min=0,
            max=MUSCLE_MAX,
            step=1,
            section="muscle",
        ),
    ),
    subscores=(
        Subscore("skin", "DAS skin", ("skin",), 0, SKIN_MAX, visit_column="das_skin"),
        Subscore("muscle", "DAS muscle", ("muscle",), 0, MUSCLE_MAX, visit_column="das_muscle"),
    ),
    total_rule="sum_subscores",  # total = skin + muscle, 0–20 (DERIVED from the ranges)
    total_min=0,
    total_max=SKIN_MAX + MUSCLE_MAX,
    visit_column=None,  # visits.csv holds the two domains (das_skin, das_muscle)
    higher_is="worse",
    assumptions=(
        "JDM DAS: domain scores entered (skin 0–9, muscle 0–11, total 0–20 CONFIRMED); the "
        "item list of Bode 2003 Appendix A is UNVERIFIED, so no item-level DAS.",
    ),
    notes=("DAS ≤ 3 identified inactive disease in PRINTO data (Lazarevic 2013).",),
)
