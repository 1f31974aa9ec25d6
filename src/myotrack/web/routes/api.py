"""The JSON API under /api/: everything the pages do, with the same access rules. One module
per resource (`patients_api`, `visits_api`, `labs_api`, `courses_api`, `events_api`,
`instruments_api`, `cohort_api`, `audit_api`, their shared parts in `api_shared`); this
router gathers them in the order the API documents them. The whole record (`records_api`)
and corrections (`corrections_api`) are routers of their own, included by the app."""

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
