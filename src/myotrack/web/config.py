"""Settings of the web app: where the registry is, how sessions, logins and request
sizes behave."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class WebSettings:
    """Everything `create_app` needs. Times are in seconds, sizes in bytes.

    - `idle_timeout`: a session not used for this long ends.
    - `absolute_timeout`: a session ends this long after login, however busy.
    - `login_free_attempts`: failed logins (per user name and address) before slowing starts;
      after that each failure locks the pair out for `login_base_delay * 2**k` seconds, capped
      at `login_max_delay`. Counted in the registry, so every server process shares them.
    - `max_login_body_bytes`: the largest body of a log-in (form or JSON) and of anything an
      anonymous client may send; `max_body_bytes` of any other form or JSON request;
      `max_upload_bytes` of a cohort zip upload. Larger bodies get 413, counted while the
      body arrives (a missing or false Content-Length does not help).
    - `max_unpacked_bytes`: what a cohort zip may unpack to in all; `max_rows_per_file`: rows
      per CSV file of an upload, `max_rows_per_upload` in all its files (reading takes about
      1 KB of memory per row; a bigger cohort is imported with `myotrack import`).
    - `min_cell_count`: the small-cell threshold of the aggregate tables researchers open
      (`analysis.small_cells`; OHDSI's minCellCount, default 5); $MYOTRACK_MIN_CELL_COUNT
      sets it for every worker.
    """

    database_url: str | None = None
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    https: bool = False
    idle_timeout: int = 30 * 60
    absolute_timeout: int = 12 * 60 * 60
    login_free_attempts: int = 3
    login_base_delay: float = 2.0
    login_max_delay: float = 15 * 60.0
    max_login_body_bytes: int = 16 * 1024
    max_body_bytes: int = 1024 * 1024
    max_upload_bytes: int = 50 * 1024 * 1024
    max_unpacked_bytes: int = 200 * 1024 * 1024
    max_rows_per_file: int = 250_000
    max_rows_per_upload: int = 500_000
    min_cell_count: int = field(default_factory=lambda: _min_cell_count())


def _min_cell_count() -> int:
    """$MYOTRACK_MIN_CELL_COUNT, else OHDSI's default (`analysis.small_cells`)."""
    import os

    from myotrack.analysis import DEFAULT_MIN_CELL_COUNT

    text = os.environ.get("MYOTRACK_MIN_CELL_COUNT", "").strip()
    if not text:
        return DEFAULT_MIN_CELL_COUNT
    value = int(text)  # a wrong value stops the server at start, naming the variable
    if value < 2:
        raise ValueError(f"MYOTRACK_MIN_CELL_COUNT must be at least 2, not {value}")
    return value
