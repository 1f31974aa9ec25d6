"""The errors routes raise; `myotrack.web.app` turns them into pages or JSON."""

from __future__ import annotations

from myotrack.registry import DuplicateError


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
