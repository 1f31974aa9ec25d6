"""The vocabulary of myotrack: domain objects, controlled values and units. Pure code.

The whole JDM record (cohort format version 2 design, docs/dev/cohort-format-v2-design.md):
`WholeRecord` holds a version 1 `PatientRecord` plus investigations, dated organ
involvement, background, detailed treatment courses, events, vaccinations, pregnancy tests
and decisions; dates known to the month or year are `PartialDate`s.
"""

from myotrack.domain.background import AnaResult, AntibodyTest, FamilyHistory, PatientBackground
from myotrack.domain.investigations_lung import (
    BronchoalveolarLavage,
    ChestHrct,
    LungFunction,
    OrganismFinding,
    OxygenNeed,
)
from myotrack.domain.investigations_muscle import (
    BiopsyScore,
    MuscleBiopsy,
    MuscleMri,
    MuscleUltrasound,
)
from myotrack.domain.investigations_other import Capillaroscopy, CardiacTest, SwallowAssessment
from myotrack.domain.involvement import OrganInvolvement
from myotrack.domain.issues import ValidationIssue
from myotrack.domain.model import (
    Assessment,
    Cohort,
    DrugCourse,
    Event,
    LabResult,
    Patient,
    PatientRecord,
    RecordRow,
    ReportedValue,
    Visit,
)
from myotrack.domain.partial_date import PartialDate, PartialDateError
from myotrack.domain.prevention import PregnancyTest, Vaccination
from myotrack.domain.record_events import ClinicalEvent, InfectionDetail, TreatmentDecision
from myotrack.domain.reported import ReportedLab, ReportedVisit
from myotrack.domain.treatment_detail import Strength, TreatmentCourse
from myotrack.domain.whole_record import Investigation, WholeRecord

__all__ = [
    "AnaResult",
    "AntibodyTest",
    "Assessment",
    "BiopsyScore",
    "BronchoalveolarLavage",
    "Capillaroscopy",
    "CardiacTest",
    "ChestHrct",
    "ClinicalEvent",
    "Cohort",
    "DrugCourse",
    "Event",
    "FamilyHistory",
    "InfectionDetail",
    "Investigation",
    "LabResult",
    "LungFunction",
    "MuscleBiopsy",
    "MuscleMri",
    "MuscleUltrasound",
    "OrganInvolvement",
    "OrganismFinding",
    "OxygenNeed",
    "PartialDate",
    "PartialDateError",
    "Patient",
    "PatientBackground",
    "PatientRecord",
    "PregnancyTest",
    "RecordRow",
    "ReportedLab",
    "ReportedValue",
    "ReportedVisit",
    "Strength",
    "SwallowAssessment",
    "TreatmentCourse",
    "TreatmentDecision",
    "Vaccination",
    "ValidationIssue",
    "Visit",
    "WholeRecord",
]
