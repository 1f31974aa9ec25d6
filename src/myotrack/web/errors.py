"""The errors routes raise; `myotrack.web.app` turns them into pages or JSON.

The registry's errors reach the web through one handler on their base class,
`RegistryError`; `REGISTRY_ANSWERS` maps each subclass to the web error it answers with
(the nearest class in the error's MRO wins, so `PseudonymTaken` is answered before
`DuplicateError`). A test proves every `RegistryError` subclass has a row.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Final

from myotrack.registry import (
    BackupError,
    BusyError,
    DuplicateError,
    ImportRunningError,
    InvalidValueError,
    NotFoundError,
    RegistryError,
    StaleEditError,
    UnavailableError,
)

log = logging.getLogger(__name__)


class WebError(Exception):
    status_code = 500
    title = "Something went wrong"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class LoginRequired(WebError):
    status_code = 401
    title = "Please log in"


class Forbidden(WebError):
    status_code = 403
    title = "Not allowed"


class NotFound(WebError):
    status_code = 404
    title = "Not found"


class Conflict(WebError):
    """A stale edit or a duplicate: someone else saved first."""

    status_code = 409
    title = "Not saved"


class Invalid(WebError):
    status_code = 422
    title = "Please check the form"


class TooManyAttempts(WebError):
    status_code = 429
    title = "Too many failed log-ins"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Unavailable(WebError):
    """The registry is busy or unreachable: nothing was saved, trying again works.
    Answered with Retry-After."""

    status_code = 503
    title = "Please try again"

    def __init__(self, message: str, retry_after: int = 2) -> None:
        super().__init__(message)
        self.retry_after = retry_after


# The words a user sees when a save could not get the registry's write lock in time.
BUSY_MESSAGE = "The registry is busy; press Save again."
DOWN_MESSAGE = (
    "The registry database is not available just now; nothing was saved. "
    "Try again in a minute, and tell the administrator if it lasts."
)
LOGIN_FAULT_MESSAGE = (
    "The server could not check the password just now (a fault on the server, not a "
    "wrong password). Try again in a minute."
)


class PseudonymTaken(DuplicateError):
    """A new patient's pseudonym cannot be used. The answer is the same whether the
    pseudonym belongs to a patient of the user's own site, of another site or to a
    retired patient, so that it never tells a clinician that a patient exists at a site
    they cannot see (reading that patient answers 404, as for one that does not exist).
    Pseudonyms are unique across the registry, so "taken" itself cannot be hidden:
    `docs/security.md` asks for pseudonyms that carry no meaning."""


PSEUDONYM_TAKEN = "Not saved: this pseudonym cannot be used for a new patient. Choose another one."

IMPORT_RUNNING_MESSAGE = (
    "Another cohort import is running on this registry; nothing was imported. "
    "Wait until it has finished, then upload again."
)
STALE_MESSAGE = (
    "Not saved: someone else changed this record after you opened it. "
    "Reload the page to see their changes, then enter yours again."
)


def _unavailable(exc: RegistryError) -> WebError:
    log.error("registry unavailable: %s", exc)
    return Unavailable(DOWN_MESSAGE, retry_after=30)


def _backup_failed(exc: RegistryError) -> WebError:
    log.error("backup failed: %s", exc)
    return WebError(f"The backup could not be made or read ({exc}).")


# registry error class -> the web error it is answered with (status and words).
REGISTRY_ANSWERS: Final[dict[type[RegistryError], Callable[[RegistryError], WebError]]] = {
    BusyError: lambda exc: Unavailable(BUSY_MESSAGE),
    UnavailableError: _unavailable,
    ImportRunningError: lambda exc: Conflict(IMPORT_RUNNING_MESSAGE),
    PseudonymTaken: lambda exc: Conflict(PSEUDONYM_TAKEN),
    StaleEditError: lambda exc: Conflict(f"{STALE_MESSAGE} ({exc})"),
    DuplicateError: lambda exc: Conflict(f"Not saved: that record already exists. ({exc})"),
    NotFoundError: lambda exc: NotFound(str(exc)),
    InvalidValueError: lambda exc: Invalid(str(exc)),
    BackupError: _backup_failed,
}


def registry_answer(exc: RegistryError) -> WebError:
    """The web error a registry error is answered with: the row of the nearest class in its
    MRO (a subclass without a row of its own is answered as its parent)."""
    for cls in type(exc).__mro__:
        answer = REGISTRY_ANSWERS.get(cls)
        if answer is not None:
            return answer(exc)
    return Invalid(str(exc))  # RegistryError itself: a value the registry cannot store
