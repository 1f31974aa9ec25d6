"""Data exchange: the cohort in other formats (issue 12; docs/exchange.md).

    from myotrack.exchange import FORMATS, format_named, detect_format
    from myotrack.cohort.deidentify import Tier, apply_tier
    fhir = format_named("fhir")
    for name, text in fhir.export(apply_tier(cohort, Tier.SAFE_HARBOR, key=key), "ndjson"):
        ...  # the edge appends `text` to the file `name`
    cohort, issues = fhir.read(texts, today=date.today())

Modules: `formats` (the table of formats the CLI and the web read), `edge` (reading a
source and writing an export at a tier: the file edge the CLI and the web share), `fhir`
(HL7 FHIR R4), `redcap`, `omop`.
Each format is a pure conversion between `domain.Cohort` and its files' texts; the edges
do the I/O and apply the de-identification tier (`cohort.deidentify`).
"""

from myotrack.exchange.edge import export_cohort, read_source, write_export
from myotrack.exchange.formats import (
    EXPORT_FORMATS,
    FOLDER_FILES,
    FORMATS,
    IMPORT_FORMATS,
    ExchangeFormat,
    detect_format,
    format_named,
)

__all__ = [
    "EXPORT_FORMATS",
    "FOLDER_FILES",
    "FORMATS",
    "IMPORT_FORMATS",
    "ExchangeFormat",
    "detect_format",
    "export_cohort",
    "format_named",
    "read_source",
    "write_export",
]
