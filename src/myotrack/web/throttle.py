"""Slowing repeated failed logins, per user name and client address.

After `free_attempts` failures, each further failure locks the (user name, address) pair for
`base_delay * 2**k` seconds (k = failures beyond the free ones, minus one), capped at
`max_delay`. A success clears the counter. Kept in memory: a restart forgets it, and each
server process counts on its own (state this in the operations notes).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(slots=True)
class _Counter:
    failures: int = 0
    locked_until: float = 0.0


class LoginThrottle:
    def __init__(
        self,
        *,
        free_attempts: int,
        base_delay: float,
        max_delay: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._free = free_attempts
        self._base = base_delay
        self._max = max_delay
        self._clock = clock
        self._counters: dict[tuple[str, str], _Counter] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _key(username: str, address: str) -> tuple[str, str]:
        return (username.strip().lower(), address)

    def wait_seconds(self, username: str, address: str) -> float:
        """Seconds until this pair may try again (0 when it may try now)."""
        with self._lock:
            counter = self._counters.get(self._key(username, address))
            if counter is None:
                return 0.0
            return max(0.0, counter.locked_until - self._clock())

    def failed(self, username: str, address: str) -> float:
        """Record a failure; return the lockout it caused in seconds (0 if none)."""
        with self._lock:
            counter = self._counters.setdefault(self._key(username, address), _Counter())
            counter.failures += 1
            beyond = counter.failures - self._free
            if beyond <= 0:
                return 0.0
            delay = float(min(self._max, self._base * 2.0 ** (beyond - 1)))
            counter.locked_until = self._clock() + delay
            if len(self._counters) > 100_000:  # bound memory under a spray attack
                self._counters.clear()
            return delay

    def succeeded(self, username: str, address: str) -> None:
        with self._lock:
            self._counters.pop(self._key(username, address), None)
