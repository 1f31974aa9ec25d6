"""Jinja2 templates (inside the package) and the one `render` every page uses."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from starlette.requests import Request
from starlette.responses import Response

from myotrack.domain.labels import label
from myotrack.domain.vocab import MEASURES
from myotrack.therapy import STATUS_WORDS
from myotrack.web import sessions
from myotrack.web.panel import STATE_BADGE, gating_groups
from myotrack.web.policy import Access, Principal, allows

TEMPLATE_DIR = Path(str(files("myotrack.web") / "templates"))
templates = Jinja2Templates(directory=str(TEMPLATE_DIR))


def _fmt_number(value: object, digits: int = 2) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
        return text if text not in ("-0", "") else "0"
    return str(value)


def _without(mapping: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if k not in keys}


def _unit(unit: object) -> str:
    """Units as printed: 10^9/L as 10⁹/L."""
    if not unit:
        return ""
    return str(unit).replace("10^9", "10⁹").replace("10^12", "10¹²")


templates.env.filters["num"] = _fmt_number
templates.env.filters["unit"] = _unit
templates.env.globals["gating_groups"] = gating_groups
templates.env.globals["status_words"] = STATUS_WORDS  # the three states' words, once
templates.env.globals["status_badge"] = STATE_BADGE
templates.env.globals["label"] = label  # the clinic's words for every coded value
templates.env.globals["measures"] = MEASURES  # each visit measure's words, unit and range
templates.env.filters["without"] = _without


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    principal: Principal | None = getattr(request.state, "principal", None)
    ctx: dict[str, Any] = {
        "principal": principal,
        "csrf_token": sessions.csrf_token(request),
        "can_write": principal is not None and allows(principal, Access.WRITE_PATIENTS),
        "can_worklist": principal is not None and allows(principal, Access.WORKLIST),
        "can_export": principal is not None and allows(principal, Access.EXPORT),
        "can_import": principal is not None and allows(principal, Access.IMPORT),
        "is_admin": principal is not None and principal.is_admin,
        "idle_minutes": request.app.state.settings.idle_timeout // 60,
    }
    ctx.update(context or {})
    return templates.TemplateResponse(request, name, ctx, status_code=status_code, headers=headers)
