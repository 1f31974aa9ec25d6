"""PRINTO 2010 provisional criteria for response to therapy in JDM (PRINTO 20/50/70/90).

Source: Ruperto N, et al. Arthritis Care Res 2010 (PRINTO provisional criteria; volume and
pages UNVERIFIED); definition as used in the PRINTO randomised trial, Ruperto N et al.
Lancet 2016;387:671-678: at least 20 % improvement in 3 of the 6 PRINTO core set variables
(VERIFIED for PRINTO 20). 50/70/90 are the same construction (Giancane 2019 "PRINTO JDM
50-70-90"). See shared/spec/instruments.md §11.

The worsening clause ("no more than 1 of the remaining variables worse by > 30 %, which
cannot be muscle strength") is UNVERIFIED: it is the option `worsening_clause`, off by
default, and both results are always reported.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, Field

from myotrack.domain.calculator import Calculator

NAME: Final = "printo_2010_response"
VERSION: Final = "2010"
SOURCE: Final = (
    "Ruperto N et al. Arthritis Care Res 2010 (PRINTO provisional JDM response criteria); "
    "used as primary endpoint in Ruperto N et al. Lancet 2016;387:671-678"
)

VARIABLES: Final = ("phga", "parent_wellbeing", "cmas", "chaq", "das", "chq_phs")
MUSCLE_STRENGTH: Final = frozenset({"cmas"})
LEVELS: Final = (20, 50, 70, 90)
MIN_IMPROVED: Final = 3  # 3 of 6 variables (Ruperto 2016)
# UNVERIFIED clause constants (spec §11): at most 1 other variable worse by > 30 %.
WORSENING_PERCENT: Final = 30.0
MAX_WORSENED: Final = 1
CLAUSE_ASSUMPTION: Final = (
    "worsening clause (no more than 1 of the remaining variables worse by > 30 %, not muscle "
    "strength) is UNVERIFIED; reported separately, not part of the default result"
)


def responds(
    percent_improvement: Mapping[str, float],
    level: float,
    *,
    worsening_clause: bool = False,
) -> bool:
    """PRINTO `level` response from percent improvements of the six variables."""
    missing = [v for v in VARIABLES if percent_improvement.get(v) is None]
    if missing:
        raise ValueError(f"PRINTO response needs all six variables; missing: {missing}")
    improved = {v for v in VARIABLES if percent_improvement[v] >= level}
    if len(improved) < MIN_IMPROVED:
        return False
    if not worsening_clause:
        return True
    worsened = {
        v for v in VARIABLES if v not in improved and percent_improvement[v] < -WORSENING_PERCENT
    }
    return len(worsened) <= MAX_WORSENED and not (worsened & MUSCLE_STRENGTH)


class PrintoInput(BaseModel):
    """Percent improvement of the six PRINTO core set variables (negative = worse)."""

    model_config = ConfigDict(extra="forbid")

    phga: float = Field(description="physician global activity, % improvement")
    parent_wellbeing: float = Field(description="parent global well-being, % improvement")
    cmas: float = Field(description="CMAS, % improvement")
    chaq: float = Field(description="CHAQ, % improvement")
    das: float = Field(description="DAS total, % improvement")
    chq_phs: float = Field(description="CHQ physical summary score, % improvement")


def _compute(data: PrintoInput) -> Mapping[str, Any]:
    pct = data.model_dump()
    return {
        "name": NAME,
        "version": VERSION,
        "source": SOURCE,
        "response": {f"printo{lv}": responds(pct, lv) for lv in LEVELS},
        "response_with_worsening_clause": {
            f"printo{lv}": responds(pct, lv, worsening_clause=True) for lv in LEVELS
        },
        "assumptions": [CLAUSE_ASSUMPTION],
    }


CALCULATOR: Final = Calculator(
    name=NAME,
    title="PRINTO 2010 JDM response (PRINTO 20/50/70/90)",
    version=VERSION,
    source=SOURCE,
    kind="criterion",
    input_model=PrintoInput,
    compute=_compute,
)
