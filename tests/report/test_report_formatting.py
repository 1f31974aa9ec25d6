"""The printing rule: half away from zero on the decimal value; p to three decimals."""

from __future__ import annotations

import pytest

from myotrack.report.formatting import (
    fmt_ci,
    fmt_count,
    fmt_meansd,
    fmt_median_iqr,
    fmt_num,
    fmt_p,
    fmt_range,
)


@pytest.mark.parametrize(
    ("value", "printed"),
    [
        (0.05, "0.1"),  # binary 0.05 is 0.05000000000000000277; the tie is on the decimal
        (2.25, "2.3"),  # binary 2.25 is exact: half-even would give 2.2
        (0.15, "0.2"),  # binary 0.15 is 0.1499999999999999944
        (-2.25, "-2.3"),  # away from zero, not up
        (306.25, "306.3"),
        (-0.04, "0.0"),  # no negative zero
        (44.0, "44.0"),
        (66.66666666666667, "66.7"),
    ],
)
def test_summary_numbers_round_half_away_from_zero(value: float, printed: str) -> None:
    assert fmt_num(value) == printed


@pytest.mark.parametrize(
    ("p", "printed"),
    [
        (0.0005, "<0.001"),
        (0.0007, "<0.001"),
        (0.00099, "<0.001"),
        (0.0004, "<0.001"),
        (0.00001, "<0.001"),
        (0.0175, "0.018"),
        (0.0345, "0.035"),
        (1.0, "1.000"),
        (None, "–"),
    ],
)
def test_p_values_three_decimals_and_below_0001(p: float | None, printed: str) -> None:
    assert fmt_p(p) == printed


def test_shapes_print_as_a_journal_prints_them() -> None:
    assert fmt_count({"n": 11, "denominator": 25, "pct": 44.0}) == "11/25 (44.0%)"
    assert fmt_count({"n": 16, "denominator": 24, "pct": 100 * 16 / 24}) == "16/24 (66.7%)"
    assert fmt_count({"n": 0, "denominator": 0, "pct": None}) == "0/0"
    assert fmt_meansd({"n": 25, "mean": 4.55, "sd": 3.25}) == "4.6 ± 3.3"
    assert fmt_meansd({"n": 1, "mean": 4.0, "sd": None}) == "4.0"
    assert fmt_meansd({"n": 0, "mean": None, "sd": None}) == "–"
    shape = {"n": 12, "median": 361.5, "q1": 306.25, "q3": 463.25, "min": 250, "max": 600}
    assert fmt_median_iqr(shape) == "361.5 (306.3–463.3)"
    assert fmt_range(shape) == "250.0–600.0"
    assert fmt_ci([39.68, 89.22]) == "39.7 to 89.2"
    assert fmt_ci({"low": 2.0, "high": float("inf")}) == "2.0 to NE"
    assert fmt_ci(None) == ""


def test_negative_bounds_are_joined_by_to() -> None:
    # a change that fell: "-5.0 (-7.5 to -3.0)", never "-7.5–-3.0"
    shape = {"n": 3, "median": -5.0, "q1": -7.5, "q3": -3.0, "min": -9.0, "max": 2.0}
    assert fmt_median_iqr(shape) == "-5.0 (-7.5 to -3.0)"
    assert fmt_range(shape) == "-9.0 to 2.0"
