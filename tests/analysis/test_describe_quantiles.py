"""Quantile types 6 and 7, describe / meansd and Wilson counts against hand-worked values
and against NumPy's own implementations of the same definitions."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from statsmodels.stats.proportion import proportion_confint

from myotrack.analysis import count, describe, meansd, quantile, wilson_ci


def test_hand_worked_quartiles_of_1_to_4() -> None:
    xs = [4.0, 1.0, 3.0, 2.0]
    # type 7: h = (n-1)q + 1 = 1.75 -> 1 + 0.75 * (2 - 1)
    assert quantile(xs, 0.25, "type7") == 1.75
    assert quantile(xs, 0.75, "type7") == 3.25
    # type 6: h = (n+1)q = 1.25 -> 1 + 0.25 * (2 - 1); 3.75 -> 3 + 0.75
    assert quantile(xs, 0.25, "type6") == 1.25
    assert quantile(xs, 0.75, "type6") == 3.75
    assert quantile(xs, 0.5, "type6") == quantile(xs, 0.5, "type7") == 2.5


def test_type6_clamps_to_the_extremes() -> None:
    # n = 2: h = 3 * 0.25 = 0.75 < 1 -> the minimum; h = 2.25 >= n -> the maximum
    assert quantile([10.0, 20.0], 0.25, "type6") == 10.0
    assert quantile([10.0, 20.0], 0.75, "type6") == 20.0
    assert quantile([10.0, 20.0], 0.25, "type7") == 12.5


def test_one_value_and_no_values() -> None:
    assert quantile([5.0], 0.25, "type6") == 5.0
    assert quantile([5.0], 0.75, "type7") == 5.0
    assert quantile([], 0.5, "type7") is None
    d = describe([])
    assert d["n"] == 0 and d["median"] is None and d["min"] is None
    assert meansd([3.0]) == {"n": 1, "mean": 3.0, "sd": None}


def test_interpolation_is_exact_on_decimal_midpoints() -> None:
    """306.25 must be 306.25 (then printed 306.3), not 306.24999999999997."""
    assert (
        quantile(
            [300.0, 305.0, 306.0, 307.0, 400.0, 500.0, 600.0, 700.0, 800.0, 900.0, 950.0, 999.0],
            0.25,
            "type6",
        )
        == 306.25
    )
    assert quantile([0.1, 0.2, 0.3, 0.4], 0.25, "type6") == 0.125


def test_unknown_type_is_an_error() -> None:
    with pytest.raises(ValueError, match="type6"):
        quantile([1.0], 0.5, "type9")  # type: ignore[arg-type]


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@given(st.lists(finite, min_size=1, max_size=40), st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]))
def test_agrees_with_numpy_linear_and_weibull(xs: list[float], q: float) -> None:
    """NumPy's 'linear' is H&F type 7 and 'weibull' is type 6."""
    t7 = quantile(xs, q, "type7")
    t6 = quantile(xs, q, "type6")
    assert t7 == pytest.approx(float(np.percentile(xs, 100 * q, method="linear")), abs=1e-6)
    assert t6 == pytest.approx(float(np.percentile(xs, 100 * q, method="weibull")), abs=1e-6)


def test_meansd_matches_statistics_module() -> None:
    xs = [18.0, 2.0, 7.5, 11.0, 3.25]
    m = meansd(xs)
    assert m["mean"] == pytest.approx(statistics.mean(xs))
    assert m["sd"] == pytest.approx(statistics.stdev(xs))  # n - 1


def test_describe_keys_and_values() -> None:
    d = describe([3.0, 1.0, 2.0], "type7")
    assert {"n", "median", "q1", "q3", "min", "max"} <= set(d)
    assert (d["n"], d["median"], d["q1"], d["q3"], d["min"], d["max"]) == (
        3,
        2.0,
        1.5,
        2.5,
        1.0,
        3.0,
    )


def wilson_by_hand(k: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


@pytest.mark.parametrize(("k", "n"), [(7, 10), (0, 25), (25, 25), (11, 25), (1, 1)])
def test_wilson_interval(k: int, n: int) -> None:
    ci = wilson_ci(k, n)
    assert ci is not None
    lo, hi = wilson_by_hand(k, n)
    assert ci[0] == pytest.approx(max(lo, 0.0), abs=1e-12)
    assert ci[1] == pytest.approx(min(hi, 1.0), abs=1e-12)
    sm = proportion_confint(k, n, alpha=0.05, method="wilson")
    assert ci == pytest.approx(sm, abs=1e-9)


def test_wilson_for_7_of_10_is_not_the_default_interval() -> None:
    """stack.md C.3: Wilson 0.397-0.892; scipy's default exact would give 0.348-0.933."""
    ci = wilson_ci(7, 10)
    assert ci is not None
    assert round(ci[0], 3) == 0.397 and round(ci[1], 3) == 0.892


def test_count_shape() -> None:
    c = count(11, 25)
    assert (c["n"], c["denominator"], c["pct"]) == (11, 25, 44.0)
    assert c["ci95"][0] < 44.0 < c["ci95"][1]
    empty = count(0, 0)
    assert empty["pct"] is None and empty["ci95"] is None
