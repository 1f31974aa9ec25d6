"""Physician and parent global assessments on a 10-cm VAS (higher = worse).

Source: Rider LG, Werth VP, Huber AM, et al. Arthritis Care Res 2011;63 Suppl 11:S118–57
(PhGA and patient/parent global activity: 10-cm VAS, 0 = inactive, 10 = extremely
active); MDAAT extramuscular global activity (IMACS Form 07b). Each rating stands alone:
there is no total.
"""

from __future__ import annotations

from myotrack.instruments.definitions._build import VAS_UNIT_OPTION, vas
from myotrack.instruments.model import InstrumentDefinition, Subscore
from myotrack.instruments.vas import VAS_MAX_CM

GLOBALS = InstrumentDefinition(
    name="globals",
    title="Global assessments (physician, parent, extramuscular) — 10-cm VAS",
    version="10 cm VAS",
    source="Rider LG et al., Arthritis Care Res 2011;63 Suppl 11:S118 (IMACS core set measures)",
    items=(
        vas(
            "phga",
            "Physician global assessment of disease activity (PhGA)",
            help="0 = inactive, 10 = extremely active.",
        ),
        vas(
            "parent_global",
            "Parent/patient global assessment",
            help="IMACS: global disease activity; PRINTO: child's overall well-being "
            "(record which one your centre uses).",
        ),
        vas(
            "extramuscular_global",
            "Extramuscular global activity (MDAAT)",
            help="0 = no activity, 10 = extreme activity.",
        ),
    ),
    subscores=(
        Subscore("phga", "PhGA", ("phga",), 0, VAS_MAX_CM, visit_column="phga"),
        Subscore(
            "parent_global",
            "Parent global",
            ("parent_global",),
            0,
            VAS_MAX_CM,
            visit_column="parent_global",
        ),
        Subscore(
            "extramuscular_global", "Extramuscular global", ("extramuscular_global",), 0, VAS_MAX_CM
        ),
    ),
    total_rule="none",
    total_label="(none: separate ratings)",
    total_min=0,
    total_max=VAS_MAX_CM,
    visit_column=None,
    higher_is="worse",
    missing_rule="Each rating stands alone; a missing rating is reported as missing.",
    options=(VAS_UNIT_OPTION,),
    notes=("PhGA ≤ 0.2 cm is a PRINTO inactive-disease criterion (Lazarevic 2013).",),
)
