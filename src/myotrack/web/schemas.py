"""Pydantic models of the JSON API (kept apart from the domain and ORM classes).

Dates are ISO dates. For de-identified users (researchers) every `date`/`birth_date` field
is null and `day` gives the days relative to the patient's index date (first JAK-inhibitor
start; 0 = index date) instead.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
)

from myotrack.domain import vocab

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_only(value: object) -> object:
    """Dates come as ISO text (YYYY-MM-DD): a number is not read as a Unix timestamp."""
    if isinstance(value, bool | int | float) or (
        isinstance(value, str) and not _ISO_DATE.fullmatch(value.strip())
    ):
        raise ValueError("enter a date as YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date_only)]

PatientId = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")
]
Reason = Annotated[str, StringConstraints(max_length=500)]


class Health(BaseModel):
    status: Literal["ok"]
    database: Literal["ok", "unavailable"]


class SessionInfo(BaseModel):
    username: str
    role: str
    site: str | None
    csrf_token: str = Field(description="Send it as the X-CSRF-Token header on every POST.")


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=1000)]


class Problem(BaseModel):
    """An error: what went wrong, in words, and where (field) when it is about a field."""

    detail: str
    errors: list[FieldError] = []


class FieldError(BaseModel):
    field: str
    message: str


class PatientSummary(BaseModel):
    patient_id: str
    site: str | None
    sex: str
    diagnosis: str
    antibodies: list[str]
    jak_inhibitors: list[str]
    birth_date: date | None = Field(description="null for de-identified users")
    age_years: float | None = Field(
        description="age today, or at the index date when de-identified"
    )
    index_date: date | None = Field(
        description="first JAK-inhibitor start; null when de-identified"
    )
    n_visits: int
    last_visit_day: int | None = Field(description="days from the index date")


class VisitOut(BaseModel):
    date: date | None
    day: int | None
    weight_kg: float | None
    height_cm: float | None
    rash: bool | None
    weakness: bool | None
    measures: dict[str, float | None]
    version: int | None


class LabOut(BaseModel):
    date: date | None
    day: int | None
    analyte: str
    value: float | None
    unit: str | None
    result: str | None
    ref_low: float | None
    ref_high: float | None
    flag: Literal["high", "low", "abnormal", ""] = ""
    reported: str | None = Field(
        default=None,
        description="the value as the laboratory "
        "reported it, when it was converted (e.g. '5 µkat/L')",
    )
    version: int | None


class CourseOut(BaseModel):
    drug: str
    start_date: date | None
    start_day: int | None
    end_date: date | None
    end_day: int | None
    dose: float | None
    dose_unit: str | None
    frequency: str | None
    route: str | None
    stop_reason: str | None
    running: bool
    version: int | None


class EventOut(BaseModel):
    date: date | None
    day: int | None
    event: str
    detail: str | None
    grade: int | None
    version: int | None


class AssessmentOut(BaseModel):
    date: date | None
    day: int | None
    instrument: str
    version: str | None
    total: float | None
    items: dict[str, float | None]


class PatientDetail(BaseModel):
    patient: PatientSummary
    onset_date: date | None
    diagnosis_date: date | None
    bohan_peter: str | None
    refractory: str | None
    features: list[str]
    version: int | None
    visits: list[VisitOut]
    labs: list[LabOut]
    courses: list[CourseOut]
    events: list[EventOut]
    assessments: list[AssessmentOut]
    decision_support: dict[str, Any] | None = Field(
        description="the decision-support panel; null for de-identified users"
    )


class PatientIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    patient_id: PatientId
    sex: Literal["F", "M"]
    birth_date: IsoDate
    diagnosis: Literal["JDM", "DM", "ADM", "other"]
    onset_date: IsoDate | None = None
    diagnosis_date: IsoDate | None = None
    bohan_peter: Literal["definite", "probable", "possible"] | None = None
    antibodies: list[Literal[vocab.ANTIBODIES]] = []  # type: ignore[valid-type]
    refractory: Literal["ineffective", "gc_dependent", "no"] | None = None
    features: list[Literal[vocab.FEATURES]] = []  # type: ignore[valid-type]
    site: Annotated[str, StringConstraints(max_length=100)] | None = None
    expected_version: int | None = Field(
        default=None, description="for an edit: the version you saw; null for a new patient"
    )
    reason: Reason = "entered in the web app"


class VisitIn(BaseModel):
    """A visit: the plain measures and, per instrument, its items (item id -> score).
    Each instrument's total is computed from its items; an instrument without items may be
    given as a total in `totals` (visit column name -> value)."""

    model_config = ConfigDict(extra="forbid")
    date: IsoDate
    weight_kg: Annotated[float, Field(ge=1, le=200)] | None = None
    height_cm: Annotated[float, Field(ge=40, le=220)] | None = None
    rash: StrictBool | None = None
    weakness: StrictBool | None = None
    instruments: dict[str, dict[str, float | str | None]] = {}
    totals: dict[str, float | None] = {}
    expected_version: int | None = Field(
        default=None, description="the version you edited; null for a new visit"
    )
    reason: Reason = "entered in the web app"


class LabIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    date: IsoDate
    analyte: Literal[vocab.ANALYTES]  # type: ignore[valid-type]
    value: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    unit: Annotated[str, StringConstraints(max_length=20)] | None = None
    result: Literal["positive", "negative", "indeterminate"] | None = None
    ref_low: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    ref_high: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    expected_version: int | None = None
    reason: Reason = "entered in the web app"


class CourseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    drug: Annotated[
        str, StringConstraints(min_length=1, max_length=60, pattern=r"^[a-z][a-z0-9_-]*$")
    ]
    start_date: IsoDate
    dose: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    dose_unit: Literal[vocab.DOSE_UNITS] | None = None  # type: ignore[valid-type]
    frequency: Literal[vocab.FREQUENCIES] | None = None  # type: ignore[valid-type]
    route: Literal[vocab.ROUTES] | None = None  # type: ignore[valid-type]
    reason: Reason = "entered in the web app"


class CourseChange(BaseModel):
    """Change the dose of a running course (ends it the day before `on` and starts the
    next) or stop it (`stop_reason` given, ends it on `on`)."""

    model_config = ConfigDict(extra="forbid")
    drug: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    start_date: IsoDate
    on: IsoDate
    new_dose: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    stop_reason: Literal[vocab.STOP_REASONS] | None = None  # type: ignore[valid-type]
    expected_version: int = Field(description="the version of the running course you saw")
    reason: Reason = "entered in the web app"


class EventIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    date: IsoDate
    event: Literal[vocab.EVENTS]  # type: ignore[valid-type]
    detail: Annotated[str, StringConstraints(max_length=200)] | None = None
    grade: Annotated[int, Field(ge=1, le=5)] | None = None
    reason: Reason = "entered in the web app"


class Saved(BaseModel):
    kind: str
    key: list[str]
    version: int


class ScoreRequest(BaseModel):
    items: dict[str, float | str | None] = Field(
        description="item id -> score (a number, or a code the item allows such as 'NA')"
    )


class ScoreResponse(BaseModel):
    instrument: str
    total: float | None
    complete: bool
    result: dict[str, Any] | None
    errors: list[FieldError]


class InstrumentItemOut(BaseModel):
    id: str
    label: str
    min: float | None
    max: float | None
    step: float | None
    choices: list[Any] | None
    section: str | None
    help: str | None


class InstrumentOut(BaseModel):
    name: str
    title: str
    version: str | None
    source: str | None
    total_min: float | None
    total_max: float | None
    visit_column: str | None
    items: list[InstrumentItemOut]


class AuditOut(BaseModel):
    id: int
    at: str
    actor: str
    action: str
    table: str | None
    record: str | None
    patient_id: str | None
    old: dict[str, Any] | None
    new: dict[str, Any] | None
    reason: str | None


class ImportResult(BaseModel):
    stored: bool
    issues: list[IssueOut]
    summary: dict[str, Any] | None


class IssueOut(BaseModel):
    file: str
    line: int | None
    field: str | None
    rule: str
    message: str


Problem.model_rebuild()
ImportResult.model_rebuild()
