"""The JSON API under /api/: everything the pages do, with the same access rules. One module
per resource (`patients_api`, `visits_api`, `labs_api`, `courses_api`, `events_api`,
`instruments_api`, `cohort_api`, `audit_api`; `records_api` for the whole record); this
router gathers them in the order the API documents them."""

from __future__ import annotations

from fastapi import APIRouter

from myotrack.web.routes import (
    audit_api,
    cohort_api,
    courses_api,
    events_api,
    instruments_api,
    labs_api,
    patients_api,
    visits_api,
)

router = APIRouter()
for _module in (
    patients_api,
    visits_api,
    labs_api,
    courses_api,
    events_api,
    instruments_api,
    cohort_api,
    audit_api,
):
    router.include_router(_module.router)
