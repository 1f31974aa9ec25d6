"""The statistics use scipy.special instead of scipy.stats (issue 13: importing
scipy.stats was most of a small report's start-up). Each value must be the one
scipy.stats gives, bit for bit: the Wilson interval, the paired t-test's p and CI, the
normal quantile of the Kaplan–Meier interval."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.stats import binomtest, norm
from scipy.stats import t as t_distribution

from myotrack.analysis.describe import wilson_ci
from myotrack.analysis.paired import paired_t
from myotrack.analysis.survival import Z_95


@pytest.mark.parametrize("denominator", [1, 2, 3, 7, 10, 25, 97, 150, 1000, 10_000])
def test_wilson_interval_is_scipys(denominator: int) -> None:
    for n in sorted({0, 1, denominator // 3, denominator // 2, denominator - 1, denominator}):
        ci = binomtest(n, denominator).proportion_ci(confidence_level=0.95, method="wilson")
        assert wilson_ci(n, denominator) == (float(ci.low), float(ci.high))


def test_wilson_interval_by_hand() -> None:
    # 8 of 25: p = 0.32, z = 1.959964, z² = 3.841459; centre (16 + z²)/(2(25 + z²))
    # = 19.841459/57.682918 = 0.343975; half-width z·√(21.76 + z²)/57.682918 = 1.959964 ·
    # 5.059788/57.682918 = 0.171923 -> 0.172052 .. 0.515898 (17.2 % to 51.6 %)
    interval = wilson_ci(8, 25)
    assert interval is not None
    assert math.isclose(interval[0], 0.172052, abs_tol=2e-6)
    assert math.isclose(interval[1], 0.515898, abs_tol=2e-6)
    assert wilson_ci(0, 0) is None
    assert wilson_ci(0, 5)[0] == 0.0  # type: ignore[index]
    assert wilson_ci(5, 5)[1] == 1.0  # type: ignore[index]
    with pytest.raises(ValueError):
        wilson_ci(6, 5)


@given(
    st.lists(
        st.tuples(st.floats(-100, 100, allow_nan=False), st.floats(-100, 100, allow_nan=False)),
        min_size=2,
        max_size=60,
    )
)
def test_paired_t_is_scipys(pairs: list[tuple[float, float]]) -> None:
    baseline = [b for b, _ in pairs]
    final = [f for _, f in pairs]
    result = paired_t(baseline, final)
    if result.p is None:
        return
    assert result.df is not None and result.statistic is not None
    assert result.p == float(min(1.0, 2 * t_distribution.sf(abs(result.statistic), result.df)))
    assert result.mean_difference is not None and result.mean_difference_ci95 is not None
    half = result.mean_difference - result.mean_difference_ci95[0]
    sd = math.sqrt(
        math.fsum((f - b - result.mean_difference) ** 2 for b, f in pairs) / (len(pairs) - 1)
    )
    expected = float(t_distribution.ppf(0.975, result.df)) * (sd / math.sqrt(len(pairs)))
    assert math.isclose(half, expected, rel_tol=1e-12, abs_tol=1e-12)


def test_normal_quantile_is_scipys() -> None:
    assert float(norm.ppf(0.975)) == Z_95


def test_statistics_do_not_import_scipy_stats() -> None:
    code = (
        "import sys, myotrack.analysis; "
        "print('scipy.stats' in sys.modules, 'matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]
