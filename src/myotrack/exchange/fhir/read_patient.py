"""Reading the patient level of a FHIR import: Organization (site), Patient, Condition
(diagnosis, features; organ involvement through `read_whole`); `finish_patients` closes
each patient's lists (antibodies, features) and its death."""

from __future__ import annotations

from typing import Final

from myotrack.cohort import cell
from myotrack.exchange.fhir import codes, read_whole
from myotrack.exchange.fhir.ids import referenced_id
from myotrack.exchange.fhir.importing import (
    Import,
    Origin,
    Resource,
    date_text,
    meaning_of,
)

_SEX: Final = {"female": "F", "male": "M"}


def organization(work: Import, resource: Resource, origin: Origin) -> None:
    name = resource.get("name")
    if isinstance(name, str) and resource.get("id"):
        work.organizations[str(resource["id"])] = name


def patient(work: Import, resource: Resource, origin: Origin) -> None:
    row = work.new_row("patients.csv", origin)
    ids = [
        i.get("value")
        for i in resource.get("identifier") or ()
        if isinstance(i, dict) and i.get("system") == codes.PATIENT_ID_SYSTEM
    ]
    if not ids:
        work.problem(
            origin.at("identifier"),
            "required",
            f"the Patient has no myotrack patient id (an identifier of system "
            f"{codes.PATIENT_ID_SYSTEM}); add the study pseudonym there",
        )
        row.origins["patient_id"] = origin.at("identifier")  # said once, here
    else:
        work.cell(row, "patient_id", ids[0], origin.at("identifier[0].value"))
    gender = resource.get("gender")
    at = origin.at("gender")
    if gender is not None and gender not in _SEX:
        work.problem(at, "choice", f"gender '{gender}' is not one myotrack records (female, male)")
    else:
        work.cell(row, "sex", _SEX.get(str(gender)), at)
    work.cell(row, "birth_date", resource.get("birthDate"), origin.at("birthDate"))
    organization = resource.get("managingOrganization")
    if isinstance(organization, dict):
        site = organization.get("display")
        if site is None and isinstance(organization.get("reference"), str):
            site = work.organizations.get(referenced_id(organization["reference"]))
        work.cell(row, "site", site, origin.at("managingOrganization"))
    work.extra(row, resource, origin)
    deceased = resource.get("deceasedDateTime")
    rid = str(resource.get("id"))
    if deceased is not None:
        work.deaths[rid] = (deceased, origin.at("deceasedDateTime"))
    row.rid = rid
    work.patients[rid] = row
    work.lists[rid] = {"antibodies": [], "features": []}


def finish_patients(work: Import) -> None:
    """Each patient's antibodies and features as one cell; a missing diagnosis; a
    `deceasedDateTime` without a death event on that day becomes one."""
    deaths_recorded = {
        (r.values.get("patient_id"), cell(r.values["date"]))
        for r in work.rows["events.csv"]
        if r.values.get("event") == "death" and r.values.get("date") is not None
    }
    for rid, row in work.patients.items():
        for column in ("antibodies", "features"):
            values = work.lists[rid][column]
            if values:
                work.cell(row, column, values, row.origin.at(f"({column})"))
        if rid not in work.diagnosed:
            work.problem(
                row.origin,
                "required",
                "the patient has no diagnosis (a Condition coded JDM, DM, ADM or other)",
            )
        death = work.deaths.get(rid)
        pid = row.values.get("patient_id")
        if death is None or pid is None:
            continue
        day = date_text(death[0])
        if (pid, day) not in deaths_recorded:
            event = work.new_row("events.csv", death[1])
            work.cell(event, "patient_id", pid, death[1])
            work.cell(event, "date", day, death[1])
            work.cell(event, "event", "death", death[1])


def condition(work: Import, resource: Resource, origin: Origin) -> None:
    found = meaning_of(resource.get("code"))
    patient = work.subject(resource, origin)
    if found is not None and found[0] == "organ":
        if patient is not None:
            read_whole.involvement(work, resource, origin, patient, found[1])
        return
    if found is None or found[0] not in ("diagnosis", "features"):
        work.problem(
            origin.at("code"),
            "fhir_code",
            "this Condition is not a diagnosis or feature myotrack records",
        )
        return
    if patient is None:
        return
    system, code = found
    rid = patient.rid
    if system == "features":
        work.lists[rid]["features"].append(code)
        return
    if rid in work.diagnosed:
        work.problem(origin.at("code"), "unique", "the patient has a second diagnosis Condition")
        return
    work.diagnosed.add(rid)
    work.cell(patient, "diagnosis", code, origin.at("code"))
    work.cell(patient, "onset_date", resource.get("onsetDateTime"), origin.at("onsetDateTime"))
    work.cell(patient, "diagnosis_date", resource.get("recordedDate"), origin.at("recordedDate"))
