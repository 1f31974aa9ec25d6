"""Organ involvement with dates: when it began, when it resolved, how severe, how certain,
and where — instead of the undated yes/no `features` list of version 1.

`active_on(day)` answers "was it present on this day?" with the partial-date rule of
`domain.partial_date`: "yes" when the onset is certainly on or before the day and the
resolution (inclusive: the organ counts as involved on the day it is found resolved, as a
course runs on its end date) certainly not before it; "no" when the onset is certainly
after the day or the resolution certainly before it; "unknown" when a partial date leaves
it open, or when it is marked resolved without a date. An involvement with `certainty="excluded"` is
never active.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from myotrack.domain.partial_date import PartialDate
from myotrack.domain.record_vocab import BodySite, Certainty, Organ, Severity

Presence = Literal["yes", "no", "unknown"]


@dataclass(frozen=True, slots=True)
class OrganInvolvement:
    patient_id: str
    organ: Organ
    onset: PartialDate | None = None
    resolution: PartialDate | None = None
    resolved: bool | None = None  # True with no resolution date: resolved, date not known
    severity: Severity | None = None
    certainty: Certainty = "confirmed"
    sites: tuple[BodySite, ...] = ()
    free_text: str | None = None

    def active_on(self, day: date) -> Presence:
        if self.certainty == "excluded":
            return "no"
        if self.onset is None:
            started: Presence = "unknown"
        elif self.onset.earliest() > day:
            return "no"
        else:
            started = "yes" if self.onset.latest() <= day else "unknown"
        if self.resolution is not None:
            if self.resolution.latest() < day:
                return "no"
            if self.resolution.earliest() < day:  # the day falls inside the resolution period
                return "unknown"
        elif self.resolved:
            return "unknown"  # it resolved, but when is not known
        return started


def involvement_on(involvements: tuple[OrganInvolvement, ...], organ: Organ, day: date) -> Presence:
    """Whether `organ` is involved on `day` over all records of it: "yes" if any says yes,
    else "unknown" if any is unknown, else "no" (also when there is no record)."""
    states = [i.active_on(day) for i in involvements if i.organ == organ]
    if "yes" in states:
        return "yes"
    return "unknown" if "unknown" in states else "no"
