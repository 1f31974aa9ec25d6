"""Between-group tests (analysis.two_groups) against hand-worked values and against scipy,
an independent implementation (scipy.stats.mannwhitneyu, scipy.stats.fisher_exact)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import fisher_exact as scipy_fisher
from scipy.stats import mannwhitneyu

from myotrack.analysis import fisher_exact, rank_sum
from myotrack.analysis.two_groups import rank_sum_counts


def test_rank_sum_hand_worked_complete_separation() -> None:
    # x = {1, 2} all below y = {3, 4, 5}: W = U of x = 0; of the C(5, 2) = 10 equally
    # likely arrangements only one gives U = 0, so two-sided p = 2 × 1/10 = 0.2
    result = rank_sum([1, 2], [3, 4, 5])
    assert result.statistic == 0
    assert result.p_method == "exact"
    assert result.p == pytest.approx(0.2)


def test_rank_sum_hand_worked_middle() -> None:
    # x = {1, 4}, y = {2, 3}: ranks of x are 1 and 4, W = 5 − 3 = 2 = mn/2: the centre,
    # lower tail P(U <= 2) of the distribution over C(4, 2) = 6 arrangements is
    # #{U=0, U=1, U=2} = 1 + 1 + 2 = 4 -> p = min(1, 2 × 4/6) = 1
    result = rank_sum([1, 4], [2, 3])
    assert result.statistic == 2
    assert result.p == 1.0


def test_rank_sum_counts_hand_worked() -> None:
    # m = 2, n = 2: U takes 0, 1, 2, 2, 3, 4 over the 6 arrangements
    assert rank_sum_counts(2, 2) == [1, 1, 2, 1, 1]
    assert sum(rank_sum_counts(4, 5)) == math.comb(9, 4)


def test_rank_sum_with_ties_uses_the_normal_approximation() -> None:
    # hand-worked: x = {1, 1}, y = {1, 2}; pooled ranks 2, 2, 2, 4; W = 4 − 3 = 1;
    # mn/2 = 2; tie correction: one tie of 3 -> sigma² = (4/12)(5 − 24/12) = 1;
    # continuity: z = (1 − 2 + 0.5)/1 = −0.5; p = 2Φ(−0.5) = 0.617075...
    result = rank_sum([1, 1], [1, 2])
    assert result.p_method == "normal_approx" and result.ties
    assert result.statistic == 1
    assert result.p == pytest.approx(math.erfc(0.5 / math.sqrt(2)))


def test_rank_sum_empty_group_has_no_p() -> None:
    assert rank_sum([], [1, 2]).p is None


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.integers(0, 40), min_size=1, max_size=9),
    st.lists(st.integers(0, 40), min_size=1, max_size=9),
)
def test_rank_sum_agrees_with_scipy(first: list[int], second: list[int]) -> None:
    result = rank_sum(first, second)
    if result.p is None:  # every value tied: no variance
        assert len(set(first + second)) == 1
        return
    method = "exact" if result.p_method == "exact" else "asymptotic"
    oracle = mannwhitneyu(first, second, method=method, use_continuity=True)
    assert result.statistic == pytest.approx(oracle.statistic)
    assert result.p == pytest.approx(oracle.pvalue, rel=1e-10, abs=1e-14)


def test_rank_sum_large_groups_use_the_normal_approximation() -> None:
    first = [float(i) for i in range(0, 100, 2)]  # 50 values: no longer exact (R's rule)
    second = [float(i) + 0.5 for i in range(0, 60, 2)]
    result = rank_sum(first, second)
    assert result.p_method == "normal_approx"
    oracle = mannwhitneyu(first, second, method="asymptotic", use_continuity=True)
    assert result.p == pytest.approx(oracle.pvalue, rel=1e-10)


def test_fisher_hand_worked() -> None:
    # [[3, 0], [0, 3]]: margins 3/3, 3/3; P(a = k) = C(3,k)C(3,3−k)/C(6,3) = 1, 9, 9, 1 / 20;
    # tables as or less probable than a = 3 (1/20): a = 0 and a = 3 -> p = 2/20 = 0.1
    assert fisher_exact(3, 0, 0, 3).p == pytest.approx(0.1)
    # [[1, 2], [2, 1]]: probabilities 1, 9, 9, 1 / 20; observed a = 1 (9/20): every table
    # is at most as probable -> p = 1
    assert fisher_exact(1, 2, 2, 1).p == pytest.approx(1.0)


def test_fisher_empty_group_has_no_p() -> None:
    assert fisher_exact(0, 0, 2, 3).p is None
    with pytest.raises(ValueError):
        fisher_exact(-1, 0, 2, 3)


@settings(max_examples=200, deadline=None)
@given(st.tuples(*(st.integers(0, 12) for _ in range(4))))
def test_fisher_agrees_with_scipy(table: tuple[int, int, int, int]) -> None:
    a, b, c, d = table
    result = fisher_exact(a, b, c, d)
    if a + b == 0 or c + d == 0:
        assert result.p is None
        return
    oracle = scipy_fisher([[a, b], [c, d]], alternative="two-sided")
    assert result.p == pytest.approx(oracle.pvalue, rel=1e-9, abs=1e-15)
