"""MYOACT — the organ-system VAS part of the Myositis Disease Activity Assessment Tool
(MDAAT; higher = worse).

Sources: Isenberg DA, Allen E, Farewell V, et al. Rheumatology 2004;43:49–54 (MDAAT);
IMACS Form 07b, MDAAT 2009, "proposed MYOACT score": sum of the six extramuscular organ
VAS divided by the maximum possible; systems marked NA are left out of both.
"""

from __future__ import annotations

from myotrack.instruments.definitions._build import VAS_UNIT_OPTION, vas
from myotrack.instruments.model import NOT_APPLICABLE, InstrumentDefinition

_NA = ((NOT_APPLICABLE, "system cannot be assessed"),)
SYSTEMS: tuple[tuple[str, str], ...] = (
    ("constitutional", "Constitutional"),
    ("cutaneous", "Cutaneous"),
    ("skeletal", "Skeletal"),
    ("gastrointestinal", "Gastrointestinal"),
    ("pulmonary", "Pulmonary"),
    ("cardiac", "Cardiac"),
)

MYOACT = InstrumentDefinition(
    name="myoact",
    title="MYOACT (MDAAT extramuscular organ-system VAS)",
    version="MDAAT 2009, proposed MYOACT score",
    source="Isenberg DA et al., Rheumatology 2004;43:49 (MDAAT); IMACS Form 07b (MDAAT 2009)",
    items=tuple(
        vas(
            sid,
            f"{label} activity VAS",
            help="0 = no activity, 10 = extreme activity; 'NA' if the system cannot be assessed.",
            codes=_NA,
        )
        for sid, label in SYSTEMS
    ),
    total_rule="normalised_sum",
    total_label="myoact_score",
    total_min=0,
    total_max=1,  # sum / maximum possible (6 x 10 cm = 60 when all assessed)
    visit_column=None,
    higher_is="worse",
    missing_rule="A system marked 'NA' is left out of the sum and of the maximum (IMACS MDAAT "
    "2009); a system left empty gives no score.",
    options=(VAS_UNIT_OPTION,),
    notes=(
        "Sub-scores: sum_assessed (the 0–60 extramuscular VAS sum when all six are assessed) "
        "and max_possible.",
    ),
)
