"""The export's JSON text, fast: visits and lab results (nearly all of a cohort's
resources) are written from pre-encoded pieces — every coded element is encoded once per
code — instead of building a dict per resource and encoding it whole; every other
resource is the `writer`'s dict, encoded. The text is the same resource as `writer`
builds (tests/exchange/test_fhir_lines.py parses every line and compares), so `writer`
stays the one statement of the mapping and this module only its fast spelling.

Why: a cohort of 10,000 patients is about 1.7 million resources; encoding each as a
dict costs several times what writing the cohort folder does (benchmarks/bench_exchange.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from typing import Any, Final

from myotrack.domain import Cohort, LabResult, Visit
from myotrack.domain.vocab import VISIT_FLAGS
from myotrack.exchange.fhir import codes
from myotrack.exchange.fhir.codes import coding
from myotrack.exchange.fhir.elements import (
    CATEGORY_EXAM,
    CATEGORY_LAB,
    CATEGORY_VITALS,
    SCORE_UNIT,
    SCORES,
    VITALS,
    extra_extensions,
    lab_code,
    local_concept,
    result_concept,
    unit_fields,
    vital_code,
)
from myotrack.exchange.fhir.ids import References, resource_id
from myotrack.exchange.fhir.writer import Writer

Line = tuple[str, str, str]  # (resource type, id, JSON text)

encode: Final = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":"), check_circular=False, allow_nan=False
).encode

_float_repr: Final = float.__repr__  # what json writes for a float


def _number(value: float) -> str:
    return _float_repr(value) if type(value) is float else encode(value)


_encoded: dict[int, tuple[Any, str]] = {}


def _enc(obj: Any) -> str:
    """A shared element (built once per code by `writer`, never changed) encoded once;
    the element is kept with its text, so its id is never reused for another object."""
    found = _encoded.get(id(obj))
    if found is None or found[0] is not obj:
        found = _encoded[id(obj)] = (obj, encode(obj))
    return found[1]


@cache
def _unit_tail(unit: str) -> str:
    """',"unit":…,"system":…,"code":…' of a Quantity in this unit."""
    return "," + encode(unit_fields(unit))[1:-1]


def quantity(value: float | None, unit: str | None) -> str:
    if unit is None:
        return "{}" if value is None else '{"value":' + _number(value) + "}"
    if value is None:
        return "{" + _unit_tail(unit)[1:] + "}"
    return '{"value":' + _number(value) + _unit_tail(unit) + "}"


_OBSERVATION_HEAD: Final = '{"resourceType":"Observation","status":"final","category":'
_ENCOUNTER_HEAD: Final = '{"resourceType":"Encounter","status":"finished","class":' + encode(
    coding(codes.AMBULATORY)
)


class _Lines:
    def __init__(self, cohort: Cohort, references: References) -> None:
        self.writer = Writer(cohort, references)
        urn = references == "urn"
        self.patient_ref = {
            pid: ("urn:uuid:" if urn else "Patient/") + rid
            for pid, rid in self.writer.patient_ids.items()
        }
        self.encounter_prefix = "urn:uuid:" if urn else "Encounter/"
        self.lab_category = encode(CATEGORY_LAB)
        self.vitals_category = encode(CATEGORY_VITALS)
        self.exam_category = encode(CATEGORY_EXAM)
        self.scores_code = encode(local_concept("patient-fields", "visit_scores"))
        self.flag_codes = {n: encode(local_concept("visit-measures", n)) for n in VISIT_FLAGS}
        self.score_codes = {n: encode(local_concept("visit-measures", n)) for n in SCORES}
        self.score_unit = "," + encode(SCORE_UNIT)[1:-1]

    def lab(self, r: LabResult) -> Line:
        day = r.date.isoformat()
        value: float | None
        unit: str | None
        if r.reported is not None:
            value, unit = r.reported.value, r.reported.unit
            low, high = r.reported.ref_low, r.reported.ref_high
        else:
            value, unit, low, high = r.value, r.unit, r.ref_low, r.ref_high
        rid = resource_id("Observation", r.patient_id, day, r.analyte)
        parts = [
            _OBSERVATION_HEAD,
            self.lab_category,
            ',"code":',
            _enc(lab_code(r.analyte, unit)),
            ',"id":"',
            rid,
            '","subject":{"reference":"',
            self.patient_ref[r.patient_id],
            '"},"effectiveDateTime":"',
            day,
            '"',
        ]
        if r.extra:
            parts += (',"extension":', encode(extra_extensions(r.extra)))
        if r.result is not None:
            parts += (',"valueCodeableConcept":', _enc(result_concept(r.result)))
        elif value is not None or unit is not None:
            parts += (',"valueQuantity":', quantity(value, unit))
        if low is not None or high is not None:
            ends = []
            if low is not None:
                ends.append('"low":' + quantity(low, unit))
            if high is not None:
                ends.append('"high":' + quantity(high, unit))
            parts += (',"referenceRange":[{', ",".join(ends), "}]")
        parts.append("}")
        return "Observation", rid, "".join(parts)

    def visit(self, v: Visit) -> Iterator[Line]:
        pid = v.patient_id
        day = v.date.isoformat()
        subject = '"subject":{"reference":"' + self.patient_ref[pid] + '"}'
        encounter_id = resource_id("Encounter", pid, day)
        text = (
            f'{_ENCOUNTER_HEAD},"id":"{encounter_id}",{subject},'
            f'"period":{{"start":"{day}","end":"{day}"}}'
        )
        if v.extra:
            text += ',"extension":' + encode(extra_extensions(v.extra))
        yield "Encounter", encounter_id, text + "}"
        context = f'"encounter":{{"reference":"{self.encounter_prefix}{encounter_id}"}}'
        common = f'{subject},{context},"effectiveDateTime":"{day}"'
        for m in VITALS:
            value = getattr(v, m.name)
            if value is None:
                continue
            rid = resource_id("Observation", pid, day, m.name)
            yield (
                "Observation",
                rid,
                f'{_OBSERVATION_HEAD}{self.vitals_category},"code":{_enc(vital_code(m.name))},'
                f'"id":"{rid}",{common},"valueQuantity":{quantity(value, m.unit)}}}',
            )
        components = []
        for name in VISIT_FLAGS:
            flag = getattr(v, name)
            if flag is not None:
                shown = "true" if flag else "false"
                components.append(f'{{"code":{self.flag_codes[name]},"valueBoolean":{shown}}}')
        for name in SCORES:
            score = getattr(v, name)
            if score is not None:
                components.append(
                    f'{{"code":{self.score_codes[name]},"valueQuantity":'
                    f'{{"value":{_number(score)}{self.score_unit}}}}}'
                )
        if components:
            rid = resource_id("Observation", pid, day, "visit_scores")
            derived = self.writer.derived_from(v)
            sources = f',"derivedFrom":{encode(derived)}' if derived else ""
            yield (
                "Observation",
                rid,
                f'{_OBSERVATION_HEAD}{self.exam_category},"code":{self.scores_code},"id":"{rid}",'
                f'{common}{sources},"component":[{",".join(components)}]}}',
            )


def _dict_line(resource: dict[str, Any]) -> Line:
    return resource["resourceType"], resource["id"], encode(resource)


def cohort_lines(cohort: Cohort, *, references: References = "relative") -> Iterator[Line]:
    """(resource type, id, JSON text) of every resource, in `writer.cohort_resources`
    order: the same resources, as text."""
    fast = _Lines(cohort, references)
    w = fast.writer
    for resource in w.organizations():
        yield _dict_line(resource)
    for p in cohort.patients:
        for resource in w.patient(p):
            yield _dict_line(resource)
    visit = fast.visit
    for v in cohort.visits:
        yield from visit(v)
    lab = fast.lab
    for r in cohort.labs:
        yield lab(r)
    for c in cohort.courses:
        yield _dict_line(w.course(c))
    for e in cohort.events:
        yield _dict_line(w.event(e))
    for a in cohort.assessments:
        yield _dict_line(w.assessment(a))
    for resource in w.questionnaires():
        yield _dict_line(resource)
    for resource in w.whole_resources():
        yield _dict_line(resource)
