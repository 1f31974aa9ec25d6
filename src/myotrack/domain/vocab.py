"""Controlled vocabularies of the cohort folder format, version 1.

Single source of truth for allowed values: the cohort reader, the registry, the
web forms and the exports all read these tables. The spec is
docs/cohort-format.md (the project's copy of shared/spec/cohort-format.md).
"""

from __future__ import annotations

from typing import Final

SEXES: Final = ("F", "M")
DIAGNOSES: Final = ("JDM", "DM", "ADM", "other")
BOHAN_PETER: Final = ("definite", "probable", "possible")
ANTIBODIES: Final = (
    "TIF1G",
    "NXP2",
    "MDA5",
    "MI2",
    "SAE",
    "SRP",
    "HMGCR",
    "JO1",
    "PL7",
    "PL12",
    "EJ",
    "OJ",
    "PMSCL",
    "RO52",
    "RO60",
    "LA",
    "U1RNP",
    "KU",
    "ANA",
    "none",
)
REFRACTORY: Final = ("ineffective", "gc_dependent", "no")
FEATURES: Final = (
    "ILD",
    "calcinosis",
    "skin_ulceration",
    "arthritis",
    "lipodystrophy",
    "dysphagia",
    "none",
)
YES_NO: Final = ("yes", "no")

QUANTITATIVE_ANALYTES: Final = (
    "CK",
    "LDH",
    "AST",
    "ALT",
    "aldolase",
    "IFN_score",
    "lymphocytes",
    "neutrophils",
    "hemoglobin",
    "platelets",
    "CRP",
    "ESR",
    "ferritin",
    "KL6",
    "total_cholesterol",
    "LDL",
    "triglycerides",
    "creatinine",
    "eGFR",
)
QUALITATIVE_ANALYTES: Final = (
    "TB_IGRA",
    "TB_skin_test",
    "HBsAg",
    "anti_HBc",
    "HCV_Ab",
    "VZV_IgG",
    "EBV_PCR",
    "CMV_PCR",
)
ANALYTES: Final = QUANTITATIVE_ANALYTES + QUALITATIVE_ANALYTES
QUALITATIVE_RESULTS: Final = ("positive", "negative", "indeterminate")

# Analytes measured as catalytic activity: U/L or µkat/L (converted on import).
ENZYMES: Final = ("CK", "LDH", "AST", "ALT", "aldolase")

KNOWN_DRUGS: Final = (
    "tofacitinib",
    "ruxolitinib",
    "baricitinib",
    "prednisolone",
    "prednisone",
    "methylprednisolone",
    "methotrexate",
    "hydroxychloroquine",
    "mycophenolate",
    "azathioprine",
    "ciclosporin",
    "tacrolimus",
    "cyclophosphamide",
    "rituximab",
    "ivig",
    "adalimumab",
    "infliximab",
    "cotrimoxazole",
)
# JAK inhibitors as defined by the case-series report spec (index date = first course).
JAK_INHIBITORS: Final = ("tofacitinib", "ruxolitinib", "baricitinib", "upadacitinib", "filgotinib")
DOSE_UNITS: Final = ("mg", "mg/kg", "g/kg", "mg/m2")
FREQUENCIES: Final = (
    "once",
    "QD",
    "BID",
    "TID",
    "weekly",
    "every_2_weeks",
    "every_4_weeks",
    "monthly",
)
ROUTES: Final = ("oral", "iv", "sc", "topical")
STOP_REASONS: Final = ("taper", "ineffective", "adverse_event", "remission", "other")

EVENTS: Final = (
    "rash_improving",
    "rash_marked",
    "rash_resolved",
    "relapse",
    "gc_stopped",
    "infection",
    "thromboembolism",
    "adverse_event",
    "death",
    "lost_to_follow_up",
)

# Visit score columns of visits.csv with their allowed range (inclusive) and whether
# only whole numbers are allowed. Ranges are the cohort format's (docs/cohort-format.md),
# which follow the instruments' published ranges (see myotrack.instruments).
VISIT_MEASURES: Final[dict[str, tuple[float | None, float | None, bool]]] = {
    "weight_kg": (1, 200, False),
    "height_cm": (40, 220, False),
    "cmas": (0, 52, True),
    "mmt8": (0, 80, False),
    "catbm_activity": (0, None, True),
    "catbm_damage": (0, None, True),
    "cdasi_activity": (0, 100, False),
    "cdasi_damage": (0, 32, False),
    "das_skin": (0, 9, False),
    "das_muscle": (0, 11, False),
    "phga": (0, 10, False),
    "parent_global": (0, 10, False),
    "chaq": (0, 3, False),
}
VISIT_FLAGS: Final = ("rash", "weakness")
