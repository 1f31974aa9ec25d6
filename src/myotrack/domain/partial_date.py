"""Dates known to the year, the month or the day, kept with their precision.

Case reports and old notes give "since October 2021" or "in 2019". Such a date is stored as
it is known — `PartialDate(2021, 10)`, ISO text `2021-10` — never silently turned into a
day. What it means, and how analyses use it:

* A partial date is a **period**: `earliest()` is its first day, `latest()` its last day.
  `PartialDate(2021, 10)` is 2021-10-01 … 2021-10-31; `PartialDate(2021)` is the year.
* **Ordering is certain only between periods that do not overlap**:
  `a.certainly_before(b)` is `a.latest() < b.earliest()`. October 2021 is certainly before
  2021-11-03, but neither certainly before nor after 2021-10-15 (`overlaps` is True).
  `sort_key()` orders by the first day, then coarser before finer (a year before its months,
  a month before its days), so lists sort the same way every time; it is for display order
  only, never for deciding which came first.
* **Not in the future**: a partial date is refused only when its whole period is after
  `today` (`earliest() > today`); the current month is allowed.
* **Analyses that need a day use mid-period imputation** (`impute`): an unknown day becomes
  the 15th of the month, an unknown month and day 1 July of the year — the midpoint rule
  used for partially known dates in clinical data (as in the cohort report's timelines) —
  moved into the period's part that is not after the `not_after` date (the data cut-off or
  today), so an imputed date is never after the cut-off. Every imputation returns a warning
  naming the date as written and the day used; analyses show these warnings with their
  results (they never impute silently). The largest possible error is about 15 days for a
  month and about 183 days for a year, which the warning states.

Pure code: no clock (pass `today`/`not_after` in).

    >>> d = PartialDate.parse("2021-10")
    >>> d.iso(), d.precision, d.earliest().isoformat(), d.latest().isoformat()
    ('2021-10', 'month', '2021-10-01', '2021-10-31')
    >>> d.impute().day.isoformat()
    '2021-10-15'
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

Precision = Literal["year", "month", "day"]
PRECISIONS: Final[tuple[Precision, ...]] = ("year", "month", "day")

# Mid-period imputation (see the module docstring).
MID_MONTH_DAY: Final = 15
MID_YEAR_MONTH: Final = 7
MID_YEAR_DAY: Final = 1

_ISO: Final = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
MIN_YEAR: Final = 1900


class PartialDateError(ValueError):
    """A text that is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD, or an impossible
    date. `text` is what was given; `allowed` says what is accepted."""

    allowed: Final = "a date written YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2021, 2021-10, 2021-10-05)"

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(f"{text!r} is not a date: {reason}; allowed {self.allowed}")
        self.text = text
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ImputedDate:
    """A day chosen for a partial date, with what was done (empty when the date was exact)."""

    day: date
    imputed: bool
    warning: str | None


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A calendar date known to the year, the month or the day (see the module docstring)."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if not MIN_YEAR <= self.year <= 9999:
            raise PartialDateError(self._raw(), f"year {self.year} is outside {MIN_YEAR}-9999")
        if self.month is None:
            if self.day is not None:
                raise PartialDateError(self._raw(), "a day needs a month")
            return
        if not 1 <= self.month <= 12:
            raise PartialDateError(self._raw(), f"month {self.month} is not 1-12")
        if self.day is not None:
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                raise PartialDateError(self._raw(), f"day {self.day} is not 1-{last}")

    # construction ---------------------------------------------------------------------
    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (surrounding blanks ignored)."""
        match = _ISO.match(text.strip())
        if match is None:
            raise PartialDateError(text, "it is not written YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = match.groups()
        try:
            return cls(
                int(year),
                int(month) if month is not None else None,
                int(day) if day is not None else None,
            )
        except PartialDateError as err:
            raise PartialDateError(text, err.reason) from None

    @classmethod
    def of(cls, day: date) -> PartialDate:
        """An exact date as a partial date of day precision."""
        return cls(day.year, day.month, day.day)

    # what it is -------------------------------------------------------------------------
    @property
    def precision(self) -> Precision:
        if self.month is None:
            return "year"
        return "month" if self.day is None else "day"

    @property
    def is_exact(self) -> bool:
        return self.day is not None

    def iso(self) -> str:
        """The ISO 8601 text at the date's own precision: 2021, 2021-10, 2021-10-05."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def __str__(self) -> str:
        return self.iso()

    def earliest(self) -> date:
        """The first day of the period."""
        return date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> date:
        """The last day of the period."""
        if self.month is None:
            return date(self.year, 12, 31)
        if self.day is None:
            return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return date(self.year, self.month, self.day)

    def as_date(self) -> date | None:
        """The exact date, or None when only the month or year is known."""
        return self.earliest() if self.is_exact else None

    # comparisons ------------------------------------------------------------------------
    def contains(self, day: date) -> bool:
        return self.earliest() <= day <= self.latest()

    def certainly_before(self, other: PartialDate | date) -> bool:
        """True when every day of this period is before every day of `other`."""
        return self.latest() < _earliest(other)

    def certainly_after(self, other: PartialDate | date) -> bool:
        return self.earliest() > _latest(other)

    def overlaps(self, other: PartialDate | date) -> bool:
        """True when the order cannot be known (the periods share at least one day)."""
        return not self.certainly_before(other) and not self.certainly_after(other)

    def sort_key(self) -> tuple[date, int]:
        """For a stable display order only: first day, then coarser before finer."""
        return (self.earliest(), PRECISIONS.index(self.precision))

    def in_future(self, today: date) -> bool:
        """True when the whole period is after `today` (such a date is refused)."""
        return self.earliest() > today

    # analyses ---------------------------------------------------------------------------
    def impute(self, not_after: date | None = None) -> ImputedDate:
        """The day an analysis uses: the date itself when exact, otherwise the middle of the
        period (15th of the month; 1 July of the year), moved back to `not_after` when the
        middle is later (never before the period's first day). Always with a warning."""
        if self.is_exact:
            return ImputedDate(self.earliest(), imputed=False, warning=None)
        if self.month is None:
            middle = date(self.year, MID_YEAR_MONTH, MID_YEAR_DAY)
            rule = "1 July of the year (mid-year)"
            error = "up to about 6 months"
        else:
            middle = date(self.year, self.month, MID_MONTH_DAY)
            rule = "the 15th of the month (mid-month)"
            error = "up to about 15 days"
        chosen = middle
        if not_after is not None and chosen > not_after:
            chosen = max(self.earliest(), not_after)
            rule += f", moved back to {not_after.isoformat()} (not after the cut-off)"
        warning = (
            f"date {self.iso()} is known only to the {self.precision}; "
            f"{chosen.isoformat()} was used ({rule}; error {error})"
        )
        return ImputedDate(chosen, imputed=True, warning=warning)

    def _raw(self) -> str:
        parts = [str(self.year)]
        if self.month is not None:
            parts.append(str(self.month))
        if self.day is not None:
            parts.append(str(self.day))
        return "-".join(parts)


def _earliest(value: PartialDate | date) -> date:
    return value.earliest() if isinstance(value, PartialDate) else value


def _latest(value: PartialDate | date) -> date:
    return value.latest() if isinstance(value, PartialDate) else value


def parse_optional(text: str | None) -> PartialDate | None:
    """An empty cell is None; anything else must be a partial date."""
    if text is None or not text.strip():
        return None
    return PartialDate.parse(text)
