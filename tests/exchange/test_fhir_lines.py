"""The fast text of the export is the writer's resources exactly: every line parses to the
dict `writer.cohort_resources` builds, in both reference styles."""

from __future__ import annotations

import json

import pytest

from myotrack.cohort.deidentify import Tier, apply_tier
from myotrack.domain import Cohort
from myotrack.exchange.fhir.ids import References
from myotrack.exchange.fhir.lines import cohort_lines
from myotrack.exchange.fhir.writer import cohort_resources


@pytest.mark.parametrize("references", ["urn", "relative"])
def test_lines_are_the_writers_resources(
    demo_cohort: Cohort, catalogue_cohort: Cohort, references: References
) -> None:
    for cohort in (
        demo_cohort,
        catalogue_cohort,
        apply_tier(demo_cohort, Tier.SAFE_HARBOR, key=b"k"),
    ):
        resources = list(cohort_resources(cohort, references=references))
        lines = list(cohort_lines(cohort, references=references))
        assert len(lines) == len(resources)
        for (rtype, rid, text), resource in zip(lines, resources, strict=True):
            assert json.loads(text) == resource
            assert (rtype, rid) == (resource["resourceType"], resource["id"])
