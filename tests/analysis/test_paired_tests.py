"""Wilcoxon signed-rank (the spec's rule, R <= 4.5) and the paired t-test, checked against
computations made independently: the exact null distribution by enumerating all 2^n sign
patterns, the normal approximation by its hand formula, scipy used with explicit options,
and hand-worked examples."""

from __future__ import annotations

import itertools
import math
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from myotrack.analysis import paired_t, wilcoxon_signed_rank
from myotrack.analysis.paired import rounded_differences


def exact_p_by_enumeration(d: list[float]) -> float:
    """Two-sided exact p of V for untied, non-zero d: every sign pattern is equally likely."""
    magnitudes = sorted(abs(x) for x in d)
    ranks = {m: i + 1 for i, m in enumerate(magnitudes)}
    v_obs = sum(ranks[abs(x)] for x in d if x > 0)
    n = len(d)
    vs = [
        sum(r for r, s in zip(range(1, n + 1), signs, strict=True) if s)
        for signs in itertools.product([False, True], repeat=n)
    ]
    lower = sum(1 for v in vs if v <= v_obs) / len(vs)
    upper = sum(1 for v in vs if v >= v_obs) / len(vs)
    return min(1.0, 2 * min(lower, upper))


def normal_p_by_hand(d: list[float]) -> float:
    """Normal approximation with tie and continuity correction (Hollander & Wolfe §3.1)."""
    nz = [x for x in d if x != 0]
    n = len(nz)
    mags = sorted(abs(x) for x in nz)
    rank_of: dict[float, float] = {}
    for m in set(mags):
        positions = [i + 1 for i, y in enumerate(mags) if y == m]
        rank_of[m] = sum(positions) / len(positions)
    v = sum(rank_of[abs(x)] for x in nz if x > 0)
    ties = Counter(mags).values()
    sigma = math.sqrt(n * (n + 1) * (2 * n + 1) / 24 - sum(t**3 - t for t in ties) / 48)
    z = v - n * (n + 1) / 4
    z = (z - (0.5 if z > 0 else -0.5 if z < 0 else 0.0)) / sigma  # R: sign(z) * 0.5
    return 2 * (1 - 0.5 * (1 + math.erf(abs(z) / math.sqrt(2))))


@pytest.mark.parametrize(
    "d",
    [
        [-31, -33, -40, 55, -66, -75, -80, 113, -126, -150, -179, -183],  # V = 4 + 8 = 12
        [1.5, -2.0, 3.25, 4.0, -5.5],
        [-1.0, 2.0],
        [0.3, -0.1, 0.7, 1.1, 2.9, -3.3, 5.0, 8.0, 13.0, -21.0],
    ],
)
def test_exact_when_untied_and_no_zeros(d: list[float]) -> None:
    result = wilcoxon_signed_rank(d)
    assert result.p_method == "exact"
    assert result.p == pytest.approx(exact_p_by_enumeration(d), rel=1e-12)
    # scipy with the exact method asked for explicitly agrees
    assert result.p == pytest.approx(stats.wilcoxon(d, method="exact").pvalue, rel=1e-9)
    assert result.n_used == len(d) and result.n_zero == 0


def test_ldh_like_example_gives_0_034() -> None:
    d = [-31, -33, -40, 55, -66, -75, -80, 113, -126, -150, -179, -183]
    result = wilcoxon_signed_rank(d)
    assert result.statistic == 12
    assert result.p == 140 / 4096  # 2 * 70 sign patterns with V <= 12, out of 2^12


def test_stack_example_zero_dropped_and_ties_use_normal_approx() -> None:
    """stack.md C.3: differences [12,12,0,6,12,2,6,6]; R drops the zero and, with zeros
    and ties, uses the normal approximation (scipy's auto would not)."""
    d = [12.0, 12.0, 0.0, 6.0, 12.0, 2.0, 6.0, 6.0]
    result = wilcoxon_signed_rank(d)
    assert result.p_method == "normal_approx"
    assert (result.n_pairs, result.n_used, result.n_zero, result.ties) == (8, 7, 1, True)
    assert result.statistic == 28  # 1 + 3*3 + 3*6
    # by hand: z = (28 - 14 - 0.5) / sqrt(35 - 48/48)
    z = 13.5 / math.sqrt(34)
    assert result.p == pytest.approx(math.erfc(z / math.sqrt(2)), rel=1e-12)
    assert result.p == pytest.approx(normal_p_by_hand(d), rel=1e-12)
    asym = stats.wilcoxon(d, zero_method="wilcox", correction=True, method="asymptotic")
    assert result.p == pytest.approx(asym.pvalue, rel=1e-9)


def test_one_zero_without_ties_still_means_normal_approx() -> None:
    d = [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    result = wilcoxon_signed_rank(d)
    assert result.p_method == "normal_approx"
    assert result.p == pytest.approx(normal_p_by_hand(d), rel=1e-12)


def test_ties_without_zeros_mean_normal_approx() -> None:
    d = [-2.0, -2.0, -5.0, 1.0, -7.0, -3.0]
    result = wilcoxon_signed_rank(d)
    assert result.p_method == "normal_approx"
    assert result.p == pytest.approx(normal_p_by_hand(d), rel=1e-12)


def test_fifty_untied_pairs_use_normal_approx_and_49_exact() -> None:
    d50 = [float(i) * (-1 if i % 3 else 1) for i in range(1, 51)]
    r50 = wilcoxon_signed_rank(d50)
    assert r50.p_method == "normal_approx"
    assert r50.p == pytest.approx(normal_p_by_hand(d50), rel=1e-12)
    r49 = wilcoxon_signed_rank(d50[:49])
    assert r49.p_method == "exact"
    assert r49.p == pytest.approx(stats.wilcoxon(d50[:49], method="exact").pvalue, rel=1e-9)


def test_floating_point_noise_is_rounded_away() -> None:
    """0.1 + 0.2 − 0.3 is not zero in binary; rounded to 1e-9 it is (spec)."""
    d = rounded_differences([0.3, 1.0, 2.0], [0.1 + 0.2, 1.3, 2.9])
    assert d[0] == 0.0
    result = wilcoxon_signed_rank([(0.1 + 0.2) - 0.3, 0.3 - 0.1, 0.2, 1.0])
    assert result.n_zero == 1 and result.ties  # 0.19999999999999998 ties with 0.2


def test_n_1_and_all_zero_give_no_p() -> None:
    assert wilcoxon_signed_rank([3.0]).p is None
    assert wilcoxon_signed_rank([0.0, 0.0, 0.0]).p is None
    assert wilcoxon_signed_rank([]).p is None


def test_paired_t_matches_scipy_and_hand_ci() -> None:
    baseline = [0.0, 16.0, 25.0, 31.0, 12.0, 4.0, 42.0]
    final = [29.0, 29.0, 33.0, 33.0, 40.0, 41.0, 45.0]
    result = paired_t(baseline, final)
    ref = stats.ttest_rel(final, baseline)
    assert result.p == pytest.approx(ref.pvalue, rel=1e-12)
    assert result.statistic == pytest.approx(ref.statistic, rel=1e-12)
    assert result.df == 6
    d = [f - b for b, f in zip(baseline, final, strict=True)]
    mean = sum(d) / 7
    se = stats.tstd(d) / math.sqrt(7)
    t975 = stats.t.ppf(0.975, 6)
    assert result.mean_difference == pytest.approx(120 / 7)
    assert result.mean_difference_ci95 == pytest.approx((mean - t975 * se, mean + t975 * se))


def test_paired_t_without_variance_or_pairs() -> None:
    assert paired_t([47.0, 47.0], [47.0, 47.0]).p is None
    assert paired_t([10.0, 12.0], [13.0, 15.0]).p is None  # constant difference
    single = paired_t([10.0], [20.0])
    assert single.p is None and single.mean_difference == 10.0
    assert paired_t([], []).p is None


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(min_value=-12, max_value=12), min_size=2, max_size=10))
def test_rule_against_independent_computation(d_int: list[int]) -> None:
    """Any small sample: the spec's rule picks exact iff no zeros and no ties, and the p
    equals sign enumeration (exact) or the hand formula (normal approximation)."""
    d = [x / 4 for x in d_int]
    result = wilcoxon_signed_rank(d)
    nonzero = [x for x in d if x != 0]
    if not nonzero:
        assert result.p is None
        return
    untied = len({abs(x) for x in nonzero}) == len(nonzero)
    if untied and len(nonzero) == len(d):
        assert result.p_method == "exact"
        assert result.p == pytest.approx(exact_p_by_enumeration(d), rel=1e-12)
    else:
        assert result.p_method == "normal_approx"
        assert result.p == pytest.approx(min(1.0, normal_p_by_hand(d)), rel=1e-9, abs=1e-15)
