"""FastAPI dependencies: the registry session and the access check every route declares.

`Requires(access)` is the only gate: it finds the logged-in user (from the session
cookie alone: an anonymous request to a non-public route is refused before any of its
body is read), asks `myotrack.web.policy` whether their role grants `access`, checks the
CSRF token on every state-changing request, and, for any route with a `{patient_id}` in
its path, checks that the patient exists AND is of a site the user may see (else 404).
`create_app` refuses to start if a route has no `Requires`, so a new route cannot forget
it.

`db(request)` opens the route's transaction: a write transaction (the write lock taken
at its start, waiting for other writers) for POST/PUT/PATCH/DELETE, a read transaction
otherwise.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Final

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.routing import BaseRoute

from myotrack import registry
from myotrack.web import research, sessions
from myotrack.web.config import WebSettings
from myotrack.web.errors import Forbidden, LoginRequired, NotFound
from myotrack.web.policy import Access, Principal, Role, allows, may_see

_UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def engine_of(request: Request) -> Engine:
    engine: Engine = request.app.state.engine
    return engine


def settings_of(request: Request) -> WebSettings:
    settings: WebSettings = request.app.state.settings
    return settings


@contextmanager
def db(request: Request) -> Iterator[Session]:
    """One registry transaction (commit on success, rollback on error); a write
    transaction for a state-changing request."""
    write = request.method in _UNSAFE_METHODS
    with registry.transaction(engine_of(request), write=write) as session:
        yield session


@contextmanager
def _read(request: Request) -> Iterator[Session]:
    with registry.transaction(engine_of(request)) as session:
        yield session


def _principal(request: Request, username: str) -> Principal | None:
    with _read(request) as session:
        account = registry.get_user(session, username)
        if account is None or not account.active:
            return None
        return Principal(username=account.username, role=Role(account.role), site=account.site)


def _patient_site(request: Request, path_id: str, principal: Principal) -> tuple[bool, str | None]:
    """Whether the (active) patient exists, and their site. One indexed lookup: this runs
    on every patient route, so it reads the one column it needs instead of loading the
    whole record through `registry.load_record` as the route itself then does. The path
    id is resolved first (a researcher's is a research pseudonym, `web.research`)."""
    with _read(request) as session:
        patient_id = research.registry_patient_id(session, principal, path_id)
        if patient_id is None:
            return False, None
        request.state.patient_id = patient_id
        return registry.patient_site(session, patient_id)


# Limits of every form the app reads. The CSRF check parses a form first and Starlette keeps
# that parse for the route, so these are the limits that hold: one file per form (the
# cohort and image uploads take one), a visit form's many item fields, and 64 KB for a
# field that is not a file (the longest free text a form takes).
FORM_MAX_FILES: Final = 1
FORM_MAX_FIELDS: Final = 1000
FORM_MAX_PART_BYTES: Final = 64 * 1024


async def _csrf_ok(request: Request) -> bool:
    supplied = request.headers.get(sessions.CSRF_HEADER)
    if supplied is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form(
                max_files=FORM_MAX_FILES,
                max_fields=FORM_MAX_FIELDS,
                max_part_size=FORM_MAX_PART_BYTES,
            )
            value = form.get(sessions.CSRF_FIELD)
            supplied = value if isinstance(value, str) else None
    return sessions.csrf_matches(request, supplied)


def _identify(request: Request) -> Principal | None:
    """The logged-in, active user of this request's session cookie, or None."""
    username = sessions.current_username(request, settings_of(request))
    if username is None:
        return None
    principal = _principal(request, username)
    if principal is None:
        sessions.end(request)
    return principal


async def form_closed(request: Request) -> AsyncIterator[None]:
    """App-wide dependency: a form the request read (the CSRF check, a page, an upload whose
    files are spooled to temporary files) is closed when the request is done, rather than
    left to the garbage collector."""
    try:
        yield
    finally:
        await request.close()


class Requires:
    """Dependency: the caller must have `access`. Returns the Principal (None if PUBLIC and
    not logged in)."""

    def __init__(self, access: Access, *, csrf: bool = True, identify: bool = True) -> None:
        self.access = access
        self.csrf = csrf
        # PUBLIC routes that never use the user (e.g. /health) skip looking them up.
        self.identify = identify or access is not Access.PUBLIC

    def __repr__(self) -> str:
        return f"Requires({self.access.value!r})"

    async def __call__(self, request: Request) -> Principal | None:
        principal = await run_in_threadpool(_identify, request) if self.identify else None
        request.state.principal = principal
        if principal is None and self.access is not Access.PUBLIC:
            raise LoginRequired("Please log in to continue.")  # before reading any body
        if (
            principal is not None
            and self.access is not Access.PUBLIC
            and not allows(principal, self.access)
        ):
            raise Forbidden(f"Your role ({principal.role.value}) does not allow this.")
        if self.csrf and request.method in _UNSAFE_METHODS and not await _csrf_ok(request):
            raise Forbidden(
                "The form was out of date or did not come from this site (missing security "
                "token). Reload the page and try again."
            )
        if self.access is Access.PUBLIC or principal is None:
            return principal
        patient_id = request.path_params.get("patient_id")
        if patient_id is not None:
            exists, site = await run_in_threadpool(
                _patient_site, request, str(patient_id), principal
            )
            if not exists or not may_see(principal, site):
                raise NotFound(f"There is no patient {patient_id!r} that you can see.")
        return principal


def route_access(route: APIRoute) -> list[Access]:
    """The Access levels a route declares (should be exactly one)."""
    found: list[Access] = []

    def walk(dependant: Dependant) -> None:
        call: Any = dependant.call
        if isinstance(call, Requires):
            found.append(call.access)
        for sub in dependant.dependencies:
            walk(sub)

    walk(route.dependant)
    return found


@dataclass(frozen=True, slots=True)
class RouteInfo:
    path: str
    methods: frozenset[str]
    route: BaseRoute


def walk_routes(routes: Sequence[BaseRoute]) -> list[RouteInfo]:
    """Every route of the app with its full path, through included routers (FastAPI ≥ 0.16x
    keeps included routers nested; older versions flatten them into `app.routes`)."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI: routes are flat
        return [
            RouteInfo(str(getattr(r, "path", "")), frozenset(getattr(r, "methods", None) or ()), r)
            for r in routes
        ]
    out = []
    for ctx in iter_route_contexts(routes):
        original = ctx.original_route
        out.append(
            RouteInfo(
                str(ctx.path or getattr(original, "path", "")),
                frozenset(ctx.methods or ()),
                original,
            )
        )
    return out
