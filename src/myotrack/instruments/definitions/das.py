"""JDM DAS — Disease Activity Score for juvenile dermatomyositis (higher = worse).

Source: Bode RK, Klein-Gitelman MS, Miller ML, Lechman TS, Pachman LM. Arthritis Rheum
2003;49:7–15 (form in its Appendix A). Ranges skin 0–9, muscle 0–11, total 0–20 as listed
in a J Rheumatol JDM cohort table (spec §5 [S19 b]). The item list of each domain could
not be verified, so the two domain scores are entered.
"""

from __future__ import annotations

from myotrack.instruments.model import InstrumentDefinition, Item, Subscore

SKIN_MAX = 9  # Bode 2003 DAS skin domain 0–9
MUSCLE_MAX = 11  # Bode 2003 DAS muscle (weakness) domain 0–11

DAS = InstrumentDefinition(
    name="das",
    title="JDM DAS (Disease Activity Score)",
    version="Bode 2003 (skin 0-9, muscle 0-11)",
    source="Bode RK et al., Arthritis Rheum 2003;49:7",
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
    notes=("DAS ≤ 3 identified inactive disease in PRINTO data (Lazarevic 2013).",),
)
