"""The whole JDM record (cohort format version 2) as the web shows it: for every record kind
of the field table (`cohort.RECORD_KINDS`) its form fields, its title, its group on the
patient page, and every stored value in the clinic's words.

Nothing here restates a rule: each form field is one column of the field table (its type,
vocabulary, unit, whether it is required), so one generic form (`record_form.html`) serves
every kind; labels come from `domain.labels` (field names and the version 1 codes) and
`domain.record_vocab` (the version 2 codes). A column whose name has no label yet is shown
as its name in words, with its help text beside it.

Dates known to the month or year are shown at their precision: "Oct 2021", "2021";
a whole date as ISO text like every other date of the pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, Final, Literal

from myotrack.cohort import RECORD_KINDS, RecordKind, columns
from myotrack.domain import VACCINE_TABLE, PartialDate, vocab
from myotrack.domain import labels as labels_table
from myotrack.domain import record_vocab as rv
from myotrack.domain.labels import label

Widget = Literal["partial_date", "date", "select", "checkboxes", "number", "text", "drug"]
Group = Literal["investigations", "involvement", "background", "treatment", "events"]

GROUP_TITLES: Final[dict[Group, str]] = {
    "investigations": "Investigations",
    "involvement": "Organ involvement",
    "background": "Background",
    "treatment": "Treatment detail, vaccinations, pregnancy tests, decisions",
    "events": "Events known to the month or year, and their detail",
}
# Where each kind is shown on the patient page (and offered in its "add" menu).
KIND_GROUP: Final[dict[str, Group]] = {
    "chest_ct": "investigations",
    "lung_function": "investigations",
    "oxygen_need": "investigations",
    "bal": "investigations",
    "muscle_mri": "investigations",
    "muscle_ultrasound": "investigations",
    "muscle_biopsy": "investigations",
    "capillaroscopy": "investigations",
    "cardiac_test": "investigations",
    "swallow_assessment": "investigations",
    "organ_involvement": "involvement",
    "patient_background": "background",
    "antibody_test": "background",
    "family_history": "background",
    "treatment_course": "treatment",
    "course_detail": "treatment",
    "vaccination": "treatment",
    "pregnancy_test": "treatment",
    "treatment_decision": "treatment",
    "clinical_event": "events",
    "event_detail": "events",
}
# The short titles of the kinds whose field-table label explains more than a title can.
_TITLES: Final[dict[str, str]] = {
    "patient_background": "Background",
    "treatment_course": "Treatment course (known to the month or year, or with its detail)",
    "course_detail": "Detail of a drug course",
    "clinical_event": "Event (known to the month or year, or a version 2 event)",
    "event_detail": "Detail of an event (organism)",
}


@dataclass(frozen=True, slots=True)
class FormField:
    """One input of the generic record form: a column of the field table."""

    name: str
    words: str
    widget: Widget
    required: bool
    options: tuple[tuple[str, str], ...]  # (code, words) of a choice column
    unit: str | None
    help: str


def kind_of(name: str) -> RecordKind:
    """The record kind called `name` (KeyError for another name)."""
    return _KINDS[name]


_KINDS: Final[dict[str, RecordKind]] = {k.name: k for k in RECORD_KINDS}
KIND_NAMES: Final[tuple[str, ...]] = tuple(_KINDS)


def title(kind: str) -> str:
    """A kind's title: 'Chest CT', 'Nailfold capillaroscopy'."""
    words = _TITLES.get(kind) or _KINDS[kind].label.split(" (")[0]
    return words[:1].upper() + words[1:]


# Column names whose words differ by kind: an organ's onset is not the disease's first
# symptom (the words `domain.labels` gives `onset_date` for the patient).
_KIND_FIELD_WORDS: Final[dict[str, dict[str, str]]] = {
    "organ_involvement": {"onset_date": "onset", "resolution_date": "resolved on"},
}


def kind_words(kind: str) -> str:
    """A kind's title inside a sentence: 'chest CT', 'muscle MRI', 'bronchoalveolar lavage'
    (the first letter lower case unless the first word is an abbreviation)."""
    words = title(kind)
    return words if words[1:2].isupper() else words[:1].lower() + words[1:]


def field_words(name: str, kind: str | None = None) -> str:
    """A column's name as the clinic says it (`domain.labels`; in `kind`'s words where
    they differ), or its name in words."""
    words = _KIND_FIELD_WORDS.get(kind or "", {}).get(name) or labels_table.LABELS["field"].get(
        name
    )
    if words:
        return words
    text = name.replace("_percent_predicted", " (% predicted)").replace("_percent", " (%)")
    return text.replace("_", " ")


def _widget(column: columns.Column) -> Widget:
    kind = column.kind
    if kind == "choice":
        return "select"
    if kind == "choices":
        return "checkboxes"
    if kind in ("number", "integer"):
        return "number"
    if kind in ("partial_date", "date", "drug"):
        return kind
    return "text"


@cache
def _label_table(choices: tuple[str, ...]) -> Mapping[str, str]:
    """The label table of a version 2 vocabulary: the smallest table of
    `record_vocab.RECORD_LABELS` that has every code of the column."""
    wanted = set(choices)
    fitting = [t for t in rv.RECORD_LABELS.values() if wanted <= set(t)]
    return min(fitting, key=len) if fitting else {}


# Columns whose codes are the version 1 vocabularies of `domain.labels` (and, for events and
# the treatment tables, their version 2 codes; the treatment tables' labels hold both).
_V1_LABELS: Final[dict[str, labels_table.Kind]] = {
    "dose_unit": "dose_unit",
    "frequency": "frequency",
    "route": "route",
    "stop_reason": "stop_reason",
    "antibody": "antibody",
    "drug": "drug",
}
_VACCINES: Final[dict[str, str]] = {str(v.code): v.label for v in VACCINE_TABLE}
_EVENT_V2: Final = rv.RECORD_LABELS.get("record_event", {})


def value_words(column: columns.Column, code: str) -> str:
    """A coded value of a column in the clinic's words."""
    name = column.name
    if name in _V1_LABELS:
        return label(_V1_LABELS[name], code)
    if name == "event":
        return _EVENT_V2.get(code) or label("event", code)
    if name == "vaccine":
        return _VACCINES.get(code, code)
    if column.choices == vocab.YES_NO:
        return label("yes_no", code)
    return _label_table(column.choices).get(code, code.replace("_", " "))


def form_fields(kind: str) -> tuple[FormField, ...]:
    """The inputs of a kind's form: every column but patient_id, in the table's order."""
    return _form_fields(kind)


@cache
def _form_fields(kind: str) -> tuple[FormField, ...]:
    out = []
    for column in _KINDS[kind].columns[1:]:
        out.append(
            FormField(
                name=column.name,
                words=field_words(column.name, kind),
                widget=_widget(column),
                required=column.required,
                options=tuple((c, value_words(column, c)) for c in column.choices),
                unit=column.unit,
                help=column.help,
            )
        )
    return tuple(out)


_MONTHS: Final = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)


def date_words(value: PartialDate | date | None) -> str:
    """A date at its precision: '2021', 'Oct 2021', '2021-10-05'."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if value.precision == "year":
        return str(value.year)
    if value.precision == "month":
        assert value.month is not None
        return f"{_MONTHS[value.month - 1]} {value.year}"
    return value.iso()


def shown_value(column: columns.Column, value: Any) -> str:
    """A stored value as the page shows it (codes in words, dates at their precision,
    numbers without trailing zeros, with the column's unit)."""
    if value is None or value == () or value == "":
        return ""
    if isinstance(value, PartialDate | date):
        return date_words(value)
    if column.name == "titre":  # the field table keeps the denominator: 160 for 1:160
        return f"1:{value}"
    if column.kind == "choices":
        return ", ".join(value_words(column, str(v)) for v in value)
    if column.kind in ("choice", "drug"):
        return value_words(column, str(value))
    if isinstance(value, float):
        text = f"{value:.3f}".rstrip("0").rstrip(".")
        return f"{text} {column.unit}" if column.unit else text
    if isinstance(value, int) and column.unit:
        return f"{value} {column.unit}"
    return str(value)


# A number and the column holding its unit: shown as one fact ("dose 5 mg", "strength 0.1 %").
_UNIT_COLUMN: Final[dict[str, str]] = {"dose": "dose_unit", "strength": "strength_unit"}
_NUMBER_OF: Final[dict[str, str]] = {unit: number for number, unit in _UNIT_COLUMN.items()}


def facts(
    kind: str, values: Mapping[str, Any], skip: frozenset[str] = frozenset()
) -> list[tuple[str, str]]:
    """The filled fields of a record of `kind` as (field words, value words) in the field
    table's order: a number with its unit as one fact, `start_unknown` left to the date
    (`start_words`), the columns in `skip` left out."""
    spec = _KINDS[kind]
    out = []
    for column in spec.columns[1:]:
        name = column.name
        if name in skip or name == "start_unknown":
            continue
        if name in _NUMBER_OF and values.get(_NUMBER_OF[name]) is not None:
            continue  # shown with its number
        text = shown_value(column, values.get(name))
        unit = _UNIT_COLUMN.get(name)
        if text and unit is not None and values.get(unit) is not None:
            text = f"{text} {shown_value(spec.column[unit], values[unit])}"
        if text:
            out.append((field_words(name, kind), text))
    return out


def start_words(values: Mapping[str, Any], date_column: str) -> str:
    """The date a record is listed by, at its precision; 'start not known' for a course the
    report gives no start for (`start_unknown = yes`), '' when undated."""
    value = values.get(date_column)
    if value is None and values.get("start_unknown") == "yes":
        return "start not known"
    return date_words(value)


def form_text(column: columns.Column, value: Any) -> str | list[str]:
    """A stored value as the form shows it for a correction (the text a user would type)."""
    if value is None:
        return [] if column.kind == "choices" else ""
    if isinstance(value, PartialDate):
        return value.iso()
    if isinstance(value, date):
        return value.isoformat()
    if column.kind == "choices":
        return [str(v) for v in value]
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


__all__ = [
    "GROUP_TITLES",
    "KIND_GROUP",
    "KIND_NAMES",
    "FormField",
    "date_words",
    "facts",
    "field_words",
    "form_fields",
    "form_text",
    "kind_of",
    "kind_words",
    "shown_value",
    "start_words",
    "title",
    "value_words",
]
