"""The spec's printing rule: half away from zero on the decimal value; p to 3 decimals."""

from __future__ import annotations

import pytest

from myotrack.analysis import format_number, format_p


@pytest.mark.parametrize(
    ("value", "decimals", "printed"),
    [
        (306.25, 1, "306.3"),  # a binary-exact tie: away from zero (Python's round gives 306.2)
        (275.75, 1, "275.8"),
        (2.675, 2, "2.68"),  # the float is 2.67499999…, its decimal value 2.675 rounds up
        (0.05, 1, "0.1"),
        (-0.05, 1, "-0.1"),
        (-0.04, 1, "0.0"),  # no negative zero
        (66.66666666666667, 1, "66.7"),
        (2.759753593429158, 0, "3"),
        (44.0, 0, "44"),
        (None, 1, "NA"),
    ],
)
def test_format_number(value: float | None, decimals: int, printed: str) -> None:
    assert format_number(value, decimals) == printed


def test_python_round_would_differ() -> None:
    assert round(306.25, 1) == 306.2  # banker's rounding: why the rule is written out


@pytest.mark.parametrize(
    ("p", "printed"),
    [
        (0.0341796875, "0.034"),
        (0.01790392990884572, "0.018"),
        (0.0009999, "<0.001"),
        (1.8e-05, "<0.001"),
        (0.001, "0.001"),
        (0.0125, "0.013"),
        (1.0, "1.000"),
        (None, "NA"),
    ],
)
def test_format_p(p: float | None, printed: str) -> None:
    assert format_p(p) == printed
