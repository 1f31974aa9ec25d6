"""The shape of the REDCap project: fields, forms, the project, REDCap's own column
names, and how myotrack codes and sites are spelt in REDCap (see `project`)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from myotrack.cohort.columns import EXTRA_PREFIX
from myotrack.instruments import InstrumentDefinition

FieldType = Literal[
    "text", "notes", "radio", "dropdown", "checkbox", "yesno", "calc", "descriptive"
]

RECORD_ID: Final = "patient_id"
# REDCap's own columns of a flat records export (interop.md §2.2).
REPEAT_INSTRUMENT: Final = "redcap_repeat_instrument"
REPEAT_INSTANCE: Final = "redcap_repeat_instance"
DATA_ACCESS_GROUP: Final = "redcap_data_access_group"
# `Field.column` of an instrument form's date and version fields (never an item id).
ASSESSMENT_DATE: Final = "@date"
ASSESSMENT_VERSION: Final = "@version"
CHECKBOX_SEPARATOR: Final = "___"  # `antibodies___tif1g`
COMPLETE_SUFFIX: Final = "_complete"
COMPLETE: Final = "2"  # REDCap's "Complete" status of a form

VARIABLE_NAME: Final = re.compile(r"[a-z][a-z0-9_]*")
_NOT_CODE = re.compile(r"[^a-z0-9_]")

# Radio buttons up to this many choices, a drop-down list beyond.
MAX_RADIO_CHOICES: Final = 8


@dataclass(frozen=True, slots=True)
class Field:
    """One row of the data dictionary, with what myotrack needs to map values."""

    name: str
    form: str
    type: FieldType
    label: str
    column: str | None = None  # the folder column (core forms) or the item id (instruments)
    choices: tuple[tuple[str, str], ...] = ()  # (REDCap code, label)
    codes: Mapping[str, str] | None = None  # REDCap code -> myotrack code
    validation: str = ""
    min: str = ""
    max: str = ""
    note: str = ""
    identifier: bool = False
    required: bool = False
    calculation: str = ""
    branching: str = ""
    section: str = ""
    annotation: str = ""
    matrix_group: str = ""  # radio fields in a row sharing one set of choices


@dataclass(frozen=True, slots=True)
class Form:
    name: str
    label: str
    repeating: bool
    fields: tuple[Field, ...]
    file: str | None = None  # the folder file a core form holds
    instrument: InstrumentDefinition | None = None


@dataclass(frozen=True, slots=True)
class Project:
    """The whole project: forms in order, the record id first."""

    forms: tuple[Form, ...]

    @property
    def fields(self) -> tuple[Field, ...]:
        return tuple(f for form in self.forms for f in form.fields)

    def form(self, name: str) -> Form:
        for form in self.forms:
            if form.name == name:
                return form
        raise KeyError(name)


def redcap_code(code: str) -> str:
    """A myotrack code as REDCap spells choice codes: 'TIF1G' -> 'tif1g', 'mg/kg' -> 'mg_kg',
    'µg' -> 'ug', '%' -> 'percent'."""
    return _NOT_CODE.sub("_", code.lower().replace("µ", "u").replace("%", "percent"))


def dag_name(site: str) -> str:
    """The unique group name of the data access group of `site`, as myotrack writes it:
    lower case, any other character `_`, runs of `_` collapsed, at most 18 characters.
    ASSUMPTION: REDCap derives unique group names from the group's label in this way; its
    exact rule was not verified, so the site itself also travels in the `site` field and
    wins on import (a differing group is a warning)."""
    name = re.sub(r"_+", "_", _NOT_CODE.sub("_", site.lower())).strip("_")
    return name[:18].rstrip("_")


def number_text(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


class Names:
    """Variable names of the project, handing out the documented fallbacks on a clash."""

    def __init__(self, taken: Sequence[str]) -> None:
        self.taken = set(taken)

    def claim(self, name: str, fallback_suffix: str) -> str:
        if name in self.taken:
            name = f"{name}_{fallback_suffix}"
        if name in self.taken:
            raise ValueError(f"REDCap variable name {name!r} is used twice")
        self.taken.add(name)
        return name


def x_columns_allowed(x_name: str) -> bool:
    """Whether an `x_` column can be a REDCap variable as written (lower case only)."""
    return x_name.startswith(EXTRA_PREFIX) and VARIABLE_NAME.fullmatch(x_name) is not None
