"""The whole JDM record of one patient: the version 1 `PatientRecord` plus everything
version 2 adds (investigations, dated organ involvement, background, detailed treatment
courses, events, vaccinations, pregnancy tests, decisions).

Why a parallel container and not new fields on `PatientRecord`/`Cohort`: `PatientRecord` is
read by analysis, therapy, registry, exchange and web code owned by others; its courses have
exact dates that every analysis relies on, while version 2 courses may be known only to the
month. Keeping the new kinds beside it leaves every existing reader unchanged, and
`as_patient_record()` gives those readers the version 1 view of a version 2 record (partial
dates imputed mid-period, with the warnings). When the registry and the cohort format carry
version 2, the loaders build `WholeRecord`s; code that needs only version 1 keeps reading
`record.base`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from myotrack.domain.background import PatientBackground
from myotrack.domain.investigations_lung import (
    BronchoalveolarLavage,
    ChestHrct,
    LungFunction,
    OxygenNeed,
)
from myotrack.domain.investigations_muscle import MuscleBiopsy, MuscleMri, MuscleUltrasound
from myotrack.domain.investigations_other import Capillaroscopy, CardiacTest, SwallowAssessment
from myotrack.domain.involvement import OrganInvolvement, Presence, involvement_on
from myotrack.domain.model import PatientRecord
from myotrack.domain.prevention import PregnancyTest, Vaccination
from myotrack.domain.record_events import ClinicalEvent, InfectionDetail, TreatmentDecision
from myotrack.domain.record_vocab import Organ
from myotrack.domain.reported import ReportedLab, ReportedVisit
from myotrack.domain.treatment_detail import TreatmentCourse

Investigation = (
    ChestHrct
    | LungFunction
    | OxygenNeed
    | BronchoalveolarLavage
    | MuscleMri
    | MuscleUltrasound
    | MuscleBiopsy
    | Capillaroscopy
    | CardiacTest
    | SwallowAssessment
)


@dataclass(frozen=True, slots=True)
class WholeRecord:
    base: PatientRecord
    background: PatientBackground | None = None
    investigations: tuple[Investigation, ...] = ()
    involvement: tuple[OrganInvolvement, ...] = ()
    treatment_courses: tuple[TreatmentCourse, ...] = ()
    clinical_events: tuple[ClinicalEvent, ...] = ()
    infections: tuple[InfectionDetail, ...] = ()
    vaccinations: tuple[Vaccination, ...] = ()
    pregnancy_tests: tuple[PregnancyTest, ...] = ()
    decisions: tuple[TreatmentDecision, ...] = ()
    reported_visits: tuple[ReportedVisit, ...] = ()
    reported_labs: tuple[ReportedLab, ...] = ()

    @property
    def patient_id(self) -> str:
        return self.base.patient.patient_id

    def of_kind(self, kind: type[Investigation]) -> tuple[Investigation, ...]:
        """The investigations of one kind, in date order."""
        found = [i for i in self.investigations if isinstance(i, kind)]
        return tuple(sorted(found, key=lambda i: i.date.sort_key()))

    def organ_on(self, organ: Organ, day: date) -> Presence:
        """Dated involvement of an organ on a day (see `domain.involvement`)."""
        return involvement_on(self.involvement, organ, day)

    def as_patient_record(self, not_after: date) -> tuple[PatientRecord, tuple[str, ...]]:
        """The version 1 view: the base record with the version 2 courses, visits and lab
        results added as version 1 objects (partial dates imputed mid-period, not after
        `not_after`), and the warnings saying what was imputed or left out."""
        warnings: list[str] = []
        visits = list(self.base.visits)
        for reported in self.reported_visits:
            visit, note = reported.to_visit(not_after)
            visits.append(visit)
            if note:
                warnings.append(f"visit: {note}")
        labs = list(self.base.labs)
        for reported_lab in self.reported_labs:
            lab, note = reported_lab.to_lab(not_after)
            labs.append(lab)
            if note:
                warnings.append(f"{reported_lab.analyte}: {note}")
        extra = []
        held = {(c.drug, c.start_date) for c in self.base.courses}
        for course in self.treatment_courses:
            exact = None if course.start is None else course.start.as_date()
            if (course.drug, exact) in held:
                continue  # the detail of a version 1 course the base already holds
            v1, notes = course.to_drug_course(not_after)
            warnings.extend(notes)
            if v1 is not None:
                extra.append(v1)
        courses = tuple(sorted((*self.base.courses, *extra), key=lambda c: (c.start_date, c.drug)))
        record = replace(
            self.base,
            courses=courses,
            visits=tuple(sorted(visits, key=lambda v: v.date)),
            labs=tuple(sorted(labs, key=lambda r: (r.date, r.analyte))),
        )
        return record, tuple(warnings)
