"""JAK-inhibitor decision support, drug catalogue and glucocorticoid exposure. Pure code.

`CALCULATORS` lists every therapy calculator for `myotrack calc`; `decision_support` is the
one entry point of `myotrack check` and the web app's decision-support panel.
"""

from __future__ import annotations

from myotrack.domain.calculator import Calculator
from myotrack.therapy import dosing, glucocorticoids, lab_gating
from myotrack.therapy.decision_support import DecisionSupport, decision_support

CALCULATORS: dict[str, Calculator] = {
    c.name: c for c in (dosing.CALCULATOR, lab_gating.CALCULATOR, glucocorticoids.CALCULATOR)
}

__all__ = ["CALCULATORS", "DecisionSupport", "decision_support"]
