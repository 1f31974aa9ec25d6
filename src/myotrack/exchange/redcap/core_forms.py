"""The five forms that hold the cohort folder's files (`patient`, `visit`, `lab`,
`treatment`, `event`), built from the folder's field table (`cohort.columns`) and the
labels of every code (`domain.labels`); see `project` for the naming rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Final

from myotrack.cohort import range_text
from myotrack.cohort.columns import FILES, Column
from myotrack.domain import vocab
from myotrack.domain.labels import Kind, label
from myotrack.domain.units import accepted_units
from myotrack.exchange.redcap.fields import (
    MAX_RADIO_CHOICES,
    RECORD_ID,
    Field,
    FieldType,
    Form,
    redcap_code,
)

# Which label table names the codes of each coded folder column (`domain.labels`).
LABEL_KINDS: Final[dict[str, Kind]] = {
    "sex": "sex",
    "diagnosis": "diagnosis",
    "bohan_peter": "bohan_peter",
    "antibodies": "antibody",
    "refractory": "refractory",
    "features": "feature",
    "analyte": "analyte",
    "result": "result",
    "dose_unit": "dose_unit",
    "frequency": "frequency",
    "route": "route",
    "stop_reason": "stop_reason",
    "event": "event",
}


@dataclass(frozen=True, slots=True)
class CoreForm:
    """A form that holds one file of the cohort folder."""

    name: str
    label: str
    file: str
    repeating: bool
    renamed: Mapping[str, str]  # folder column -> REDCap variable, where not the same


CORE_FORMS: Final[tuple[CoreForm, ...]] = (
    CoreForm(name="patient", label="Patient", file="patients.csv", repeating=False, renamed={}),
    CoreForm(
        name="visit",
        label="Visit",
        file="visits.csv",
        repeating=True,
        renamed={"date": "visit_date"},
    ),
    CoreForm(
        name="lab",
        label="Laboratory result",
        file="labs.csv",
        repeating=True,
        renamed={
            "date": "lab_date",
            "analyte": "lab_analyte",
            "value": "lab_value",
            "result": "lab_result",
            "unit": "lab_unit",
            "ref_high": "lab_ref_high",
            "ref_low": "lab_ref_low",
        },
    ),
    CoreForm(
        name="treatment",
        label="Treatment course",
        file="treatments.csv",
        repeating=True,
        renamed={},
    ),
    CoreForm(
        name="event",
        label="Event",
        file="events.csv",
        repeating=True,
        renamed={
            "date": "event_date",
            "event": "event_type",
            "detail": "event_detail",
            "grade": "event_grade",
        },
    ),
)
FORM_OF_FILE: Final[dict[str, CoreForm]] = {f.file: f for f in CORE_FORMS}


def _choices(codes: Sequence[str], kind: Kind | None) -> tuple[tuple[str, str], ...]:
    return tuple((redcap_code(c), label(kind, c) if kind is not None else c) for c in codes)


def _code_map(codes: Sequence[str]) -> dict[str, str]:
    return {redcap_code(c): c for c in codes}


def _number_bounds(column: Column) -> tuple[str, str]:
    def text(x: float | None) -> str:
        if x is None:
            return ""
        return str(int(x)) if float(x).is_integer() else str(x)

    return text(column.min), text(column.max)


def _column_field(form: CoreForm, column: Column) -> Field:
    name = form.renamed.get(column.name, column.name)
    base = Field(
        name=name,
        form=form.name,
        type="text",
        label=_sentence(label("field", column.name)),
        column=column.name,
        required=column.required,
        note=column.help,
    )
    kind = column.kind
    if kind == "id":
        return replace(base, note="study pseudonym (1-64 letters, digits, - or _)")
    if kind == "date":
        return replace(
            base, validation="date_ymd", identifier=column.name == "birth_date", note=column.help
        )
    if kind == "choice" and column.choices == vocab.YES_NO:
        return replace(base, type="yesno", codes={"1": "yes", "0": "no"})
    if kind in ("choice", "choices"):
        label_kind = LABEL_KINDS.get(column.name)
        field_type: FieldType = (
            "checkbox"
            if kind == "choices"
            else "radio"
            if len(column.choices) <= MAX_RADIO_CHOICES
            else "dropdown"
        )
        return replace(
            base,
            type=field_type,
            choices=_choices(column.choices, label_kind),
            codes=_code_map(column.choices),
        )
    if kind in ("number", "integer"):
        low, high = _number_bounds(column)
        unit = f" ({column.unit})" if column.unit else ""
        rule = range_text(column) if column.min is not None or column.max is not None else ""
        note = "; ".join(part for part in (column.help, rule) if part)
        return replace(
            base,
            label=base.label + unit,
            validation="integer" if kind == "integer" else "number",
            min=low,
            max=high,
            note=note,
        )
    if kind == "drug":
        return replace(
            base,
            note="generic name from the myotrack catalogue (e.g. tofacitinib), or another "
            "drug's name; a dose change starts a new course",
        )
    limit = f"at most {column.max_length} characters" if column.max_length else ""
    note = "; ".join(part for part in (column.help, limit) if part)
    if column.name == "unit":
        note = "as reported; " + "; ".join(
            f"{label('analyte', a)}: {', '.join(accepted_units(a))}"
            for a in vocab.QUANTITATIVE_ANALYTES
        )
    return replace(base, note=note, identifier=column.name in ("detail", "site"))


def _lab_branching(field: Field) -> Field:
    """Value, unit and limits for measured analytes; a result for screening tests."""
    analyte = FORM_OF_FILE["labs.csv"].renamed["analyte"]
    shown: tuple[str, ...]
    if field.column in ("value", "unit", "ref_low", "ref_high"):
        shown = vocab.QUANTITATIVE_ANALYTES
    elif field.column == "result":
        shown = vocab.QUALITATIVE_ANALYTES
    else:
        return field
    logic = " or ".join(f"[{analyte}] = '{redcap_code(a)}'" for a in shown)
    return replace(field, branching=logic)


def core_form(form: CoreForm, extra_columns: Sequence[str] = ()) -> Form:
    """A folder file as a form, with the `x_` columns a cohort carries as notes fields."""
    columns = FILES[form.file]
    if form.repeating:
        columns = tuple(c for c in columns if c.name != RECORD_ID)
    fields = [_column_field(form, c) for c in columns]
    if form.file == "labs.csv":
        fields = [_lab_branching(f) for f in fields]
    for x_name in extra_columns:
        fields.append(
            Field(
                name=f"{form.name}_{x_name}",
                form=form.name,
                type="notes",
                label=f"{x_name} (a column of your own)",
                column=x_name,
                identifier=True,
                note="free text kept as written; removed in de-identified exports",
            )
        )
    return Form(
        name=form.name,
        label=form.label,
        repeating=form.repeating,
        fields=tuple(fields),
        file=form.file,
    )


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]
