"""The forms that hold the cohort folder's files, built from the folder's field table of
cohort format version 2 (`cohort.FILES_V2`: the version 1 columns with the columns
version 2 adds) and the labels of every code (`domain.labels`, `domain.record_vocab`):
`patient`, `visit`, `lab`, `treatment`, `event`, then one repeating form per file version
2 adds (`antibody_test`, `organ_involvement`, `chest_ct`, …, named after the record kind,
each variable `<form>_<column>`); see `project` for the naming rules."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Final

from myotrack.cohort import FILES_V2, RECORD_KINDS, range_text
from myotrack.cohort.columns import FILES, Column
from myotrack.domain import (
    DOSE_UNIT_TABLE,
    FREQUENCY_TABLE,
    ROUTE_TABLE,
    VACCINE_TABLE,
    record_vocab,
    vocab,
)
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
        renamed={
            "status": "course_status",
            "free_text": "treatment_free_text",
            "sites": "treatment_sites",
            "sites_excluded": "treatment_sites_excluded",
        },
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
            "organism": "event_organism",
            "detection_method": "event_detection_method",
            "specimen": "event_specimen",
        },
    ),
    # Cohort format version 2: one repeating form per new file, named after its record
    # kind, every variable `<form>_<column>` (the new files share column names: date,
    # result, method, free_text, ...).
    *(
        CoreForm(
            name=kind.name,
            label=kind.label[:1].upper() + kind.label[1:],
            file=kind.file,
            repeating=True,
            renamed={c.name: f"{kind.name}_{c.name}" for c in kind.columns},
        )
        for kind in RECORD_KINDS
        if kind.file not in FILES
    ),
)
# Text columns that may carry personal data: REDCap's identifier flag.
_FREE_TEXT: Final = frozenset({"detail", "site", "free_text", "specimen", "laboratory"})
FORM_OF_FILE: Final[dict[str, CoreForm]] = {f.file: f for f in CORE_FORMS}


# The labels of the codes of cohort format version 2 (by the vocabulary a column reads).
_V2_VOCABULARIES: Final = {
    values: name for name, values in record_vocab.RECORD_VOCABULARIES.items()
}
_TABLE_LABELS: Final[dict[str, str]] = {
    **{u.code: u.label for u in DOSE_UNIT_TABLE},
    **{f.code: f.label for f in FREQUENCY_TABLE},
    **{r.code: r.label for r in ROUTE_TABLE},
    **{v.code: v.label for v in VACCINE_TABLE},
}


def _choice_labels(column: Column) -> tuple[tuple[str, str], ...]:
    """(REDCap code, label) of a choice column: the label tables of version 1, the
    vocabularies of version 2 (`record_vocab`), the dose unit, frequency, route and
    vaccine tables."""
    label_kind = LABEL_KINDS.get(column.name)
    vocabulary = _V2_VOCABULARIES.get(column.choices)

    def words(code: str) -> str:
        if vocabulary is not None:
            return record_vocab.record_label(vocabulary, code)
        if label_kind is not None and label(label_kind, code) != code:
            return label(label_kind, code)
        if column.name == "event":
            return record_vocab.record_label("record_event", code)
        if column.name in ("antibody", "drug"):
            return label("antibody" if column.name == "antibody" else "drug", code)
        return _TABLE_LABELS.get(code, code)

    return tuple((redcap_code(c), words(c)) for c in column.choices)


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
    if kind == "partial_date":
        # REDCap's date validations need the day: a date known to the month or year
        # (cohort format version 2) is text; myotrack's import checks it.
        formats = "YYYY-MM-DD, or YYYY-MM / YYYY when only the month or year is known"
        return replace(base, note="; ".join(p for p in (formats, column.help) if p))
    if kind == "choice" and column.choices == vocab.YES_NO:
        return replace(base, type="yesno", codes={"1": "yes", "0": "no"})
    if kind in ("choice", "choices"):
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
            choices=_choice_labels(column),
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
    # free text may carry personal data (removed in de-identified exports)
    return replace(base, note=note, identifier=column.name in _FREE_TEXT)


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
    columns = FILES_V2[form.file]
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
