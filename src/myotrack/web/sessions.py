"""The login session kept in the signed cookie (Starlette's SessionMiddleware, itsdangerous).

The cookie is HttpOnly, SameSite=Lax and Secure when served over HTTPS; its signature
carries a timestamp checked against the idle timeout on every request (it is re-signed on
every response, so use keeps it alive). The login time is kept inside and checked against
the absolute timeout. A CSRF token lives in the session too; forms carry it in the hidden
field `csrf_token`, API clients in the `X-CSRF-Token` header.
"""

from __future__ import annotations

import hmac
import secrets
import time
from typing import Any

from starlette.requests import Request

from myotrack.web.config import WebSettings

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
COOKIE_NAME = "myotrack_session"


def _session(request: Request) -> dict[str, Any]:
    session: dict[str, Any] = request.session
    return session


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use (also before login)."""
    session = _session(request)
    token = session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def csrf_matches(request: Request, supplied: str | None) -> bool:
    expected = _session(request).get("csrf")
    if not isinstance(expected, str) or not supplied:
        return False
    return hmac.compare_digest(expected.encode(), supplied.encode())


def start(request: Request, username: str) -> None:
    """Log in: a fresh session (no fixation), a fresh CSRF token."""
    session = _session(request)
    session.clear()
    now = int(time.time())
    session.update({"user": username, "iat": now, "seen": now})
    csrf_token(request)


def end(request: Request) -> None:
    _session(request).clear()


def current_username(request: Request, settings: WebSettings) -> str | None:
    """The logged-in user name, or None when not logged in or the session expired."""
    session = _session(request)
    username = session.get("user")
    if not isinstance(username, str):
        return None
    now = time.time()
    issued = session.get("iat")
    seen = session.get("seen")
    if not isinstance(issued, int) or now - issued > settings.absolute_timeout:
        session.clear()
        return None
    if not isinstance(seen, int) or now - seen > settings.idle_timeout:
        session.clear()
        return None
    session["seen"] = int(now)
    return username
