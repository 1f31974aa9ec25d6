"""PRINTO 2010 provisional criteria for response to therapy in JDM (PRINTO 20/50/70/90).

Source: Ruperto N, Pistorio A, Ravelli A, et al. The Paediatric Rheumatology International
Trials Organisation provisional criteria for the evaluation of response to therapy in
juvenile dermatomyositis. Arthritis Care Res (Hoboken) 2010;62(11):1533–41, doi
10.1002/acr.20280, PMID 20583105 (citation CONFIRMED, shared/spec/errata-2026-12.md §5). Its
abstract, as far as every copy reached goes: "at least 20 % improvement from baseline in 3"
of the 6 core set variables; the same rule is the primary endpoint of Ruperto N et al.
Lancet 2016;387:671–678 ("20 % improvement in three of six core set variables"), whose
abstract states no worsening clause. 50/70/90 are the same construction (Giancane 2019
"PRINTO JDM 50-70-90"); their exact wording is UNVERIFIED.

The worsening clause ("no more than 1 of the remaining variables worse by > 30 %, which
cannot be muscle strength") is UNVERIFIED (recollection of the published definition, not
reached in any text). Both results are always reported, labelled: `printo20_core` (≥ 20 %
in ≥ 3 of 6) and `printo20_with_worsening_clause` (core + clause); the clause's numbers are
options (`worsening_percent`, `max_worsened`). A report must say which one a trial
endpoint uses.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, Field

from myotrack.domain import Calculator

NAME: Final = "printo_2010_response"
VERSION: Final = "2010"
SOURCE: Final = (
    "Ruperto N et al. Arthritis Care Res (Hoboken) 2010;62(11):1533-41, doi 10.1002/acr.20280 "
    "(PRINTO provisional JDM response criteria); primary endpoint in Ruperto N et al. Lancet "
    "2016;387:671-678"
)

VARIABLES: Final = ("phga", "parent_wellbeing", "cmas", "chaq", "das", "chq_phs")
MUSCLE_STRENGTH: Final = frozenset({"cmas"})
LEVELS: Final = (20, 50, 70, 90)
MIN_IMPROVED: Final = 3  # ≥ 3 of 6 variables (Ruperto 2010 abstract; Ruperto 2016)
# UNVERIFIED clause constants (spec §11, errata §5): at most 1 other variable worse by
# > 30 %, never muscle strength. Options of the calculator.
WORSENING_PERCENT: Final = 30.0
MAX_WORSENED: Final = 1
CORE_LABEL: Final = (
    "printo20_core: at least 20 % improvement in at least 3 of the 6 PRINTO core set "
    "variables (Ruperto 2010 abstract; Lancet 2016 endpoint)"
)
CLAUSE_LABEL: Final = (
    "printo20_with_worsening_clause: the core rule and no more than {max_worsened} of the "
    "remaining variables worse by more than {percent:g} %, which cannot be muscle strength "
    "(CMAS) — clause UNVERIFIED"
)
CLAUSE_ASSUMPTION: Final = (
    "The worsening clause is UNVERIFIED (not found in any text reached; the published "
    "definition may carry it): both results are given, labelled; say which one an endpoint "
    "uses. Clause numbers are options (worsening_percent, max_worsened)."
)
LEVELS_ASSUMPTION: Final = (
    "PRINTO 50/70/90 are taken as the same construction at 50/70/90 % (Giancane 2019); their "
    "exact published wording is UNVERIFIED."
)
CHANGE_ASSUMPTION: Final = (
    "Inputs are percent improvements from baseline (relative change; the criteria's change "
    "definition is UNVERIFIED)."
)


def responds(
    percent_improvement: Mapping[str, float],
    level: float,
    *,
    worsening_clause: bool = False,
    worsening_percent: float = WORSENING_PERCENT,
    max_worsened: int = MAX_WORSENED,
) -> bool:
    """PRINTO `level` response from percent improvements of the six variables: the core rule
    (≥ `level` % in ≥ 3 of 6), and with `worsening_clause` also no more than `max_worsened`
    of the others worse by more than `worsening_percent` %, none of them muscle strength."""
    missing = [v for v in VARIABLES if percent_improvement.get(v) is None]
    if missing:
        raise ValueError(f"PRINTO response needs all six variables; missing: {missing}")
    improved = {v for v in VARIABLES if percent_improvement[v] >= level}
    if len(improved) < MIN_IMPROVED:
        return False
    if not worsening_clause:
        return True
    worsened = {
        v for v in VARIABLES if v not in improved and percent_improvement[v] < -worsening_percent
    }
    return len(worsened) <= max_worsened and not (worsened & MUSCLE_STRENGTH)


class PrintoInput(BaseModel):
    """Percent improvement of the six PRINTO core set variables (negative = worse)."""

    model_config = ConfigDict(extra="forbid")

    phga: float = Field(description="physician global activity, % improvement")
    parent_wellbeing: float = Field(description="parent global well-being, % improvement")
    cmas: float = Field(description="CMAS, % improvement")
    chaq: float = Field(description="CHAQ, % improvement")
    das: float = Field(description="DAS total, % improvement")
    chq_phs: float = Field(description="CHQ physical summary score, % improvement")
    worsening_percent: float = Field(
        default=WORSENING_PERCENT,
        ge=0,
        description="worsening clause (UNVERIFIED): a variable counts as worse when its "
        "improvement is below minus this percent",
    )
    max_worsened: int = Field(
        default=MAX_WORSENED,
        ge=0,
        le=3,
        description="worsening clause (UNVERIFIED): how many of the other variables may be worse",
    )


def _compute(data: PrintoInput) -> Mapping[str, Any]:
    pct = {v: getattr(data, v) for v in VARIABLES}
    core = {f"printo{lv}": responds(pct, lv) for lv in LEVELS}
    with_clause = {
        f"printo{lv}": responds(
            pct,
            lv,
            worsening_clause=True,
            worsening_percent=data.worsening_percent,
            max_worsened=data.max_worsened,
        )
        for lv in LEVELS
    }
    return {
        "name": NAME,
        "version": VERSION,
        "source": SOURCE,
        "printo20_core": core["printo20"],
        "printo20_with_worsening_clause": with_clause["printo20"],
        "labels": {
            "printo20_core": CORE_LABEL,
            "printo20_with_worsening_clause": CLAUSE_LABEL.format(
                max_worsened=data.max_worsened, percent=data.worsening_percent
            ),
        },
        # Every level, both ways: "response" is the core rule alone.
        "response": core,
        "response_with_worsening_clause": with_clause,
        "worsening_clause": {
            "status": "UNVERIFIED",
            "worsening_percent": data.worsening_percent,
            "max_worsened": data.max_worsened,
            "never_worse": sorted(MUSCLE_STRENGTH),
        },
        "assumptions": [CLAUSE_ASSUMPTION, LEVELS_ASSUMPTION, CHANGE_ASSUMPTION],
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
