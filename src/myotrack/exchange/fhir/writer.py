"""A Cohort as FHIR R4 (4.0.1) resources, as plain dicts (fast; validated in the tests
with the R4B models of fhir.resources). Pure: no files, no clock.

The mapping, element by element, is in docs/exchange.md; in short:

* Patient: identifier (myotrack patient id), gender, birthDate, deceasedDateTime (first
  death event), managingOrganization -> Organization (site), `x_` columns as the
  `extra-column` extension (the de-identified tiers have none: `cohort.deidentify`).
* Condition: the diagnosis (SNOMED where verified + myotrack code; onsetDateTime =
  onset_date, recordedDate = diagnosis_date) and one per feature (ILD in SNOMED).
* Observation: Bohan & Peter and refractory (exam), each antibody (laboratory, value
  Positive), "no antibody"/"no feature" markers; per visit an Encounter, body weight and
  height (vital signs, LOINC) and one `visit_scores` Observation with a component per
  score or finding; every lab result (LOINC picked by the unit written, UCUM units,
  reference range; screening tests coded Positive/Negative); events that are not adverse
  events (relapse, rash, gc_stopped, lost_to_follow_up, death).
* MedicationStatement per drug course; AdverseEvent for infection, thromboembolism and
  adverse_event (CTCAE grade in the `ctcae-grade` extension); QuestionnaireResponse per
  stored assessment with the Questionnaire of its instrument and version.
* The records of cohort format version 2 (investigations as Procedure + Observation +
  DiagnosticReport, organ involvement, background, family history, vaccinations, course
  and event detail, dates known to the month or year): `write_whole`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from myotrack.domain import (
    Assessment,
    Cohort,
    DrugCourse,
    Event,
    LabResult,
    Patient,
    Visit,
)
from myotrack.domain.labels import label
from myotrack.domain.vocab import JAK_INHIBITORS, VISIT_FLAGS
from myotrack.exchange.fhir import codes
from myotrack.exchange.fhir.codes import coding, local_coding
from myotrack.exchange.fhir.elements import (
    ADVERSE_EVENTS,
    CATEGORY_EXAM,
    CATEGORY_LAB,
    CATEGORY_VITALS,
    GENDER,
    SCORE_UNIT,
    SCORES,
    STOPPED_EARLY,
    VITALS,
    concept,
    extra_extensions,
    lab_code,
    local_concept,
    medication_concept,
    quantity,
    result_concept,
    route_concept,
    timing,
    vital_code,
)
from myotrack.exchange.fhir.ids import References, referencer, resource_id
from myotrack.exchange.fhir.questionnaires import questionnaire, response, response_id
from myotrack.exchange.fhir.write_whole import WholeWriter, add_course_detail, add_event_detail
from myotrack.exchange.v2_rows import v2_rows

Resource = dict[str, Any]
Ref = Callable[[str, str], dict[str, str]]


class Writer:
    """Builds the resources of one cohort; holds the per-patient resource ids."""

    def __init__(self, cohort: Cohort, references: References) -> None:
        self.cohort = cohort
        self.ref: Ref = referencer(references)
        self.patient_ids = {
            p.patient_id: resource_id("Patient", p.patient_id) for p in cohort.patients
        }
        self.deaths: dict[str, date] = {}
        for e in cohort.events:
            if e.event == "death":
                first = self.deaths.get(e.patient_id)
                if first is None or e.date < first:
                    self.deaths[e.patient_id] = e.date
        self.jak_courses: dict[str, list[DrugCourse]] = {}
        for c in cohort.courses:
            if c.drug in JAK_INHIBITORS:
                self.jak_courses.setdefault(c.patient_id, []).append(c)
        # The item-level responses of a visit's day: its scores' `derivedFrom`.
        self.responses: dict[tuple[str, date], list[str]] = {}
        for a in cohort.assessments:
            self.responses.setdefault((a.patient_id, a.date), []).append(response_id(a))
        # The records of cohort format version 2 (none: no cost for a version 1 cohort).
        self.whole = None
        if cohort.v2_rows:
            self.whole = WholeWriter(v2_rows(cohort), self.subject, self.ref)

    def derived_from(self, v: Visit) -> list[dict[str, str]]:
        found = self.responses.get((v.patient_id, v.date), ())
        return [self.ref("QuestionnaireResponse", rid) for rid in found]

    def subject(self, patient_id: str) -> dict[str, str]:
        return self.ref("Patient", self.patient_ids[patient_id])

    # ------------------------------------------------------------ patient level

    def organizations(self) -> Iterator[Resource]:
        seen: set[str] = set()
        for p in self.cohort.patients:
            if p.site is not None and p.site not in seen:
                seen.add(p.site)
                yield {
                    "resourceType": "Organization",
                    "id": resource_id("Organization", p.site),
                    "name": p.site,
                }

    def patient(self, p: Patient) -> Iterator[Resource]:
        pid = p.patient_id
        resource: Resource = {
            "resourceType": "Patient",
            "id": self.patient_ids[pid],
            "identifier": [{"system": codes.PATIENT_ID_SYSTEM, "value": pid}],
            "gender": GENDER[p.sex],
            "birthDate": p.birth_date.isoformat(),
        }
        if p.extra:
            resource["extension"] = extra_extensions(p.extra)
        death = self.deaths.get(pid)
        if death is not None:
            resource["deceasedDateTime"] = death.isoformat()
        if p.site is not None:
            resource["managingOrganization"] = {
                **self.ref("Organization", resource_id("Organization", p.site)),
                "display": p.site,
            }
        yield resource
        diagnosis = self.diagnosis(p)
        if self.whole is not None:
            self.whole.diagnosis_dates(pid, diagnosis)
            yield diagnosis
            yield from self.whole.background(pid)
        else:
            yield diagnosis
        subject = self.subject(pid)
        for feature in p.features:
            if feature == "none":
                yield self.marker(pid, "features_none", CATEGORY_EXAM)
                continue
            standard = codes.FEATURES.get(feature)
            codings = [coding(standard)] if standard else []
            codings.append(local_coding("features", feature))
            yield {
                "resourceType": "Condition",
                "id": resource_id("Condition", pid, "feature", feature),
                "code": concept(*codings, text=label("feature", feature)),
                "subject": subject,
            }
        for antibody in p.antibodies:
            if antibody == "none":
                yield self.marker(pid, "antibody_none", CATEGORY_LAB)
                continue
            yield {
                "resourceType": "Observation",
                "id": resource_id("Observation", pid, "antibody", antibody),
                "status": "final",
                "category": CATEGORY_LAB,
                "code": concept(
                    local_coding("antibodies", antibody), text=label("antibody", antibody)
                ),
                "subject": subject,
                "valueCodeableConcept": concept(
                    coding(codes.QUALITATIVE["positive"]),
                    local_coding("qualitative-results", "positive"),
                ),
            }
        for field, value, system in (
            ("bohan_peter", p.bohan_peter, "bohan-peter"),
            ("refractory", p.refractory, "refractory"),
        ):
            if value is not None:
                yield {
                    "resourceType": "Observation",
                    "id": resource_id("Observation", pid, field),
                    "status": "final",
                    "category": CATEGORY_EXAM,
                    "code": local_concept("patient-fields", field),
                    "subject": subject,
                    "valueCodeableConcept": local_concept(system, value),
                }

    def marker(self, pid: str, field: str, category: list[dict[str, Any]]) -> Resource:
        """An Observation saying a list was checked and holds nothing ('none')."""
        return {
            "resourceType": "Observation",
            "id": resource_id("Observation", pid, field),
            "status": "final",
            "category": category,
            "code": local_concept("patient-fields", field),
            "subject": self.subject(pid),
            "valueBoolean": True,
        }

    def diagnosis(self, p: Patient) -> Resource:
        standard = codes.DIAGNOSIS.get(p.diagnosis)
        codings = [coding(standard)] if standard else []
        codings.append(local_coding("diagnosis", p.diagnosis))
        resource: Resource = {
            "resourceType": "Condition",
            "id": resource_id("Condition", p.patient_id, "diagnosis"),
            "code": concept(*codings, text=label("diagnosis", p.diagnosis)),
            "subject": self.subject(p.patient_id),
        }
        if p.onset_date is not None:
            resource["onsetDateTime"] = p.onset_date.isoformat()
        if p.diagnosis_date is not None:
            resource["recordedDate"] = p.diagnosis_date.isoformat()
        return resource

    # ------------------------------------------------------------ visits

    def visit(self, v: Visit) -> Iterator[Resource]:
        pid = v.patient_id
        day = v.date.isoformat()
        subject = self.subject(pid)
        encounter_id = resource_id("Encounter", pid, day)
        encounter: Resource = {
            "resourceType": "Encounter",
            "id": encounter_id,
            "status": "finished",
            "class": coding(codes.AMBULATORY),
            "subject": subject,
            "period": {"start": day, "end": day},
        }
        if v.extra:
            encounter["extension"] = extra_extensions(v.extra)
        yield encounter
        context = self.ref("Encounter", encounter_id)
        for m in VITALS:
            value = getattr(v, m.name)
            if value is None:
                continue
            yield {
                "resourceType": "Observation",
                "id": resource_id("Observation", pid, day, m.name),
                "status": "final",
                "category": CATEGORY_VITALS,
                "code": vital_code(m.name),
                "subject": subject,
                "encounter": context,
                "effectiveDateTime": day,
                "valueQuantity": quantity(value, m.unit),
            }
        components: list[dict[str, Any]] = []
        for name in VISIT_FLAGS:
            flag = getattr(v, name)
            if flag is not None:
                components.append(
                    {"code": local_concept("visit-measures", name), "valueBoolean": flag}
                )
        for name in SCORES:
            score = getattr(v, name)
            if score is not None:
                components.append(
                    {
                        "code": local_concept("visit-measures", name),
                        "valueQuantity": {"value": score, **SCORE_UNIT},
                    }
                )
        if components:
            yield {
                "resourceType": "Observation",
                "id": resource_id("Observation", pid, day, "visit_scores"),
                "status": "final",
                "category": CATEGORY_EXAM,
                "code": local_concept("patient-fields", "visit_scores"),
                "subject": subject,
                "encounter": context,
                "effectiveDateTime": day,
                **({"derivedFrom": derived} if (derived := self.derived_from(v)) else {}),
                "component": components,
            }

    # ------------------------------------------------------------ labs

    def lab(self, r: LabResult) -> Resource:
        day = r.date.isoformat()
        value: float | None
        unit: str | None
        if r.reported is not None:  # written as reported, as the folder writer does
            value, unit = r.reported.value, r.reported.unit
            low, high = r.reported.ref_low, r.reported.ref_high
        else:
            value, unit, low, high = r.value, r.unit, r.ref_low, r.ref_high
        resource: Resource = {
            "resourceType": "Observation",
            "id": resource_id("Observation", r.patient_id, day, r.analyte),
            "status": "final",
            "category": CATEGORY_LAB,
            "code": lab_code(r.analyte, unit),
            "subject": self.subject(r.patient_id),
            "effectiveDateTime": day,
        }
        if r.extra:
            resource["extension"] = extra_extensions(r.extra)
        if r.result is not None:
            resource["valueCodeableConcept"] = result_concept(r.result)
        elif value is not None or unit is not None:
            resource["valueQuantity"] = quantity(value, unit)
        if low is not None or high is not None:
            reference: dict[str, Any] = {}
            if low is not None:
                reference["low"] = quantity(low, unit)
            if high is not None:
                reference["high"] = quantity(high, unit)
            resource["referenceRange"] = [reference]
        return resource

    # ------------------------------------------------------------ courses

    def course(self, c: DrugCourse) -> Resource:
        start = c.start_date.isoformat()
        period = {"start": start}
        if c.end_date is None:
            status = "active"
        else:
            period["end"] = c.end_date.isoformat()
            status = "stopped" if c.stop_reason in STOPPED_EARLY else "completed"
        resource: Resource = {
            "resourceType": "MedicationStatement",
            "id": course_id(c),
            "status": status,
            "medicationCodeableConcept": medication_concept(c.drug),
            "subject": self.subject(c.patient_id),
            "effectivePeriod": period,
        }
        if c.extra:
            resource["extension"] = extra_extensions(c.extra)
        if c.stop_reason is not None:
            resource["statusReason"] = [local_concept("stop-reasons", c.stop_reason)]
        dosage: dict[str, Any] = {}
        if c.frequency is not None:
            dosage["timing"] = timing(c.frequency)
        if c.route is not None:
            dosage["route"] = route_concept(c.route)
        if c.dose is not None or c.dose_unit is not None:
            dosage["doseAndRate"] = [{"doseQuantity": quantity(c.dose, c.dose_unit)}]
        if dosage:
            resource["dosage"] = [dosage]
        if self.whole is not None:
            add_course_detail(
                resource, self.whole.rows.detail_of_course(c.patient_id, c.drug, c.start_date)
            )
        return resource

    # ------------------------------------------------------------ events

    def event(self, e: Event) -> Resource:
        day = e.date.isoformat()
        extensions: list[dict[str, Any]] = []
        if e.grade is not None:
            extensions.append({"url": codes.CTCAE_GRADE, "valueInteger": e.grade})
        extensions += extra_extensions(e.extra)
        rid = resource_id("Event", e.patient_id, day, e.event, e.detail or "")
        if e.event in ADVERSE_EVENTS:
            what = dict(local_concept("events", e.event))  # a copy: the text is this event's
            if e.detail is not None:
                what["text"] = e.detail
            resource: Resource = {
                "resourceType": "AdverseEvent",
                "id": rid,
                "actuality": "actual",
                "event": what,
                "subject": self.subject(e.patient_id),
                "date": day,
            }
            suspects = [
                {"instance": self.ref("MedicationStatement", course_id(c))}
                for c in self.jak_courses.get(e.patient_id, ())
                if c.running_on(e.date)
            ]
            if suspects:
                resource["suspectEntity"] = suspects
        else:
            resource = {
                "resourceType": "Observation",
                "id": rid,
                "status": "final",
                "code": local_concept("events", e.event),
                "subject": self.subject(e.patient_id),
                "effectiveDateTime": day,
            }
            if e.detail is not None:
                resource["valueString"] = e.detail
        if extensions:
            resource["extension"] = extensions
        if self.whole is not None:
            detail = self.whole.rows.detail_of_event(e.patient_id, e.date, e.event, e.detail)
            add_event_detail(resource, detail)
        return resource

    # ------------------------------------------------------------ assessments

    def assessment(self, a: Assessment) -> Resource:
        return response(a, self.patient_ids[a.patient_id], self.ref)

    def whole_resources(self) -> Iterator[Resource]:
        """The resources of the cohort format version 2 records that are not the detail of
        a version 1 row (investigations, involvement, vaccinations, ...; `write_whole`)."""
        if self.whole is not None:
            yield from self.whole.resources()

    def questionnaires(self) -> Iterator[Resource]:
        seen: set[tuple[str, str | None]] = set()
        for a in self.cohort.assessments:
            key = (a.instrument, a.version)
            if key in seen:
                continue
            seen.add(key)
            found = questionnaire(a.instrument, a.version)
            if found is not None:
                yield found


def course_id(c: DrugCourse) -> str:
    return resource_id("MedicationStatement", c.patient_id, c.drug, c.start_date.isoformat())


def cohort_resources(cohort: Cohort, *, references: References = "relative") -> Iterator[Resource]:
    """Every resource of the cohort, in a stable order: organisations, then per table of
    the cohort (patients, visits, labs, courses, events, assessments) in its own order,
    then the Questionnaires the assessments answer."""
    w = Writer(cohort, references)
    yield from w.organizations()
    for p in cohort.patients:
        yield from w.patient(p)
    for v in cohort.visits:
        yield from w.visit(v)
    lab = w.lab
    for r in cohort.labs:
        yield lab(r)
    for c in cohort.courses:
        yield w.course(c)
    for e in cohort.events:
        yield w.event(e)
    for a in cohort.assessments:
        yield w.assessment(a)
    yield from w.questionnaires()
    yield from w.whole_resources()
