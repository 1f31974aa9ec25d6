"""The cohort folder format as data: one table of columns per file (version 1 here; the
columns and files version 2 adds are in `cohort.columns_v2`, in the same `Column` shape).

This is the one field table of myotrack: the folder reader (`cohort.cells`), the record
checks (`cohort.record_checks`), the JSON API and web-form models (`web.schemas`, built
from it) and the writer all read it, so a value one path accepts, every path accepts.
Each column states its type, vocabulary, range, length, unit and date limits.
Source: docs/cohort-format.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from myotrack.domain import vocab

Kind = Literal[
    "id", "date", "partial_date", "choice", "choices", "number", "integer", "text", "drug"
]


@dataclass(frozen=True, slots=True)
class Column:
    """One field's rule. `min` is inclusive unless `min_exclusive`; `max` is inclusive.
    Dates are never after today (`not_future`) and, except the birth date itself, never
    before the patient's birth (`not_before_birth`); the record checks apply both."""

    name: str
    kind: Kind
    required: bool = False
    choices: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    min_exclusive: bool = False
    max_length: int | None = None
    unit: str | None = None
    not_future: bool = False
    not_before_birth: bool = False
    help: str = ""


def _measure(name: str) -> Column:
    m = vocab.MEASURES[name]
    return Column(
        name,
        "integer" if m.whole else "number",
        min=m.min,
        max=m.max,
        unit=m.unit,
        help=m.label,
    )


def _date(name: str, *, required: bool = False, help: str = "") -> Column:
    """A record date: not after today, not before the patient's birth."""
    return Column(
        name, "date", required=required, not_future=True, not_before_birth=True, help=help
    )


PATIENTS: Final = (
    Column("patient_id", "id", required=True, help="study pseudonym"),
    Column("sex", "choice", required=True, choices=vocab.SEXES),
    Column("birth_date", "date", required=True, not_future=True),
    _date("onset_date", help="date of first symptom"),
    _date("diagnosis_date", help="not before the onset date"),
    Column("diagnosis", "choice", required=True, choices=vocab.DIAGNOSES),
    Column("bohan_peter", "choice", choices=vocab.BOHAN_PETER),
    Column("antibodies", "choices", choices=vocab.ANTIBODIES),
    Column("refractory", "choice", choices=vocab.REFRACTORY),
    Column("features", "choices", choices=vocab.FEATURES),
    Column("site", "text", max_length=100, help="the centre"),
)

VISITS: Final = (
    Column("patient_id", "id", required=True),
    _date("date", required=True),
    _measure("weight_kg"),
    _measure("height_cm"),
    Column("rash", "choice", choices=vocab.YES_NO, help="any active dermatomyositis rash"),
    Column("weakness", "choice", choices=vocab.YES_NO, help="clinically decreased strength"),
    *(_measure(m.name) for m in vocab.VISIT_MEASURE_TABLE if m.unit is None),
)

LABS: Final = (
    Column("patient_id", "id", required=True),
    _date("date", required=True),
    Column("analyte", "choice", required=True, choices=vocab.ANALYTES),
    Column("value", "number", min=0, help="for quantitative analytes"),
    Column("result", "choice", choices=vocab.QUALITATIVE_RESULTS, help="for screening tests"),
    Column("unit", "text", max_length=20, help="for quantitative analytes"),
    Column("ref_high", "number", min=0, help="upper reference limit, same unit"),
    Column("ref_low", "number", min=0, help="lower reference limit, same unit"),
)

TREATMENTS: Final = (
    Column("patient_id", "id", required=True),
    Column(
        "drug",
        "drug",
        required=True,
        max_length=60,
        help="generic name or a synonym of the catalogue, or another drug's name",
    ),
    Column("dose", "number", min=0, min_exclusive=True, help="more than 0"),
    Column("dose_unit", "choice", choices=vocab.DOSE_UNITS),
    Column("frequency", "choice", choices=vocab.FREQUENCIES),
    Column("route", "choice", choices=vocab.ROUTES),
    _date("start_date", required=True),
    _date("end_date", help="empty = still running at the cut-off"),
    Column("stop_reason", "choice", choices=vocab.STOP_REASONS),
)

EVENTS: Final = (
    Column("patient_id", "id", required=True),
    _date("date", required=True),
    Column("event", "choice", required=True, choices=vocab.EVENTS),
    Column("detail", "text", max_length=200, help="free text; for infection the organism"),
    Column("grade", "integer", min=1, max=5, help="CTCAE grade"),
)

FILES: Final[dict[str, tuple[Column, ...]]] = {
    "patients.csv": PATIENTS,
    "visits.csv": VISITS,
    "labs.csv": LABS,
    "treatments.csv": TREATMENTS,
    "events.csv": EVENTS,
}
COLUMNS: Final[dict[str, dict[str, Column]]] = {
    name: {c.name: c for c in table} for name, table in FILES.items()
}
SETTINGS_FILE: Final = "cohort.toml"
EXTRA_PREFIX: Final = "x_"
