"""The findings of an investigation of the whole record (chest CT, oxygen need, BAL, muscle
MRI, capillaroscopy, ...) as a clinician writes them: every coded value in the clinic's
words (`domain.record_vocab`), the field named in words with its unit, free text last as
the clinicians wrote it. "Not stated" values are left out (they say nothing).

    >>> findings_text(ChestHrct(..., findings=("ground_glass_opacity",), change="first_study"))
    'findings: ground-glass opacity; change: first study'

Which vocabulary a field's code belongs to is read from the field's type (its `Literal`),
matched to the vocabulary with exactly those codes; no table of field names to keep.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from functools import cache
from typing import Any, Literal, Union, get_args, get_origin

from myotrack.domain.record_vocab import RECORD_VOCABULARIES, record_label

SKIPPED = ("not_stated",)  # codes that say nothing about the finding
NOT_FINDINGS = ("patient_id", "date", "free_text")
# Units carried in a field's name, and how the value is written with them.
NAME_UNITS: tuple[tuple[str, str], ...] = (
    ("_percent_predicted", "% predicted"),
    ("_percent", "%"),
    ("_l_per_min", " L/min"),
    ("_per_mm", "/mm"),
)


@cache
def _vocabulary_of(codes: frozenset[str]) -> str | None:
    """The version 2 vocabulary whose codes are exactly `codes`."""
    for kind, known in RECORD_VOCABULARIES.items():
        if frozenset(known) == codes:
            return kind
    return None


def _literal_codes(hint: Any) -> frozenset[str] | None:
    """The codes of the Literal inside `hint` (through Optional and tuple[...])."""
    origin = get_origin(hint)
    if origin is Literal:
        return frozenset(str(a) for a in get_args(hint))
    if origin in (Union, types.UnionType, tuple):
        for arg in get_args(hint):
            if arg is type(None) or arg is Ellipsis:
                continue
            found = _literal_codes(arg)
            if found is not None:
                return found
    return None


_HINTS: dict[type, dict[str, Any]] = {}


def _field_hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _name_and_unit(name: str) -> tuple[str, str]:
    for suffix, unit in NAME_UNITS:
        if name.endswith(suffix):
            return name[: -len(suffix)].replace("_", " "), unit
    return name.replace("_", " "), ""


def _value_text(value: Any, hint: Any, unit: str) -> str | None:
    if value is None or value == () or value == "":
        return None
    if isinstance(value, tuple):
        parts = [_value_text(v, hint, unit) for v in value]
        shown = [p for p in parts if p]
        return ", ".join(shown) if shown else None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _dataclass_words(value, inner=True) or None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float | int):
        return f"{value:g}{unit}"
    text = str(value)
    if text in SKIPPED:
        return None
    codes = _literal_codes(hint)
    kind = _vocabulary_of(codes) if codes else None
    return record_label(kind, text) if kind else text.replace("_", " ")


def _dataclass_words(item: Any, *, inner: bool = False) -> str:
    hints = _field_hints(type(item))
    parts = []
    for f in dataclasses.fields(item):
        if f.name in NOT_FINDINGS:
            continue
        name, unit = _name_and_unit(f.name)
        text = _value_text(getattr(item, f.name), hints.get(f.name), unit)
        if text is None:
            continue
        # Inside a finding (an organism and how it was found), the values alone read best.
        parts.append(text if inner else f"{name}: {text}")
    return (" " if inner else "; ").join(parts)


def findings_text(item: Any) -> str:
    """The recorded findings of one investigation in words, free text last."""
    text = _dataclass_words(item)
    free = getattr(item, "free_text", None)
    if free:
        text = f"{text}. Noted: {free}" if text else f"Noted: {free}"
    return text or "no findings recorded"


__all__ = ["findings_text"]
