"""Item-level instruments in FHIR: one generated `Questionnaire` per instrument and
version (from `myotrack.instruments` definitions, the same ones the web form and the
scoring engine read), and each stored `Assessment` as a `QuestionnaireResponse`.

* `Questionnaire.url` is `https://myotrack.org/fhir/Questionnaire/<instrument>` and
  `Questionnaire.version` the definition's version text (e.g. CMAS "0-52" or "0-51"), so
  the response's canonical `<url>|<version>` says exactly which shape was entered.
* An item answer is `valueInteger` for a whole number stored as one, `valueDecimal` for a
  decimal, `valueBoolean` for a yes/no stored as such, `valueString` for an item's code
  (e.g. "NA" not applicable, "T" trace); an item stored without a value has no answer.
* The stored total travels in the extension `assessment-total` (the visit's totals are
  Observations of the visit, see `writer`).

No published LOINC panel exists for CMAS, MMT8, CDASI, CAT-BM, JDM-DAS or CHAQ
(interop.md §3.4), so the Questionnaires are myotrack's own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from myotrack.domain import Assessment
from myotrack.exchange.fhir.codes import ASSESSMENT_TOTAL, QUESTIONNAIRE_BASE
from myotrack.exchange.fhir.ids import resource_id
from myotrack.instruments import DEFINITIONS, InstrumentDefinition, Item, stored_definition

Resource = dict[str, Any]
ItemValue = float | int | str | bool | None


def canonical(instrument: str, version: str | None) -> str:
    """The canonical URL (with `|version` when known) of an instrument's Questionnaire."""
    url = QUESTIONNAIRE_BASE + instrument
    return url if version is None else f"{url}|{version}"


def instrument_of(canonical_url: str) -> tuple[str, str | None] | None:
    """(instrument, version) of a myotrack Questionnaire canonical, or None."""
    if not canonical_url.startswith(QUESTIONNAIRE_BASE):
        return None
    rest = canonical_url[len(QUESTIONNAIRE_BASE) :]
    name, bar, version = rest.partition("|")
    return (name, version if bar else None) if name else None


def _item_type(it: Item) -> str:
    whole = float(it.step).is_integer() and float(it.min).is_integer()
    return "integer" if whole else "decimal"


def questionnaire(instrument: str, version: str | None) -> Resource | None:
    """The Questionnaire of an instrument as stored (name + version), or None when the
    instrument is not one of `myotrack.instruments`."""
    if instrument not in DEFINITIONS:
        return None
    defn: InstrumentDefinition = stored_definition(instrument, version)
    shown_version = version if version is not None else defn.version
    name = "Myotrack_" + "".join(ch if ch.isalnum() else "_" for ch in instrument)
    return {
        "resourceType": "Questionnaire",
        "id": resource_id("Questionnaire", instrument, shown_version),
        "url": QUESTIONNAIRE_BASE + instrument,
        "version": shown_version,
        "name": name,
        "title": defn.title,
        "status": "active",
        "description": f"{defn.title}. Source: {defn.source}",
        "item": [
            {
                "linkId": it.id,
                "text": it.label,
                "type": _item_type(it),
                "required": it.required,
            }
            for it in defn.items
        ],
    }


def _answer(value: ItemValue) -> dict[str, Any] | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return {"valueBoolean": value}
    if isinstance(value, int):
        return {"valueInteger": value}
    if isinstance(value, float):
        return {"valueDecimal": value}
    return {"valueString": str(value)}


def response_id(a: Assessment) -> str:
    return resource_id("QuestionnaireResponse", a.patient_id, a.date.isoformat(), a.instrument)


def response(a: Assessment, patient_id: str, ref: Callable[[str, str], dict[str, str]]) -> Resource:
    """The QuestionnaireResponse of one stored assessment."""
    items: list[dict[str, Any]] = []
    for link_id, value in a.items.items():
        item: dict[str, Any] = {"linkId": link_id}
        answer = _answer(value)
        if answer is not None:
            item["answer"] = [answer]
        items.append(item)
    resource: Resource = {
        "resourceType": "QuestionnaireResponse",
        "id": response_id(a),
        "questionnaire": canonical(a.instrument, a.version),
        "status": "completed",
        "subject": ref("Patient", patient_id),
        "authored": a.date.isoformat(),
    }
    if a.total is not None:
        resource["extension"] = [{"url": ASSESSMENT_TOTAL, "valueDecimal": a.total}]
    if items:
        resource["item"] = items
    return resource


ANSWER_KEYS = ("valueInteger", "valueDecimal", "valueBoolean", "valueString")


def answer_value(answer: Mapping[str, Any]) -> tuple[bool, ItemValue]:
    """(True, value) of a response answer of a type myotrack stores, else (False, None)."""
    for key in ANSWER_KEYS:
        if key in answer:
            return True, answer[key]
    return False, None
