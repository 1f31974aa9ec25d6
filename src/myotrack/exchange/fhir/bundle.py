"""Laying the resources out as files, and reading files back into resources. Pure: the
export yields (file name, text) pieces that the edge (CLI, web) appends to its files, so a
cohort of any size is written without holding it as one text; the import takes the files'
texts.

Layouts (`Layout`):
* `bundle` — one `collection` Bundle, `cohort.fhir.json`, `urn:uuid:` fullUrls and
  references; the cut-off in `Bundle.meta` (extension `cohort-cutoff`).
* `transaction` — one `transaction` Bundle, `cohort.transaction.json`, each entry a
  `PUT <Type>/<id>` (ids are stable, so posting it again updates the same resources);
  atomic on the server, like the folder's all-or-nothing import.
* `ndjson` — one `<Type>.ndjson` file per resource type (as FHIR Bulk Data writes them),
  relative references, and `manifest.json` listing the files (with the cut-off).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from myotrack.domain import Cohort
from myotrack.exchange.fhir.codes import COHORT_CUTOFF
from myotrack.exchange.fhir.layout import (
    BUNDLE_FILE,
    MANIFEST_FILE,
    NDJSON_SUFFIX,
    TRANSACTION_FILE,
    Layout,
)
from myotrack.exchange.fhir.lines import cohort_lines, encode


def export_files(cohort: Cohort, layout: Layout) -> Iterator[tuple[str, str]]:
    """(file name, text) pieces of the export; pieces of one file come in order."""
    if layout == "ndjson":
        yield from _ndjson(cohort)
    else:
        yield from _bundle(cohort, transaction=layout == "transaction")


def _cutoff_extension(cutoff: date | None) -> list[dict[str, str]]:
    return [] if cutoff is None else [{"url": COHORT_CUTOFF, "valueDate": cutoff.isoformat()}]


def _bundle(cohort: Cohort, *, transaction: bool) -> Iterator[tuple[str, str]]:
    name = TRANSACTION_FILE if transaction else BUNDLE_FILE
    head: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "transaction" if transaction else "collection",
    }
    extension = _cutoff_extension(cohort.cutoff_date)
    if extension:
        head["meta"] = {"extension": extension}
    yield name, encode(head)[:-1] + ',"entry":[\n'
    separator = ""
    for rtype, rid, text in cohort_lines(cohort, references="urn"):
        request = f',"request":{{"method":"PUT","url":"{rtype}/{rid}"}}' if transaction else ""
        yield name, f'{separator}{{"fullUrl":"urn:uuid:{rid}","resource":{text}{request}}}'
        separator = ",\n"
    yield name, "\n]}\n"


def _ndjson(cohort: Cohort) -> Iterator[tuple[str, str]]:
    counts: dict[str, int] = {}
    for rtype, _rid, text in cohort_lines(cohort, references="relative"):
        counts[rtype] = counts.get(rtype, 0) + 1
        yield rtype + NDJSON_SUFFIX, text + "\n"
    manifest: dict[str, Any] = {
        "output": [
            {"type": rtype, "url": rtype + NDJSON_SUFFIX, "count": n} for rtype, n in counts.items()
        ],
        "error": [],
    }
    if cohort.cutoff_date is not None:
        manifest["extension"] = {COHORT_CUTOFF: cohort.cutoff_date.isoformat()}
    yield MANIFEST_FILE, json.dumps(manifest, indent=1) + "\n"


# ---------------------------------------------------------------- reading


@dataclass(frozen=True, slots=True)
class Place:
    """Where a resource came from: the file and its line (NDJSON) or entry number
    (Bundle, counted from 1)."""

    file: str
    line: int


@dataclass(frozen=True, slots=True)
class FileProblem:
    place: Place
    rule: str
    message: str


@dataclass(slots=True)
class ReadFiles:
    resources: list[tuple[Place, dict[str, Any]]]
    cutoff: date | None
    problems: list[FileProblem]


def read_files(texts: Mapping[str, str]) -> ReadFiles:
    """The resources of FHIR files (Bundles, single resources, NDJSON, a manifest)."""
    out = ReadFiles([], None, [])
    for name in sorted(texts, key=_file_order):
        text = texts[name]
        if name.endswith(NDJSON_SUFFIX):
            for number, line in enumerate(text.splitlines(), start=1):
                if line.strip():
                    _take(out, Place(name, number), line)
        elif name.endswith(".json"):
            _read_json(out, name, text)
    return out


def _file_order(name: str) -> tuple[int, str]:
    """Patients first, so NDJSON problems read in the order of the cohort tables."""
    order = ("Organization", "Patient", "Condition", "Encounter", "Observation")
    stem = name.rsplit(".", 1)[0]
    return (order.index(stem) if stem in order else len(order), name)


def _take(out: ReadFiles, place: Place, text: str) -> None:
    try:
        resource = json.loads(text)
    except json.JSONDecodeError as exc:
        out.problems.append(FileProblem(place, "fhir_json", f"not JSON: {exc.msg}"))
        return
    if not isinstance(resource, dict) or "resourceType" not in resource:
        out.problems.append(
            FileProblem(place, "fhir_json", "not a FHIR resource (no resourceType)")
        )
        return
    out.resources.append((place, resource))


def _read_json(out: ReadFiles, name: str, text: str) -> None:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        out.problems.append(
            FileProblem(Place(name, exc.lineno), "fhir_json", f"not JSON: {exc.msg}")
        )
        return
    if not isinstance(data, dict):
        out.problems.append(FileProblem(Place(name, 1), "fhir_json", "not a FHIR resource"))
        return
    if name == MANIFEST_FILE and "resourceType" not in data:
        extension = data.get("extension")
        value = extension.get(COHORT_CUTOFF) if isinstance(extension, dict) else None
        out.cutoff = _cutoff(out, Place(name, 1), value)
        return
    if data.get("resourceType") != "Bundle":
        if "resourceType" not in data:
            out.problems.append(
                FileProblem(Place(name, 1), "fhir_json", "not a FHIR resource (no resourceType)")
            )
        else:
            out.resources.append((Place(name, 1), data))
        return
    meta = data.get("meta")
    extensions = meta.get("extension") if isinstance(meta, dict) else None
    for extension in extensions if isinstance(extensions, list) else ():
        if isinstance(extension, dict) and extension.get("url") == COHORT_CUTOFF:
            out.cutoff = _cutoff(out, Place(name, 1), extension.get("valueDate"))
    entries = data.get("entry") or []
    if not isinstance(entries, list):
        out.problems.append(FileProblem(Place(name, 1), "fhir_json", "Bundle.entry is not a list"))
        return
    for number, entry in enumerate(entries, start=1):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict) or "resourceType" not in resource:
            out.problems.append(
                FileProblem(Place(name, number), "fhir_json", "this Bundle entry has no resource")
            )
            continue
        out.resources.append((Place(name, number), resource))


def _cutoff(out: ReadFiles, place: Place, value: Any) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        out.problems.append(
            FileProblem(place, "date", f"the cut-off '{value}' is not a date; use YYYY-MM-DD")
        )
        return None
