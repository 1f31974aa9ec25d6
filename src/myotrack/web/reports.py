"""The case-series report of the cohort a user may see: de-identified by the user's tier,
computed off the event loop, a few at a time, and cached.

Why: the report of 10,000 patients takes minutes; two researchers opening it at once
must not slow every clinician's page, and opening it again must not compute it again.

- Concurrency: at most `ReportRunner.limit` reports are computed at once per server
  process. A request that cannot start within `ReportRunner.wait_seconds` gets 503 "The
  report is being prepared" with Retry-After (never a 500, never an endless wait).
- The computation (loading, de-identifying, rendering) runs in a worker thread, so the
  event loop keeps answering other pages meanwhile.
- Small cells: a researcher's report hides small counts (`policy.suppresses_small_cells`,
  `analysis.small_cells`) at the server's `min_cell_count`; a clinician's never does.
- Cache: by the visible cohort's fingerprint (`analysis.cohort_fingerprint`, taken of the
  cohort as the user's tier shows it), the cut-off, the format and the tier. To avoid
  even loading the cohort when nothing changed, the answer is also cached under the
  registry's latest audit id (every write is audited), the user's site scope, tier and
  format. Two requests for the same report while it is being computed share one
  computation.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Literal

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from myotrack import registry
from myotrack.analysis import SmallCells, cohort_fingerprint
from myotrack.domain import Cohort
from myotrack.web import research
from myotrack.web.errors import Unavailable
from myotrack.web.policy import Principal, site_scope, suppresses_small_cells, tier_for

ReportFormat = Literal["json", "html", "pdf", "md"]

MEDIA_TYPES = {
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "md": "text/markdown; charset=utf-8",
}

BEING_PREPARED = (
    "The report is being prepared for other users just now. Please try again in a "
    "minute; clinicians' pages are not affected."
)


class ReportBusy(Unavailable):
    """Too many reports are being computed in this server process: try again later
    (503 with Retry-After)."""

    title = "The report is being prepared"

    def __init__(self, message: str = BEING_PREPARED, retry_after: int = 30) -> None:
        super().__init__(message, retry_after)


def visible_cohort(session: Session, principal: Principal, cutoff: date | None = None) -> Cohort:
    """The cohort of the sites the user may see, as the user's tier shows it. A chosen
    `cutoff` (a calendar date) is applied before de-identification: shifted dates cannot
    be compared with it afterwards."""
    scope = site_scope(principal)
    cohort: Cohort = registry.load_cohort(
        session, sites=sorted(scope) if scope is not None else None
    )
    if cutoff is not None and principal.deidentified:
        cohort = replace(cohort, cutoff_date=cutoff)
    return research.shown_cohort(session, principal, cohort)


def render(
    cohort: Cohort,
    fmt: ReportFormat,
    cutoff: date | None = None,
    small_cells: SmallCells | None = None,
) -> bytes:
    from myotrack.report import render_report

    data: bytes = render_report(
        cohort, fmt=fmt, cutoff=cutoff, generated_at=datetime.now(UTC), small_cells=small_cells
    )
    return data


def small_cells_for(request: Request, principal: Principal) -> SmallCells | None:
    """The small-cell suppression of this user's aggregate tables (`policy`), at the
    server's threshold (`WebSettings.min_cell_count`); None for the identified tier."""
    if not suppresses_small_cells(principal):
        return None
    return SmallCells(request.app.state.settings.min_cell_count)


CacheKey = tuple[object, ...]


@dataclass
class ReportRunner:
    """Per-process limit, single-flight and cache of rendered reports.

    `limit` reports are computed at once; a request waits at most `wait_seconds` for a
    slot (or for the same report being computed) before it is answered "being
    prepared". The cache keeps the newest reports up to `max_bytes` in all."""

    limit: int = 1
    wait_seconds: float = 20.0
    max_bytes: int = 256 * 1024 * 1024
    computations: int = 0  # how many reports were rendered (tests read it)
    _slots: threading.BoundedSemaphore = field(init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _cache: OrderedDict[CacheKey, bytes] = field(default_factory=OrderedDict, repr=False)
    _running: dict[CacheKey, threading.Event] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._slots = threading.BoundedSemaphore(self.limit)

    def cached(self, key: CacheKey) -> bytes | None:
        with self._lock:
            data = self._cache.get(key)
            if data is not None:
                self._cache.move_to_end(key)
            return data

    def store(self, key: CacheKey, data: bytes) -> None:
        with self._lock:
            self._cache[key] = data
            self._cache.move_to_end(key)
            total = sum(len(v) for v in self._cache.values())
            while total > self.max_bytes and len(self._cache) > 1:
                _, dropped = self._cache.popitem(last=False)
                total -= len(dropped)

    def rendered(self) -> None:
        with self._lock:
            self.computations += 1

    async def _acquire(self, deadline: float) -> bool:
        """A computation slot, waiting (without holding a thread) until `deadline`."""
        while not self._slots.acquire(blocking=False):
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(0.05)
        return True

    async def run(self, key: CacheKey, compute: Callable[[], bytes]) -> bytes:
        """The cached answer for `key`, or `compute()` run in a worker thread within the
        limit (and cached under `key`); a second request for a key being computed waits
        for that computation instead of starting its own."""
        deadline = time.monotonic() + self.wait_seconds
        while True:
            data = self.cached(key)
            if data is not None:
                return data
            with self._lock:
                running = self._running.get(key)
                mine = running is None
                if running is None:
                    running = self._running[key] = threading.Event()
            if not mine:  # the same report is being computed: wait for it
                while not running.is_set():
                    if time.monotonic() >= deadline:
                        raise ReportBusy(BEING_PREPARED)
                    await asyncio.sleep(0.05)
                continue
            try:
                if not await self._acquire(deadline):
                    raise ReportBusy(BEING_PREPARED)
                try:
                    data = await run_in_threadpool(compute)
                    self.store(key, data)
                    return data
                finally:
                    self._slots.release()
            finally:
                with self._lock:
                    self._running.pop(key, None)
                running.set()


def runner_of(request: Request) -> ReportRunner:
    """The report runner of this app (one per server process)."""
    state = request.app.state
    runner = getattr(state, "report_runner", None)
    if not isinstance(runner, ReportRunner):
        runner = ReportRunner()
        state.report_runner = runner
    return runner


def _state_key(session: Session, principal: Principal, cutoff: date | None) -> CacheKey:
    """What the visible cohort depends on: the registry's latest write, the user's sites,
    the tier and its key."""
    scope = site_scope(principal)
    key_id = (
        hashlib.sha256(research.key_of(session)).hexdigest()[:16] if principal.deidentified else ""
    )
    return (
        "state",
        registry.latest_audit_id(session),
        tuple(sorted(scope)) if scope is not None else None,
        tier_for(principal).value,
        key_id,
        cutoff.isoformat() if cutoff else None,
    )


async def report_bytes(
    request: Request, principal: Principal, fmt: ReportFormat, cutoff: date | None = None
) -> bytes:
    """The report of what `principal` may see, in `fmt`: from the cache when the registry
    has not changed; else, within the limit and off the event loop, the visible cohort is
    loaded and fingerprinted, and rendered only when no report of that fingerprint, cut-off,
    format and tier is cached."""
    from myotrack.web.deps import db

    runner = runner_of(request)
    small_cells = small_cells_for(request, principal)
    k = small_cells.min_cell_count if small_cells is not None else None
    tier = tier_for(principal).value
    cut = cutoff.isoformat() if cutoff else None

    def state() -> CacheKey:
        with db(request) as session:
            return _state_key(session, principal, cutoff)

    state_key = (*await run_in_threadpool(state), fmt, k)

    def compute() -> bytes:
        with db(request) as session:
            cohort = visible_cohort(session, principal, cutoff)
        content_key: CacheKey = ("content", cohort_fingerprint(cohort), cut, fmt, tier, k)
        data = runner.cached(content_key)
        if data is None:
            # a de-identified cohort holds nothing after the cut-off and no calendar cut-off
            data = render(cohort, fmt, None if principal.deidentified else cutoff, small_cells)
            runner.rendered()
            runner.store(content_key, data)
        return data

    return await runner.run(state_key, compute)
