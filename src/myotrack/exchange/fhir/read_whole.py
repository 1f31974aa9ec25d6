"""Reading the records of cohort format version 2 in a FHIR import (the inverse of
`write_whole`): each resource becomes the row of the folder file it is written from, every
cell checked by its column's rule; `cohort.cohort_from_rows(version=2)` then splits the rows
into version 1 objects and version 2 records with the folder's rules.

* `Observation` coded `record-kinds#<kind>`: an investigation, a treatment decision, a
  pregnancy test, or the patient's background (cells of the patient's row);
* `Observation` coded `antibodies#<antibody>` *with a date*: an antibody test (without a
  date it is the version 1 summary: the patient's antibody list);
* `Condition` coded `organ#<organ>`: organ involvement; `FamilyMemberHistory`,
  `Immunization`: family history, vaccinations;
* `Procedure` and `DiagnosticReport` coded `record-kinds#<kind>` are the companions of an
  investigation's Observation: read for their code (anything else is refused, named);
* `record-field` extensions and components coded `record-fields#<kind>.<column>` fill the
  column they name, on any resource.
"""

from __future__ import annotations

from typing import Any, Final

from myotrack.exchange.fhir import codes
from myotrack.exchange.fhir.importing import (
    COLUMNS_V2,
    Import,
    ImportRow,
    Origin,
    Resource,
    get_path,
    meaning_of,
)
from myotrack.exchange.fhir.write_whole import DATE_COLUMN, FREE_TEXT, INVESTIGATIONS, is_yes_no
from myotrack.exchange.v2_rows import KIND

_VERIFICATION: Final = {c.code: name for name, c in codes.VERIFICATION_STATUS.items()}


def _column(row: ImportRow, code: str) -> str | None:
    """The column of `row`'s file a `record-fields` code names (None: not of this file)."""
    column = code.split(".", 1)[-1]
    return column if column in COLUMNS_V2[row.file] else None


def _code_of(concept: Any) -> str:
    """What a CodeableConcept means in myotrack terms, else the code (or text) it gives, so
    the column's rule names the value the file holds rather than an empty one."""
    found = meaning_of(concept)
    if found is not None:
        return found[1]
    codings = concept.get("coding") if isinstance(concept, dict) else None
    for c in codings if isinstance(codings, list) else ():
        if isinstance(c, dict) and isinstance(c.get("code"), str) and c["code"]:
            return str(c["code"])
    text = get_path(concept, "text")
    return text if isinstance(text, str) else ""


def _given_code(concept: Any) -> str:
    """The code a CodeableConcept gives, whatever its system ('' when it has none)."""
    codings = concept.get("coding") if isinstance(concept, dict) else None
    for c in codings if isinstance(codings, list) else ():
        if isinstance(c, dict) and c.get("code") is not None:
            return str(c["code"])
    return ""


def typed_value(work: Import, row: ImportRow, column: str, element: Resource, at: Origin) -> None:
    """The value[x] of a component or extension into `column` of `row`."""
    spec = COLUMNS_V2[row.file][column]
    value: Any = None
    path = ""
    for name in (
        "valueCodeableConcept",
        "valueBoolean",
        "valueDateTime",
        "valueDate",
        "valueInteger",
        "valueQuantity",
        "valueDecimal",
        "valueString",
        "valueCode",
    ):
        if name in element:
            path, value = name, element[name]
            break
    where = at.at(f"{at.path}.{path}")
    if path == "valueCodeableConcept":
        value = _code_of(value)
    elif path == "valueBoolean":
        if not isinstance(value, bool) or not is_yes_no(spec):
            work.problem(where, "choice", f"{column} is not a yes/no field")
            return
        value = "yes" if value else "no"
    elif path == "valueQuantity":
        value = get_path(value, "value")
    if spec.kind == "choices":
        work.add_choice(row, column, value, where)
    else:
        work.cell(row, column, value, where)


def fields(work: Import, row: ImportRow, resource: Resource, origin: Origin) -> None:
    """The `record-field` extensions of a resource into the columns they name."""
    for index, extension in enumerate(resource.get("extension") or ()):
        if not isinstance(extension, dict) or extension.get("url") != codes.RECORD_FIELD:
            continue
        parts = {e.get("url"): e for e in extension.get("extension") or () if isinstance(e, dict)}
        name = get_path(parts, "name", "valueCode")
        at = origin.at(f"extension[{index}]")
        column = _column(row, name) if isinstance(name, str) else None
        if column is None or "value" not in parts:
            work.problem(at, "fhir_extension", f"no column of {row.file} is named {name!r} here")
            continue
        typed_value(work, row, column, parts["value"], at.at(f"extension[{index}].extension"))


def components(work: Import, row: ImportRow, resource: Resource, origin: Origin) -> None:
    for index, component in enumerate(resource.get("component") or ()):
        at = origin.at(f"component[{index}]")
        found = meaning_of(component.get("code")) if isinstance(component, dict) else None
        column = _column(row, found[1]) if found and found[0] == "record-fields" else None
        if column is None:
            given = _given_code(component.get("code")) if isinstance(component, dict) else ""
            work.problem(
                at.at(f"component[{index}].code"),
                "fhir_code",
                f"no field of {row.file} has the code {given!r}",
            )
            continue
        typed_value(work, row, column, component, at)


def note(work: Import, row: ImportRow, resource: Resource, origin: Origin) -> None:
    notes = resource.get("note")
    if notes is None:
        return
    if not isinstance(notes, list) or not all(isinstance(n, dict) for n in notes):
        work.problem(
            origin.at("note"),
            "fhir_structure",
            'give the free text as a list of annotations: "note": [{"text": "..."}]',
        )
        return
    if notes:
        text = get_path(notes[0], "text")
        work.cell(row, FREE_TEXT, text, origin.at("note[0].text"))


def _new_row(work: Import, file: str, patient: ImportRow, origin: Origin) -> ImportRow:
    row = work.new_row(file, origin)
    work.cell(row, "patient_id", patient.values.get("patient_id"), origin.at("subject"))
    return row


# ---------------------------------------------------------------- Observations


def record_observation(
    work: Import, resource: Resource, origin: Origin, patient: ImportRow, kind_name: str
) -> None:
    if kind_name == "patient_background":
        components(work, patient, resource, origin)
        return
    kind = KIND[kind_name]
    row = _new_row(work, kind.file, patient, origin)
    when = DATE_COLUMN.get(kind_name, "date")
    work.cell(row, when, resource.get("effectiveDateTime"), origin.at("effectiveDateTime"))
    if kind_name == "pregnancy_test":
        value = meaning_of(resource.get("valueCodeableConcept"))
        work.cell(row, "result", value[1] if value else None, origin.at("valueCodeableConcept"))
        method = meaning_of(resource.get("method"))
        if resource.get("method") is not None:
            work.cell(row, "method", method[1] if method else "", origin.at("method"))
        return
    components(work, row, resource, origin)
    note(work, row, resource, origin)


def antibody_test(
    work: Import, resource: Resource, origin: Origin, patient: ImportRow, antibody: str
) -> None:
    row = _new_row(work, "antibody_tests.csv", patient, origin)
    work.cell(row, "date", resource.get("effectiveDateTime"), origin.at("effectiveDateTime"))
    work.cell(row, "antibody", antibody, origin.at("code"))
    value = meaning_of(resource.get("valueCodeableConcept"))
    work.cell(row, "result", value[1] if value else None, origin.at("valueCodeableConcept"))
    components(work, row, resource, origin)


# ---------------------------------------------------------------- other resources


def involvement(
    work: Import, resource: Resource, origin: Origin, patient: ImportRow, organ: str
) -> None:
    row = _new_row(work, "organ_involvement.csv", patient, origin)
    work.cell(row, "organ", organ, origin.at("code"))
    work.cell(row, "onset_date", resource.get("onsetDateTime"), origin.at("onsetDateTime"))
    work.cell(
        row, "resolution_date", resource.get("abatementDateTime"), origin.at("abatementDateTime")
    )
    status = get_path(resource, "verificationStatus", "coding")
    if isinstance(status, list) and status:
        code = status[0].get("code") if isinstance(status[0], dict) else None
        work.cell(
            row, "certainty", _VERIFICATION.get(str(code), code), origin.at("verificationStatus")
        )
    severity = resource.get("severity")
    if severity is not None:
        work.cell(row, "severity", _code_of(severity), origin.at("severity"))
    for index, site in enumerate(resource.get("bodySite") or ()):
        work.add_choice(row, "sites", _code_of(site), origin.at(f"bodySite[{index}]"))
    fields(work, row, resource, origin)
    note(work, row, resource, origin)


def family_history(work: Import, resource: Resource, origin: Origin) -> None:
    patient = work.subject(resource, origin, "patient")
    if patient is None:
        return
    row = _new_row(work, "family_history.csv", patient, origin)
    relative = _code_of(resource.get("relationship"))
    work.cell(row, "relative", relative, origin.at("relationship"))
    conditions: Any = resource.get("condition") or []
    if len(conditions) != 1 or not isinstance(conditions[0], dict):
        work.problem(
            origin.at("condition"), "fhir_structure", "give one condition per FamilyMemberHistory"
        )
    else:
        found = _code_of(conditions[0].get("code"))
        work.cell(row, "condition", found, origin.at("condition[0].code"))
    note(work, row, resource, origin)


def immunization(work: Import, resource: Resource, origin: Origin) -> None:
    patient = work.subject(resource, origin, "patient")
    if patient is None:
        return
    if resource.get("status") != "completed":
        work.problem(origin.at("status"), "fhir_status", "only given vaccinations are recorded")
        return
    row = _new_row(work, "vaccinations.csv", patient, origin)
    found = meaning_of(resource.get("vaccineCode"))
    work.cell(row, "vaccine", found[1] if found else "", origin.at("vaccineCode"))
    work.cell(row, "date", resource.get("occurrenceDateTime"), origin.at("occurrenceDateTime"))
    applied = resource.get("protocolApplied") or ()
    if applied and isinstance(applied[0], dict):
        work.cell(
            row,
            "dose_number",
            applied[0].get("doseNumberPositiveInt"),
            origin.at("protocolApplied[0].doseNumberPositiveInt"),
        )
    note(work, row, resource, origin)


def companion(work: Import, resource: Resource, origin: Origin) -> None:
    """A Procedure or DiagnosticReport of an investigation: its Observation holds the
    result; anything else is not read, and said."""
    found = meaning_of(resource.get("code"))
    if found is None or found[0] != "record-kinds" or found[1] not in INVESTIGATIONS:
        work.problem(
            origin.at("code"),
            "fhir_code",
            f"myotrack reads a {resource.get('resourceType')} only as the companion of an "
            "investigation (chest CT, lung function, MRI, biopsy, ...), coded in "
            f"{codes.code_system_url('record-kinds')}",
        )
        return
    work.subject(resource, origin)


# ---------------------------------------------------------------- courses and events


def course(work: Import, row: ImportRow, resource: Resource, origin: Origin) -> None:
    """The version 2 parts of a MedicationStatement (after the version 1 reader)."""
    reasons = resource.get("reasonCode") or ()
    if reasons:
        found = meaning_of(reasons[0])
        work.cell(row, "indication", found[1] if found else "", origin.at("reasonCode[0]"))
    dosages = resource.get("dosage") or ()
    if dosages and isinstance(dosages[0], dict):
        bounds = get_path(dosages[0], "timing", "repeat", "boundsDuration")
        if isinstance(bounds, dict):
            work.cell(
                row,
                "duration_months",
                bounds.get("value"),
                origin.at("dosage[0].timing.repeat.boundsDuration"),
            )
        if dosages[0].get("asNeededBoolean") is True and "frequency" not in row.values:
            work.cell(row, "frequency", "prn", origin.at("dosage[0].asNeededBoolean"))
    fields(work, row, resource, origin)
    note(work, row, resource, origin)


def event(work: Import, row: ImportRow, resource: Resource, origin: Origin) -> None:
    fields(work, row, resource, origin)
