"""A size limit on request bodies, enforced while the body arrives (ASGI middleware).

The limit depends on the path: log-in (`/login`, `/api/session`) gets the small
`max_login_body_bytes`, cohort uploads (`/cohort/upload`, `/api/cohort/import`) get
`max_upload_bytes`, everything else `max_body_bytes` (see `WebSettings`). A declared
Content-Length above the limit is answered 413 before the app runs; otherwise the bytes
are counted as the app reads them and the app is stopped at the first byte over, so a
missing or false Content-Length gains nothing. Nothing is parsed before this check, and
routes that need a login refuse anonymous clients before reading any body (`deps.py`).
"""

from __future__ import annotations

from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from myotrack.web.config import WebSettings

LOGIN_PATHS = frozenset({"/login", "/api/session"})
UPLOAD_PATHS = frozenset({"/cohort/upload", "/api/cohort/import"})


class _TooLarge(Exception):
    """Raised into the app when the body passes the limit."""


def limit_for(path: str, settings: WebSettings) -> int:
    if path in LOGIN_PATHS:
        return settings.max_login_body_bytes
    if path in UPLOAD_PATHS or is_image_upload(path):
        return settings.max_upload_bytes
    return settings.max_body_bytes


def is_image_upload(path: str) -> bool:
    """A clinical image upload (`/patients/<id>/images`, issue 14): photographs are
    megabytes; the image itself is then held to `media.ImageLimits`."""
    return path.startswith("/patients/") and path.endswith("/images") and path.count("/") == 3


def _size(limit: int) -> str:
    if limit >= 1024 * 1024:
        return f"{limit / (1024 * 1024):g} MB"
    return f"{limit / 1024:g} KB"


def too_large_response(path: str, limit: int) -> Response:
    message = f"The request is too large: at most {_size(limit)} are accepted here."
    if path in UPLOAD_PATHS:
        message += " Split the cohort, or import it on the server with `myotrack import FOLDER`."
    headers = {"Connection": "close"}
    if path.startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=413, headers=headers)
    return PlainTextResponse(message, status_code=413, headers=headers)


class BodyLimit:
    def __init__(self, app: ASGIApp, *, settings: WebSettings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        limit = limit_for(path, self.settings)
        for key, value in scope.get("headers", []):
            if key == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = -1
                if declared < 0 or declared > limit:
                    await too_large_response(path, limit)(scope, receive, send)
                    return
        received = 0
        exceeded = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            if exceeded:
                raise _TooLarge
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise _TooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded:
                return  # the app's own answer to the broken body is replaced by 413
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not exceeded:
                raise
        if exceeded and not started:
            await too_large_response(path, limit)(scope, receive, send)
