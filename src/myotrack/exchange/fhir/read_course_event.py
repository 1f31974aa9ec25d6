"""Reading drug courses (MedicationStatement), events (AdverseEvent, and the events of
Observations) and item-level assessments (QuestionnaireResponse) of a FHIR import."""

from __future__ import annotations

from typing import Any, Final

from myotrack.cohort import CellError, parse_date
from myotrack.domain import FREQUENCY_TABLE, Assessment
from myotrack.domain.vocab import STOP_REASONS
from myotrack.exchange.fhir import codes, read_whole
from myotrack.exchange.fhir.elements import TIMING_REPEAT
from myotrack.exchange.fhir.importing import (
    Import,
    ImportRow,
    Origin,
    Resource,
    date_text,
    get_path,
    meaning_of,
)
from myotrack.exchange.fhir.questionnaires import answer_value, instrument_of
from myotrack.instruments import DEFINITIONS, ItemError, stored_definition, validate_item

_REPEAT_FREQUENCY: Final = {
    tuple(sorted(repeat.items())): freq for freq, repeat in TIMING_REPEAT.items()
} | {
    (("frequency", f.fhir[0]), ("period", f.fhir[1]), ("periodUnit", f.fhir[2])): f.code
    for f in FREQUENCY_TABLE
    if f.fhir is not None and f.code not in TIMING_REPEAT
}


def medication(work: Import, resource: Resource, origin: Origin) -> None:
    patient = work.subject(resource, origin)
    if patient is None:
        return
    row = work.new_row("treatments.csv", origin)
    work.cell(row, "patient_id", patient.values.get("patient_id"), origin.at("subject"))
    work.extra(row, resource, origin)
    status = resource.get("status")
    if status in ("entered-in-error", "intended", "not-taken"):
        work.problem(
            origin.at("status"),
            "fhir_status",
            f"a course with status '{status}' was not taken; leave it out",
        )
    medicine = resource.get("medicationCodeableConcept")
    found = meaning_of(medicine)
    drug = found[1] if found and found[0] == "drugs" else get_path(medicine, "text")
    work.cell(row, "drug", drug, origin.at("medicationCodeableConcept"))
    period = resource.get("effectivePeriod")
    if isinstance(period, dict):
        work.cell(row, "start_date", period.get("start"), origin.at("effectivePeriod.start"))
        work.cell(row, "end_date", period.get("end"), origin.at("effectivePeriod.end"))
    else:
        work.cell(
            row, "start_date", resource.get("effectiveDateTime"), origin.at("effectiveDateTime")
        )
    reasons = resource.get("statusReason") or ()
    if reasons:
        reason = meaning_of(reasons[0])
        at = origin.at("statusReason[0]")
        if reason is None or reason[0] != "stop-reasons":
            work.problem(
                at,
                "fhir_code",
                "not a stop reason myotrack records (" + ", ".join(STOP_REASONS) + "); code "
                f"it in {codes.code_system_url('stop-reasons')} or leave statusReason out",
            )
        else:
            work.cell(row, "stop_reason", reason[1], at)
    dosages = resource.get("dosage") or ()
    if len(dosages) > 1:
        work.problem(
            origin.at("dosage[1]"),
            "fhir_dosage",
            "one dose per course: a dose change starts a new MedicationStatement",
        )
    if dosages and isinstance(dosages[0], dict):
        dosage(work, row, dosages[0], origin)
    read_whole.course(work, row, resource, origin)


_BOUNDS: Final = frozenset({"boundsDuration"})  # a course's duration (read_whole.course)


def dosage(work: Import, row: ImportRow, dosage: Resource, origin: Origin) -> None:
    timing = dosage.get("timing")
    if isinstance(timing, dict):
        at = origin.at("dosage[0].timing")
        found = meaning_of(timing.get("code"))
        if found is not None and found[0] == "frequencies":
            work.cell(row, "frequency", found[1], at)
        elif isinstance(timing.get("repeat"), dict) and set(timing["repeat"]) - _BOUNDS:
            repeat = {k: v for k, v in timing["repeat"].items() if k not in _BOUNDS}
            freq = _REPEAT_FREQUENCY.get(tuple(sorted(repeat.items())))
            if freq is None:
                work.problem(at, "fhir_timing", "this dosing frequency is not one myotrack records")
            else:
                work.cell(row, "frequency", freq, at)
    route = dosage.get("route")
    if route is not None:
        found = meaning_of(route)
        if found is None or found[0] != "routes":
            work.problem(
                origin.at("dosage[0].route"),
                "fhir_code",
                "not a route myotrack records (oral, iv, sc, topical, inhaled, ...: "
                f"{codes.code_system_url('routes')})",
            )
        else:
            work.cell(row, "route", found[1], origin.at("dosage[0].route"))
    rates = dosage.get("doseAndRate") or ()
    if rates and isinstance(rates[0], dict) and isinstance(rates[0].get("doseQuantity"), dict):
        quantity = rates[0]["doseQuantity"]
        work.cell(
            row,
            "dose",
            quantity.get("value"),
            origin.at("dosage[0].doseAndRate[0].doseQuantity.value"),
        )
        unit = quantity.get("unit") or quantity.get("code")
        work.cell(row, "dose_unit", unit, origin.at("dosage[0].doseAndRate[0].doseQuantity.unit"))


def adverse_event(work: Import, resource: Resource, origin: Origin) -> None:
    patient = work.subject(resource, origin)
    if patient is None:
        return
    what = resource.get("event")
    found = meaning_of(what)
    if found is not None and found[0] != "events":
        work.problem(origin.at("event"), "fhir_code", "not an event myotrack records")
        return
    code = found[1] if found else "adverse_event"
    detail = what.get("text") if isinstance(what, dict) else None
    event(work, resource, origin, patient, code, detail, resource.get("date"), date_path="date")


def event(
    work: Import,
    resource: Resource,
    origin: Origin,
    patient: ImportRow,
    code: str,
    detail: Any,
    day: Any,
    *,
    date_path: str = "effectiveDateTime",
) -> None:
    row = work.new_row("events.csv", origin)
    work.cell(row, "patient_id", patient.values.get("patient_id"), origin.at("subject"))
    work.cell(row, "date", day, origin.at(date_path))
    work.cell(row, "event", code, origin.at("code"))
    work.cell(
        row, "detail", detail, origin.at("event.text" if date_path == "date" else "valueString")
    )
    for index, extension in enumerate(resource.get("extension") or ()):
        if isinstance(extension, dict) and extension.get("url") == codes.CTCAE_GRADE:
            work.cell(row, "grade", extension.get("valueInteger"), origin.at(f"extension[{index}]"))
    work.extra(row, resource, origin)
    read_whole.event(work, row, resource, origin)


def response(work: Import, resource: Resource, origin: Origin) -> None:
    patient = work.subject(resource, origin)
    canonical = resource.get("questionnaire")
    found = instrument_of(canonical) if isinstance(canonical, str) else None
    if found is None or found[0] not in DEFINITIONS:
        work.problem(
            origin.at("questionnaire"),
            "fhir_questionnaire",
            "not the Questionnaire of a myotrack instrument",
        )
        return
    if patient is None:
        return
    instrument, version = found
    defn = stored_definition(instrument, version)
    items: dict[str, float | None] = {}
    for index, item in enumerate(resource.get("item") or ()):
        at = origin.at(f"item[{index}]")
        link = item.get("linkId") if isinstance(item, dict) else None
        answers = item.get("answer") or () if isinstance(item, dict) else ()
        if not isinstance(link, str) or link in items:
            work.problem(at, "fhir_item", "an item without linkId, or given twice")
            continue
        value: Any = None
        if answers:
            known, value = answer_value(answers[0])
            if not known:
                work.problem(at, "fhir_item", "the answer is not a number, yes/no or code")
                continue
        try:
            validate_item(defn, defn.item(link), value)
        except KeyError:
            work.problem(at, "fhir_item", f"{defn.title} has no item '{link}'")
            continue
        except ItemError as err:
            work.problem(at, "item", err.message)
            continue
        items[link] = value
    total = None
    for extension in resource.get("extension") or ():
        if isinstance(extension, dict) and extension.get("url") == codes.ASSESSMENT_TOTAL:
            total = extension.get("valueDecimal")
    day = date_text(resource.get("authored"))
    try:
        when = parse_date(day)
    except CellError as err:
        work.problem(origin.at("authored"), err.rule, err.message)
        return
    pid = patient.values.get("patient_id")
    if pid is not None:
        a = Assessment(str(pid), when, instrument, items, version=version, total=total)
        work.assessments.append((origin, a))
