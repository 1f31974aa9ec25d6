"""The app factory: `create_app(database_url, secret_key=..., https=...)`."""

from __future__ import annotations

import dataclasses
import logging
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.routing import compile_path
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from myotrack import registry
from myotrack.registry import RegistryError
from myotrack.web import sessions
from myotrack.web.body_limit import BodyLimit
from myotrack.web.config import WebSettings
from myotrack.web.deps import Requires, form_closed, route_access, walk_routes
from myotrack.web.errors import (
    LoginRequired,
    TooManyAttempts,
    Unavailable,
    WebError,
    registry_answer,
)
from myotrack.web.policy import Access, Principal
from myotrack.web.routes import (
    admin,
    api,
    auth,
    cohort_pages,
    corrections_api,
    exchange,
    images,
    patient_pages,
    records_api,
    worklist,
)
from myotrack.web.templating import render

log = logging.getLogger(__name__)

STATIC_DIR = Path(str(files("myotrack.web") / "static"))

# Content-Security-Policy: scripts only from this server (no inline scripts), so that an
# injected value can never run. Plotly injects styles, hence 'unsafe-inline' for styles.
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


class SecurityHeaders:
    """Adds security headers to every response and `no-store` to everything but static
    files (pages and API answers hold patient data)."""

    def __init__(self, app: ASGIApp, *, https: bool) -> None:
        self.app = app
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        cacheable = path.startswith(("/static/", "/vendor/"))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                extra = {
                    b"x-content-type-options": b"nosniff",
                    b"x-frame-options": b"DENY",
                    b"referrer-policy": b"same-origin",
                    b"content-security-policy": _CSP.encode(),
                }
                if not cacheable:
                    extra[b"cache-control"] = b"no-store"
                if self.https:
                    extra[b"strict-transport-security"] = b"max-age=31536000"
                present = {k.lower() for k, _ in headers}
                headers += [(k, v) for k, v in extra.items() if k not in present]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path in ("/health", "/openapi.json")


def _error_response(
    request: Request,
    status: int,
    title: str,
    message: str,
    headers: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    rules: dict[str, str] | None = None,
) -> Response:
    if _wants_json(request):
        body: dict[str, Any] = {"detail": message}
        if errors:
            rule = rules or {}  # the rule each field broke (FormErrors.rules), named as on import
            body["errors"] = [
                {"field": k, "message": v, "rule": rule.get(k)} for k, v in errors.items()
            ]
        return JSONResponse(body, status_code=status, headers=headers)
    return render(
        request,
        "error.html",
        {"title": title, "message": message},
        status_code=status,
        headers=headers,
    )


def _install_error_handlers(app: FastAPI) -> None:
    async def web_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, WebError)
        if isinstance(exc, LoginRequired) and not _wants_json(request):
            target = request.url.path
            if request.url.query:
                target += "?" + request.url.query
            nxt = quote(target, safe="/") if request.method == "GET" else "/"
            return RedirectResponse(f"/login?next={nxt}", status_code=303)
        headers = None
        if isinstance(exc, (TooManyAttempts, Unavailable)):
            headers = {"Retry-After": str(exc.retry_after)}
        errors = getattr(exc, "errors", None)
        return _error_response(
            request,
            exc.status_code,
            exc.title,
            exc.message,
            headers,
            errors if isinstance(errors, dict) else None,
            getattr(exc, "rules", None),
        )

    async def registry_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RegistryError)
        return await web_error(request, registry_answer(exc))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if exc.status_code == 404:
            return _error_response(request, 404, "Not found", "There is no such page.")
        if exc.status_code == 405:
            # Starlette names the methods of the first matching route only; list them all.
            path = request.url.path
            allowed = sorted(
                {
                    m
                    for regex, methods in app.state.route_methods
                    if regex.match(path)
                    for m in methods
                }
            )
            headers = {**dict(exc.headers or {}), "Allow": ", ".join(allowed)}
            return _error_response(
                request, 405, "Not allowed", "Method not allowed.", headers=headers
            )
        return _error_response(
            request, exc.status_code, "Error", str(exc.detail), headers=dict(exc.headers or {})
        )

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        errors: list[dict[str, Any]] = []
        for err in exc.errors():
            loc = [str(part) for part in err.get("loc", ()) if part not in ("body", "query")]
            errors.append(
                {"field": ".".join(loc), "message": str(err.get("msg", "")), "rule": err["type"]}
            )
        text = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        if _wants_json(request):
            return JSONResponse(
                {"detail": f"Invalid request: {text}", "errors": errors}, status_code=422
            )
        return _error_response(request, 422, "Please check the form", text)

    async def database_error(request: Request, exc: Exception) -> Response:
        """A driver error that did not pass through `registry.transaction` (which
        translates them): busy or unreachable still answer 503, never 500."""
        translated = registry.translate(exc)
        if isinstance(translated, RegistryError):
            return await registry_error(request, translated)
        log.error("database error on %s %s", request.method, request.url.path, exc_info=exc)
        return _error_response(
            request, 500, "Something went wrong", "The registry could not do this (server error)."
        )

    app.add_exception_handler(WebError, web_error)
    app.add_exception_handler(RegistryError, registry_error)  # one handler, REGISTRY_ANSWERS
    app.add_exception_handler(SQLAlchemyError, database_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)


def _plotly_dir() -> Path | None:
    try:
        import plotly

        path = Path(plotly.__file__).parent / "package_data"
    except ImportError:  # pragma: no cover - plotly is a dependency
        return None
    return path if (path / "plotly.min.js").exists() else None


def create_app(
    database_url: str | None = None,
    *,
    secret_key: str | None = None,
    https: bool = False,
    settings: WebSettings | None = None,
    engine: Engine | None = None,
) -> FastAPI:
    """The myotrack web app on the registry at `database_url` (None: $MYOTRACK_DATABASE_URL
    or the SQLite default). The database must already be migrated (`myotrack serve` does
    it). Without `secret_key` a random one is made, so sessions end when the server
    restarts. `settings` overrides the timeouts and login slowing (tests)."""
    base = settings or WebSettings()
    if secret_key is None:
        secret_key = base.secret_key
    resolved = dataclasses.replace(
        base,
        database_url=database_url if database_url is not None else base.database_url,
        secret_key=secret_key,
        https=https or base.https,
    )
    app = FastAPI(
        title="myotrack",
        version="1",
        summary="JDM registry, scores, decision support and case-series report",
        description=(
            "Log in with POST /api/session (JSON) or the /login form; the session cookie "
            "then authenticates every call. Every POST also needs the X-CSRF-Token header "
            "(from GET /api/session)."
        ),
        docs_url=None,
        redoc_url=None,
        openapi_url=None,  # served below, to logged-in users only, like the API itself
        dependencies=[Depends(form_closed)],
    )
    app.state.settings = resolved
    app.state.engine = engine if engine is not None else registry.connect(resolved.database_url)
    from myotrack.web.throttle import LoginThrottle

    app.state.throttle = LoginThrottle(
        app.state.engine,
        free_attempts=resolved.login_free_attempts,
        base_delay=resolved.login_base_delay,
        max_delay=resolved.login_max_delay,
    )
    routers = (
        auth,
        patient_pages,
        cohort_pages,
        exchange,
        admin,
        api,
        corrections_api,
        records_api,
        worklist,
        images,
    )
    for module in routers:
        app.include_router(module.router)

    @app.get("/openapi.json", include_in_schema=False)
    def openapi_document(_: Annotated[Principal, Depends(Requires(Access.USER))]) -> Response:
        """The OpenAPI document of the JSON API (for logged-in users)."""
        return JSONResponse(app.openapi())

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    plotly_dir = _plotly_dir()
    if plotly_dir is not None:
        # plotly.js from the installed plotly package (not copied into this repository).
        app.mount("/vendor/plotly", StaticFiles(directory=plotly_dir), name="plotly")
    _install_error_handlers(app)
    # Outermost last: security headers on every answer (413s too), then the body limit
    # before anything reads a body, then the session cookies.
    app.add_middleware(sessions.SessionCookies, settings=resolved)
    app.add_middleware(BodyLimit, settings=resolved)
    app.add_middleware(SecurityHeaders, https=resolved.https)
    app.state.route_methods = [
        (compile_path(info.path)[0], info.methods)
        for info in walk_routes(app.routes)
        if info.methods
    ]
    for info in walk_routes(app.routes):
        if isinstance(info.route, APIRoute) and len(route_access(info.route)) != 1:
            raise RuntimeError(
                f"route {info.path} must declare exactly one Requires(...) access level"
            )
    return app


def app_from_environment() -> FastAPI:
    """The app configured from the environment, for `uvicorn --factory` with several worker
    processes (`myotrack serve --workers N`): MYOTRACK_DATABASE_URL, MYOTRACK_SECRET_KEY
    (the same in every worker, so that a session cookie works in all of them) and
    MYOTRACK_HTTPS ("1" behind HTTPS)."""
    import os

    secret = os.environ.get("MYOTRACK_SECRET_KEY")
    if not secret:
        raise RuntimeError("MYOTRACK_SECRET_KEY must be set when several workers serve")
    return create_app(
        os.environ.get("MYOTRACK_DATABASE_URL"),
        secret_key=secret,
        https=os.environ.get("MYOTRACK_HTTPS") == "1",
    )
