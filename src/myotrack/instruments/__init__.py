"""Clinical instruments of JDM scored from item level: CMAS (and CMAS-9), MMT-8, CAT-BM,
CDASI, JDM DAS, MYOACT, CHAQ and the global assessments, plus the Rice 2017 interferon
score. Each instrument is one data definition (`myotrack.instruments.definitions`) read by
one engine (`myotrack.instruments.engine`). Pure code: no files, network or clock.

    result = score("cdasi", {"gottron_hands_erythema": 3, "gottron_hands_papules": 1,
                             "gottron_hands_ulceration": 1})
    result.derived  # {"gottron_hands_activity": 7.0}: derived items come from the definition
    score_stored(a.instrument, a.version, a.items)  # a stored Assessment, with the shape it
                                                    # was entered in (e.g. pre-errata CDASI)
"""

from myotrack.instruments.calculators import CALCULATORS
from myotrack.instruments.cmas_timed import cmas_situps, cmas_timed_item
from myotrack.instruments.definitions import DEFINITIONS, INSTRUMENTS
from myotrack.instruments.engine import (
    definition,
    score,
    score_stored,
    stored_definition,
    validate_item,
    visit_values,
)
from myotrack.instruments.interferon import (
    RICE_CUTOFF,
    RICE_GENES,
    InterferonResult,
    ddct_from_ct,
    fold_change,
    interferon_score,
    rice_positive,
)
from myotrack.instruments.model import (
    DerivedItem,
    InstrumentDefinition,
    InstrumentResult,
    Item,
    ItemError,
    OptionSpec,
    Subscore,
    Term,
)
from myotrack.instruments.vas import cm_to_mm, mm_to_cm

__all__ = [
    "CALCULATORS",
    "DEFINITIONS",
    "INSTRUMENTS",
    "RICE_CUTOFF",
    "RICE_GENES",
    "DerivedItem",
    "InstrumentDefinition",
    "InstrumentResult",
    "InterferonResult",
    "Item",
    "ItemError",
    "OptionSpec",
    "Subscore",
    "Term",
    "cm_to_mm",
    "cmas_situps",
    "cmas_timed_item",
    "ddct_from_ct",
    "definition",
    "fold_change",
    "interferon_score",
    "mm_to_cm",
    "rice_positive",
    "score",
    "score_stored",
    "stored_definition",
    "validate_item",
    "visit_values",
]
