"""Turning a submitted HTML form into an API model, with errors keyed by field."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from myotrack.web.services import FormErrors

M = TypeVar("M", bound=BaseModel)


def text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def optional(form: FormData, name: str) -> str | None:
    return text(form, name) or None


def yes_no(form: FormData, name: str) -> bool | None:
    value = text(form, name)
    return {"yes": True, "no": False}.get(value)


def version(form: FormData, name: str = "expected_version") -> int | None:
    value = text(form, name)
    return int(value) if value.isdigit() else None


def build(model: type[M], data: dict[str, Any]) -> M:
    """`model(**data)`, or FormErrors naming each bad field in words."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"]) or "form"
            message = str(err["msg"])
            if err["type"] in ("date_from_datetime_parsing", "date_parsing"):
                message = "Enter a date as YYYY-MM-DD."
            elif err["type"] == "missing":
                message = "Required."
            elif err["type"] == "float_parsing":
                message = "Enter a number."
            errors.setdefault(field, message)
        raise FormErrors(errors) from None
