"""Disease activity states by the Juvenile DermatoMyositis Activity Index (JDMAI).

Source: Rosina S, et al. RMD Open 2024;10:e003093 (cut-offs VERIFIED, shared/spec/
instruments.md §12.3). JDMAI1 (0-40): ID <= 2.4, LDA <= 6.6, MDA 6.7-11, HDA > 11.
JDMAI2 (0-39): ID <= 5.2, LDA <= 8.5, MDA 8.6-11.3, HDA > 11.3.
The score is rounded to one decimal (half up) before comparison, as the published
cut-offs are given to one decimal (assumption stated in the output). Which tools make up
JDMAI1/2 is UNVERIFIED, so the total is an input here, not computed.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from myotrack.domain import Calculator

NAME: Final = "jdmai_state"
VERSION: Final = "2024"
SOURCE: Final = "Rosina S et al. RMD Open 2024;10:e003093"

D = Decimal
# version -> (maximum, ((upper bound inclusive, state), ...)); Rosina 2024.
CUTOFFS: Final[dict[str, tuple[Decimal, tuple[tuple[Decimal, str], ...]]]] = {
    "jdmai1": (D(40), ((D("2.4"), "ID"), (D("6.6"), "LDA"), (D(11), "MDA"))),
    "jdmai2": (D(39), ((D("5.2"), "ID"), (D("8.5"), "LDA"), (D("11.3"), "MDA"))),
}
STATE_NAMES: Final = {
    "ID": "inactive disease",
    "LDA": "low disease activity",
    "MDA": "moderate disease activity",
    "HDA": "high disease activity",
}
ROUNDING_ASSUMPTION: Final = "JDMAI rounded to 1 decimal (half up) before applying cut-offs"


def state(score: float, version: str = "jdmai1") -> str:
    maximum, bands = CUTOFFS[version]
    value = D(repr(score)).quantize(D("0.1"), rounding=ROUND_HALF_UP)
    if value < 0 or value > maximum:
        raise ValueError(f"{version} must be between 0 and {maximum}, got {score}")
    for upper, label in bands:
        if value <= upper:
            return label
    return "HDA"


class JdmaiInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    score: float = Field(ge=0, le=40, description="JDMAI total")
    version: Literal["jdmai1", "jdmai2"] = Field(default="jdmai1")


def _compute(data: JdmaiInput) -> Mapping[str, Any]:
    s = state(data.score, data.version)
    return {
        "name": NAME,
        "version": VERSION,
        "source": SOURCE,
        "jdmai_version": data.version,
        "state": s,
        "state_name": STATE_NAMES[s],
        "assumptions": [ROUNDING_ASSUMPTION],
    }


CALCULATOR: Final = Calculator(
    name=NAME,
    title="JDMAI disease activity state",
    version=VERSION,
    source=SOURCE,
    kind="criterion",
    input_model=JdmaiInput,
    compute=_compute,
)
