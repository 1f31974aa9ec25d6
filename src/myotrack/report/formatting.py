"""How numbers are printed in the HTML, PDF and Markdown report.

The rule is the case-series spec's (shared/spec/case-series-report.md, "Printing"):
decimals are rounded half away from zero on the *decimal* value, as SPSS prints them
(so 2.25 prints as 2.3 although the binary double is 2.2499999...), to one decimal for
summaries and percentages; p to three decimals, and below 0.001 as "<0.001".
The JSON report holds the unrounded numbers; only these functions round.

p values: any p below 0.001 prints as "<0.001" (so 0.0007 prints "<0.001", not "0.001"),
the others with three decimals — the same rule as `myotrack.analysis.printing.format_p`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from myotrack.analysis import (
    is_suppressed,
    round_half_away,  # the one rounding rule
    shown_count,
)

MISSING = "–"  # an en dash: no value to print
EN_DASH = "–"


def fmt_num(value: float | None, decimals: int = 1) -> str:
    """A summary number with `decimals` decimals; `MISSING` for None."""
    if value is None:
        return MISSING
    rounded = round_half_away(value, decimals)
    if rounded == 0:
        rounded = abs(rounded)  # never print "-0.0"
    return f"{rounded:f}"


def fmt_int(value: float | None) -> str:
    if value is None:
        return MISSING
    return f"{round_half_away(value, 0):f}"


def fmt_p(p: float | None) -> str:
    """p to three decimals; "<0.001" when p is below 0.001."""
    if p is None:
        return MISSING
    if p < 0.001:
        return "<0.001"
    return f"{round_half_away(p, 3):f}"


def fmt_pct(n: int, denominator: int) -> str:
    if denominator == 0:
        return MISSING
    return fmt_num(100.0 * n / denominator)


def fmt_count(count: Mapping[str, Any] | None) -> str:
    """A count shape {"n", "denominator", "pct"} as "11/25 (44.0%)"."""
    if not count:
        return MISSING
    if is_suppressed(count["n"]) or is_suppressed(count["denominator"]):
        # small-cell suppression (analysis.small_cells): "<5/25", "hidden/25"
        return f"{shown_count(count['n'])}/{shown_count(count['denominator'])}"
    n = int(count["n"])
    denominator = int(count["denominator"])
    if denominator == 0:
        return f"{n}/0"
    pct = count.get("pct")
    pct_text = fmt_num(float(pct)) if pct is not None else fmt_pct(n, denominator)
    return f"{n}/{denominator} ({pct_text}%)"


def fmt_meansd(shape: Mapping[str, Any] | None) -> str:
    """A meansd shape as "4.6 ± 3.3"; a single value has no SD."""
    if not shape or not shape.get("n") or shape.get("mean") is None:
        return MISSING
    mean = fmt_num(shape["mean"])
    sd = shape.get("sd")
    return f"{mean} ± {fmt_num(sd)}" if sd is not None else mean


def between(low: str, high: str) -> str:
    """'14.0–36.5', or '-7.5 to -3.0' when a bound is negative (a dash between two minus
    signs reads as a subtraction)."""
    if low.startswith("-") or high.startswith("-"):
        return f"{low} to {high}"
    return f"{low}{EN_DASH}{high}"


def fmt_median_iqr(shape: Mapping[str, Any] | None) -> str:
    """A describe shape as "21.0 (14.0–36.5)" = median (Q1–Q3)."""
    if not shape or not shape.get("n") or shape.get("median") is None:
        return MISSING
    return (
        f"{fmt_num(shape['median'])} "
        f"({between(fmt_num(shape.get('q1')), fmt_num(shape.get('q3')))})"
    )


def fmt_range(shape: Mapping[str, Any] | None) -> str:
    """min–max of a describe shape."""
    if not shape or not shape.get("n") or shape.get("min") is None:
        return MISSING
    return between(fmt_num(shape["min"]), fmt_num(shape.get("max")))


def fmt_ci(ci: Any, decimals: int = 1, scale: float = 1.0) -> str:
    """A 95% CI given as [low, high] or {"low", "high"} (or "lower"/"upper")."""
    low, high = ci_bounds(ci)
    if low is None and high is None:
        return ""
    low_text = fmt_num(low * scale, decimals) if low is not None else "NE"
    high_text = fmt_num(high * scale, decimals) if high is not None else "NE"
    return f"{low_text} to {high_text}"


def ci_bounds(ci: Any) -> tuple[float | None, float | None]:
    """(low, high) from the shapes a CI may come in; infinite bounds become None."""
    if ci is None:
        return None, None
    if isinstance(ci, Mapping):
        low = ci.get("low", ci.get("lower"))
        high = ci.get("high", ci.get("upper"))
    elif isinstance(ci, list | tuple) and len(ci) == 2:
        low, high = ci
    else:
        return None, None
    return _finite(low), _finite(high)


def _finite(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    if number != number or number in (float("inf"), float("-inf")):
        return None
    return number
