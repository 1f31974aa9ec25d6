"""Slowing repeated failed logins, per user name and client address, in every server
process alike (the counters live in the registry, `myotrack.registry.web_sessions`).

After `free_attempts` failures, each further failure locks the (user name, address) pair for
`base_delay * 2**k` seconds (k = failures beyond the free ones, minus one), capped at
`max_delay`. A success clears the counter. A counter with no failure for a day (and no
lockout running) is forgotten.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from sqlalchemy.engine import Engine

from myotrack.registry import (
    add_login_failure,
    clear_login_failures,
    forget_old_login_failures,
    lock_login,
    login_failures,
    transaction,
)

FORGET_AFTER = 24 * 60 * 60.0


def lockout_seconds(failures: int, *, free: int, base: float, cap: float) -> float:
    """How long the `failures`-th failure locks the pair out (0 within the free ones)."""
    beyond = failures - free
    if beyond <= 0:
        return 0.0
    return float(min(cap, base * 2.0 ** (beyond - 1)))


class LoginThrottle:
    def __init__(
        self,
        engine: Engine,
        *,
        free_attempts: int,
        base_delay: float,
        max_delay: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._engine = engine
        self._free = free_attempts
        self._base = base_delay
        self._max = max_delay
        self._clock = clock

    @staticmethod
    def _key(username: str) -> str:
        return username.strip().casefold()

    def wait_seconds(self, username: str, address: str) -> float:
        """Seconds until this pair may try again (0 when it may try now)."""
        with transaction(self._engine) as session:
            found = login_failures(session, self._key(username), address)
        if found is None:
            return 0.0
        return max(0.0, found.locked_until - self._clock())

    def failed(self, username: str, address: str) -> float:
        """Record a failure; return the lockout it caused in seconds (0 if none)."""
        now = self._clock()
        key = self._key(username)
        with transaction(self._engine, write=True) as session:
            count = add_login_failure(session, key, address, now=now)
            delay = lockout_seconds(count, free=self._free, base=self._base, cap=self._max)
            if delay:
                lock_login(session, key, address, until=now + delay)
            forget_old_login_failures(session, failed_before=now - FORGET_AFTER)
        return delay

    def succeeded(self, username: str, address: str) -> None:
        key = self._key(username)
        with transaction(self._engine) as session:
            known = login_failures(session, key, address) is not None
        if known:
            with transaction(self._engine, write=True) as session:
                clear_login_failures(session, key, address)
