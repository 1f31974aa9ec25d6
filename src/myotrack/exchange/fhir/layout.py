"""The layouts of a FHIR export and how FHIR files are recognised (light: the CLI reads
this at start-up; the conversion itself is in `bundle`, `writer` and `reader`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal

Layout = Literal["bundle", "transaction", "ndjson"]
LAYOUTS: Final[tuple[Layout, ...]] = ("bundle", "ndjson", "transaction")
BUNDLE_FILE: Final = "cohort.fhir.json"
TRANSACTION_FILE: Final = "cohort.transaction.json"
MANIFEST_FILE: Final = "manifest.json"
NDJSON_SUFFIX: Final = ".ndjson"


def file_names(layout: Layout) -> tuple[str, ...]:
    """The fixed file names a layout writes (NDJSON adds one file per resource type)."""
    if layout == "bundle":
        return (BUNDLE_FILE,)
    if layout == "transaction":
        return (TRANSACTION_FILE,)
    return (MANIFEST_FILE,)


def looks_like_fhir(names: tuple[str, ...], sample: Mapping[str, str]) -> bool:
    """Whether files are a FHIR export: NDJSON files, or a JSON file that is a Bundle or
    resource (`sample`: the start of each JSON file)."""
    if any(n.endswith(NDJSON_SUFFIX) for n in names):
        return True
    return any('"resourceType"' in text for n, text in sample.items() if n.endswith(".json"))
