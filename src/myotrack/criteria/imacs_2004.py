"""IMACS preliminary definition of improvement (DOI) for adult and juvenile myositis.

Source: Rider LG, Giannini EH, Brunner HI, et al. Arthritis Rheum 2004;50:2281-2290;
rule as restated by the ACR-EULAR Myositis Response Criteria steering committee slides
(shared/spec/instruments.md §11, [S4], VERIFIED): at least 3 of any 6 core set measures
improved by >= 20 %, with no more than 2 worse by >= 25 %, and the worsened measures cannot
include manual muscle testing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, Field

from myotrack.domain import Calculator

NAME: Final = "imacs_2004_improvement"
VERSION: Final = "2004"
SOURCE: Final = "Rider LG et al. Arthritis Rheum 2004;50:2281-2290 (IMACS preliminary DOI)"

MEASURES: Final = ("phga", "patient_global", "mmt", "chaq", "enzymes", "extramuscular")
IMPROVED_PERCENT: Final = 20.0  # >= 20 % improvement (Rider 2004)
MIN_IMPROVED: Final = 3  # in at least 3 of 6
WORSE_PERCENT: Final = 25.0  # worse by >= 25 %
MAX_WORSE: Final = 2  # no more than 2 worse, and MMT not among them


def improved(percent_improvement: Mapping[str, float]) -> bool:
    missing = [m for m in MEASURES if percent_improvement.get(m) is None]
    if missing:
        raise ValueError(f"IMACS DOI needs all six core set measures; missing: {missing}")
    n_improved = sum(percent_improvement[m] >= IMPROVED_PERCENT for m in MEASURES)
    worse = {m for m in MEASURES if percent_improvement[m] <= -WORSE_PERCENT}
    return n_improved >= MIN_IMPROVED and len(worse) <= MAX_WORSE and "mmt" not in worse


class ImacsInput(BaseModel):
    """Percent improvement of the six IMACS core set measures (negative = worse)."""

    model_config = ConfigDict(extra="forbid")

    phga: float = Field(description="physician global activity")
    patient_global: float = Field(description="patient/parent global activity")
    mmt: float = Field(description="manual muscle testing")
    chaq: float = Field(description="CHAQ/HAQ")
    enzymes: float = Field(description="muscle enzymes")
    extramuscular: float = Field(description="extramuscular activity")


def _compute(data: ImacsInput) -> Mapping[str, Any]:
    pct = data.model_dump()
    return {
        "name": NAME,
        "version": VERSION,
        "source": SOURCE,
        "improved": improved(pct),
        "n_improved_20": sum(pct[m] >= IMPROVED_PERCENT for m in MEASURES),
        "worse_25": sorted(m for m in MEASURES if pct[m] <= -WORSE_PERCENT),
        "assumptions": [],
    }


CALCULATOR: Final = Calculator(
    name=NAME,
    title="IMACS 2004 preliminary definition of improvement",
    version=VERSION,
    source=SOURCE,
    kind="criterion",
    input_model=ImacsInput,
    compute=_compute,
)
