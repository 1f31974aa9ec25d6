"""Bohan & Peter (1975) criteria for dermatomyositis (DM) and polymyositis (PM).

Source: Bohan A, Peter JB. N Engl J Med 1975;292:344-347 and 292:403-407; item wording and
combination rules as reproduced in ISRN Rheumatology 2013 Table 1 and Clinical Sarcoma
Research 2020 Table 1 (shared/spec/criteria-therapy.md §1, VERIFIED via reproductions).

Four muscle criteria (C1-C4) are counted; the typical rash (C5) decides DM versus PM:

    rash present (DM): definite n >= 3, probable n = 2, possible n = 1
    rash absent  (PM): definite n = 4,  probable n = 3, possible n = 2

The criteria apply only after other causes of myopathy are excluded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, Field

from myotrack.domain import Calculator

NAME: Final = "bohan_peter"
VERSION: Final = "1975"
SOURCE: Final = "Bohan A, Peter JB. N Engl J Med 1975;292:344-347 and 292:403-407"

MUSCLE_CRITERIA: Final = (
    "symmetric_proximal_weakness",  # C1
    "elevated_muscle_enzymes",  # C2
    "myopathic_emg",  # C3
    "biopsy_consistent",  # C4
)

# (rash present?, muscle criteria met) -> level; Bohan & Peter 1975 (spec §1 table).
_LEVELS: Final[dict[bool, tuple[tuple[int, str], ...]]] = {
    True: ((3, "definite"), (2, "probable"), (1, "possible")),  # DM: n>=3 / 2 / 1
    False: ((4, "definite"), (3, "probable"), (2, "possible")),  # PM: n=4 / 3 / 2
}


@dataclass(frozen=True, slots=True)
class BohanPeterResult:
    disease: str | None  # "DM", "PM" or None
    level: str | None  # "definite", "probable", "possible" or None
    criteria_met: int
    label: str  # e.g. "DM definite", "not classifiable", "not applicable (exclusion)"


def classify(
    *,
    symmetric_proximal_weakness: bool,
    elevated_muscle_enzymes: bool,
    myopathic_emg: bool,
    biopsy_consistent: bool,
    typical_dm_rash: bool,
    exclusion_present: bool,
) -> BohanPeterResult:
    """Classify by Bohan & Peter. An exclusion present makes the criteria not applicable."""
    n = sum(
        (symmetric_proximal_weakness, elevated_muscle_enzymes, myopathic_emg, biopsy_consistent)
    )
    if exclusion_present:
        return BohanPeterResult(None, None, n, "not applicable (exclusion)")
    disease = "DM" if typical_dm_rash else "PM"
    for minimum, level in _LEVELS[typical_dm_rash]:
        if n >= minimum:
            return BohanPeterResult(disease, level, n, f"{disease} {level}")
    if typical_dm_rash:
        # Amyopathic DM is outside these criteria (spec §1).
        return BohanPeterResult(None, None, n, "not classifiable (rash only)")
    return BohanPeterResult(None, None, n, "not classifiable")


class BohanPeterInput(BaseModel):
    """Findings for the Bohan & Peter criteria (true = present)."""

    model_config = ConfigDict(extra="forbid")

    symmetric_proximal_weakness: bool = Field(
        description="C1: symmetric weakness of limb-girdle muscles and anterior neck flexors"
    )
    elevated_muscle_enzymes: bool = Field(
        description="C2: raised serum skeletal-muscle enzymes (CK, aldolase, AST, ALT, LDH)"
    )
    myopathic_emg: bool = Field(description="C3: myopathic electromyography")
    biopsy_consistent: bool = Field(description="C4: muscle biopsy compatible with myositis")
    typical_dm_rash: bool = Field(description="C5: heliotrope rash or Gottron's sign/papules")
    exclusion_present: bool = Field(
        description=(
            "another cause of myopathy present (neurological, dystrophy, infectious, "
            "metabolic/endocrine myopathy, myasthenia)"
        )
    )


def _compute(data: BohanPeterInput) -> Mapping[str, Any]:
    result = classify(**data.model_dump())
    return {
        "name": NAME,
        "version": VERSION,
        "source": SOURCE,
        "category": result.label,
        "disease": result.disease,
        "level": result.level,
        "muscle_criteria_met": result.criteria_met,
        "assumptions": [],
    }


CALCULATOR: Final = Calculator(
    name=NAME,
    title="Bohan & Peter criteria for dermatomyositis/polymyositis",
    version=VERSION,
    source=SOURCE,
    kind="criterion",
    input_model=BohanPeterInput,
    compute=_compute,
)
