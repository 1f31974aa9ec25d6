"""Checking a user name and password, with failed logins slowed (see throttle.py).

A fault while checking (the registry busy or unreachable, the server out of memory) is
answered 503 with words saying the password could not be checked: it is never reported
as a wrong password, and it is not counted as a failed attempt.
"""

from __future__ import annotations

import logging
import math

from starlette.requests import Request

from myotrack import registry
from myotrack.web import sessions
from myotrack.web.errors import LOGIN_FAULT_MESSAGE, TooManyAttempts, Unavailable
from myotrack.web.passwords import verify_password
from myotrack.web.policy import Principal, Role
from myotrack.web.throttle import LoginThrottle

log = logging.getLogger(__name__)


def _address(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


def attempt(request: Request, username: str, password: str) -> Principal | None:
    """Log in `username` if the password is right (starting a fresh session) and return
    who logged in (None if wrong); raise TooManyAttempts while the user name + address
    pair is locked out, Unavailable (503) when the password could not be checked."""
    try:
        return _attempt(request, username, password)
    except (registry.BusyError, registry.UnavailableError, MemoryError) as exc:
        log.error("log-in of %r could not be checked: %r", username, exc)
        raise Unavailable(LOGIN_FAULT_MESSAGE, retry_after=30) from None


def _attempt(request: Request, username: str, password: str) -> Principal | None:
    throttle: LoginThrottle = request.app.state.throttle
    address = _address(request)
    wait = throttle.wait_seconds(username, address)
    if wait > 0:
        raise TooManyAttempts(
            f"Too many failed log-ins for this user name. Try again in {math.ceil(wait)} seconds.",
            retry_after=math.ceil(wait),
        )
    with registry.transaction(request.app.state.engine) as session:
        account = registry.get_user(session, username)
    ok = verify_password(password, account.password_hash if account is not None else None)
    if not ok or account is None or not account.active:
        throttle.failed(username, address)
        return None
    throttle.succeeded(username, address)
    sessions.start(request, account.username)
    return Principal(username=account.username, role=Role(account.role), site=account.site)
