"""Between-group tests of the subgroup report (docs/case-series-report.md, "Subgroups").

- Wilcoxon rank-sum (Mann–Whitney) test, two-sided, of a continuous change (final −
  baseline) between two groups, as R's `wilcox.test(x, y)` computes it up to R 4.5
  (Wilcoxon F, Biometrics Bulletin 1945;1:80-3; Mann HB, Whitney DR, Ann Math Stat
  1947;18:50-60; Hollander M, Wolfe DA, Nonparametric Statistical Methods, 2nd ed. 1999,
  §4.1): values rounded to 1e-9; the statistic W is the Mann–Whitney U of the first
  group (its rank sum minus n₁(n₁+1)/2); the exact null distribution of W when both
  groups have fewer than 50 values and there are no ties; otherwise the normal
  approximation with tie correction and continuity correction.
- Fisher's exact test, two-sided, of a 2×2 count (Fisher RA, J R Stat Soc 1922;85:87-94;
  Agresti A, Categorical Data Analysis, 3rd ed. 2013, §3.5): the sum of the
  hypergeometric probabilities of every table with the observed margins that is no
  more probable than the observed one, compared with R's relative tolerance of 1e-7
  (`fisher.test`).

Both are implemented here from their definitions and checked in the tests against
scipy (`mannwhitneyu`, `fisher_exact`) and against hand-worked values.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

from myotrack.analysis.paired import DIFFERENCE_DECIMALS, EXACT_LIMIT, TestResult, _midranks

FISHER_RELATIVE_TOLERANCE = 1 + 1e-7  # R fisher.test: relErr <- 1 + 10^(-7)


def rank_sum_counts(m: int, n: int) -> list[int]:
    """counts[u] = number of the C(m+n, m) arrangements whose Mann–Whitney U of the
    first group is u (the exact null distribution for untied values)."""
    # f[i][j][u]: arrangements of i values of group 1 and j of group 2 with U = u;
    # built row by row on the largest value: it belongs to group 1 (adds j to U) or 2.
    previous: list[list[int]] = [[1] for _ in range(n + 1)]  # i = 0: U is always 0
    for i in range(1, m + 1):
        current: list[list[int]] = []
        for j in range(n + 1):
            top = i * j
            row = [0] * (top + 1)
            for u, c in enumerate(previous[j]):  # largest value in group 1: U += j
                row[u + j] += c
            if j > 0:
                for u, c in enumerate(current[j - 1]):  # largest value in group 2
                    row[u] += c
            current.append(row)
        previous = current
    return previous[n]


def _exact_rank_sum_p(w: int, m: int, n: int) -> float:
    counts = rank_sum_counts(m, n)
    total = math.comb(m + n, m)
    # R: upper tail P(W >= w) when w > mn/2, else lower tail P(W <= w); doubled, capped
    tail = sum(counts[w:]) if w > m * n / 2 else sum(counts[: w + 1])
    return min(1.0, 2 * tail / total)


def rank_sum(first: Sequence[float], second: Sequence[float]) -> TestResult:
    """Two-sided Wilcoxon rank-sum (Mann–Whitney) test of `first` against `second`."""
    x = [round(float(v), DIFFERENCE_DECIMALS) for v in first]
    y = [round(float(v), DIFFERENCE_DECIMALS) for v in second]
    m, n = len(x), len(y)
    pooled = x + y
    tie_sizes = [c for c in Counter(pooled).values() if c > 1]
    ties = bool(tie_sizes)
    exact = m < EXACT_LIMIT and n < EXACT_LIMIT and not ties
    common: dict[str, Any] = {
        "test": "wilcoxon_rank_sum",
        "p_method": "exact" if exact else "normal_approx",
        "statistic_name": "W",
        "n_pairs": m + n,
        "n_used": m + n,
        "ties": ties,
        "continuity_correction": None if exact else True,
        "tie_correction": None if exact else True,
    }
    if m == 0 or n == 0:
        return TestResult(p=None, statistic=None, **common)
    ranks = _midranks(pooled)
    w = math.fsum(ranks[:m]) - m * (m + 1) / 2
    if exact:
        return TestResult(p=_exact_rank_sum_p(round(w), m, n), statistic=w, **common)
    total = m + n
    variance = (m * n / 12) * (
        (total + 1) - sum(t**3 - t for t in tie_sizes) / (total * (total - 1))
    )
    if variance <= 0:  # every value tied
        return TestResult(p=None, statistic=w, **common)
    z = w - m * n / 2
    correction = 0.5 * (1 if z > 0 else -1 if z < 0 else 0)
    z = (z - correction) / math.sqrt(variance)
    p = min(1.0, math.erfc(abs(z) / math.sqrt(2)))
    return TestResult(p=p, statistic=w, **common)


def _hypergeometric(k: int, row1: int, row2: int, col1: int) -> float:
    """P(top-left cell = k) with the margins fixed."""
    return math.comb(row1, k) * math.comb(row2, col1 - k) / math.comb(row1 + row2, col1)


def fisher_exact(a: int, b: int, c: int, d: int) -> TestResult:
    """Two-sided Fisher's exact test of the 2×2 table [[a, b], [c, d]] (rows: the two
    groups; columns: with and without the outcome)."""
    if min(a, b, c, d) < 0:
        raise ValueError("a 2×2 table holds counts, which cannot be negative")
    row1, row2, col1 = a + b, c + d, a + c
    common: dict[str, Any] = {
        "test": "fisher_exact",
        "p_method": "exact",
        "statistic_name": "a",
        "n_pairs": row1 + row2,
        "n_used": row1 + row2,
    }
    if row1 == 0 or row2 == 0:
        return TestResult(p=None, statistic=None, **common)
    low, high = max(0, col1 - row2), min(row1, col1)
    observed = _hypergeometric(a, row1, row2, col1)
    limit = observed * FISHER_RELATIVE_TOLERANCE
    p = math.fsum(
        prob
        for k in range(low, high + 1)
        if (prob := _hypergeometric(k, row1, row2, col1)) <= limit
    )
    return TestResult(p=min(1.0, p), statistic=float(a), **common)
