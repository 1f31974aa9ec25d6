"""The case-series report of the cohort a user may see."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from sqlalchemy.orm import Session

from myotrack import registry
from myotrack.domain import Cohort
from myotrack.web.policy import Principal, site_scope

MEDIA_TYPES = {
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
}


def visible_cohort(session: Session, principal: Principal) -> Cohort:
    scope = site_scope(principal)
    cohort: Cohort = registry.load_cohort(
        session, sites=sorted(scope) if scope is not None else None
    )
    return cohort


def render(cohort: Cohort, fmt: Literal["json", "html", "pdf", "md"]) -> bytes:
    from myotrack.report import render_report

    data: bytes = render_report(cohort, fmt=fmt, generated_at=datetime.now(UTC))
    return data
