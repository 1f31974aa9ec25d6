"""The printing rule of the case-series report (shared/spec/case-series-report.md, Methods).

Decimals are rounded half away from zero on the *decimal* value (as SPSS prints):
the shortest decimal representation of the float (Python's repr) is rounded, so
0.25 prints as 0.3 and 2.675 as 2.68 (binary rounding would give 0.2 and 2.67).
p-values are printed to three decimals, and below 0.001 as `<0.001`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

NOT_AVAILABLE = "NA"


def round_half_away(value: float, decimals: int = 1) -> Decimal:
    """`value` rounded half away from zero on its decimal representation."""
    quantum = Decimal(1).scaleb(-decimals)
    # ROUND_HALF_UP in the decimal module rounds ties away from zero.
    return Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)


def format_number(value: float | None, decimals: int = 1) -> str:
    """A summary or percentage as printed: one decimal by default; None as `NA`."""
    if value is None:
        return NOT_AVAILABLE
    rounded = round_half_away(value, decimals)
    if rounded == 0:
        rounded = abs(rounded)  # never print -0.0
    return f"{rounded:f}"


def format_p(p: float | None) -> str:
    """A p-value as printed: three decimals, `<0.001` below 0.001, None as `NA`."""
    if p is None:
        return NOT_AVAILABLE
    if p < 0.001:
        return "<0.001"
    return format_number(p, 3)
