"""Parsing one cell of the cohort folder format, with messages a data manager understands.

Each parser returns the typed value, or raises CellError with a message and the rule broken.
"""

from __future__ import annotations

import functools
import math
import re
import string
from collections.abc import Callable
from datetime import date
from typing import Any

from myotrack.cohort.columns import Column

PATIENT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Decimal point only: no exponent, no thousands separators, no "nan"/"inf".
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_NOT_PLAIN_DECIMAL = frozenset(string.ascii_letters + "_")
DRUG_NAME = re.compile(r"[a-z][a-z0-9 \-]*")


_CACHE_LIMIT = 100_000


class CellError(ValueError):
    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.message = message


@functools.lru_cache(maxsize=65536)
def parse_date(text: str) -> date:
    # Cached: a cohort repeats the same dates many times (visits, labs, events of one day).
    if not _DATE.fullmatch(text):
        raise CellError("date", f"'{text}' is not a date; write dates as YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CellError("date", f"'{text}' is not a date that exists") from None


def parse_number(text: str) -> float:
    # Fast path: float() on ASCII text without letters or '_' accepts exactly the plain
    # decimals (no exponent, nan, inf, hex or digit separators); the regex for the rest.
    if text.isascii() and _NOT_PLAIN_DECIMAL.isdisjoint(text):
        try:
            return float(text)
        except ValueError:
            pass
    if not _NUMBER.fullmatch(text):
        hint = " (use a point for decimals, no thousands separators)" if "," in text else ""
        raise CellError("number", f"'{text}' is not a number{hint}")
    return float(text)


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _range_text(column: Column) -> str:
    if column.min is not None and column.max is not None:
        return f"between {_fmt(column.min)} and {_fmt(column.max)}"
    if column.min is not None:
        return f"at least {_fmt(column.min)}"
    return f"at most {_fmt(column.max or 0)}"


def cell_parser(column: Column) -> Callable[[str], Any]:
    """The parser of a cell of this column as read from the file: surrounding blanks are
    ignored and an empty cell is None (not recorded)."""
    parse = parser_for(column)

    def parse_cell(text: str) -> Any:
        text = text.strip()
        return parse(text) if text else None

    return parse_cell


def parser_for(column: Column) -> Callable[[str], Any]:
    """The parser of a non-empty, stripped cell of this column."""
    kind = column.kind
    if kind == "id":

        def parse_id(text: str) -> str:
            if not PATIENT_ID.fullmatch(text):
                raise CellError(
                    "patient_id",
                    f"'{text}' is not a valid patient_id: use 1-64 letters, digits, '-' or '_' "
                    "(a study pseudonym, never a name or hospital number)",
                )
            return text

        return parse_id
    if kind == "date":
        return parse_date
    if kind == "choice":
        allowed = frozenset(column.choices)
        listed = ", ".join(column.choices)

        def parse_choice(text: str) -> str:
            if text not in allowed:
                raise CellError("choice", f"'{text}' is not allowed; use one of: {listed}")
            return text

        return parse_choice
    if kind == "choices":
        allowed = frozenset(column.choices)
        listed = ", ".join(column.choices)

        def parse_choices(text: str) -> tuple[str, ...]:
            values = tuple(v.strip() for v in text.split(";"))
            for v in values:
                if v not in allowed:
                    raise CellError(
                        "choice", f"'{v}' is not allowed; use ';'-separated values from: {listed}"
                    )
            if len(set(values)) != len(values):
                raise CellError("choice", f"'{text}' lists a value twice")
            if "none" in values and len(values) > 1:
                raise CellError("choice", f"'{text}' combines 'none' with other values")
            return values

        return parse_choices
    if kind in ("number", "integer"):
        low = -math.inf if column.min is None else column.min
        high = math.inf if column.max is None else column.max
        whole = kind == "integer"

        # A column repeats the same few texts (reference limits, scores, doses) many times:
        # remember what each valid text parsed to (bounded; problems are never cached).
        seen: dict[str, float] = {}

        def parse_measure(text: str) -> float:
            known = seen.get(text)
            if known is not None:
                return known
            value = parse_number(text)
            if whole and not value.is_integer():
                raise CellError("integer", f"'{text}' must be a whole number")
            if not low <= value <= high:
                raise CellError("range", f"{text} is out of range: must be {_range_text(column)}")
            if len(seen) < _CACHE_LIMIT:
                seen[text] = value
            return value

        return parse_measure
    return str
