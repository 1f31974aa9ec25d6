"""JAK-inhibitor decision support, drug catalogue and glucocorticoid exposure. Pure code.

`CALCULATORS` lists every therapy calculator for `myotrack calc`; `decision_support` is the
one entry point of `myotrack check` and the web app's decision-support panel, on the date
`as_of` chooses; every check is a `Check` in one of three states (`CheckStatus`);
`due_items` is the monitoring schedule on a JAK inhibitor (`DueItem`); `worklist` the
clinic's list of what is due across patients.
"""

from __future__ import annotations

from myotrack.domain import Calculator
from myotrack.therapy import dosing, glucocorticoids, lab_gating
from myotrack.therapy.decision_support import (
    JAK_DRUGS_WITH_RULES,
    AsOf,
    DecisionSupport,
    as_of,
    decision_support,
)
from myotrack.therapy.lab_gating import VERDICT_WORDS, GateResult
from myotrack.therapy.monitoring import DueItem, due_items
from myotrack.therapy.risk_flags import RiskFlag
from myotrack.therapy.status import STATUS_ORDER, STATUS_WORDS, Check, CheckStatus, NeededInput
from myotrack.therapy.worklist import KIND_WORDS, STATE_WORDS, Worklist, worklist

CALCULATORS: dict[str, Calculator] = {
    c.name: c for c in (dosing.CALCULATOR, lab_gating.CALCULATOR, glucocorticoids.CALCULATOR)
}

__all__ = [
    "CALCULATORS",
    "JAK_DRUGS_WITH_RULES",
    "KIND_WORDS",
    "STATE_WORDS",
    "STATUS_ORDER",
    "STATUS_WORDS",
    "VERDICT_WORDS",
    "AsOf",
    "Check",
    "CheckStatus",
    "DecisionSupport",
    "DueItem",
    "GateResult",
    "NeededInput",
    "RiskFlag",
    "Worklist",
    "as_of",
    "decision_support",
    "due_items",
    "worklist",
]
