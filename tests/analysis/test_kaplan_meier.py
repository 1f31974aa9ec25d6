"""Kaplan–Meier: product limit by hand, Greenwood log-log band and median CI against
lifelines (its exponential Greenwood band is R's log-log), the spec's median rule
(tolerance, midpoint of a flat 0.5), all-censored curves and numbers at risk."""

from __future__ import annotations

import math

import pytest
from lifelines import KaplanMeierFitter
from lifelines.utils import median_survival_times

from myotrack.analysis import kaplan_meier

T = [2.0, 3.0, 3.0, 4.0, 6.0, 6.0, 8.0, 12.0, 12.0, 12.0]
E = [True, True, False, True, True, False, True, False, False, False]


def test_product_limit_by_hand() -> None:
    km = kaplan_meier(T, E)
    # at risk 10, 9, 7, 6, 4, 3 at times 2, 3, 4, 6, 8, 12
    rows = [(r.time, r.n_at_risk, r.events, r.censored) for r in km.event_table]
    assert rows == [
        (2.0, 10, 1, 0),
        (3.0, 9, 1, 1),
        (4.0, 7, 1, 0),
        (6.0, 6, 1, 1),
        (8.0, 4, 1, 0),
        (12.0, 3, 0, 3),
    ]
    expected = [0.9, 0.9 * 8 / 9, 0.9 * 8 / 9 * 6 / 7, 0.9 * 8 / 9 * 6 / 7 * 5 / 6]
    expected += [expected[-1] * 3 / 4, expected[-1] * 3 / 4]
    assert km.survival == pytest.approx(expected)
    assert km.median == 8.0  # stack.md C.3
    assert km.median_ci[0] == 2.0 and km.median_ci[1] is None  # upper: not reached
    assert (km.n, km.n_events) == (10, 5)


def test_band_and_median_ci_agree_with_lifelines() -> None:
    km = kaplan_meier(T, E)
    fitter = KaplanMeierFitter().fit(T, [int(e) for e in E])
    ci = fitter.confidence_interval_
    for t, lo, hi in zip(km.times, km.ci_lower, km.ci_upper, strict=True):
        assert lo == pytest.approx(float(ci.loc[t].iloc[0]), rel=1e-9)
        assert hi == pytest.approx(float(ci.loc[t].iloc[1]), rel=1e-9)
    lifelines_ci = median_survival_times(ci)
    assert km.median_ci[0] == float(lifelines_ci.iloc[0, 0])
    assert math.isinf(float(lifelines_ci.iloc[0, 1])) and km.median_ci[1] is None


def test_greenwood_log_log_by_hand_at_first_event() -> None:
    km = kaplan_meier(T, E)
    s = 0.9
    se = math.sqrt(1 / (10 * 9)) / abs(math.log(s))
    z = 1.959963984540054
    assert km.ci_lower[0] == pytest.approx(s ** math.exp(z * se))
    assert km.ci_upper[0] == pytest.approx(s ** math.exp(-z * se))


def test_all_censored() -> None:
    km = kaplan_meier([1.0, 2.0, 5.0], [False, False, False])
    assert km.survival == (1.0, 1.0, 1.0)
    assert km.median is None and km.median_ci == (None, None)
    assert km.n_events == 0


def test_median_at_a_flat_half_is_the_midpoint() -> None:
    """S = 0.5 over [2, 4): the median is 3 (R survival, SAS), not 2."""
    km = kaplan_meier([1.0, 2.0, 3.0, 4.0], [True, True, False, True])
    assert km.survival_at(2.0) == 0.5 and km.survival_at(3.5) == 0.5
    assert km.median == 3.0


def test_flat_half_to_the_end_uses_the_last_time() -> None:
    """S stays 0.5 to the end: midpoint of its start and the last observed time (R)."""
    km = kaplan_meier([1.0, 2.0, 5.0, 7.0], [True, True, False, False])
    assert km.survival[-1] == 0.5
    assert km.median == (2.0 + 7.0) / 2


def test_tolerance_treats_rounding_as_half() -> None:
    # 3 of 6 events in steps whose product is 0.5 only up to rounding
    km = kaplan_meier([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], [True, True, True, True, True, True])
    assert abs(km.survival[2] - 0.5) < 1e-9
    assert km.median == 3.5


def test_median_is_first_time_below_half_otherwise() -> None:
    km = kaplan_meier([1.0, 2.0, 3.0], [True, True, True])
    assert km.median == 2.0  # S: 2/3, 1/3, 0


def test_numbers_at_risk() -> None:
    km = kaplan_meier(T, E)
    assert km.at_risk([0.0, 2.0, 2.5, 3.0, 12.0, 13.0]) == [10, 10, 9, 9, 3, 0]
    fitter = KaplanMeierFitter().fit(T, [int(e) for e in E])
    table = fitter.event_table
    for t in km.times:
        assert km.at_risk([t])[0] == int(table.loc[t, "at_risk"])


def test_single_subject_and_bad_input() -> None:
    km = kaplan_meier([0.0], [False])
    assert km.median is None and km.at_risk([0.0]) == [1]
    with pytest.raises(ValueError):
        kaplan_meier([1.0], [True, False])
    with pytest.raises(ValueError):
        kaplan_meier([-1.0], [True])
