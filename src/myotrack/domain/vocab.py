"""Controlled vocabularies of the cohort folder format, version 1.

Single source of truth for allowed values: the cohort reader, the registry, the
web forms and the exports all read these tables. The spec is
docs/cohort-format.md (the project's copy of shared/spec/cohort-format.md).
"""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class Measure:
    """One measure column of visits.csv: its words, unit and allowed range (inclusive).

    The range is the format's hard limit (a value outside is refused on every path); the
    instrument definitions (myotrack.instruments) must fit inside it (tested). Body weight
    and height are checked against age by `myotrack.domain.plausibility` as well.
    """

    name: str
    label: str
    short_label: str
    unit: str | None  # None for scores
    min: float
    max: float | None
    whole: bool
    source: str

    @property
    def scale(self) -> str:
        """What a label adds in brackets: the range of a score ('0–52'), the unit of a
        quantity ('kg')."""
        if self.unit is not None:
            return self.unit
        return f"{self.min:g}–{self.max:g}" if self.max is not None else f"from {self.min:g}"

    @property
    def titled(self) -> str:
        """The short label with its scale, for axes and column heads: 'CMAS (0–52)',
        'Weight (kg)'."""
        return f"{self.short_label[:1].upper()}{self.short_label[1:]} ({self.scale})"

    @property
    def out_of(self) -> str:
        """What follows a value in running text: '/52' for a score, ' kg' for a quantity."""
        if self.unit is not None:
            return f" {self.unit}"
        return f"/{self.max:g}" if self.max is not None else ""


# Visit measures in the order a clinician reads them. Ranges: docs/cohort-format.md, which
# follows the instruments' published ranges (shared/spec/instruments.md).
VISIT_MEASURE_TABLE: Final[tuple[Measure, ...]] = (
    Measure(
        name="weight_kg",
        label="body weight",
        short_label="weight",
        unit="kg",
        min=1,
        max=200,
        whole=False,
        source="format plausibility limit (docs/cohort-format.md)",
    ),
    Measure(
        name="height_cm",
        label="height",
        short_label="height",
        unit="cm",
        min=40,
        max=220,
        whole=False,
        source="format plausibility limit (docs/cohort-format.md)",
    ),
    Measure(
        name="cmas",
        label="Childhood Myositis Assessment Scale (CMAS) total",
        short_label="CMAS",
        unit=None,
        min=0,
        max=52,
        whole=True,
        source="Huber AM et al., Arthritis Rheum 2004;50:1595",
    ),
    Measure(
        name="mmt8",
        label="Manual Muscle Testing, 8 muscle groups (MMT8), unilateral",
        short_label="MMT8",
        unit=None,
        min=0,
        max=80,
        whole=False,
        source="Rider LG et al., Arthritis Care Res 2010;62:465",
    ),
    Measure(
        name="catbm_activity",
        label="CAT-BM activity score",
        short_label="CAT-BM activity",
        unit=None,
        min=0,
        max=17,
        whole=True,
        source="Huber AM et al., Rheumatology 2007;46:1606 (10 activity + 7 combined lesions;"
        " DERIVED, as myotrack.instruments CAT-BM)",
    ),
    Measure(
        name="catbm_damage",
        label="CAT-BM damage score",
        short_label="CAT-BM damage",
        unit=None,
        min=0,
        max=11,
        whole=True,
        source="Huber AM et al., Rheumatology 2007;46:1606 (4 damage + 7 combined lesions;"
        " DERIVED, as myotrack.instruments CAT-BM)",
    ),
    Measure(
        name="cdasi_activity",
        label="CDASI activity score",
        short_label="CDASI activity",
        unit=None,
        min=0,
        max=100,
        whole=False,
        source="commonly quoted CDASI range (UNVERIFIED in a retrieved source)",
    ),
    Measure(
        name="cdasi_damage",
        label="CDASI damage score",
        short_label="CDASI damage",
        unit=None,
        min=0,
        max=32,
        whole=False,
        source="commonly quoted CDASI range (UNVERIFIED in a retrieved source)",
    ),
    Measure(
        name="das_skin",
        label="JDM Disease Activity Score, skin",
        short_label="DAS skin",
        unit=None,
        min=0,
        max=9,
        whole=False,
        source="Bode RK et al., Arthritis Rheum 2003;49:7",
    ),
    Measure(
        name="das_muscle",
        label="JDM Disease Activity Score, muscle",
        short_label="DAS muscle",
        unit=None,
        min=0,
        max=11,
        whole=False,
        source="Bode RK et al., Arthritis Rheum 2003;49:7",
    ),
    Measure(
        name="phga",
        label="physician global assessment of disease activity",
        short_label="PhGA",
        unit=None,
        min=0,
        max=10,
        whole=False,
        source="10 cm visual analogue scale (IMACS core set)",
    ),
    Measure(
        name="parent_global",
        label="parent's global assessment of well-being",
        short_label="parent global",
        unit=None,
        min=0,
        max=10,
        whole=False,
        source="10 cm visual analogue scale (IMACS core set)",
    ),
    Measure(
        name="chaq",
        label="Childhood Health Assessment Questionnaire (CHAQ) disability index",
        short_label="CHAQ",
        unit=None,
        min=0,
        max=3,
        whole=False,
        source="Singh G et al., Arthritis Rheum 1994;37:1761",
    ),
)
MEASURES: Final[dict[str, Measure]] = {m.name: m for m in VISIT_MEASURE_TABLE}

# Visit measure columns with (min, max, whole numbers only), derived from the table above.
VISIT_MEASURES: Final[dict[str, tuple[float | None, float | None, bool]]] = {
    m.name: (m.min, m.max, m.whole) for m in VISIT_MEASURE_TABLE
}
VISIT_FLAGS: Final = ("rash", "weakness")
