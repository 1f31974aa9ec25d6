"""The fast patient list agrees with summaries computed from full records."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from myotrack import registry
from myotrack.web.listing import summaries
from myotrack.web.policy import Principal, Role
from myotrack.web.services import summary

TODAY = date(2026, 1, 15)


@pytest.mark.parametrize(
    "principal",
    [
        Principal("a", Role.ADMIN, None),
        Principal("c", Role.CLINICIAN, "Demo Centre B"),
        Principal("r", Role.RESEARCHER, None),
    ],
)
def test_listing_matches_full_records(db_url: str, principal: Principal) -> None:
    engine: Engine = registry.connect(db_url)
    with registry.transaction(engine) as session:
        fast = summaries(session, principal, TODAY)
        cohort = registry.load_cohort(session)
    engine.dispose()
    reference = sorted(
        (
            summary(rec, principal, TODAY)
            for rec in cohort.records().values()
            if principal.role is not Role.CLINICIAN or rec.patient.site == principal.site
        ),
        key=lambda s: s.patient_id,
    )
    assert sorted(fast, key=lambda s: s.patient_id) == reference
    assert len(reference) >= 5
