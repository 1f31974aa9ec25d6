"""The concepts myotrack's OMOP export writes: one shipped table,
`myotrack/data/omop/concept_subset.csv` (the columns of OMOP's CONCEPT table plus `use`,
`source` and `status`).

`use` names the myotrack value a row codes (`analyte:CK`, `measure:cmas`, `drug:tofacitinib`,
`unit:U/L`, …). Rows with status VERIFIED are standard OMOP concepts whose ids interop.md
found verified (§3.3, §3.5, §4.2), each with its source; every other value has a LOCAL
concept of vocabulary `myotrack`, id from 2,000,000,000 up (OHDSI's convention for
site-local concepts). A value with no row at all is written as concept 0 with its
source value (a drug that is not in the catalogue, the diagnosis `other` has its own row).
The export also writes the rows as CONCEPT, VOCABULARY, DOMAIN and CONCEPT_CLASS so the
CDM's foreign keys hold without the Athena vocabularies.
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from importlib.resources import files
from typing import Final, Literal

SUBSET_FILE: Final = "concept_subset.csv"
LOCAL_MIN: Final = 2_000_000_000  # OHDSI: site-local concepts above 2 billion
LOCAL_VOCABULARY: Final = "myotrack"
NO_MATCH: Final = 0
CONCEPT_COLUMNS: Final = (
    "concept_id",
    "concept_name",
    "domain_id",
    "vocabulary_id",
    "concept_class_id",
    "standard_concept",
    "concept_code",
    "valid_start_date",
    "valid_end_date",
    "invalid_reason",
)
Status = Literal["VERIFIED", "LOCAL"]


@dataclass(frozen=True, slots=True)
class Concept:
    concept_id: int
    name: str
    domain: str
    vocabulary: str
    concept_class: str
    standard: str
    code: str
    valid_start: str
    valid_end: str
    use: str
    source: str
    status: Status

    def cdm_row(self) -> tuple[str, ...]:
        """The row of OMOP's CONCEPT table."""
        return (
            str(self.concept_id),
            self.name,
            self.domain,
            self.vocabulary,
            self.concept_class,
            self.standard,
            self.code,
            self.valid_start,
            self.valid_end,
            "",
        )


def parse_subset(text: str) -> tuple[Concept, ...]:
    concepts = []
    for row in csv.DictReader(io.StringIO(text)):
        status = row["status"]
        if status not in ("VERIFIED", "LOCAL"):
            raise ValueError(f"concept {row['concept_id']}: status {status!r}")
        concepts.append(
            Concept(
                concept_id=int(row["concept_id"]),
                name=row["concept_name"],
                domain=row["domain_id"],
                vocabulary=row["vocabulary_id"],
                concept_class=row["concept_class_id"],
                standard=row["standard_concept"],
                code=row["concept_code"],
                valid_start=row["valid_start_date"],
                valid_end=row["valid_end_date"],
                use=row["use"],
                source=row["source"],
                status="VERIFIED" if status == "VERIFIED" else "LOCAL",
            )
        )
    return tuple(concepts)


@functools.cache
def concept_subset() -> tuple[Concept, ...]:
    """Every concept the export writes (the shipped table)."""
    text = (files("myotrack") / "data" / "omop" / SUBSET_FILE).read_text(encoding="utf-8")
    return parse_subset(text)


@functools.cache
def concept_ids() -> dict[str, int]:
    """`use` -> concept id."""
    return {c.use: c.concept_id for c in concept_subset()}


def concept_id(kind: str, code: str) -> int:
    """The concept of a myotrack value (`concept_id("analyte", "CK")`), 0 when none."""
    return concept_ids().get(f"{kind}:{code}", NO_MATCH)


def vocabulary_rows() -> dict[str, list[tuple[str, ...]]]:
    """The CONCEPT, VOCABULARY, DOMAIN and CONCEPT_CLASS rows of the subset (the ids of
    the standard vocabularies', domains' and classes' own concepts are not verified
    here: 0, except myotrack's vocabulary, which has its own local concept)."""
    subset = concept_subset()
    own = concept_ids()["vocabulary:myotrack"]
    vocabularies = dict.fromkeys(c.vocabulary for c in subset)
    domains = dict.fromkeys(c.domain for c in subset)
    classes = dict.fromkeys(c.concept_class for c in subset)
    return {
        "concept": [c.cdm_row() for c in subset],
        "vocabulary": [
            (v, v, "", "", str(own if v == LOCAL_VOCABULARY else NO_MATCH)) for v in vocabularies
        ],
        "domain": [(d, d, str(NO_MATCH)) for d in domains],
        "concept_class": [(c, c, str(NO_MATCH)) for c in classes],
    }
