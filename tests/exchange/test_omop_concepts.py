"""The shipped concept subset: every concept id the OMOP export writes is a row of it,
standard ids only where interop.md marks them VERIFIED (each with its source), everything
else a local concept of vocabulary myotrack from 2,000,000,000 up."""

from __future__ import annotations

import csv
import io

import pytest

from myotrack.cohort.deidentify import Tier, apply_tier
from myotrack.domain import Cohort, vocab
from myotrack.domain.drugs import CATALOGUED_DRUGS
from myotrack.exchange.omop import concept_id, concept_subset, export_texts
from myotrack.exchange.omop.cdm import cdm_tables
from myotrack.exchange.omop.concepts import LOCAL_MIN, LOCAL_VOCABULARY


def test_rows_are_unique_and_marked() -> None:
    subset = concept_subset()
    assert len({c.concept_id for c in subset}) == len(subset)
    assert len({c.use for c in subset}) == len(subset)
    for c in subset:
        if c.status == "LOCAL":
            assert c.concept_id >= LOCAL_MIN and c.vocabulary == LOCAL_VOCABULARY
            assert c.standard == ""
        else:
            assert c.concept_id < LOCAL_MIN
            assert "interop.md" in c.source or c.concept_id == 0
        assert c.source


@pytest.mark.parametrize(
    ("kind", "code", "expected"),
    [
        # interop.md §4.2 and §3.3/§3.5, VERIFIED there
        ("gender", "F", 8532),
        ("gender", "M", 8507),
        ("diagnosis", "JDM", 4005037),
        ("analyte", "CK", 3007220),
        ("analyte", "hemoglobin", 3000963),
        ("result", "negative", 9189),
        ("drug", "tofacitinib", 42904205),
        ("drug", "ivig", 19117912),
        ("subtype", "hypomyopathic", 606434),
    ],
)
def test_verified_ids_are_the_researched_ones(kind: str, code: str, expected: int) -> None:
    assert concept_id(kind, code) == expected


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("analyte", "LDH"),  # OMOP id SECONDARY
        ("analyte", "CRP"),  # OMOP id UNVERIFIED
        ("drug", "ruxolitinib"),  # SECONDARY
        ("drug", "mycophenolate"),  # ambiguous ingredient
        ("measure", "cmas"),  # scores have no standard concept
        ("feature", "ILD"),
    ],
)
def test_unverified_values_are_local(kind: str, code: str) -> None:
    assert concept_id(kind, code) >= LOCAL_MIN


def test_every_vocabulary_value_has_a_concept() -> None:
    uses = {c.use for c in concept_subset()}
    wanted = (
        [f"analyte:{a}" for a in vocab.ANALYTES]
        + [f"measure:{m}" for m in vocab.MEASURES]
        + [f"antibody:{a}" for a in vocab.ANTIBODIES]
        + [f"feature:{f}" for f in vocab.FEATURES]
        + [f"event:{e}" for e in vocab.EVENTS]
        + [f"route:{r}" for r in vocab.ROUTES]
        + [f"drug:{d}" for d in CATALOGUED_DRUGS]
        + [f"result:{r}" for r in vocab.QUALITATIVE_RESULTS]
        + [f"diagnosis:{d}" for d in vocab.DIAGNOSES]
    )
    assert [w for w in wanted if w not in uses] == []


def _emitted(texts: dict[str, str]) -> set[int]:
    ids: set[int] = set()
    for name, text in texts.items():
        table = name.removesuffix(".csv").lower()
        if table in ("concept", "vocabulary", "domain", "concept_class"):
            continue
        columns = [f.name for f in cdm_tables()[table] if f.fk_table == "concept"]
        for row in csv.DictReader(io.StringIO(text)):
            ids.update(int(row[c]) for c in columns if row[c])
    return ids


@pytest.mark.parametrize("tier", [Tier.IDENTIFIED, Tier.SAFE_HARBOR])
def test_every_emitted_concept_is_a_verified_or_local_row(
    demo_cohort: Cohort, catalogue_cohort: Cohort, tier: Tier
) -> None:
    status = {c.concept_id: c.status for c in concept_subset()}
    for cohort in (demo_cohort, catalogue_cohort):
        emitted = _emitted(export_texts(apply_tier(cohort, tier, key=b"k")))
        assert emitted <= set(status), emitted - set(status)
        for cid in emitted:
            assert (status[cid] == "VERIFIED") == (cid < LOCAL_MIN)
