"""The coded elements of the FHIR export, each built once per code and shared by every
resource that carries it (an export builds millions of resources; nothing changes these
dicts), and the tables the mapping reads: which events are AdverseEvents, the
`timing.repeat` of each frequency, which stop reasons make a course "stopped"."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any, Final

from myotrack.domain.labels import label
from myotrack.domain.vocab import VISIT_MEASURE_TABLE
from myotrack.exchange.fhir import codes
from myotrack.exchange.fhir.codes import coding, local_coding

# Events that are adverse events in FHIR terms (interop.md §3.2); the rest are
# Observations. A death is also Patient.deceasedDateTime.
ADVERSE_EVENTS: Final = ("infection", "thromboembolism", "adverse_event")

# Dosage.timing.repeat of each frequency (interop.md §3.5): (frequency, period, unit).
TIMING_REPEAT: Final[dict[str, dict[str, Any]]] = {
    "once": {"count": 1},
    "QD": {"frequency": 1, "period": 1, "periodUnit": "d"},
    "BID": {"frequency": 2, "period": 1, "periodUnit": "d"},
    "TID": {"frequency": 3, "period": 1, "periodUnit": "d"},
    "weekly": {"frequency": 1, "period": 1, "periodUnit": "wk"},
    "every_2_weeks": {"frequency": 1, "period": 2, "periodUnit": "wk"},
    "every_4_weeks": {"frequency": 1, "period": 4, "periodUnit": "wk"},
    "monthly": {"frequency": 1, "period": 1, "periodUnit": "mo"},
}

# A course that ended for one of these reasons was stopped early (FHIR status
# "stopped"); any other ended course is "completed"; an open one is "active".
STOPPED_EARLY: Final = ("ineffective", "adverse_event", "other")

GENDER: Final = {"F": "female", "M": "male"}

CATEGORY_LAB: Final = [{"coding": [coding(codes.CATEGORIES["laboratory"])]}]
CATEGORY_EXAM: Final = [{"coding": [coding(codes.CATEGORIES["exam"])]}]
CATEGORY_VITALS: Final = [{"coding": [coding(codes.CATEGORIES["vital-signs"])]}]
SCORE_UNIT: Final = {"unit": "score", "system": codes.UCUM, "code": "{score}"}
VITALS: Final = tuple(m for m in VISIT_MEASURE_TABLE if m.name in codes.VITAL_SIGNS)
SCORES: Final = tuple(m.name for m in VISIT_MEASURE_TABLE if m.name not in codes.VITAL_SIGNS)


def concept(*codings: dict[str, str], text: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {"coding": list(codings)}
    if text is not None:
        element["text"] = text
    return element


@cache
def local_concept(system: str, code: str) -> dict[str, Any]:
    return {"coding": [local_coding(system, code)]}


@cache
def unit_fields(unit: str) -> dict[str, str]:
    ucum = codes.ucum_unit(unit)
    if ucum is None:
        return {"unit": unit}
    return {"unit": unit, "system": ucum.system, "code": ucum.code}


def quantity(value: float | None, unit: str | None) -> dict[str, Any]:
    if unit is None:
        return {} if value is None else {"value": value}
    if value is None:
        return dict(unit_fields(unit))
    return {"value": value, **unit_fields(unit)}


@cache
def lab_code(analyte: str, unit: str | None) -> dict[str, Any]:
    codings = []
    loinc = None if unit is None else codes.LAB_LOINC.get((analyte, unit))
    if loinc is not None:
        codings.append(coding(loinc))
    codings.append(local_coding("analytes", analyte))
    return concept(*codings, text=label("analyte", analyte))


@cache
def result_concept(result: str) -> dict[str, Any]:
    standard = codes.QUALITATIVE.get(result)
    codings = [coding(standard)] if standard else []
    codings.append(local_coding("qualitative-results", result))
    return concept(*codings)


@cache
def vital_code(measure: str) -> dict[str, Any]:
    return concept(coding(codes.VITAL_SIGNS[measure]), local_coding("visit-measures", measure))


@cache
def medication_concept(drug: str) -> dict[str, Any]:
    codings = []
    rxnorm = codes.RXNORM_DRUGS.get(drug)
    if rxnorm is not None:
        codings.append(coding(rxnorm))
    if drug in codes.LOCAL_SYSTEMS["drugs"].codes:
        codings.append(local_coding("drugs", drug))
    return concept(*codings, text=drug)


@cache
def timing(frequency: str) -> dict[str, Any]:
    codings = []
    standard = codes.TIMING_CODES.get(frequency)
    if standard is not None:
        codings.append(coding(standard))
    codings.append(local_coding("frequencies", frequency))
    return {"repeat": TIMING_REPEAT[frequency], "code": concept(*codings)}


@cache
def route_concept(route: str) -> dict[str, Any]:
    return concept(coding(codes.ROUTES[route]))


def extra_extensions(extra: Mapping[str, str]) -> list[dict[str, Any]]:
    """The `x_` columns of a row as `extra-column` extensions (name + value)."""
    return [
        {
            "url": codes.EXTRA_COLUMN,
            "extension": [
                {"url": "name", "valueString": name},
                {"url": "value", "valueString": value},
            ],
        }
        for name, value in extra.items()
    ]
