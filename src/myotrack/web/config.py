"""Settings of the web app: where the registry is, how sessions and logins behave."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class WebSettings:
    """Everything `create_app` needs. Times are in seconds.

    - `idle_timeout`: a session not used for this long ends (the cookie stops verifying).
    - `absolute_timeout`: a session ends this long after login, however busy.
    - `login_free_attempts`: failed logins (per user name and address) before slowing starts;
      after that each failure locks the pair out for `login_base_delay * 2**k` seconds, capped
      at `login_max_delay`.
    """

    database_url: str | None = None
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    https: bool = False
    idle_timeout: int = 30 * 60
    absolute_timeout: int = 12 * 60 * 60
    login_free_attempts: int = 3
    login_base_delay: float = 2.0
    login_max_delay: float = 15 * 60.0
    max_upload_bytes: int = 50 * 1024 * 1024
