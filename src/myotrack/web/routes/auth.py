"""Health check, log in and log out (form and JSON)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from myotrack import registry
from myotrack.web import login, sessions
from myotrack.web.deps import Requires, engine_of
from myotrack.web.errors import Invalid, LoginRequired
from myotrack.web.policy import Access, Principal
from myotrack.web.schemas import Health, LoginRequest, Problem, SessionInfo
from myotrack.web.templating import render

router = APIRouter()

PUBLIC = Requires(Access.PUBLIC)
PUBLIC_NO_CSRF = Requires(Access.PUBLIC, csrf=False)
ANONYMOUS = Requires(Access.PUBLIC, identify=False)
USER = Requires(Access.USER)


def _safe_next(target: str | None) -> str:
    """Only same-site paths (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/patients"
    return target


@router.get("/health", response_model=Health, tags=["system"])
def health(request: Request, _: Annotated[Principal | None, Depends(ANONYMOUS)]) -> Health:
    """Unauthenticated: the server is up (and whether the database answers)."""
    answers = registry.database_answers(engine_of(request))
    database: Literal["ok", "unavailable"] = "ok" if answers else "unavailable"
    return Health(status="ok", database=database)


@router.get("/", include_in_schema=False)
def home(_: Annotated[Principal, Depends(USER)]) -> Response:
    return RedirectResponse("/patients", status_code=303)


@router.get("/login", include_in_schema=False)
def login_page(
    request: Request,
    principal: Annotated[Principal | None, Depends(PUBLIC)],
    next: str | None = None,
) -> Response:
    if principal is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return render(request, "login.html", {"next": _safe_next(next), "error": None})


@router.post("/login", include_in_schema=False)
async def login_submit(
    request: Request,
    _: Annotated[Principal | None, Depends(PUBLIC)],
    username: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/patients",
) -> Response:
    who = await run_in_threadpool(login.attempt, request, username.strip(), password)
    if who is None:
        return render(
            request,
            "login.html",
            {
                "next": _safe_next(next),
                "error": "Wrong user name or password.",
                "username": username,
            },
            status_code=401,
        )
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", include_in_schema=False)
def logout(request: Request, _: Annotated[Principal, Depends(USER)]) -> Response:
    sessions.end(request)
    return RedirectResponse("/login", status_code=303)


@router.get(
    "/api/session",
    response_model=SessionInfo,
    tags=["session"],
    responses={401: {"model": Problem}},
)
def session_info(request: Request, principal: Annotated[Principal, Depends(USER)]) -> SessionInfo:
    """Who is logged in, and the CSRF token to send as X-CSRF-Token."""
    return SessionInfo(
        username=principal.username,
        role=principal.role.value,
        site=principal.site,
        csrf_token=sessions.csrf_token(request),
    )


@router.post(
    "/api/session",
    response_model=SessionInfo,
    tags=["session"],
    responses={
        400: {"model": Problem},
        401: {"model": Problem},
        422: {"model": Problem},
        429: {"model": Problem},
    },
)
async def session_login(
    request: Request,
    credentials: LoginRequest,
    _: Annotated[Principal | None, Depends(PUBLIC_NO_CSRF)],
) -> SessionInfo:
    """Log in with JSON {username, password}; sets the session cookie. (No CSRF token is
    needed here: a cross-site page cannot send a JSON body without CORS, which is off.)"""
    if not request.headers.get("content-type", "").startswith("application/json"):
        raise Invalid("Send the credentials as application/json.")
    who = await run_in_threadpool(
        login.attempt, request, credentials.username.strip(), credentials.password
    )
    if who is None:
        raise LoginRequired("Wrong user name or password.")
    return SessionInfo(
        username=who.username,
        role=who.role.value,
        site=who.site,
        csrf_token=sessions.csrf_token(request),
    )
