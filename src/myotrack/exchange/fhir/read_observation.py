"""Reading Encounters and Observations of a FHIR import: visits (with their vital signs
and scores), lab results, patient-level observations (antibodies, Bohan & Peter,
refractory, 'none' markers) and events recorded as Observations."""

from __future__ import annotations

from myotrack.domain.vocab import VISIT_MEASURES
from myotrack.exchange.fhir import read_whole
from myotrack.exchange.fhir.ids import referenced_id
from myotrack.exchange.fhir.importing import (
    Import,
    ImportRow,
    Origin,
    Resource,
    get_path,
    meaning_of,
    unit_of,
)
from myotrack.exchange.fhir.read_course_event import event


def encounter(work: Import, resource: Resource, origin: Origin) -> None:
    patient = work.subject(resource, origin)
    start = get_path(resource, "period", "start")
    if start is None:
        work.problem(origin.at("period.start"), "required", "the visit has no date (period.start)")
        return
    if patient is None:
        return
    row = work.visit_row(patient, str(start), origin.at("period.start"))
    if row is not None:
        work.extra(row, resource, origin)
        work.encounters[str(resource.get("id"))] = row


def observation(work: Import, resource: Resource, origin: Origin) -> None:
    found = meaning_of(resource.get("code"))
    patient = work.subject(resource, origin)
    if found is None:
        work.problem(
            origin.at("code"), "fhir_code", "no myotrack field has this Observation's code"
        )
        return
    if patient is None:
        return
    system, code = found
    rid = patient.rid
    if system == "record-kinds":
        read_whole.record_observation(work, resource, origin, patient, code)
    elif system == "antibodies" and resource.get("effectiveDateTime") is not None:
        read_whole.antibody_test(work, resource, origin, patient, code)
    elif system == "patient-fields":
        if code in ("bohan_peter", "refractory"):
            value = meaning_of(resource.get("valueCodeableConcept"))
            work.cell(patient, code, value[1] if value else None, origin.at("valueCodeableConcept"))
        elif code == "antibody_none":
            work.lists[rid]["antibodies"].append("none")
        elif code == "features_none":
            work.lists[rid]["features"].append("none")
        else:
            visit_observation(work, resource, origin, patient)
    elif system == "antibodies":
        value = meaning_of(resource.get("valueCodeableConcept"))
        if value is None or value[1] == "positive":
            work.lists[rid]["antibodies"].append(code)
    elif system == "visit-measures":
        visit_observation(work, resource, origin, patient, measure=code)
    elif system == "analytes":
        lab(work, resource, origin, patient, code)
    elif system == "events":
        event(
            work,
            resource,
            origin,
            patient,
            code,
            resource.get("valueString"),
            resource.get("effectiveDateTime"),
        )
    else:
        work.problem(
            origin.at("code"), "fhir_code", "no myotrack field has this Observation's code"
        )


def visit_observation(
    work: Import,
    resource: Resource,
    origin: Origin,
    patient: ImportRow,
    *,
    measure: str | None = None,
) -> None:
    reference = get_path(resource, "encounter", "reference")
    row = work.encounters.get(referenced_id(reference)) if isinstance(reference, str) else None
    if row is None:
        day = resource.get("effectiveDateTime")
        if day is None:
            work.problem(origin.at("effectiveDateTime"), "required", "the visit's date is missing")
            return
        row = work.visit_row(patient, day, origin.at("effectiveDateTime"))
        if row is None:
            return
    if measure is not None:
        visit_measure(work, row, measure, resource, origin, "")
        return
    for index, component in enumerate(resource.get("component") or ()):
        prefix = f"component[{index}]."
        found = meaning_of(component.get("code")) if isinstance(component, dict) else None
        if found is None or found[0] != "visit-measures":
            work.problem(origin.at(prefix + "code"), "fhir_code", "no visit measure has this code")
            continue
        visit_measure(work, row, found[1], component, origin, prefix)


def visit_measure(
    work: Import, row: ImportRow, name: str, element: Resource, origin: Origin, prefix: str
) -> None:
    if name in VISIT_MEASURES:
        value = get_path(element, "valueQuantity", "value")
        work.cell(row, name, value, origin.at(prefix + "valueQuantity.value"))
        return
    flag = element.get("valueBoolean")  # rash, weakness
    at = origin.at(prefix + "valueBoolean")
    if flag is not None and not isinstance(flag, bool):
        work.problem(at, "choice", "give true or false")
        return
    work.cell(row, name, None if flag is None else ("yes" if flag else "no"), at)


def lab(work: Import, resource: Resource, origin: Origin, patient: ImportRow, analyte: str) -> None:
    row = work.new_row("labs.csv", origin)
    work.cell(row, "patient_id", patient.values.get("patient_id"), origin.at("subject"))
    work.cell(row, "date", resource.get("effectiveDateTime"), origin.at("effectiveDateTime"))
    work.cell(row, "analyte", analyte, origin.at("code"))
    work.extra(row, resource, origin)
    concept = resource.get("valueCodeableConcept")
    if concept is not None:
        found = meaning_of(concept)
        if found is None or found[0] != "qualitative-results":
            work.problem(
                origin.at("valueCodeableConcept"),
                "choice",
                "the result is not positive, negative or indeterminate",
            )
        else:
            work.cell(row, "result", found[1], origin.at("valueCodeableConcept"))
    quantity = resource.get("valueQuantity")
    if isinstance(quantity, dict):
        work.cell(row, "value", quantity.get("value"), origin.at("valueQuantity.value"))
        work.cell(row, "unit", unit_of(analyte, quantity), origin.at("valueQuantity.unit"))
    ranges = resource.get("referenceRange") or ()
    if ranges and isinstance(ranges[0], dict):
        for end, column in (("low", "ref_low"), ("high", "ref_high")):
            work.cell(
                row,
                column,
                get_path(ranges[0], end, "value"),
                origin.at(f"referenceRange[0].{end}.value"),
            )
