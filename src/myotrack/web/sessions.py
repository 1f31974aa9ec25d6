"""Login sessions kept in the registry; the cookie holds only an opaque random id.

- The session cookie (`myotrack_session`) is 43 random URL-safe characters (256 bits) and
  nothing else: it carries no readable content. The registry stores its SHA-256 with the
  user name, the CSRF token, the login time and the time of last use
  (`myotrack.registry.web_sessions`), so every server process sees the same sessions.
- A session ends at logout, when it has not been used for `idle_timeout`, `absolute_timeout`
  after login, and at once when the account is deactivated, its password changed or an
  admin ends the user's sessions (these delete the rows; every process notices on the
  next request). The time of last use is written at most once a minute (`TOUCH_EVERY`).
- The cookie is HttpOnly, SameSite=Lax, Secure when served over HTTPS.
- CSRF: a logged-in session's token is stored with it; forms carry it in the hidden field
  `csrf_token`, API clients in the `X-CSRF-Token` header. Before login (the login form
  itself) the token is an HMAC, under the server's secret key, of a random value in a
  second cookie (`myotrack_csrf`): nothing is stored for anonymous visitors.

`SessionCookies` (ASGI middleware) reads the cookies into the request and writes the
changed ones onto the response.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from myotrack.registry import (
    BusyError,
    WebSession,
    end_session,
    end_stale_sessions,
    find_session,
    store_session,
    touch_session,
    transaction,
)
from myotrack.web.config import WebSettings

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
COOKIE_NAME = "myotrack_session"
CSRF_COOKIE = "myotrack_csrf"
TOUCH_EVERY = 60  # seconds: the idle clock's resolution
_SCOPE_KEY = "myotrack.session"


@dataclass(slots=True)
class _State:
    """The session as this request sees it."""

    cookie_id: str | None
    anonymous_id: str | None
    record: WebSession | None = None
    new_cookie: str | None = None
    clear_cookie: bool = False
    new_anonymous_id: str | None = None


def _state(request: Request) -> _State:
    state = request.scope.get(_SCOPE_KEY)
    if not isinstance(state, _State):  # a request that did not pass the middleware (tests)
        state = _State(None, None)
        request.scope[_SCOPE_KEY] = state
    return state


def _settings(request: Request) -> WebSettings:
    settings: WebSettings = request.app.state.settings
    return settings


def _now() -> int:
    return int(time.time())


# ------------------------------------------------------------------ CSRF


def _anonymous_token(request: Request, anonymous_id: str) -> str:
    key = _settings(request).secret_key.encode()
    return hmac.new(key, b"csrf:" + anonymous_id.encode(), hashlib.sha256).hexdigest()


def csrf_token(request: Request) -> str:
    """The CSRF token to put in this request's forms: the session's when logged in, else
    the anonymous one (its cookie is set on the response when new)."""
    state = _state(request)
    if state.record is not None:
        return state.record.csrf_token
    anonymous = state.new_anonymous_id or state.anonymous_id
    if anonymous is None:
        anonymous = secrets.token_urlsafe(32)
        state.new_anonymous_id = anonymous
    return _anonymous_token(request, anonymous)


def csrf_matches(request: Request, supplied: str | None) -> bool:
    """Whether `supplied` is this client's CSRF token (identify the user first)."""
    if not supplied:
        return False
    state = _state(request)
    if state.record is not None:
        expected = state.record.csrf_token
    elif state.anonymous_id is not None:
        expected = _anonymous_token(request, state.anonymous_id)
    else:
        return False
    return hmac.compare_digest(expected.encode(), supplied.encode())


# ------------------------------------------------------------------ sessions


def current_username(request: Request, settings: WebSettings) -> str | None:
    """The logged-in user name, or None when not logged in or the session ended.
    Reads the registry: call it from a worker thread."""
    state = _state(request)
    if state.cookie_id is None:
        return None
    engine = request.app.state.engine
    with transaction(engine) as session:
        record = find_session(session, state.cookie_id)
    if record is None:
        state.clear_cookie = True
        return None
    now = _now()
    if now - record.started_at > settings.absolute_timeout or (
        now - record.seen_at > settings.idle_timeout
    ):
        _forget(request, state)
        return None
    if now - record.seen_at >= TOUCH_EVERY:
        try:  # not worth waiting for: the next request touches it again
            with transaction(engine, write=True, wait=0.2) as session:
                touch_session(session, state.cookie_id, now)
        except BusyError:
            pass
    state.record = record
    return record.username


def _forget(request: Request, state: _State) -> None:
    """End an expired session: refused already by its times, so deleting its row may
    wait for a later login when the registry is busy."""
    if state.cookie_id is not None:
        try:
            with transaction(request.app.state.engine, write=True, wait=1.0) as session:
                end_session(session, state.cookie_id)
        except BusyError:
            pass  # an expired session stays refused; its row is deleted at a later login
    state.record = None
    state.clear_cookie = True


def start(request: Request, username: str) -> None:
    """Log in: a new session id (the old one, if any, ends: no fixation) and a new CSRF
    token. Writes the registry: call it from a worker thread."""
    settings = _settings(request)
    state = _state(request)
    session_id = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    now = _now()
    with transaction(request.app.state.engine, write=True) as session:
        if state.cookie_id is not None:
            end_session(session, state.cookie_id)
        end_stale_sessions(
            session,
            seen_before=now - settings.idle_timeout,
            started_before=now - settings.absolute_timeout,
        )
        store_session(session, session_id, username=username, csrf_token=csrf, now=now)
    state.cookie_id = session_id
    state.record = WebSession(username, csrf, now, now)
    state.new_cookie = session_id
    state.clear_cookie = False


def end(request: Request) -> None:
    """Log out: the session's row is deleted (in every process at once). Waits for the
    write lock like a save (BusyError if it cannot: the logout must not half happen)."""
    state = _state(request)
    if state.cookie_id is not None:
        with transaction(request.app.state.engine, write=True) as session:
            end_session(session, state.cookie_id)
    state.record = None
    state.clear_cookie = True


# ------------------------------------------------------------------ cookies


def _cookie(name: str, value: str, max_age: int, https: bool) -> bytes:
    parts = [f"{name}={value}", "Path=/", f"Max-Age={max_age}", "HttpOnly", "SameSite=Lax"]
    if https:
        parts.append("Secure")
    return "; ".join(parts).encode("latin-1")


def _read_cookies(scope: Scope) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header is ignored, not a 500
                continue
    return {name: morsel.value for name, morsel in jar.items()}


def _plausible(value: str | None) -> str | None:
    """A cookie value shaped like ours (43 URL-safe characters), else None."""
    if value is None or len(value) != 43:
        return None
    allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    return value if set(value) <= allowed else None


class SessionCookies:
    """ASGI middleware: the session and anonymous-CSRF cookies in, changed ones out."""

    def __init__(self, app: ASGIApp, *, settings: WebSettings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookies = _read_cookies(scope)
        state = _State(
            cookie_id=_plausible(cookies.get(COOKIE_NAME)),
            anonymous_id=_plausible(cookies.get(CSRF_COOKIE)),
        )
        had_cookie = COOKIE_NAME in cookies
        scope[_SCOPE_KEY] = state
        https = self.settings.https

        async def send_with_cookies(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if state.new_cookie is not None:
                    value = _cookie(
                        COOKIE_NAME, state.new_cookie, self.settings.absolute_timeout, https
                    )
                    headers.append((b"set-cookie", value))
                elif state.clear_cookie or (had_cookie and state.cookie_id is None):
                    headers.append((b"set-cookie", _cookie(COOKIE_NAME, "", 0, https)))
                if state.new_anonymous_id is not None:
                    value = _cookie(
                        CSRF_COOKIE, state.new_anonymous_id, self.settings.absolute_timeout, https
                    )
                    headers.append((b"set-cookie", value))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_cookies)
