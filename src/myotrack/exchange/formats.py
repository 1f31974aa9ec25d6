"""The table of exchange formats: what the CLI (`myotrack export/import --format`) and the
web app offer. Adding a format is adding a row (`FORMATS`): its name and words, its export
layouts, and two pure functions — export (Cohort -> (file name, text) pieces) and import
(file texts -> Cohort or located problems) — plus how to recognise its files. Files are
read and written only by the edges (`myotrack.cli.exchange_commands`, the web).

De-identification is not a format's business: the edge applies the tier with
`cohort.deidentify.apply_tier` (the one implementation) before calling `export`.

The cohort folder (`folder`) is the hub and has no pure functions here: the edges read
and write it with `cohort.read_folder`/`cohort.write_folder`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Final

from myotrack.cohort import columns as cols
from myotrack.domain import Cohort, ValidationIssue
from myotrack.exchange.fhir import layout as fhir
from myotrack.exchange.omop import layout as omop
from myotrack.exchange.redcap import layout as redcap

Texts = Mapping[str, str]  # file name (relative) -> its text
Pieces = Iterator[tuple[str, str]]  # (file name, text to append), pieces of a file in order
Outcome = tuple[Cohort | None, list[ValidationIssue]]


@dataclass(frozen=True, slots=True)
class ExchangeFormat:
    name: str
    label: str
    description: str
    layouts: tuple[str, ...]  # ways to lay an export out; the first is the default
    # Cohort (already in its tier), layout -> the files' pieces; None: the cohort folder.
    export: Callable[[Cohort, str], Pieces] | None
    # The import; None: the cohort folder (read by cohort.read_folder).
    read: Callable[..., Outcome] | None
    # Whether a source is this format: the file names in it, the start of each text file.
    recognises: Callable[[tuple[str, ...], Texts], bool]
    # Which files of a source folder the edge hands to `read`.
    suffixes: tuple[str, ...]
    # What the format cannot carry (docs/exchange.md explains each).
    lossy: tuple[str, ...] = ()


def _folder_recognised(names: tuple[str, ...], _sample: Texts) -> bool:
    return "patients.csv" in names


def _fhir_export(cohort: Cohort, layout: str) -> Pieces:
    from myotrack.exchange.fhir.bundle import export_files

    if layout not in fhir.LAYOUTS:
        raise ValueError(f"unknown FHIR layout {layout!r}; use one of {', '.join(fhir.LAYOUTS)}")
    return export_files(cohort, layout)


def _fhir_read(
    texts: Texts,
    *,
    today: date,
    accept_implausible: bool = False,
    warnings: list[ValidationIssue] | None = None,
) -> Outcome:
    from myotrack.exchange.fhir.reader import read_fhir

    return read_fhir(texts, today=today, accept_implausible=accept_implausible, warnings=warnings)


FOLDER: Final = ExchangeFormat(
    name="folder",
    label="myotrack cohort folder",
    description="patients.csv, visits.csv, labs.csv, treatments.csv, events.csv "
    "(docs/cohort-format.md); item-level assessments are not part of it",
    layouts=("folder",),
    export=None,
    read=None,
    recognises=_folder_recognised,
    suffixes=(".csv", ".toml"),
    lossy=("item-level assessments (the folder carries the visit totals only)",),
)

FHIR: Final = ExchangeFormat(
    name="fhir",
    label="HL7 FHIR R4 (4.0.1)",
    description="a collection Bundle (cohort.fhir.json), NDJSON files, one per resource "
    "type (with manifest.json), or a transaction Bundle to post to a FHIR server",
    layouts=fhir.LAYOUTS,
    export=_fhir_export,
    read=_fhir_read,
    recognises=fhir.looks_like_fhir,
    suffixes=(".json", ".ndjson"),
    lossy=(
        "no standard code where none is verified: local myotrack codes (docs/exchange.md)",
        "the CTCAE grade and x_ columns travel in myotrack extensions",
    ),
)


def _redcap_export(cohort: Cohort, layout: str) -> Pieces:
    from myotrack.exchange.redcap.files import export_files

    return export_files(cohort, layout)


def _redcap_read(
    texts: Texts,
    *,
    today: date,
    accept_implausible: bool = False,
    warnings: list[ValidationIssue] | None = None,
) -> Outcome:
    from myotrack.exchange.redcap.files import read_files

    return read_files(texts, today=today, accept_implausible=accept_implausible, warnings=warnings)


REDCAP: Final = ExchangeFormat(
    name="redcap",
    label="REDCap (data dictionary + flat records CSV)",
    description="redcap_dictionary.csv (creates the project's forms), "
    "redcap_repeating_instruments.csv, redcap_records.csv (raw codes, repeating "
    "instruments); imports the records file of that project",
    layouts=redcap.LAYOUTS,
    export=_redcap_export,
    read=_redcap_read,
    recognises=redcap.looks_like_redcap,
    suffixes=(".csv", ".toml"),
    lossy=(
        "multi-choice values come back in the vocabulary's order (checkboxes are a set)",
        "the cut-off travels in cohort.toml beside the REDCap files",
        "records of cohort format version 2 (Cohort.v2_rows) are not carried yet",
    ),
)


def _omop_export(cohort: Cohort, layout: str) -> Pieces:
    from myotrack.exchange.omop.export import export_files

    return export_files(cohort, layout)


OMOP: Final = ExchangeFormat(
    name="omop",
    label="OMOP CDM 5.4 (one CSV per table)",
    description="PERSON.csv, OBSERVATION_PERIOD.csv, VISIT_OCCURRENCE.csv, "
    "CONDITION_OCCURRENCE.csv, DRUG_EXPOSURE.csv, MEASUREMENT.csv, OBSERVATION.csv, "
    "DEATH.csv, CDM_SOURCE.csv, … with the concept subset used (export only; "
    "`myotrack omop check` runs the CDM's field checks)",
    layouts=omop.LAYOUTS,
    export=_omop_export,
    read=None,
    recognises=omop.looks_like_omop,
    suffixes=(".csv",),
    lossy=(
        "doses per kg/m2, frequencies and routes only in drug_exposure.sig",
        "running courses end on the cut-off (verbatim_end_date empty)",
        "item-level assessments and x_ columns are not exported",
        "scores and unverified codes as local concepts (ids from 2,000,000,000)",
        "records of cohort format version 2 (Cohort.v2_rows) are not exported yet",
    ),
)

FORMATS: Final[dict[str, ExchangeFormat]] = {f.name: f for f in (FOLDER, FHIR, REDCAP, OMOP)}
FORMAT_NAMES: Final = tuple(FORMATS)
EXPORT_FORMATS: Final = tuple(FORMATS)
IMPORT_FORMATS: Final = tuple(name for name, f in FORMATS.items() if f is FOLDER or f.read)


def format_named(name: str) -> ExchangeFormat:
    """The format called `name` (KeyError with the names when there is none)."""
    try:
        return FORMATS[name]
    except KeyError:
        raise KeyError(f"unknown format {name!r}; use one of {', '.join(FORMATS)}") from None


def detect_format(names: tuple[str, ...], sample: Texts) -> ExchangeFormat | None:
    """The first format that recognises a source (file names, start of each text file)."""
    for f in FORMATS.values():
        if f.recognises(names, sample):
            return f
    return None


# Files an export of the cohort folder may find in its target (and overwrite).
FOLDER_FILES: Final = (*cols.FILES, cols.SETTINGS_FILE)

__all__ = [
    "EXPORT_FORMATS",
    "FHIR",
    "FOLDER",
    "FOLDER_FILES",
    "FORMATS",
    "FORMAT_NAMES",
    "IMPORT_FORMATS",
    "OMOP",
    "REDCAP",
    "ExchangeFormat",
    "Outcome",
    "Pieces",
    "Texts",
    "detect_format",
    "format_named",
]
