"""What every module of the JSON API shares: its router (prefix /api/, errors documented
with the Problem shape), the access each operation requires, and the error responses."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from myotrack.web.deps import Requires
from myotrack.web.policy import Access
from myotrack.web.schemas import Problem


# Every operation documents its errors with the Problem shape (also 422: the app's
# validation-error handler answers {"detail", "errors"} rather than FastAPI's default).
def api_router() -> APIRouter:
    """A router of the JSON API: under /api/, every operation documenting its errors."""
    return APIRouter(
        prefix="/api",
        responses={
            400: {"model": Problem, "description": "the body could not be read (not JSON / form)"},
            422: {"model": Problem, "description": "invalid values, field by field"},
        },
    )


USER = Requires(Access.USER)
READ = Requires(Access.READ_PATIENTS)
WRITE = Requires(Access.WRITE_PATIENTS)
IMPORT = Requires(Access.IMPORT)
ADMIN = Requires(Access.ADMIN)

ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "not logged in"},
    403: {"model": Problem, "description": "role does not allow it, or CSRF token missing"},
}
PATIENT_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    404: {"model": Problem, "description": "no such patient that you can see"},
}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **PATIENT_ERRORS,
    409: {"model": Problem, "description": "stale edit or duplicate: someone saved first"},
    422: {"model": Problem, "description": "invalid values, field by field"},
}
