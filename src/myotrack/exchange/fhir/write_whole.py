"""The records of cohort format version 2 (the whole JDM record, issue 11) as FHIR R4
resources. Pure: no files, no clock. The mapping, element by element, is in
docs/exchange.md ("The whole JDM record"); in short:

* an investigation (chest CT, lung function, oxygen need, BAL, muscle MRI/ultrasound/
  biopsy, capillaroscopy, cardiac test, swallow) is a `Procedure` (what was done, when),
  an `Observation` (its structured result: one `component` per column, the free text in
  `note`, `partOf` the Procedure) and a `DiagnosticReport` (`result` -> the Observation);
* organ involvement is a `Condition` (onset/abatement, clinical and verification status,
  severity, body sites); family history a `FamilyMemberHistory`; a vaccination an
  `Immunization`; a pregnancy test, an antibody test and a treatment decision an
  `Observation`; the background (subtype, ethnicity, race, consents, first specialist
  contact) one `Observation` (social-history) with a component each, its onset/diagnosis
  dates known to the month or year on the diagnosis `Condition`;
* a course's detail goes into its `MedicationStatement` (frequencies through
  `timing.repeat`, "as needed" as `asNeededBoolean`, UCUM dose units per day or week,
  routes, `reasonCode` = indication, `boundsDuration` = a duration, `note` = free text);
  an event's organism, method and specimen into its `AdverseEvent`/`Observation`;
* dates known to the month or year are FHIR partial dates (`2021-10`, `2021`);
* a column no element of its resource holds is a `record-field` extension (`name` =
  `<kind>.<column>`, `value[x]` typed by the column), so nothing is lost.

Codes: standard ones only from the code table (`codes`), everything else in the myotrack
CodeSystems named after the cohort format's vocabularies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import cache
from typing import Any, Final

from myotrack.cohort import RecordKind
from myotrack.cohort import columns as cols
from myotrack.cohort import record_key as _record_key
from myotrack.domain import (
    FREQUENCY_TABLE,
    VACCINE_TABLE,
    PartialDate,
    RecordRow,
    record_vocab,
    vocab,
)
from myotrack.exchange.fhir import codes
from myotrack.exchange.fhir.codes import coding, local_coding
from myotrack.exchange.fhir.elements import (
    ADVERSE_EVENTS,
    CATEGORY_LAB,
    STOPPED_EARLY,
    concept,
    local_concept,
    medication_concept,
    quantity,
)
from myotrack.exchange.fhir.ids import resource_id
from myotrack.exchange.v2_rows import KIND, V2Rows

Resource = dict[str, Any]
Ref = Callable[[str, str], dict[str, str]]

# Investigations: record kind -> the Observation category (FHIR core codes).
INVESTIGATIONS: Final[dict[str, str]] = {
    "chest_ct": "imaging",
    "lung_function": "procedure",
    "oxygen_need": "exam",
    "bal": "procedure",
    "muscle_mri": "imaging",
    "muscle_ultrasound": "imaging",
    "muscle_biopsy": "procedure",
    "capillaroscopy": "procedure",
    "cardiac_test": "procedure",
    "swallow_assessment": "procedure",
}
# The date column of each kind with a date, and the column of free text.
DATE_COLUMN: Final = {"treatment_decision": "decided_on"}
FREE_TEXT: Final = "free_text"
# The kind whose `record-fields` codes name the columns of a version 1 file's row.
FILE_KIND: Final = {
    "patients.csv": "patient_background",
    "treatments.csv": "treatment_course",
    "events.csv": "clinical_event",
}
# Course columns written as FHIR elements (the rest of the version 2 columns as
# `record-field` extensions).
COURSE_ELEMENTS: Final = frozenset(
    {
        *cols.COLUMNS["treatments.csv"],
        "indication",
        "duration_months",
        FREE_TEXT,
    }
)
EVENT_ELEMENTS: Final = frozenset(cols.COLUMNS["events.csv"])


# ---------------------------------------------------------------- code systems of columns

_SPECIAL_SYSTEMS: Final[dict[tuple[str, ...], str]] = {
    tuple(v.code for v in VACCINE_TABLE): "vaccines",
    tuple(a for a in vocab.ANTIBODIES if a != "none"): "antibodies",
    tuple(vocab.JAK_INHIBITORS): "drugs",
    tuple(f.code for f in FREQUENCY_TABLE): "frequencies",
}
_VOCAB_SYSTEMS: Final[dict[tuple[str, ...], str]] = {
    values: name.replace("_", "-") for name, values in record_vocab.RECORD_VOCABULARIES.items()
}
# Standard codes written beside the local one (each a VERIFIED row of the code table).
_STANDARD: Final[dict[str, Mapping[str, codes.Code]]] = {
    "disease-subtype": codes.SUBTYPES,
    "organ": codes.FEATURES,  # ILD, SNOMED 233703007
    "antibody-result": codes.QUALITATIVE,
    "test-result": codes.QUALITATIVE,
}


@cache
def system_of(column: cols.Column) -> str:
    """The myotrack CodeSystem of a choice column's codes."""
    found = _SPECIAL_SYSTEMS.get(column.choices) or _VOCAB_SYSTEMS.get(column.choices)
    if found is None:
        raise KeyError(f"no myotrack CodeSystem holds the codes of column {column.name!r}")
    return found


@cache
def choice_concept(system: str, code: str) -> dict[str, Any]:
    standard = _STANDARD.get(system, {}).get(code)
    codings = [coding(standard)] if standard is not None else []
    codings.append(local_coding(system, code))
    return concept(*codings)


def fhir_date(value: Any) -> str:
    """A date or a date known to the month or year as FHIR writes it (`2021-10`)."""
    return value.iso() if isinstance(value, PartialDate) else value.isoformat()


def is_yes_no(column: cols.Column) -> bool:
    return column.kind == "choice" and column.choices == vocab.YES_NO


def typed_values(column: cols.Column, value: Any) -> list[tuple[str, Any]]:
    """The value[x] elements of a column's value: one per code of a multi-choice column."""
    kind = column.kind
    if kind == "choices":
        system = system_of(column)
        return [("valueCodeableConcept", choice_concept(system, v)) for v in value]
    if is_yes_no(column):
        return [("valueBoolean", value == "yes")]
    if kind == "choice":
        return [("valueCodeableConcept", choice_concept(system_of(column), value))]
    if kind in ("date", "partial_date"):
        return [("valueDateTime", fhir_date(value))]
    if kind == "integer":
        return [("valueInteger", int(value))]
    if kind == "number":
        return [("valueQuantity", quantity(value, column.unit))]
    return [("valueString", str(value))]


@cache
def field_concept(kind: str, column: str) -> dict[str, Any]:
    return local_concept("record-fields", f"{kind}.{column}")


def components(kind: RecordKind, values: Mapping[str, Any], skip: frozenset[str]) -> list[Any]:
    out: list[Any] = []
    for column in kind.columns:
        value = values.get(column.name)
        if value is None or column.name in skip:
            continue
        code = field_concept(kind.name, column.name)
        out.extend({"code": code, name: json} for name, json in typed_values(column, value))
    return out


def record_fields(kind: RecordKind, values: Mapping[str, Any], names: Any) -> list[Any]:
    """`record-field` extensions of the columns `names` of a record."""
    out: list[Any] = []
    by_name = kind.column
    for name in names:
        value = values.get(name)
        if value is None:
            continue
        for element, json in typed_values(by_name[name], value):
            out.append(
                {
                    "url": codes.RECORD_FIELD,
                    "extension": [
                        {"url": "name", "valueCode": f"{kind.name}.{name}"},
                        {"url": "value", element: json},
                    ],
                }
            )
    return out


def _note(values: Mapping[str, Any]) -> dict[str, Any]:
    text = values.get(FREE_TEXT)
    return {} if text is None else {"note": [{"text": text}]}


def _category(name: str) -> list[dict[str, Any]]:
    return [{"coding": [coding(codes.CATEGORIES[name])]}]


def _extend(resource: Resource, extensions: list[Any]) -> None:
    if extensions:
        resource["extension"] = [*resource.get("extension", ()), *extensions]


# ---------------------------------------------------------------- treatment and events


def frequency_timing(frequency: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(timing element, other dosage elements) of a frequency: `timing.code` (HL7 GTS
    where verified + myotrack) and `timing.repeat`; "as needed" is `asNeededBoolean`."""
    row = next(f for f in FREQUENCY_TABLE if f.code == frequency)
    codings = []
    standard = codes.TIMING_CODES.get(frequency)
    if standard is not None:
        codings.append(coding(standard))
    codings.append(local_coding("frequencies", frequency))
    timing: dict[str, Any] = {"code": concept(*codings)}
    if row.fhir is not None:
        n, period, unit = row.fhir
        timing["repeat"] = {"frequency": n, "period": period, "periodUnit": unit}
    elif frequency == "once":
        timing["repeat"] = {"count": 1}
    extra = {"asNeededBoolean": True} if row.as_needed else {}
    return timing, extra


def route_concept_v2(route: str) -> dict[str, Any]:
    standard = codes.ROUTES.get(route)
    return concept(coding(standard)) if standard is not None else local_concept("routes", route)


def _with_duration(dosage: dict[str, Any], months: Any) -> dict[str, Any]:
    """A Dosage with `timing.repeat.boundsDuration`: a course reported as lasting months."""
    timing = dict(dosage.get("timing", {}))
    repeat = dict(timing.get("repeat", {}))
    repeat["boundsDuration"] = {"value": int(months), **quantity(None, "months")}
    timing["repeat"] = repeat
    return {**dosage, "timing": timing}


def course_dosage(values: Mapping[str, Any]) -> dict[str, Any]:
    """The one Dosage of a course (frequency, route, dose and unit, duration)."""
    dosage: dict[str, Any] = {}
    frequency = values.get("frequency")
    if frequency is not None:
        timing, extra = frequency_timing(frequency)
        dosage["timing"] = timing
        dosage.update(extra)
    if values.get("duration_months") is not None:
        dosage = _with_duration(dosage, values["duration_months"])
    route = values.get("route")
    if route is not None:
        dosage["route"] = route_concept_v2(route)
    dose, unit = values.get("dose"), values.get("dose_unit")
    if dose is not None or unit is not None:
        dosage["doseAndRate"] = [{"doseQuantity": quantity(dose, unit)}]
    return dosage


def add_course_detail(resource: Resource, detail: Mapping[str, Any]) -> None:
    """A version 1 course's MedicationStatement with its version 2 detail."""
    if not detail:
        return
    kind = KIND["treatment_course"]
    _extend(resource, record_fields(kind, detail, (n for n in detail if n not in COURSE_ELEMENTS)))
    if detail.get("indication") is not None:
        resource["reasonCode"] = [local_concept("indication", detail["indication"])]
    if detail.get("duration_months") is not None:
        dosage = resource.get("dosage", [{}])[0]
        resource["dosage"] = [_with_duration(dosage, detail["duration_months"])]
    resource.update(_note(detail))


def course_status(values: Mapping[str, Any]) -> str:
    """MedicationStatement.status of a course known only as version 2 holds it: ended or
    stopped -> stopped (ended early) or completed; ongoing -> active; else unknown."""
    if values.get("status") == "stopped" or values.get("end_date") is not None:
        return "stopped" if values.get("stop_reason") in STOPPED_EARLY else "completed"
    return "active" if values.get("status") == "ongoing" else "unknown"


def add_event_detail(resource: Resource, detail: Mapping[str, Any]) -> None:
    if detail:
        _extend(resource, record_fields(KIND["clinical_event"], detail, list(detail)))


# ---------------------------------------------------------------- the writer


class WholeWriter:
    """Builds the version 2 resources of one cohort (`V2Rows`); `subject` and `ref` are
    the cohort writer's."""

    def __init__(self, rows: V2Rows, subject: Callable[[str], dict[str, str]], ref: Ref) -> None:
        self.rows = rows
        self.subject = subject
        self.ref = ref

    # ------------------------------------------------------------ patient level

    def diagnosis_dates(self, patient_id: str, resource: Resource) -> None:
        """A diagnosis Condition's onset and recorded dates known to the month or year."""
        background = self.rows.background(patient_id)
        onset, diagnosed = background.get("onset_date"), background.get("diagnosis_date")
        if onset is not None:
            resource["onsetDateTime"] = fhir_date(onset)
        if diagnosed is not None:
            resource["recordedDate"] = fhir_date(diagnosed)

    def background(self, patient_id: str) -> Iterator[Resource]:
        values = self.rows.background(patient_id)
        kind = KIND["patient_background"]
        parts = components(kind, values, frozenset({"patient_id", "onset_date", "diagnosis_date"}))
        if parts:
            yield {
                "resourceType": "Observation",
                "id": resource_id("Observation", patient_id, "patient_background"),
                "status": "final",
                "category": _category("social-history"),
                "code": local_concept("record-kinds", "patient_background"),
                "subject": self.subject(patient_id),
                "component": parts,
            }

    # ------------------------------------------------------------ own records

    def resources(self) -> Iterator[Resource]:
        for kind, row in self.rows.own:
            yield from self.record(kind, row)

    def record(self, kind: RecordKind, row: RecordRow) -> Iterator[Resource]:
        name = kind.name
        if name in INVESTIGATIONS:
            yield from self.investigation(kind, row)
        elif name == "organ_involvement":
            yield self.involvement(kind, row)
        elif name == "family_history":
            yield self.family_history(kind, row)
        elif name == "vaccination":
            yield self.vaccination(kind, row)
        elif name == "antibody_test":
            yield self.antibody_test(kind, row)
        elif name == "pregnancy_test":
            yield self.pregnancy_test(kind, row)
        elif name == "treatment_decision":
            yield self.record_observation(kind, row, "therapy")
        elif name == "treatment_course":
            yield self.course(kind, row)
        elif name == "clinical_event":
            yield self.event(kind, row)
        else:  # pragma: no cover - every kind is mapped (tests/exchange)
            raise KeyError(f"no FHIR mapping for the record kind {name}")

    def _id(self, rtype: str, kind: RecordKind, row: RecordRow) -> str:
        return resource_id(rtype, row.patient_id, kind.name, _record_key(kind, row.values))

    def record_observation(self, kind: RecordKind, row: RecordRow, category: str) -> Resource:
        v = row.values
        when = DATE_COLUMN.get(kind.name, "date")
        resource: Resource = {
            "resourceType": "Observation",
            "id": self._id("Observation", kind, row),
            "status": "final",
            "category": _category(category),
            "code": local_concept("record-kinds", kind.name),
            "subject": self.subject(row.patient_id),
            "effectiveDateTime": fhir_date(v[when]),
        }
        parts = components(kind, v, frozenset({"patient_id", when, FREE_TEXT}))
        if parts:
            resource["component"] = parts
        resource.update(_note(v))
        return resource

    def investigation(self, kind: RecordKind, row: RecordRow) -> Iterator[Resource]:
        code = local_concept("record-kinds", kind.name)
        day = fhir_date(row.values["date"])
        subject = self.subject(row.patient_id)
        procedure_id = self._id("Procedure", kind, row)
        yield {
            "resourceType": "Procedure",
            "id": procedure_id,
            "status": "completed",
            "code": code,
            "subject": subject,
            "performedDateTime": day,
        }
        observation = self.record_observation(kind, row, INVESTIGATIONS[kind.name])
        observation["partOf"] = [self.ref("Procedure", procedure_id)]
        yield observation
        yield {
            "resourceType": "DiagnosticReport",
            "id": self._id("DiagnosticReport", kind, row),
            "status": "final",
            "code": code,
            "subject": subject,
            "effectiveDateTime": day,
            "result": [self.ref("Observation", observation["id"])],
        }

    def involvement(self, kind: RecordKind, row: RecordRow) -> Resource:
        v = row.values
        resource: Resource = {
            "resourceType": "Condition",
            "id": self._id("Condition", kind, row),
            "code": {
                **choice_concept("organ", v["organ"]),
                "text": record_vocab.record_label("organ", v["organ"]),
            },
            "subject": self.subject(row.patient_id),
        }
        resolved = v.get("resolution_date") is not None or v.get("resolved") == "yes"
        status = "resolved" if resolved else "active" if v.get("resolved") == "no" else None
        if status is not None:
            resource["clinicalStatus"] = concept(coding(codes.CLINICAL_STATUS[status]))
        if v.get("certainty") is not None:
            verification = codes.VERIFICATION_STATUS[v["certainty"]]
            resource["verificationStatus"] = concept(coding(verification))
        if v.get("severity") is not None:
            resource["severity"] = local_concept("severity", v["severity"])
        if v.get("sites"):
            resource["bodySite"] = [local_concept("body-site", s) for s in v["sites"]]
        if v.get("onset_date") is not None:
            resource["onsetDateTime"] = fhir_date(v["onset_date"])
        if v.get("resolution_date") is not None:
            resource["abatementDateTime"] = fhir_date(v["resolution_date"])
        _extend(resource, record_fields(kind, v, ("resolved",)))
        resource.update(_note(v))
        return resource

    def family_history(self, kind: RecordKind, row: RecordRow) -> Resource:
        v = row.values
        resource: Resource = {
            "resourceType": "FamilyMemberHistory",
            "id": self._id("FamilyMemberHistory", kind, row),
            "status": "completed",
            "patient": self.subject(row.patient_id),
            "relationship": local_concept("relative", v["relative"]),
            "condition": [{"code": local_concept("family-condition", v["condition"])}],
        }
        resource.update(_note(v))
        return resource

    def vaccination(self, kind: RecordKind, row: RecordRow) -> Resource:
        v = row.values
        resource: Resource = {
            "resourceType": "Immunization",
            "id": self._id("Immunization", kind, row),
            "status": "completed",
            "vaccineCode": local_concept("vaccines", v["vaccine"]),
            "patient": self.subject(row.patient_id),
            "occurrenceDateTime": fhir_date(v["date"]),
        }
        if v.get("dose_number") is not None:
            resource["protocolApplied"] = [{"doseNumberPositiveInt": int(v["dose_number"])}]
        resource.update(_note(v))
        return resource

    def antibody_test(self, kind: RecordKind, row: RecordRow) -> Resource:
        v = row.values
        resource: Resource = {
            "resourceType": "Observation",
            "id": self._id("Observation", kind, row),
            "status": "final",
            "category": CATEGORY_LAB,
            "code": local_concept("antibodies", v["antibody"]),
            "subject": self.subject(row.patient_id),
            "effectiveDateTime": fhir_date(v["date"]),
            "valueCodeableConcept": choice_concept("antibody-result", v["result"]),
        }
        parts = components(kind, v, frozenset({"patient_id", "date", "antibody", "result"}))
        if parts:
            resource["component"] = parts
        return resource

    def pregnancy_test(self, kind: RecordKind, row: RecordRow) -> Resource:
        v = row.values
        resource: Resource = {
            "resourceType": "Observation",
            "id": self._id("Observation", kind, row),
            "status": "final",
            "category": CATEGORY_LAB,
            "code": local_concept("record-kinds", "pregnancy_test"),
            "subject": self.subject(row.patient_id),
            "effectiveDateTime": fhir_date(v["date"]),
            "valueCodeableConcept": choice_concept("test-result", v["result"]),
        }
        if v.get("method") is not None:
            resource["method"] = local_concept("pregnancy-test-method", v["method"])
        return resource

    def course(self, kind: RecordKind, row: RecordRow) -> Resource:
        v = row.values
        start = v.get("start_date")
        resource: Resource = {
            "resourceType": "MedicationStatement",
            "id": resource_id(
                "MedicationStatement",
                row.patient_id,
                v["drug"],
                "unknown" if start is None else fhir_date(start),
            ),
            "status": course_status(v),
            "medicationCodeableConcept": medication_concept(v["drug"]),
            "subject": self.subject(row.patient_id),
        }
        period = {
            name: fhir_date(v[column])
            for name, column in (("start", "start_date"), ("end", "end_date"))
            if v.get(column) is not None
        }
        if period:
            resource["effectivePeriod"] = period
        if v.get("stop_reason") is not None:
            resource["statusReason"] = [local_concept("stop-reasons", v["stop_reason"])]
        if v.get("indication") is not None:
            resource["reasonCode"] = [local_concept("indication", v["indication"])]
        dosage = course_dosage(v)
        if dosage:
            resource["dosage"] = [dosage]
        _extend(resource, record_fields(kind, v, (n for n in v if n not in COURSE_ELEMENTS)))
        resource.update(_note(v))
        return resource

    def event(self, kind: RecordKind, row: RecordRow) -> Resource:
        v = row.values
        day = fhir_date(v["date"])
        event, detail = v["event"], v.get("detail")
        rid = resource_id("Event", row.patient_id, day, event, detail or "")
        resource: Resource
        if event in ADVERSE_EVENTS:
            what = dict(local_concept("events", event))
            if detail is not None:
                what["text"] = detail
            resource = {
                "resourceType": "AdverseEvent",
                "id": rid,
                "actuality": "actual",
                "event": what,
                "subject": self.subject(row.patient_id),
                "date": day,
            }
        else:
            resource = {
                "resourceType": "Observation",
                "id": rid,
                "status": "final",
                "code": local_concept("events", event),
                "subject": self.subject(row.patient_id),
                "effectiveDateTime": day,
            }
            if detail is not None:
                resource["valueString"] = detail
        extensions: list[Any] = []
        if v.get("grade") is not None:
            extensions.append({"url": codes.CTCAE_GRADE, "valueInteger": int(v["grade"])})
        extensions += record_fields(kind, v, (n for n in v if n not in EVENT_ELEMENTS))
        _extend(resource, extensions)
        return resource
