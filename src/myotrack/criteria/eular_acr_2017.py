"""2017 EULAR/ACR classification criteria for adult and juvenile idiopathic inflammatory
myopathies (IIM) and their major subgroups.

Source: Lundberg IE, Tjärnlund A, Bottai M, et al. Ann Rheum Dis 2017;76:1955-1964 and
Arthritis Rheumatol 2017;69:2271-2282. Weights: Bottai M et al. RMD Open 2017;3:e000507
Table 1 (VERIFIED, age weights SECONDARY: rheumatologytt.com reproduction). Score cut-offs:
abstract (VERIFIED). See shared/spec/criteria-therapy.md §2.

The calculator's own rules (Karolinska Institutet calculator instructions,
http://www.imm.ki.se/biostatistics/calculators/iim/instructions.html, confirmed in
shared/spec/errata-2026-12.md §7): a patient is a *case* when the probability is greater than
50 %; for inclusion in clinical trials it should be greater than 90 %; and if heliotrope rash,
Gottron's papules and Gottron's sign are all absent, muscle-biopsy features must be present to
classify the patient as IIM. Such a patient is "not classifiable as IIM without biopsy
features", whatever the score: no category is shown as if classified (the score band is kept,
named as such). Because the probability constants are UNVERIFIED, "case" and "trial
inclusion" follow the published score cut-offs that stand for 50 % and 90 % (>= 5.3 / 6.5 and
>= 7.5 / 8.7); the probability-based reading is reported beside them.

Scores are summed as Decimals: a float sum such as 3.3 + 0.7 + 1.3 gives 5.2999... and
would flip the 5.3 cut-off.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from myotrack.domain import Calculator

NAME: Final = "eular_acr_2017"
VERSION: Final = "2017"
SOURCE: Final = (
    "Lundberg IE et al. Ann Rheum Dis 2017;76:1955-1964 / Arthritis Rheumatol "
    "2017;69:2271-2282; weights Bottai M et al. RMD Open 2017;3:e000507 Table 1"
)

D = Decimal

# item -> (weight without biopsy, weight with biopsy); None = not scored in that model.
# Bottai 2017 RMD Open Table 1 (VERIFIED); age rows SECONDARY (rheumatologytt.com 2025).
WEIGHTS: Final[dict[str, tuple[Decimal | None, Decimal]]] = {
    "age_18_to_lt40": (D("1.3"), D("1.5")),  # onset of first symptom >=18 and <40 y
    "age_ge40": (D("2.1"), D("2.2")),  # onset of first symptom >=40 y
    "weak_prox_upper": (D("0.7"), D("0.7")),
    "weak_prox_lower": (D("0.8"), D("0.5")),
    "neck_flexor_lt_extensor": (D("1.9"), D("1.6")),
    "legs_prox_lt_distal": (D("0.9"), D("1.2")),
    "heliotrope": (D("3.1"), D("3.2")),
    "gottron_papules": (D("2.1"), D("2.7")),
    "gottron_sign": (D("3.3"), D("3.7")),
    "dysphagia": (D("0.7"), D("0.6")),
    "anti_jo1": (D("3.9"), D("3.8")),
    "enzymes_elevated": (D("1.3"), D("1.4")),  # CK or LDH or AST or ALT above ULN
    "bx_endomysial": (None, D("1.7")),
    "bx_perimysial_perivascular": (None, D("1.2")),
    "bx_perifascicular_atrophy": (None, D("1.9")),
    "bx_rimmed_vacuoles": (None, D("3.1")),
}
AGE_ITEMS: Final = ("age_18_to_lt40", "age_ge40")
SKIN_ITEMS: Final = ("heliotrope", "gottron_papules", "gottron_sign")
WEAKNESS_ITEMS: Final = (
    "weak_prox_upper",
    "weak_prox_lower",
    "neck_flexor_lt_extensor",
    "legs_prox_lt_distal",
)
BIOPSY_ITEMS: Final = tuple(k for k, (no_bx, _) in WEIGHTS.items() if no_bx is None)
ITEMS: Final = tuple(k for k in WEIGHTS if k not in AGE_ITEMS)

# Score cut-offs (lower bounds) by model; Lundberg 2017 abstract (VERIFIED):
# possible >=5.3 (6.5 with biopsy), probable >=5.5 (6.7), definite >=7.5 (8.7).
CUTOFFS: Final[dict[bool, tuple[tuple[Decimal, str], ...]]] = {
    False: ((D("7.5"), "definite"), (D("5.5"), "probable"), (D("5.3"), "possible")),
    True: ((D("8.7"), "definite"), (D("6.7"), "probable"), (D("6.5"), "possible")),
}
# Probability thresholds: <50 % not IIM, >=50 % possible, >=55 % probable, >=90 % definite.
PROBABILITY_CUTOFFS: Final = ((0.90, "definite"), (0.55, "probable"), (0.50, "possible"))

# Logistic constant c in P = 1 / (1 + exp(c - score)). UNVERIFIED: recalled from the
# footnote of Table 1 of Lundberg 2017, not seen in any retrieved text; consistent with the
# published cut-offs (P = 50/55/90 % at 5.33/5.53/7.53 and 6.49/6.69/8.69). Named option.
PROBABILITY_CONSTANT: Final[dict[bool, float]] = {False: 5.33, True: 6.49}
PROBABILITY_ASSUMPTION: Final = (
    "probability uses P = 1/(1+exp(c - score)) with c = 5.33 (no biopsy) / 6.49 (biopsy); "
    "the constants are UNVERIFIED against the paper. The category follows the published "
    "score cut-offs; the probability is informational."
)
SUBGROUP_ASSUMPTION: Final = (
    "sub-classification tree reconstructed from Lundberg 2017 Fig. 2 (PARTIALLY VERIFIED); "
    "a juvenile patient with a DM skin item is labelled JDM whether or not weak (UNVERIFIED); "
    "IMNM is not separated from PM"
)
BOTH_GOTTRON_ASSUMPTION: Final = (
    "Gottron's papules and Gottron's sign were both scored; the criteria tables list them as "
    "separate rows and do not forbid it (UNVERIFIED as an explicit rule)"
)

Category = Literal["not_IIM", "possible", "probable", "definite"]
NOT_CLASSIFIABLE: Final = "not_classifiable"
NOT_CLASSIFIABLE_WORDS: Final = "not classifiable as IIM without biopsy features"
CATEGORY_WORDS: Final[dict[str, str]] = {
    "not_IIM": "not IIM",
    "possible": "possible IIM",
    "probable": "probable IIM",
    "definite": "definite IIM",
    NOT_CLASSIFIABLE: NOT_CLASSIFIABLE_WORDS,
}
# Karolinska calculator instructions: case > 50 %, trial inclusion > 90 %. By the published
# score cut-offs these are the "possible" (>= 50 %) and "definite" (>= 90 %) bands.
CASE_BANDS: Final = ("possible", "probable", "definite")
TRIAL_BANDS: Final = ("definite",)
CALCULATOR_RULES: Final = (
    "Karolinska Institutet IIM calculator instructions (imm.ki.se): case if probability > 50 %; "
    "clinical-trial inclusion > 90 %; without heliotrope, Gottron's papules or Gottron's sign, "
    "muscle-biopsy features must be present to classify as IIM"
)


@dataclass(frozen=True, slots=True)
class EularAcrResult:
    total_score: Decimal
    biopsy_model: bool
    probability: float
    category: str  # by the published score cut-offs; "not_classifiable" when the rule applies
    category_by_probability: str
    subgroup: str | None
    biopsy_required_but_missing: bool  # no DM skin item and no biopsy features
    assumptions: tuple[str, ...]
    score_band: str = "not_IIM"  # the band of the score alone, whether classifiable or not

    @property
    def classifiable(self) -> bool:
        return not self.biopsy_required_but_missing

    @property
    def is_case(self) -> bool:
        """A case by the calculator's rule (> 50 %, read through the score cut-offs)."""
        return self.classifiable and self.score_band in CASE_BANDS

    @property
    def trial_inclusion(self) -> bool:
        """Meets the calculator's trial-inclusion rule (> 90 %, via the score cut-offs)."""
        return self.classifiable and self.score_band in TRIAL_BANDS

    @property
    def case_by_probability(self) -> bool:
        return self.classifiable and self.probability > 0.5

    @property
    def trial_by_probability(self) -> bool:
        return self.classifiable and self.probability > 0.9

    @property
    def classification(self) -> str:
        """The verdict in words: never a category when the patient is not classifiable."""
        return CATEGORY_WORDS[self.category]


def age_item(age_at_onset_years: float) -> str | None:
    """The age item scored for an age at first symptom (<18 y scores nothing)."""
    if age_at_onset_years >= 40:
        return "age_ge40"
    if age_at_onset_years >= 18:
        return "age_18_to_lt40"
    return None


def total_score(items: frozenset[str], biopsy: bool) -> Decimal:
    """Decimal sum of the weights of the present items in the chosen model."""
    total = D(0)
    for item in items:
        no_bx, with_bx = WEIGHTS[item]
        weight = with_bx if biopsy else no_bx
        if weight is None:
            raise ValueError(f"{item} is a biopsy item; it needs a muscle biopsy to be scored")
        total += weight
    return total


def probability(score: Decimal, biopsy: bool, constant: float | None = None) -> float:
    c = PROBABILITY_CONSTANT[biopsy] if constant is None else constant
    return 1.0 / (1.0 + math.exp(c - float(score)))


def category_by_score(score: Decimal, biopsy: bool) -> str:
    for cutoff, label in CUTOFFS[biopsy]:
        if score >= cutoff:
            return label
    return "not_IIM"


def category_by_probability(p: float) -> str:
    for cutoff, label in PROBABILITY_CUTOFFS:
        if p >= cutoff:
            return label
    return "not_IIM"


def subgroup(
    items: frozenset[str],
    age_at_onset_years: float,
    *,
    finger_flexor_weakness_no_response: bool = False,
) -> str:
    """Sub-classification tree (spec §2.5, PARTIALLY VERIFIED) for classified IIM."""
    skin = any(i in items for i in SKIN_ITEMS)
    if age_at_onset_years < 18:
        return "JDM" if skin else "juvenile myositis other than JDM"
    weak = any(i in items for i in WEAKNESS_ITEMS)
    if weak:
        if skin:
            return "DM"
        if finger_flexor_weakness_no_response or "bx_rimmed_vacuoles" in items:
            return "IBM"
        return "PM (includes IMNM)"
    if skin:
        return "ADM"
    return "not sub-classified (no objective weakness, no DM skin item)"


def classify(
    *,
    age_at_onset_years: float,
    muscle_biopsy_available: bool,
    items_present: Iterable[str],
    finger_flexor_weakness_no_response: bool = False,
    probability_constant: float | None = None,
) -> EularAcrResult:
    """Score and classify. The age item is derived from `age_at_onset_years`; an age item
    given in `items_present` must agree with it."""
    given = frozenset(items_present)
    unknown = sorted(given - set(WEIGHTS))
    if unknown:
        raise ValueError(f"unknown item(s) {unknown}; allowed: {sorted(WEIGHTS)}")
    derived_age = age_item(age_at_onset_years)
    given_age = given & set(AGE_ITEMS)
    if given_age and given_age != {derived_age}:
        raise ValueError(
            f"age item {sorted(given_age)} disagrees with age at onset {age_at_onset_years} y"
        )
    items = (given - set(AGE_ITEMS)) | ({derived_age} if derived_age else set())
    if not muscle_biopsy_available:
        with_bx = sorted(items & set(BIOPSY_ITEMS))
        if with_bx:
            raise ValueError(f"biopsy items {with_bx} given but no muscle biopsy available")
    score = total_score(frozenset(items), muscle_biopsy_available)
    p = probability(score, muscle_biopsy_available, probability_constant)
    band = category_by_score(score, muscle_biopsy_available)
    skin = any(i in items for i in SKIN_ITEMS)
    biopsy_features = any(i in items for i in BIOPSY_ITEMS)
    biopsy_missing = not skin and not biopsy_features
    category = NOT_CLASSIFIABLE if biopsy_missing else band
    assumptions = [PROBABILITY_ASSUMPTION]
    if biopsy_missing:
        assumptions.append(
            "no heliotrope, Gottron's papules or Gottron's sign and "
            + ("no muscle biopsy" if not muscle_biopsy_available else "no biopsy feature")
            + f": {NOT_CLASSIFIABLE_WORDS} (calculator instructions); the score band "
            f"'{band}' is not a classification"
        )
    if {"gottron_papules", "gottron_sign"} <= items:
        assumptions.append(BOTH_GOTTRON_ASSUMPTION)
    group: str | None = None
    # Sub-classification applies to patients classified as IIM (probability >= 55 %, i.e.
    # probable or definite by score).
    if category in ("probable", "definite") and not biopsy_missing:
        group = subgroup(
            frozenset(items),
            age_at_onset_years,
            finger_flexor_weakness_no_response=finger_flexor_weakness_no_response,
        )
        assumptions.append(SUBGROUP_ASSUMPTION)
    return EularAcrResult(
        total_score=score,
        biopsy_model=muscle_biopsy_available,
        probability=p,
        category=category,
        category_by_probability=NOT_CLASSIFIABLE if biopsy_missing else category_by_probability(p),
        subgroup=group,
        biopsy_required_but_missing=biopsy_missing,
        assumptions=tuple(assumptions),
        score_band=band,
    )


ItemName = Literal[
    "age_18_to_lt40",
    "age_ge40",
    "weak_prox_upper",
    "weak_prox_lower",
    "neck_flexor_lt_extensor",
    "legs_prox_lt_distal",
    "heliotrope",
    "gottron_papules",
    "gottron_sign",
    "dysphagia",
    "anti_jo1",
    "enzymes_elevated",
    "bx_endomysial",
    "bx_perimysial_perivascular",
    "bx_perifascicular_atrophy",
    "bx_rimmed_vacuoles",
]


class EularAcrInput(BaseModel):
    """Findings for the 2017 EULAR/ACR IIM classification criteria."""

    model_config = ConfigDict(extra="forbid")

    age_at_onset_years: float = Field(
        ge=0, le=120, description="age at the first symptom assumed related to the disease"
    )
    muscle_biopsy_available: bool = Field(description="a muscle biopsy was performed")
    items_present: list[ItemName] = Field(
        default_factory=list, description="items present (the age item is derived from age)"
    )
    finger_flexor_weakness_no_response: bool = Field(
        default=False,
        description="finger-flexor weakness and no response to treatment (IBM branch)",
    )


def _compute(data: EularAcrInput) -> Mapping[str, Any]:
    r = classify(
        age_at_onset_years=data.age_at_onset_years,
        muscle_biopsy_available=data.muscle_biopsy_available,
        items_present=data.items_present,
        finger_flexor_weakness_no_response=data.finger_flexor_weakness_no_response,
    )
    return {
        "name": NAME,
        "version": VERSION,
        "source": SOURCE,
        "total_score": float(r.total_score),
        "model": "with muscle biopsy" if r.biopsy_model else "without muscle biopsy",
        "classification": r.classification,
        "category": r.category,
        "score_band": r.score_band,
        "classifiable": r.classifiable,
        "case": r.is_case,
        "trial_inclusion": r.trial_inclusion,
        "probability": round(r.probability, 4),
        "category_by_probability": r.category_by_probability,
        "case_by_probability": r.case_by_probability,
        "trial_inclusion_by_probability": r.trial_by_probability,
        "subgroup": r.subgroup,
        "biopsy_required_but_missing": r.biopsy_required_but_missing,
        "calculator_rules": CALCULATOR_RULES,
        "assumptions": list(r.assumptions),
    }


CALCULATOR: Final = Calculator(
    name=NAME,
    title="2017 EULAR/ACR classification criteria for idiopathic inflammatory myopathies",
    version=VERSION,
    source=SOURCE,
    kind="criterion",
    input_model=EularAcrInput,
    compute=_compute,
)
