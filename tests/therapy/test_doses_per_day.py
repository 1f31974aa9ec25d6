"""Clinical review: administrations per day of each dosing frequency of the cohort format
(definitions: QD 1, BID 2, TID 3 a day; weekly / every 2 / every 4 weeks on days 0, 7/14/28,
... from the course start). Glucocorticoid daily doses are dose x administrations that day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from myotrack.domain.model import DrugCourse
from myotrack.therapy.schedule import administrations_on

START = date(2024, 1, 1)


def _course(freq: str) -> DrugCourse:
    return DrugCourse("P1", "prednisolone", START, None, dose=5, dose_unit="mg", frequency=freq)


@pytest.mark.parametrize(("freq", "per_day"), [("QD", 1), ("BID", 2), ("TID", 3)])
def test_daily_frequencies(freq: str, per_day: int) -> None:
    assert administrations_on(_course(freq), START + timedelta(days=3)) == per_day


@pytest.mark.parametrize(("freq", "interval"), [("weekly", 7), ("every_2_weeks", 14),
                                                ("every_4_weeks", 28)])  # fmt: skip
def test_interval_frequencies(freq: str, interval: int) -> None:
    """E.g. every 4 weeks from 1 Jan: doses on 1 Jan and 29 Jan, none on 28 Jan or 30 Jan."""
    c = _course(freq)
    assert administrations_on(c, START) == 1
    assert administrations_on(c, START + timedelta(days=interval)) == 1
    assert administrations_on(c, START + timedelta(days=interval - 1)) == 0
    assert administrations_on(c, START + timedelta(days=interval + 1)) == 0
