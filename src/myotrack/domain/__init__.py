"""The vocabulary of myotrack: domain objects, controlled values and units. Pure code.

The whole JDM record (cohort format version 2 design, docs/dev/cohort-format-v2-design.md):
`WholeRecord` holds a version 1 `PatientRecord` plus investigations, dated organ
involvement, background, detailed treatment courses, events, vaccinations, pregnancy tests
and decisions; dates known to the month or year are `PartialDate`s.

Other packages import from here (`from myotrack.domain import PatientRecord, Calculator`).
The controlled vocabularies are public modules, read as tables: `vocab` (drugs, analytes,
events, visit measures), `units` (unit spellings and conversions), `labels` (words for
codes), `record_vocab` (codes of the whole record) and `drugs` (drug names and synonyms):
`from myotrack.domain import vocab` ... `vocab.JAK_INHIBITORS`. Every other module here
is private.
"""

from myotrack.domain import drugs, labels, record_vocab, units, vocab
from myotrack.domain.background import AnaResult, AntibodyTest, FamilyHistory, PatientBackground
from myotrack.domain.calculator import Calculator
from myotrack.domain.images import (
    BODY_SITE_LABELS,
    BODY_SITES,
    CAPTION_MAX,
    IMAGE_KIND_LABELS,
    IMAGE_KINDS,
    PURPOSE_LABELS,
    PURPOSES,
    BodySite,
    ClinicalImage,
    Consent,
    ImageKind,
    ImagePair,
    Purpose,
    before_after_pairs,
    consented_for,
    images_for,
)
from myotrack.domain.investigations_lung import (
    BronchoalveolarLavage,
    ChestHrct,
    LungFunction,
    OrganismFinding,
    OxygenNeed,
)
from myotrack.domain.investigations_muscle import (
    BIOPSY_DOMAIN_BY_ID,
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
from myotrack.domain.plausibility import Plausibility, judge_lab, judge_measure
from myotrack.domain.prevention import VACCINE_TABLE, PregnancyTest, Vaccination
from myotrack.domain.record_events import ClinicalEvent, InfectionDetail, TreatmentDecision
from myotrack.domain.record_rows import treatment_course, v1_view
from myotrack.domain.reported import ReportedLab, ReportedVisit
from myotrack.domain.treatment_detail import (
    DOSE_UNIT_TABLE,
    FREQUENCY_TABLE,
    ROUTE_TABLE,
    Strength,
    TreatmentCourse,
)
from myotrack.domain.whole_record import Investigation, WholeRecord

__all__ = [
    "BIOPSY_DOMAIN_BY_ID",
    "BODY_SITES",
    "BODY_SITE_LABELS",
    "CAPTION_MAX",
    "DOSE_UNIT_TABLE",
    "FREQUENCY_TABLE",
    "IMAGE_KINDS",
    "IMAGE_KIND_LABELS",
    "PURPOSES",
    "PURPOSE_LABELS",
    "ROUTE_TABLE",
    "VACCINE_TABLE",
    "AnaResult",
    "AntibodyTest",
    "Assessment",
    "BiopsyScore",
    "BodySite",
    "BronchoalveolarLavage",
    "Calculator",
    "Capillaroscopy",
    "CardiacTest",
    "ChestHrct",
    "ClinicalEvent",
    "ClinicalImage",
    "Cohort",
    "Consent",
    "DrugCourse",
    "Event",
    "FamilyHistory",
    "ImageKind",
    "ImagePair",
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
    "Plausibility",
    "PregnancyTest",
    "Purpose",
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
    "before_after_pairs",
    "consented_for",
    "drugs",
    "images_for",
    "judge_lab",
    "judge_measure",
    "labels",
    "record_vocab",
    "treatment_course",
    "units",
    "v1_view",
    "vocab",
]
