"""When the doses of a drug course fall and how many mg they are: the administrations on
one day, from its frequency, and the mg of one administration and of one day from its dose
unit. Pure arithmetic shared by glucocorticoid exposure, dose checks and decision support.

Both read the domain's tables: how often each frequency gives a dose is its row of
`domain.treatment_detail.FREQUENCY_TABLE` (the version 1 codes a `DrugCourse` holds), and a
dose in mg/kg or mg/m² is multiplied by the weight or body surface area the caller says is in
force on the day (each caller owns its window: glucocorticoid exposure looks a few days
ahead for a first weight, dose checks want a current one).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

from myotrack.domain import FREQUENCY_TABLE, DrugCourse

_V1 = tuple(f for f in FREQUENCY_TABLE if f.v1)
# frequency -> administrations per day for daily schedules (QD 1, BID 2, TID 3).
PER_DAY: Final[dict[str, int]] = {f.code: int(f.per_day) for f in _V1 if f.per_day is not None}
# frequency -> interval in days for schedules counted in weeks (weekly 7, every 2 weeks 14, ...).
INTERVAL_DAYS: Final[dict[str, int]] = {
    f.code: 7 * f.every for f in _V1 if f.unit == "wk" and f.every is not None
}
# frequency -> interval in months (monthly: the same day of each month, or its last day).
INTERVAL_MONTHS: Final[dict[str, int]] = {
    f.code: f.every for f in _V1 if f.unit == "mo" and f.every is not None
}
# g/kg doses (e.g. IVIG) counted in mg.
MG_PER_G: Final = 1000.0

MissingForMg = Literal["dose", "weight", "bsa", "unit"]


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
    if freq in INTERVAL_MONTHS and INTERVAL_MONTHS[freq] == 1:
        return 1 if _monthly_on(course.start_date, day) else 0
    return None


@dataclass(frozen=True, slots=True)
class CourseMg:
    """A course's dose in mg: of one administration and of one day on a daily schedule
    (None when the schedule is not daily), or what is missing to know it."""

    per_administration: float | None
    per_day: float | None
    missing: MissingForMg | None = None


def course_mg(course: DrugCourse, *, weight_kg: float | None, bsa_m2: float | None) -> CourseMg:
    """The one calculation of "mg of a course": mg as given; mg/kg and g/kg × the weight in
    force; mg/m² × the body surface area in force; per day × the administrations a day of
    its daily frequency (QD, BID, TID). A missing dose, weight (for a per-kg dose), body
    surface area (for a per-m² dose) or an unusable unit is named in `missing`."""
    if course.dose is None:
        return CourseMg(None, None, "dose")
    unit = course.dose_unit or "mg"
    per_admin: float
    if unit == "mg":
        per_admin = course.dose
    elif unit in ("mg/kg", "g/kg"):
        if weight_kg is None:
            return CourseMg(None, None, "weight")
        per_admin = course.dose * weight_kg * (MG_PER_G if unit == "g/kg" else 1.0)
    elif unit == "mg/m2":
        if bsa_m2 is None:
            return CourseMg(None, None, "bsa")
        per_admin = course.dose * bsa_m2
    else:
        return CourseMg(None, None, "unit")
    n = PER_DAY.get(course.frequency or "")
    return CourseMg(per_admin, None if n is None else per_admin * n)
