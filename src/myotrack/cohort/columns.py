"""The cohort folder format, version 1, as data: one table of columns per file.

The reader validates against these tables and the writer writes them, so the format
is defined once. Source: docs/cohort-format.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from myotrack.domain import vocab

Kind = Literal["id", "date", "choice", "choices", "number", "integer", "text"]


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    kind: Kind
    required: bool = False
    choices: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    help: str = ""


def _measure(name: str, help_text: str) -> Column:
    low, high, whole = vocab.VISIT_MEASURES[name]
    return Column(name, "integer" if whole else "number", min=low, max=high, help=help_text)


PATIENTS: Final = (
    Column("patient_id", "id", required=True, help="study pseudonym"),
    Column("sex", "choice", required=True, choices=vocab.SEXES),
    Column("birth_date", "date", required=True),
    Column("onset_date", "date", help="date of first symptom"),
    Column("diagnosis_date", "date"),
    Column("diagnosis", "choice", required=True, choices=vocab.DIAGNOSES),
    Column("bohan_peter", "choice", choices=vocab.BOHAN_PETER),
    Column("antibodies", "choices", choices=vocab.ANTIBODIES),
    Column("refractory", "choice", choices=vocab.REFRACTORY),
    Column("features", "choices", choices=vocab.FEATURES),
    Column("site", "text", help="the centre"),
)

VISITS: Final = (
    Column("patient_id", "id", required=True),
    Column("date", "date", required=True),
    _measure("weight_kg", "body weight in kg"),
    _measure("height_cm", "height in cm"),
    Column("rash", "choice", choices=vocab.YES_NO, help="any active dermatomyositis rash"),
    Column("weakness", "choice", choices=vocab.YES_NO, help="clinically decreased strength"),
    _measure("cmas", "CMAS total, 0-52"),
    _measure("mmt8", "MMT8 total, unilateral 0-80"),
    _measure("catbm_activity", "CAT-BM activity score"),
    _measure("catbm_damage", "CAT-BM damage score"),
    _measure("cdasi_activity", "CDASI activity, 0-100"),
    _measure("cdasi_damage", "CDASI damage, 0-32"),
    _measure("das_skin", "JDM DAS skin, 0-9"),
    _measure("das_muscle", "JDM DAS muscle, 0-11"),
    _measure("phga", "physician global activity, 0-10"),
    _measure("parent_global", "parent global, 0-10"),
    _measure("chaq", "CHAQ disability index, 0-3"),
)

LABS: Final = (
    Column("patient_id", "id", required=True),
    Column("date", "date", required=True),
    Column("analyte", "choice", required=True, choices=vocab.ANALYTES),
    Column("value", "number", min=0, help="for quantitative analytes"),
    Column("result", "choice", choices=vocab.QUALITATIVE_RESULTS, help="for screening tests"),
    Column("unit", "text", help="for quantitative analytes"),
    Column("ref_high", "number", min=0, help="upper reference limit, same unit"),
    Column("ref_low", "number", min=0, help="lower reference limit, same unit"),
)

TREATMENTS: Final = (
    Column("patient_id", "id", required=True),
    Column("drug", "text", required=True, help="generic name, lower case"),
    Column("dose", "number", min=0),
    Column("dose_unit", "choice", choices=vocab.DOSE_UNITS),
    Column("frequency", "choice", choices=vocab.FREQUENCIES),
    Column("route", "choice", choices=vocab.ROUTES),
    Column("start_date", "date", required=True),
    Column("end_date", "date", help="empty = still running at the cut-off"),
    Column("stop_reason", "choice", choices=vocab.STOP_REASONS),
)

EVENTS: Final = (
    Column("patient_id", "id", required=True),
    Column("date", "date", required=True),
    Column("event", "choice", required=True, choices=vocab.EVENTS),
    Column("detail", "text", help="free text; for infection the organism"),
    Column("grade", "integer", min=1, max=5, help="CTCAE grade"),
)

FILES: Final[dict[str, tuple[Column, ...]]] = {
    "patients.csv": PATIENTS,
    "visits.csv": VISITS,
    "labs.csv": LABS,
    "treatments.csv": TREATMENTS,
    "events.csv": EVENTS,
}
SETTINGS_FILE: Final = "cohort.toml"
EXTRA_PREFIX: Final = "x_"
