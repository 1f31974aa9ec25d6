"""Partial dates keep their precision; ordering is claimed only when certain; imputation is
mid-period, inside the period, never after the cut-off, and always warned about."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from myotrack.domain.partial_date import PartialDate, PartialDateError, parse_optional


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    year = draw(st.integers(1900, 2100))
    precision = draw(st.sampled_from(["year", "month", "day"]))
    if precision == "year":
        return PartialDate(year)
    month = draw(st.integers(1, 12))
    if precision == "month":
        return PartialDate(year, month)
    day = draw(st.integers(1, calendar.monthrange(year, month)[1]))
    return PartialDate(year, month, day)


days = st.dates(date(1900, 1, 1), date(2100, 12, 31))


@given(partial_dates())
def test_iso_text_round_trips_with_its_precision(d: PartialDate) -> None:
    again = PartialDate.parse(d.iso())
    assert again == d
    assert again.precision == d.precision
    assert len(d.iso()) == {"year": 4, "month": 7, "day": 10}[d.precision]


@given(partial_dates(), st.one_of(st.none(), days))
def test_imputed_day_lies_in_the_period_and_not_after_the_cutoff(
    d: PartialDate, cutoff: date | None
) -> None:
    result = d.impute(cutoff)
    assert d.earliest() <= result.day <= d.latest()
    if d.is_exact:
        assert not result.imputed and result.warning is None
        assert result.day == d.as_date()
    else:
        assert result.imputed
        assert result.warning is not None and d.iso() in result.warning
        if cutoff is not None and cutoff >= d.earliest():
            assert result.day <= cutoff


@given(days)
def test_an_exact_date_is_its_own_period(day: date) -> None:
    d = PartialDate.of(day)
    assert d.earliest() == d.latest() == day == d.impute().day
    assert d.contains(day)


@given(partial_dates(), partial_dates())
def test_certain_order_is_antisymmetric_and_agrees_with_the_sort_key(
    a: PartialDate, b: PartialDate
) -> None:
    assert not (a.certainly_before(b) and b.certainly_before(a))
    assert a.certainly_before(b) == b.certainly_after(a)
    if a.certainly_before(b):
        assert a.sort_key() < b.sort_key()
        assert not a.overlaps(b)
    assert a.overlaps(b) == b.overlaps(a)


@given(partial_dates(), days)
def test_a_day_inside_the_period_cannot_be_ordered(d: PartialDate, day: date) -> None:
    if d.contains(day):
        assert d.overlaps(day)
        assert not d.certainly_before(day) and not d.certainly_after(day)
    elif day < d.earliest():
        assert d.certainly_after(day)
    else:
        assert d.certainly_before(day)


def test_worked_examples_from_the_second_seed() -> None:
    october = PartialDate.parse("2021-10")  # "since October 2021"
    assert october.precision == "month"
    assert october.earliest() == date(2021, 10, 1)
    assert october.latest() == date(2021, 10, 31)
    assert october.impute().day == date(2021, 10, 15)
    assert october.certainly_before(date(2021, 11, 3))
    assert october.overlaps(date(2021, 10, 15))
    # the data cut-off inside the month: the imputed day is moved back to it
    assert october.impute(date(2021, 10, 9)).day == date(2021, 10, 9)
    year = PartialDate(2021)
    assert year.impute().day == date(2021, 7, 1)
    assert "6 months" in (year.impute().warning or "")
    # leap day
    assert PartialDate(2024, 2).latest() == date(2024, 2, 29)


def test_future_is_the_whole_period_after_today() -> None:
    today = date(2026, 12, 1)
    assert not PartialDate(2026, 12).in_future(today)
    assert not PartialDate(2026).in_future(today)
    assert PartialDate(2027).in_future(today)
    assert PartialDate.of(today + timedelta(days=1)).in_future(today)


@pytest.mark.parametrize(
    "text", ["21-10", "2021-13", "2021-02-30", "2021/10", "Oct 2021", "", "2021-1", "1899"]
)
def test_malformed_or_impossible_dates_are_refused_in_words(text: str) -> None:
    with pytest.raises(PartialDateError) as err:
        PartialDate.parse(text)
    assert err.value.text == text
    assert "YYYY-MM" in str(err.value)


def test_a_day_without_a_month_is_refused() -> None:
    with pytest.raises(PartialDateError):
        PartialDate(2021, None, 5)


def test_empty_cell_is_none() -> None:
    assert parse_optional("  ") is None
    assert parse_optional(None) is None
    assert parse_optional(" 2021 ") == PartialDate(2021)


@given(partial_dates(), partial_dates())
def test_imputation_keeps_every_certain_order(a: PartialDate, b: PartialDate) -> None:
    """An analysis using imputed days never reverses an order the data make certain."""
    if a.certainly_before(b):
        assert a.impute().day < b.impute().day
