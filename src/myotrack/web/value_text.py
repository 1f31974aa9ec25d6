"""Stored values as the clinic reads them, for the audit log and the list of retracted
records: field names and coded values in words (`domain.labels`), numbers without
trailing zeros, long values cut short, so that a row stays readable at 1366 px."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Final

from myotrack.domain.labels import Kind, label

# Which vocabulary a stored field's values come from.
FIELD_VOCABULARY: Final[dict[str, Kind]] = {
    "sex": "sex",
    "diagnosis": "diagnosis",
    "bohan_peter": "bohan_peter",
    "refractory": "refractory",
    "antibodies": "antibody",
    "features": "feature",
    "analyte": "analyte",
    "result": "result",
    "drug": "drug",
    "dose_unit": "dose_unit",
    "frequency": "frequency",
    "route": "route",
    "stop_reason": "stop_reason",
    "event": "event",
    "unit": "unit",
    "reported_unit": "unit",
}
TABLE_WORDS: Final[dict[str, str]] = {
    "patient": "patient",
    "visit": "visit",
    "lab": "lab result",
    "course": "drug course",
    "event": "event",
    "assessment": "item-level scores",
    "setting": "setting",
    "user_account": "user account",
}
ACTION_WORDS: Final[dict[str, str]] = {
    "insert": "entered",
    "update": "changed",
    "retire": "retracted",
    "restore": "restored",
    "import": "cohort import",
    "user": "user account",
}
# Stored columns that are not form fields (so not in the field labels).
_COLUMN_WORDS: Final[dict[str, str]] = {
    "retired_at": "retracted at",
    "reported_value": "value as reported",
    "reported_unit": "unit as reported",
    "reported_ref_low": "lower limit as reported",
    "reported_ref_high": "upper limit as reported",
    "items": "item scores",
    "total": "total",
    "version": "instrument version",
    "extra": "x_ columns",
}
_TIMES: Final = frozenset({"retired_at"})
LONGEST = 60  # characters of one value shown; the JSON API has the whole value
MOST = 8  # fields shown per row; the rest are counted


def value_text(field: str, value: Any) -> str:
    """One stored value in words."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if field in _TIMES and isinstance(value, str):
        try:  # an ISO time: to the second, in UTC
            return datetime.fromisoformat(value).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
        except ValueError:
            return value
    kind = FIELD_VOCABULARY.get(field)
    if isinstance(value, list):
        text = ", ".join(label(kind, str(v)) if kind else str(v) for v in value) or "—"
    elif isinstance(value, dict):
        text = ", ".join(f"{k} {value_text(k, v)}" for k, v in value.items()) or "—"
    else:
        text = label(kind, str(value)) if kind else str(value)
    return text if len(text) <= LONGEST else text[: LONGEST - 1] + "…"


def field_text(field: str) -> str:
    if field.startswith("x_"):
        return field
    return _COLUMN_WORDS.get(field) or label("field", field)


def summarise(values: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """(field, value) pairs in words, the empty ones left out, at most MOST of them
    (then one pair saying how many more)."""
    if not values:
        return []
    shown = [(k, v) for k, v in values.items() if v not in (None, [], {})] or list(values.items())
    pairs = [(field_text(k), value_text(k, v)) for k, v in shown[:MOST]]
    if len(shown) > MOST:
        pairs.append(("…", f"{len(shown) - MOST} more"))
    return pairs
