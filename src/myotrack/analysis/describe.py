"""Descriptive statistics: quantiles (Hyndman & Fan types 6 and 7), describe, mean ± SD,
and counts with Wilson 95% intervals (shared/spec/case-series-report.md).

Quantile types follow Hyndman RJ, Fan Y. Sample quantiles in statistical packages.
Am Stat 1996;50:361-5: type 7 is the default of R and NumPy, type 6 is the definition
of SPSS and Minitab. Interpolation is done in exact rational arithmetic on the given
floats, so a quantile halfway between two values is exactly the decimal midpoint
where the inputs allow (e.g. 306.25), and the printing rule then rounds it as SPSS would.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any, Literal

from scipy.special import ndtri

# scipy.special, not scipy.stats: the same functions underneath (ndtri is what
# scipy.stats.norm.ppf calls) without importing all of scipy.stats, which took most of a
# small report's start-up (issue 13). tests/analysis/test_special_functions.py checks
# every value against scipy.stats.

QuantileType = Literal["type6", "type7"]
QUANTILE_TYPES: tuple[QuantileType, ...] = ("type6", "type7")


def quantile(values: Iterable[float], q: float, kind: QuantileType = "type7") -> float | None:
    """The q-th sample quantile (0 ≤ q ≤ 1) of `values`; None when there are no values.

    type 7: h = (n − 1)q + 1;  type 6: h = (n + 1)q, clamped to [1, n];
    then x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]) on the sorted values (1-based).
    """
    xs = sorted(values)
    return _quantile_sorted(xs, q, kind)


def _quantile_sorted(xs: Sequence[float], q: float, kind: QuantileType) -> float | None:
    if kind not in QUANTILE_TYPES:
        raise ValueError(f"unknown quantile type {kind!r}; use 'type6' or 'type7'")
    if not 0 <= q <= 1:
        raise ValueError(f"quantile probability must be within [0, 1], got {q}")
    n = len(xs)
    if n == 0:
        return None
    fq = Fraction(q)
    h = (n - 1) * fq + 1 if kind == "type7" else (n + 1) * fq
    if h <= 1:
        return float(xs[0])
    if h >= n:
        return float(xs[-1])
    lo = math.floor(h)
    frac = h - lo
    a, b = Fraction(xs[lo - 1]), Fraction(xs[lo])
    return float(a + frac * (b - a))


def mean_sd(values: Sequence[float]) -> tuple[float | None, float | None]:
    """Mean and sample SD (n − 1); None where undefined (no values; SD with n < 2)."""
    n = len(values)
    if n == 0:
        return None, None
    mean = math.fsum(values) / n
    if n < 2:
        return mean, None
    sd = math.sqrt(math.fsum((x - mean) ** 2 for x in values) / (n - 1))
    return mean, sd


def describe(values: Iterable[float], kind: QuantileType = "type7") -> dict[str, Any]:
    """The spec's *describe*: n, median, q1, q3, min, max (extra keys: mean, sd)."""
    xs = sorted(float(v) for v in values)
    mean, sd = mean_sd(xs)
    return {
        "n": len(xs),
        "median": _quantile_sorted(xs, 0.5, kind),
        "q1": _quantile_sorted(xs, 0.25, kind),
        "q3": _quantile_sorted(xs, 0.75, kind),
        "min": xs[0] if xs else None,
        "max": xs[-1] if xs else None,
        "mean": mean,
        "sd": sd,
    }


def meansd(values: Iterable[float]) -> dict[str, Any]:
    """The spec's *meansd*: n, mean, sd (sample SD, n − 1)."""
    xs = [float(v) for v in values]
    mean, sd = mean_sd(xs)
    return {"n": len(xs), "mean": mean, "sd": sd}


def wilson_ci(n: int, denominator: int) -> tuple[float, float] | None:
    """Wilson score 95% interval for n/denominator (Wilson EB, J Am Stat Assoc
    1927;22:209-12), in the form of Newcombe RG (Stat Med 1998;17:857-72, method 3):
    centre (2np + z²) / (2(n + z²)) ± z √(4npq + z²) / (2(n + z²)), with the limit at
    0 when n = 0 and at 1 when n = denominator; z the 97.5th normal percentile. The same
    values as scipy.stats.binomtest(...).proportion_ci(method="wilson"), checked in
    tests/analysis/test_special_functions.py."""
    if denominator <= 0:
        return None
    if not 0 <= n <= denominator:
        raise ValueError(f"{n} of {denominator}: the count must be between 0 and the total")
    z = ndtri(0.5 + 0.5 * 0.95)
    p = n / denominator
    q = 1 - p
    denom = 2 * (denominator + z**2)
    centre = (2 * denominator * p + z**2) / denom
    delta = z / denom * math.sqrt(4 * denominator * p * q + z**2)
    low = 0.0 if n == 0 else centre - delta
    high = 1.0 if n == denominator else centre + delta
    return float(low), float(high)


def count(n: int, denominator: int) -> dict[str, Any]:
    """The spec's *count*: n, denominator, pct (unrounded; None when denominator is 0);
    extra key ci95: Wilson 95% interval of the percentage."""
    ci = wilson_ci(n, denominator)
    return {
        "n": n,
        "denominator": denominator,
        "pct": 100.0 * n / denominator if denominator else None,
        "ci95": [100.0 * ci[0], 100.0 * ci[1]] if ci else None,
        "ci95_method": "wilson",
    }
