"""The clinic worklist: a page for clinicians (their site) and admins (all sites) and the same
worklist as JSON under /api/worklist. Both call `worklist_for`, so they cannot disagree.
Access goes through `web.policy` (Access.WORKLIST) and `deps.Requires`; records are loaded
only through `registry.load_cohort`."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from myotrack import registry
from myotrack.therapy.worklist import KIND_WORDS, STATE_WORDS, Worklist, worklist
from myotrack.web.deps import Requires, db
from myotrack.web.errors import Invalid
from myotrack.web.policy import Access, Principal, site_scope
from myotrack.web.schemas import Problem
from myotrack.web.templating import render

router = APIRouter()

WORKLIST = Requires(Access.WORKLIST)
_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "not logged in"},
    403: {"model": Problem, "description": "role does not allow it"},
    422: {"model": Problem, "description": "a date that is not YYYY-MM-DD, or a site not yours"},
}


class WorklistLineOut(BaseModel):
    """One thing to do for one patient, with its rule and source."""

    patient_id: str
    site: str | None
    kind: str
    state: str
    what: str
    due_date: str | None
    days_overdue: int
    rule: str
    source: str
    detail: str
    drug: str | None


class WorklistOut(BaseModel):
    """The clinic worklist on a date, most urgent first, and the settings behind it."""

    date: str
    patients: int
    lines: list[WorklistLineOut]
    assumptions: list[str]


def _day(text: str) -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise Invalid(f"The date {text!r} is not a date; write it as YYYY-MM-DD.") from None


def worklist_for(
    request: Request, principal: Principal, on: date, site: str
) -> tuple[Worklist, list[str]]:
    """The worklist of the patients the user may see (of `site` if given) on `on`, and the
    sites the user may choose from."""
    scope = site_scope(principal)
    with db(request) as session:
        visible = registry.list_patients(session, sites=scope)
        sites = sorted({p.site for p in visible if p.site})
        if site and site not in sites:
            raise Invalid(f"There is no site {site!r} among the sites you can see.")
        wanted = [site] if site else (None if scope is None else sorted(scope))
        cohort = registry.load_cohort(session, sites=wanted)
    return worklist(cohort.records().values(), on), sites


@router.get("/worklist", include_in_schema=False)
def worklist_page(
    request: Request,
    principal: Annotated[Principal, Depends(WORKLIST)],
    on: Annotated[str, Query(alias="date", max_length=10)] = "",
    site: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    day = _day(on)
    result, sites = worklist_for(request, principal, day, site)
    counts: dict[str, int] = {}
    for line in result.lines:
        counts[line.state] = counts.get(line.state, 0) + 1
    return render(
        request,
        "worklist.html",
        {
            "worklist": result,
            "day": day,
            "site": site,
            "sites": sites,
            "show_site": principal.is_admin or len(sites) > 1,
            "counts": counts,
            "state_words": STATE_WORDS,
            "kind_words": KIND_WORDS,
        },
    )


@router.get("/api/worklist", tags=["worklist"], response_model=WorklistOut, responses=_ERRORS)
def worklist_api(
    request: Request,
    principal: Annotated[Principal, Depends(WORKLIST)],
    on: Annotated[
        str, Query(alias="date", max_length=10, description="YYYY-MM-DD (default: today)")
    ] = "",
    site: Annotated[str, Query(max_length=100, description="one site you can see")] = "",
) -> WorklistOut:
    """The clinic worklist on a date: what is due or overdue for every patient you can see,
    most urgent first, each line with its rule and source."""
    result, _ = worklist_for(request, principal, _day(on), site)
    return WorklistOut.model_validate(result.to_dict())
