"""Paired tests of the case-series report (shared/spec/case-series-report.md, Methods).

- Paired t-test, two-sided, on the differences final − baseline (Student 1908); p is
  None when n < 2 or the differences have zero variance. The 95% CI of the mean
  difference uses the t distribution with n − 1 degrees of freedom.
- Wilcoxon signed-rank test, two-sided, as R's `wilcox.test(paired = TRUE)` up to R 4.5
  (Wilcoxon F, Biometrics Bulletin 1945;1:80-3; Hollander M, Wolfe DA, Nonparametric
  Statistical Methods, 2nd ed. 1999, §3.1): differences rounded to 1e-9; zero
  differences dropped; the exact null distribution of V (the sum of the ranks of the
  positive differences) when fewer than 50 non-zero differences remain and there are
  no tied |differences| and there were no zeros; otherwise the normal approximation
  with tie correction and continuity correction. scipy's `wilcoxon` chooses its
  method differently (a permutation test for small samples with ties or zeros), so the
  rule is implemented here and checked against independent computations in the tests.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

from scipy.special import stdtr, stdtrit

PMethod = Literal["exact", "normal_approx", "paired_t"]

EXACT_LIMIT = 50  # R: exact when n < 50 (non-zero differences)
DIFFERENCE_DECIMALS = 9  # spec: paired differences rounded to 1e-9 before ranking


@dataclass(frozen=True, slots=True)
class TestResult:
    """One paired test: what was done, on how many pairs, and its result."""

    test: str  # "wilcoxon_signed_rank" or "paired_t"
    p_method: PMethod
    p: float | None
    statistic: float | None
    statistic_name: str  # "V" (sum of positive ranks, as R) or "t"
    n_pairs: int
    n_used: int  # pairs that entered the test (non-zero differences for Wilcoxon)
    n_zero: int = 0
    ties: bool = False
    df: int | None = None
    zero_handling: str | None = None
    continuity_correction: bool | None = None
    tie_correction: bool | None = None
    mean_difference: float | None = None
    mean_difference_ci95: tuple[float, float] | None = None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        if self.mean_difference_ci95 is not None:
            out["mean_difference_ci95"] = list(self.mean_difference_ci95)
        return out


def rounded_differences(baseline: Sequence[float], final: Sequence[float]) -> list[float]:
    """final − baseline for each pair, rounded to 1e-9 (spec)."""
    if len(baseline) != len(final):
        raise ValueError("baseline and final must have the same number of values")
    return [round(f - b, DIFFERENCE_DECIMALS) for b, f in zip(baseline, final, strict=True)]


def _midranks(values: Sequence[float]) -> list[float]:
    """Ranks 1..n of `values`, ties given their average rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    ranks = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        rank = (i + j) / 2 + 1
        for k in range(i, j + 1):
            ranks[order[k]] = rank
        i = j + 1
    return ranks


def signed_rank_counts(n: int) -> list[int]:
    """counts[v] = number of the 2**n sign patterns whose positive ranks sum to v
    (the exact null distribution of V for n untied, non-zero differences)."""
    top = n * (n + 1) // 2
    counts = [1] + [0] * top
    for rank in range(1, n + 1):
        for v in range(top, rank - 1, -1):
            counts[v] += counts[v - rank]
    return counts


def _exact_p(v: int, n: int) -> float:
    counts = signed_rank_counts(n)
    total = 1 << n
    # as R's psignrank-based two-sided p: the smaller tail, doubled, capped at 1
    tail = sum(counts[v:]) if v > n * (n + 1) / 4 else sum(counts[: v + 1])
    return min(1.0, 2 * tail / total)


def wilcoxon_signed_rank(differences: Sequence[float]) -> TestResult:
    """Two-sided Wilcoxon signed-rank test of paired differences (final − baseline),
    by the spec's rule (R ≤ 4.5 `wilcox.test(paired = TRUE)`)."""
    d = [round(float(x), DIFFERENCE_DECIMALS) for x in differences]
    n_pairs = len(d)
    nonzero = [x for x in d if x != 0]
    n_zero = n_pairs - len(nonzero)
    n = len(nonzero)
    magnitudes = [abs(x) for x in nonzero]
    tie_sizes = [c for c in Counter(magnitudes).values() if c > 1]
    ties = bool(tie_sizes)
    exact = n < EXACT_LIMIT and not ties and n_zero == 0
    common: dict[str, Any] = {
        "test": "wilcoxon_signed_rank",
        "p_method": "exact" if exact else "normal_approx",
        "statistic_name": "V",
        "n_pairs": n_pairs,
        "n_used": n,
        "n_zero": n_zero,
        "ties": ties,
        "zero_handling": "zero differences dropped (R wilcox.test, Wilcoxon 1945)",
        "continuity_correction": None if exact else True,
        "tie_correction": None if exact else True,
    }
    if n == 0:
        return TestResult(p=None, statistic=None, **common)
    ranks = _midranks(magnitudes)
    v = math.fsum(r for r, x in zip(ranks, nonzero, strict=True) if x > 0)
    if n_pairs < 2:
        return TestResult(p=None, statistic=v, **common)
    if exact:
        return TestResult(p=_exact_p(round(v), n), statistic=v, **common)
    mean_v = n * (n + 1) / 4
    variance = n * (n + 1) * (2 * n + 1) / 24 - sum(t**3 - t for t in tie_sizes) / 48
    z = v - mean_v
    if variance <= 0:
        return TestResult(p=None, statistic=v, **common)
    correction = 0.5 * (1 if z > 0 else -1 if z < 0 else 0)
    z = (z - correction) / math.sqrt(variance)
    p = min(1.0, math.erfc(abs(z) / math.sqrt(2)))
    return TestResult(p=p, statistic=v, **common)


def paired_t(baseline: Sequence[float], final: Sequence[float]) -> TestResult:
    """Two-sided paired t-test of final − baseline, with the 95% CI of the mean difference."""
    d = [f - b for b, f in zip(baseline, final, strict=True)]
    n = len(d)
    common: dict[str, Any] = {
        "test": "paired_t",
        "p_method": "paired_t",
        "statistic_name": "t",
        "n_pairs": n,
        "n_used": n,
    }
    if n == 0:
        return TestResult(p=None, statistic=None, **common)
    mean = math.fsum(d) / n
    if n < 2:
        return TestResult(p=None, statistic=None, mean_difference=mean, **common)
    sd = math.sqrt(math.fsum((x - mean) ** 2 for x in d) / (n - 1))
    df = n - 1
    if sd == 0:
        return TestResult(p=None, statistic=None, df=df, mean_difference=mean, **common)
    se = sd / math.sqrt(n)
    t_value = mean / se
    # Student's t through scipy.special (what scipy.stats.t.sf and .ppf compute:
    # sf(x) = stdtr(df, -x), ppf(q) = stdtrit(df, q)) without importing scipy.stats
    p = float(min(1.0, 2 * stdtr(df, -abs(t_value))))
    half = float(stdtrit(df, 0.975)) * se
    return TestResult(
        p=p,
        statistic=t_value,
        df=df,
        mean_difference=mean,
        mean_difference_ci95=(mean - half, mean + half),
        **common,
    )
