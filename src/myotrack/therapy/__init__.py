"""JAK-inhibitor decision support, drug catalogue and glucocorticoid exposure. Pure code.

`CALCULATORS` lists every therapy calculator for `myotrack calc`.
"""

from __future__ import annotations

from myotrack.domain.calculator import Calculator

CALCULATORS: dict[str, Calculator] = {}

__all__ = ["CALCULATORS"]
