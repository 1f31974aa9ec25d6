"""The vocabulary of myotrack: domain objects, controlled values and units. Pure code."""

from myotrack.domain.issues import ValidationIssue
from myotrack.domain.model import (
    Assessment,
    Cohort,
    DrugCourse,
    Event,
    LabResult,
    Patient,
    PatientRecord,
    ReportedValue,
    Visit,
)

__all__ = [
    "Assessment",
    "Cohort",
    "DrugCourse",
    "Event",
    "LabResult",
    "Patient",
    "PatientRecord",
    "ReportedValue",
    "ValidationIssue",
    "Visit",
]
