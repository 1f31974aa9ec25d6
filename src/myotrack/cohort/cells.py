"""One field's rule applied to one value, with messages a data manager understands.

`cell_parser(column)` reads a cell of a CSV file; `value_checker(column)` checks a value
that came as JSON (the API and the web forms). Both end in the same checks, so they give
the same verdict, rule name and message. Each returns the typed value, or raises
CellError with the rule broken and a message.
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
from myotrack.domain import PartialDate, PartialDateError
from myotrack.domain.drugs import DrugNameError, resolve

PATIENT_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Decimal point only: no exponent, no thousands separators, no "nan"/"inf".
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_NOT_PLAIN_DECIMAL = frozenset(string.ascii_letters + "_")


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


@functools.lru_cache(maxsize=65536)
def parse_partial_date(text: str) -> PartialDate:
    """A date known to the year, the month or the day (format version 2)."""
    try:
        return PartialDate.parse(text)
    except PartialDateError as err:
        raise CellError(
            "date", f"'{text}' is not a date: {err.reason}; write {PartialDateError.allowed}"
        ) from None


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


def range_text(column: Column) -> str:
    """The allowed range in words: 'between 0 and 52', 'more than 0', 'at least 1'."""
    low = None if column.min is None else _fmt(column.min)
    if column.min_exclusive and low is not None:
        if column.max is not None:
            return f"more than {low} and at most {_fmt(column.max)}"
        return f"more than {low}"
    if low is not None and column.max is not None:
        return f"between {low} and {_fmt(column.max)}"
    if low is not None:
        return f"at least {low}"
    return f"at most {_fmt(column.max or 0)}"


def _check_id(text: str) -> str:
    if not PATIENT_ID.fullmatch(text):
        raise CellError(
            "patient_id",
            f"'{text}' is not a valid patient_id: use 1-64 letters, digits, '-' or '_' "
            "(a study pseudonym, never a name or hospital number)",
        )
    return text


def _drug(text: str) -> str:
    try:
        return resolve(text).name
    except DrugNameError as err:
        raise CellError(err.rule, err.message) from None


def _text_checker(column: Column) -> Callable[[str], str]:
    limit = column.max_length
    if limit is None:
        return str

    def check_text(text: str) -> str:
        if len(text) > limit:
            raise CellError("length", f"at most {limit} characters (this has {len(text)})")
        return text

    return check_text


def number_checker(column: Column) -> Callable[[float, str], float]:
    """Checks a number already read: finite, whole where required, inside the range.
    `shown` is the value as the user wrote it (for the message)."""
    low = -math.inf if column.min is None else column.min
    high = math.inf if column.max is None else column.max
    exclusive = column.min_exclusive
    whole = column.kind == "integer"

    def check_number(value: float, shown: str) -> float:
        if not math.isfinite(value):
            raise CellError("number", f"'{shown}' is not a number")
        if whole and not value.is_integer():
            raise CellError("integer", f"'{shown}' must be a whole number")
        if not (low < value if exclusive else low <= value) or not value <= high:
            raise CellError("range", f"{shown} is out of range: must be {range_text(column)}")
        return value

    return check_number


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
        return _check_id
    if kind == "date":
        return parse_date
    if kind == "partial_date":
        return parse_partial_date
    if kind == "drug":
        return _drug
    if kind == "choice":
        return _choice_checker(column)
    if kind == "choices":
        check_list = _choices_checker(column)
        return lambda text: check_list(tuple(v.strip() for v in text.split(";")), text)
    if kind in ("number", "integer"):
        check = number_checker(column)

        # A column repeats the same few texts (reference limits, scores, doses) many times:
        # remember what each valid text parsed to (bounded; problems are never cached).
        seen: dict[str, float] = {}

        def parse_measure(text: str) -> float:
            known = seen.get(text)
            if known is not None:
                return known
            value = check(parse_number(text), text)
            if len(seen) < _CACHE_LIMIT:
                seen[text] = value
            return value

        return parse_measure
    return _text_checker(column)


def _choice_checker(column: Column) -> Callable[[str], str]:
    allowed = frozenset(column.choices)
    listed = ", ".join(column.choices)

    def check_choice(text: str) -> str:
        if text not in allowed:
            raise CellError("choice", f"'{text}' is not allowed; use one of: {listed}")
        return text

    return check_choice


def _choices_checker(column: Column) -> Callable[[tuple[str, ...], str], tuple[str, ...]]:
    allowed = frozenset(column.choices)
    listed = ", ".join(column.choices)

    def check_choices(values: tuple[str, ...], shown: str) -> tuple[str, ...]:
        for v in values:
            if v not in allowed:
                raise CellError(
                    "choice", f"'{v}' is not allowed; use ';'-separated values from: {listed}"
                )
        if len(set(values)) != len(values):
            raise CellError("choice", f"'{shown}' lists a value twice")
        if "none" in values and len(values) > 1:
            raise CellError("choice", f"'{shown}' combines 'none' with other values")
        return values

    return check_choices


def value_checker(column: Column) -> Callable[[Any], Any]:
    """The check of a non-null value of this column as it came in JSON (API, web forms):
    the same rules, rule names and messages as `parser_for`. Text is stripped; a number
    may come as a JSON number or as text written as in a CSV cell."""
    kind = column.kind
    if kind in ("number", "integer"):
        check = number_checker(column)

        def check_json_number(value: Any) -> float:
            if isinstance(value, bool):
                raise CellError("number", f"'{value}' is not a number")
            if isinstance(value, int | float):
                return check(
                    float(value), _fmt(float(value)) if math.isfinite(value) else str(value)
                )
            if isinstance(value, str):
                text = value.strip()
                return check(parse_number(text), text)
            raise CellError("number", f"'{value}' is not a number")

        return check_json_number
    if kind == "choices":
        check_list = _choices_checker(column)

        def check_json_list(value: Any) -> tuple[str, ...]:
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
                raise CellError("choice", "give a list of values")
            values = tuple(v.strip() for v in value)
            return check_list(values, ";".join(values))

        return check_json_list
    parse = parser_for(column)

    def check_json_text(value: Any) -> Any:
        if not isinstance(value, str):
            dated = kind in ("date", "partial_date")
            what = "a date as YYYY-MM-DD" if kind == "date" else "text"
            if kind == "partial_date":
                what = "a date as YYYY-MM-DD, YYYY-MM or YYYY"
            raise CellError("date" if dated else "text", f"give {what}")
        return parse(value.strip())

    return check_json_text
