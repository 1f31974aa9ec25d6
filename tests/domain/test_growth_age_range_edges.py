"""Edges of the CDC 2000 age range of domain.growth (MIN_MONTHS 24 to MAX_MONTHS 240, both
inclusive; Kuczmarski 2002, the CDC data files cover 2-20 years), as worked examples with
age in months = days / (365.25 / 12): 730 days = 23.98 months (no judgement), 731 days =
24.02 months (judged); 7305 days = 240.0 months (judged), 7306 days = 240.03 (none). Outside
the range `judge_growth` returns None (no judgement, the format's range still applies) —
never an "ok"."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from myotrack.domain.growth import MAX_MONTHS, MIN_MONTHS, age_months, judge_growth

BORN = date(2010, 1, 1)


def test_the_range_is_2_to_20_years() -> None:
    assert (MIN_MONTHS, MAX_MONTHS) == (24.0, 240.0)


@pytest.mark.parametrize(
    ("days", "judged"),
    [(730, False), (731, True), (7305, True), (7306, False)],
)
def test_judged_only_from_24_to_240_months(days: int, judged: bool) -> None:
    on = BORN + timedelta(days=days)
    months = age_months(BORN, on)
    assert (MIN_MONTHS <= months <= MAX_MONTHS) is judged
    # 145 kg: impossible at any age in the range (a typing mistake for 14.5 kg at 2 years)
    result = judge_growth("weight_kg", 145.0, "M", BORN, on)
    assert (result is not None) is judged
    if result is not None and days == 731:
        assert result.level == "impossible"


def test_a_sex_the_reference_has_no_table_for_is_not_judged() -> None:
    assert judge_growth("weight_kg", 12.0, "X", BORN, BORN + timedelta(days=1000)) is None
