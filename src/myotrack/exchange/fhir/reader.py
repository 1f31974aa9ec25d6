"""FHIR R4 resources back into a Cohort, through the same validation as the cohort
folder: every element becomes the cell of the column it maps to, checked by that
column's rule (`cohort.cells.value_checker`, the field table `cohort.columns`), then
the rows go through the cross-row rules and record checks of the folder reader
(`cohort.reader.cohort_from_rows`). All or nothing: one problem and nothing is returned.

Each problem names where it is: the file, the line (NDJSON) or entry number (Bundle),
`<Type>/<id>.<element path>`, the rule and a message in the user's words.

What is read (the inverse of `writer`, and the same resources from another system where
they carry what myotrack needs):
* Patient: the myotrack patient id is the identifier of system `PATIENT_ID_SYSTEM`
  (required: a hospital number is never taken as the study id); gender female/male;
  birthDate; deceasedDateTime becomes a death event unless one is recorded that day.
* Codes are read from the myotrack codings, else from the standard codes of the code
  table (LOINC for labs, SNOMED for diagnosis/ILD/routes/values, RxNorm for drugs,
  HL7 timing codes); a resource whose code means nothing to myotrack is refused.
* Dates: a dateTime is read as its date (the part before 'T').
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from typing import Final

from myotrack.cohort import cohort_from_rows
from myotrack.domain import Cohort, ValidationIssue
from myotrack.exchange.fhir import read_whole
from myotrack.exchange.fhir.bundle import Place, read_files
from myotrack.exchange.fhir.importing import Import, Origin, Resource
from myotrack.exchange.fhir.read_course_event import adverse_event, medication, response
from myotrack.exchange.fhir.read_observation import encounter, observation
from myotrack.exchange.fhir.read_patient import condition, finish_patients, organization, patient

# Resources the import reads; Questionnaires and CodeSystems are definitions (skipped).
# The records of cohort format version 2: `read_whole` (Procedure and DiagnosticReport as the
# companions of an investigation's Observation).
_SKIPPED: Final = ("Questionnaire", "CodeSystem", "Provenance")
_READERS: Final[dict[str, Callable[[Import, Resource, Origin], None]]] = {
    "Procedure": read_whole.companion,
    "DiagnosticReport": read_whole.companion,
    "FamilyMemberHistory": read_whole.family_history,
    "Immunization": read_whole.immunization,
    "Organization": organization,
    "Patient": patient,
    "Condition": condition,
    "Encounter": encounter,
    "Observation": observation,
    "MedicationStatement": medication,
    "AdverseEvent": adverse_event,
    "QuestionnaireResponse": response,
}


def _run(work: Import) -> None:
    first = ("Organization", "Patient", "Encounter")
    for place, resource in work.resources:
        if resource.get("resourceType") in first:
            _dispatch(work, place, resource)
    for place, resource in work.resources:
        if resource.get("resourceType") not in first:
            _dispatch(work, place, resource)
    finish_patients(work)
    work.close_choices()


def _dispatch(work: Import, place: Place, resource: Resource) -> None:
    rtype = str(resource.get("resourceType"))
    rid = str(resource.get("id") or f"(entry {place.line})")
    origin = Origin(place, rtype, rid)
    reader = _READERS.get(rtype)
    if reader is not None:
        try:
            reader(work, resource, origin)
        except (TypeError, AttributeError, KeyError, IndexError, ValueError) as exc:
            # An element of the wrong JSON type where the reader expected another (a list
            # for an object, a number for text, ...): the resource is not FHIR R4 JSON.
            work.problem(
                origin,
                "fhir_structure",
                f"this {rtype} is not R4 JSON where myotrack reads it "
                f"({type(exc).__name__}: {exc}); check it with a FHIR validator",
            )
    elif rtype not in _SKIPPED:
        work.problem(origin, "fhir_resource", f"myotrack does not read {rtype} resources")


def read_fhir(
    texts: Mapping[str, str],
    *,
    today: date,
    accept_implausible: bool = False,
    warnings: list[ValidationIssue] | None = None,
) -> tuple[Cohort | None, list[ValidationIssue]]:
    """The Cohort in FHIR files (file name -> text: a Bundle `.json`, NDJSON files and
    their `manifest.json`), or None and every problem found."""
    read = read_files(texts)
    work = Import(read.resources)
    for p in read.problems:
        work.issues.append(ValidationIssue(p.place.file, p.place.line, None, p.rule, p.message))
    _run(work)
    tables = work.tables()
    # FHIR-level problems and cells' problems (in folder terms) in one list: the folder
    # checks skip rows already reported and build nothing while any problem is listed.
    problems = work.issues + work.row_issues
    folder_warnings: list[ValidationIssue] = []
    cohort = cohort_from_rows(
        tables,
        read.cutoff,
        problems,
        today=today,
        accept_implausible=accept_implausible,
        warnings=folder_warnings,
        version=2,
    )
    if warnings is not None:
        warnings.extend(work.locate(i) for i in folder_warnings)
    if cohort is None:
        return None, [work.locate(i) for i in problems]
    work.issues = []
    work.check_assessments(cohort, today)
    if work.issues:
        return None, work.issues
    return replace(cohort, assessments=tuple(a for _, a in work.assessments)), []
