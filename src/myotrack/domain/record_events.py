"""Events of the whole JDM record, and dated treatment decisions.

`ClinicalEvent` carries the version 2 events (admission and discharge, intensive care, ILD
diagnosed or progressed, ulcer healed, calcinosis, remission, drug holiday) with a partial
date; infections stay version 1 `Event`s ("infection") and gain a coded organism here
(`InfectionDetail`), so the Pneumocystis check no longer reads free text.

`TreatmentDecision` records "JAK-inhibitor start planned" on the day it was decided. The
planned start itself is not a date (dates after today are refused everywhere), so a plan is
open until a JAK-inhibitor course starts on or after the decision, or it is marked done or
cancelled; the worklist reads `is_open`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from myotrack.domain.model import DrugCourse
from myotrack.domain.partial_date import PartialDate
from myotrack.domain.record_vocab import (
    DecisionKind,
    DecisionStatus,
    DetectionMethod,
    Organism,
    RecordEvent,
)


@dataclass(frozen=True, slots=True)
class ClinicalEvent:
    patient_id: str
    date: PartialDate
    event: RecordEvent
    free_text: str | None = None


@dataclass(frozen=True, slots=True)
class InfectionDetail:
    """The organism of an infection, how it was found and where (e.g. PJP on BAL)."""

    patient_id: str
    date: PartialDate
    organism: Organism
    method: DetectionMethod = "not_stated"
    specimen: str | None = None  # e.g. "bronchoalveolar lavage"
    grade: int | None = None  # CTCAE grade, as the v1 event
    free_text: str | None = None


@dataclass(frozen=True, slots=True)
class TreatmentDecision:
    patient_id: str
    decided_on: PartialDate
    decision: DecisionKind
    drug: str | None = None
    status: DecisionStatus = "open"
    free_text: str | None = None

    def is_open(self, courses: tuple[DrugCourse, ...], on: date) -> bool:
        """A start plan is open on `on` while its status is open and no JAK-inhibitor course
        (of the planned drug, if named) has started on or after the decision by `on`."""
        if self.status != "open" or self.decided_on.in_future(on):
            return False
        if self.decision != "jak_start_planned":
            return True
        for course in courses:
            if not course.is_jak_inhibitor or course.start_date > on:
                continue
            if self.drug is not None and course.drug != self.drug:
                continue
            if not self.decided_on.certainly_after(course.start_date):
                return False
        return True
