"""When the doses of a drug course fall: the administrations on one day, from its
frequency. Pure date arithmetic shared by glucocorticoid exposure and dose checks."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Final

from myotrack.domain import DrugCourse

# frequency -> administrations per day for daily schedules (cohort format vocabulary).
PER_DAY: Final[dict[str, int]] = {"QD": 1, "BID": 2, "TID": 3}
# frequency -> interval in days for interval schedules.
INTERVAL_DAYS: Final[dict[str, int]] = {"weekly": 7, "every_2_weeks": 14, "every_4_weeks": 28}


def _monthly_on(start: date, day: date) -> bool:
    last = calendar.monthrange(day.year, day.month)[1]
    return day.day == min(start.day, last)


def administrations_on(course: DrugCourse, day: date) -> int | None:
    """How many doses of `course` fall on `day` (0 when not running or not a dosing day);
    None when the frequency is missing or unknown, so the count cannot be known."""
    if not course.running_on(day):
        return 0
    freq = course.frequency
    if freq is None:
        return None
    if freq in PER_DAY:
        return PER_DAY[freq]
    if freq == "once":
        return 1 if day == course.start_date else 0
    if freq in INTERVAL_DAYS:
        return 1 if (day - course.start_date).days % INTERVAL_DAYS[freq] == 0 else 0
    if freq == "monthly":
        return 1 if _monthly_on(course.start_date, day) else 0
    return None
