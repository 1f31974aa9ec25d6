"""Classification, response and disease-state criteria for myositis. Pure code.

`CALCULATORS` lists every criterion calculator for `myotrack calc`.
"""

from __future__ import annotations

from myotrack.domain.calculator import Calculator

CALCULATORS: dict[str, Calculator] = {}

__all__ = ["CALCULATORS"]
