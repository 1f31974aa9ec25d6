"""The errors routes raise; `myotrack.web.app` turns them into pages or JSON."""

from __future__ import annotations


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
