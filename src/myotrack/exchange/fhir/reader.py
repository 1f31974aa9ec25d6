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
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Final

from myotrack.cohort import columns as cols
from myotrack.cohort.cells import CellError, parse_date, value_checker
from myotrack.cohort.reader import cohort_from_rows
from myotrack.cohort.record_checks import Context, check_event
from myotrack.cohort.table import Row
from myotrack.domain import Assessment, Cohort, ValidationIssue
from myotrack.domain.units import accepted_units
from myotrack.domain.vocab import QUALITATIVE_ANALYTES, VISIT_MEASURES
from myotrack.exchange.fhir import codes
from myotrack.exchange.fhir.bundle import Place, read_files
from myotrack.exchange.fhir.ids import referenced_id
from myotrack.exchange.fhir.questionnaires import answer_value, instrument_of
from myotrack.exchange.fhir.writer import TIMING_REPEAT
from myotrack.instruments import DEFINITIONS, ItemError, stored_definition, validate_item

Resource = dict[str, Any]
_CHECKERS: Final = {
    file: {c.name: value_checker(c) for c in columns} for file, columns in cols.FILES.items()
}
_REQUIRED: Final = {
    file: [c.name for c in columns if c.required] for file, columns in cols.FILES.items()
}
_SEX: Final = {"female": "F", "male": "M"}
_REPEAT_FREQUENCY: Final = {
    tuple(sorted(repeat.items())): freq for freq, repeat in TIMING_REPEAT.items()
}
# Resources the import reads; Questionnaires and CodeSystems are definitions (skipped).
_SKIPPED: Final = ("Questionnaire", "CodeSystem", "Organization", "Provenance")


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a cell came from: the resource and the element path."""

    place: Place
    rtype: str
    rid: str
    path: str = ""

    def at(self, path: str) -> Origin:
        return replace(self, path=path)

    def field(self) -> str:
        where = f"{self.rtype}/{self.rid}"
        return f"{where}.{self.path}" if self.path else where


@dataclass(slots=True)
class _Row:
    file: str
    line: int
    origin: Origin
    values: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)
    origins: dict[str, Origin] = field(default_factory=dict)
    rid: str = ""  # the Patient resource id, on patient rows


class _Import:
    def __init__(self, resources: list[tuple[Place, Resource]]) -> None:
        self.resources = resources
        self.issues: list[ValidationIssue] = []  # in FHIR terms
        self.row_issues: list[ValidationIssue] = []  # in folder terms (file, line, column)
        self.rows: dict[str, list[_Row]] = {name: [] for name in cols.FILES}
        self.by_line: dict[tuple[str, int], _Row] = {}
        self.line = 0
        self.patients: dict[str, _Row] = {}  # Patient resource id -> row
        self.lists: dict[str, dict[str, list[str]]] = {}  # resource id -> antibodies/features
        self.diagnosed: set[str] = set()
        self.deaths: dict[str, tuple[str, Origin]] = {}
        self.organizations: dict[str, str] = {}
        self.encounters: dict[str, _Row] = {}
        self.visits: dict[tuple[str, str], _Row] = {}
        self.assessments: list[tuple[Origin, Assessment]] = []

    # ------------------------------------------------------------ problems

    def problem(self, origin: Origin, rule: str, message: str) -> None:
        self.issues.append(
            ValidationIssue(origin.place.file, origin.place.line, origin.field(), rule, message)
        )

    def new_row(self, file: str, origin: Origin) -> _Row:
        self.line += 1
        row = _Row(file, self.line, origin)
        self.rows[file].append(row)
        self.by_line[(file, self.line)] = row
        return row

    def cell(self, row: _Row, column: str, value: Any, origin: Origin) -> None:
        """Check one value by its column's rule and put it in the row."""
        if value is None:
            return
        if column in row.values:
            self.problem(origin, "unique", f"{column} is given twice for this record")
            return
        if cols.COLUMNS[row.file][column].kind == "date":
            value = _date_text(value)
        row.origins[column] = origin
        try:
            row.values[column] = _CHECKERS[row.file][column](value)
        except CellError as err:
            self.row_issues.append(
                ValidationIssue(row.file, row.line, column, err.rule, err.message)
            )
            row.values[column] = None

    def extra(self, row: _Row, resource: Resource, origin: Origin) -> None:
        for index, extension in enumerate(resource.get("extension") or ()):
            if not isinstance(extension, dict) or extension.get("url") != codes.EXTRA_COLUMN:
                continue
            parts = {
                e.get("url"): e.get("valueString")
                for e in extension.get("extension") or ()
                if isinstance(e, dict)
            }
            name, value = parts.get("name"), parts.get("value")
            at = origin.at(f"extension[{index}]")
            if not isinstance(name, str) or not name.startswith(cols.EXTRA_PREFIX):
                self.problem(
                    at,
                    "extra_column",
                    f"an extra column's name must start with '{cols.EXTRA_PREFIX}'",
                )
            elif isinstance(value, str) and value.strip():
                row.extra[name] = value.strip()

    def subject(self, resource: Resource, origin: Origin, element: str = "subject") -> _Row | None:
        reference = _get(resource, element, "reference")
        row = self.patients.get(referenced_id(reference)) if isinstance(reference, str) else None
        if row is None:
            self.problem(
                origin.at(f"{element}.reference"),
                "fhir_reference",
                "refers to no Patient in these files" if reference else "the patient is missing",
            )
        return row

    # ------------------------------------------------------------ reading

    def run(self) -> None:
        first = ("Organization", "Patient", "Encounter")
        for place, resource in self.resources:
            if resource.get("resourceType") in first:
                self.dispatch(place, resource)
        for place, resource in self.resources:
            if resource.get("resourceType") not in first:
                self.dispatch(place, resource)
        self.finish_patients()

    def dispatch(self, place: Place, resource: Resource) -> None:
        rtype = str(resource.get("resourceType"))
        rid = str(resource.get("id") or f"(entry {place.line})")
        origin = Origin(place, rtype, rid)
        reader = _READERS.get(rtype)
        if reader is not None:
            reader(self, resource, origin)
        elif rtype not in _SKIPPED:
            self.problem(origin, "fhir_resource", f"myotrack does not read {rtype} resources")

    def organization(self, resource: Resource, origin: Origin) -> None:
        name = resource.get("name")
        if isinstance(name, str) and resource.get("id"):
            self.organizations[str(resource["id"])] = name

    def patient(self, resource: Resource, origin: Origin) -> None:
        row = self.new_row("patients.csv", origin)
        ids = [
            i.get("value")
            for i in resource.get("identifier") or ()
            if isinstance(i, dict) and i.get("system") == codes.PATIENT_ID_SYSTEM
        ]
        if not ids:
            self.problem(
                origin.at("identifier"),
                "required",
                f"the Patient has no myotrack patient id (an identifier of system "
                f"{codes.PATIENT_ID_SYSTEM}); add the study pseudonym there",
            )
            row.origins["patient_id"] = origin.at("identifier")  # said once, here
        else:
            self.cell(row, "patient_id", ids[0], origin.at("identifier[0].value"))
        gender = resource.get("gender")
        at = origin.at("gender")
        if gender is not None and gender not in _SEX:
            self.problem(
                at, "choice", f"gender '{gender}' is not one myotrack records (female, male)"
            )
        else:
            self.cell(row, "sex", _SEX.get(str(gender)), at)
        self.cell(row, "birth_date", resource.get("birthDate"), origin.at("birthDate"))
        organization = resource.get("managingOrganization")
        if isinstance(organization, dict):
            site = organization.get("display")
            if site is None and isinstance(organization.get("reference"), str):
                site = self.organizations.get(referenced_id(organization["reference"]))
            self.cell(row, "site", site, origin.at("managingOrganization"))
        self.extra(row, resource, origin)
        deceased = resource.get("deceasedDateTime")
        rid = str(resource.get("id"))
        if deceased is not None:
            self.deaths[rid] = (deceased, origin.at("deceasedDateTime"))
        row.rid = rid
        self.patients[rid] = row
        self.lists[rid] = {"antibodies": [], "features": []}

    def finish_patients(self) -> None:
        for rid, row in self.patients.items():
            for column in ("antibodies", "features"):
                values = self.lists[rid][column]
                if values:
                    self.cell(row, column, values, row.origin.at(f"({column})"))
            if rid not in self.diagnosed:
                self.problem(
                    row.origin,
                    "required",
                    "the patient has no diagnosis (a Condition coded JDM, DM, ADM or other)",
                )
            death = self.deaths.get(rid)
            pid = row.values.get("patient_id")
            if death is None or pid is None:
                continue
            day = _date_text(death[0])
            recorded = any(
                r.values.get("patient_id") == pid
                and r.values.get("event") == "death"
                and r.values.get("date") is not None
                and r.values["date"].isoformat() == day
                for r in self.rows["events.csv"]
            )
            if not recorded:
                event = self.new_row("events.csv", death[1])
                self.cell(event, "patient_id", pid, death[1])
                self.cell(event, "date", day, death[1])
                self.cell(event, "event", "death", death[1])

    def condition(self, resource: Resource, origin: Origin) -> None:
        found = _meaning(resource.get("code"))
        patient = self.subject(resource, origin)
        if found is None or found[0] not in ("diagnosis", "features"):
            self.problem(
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
            self.lists[rid]["features"].append(code)
            return
        if rid in self.diagnosed:
            self.problem(
                origin.at("code"), "unique", "the patient has a second diagnosis Condition"
            )
            return
        self.diagnosed.add(rid)
        self.cell(patient, "diagnosis", code, origin.at("code"))
        self.cell(patient, "onset_date", resource.get("onsetDateTime"), origin.at("onsetDateTime"))
        self.cell(
            patient, "diagnosis_date", resource.get("recordedDate"), origin.at("recordedDate")
        )

    def encounter(self, resource: Resource, origin: Origin) -> None:
        patient = self.subject(resource, origin)
        start = _get(resource, "period", "start")
        if start is None:
            self.problem(
                origin.at("period.start"), "required", "the visit has no date (period.start)"
            )
            return
        if patient is None:
            return
        row = self.visit_row(patient, str(start), origin.at("period.start"))
        if row is not None:
            self.extra(row, resource, origin)
            self.encounters[str(resource.get("id"))] = row

    def visit_row(self, patient: _Row, day: Any, origin: Origin) -> _Row | None:
        pid = patient.values.get("patient_id")
        text = _date_text(day)
        key = (str(pid), text)
        row = self.visits.get(key)
        if row is None:
            row = self.new_row("visits.csv", origin)
            self.cell(row, "patient_id", pid, origin)
            self.cell(row, "date", text, origin)
            self.visits[key] = row
        return row

    def observation(self, resource: Resource, origin: Origin) -> None:
        found = _meaning(resource.get("code"))
        patient = self.subject(resource, origin)
        if found is None:
            self.problem(
                origin.at("code"), "fhir_code", "no myotrack field has this Observation's code"
            )
            return
        if patient is None:
            return
        system, code = found
        rid = patient.rid
        if system == "patient-fields":
            if code in ("bohan_peter", "refractory"):
                value = _meaning(resource.get("valueCodeableConcept"))
                self.cell(
                    patient, code, value[1] if value else None, origin.at("valueCodeableConcept")
                )
            elif code == "antibody_none":
                self.lists[rid]["antibodies"].append("none")
            elif code == "features_none":
                self.lists[rid]["features"].append("none")
            else:
                self.visit_observation(resource, origin, patient)
        elif system == "antibodies":
            value = _meaning(resource.get("valueCodeableConcept"))
            if value is None or value[1] == "positive":
                self.lists[rid]["antibodies"].append(code)
        elif system == "visit-measures":
            self.visit_observation(resource, origin, patient, measure=code)
        elif system == "analytes":
            self.lab(resource, origin, patient, code)
        elif system == "events":
            self.event(
                resource,
                origin,
                patient,
                code,
                resource.get("valueString"),
                resource.get("effectiveDateTime"),
            )
        else:
            self.problem(
                origin.at("code"), "fhir_code", "no myotrack field has this Observation's code"
            )

    def visit_observation(
        self,
        resource: Resource,
        origin: Origin,
        patient: _Row,
        *,
        measure: str | None = None,
    ) -> None:
        reference = _get(resource, "encounter", "reference")
        row = self.encounters.get(referenced_id(reference)) if isinstance(reference, str) else None
        if row is None:
            day = resource.get("effectiveDateTime")
            if day is None:
                self.problem(
                    origin.at("effectiveDateTime"), "required", "the visit's date is missing"
                )
                return
            row = self.visit_row(patient, day, origin.at("effectiveDateTime"))
            if row is None:
                return
        if measure is not None:
            self.measure(row, measure, resource, origin, "")
            return
        for index, component in enumerate(resource.get("component") or ()):
            prefix = f"component[{index}]."
            found = _meaning(component.get("code")) if isinstance(component, dict) else None
            if found is None or found[0] != "visit-measures":
                self.problem(
                    origin.at(prefix + "code"), "fhir_code", "no visit measure has this code"
                )
                continue
            self.measure(row, found[1], component, origin, prefix)

    def measure(self, row: _Row, name: str, element: Resource, origin: Origin, prefix: str) -> None:
        if name in VISIT_MEASURES:
            value = _get(element, "valueQuantity", "value")
            self.cell(row, name, value, origin.at(prefix + "valueQuantity.value"))
            return
        flag = element.get("valueBoolean")  # rash, weakness
        at = origin.at(prefix + "valueBoolean")
        if flag is not None and not isinstance(flag, bool):
            self.problem(at, "choice", "give true or false")
            return
        self.cell(row, name, None if flag is None else ("yes" if flag else "no"), at)

    def lab(self, resource: Resource, origin: Origin, patient: _Row, analyte: str) -> None:
        row = self.new_row("labs.csv", origin)
        self.cell(row, "patient_id", patient.values.get("patient_id"), origin.at("subject"))
        self.cell(row, "date", resource.get("effectiveDateTime"), origin.at("effectiveDateTime"))
        self.cell(row, "analyte", analyte, origin.at("code"))
        self.extra(row, resource, origin)
        concept = resource.get("valueCodeableConcept")
        if concept is not None:
            found = _meaning(concept)
            if found is None or found[0] != "qualitative-results":
                self.problem(
                    origin.at("valueCodeableConcept"),
                    "choice",
                    "the result is not positive, negative or indeterminate",
                )
            else:
                self.cell(row, "result", found[1], origin.at("valueCodeableConcept"))
        quantity = resource.get("valueQuantity")
        if isinstance(quantity, dict):
            self.cell(row, "value", quantity.get("value"), origin.at("valueQuantity.value"))
            self.cell(row, "unit", _unit(analyte, quantity), origin.at("valueQuantity.unit"))
        ranges = resource.get("referenceRange") or ()
        if ranges and isinstance(ranges[0], dict):
            for end, column in (("low", "ref_low"), ("high", "ref_high")):
                self.cell(
                    row,
                    column,
                    _get(ranges[0], end, "value"),
                    origin.at(f"referenceRange[0].{end}.value"),
                )

    def medication(self, resource: Resource, origin: Origin) -> None:
        patient = self.subject(resource, origin)
        if patient is None:
            return
        row = self.new_row("treatments.csv", origin)
        self.cell(row, "patient_id", patient.values.get("patient_id"), origin.at("subject"))
        self.extra(row, resource, origin)
        status = resource.get("status")
        if status in ("entered-in-error", "intended", "not-taken"):
            self.problem(
                origin.at("status"),
                "fhir_status",
                f"a course with status '{status}' was not taken; leave it out",
            )
        medicine = resource.get("medicationCodeableConcept")
        found = _meaning(medicine)
        drug = found[1] if found and found[0] == "drugs" else _get(medicine, "text")
        self.cell(row, "drug", drug, origin.at("medicationCodeableConcept"))
        period = resource.get("effectivePeriod")
        if isinstance(period, dict):
            self.cell(row, "start_date", period.get("start"), origin.at("effectivePeriod.start"))
            self.cell(row, "end_date", period.get("end"), origin.at("effectivePeriod.end"))
        else:
            self.cell(
                row, "start_date", resource.get("effectiveDateTime"), origin.at("effectiveDateTime")
            )
        reasons = resource.get("statusReason") or ()
        if reasons:
            reason = _meaning(reasons[0])
            at = origin.at("statusReason[0]")
            if reason is None or reason[0] != "stop-reasons":
                self.problem(at, "fhir_code", "not a stop reason myotrack records")
            else:
                self.cell(row, "stop_reason", reason[1], at)
        dosages = resource.get("dosage") or ()
        if len(dosages) > 1:
            self.problem(
                origin.at("dosage[1]"),
                "fhir_dosage",
                "one dose per course: a dose change starts a new MedicationStatement",
            )
        if dosages and isinstance(dosages[0], dict):
            self.dosage(row, dosages[0], origin)

    def dosage(self, row: _Row, dosage: Resource, origin: Origin) -> None:
        timing = dosage.get("timing")
        if isinstance(timing, dict):
            at = origin.at("dosage[0].timing")
            found = _meaning(timing.get("code"))
            if found is not None and found[0] == "frequencies":
                self.cell(row, "frequency", found[1], at)
            elif isinstance(timing.get("repeat"), dict):
                freq = _REPEAT_FREQUENCY.get(tuple(sorted(timing["repeat"].items())))
                if freq is None:
                    self.problem(
                        at, "fhir_timing", "this dosing frequency is not one myotrack records"
                    )
                else:
                    self.cell(row, "frequency", freq, at)
        route = dosage.get("route")
        if route is not None:
            found = _meaning(route)
            if found is None or found[0] != "routes":
                self.problem(
                    origin.at("dosage[0].route"),
                    "fhir_code",
                    "not a route myotrack records (oral, iv, sc, topical)",
                )
            else:
                self.cell(row, "route", found[1], origin.at("dosage[0].route"))
        rates = dosage.get("doseAndRate") or ()
        if rates and isinstance(rates[0], dict) and isinstance(rates[0].get("doseQuantity"), dict):
            quantity = rates[0]["doseQuantity"]
            self.cell(
                row,
                "dose",
                quantity.get("value"),
                origin.at("dosage[0].doseAndRate[0].doseQuantity.value"),
            )
            unit = quantity.get("unit") or quantity.get("code")
            self.cell(
                row, "dose_unit", unit, origin.at("dosage[0].doseAndRate[0].doseQuantity.unit")
            )

    def adverse_event(self, resource: Resource, origin: Origin) -> None:
        patient = self.subject(resource, origin)
        if patient is None:
            return
        what = resource.get("event")
        found = _meaning(what)
        if found is not None and found[0] != "events":
            self.problem(origin.at("event"), "fhir_code", "not an event myotrack records")
            return
        code = found[1] if found else "adverse_event"
        detail = what.get("text") if isinstance(what, dict) else None
        self.event(resource, origin, patient, code, detail, resource.get("date"), date_path="date")

    def event(
        self,
        resource: Resource,
        origin: Origin,
        patient: _Row,
        code: str,
        detail: Any,
        day: Any,
        *,
        date_path: str = "effectiveDateTime",
    ) -> None:
        row = self.new_row("events.csv", origin)
        self.cell(row, "patient_id", patient.values.get("patient_id"), origin.at("subject"))
        self.cell(row, "date", day, origin.at(date_path))
        self.cell(row, "event", code, origin.at("code"))
        self.cell(
            row, "detail", detail, origin.at("event.text" if date_path == "date" else "valueString")
        )
        for index, extension in enumerate(resource.get("extension") or ()):
            if isinstance(extension, dict) and extension.get("url") == codes.CTCAE_GRADE:
                self.cell(
                    row, "grade", extension.get("valueInteger"), origin.at(f"extension[{index}]")
                )
        self.extra(row, resource, origin)

    def response(self, resource: Resource, origin: Origin) -> None:
        patient = self.subject(resource, origin)
        canonical = resource.get("questionnaire")
        found = instrument_of(canonical) if isinstance(canonical, str) else None
        if found is None or found[0] not in DEFINITIONS:
            self.problem(
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
                self.problem(at, "fhir_item", "an item without linkId, or given twice")
                continue
            value: Any = None
            if answers:
                known, value = answer_value(answers[0])
                if not known:
                    self.problem(at, "fhir_item", "the answer is not a number, yes/no or code")
                    continue
            try:
                validate_item(defn, defn.item(link), value)
            except KeyError:
                self.problem(at, "fhir_item", f"{defn.title} has no item '{link}'")
                continue
            except ItemError as err:
                self.problem(at, "item", err.message)
                continue
            items[link] = value
        total = None
        for extension in resource.get("extension") or ():
            if isinstance(extension, dict) and extension.get("url") == codes.ASSESSMENT_TOTAL:
                total = extension.get("valueDecimal")
        day = _date_text(resource.get("authored"))
        try:
            when = parse_date(day)
        except CellError as err:
            self.problem(origin.at("authored"), err.rule, err.message)
            return
        pid = patient.values.get("patient_id")
        if pid is not None:
            a = Assessment(str(pid), when, instrument, items, version=version, total=total)
            self.assessments.append((origin, a))

    # ------------------------------------------------------------ finishing

    def tables(self) -> dict[str, list[Row]]:
        out: dict[str, list[Row]] = {}
        for file, rows in self.rows.items():
            out[file] = []
            for row in rows:
                for column in _REQUIRED[file]:
                    if column == "patient_id" and file != "patients.csv":
                        continue  # its patient's own problem says why
                    if row.values.get(column) is None and column not in row.origins:
                        self.row_issues.append(
                            ValidationIssue(
                                file,
                                row.line,
                                column,
                                "required",
                                f"'{column}' is required and is missing",
                            )
                        )
                out[file].append(Row(row.line, row.values, row.extra))
        return out

    def locate(self, issue: ValidationIssue) -> ValidationIssue:
        """A problem in folder terms (file, line, column) told in FHIR terms; a problem
        already in FHIR terms (its file is a .json/.ndjson file) as it is."""
        if issue.line is None:
            return issue
        row = self.by_line.get((issue.file, issue.line))
        if row is None:
            return issue
        origin = row.origins.get(issue.field or "", row.origin)
        return ValidationIssue(
            origin.place.file, origin.place.line, origin.field(), issue.rule, issue.message
        )

    def check_assessments(self, cohort: Cohort, today: date) -> None:
        births = {p.patient_id: p.birth_date for p in cohort.patients}
        seen: set[tuple[str, date, str]] = set()
        for origin, a in self.assessments:
            key = (a.patient_id, a.date, a.instrument)
            if key in seen:
                self.problem(
                    origin,
                    "unique",
                    "this instrument is already assessed for this patient on this date",
                )
            seen.add(key)
            values = {"patient_id": a.patient_id, "date": a.date, "event": "assessment"}
            for problem in check_event(values, Context(today, births.get(a.patient_id))):
                self.problem(origin.at("authored"), problem.rule, problem.message)


_READERS: Final[dict[str, Callable[[_Import, Resource, Origin], None]]] = {
    "Organization": _Import.organization,
    "Patient": _Import.patient,
    "Condition": _Import.condition,
    "Encounter": _Import.encounter,
    "Observation": _Import.observation,
    "MedicationStatement": _Import.medication,
    "AdverseEvent": _Import.adverse_event,
    "QuestionnaireResponse": _Import.response,
}


def _get(element: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(element, dict):
            return None
        element = element.get(key)
    return element


def _date_text(value: Any) -> Any:
    """A FHIR date or dateTime as the date part ('2020-01-05T10:00:00Z' -> '2020-01-05')."""
    if isinstance(value, str) and len(value) > 10 and value[10] == "T":
        return value[:10]
    return value


def _meaning(concept: Any) -> tuple[str, str] | None:
    """What a CodeableConcept means in myotrack terms: the first coding the code table
    knows (a myotrack coding first)."""
    codings = concept.get("coding") if isinstance(concept, dict) else None
    if not isinstance(codings, list):
        return None
    standard = None
    for c in codings:
        if not isinstance(c, dict):
            continue
        found = codes.meaning(c.get("system"), c.get("code"))
        if found is None:
            continue
        if str(c.get("system", "")).startswith(codes.BASE):
            return found
        standard = standard or found
    return standard


def _unit(analyte: str, quantity: Mapping[str, Any]) -> Any:
    """The unit as myotrack spells it: `unit` when it is a spelling the analyte accepts,
    else the spelling whose UCUM code is `code`, else `unit` (the lab rules then say)."""
    unit = quantity.get("unit")
    if analyte in QUALITATIVE_ANALYTES:
        return unit
    accepted = accepted_units(analyte)
    if unit in accepted:
        return unit
    code = quantity.get("code")
    for spelling in accepted:
        ucum = codes.ucum_unit(spelling)
        if ucum is not None and ucum.code == code:
            return spelling
    return unit if unit is not None else code


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
    work = _Import(read.resources)
    for p in read.problems:
        work.issues.append(ValidationIssue(p.place.file, p.place.line, None, p.rule, p.message))
    work.run()
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
