"""Pydantic models of the JSON API (kept apart from the domain and ORM classes).

Dates are ISO dates. For de-identified users (researchers) every `date`/`birth_date` field
is null and `day` gives the days relative to the patient's index date (first JAK-inhibitor
start; 0 = index date) instead.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StrictBool,
    StringConstraints,
    create_model,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from myotrack.cohort import PATIENT_ID, RECORD_KINDS, CellError, value_checker
from myotrack.cohort.columns import COLUMNS, Column

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_only(value: object) -> object:
    """Dates come as ISO text (YYYY-MM-DD): a number is not read as a Unix timestamp."""
    if isinstance(value, bool | int | float) or (
        isinstance(value, str) and not _ISO_DATE.fullmatch(value.strip())
    ):
        raise ValueError("enter a date as YYYY-MM-DD")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date_only)]
Reason = Annotated[str, StringConstraints(max_length=500)]


def _finite(value: object) -> object:
    """NaN and ±Infinity are not numbers (rule `number`, as in a CSV cell)."""
    if isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError("number", "'{shown}' is not a number", {"shown": str(value)})
    return value


# An instrument item or a typed total: a finite number (the instrument or the field table
# checks its range), or for items a code the item allows such as 'NA'.
FiniteNumber = Annotated[float, BeforeValidator(_finite)]
ItemValue = Annotated[float | str | None, BeforeValidator(_finite)]


class FieldRule:
    """The rule of one column of the field table (`cohort.columns`) on an API field: the
    value is checked by the same function as the folder reader's cell (`value_checker`),
    so the verdict, the rule name (the error's type) and the message are the same; the
    JSON schema states the same vocabulary and range."""

    def __init__(self, file: str, name: str) -> None:
        self.column: Column = COLUMNS[file][name]
        self._check = value_checker(self.column)

    def _validate(self, value: Any) -> Any:
        if self.column.kind == "date" and isinstance(value, date):
            return value
        try:
            return self._check(value)
        except CellError as err:
            raise PydanticCustomError(err.rule, err.message) from None

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_before_validator_function(self._validate, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        js = handler(schema)
        c = self.column
        target = js.get("items", js) if c.kind == "choices" else js
        if c.choices:
            target["enum"] = list(c.choices)
        if c.min is not None:
            target["exclusiveMinimum" if c.min_exclusive else "minimum"] = c.min
        if c.max is not None:
            target["maximum"] = c.max
        if c.max_length is not None:
            target["maxLength"] = c.max_length
        if c.kind == "id":
            target["pattern"] = f"^{PATIENT_ID.pattern}$"
        if c.help:
            js.setdefault("description", c.help)
        return js


class YesNo(FieldRule):
    """A yes/no column of the field table as a JSON boolean; its words `yes`/`no` are
    accepted too (anything else: rule `choice`, as on import)."""

    def _validate(self, value: Any) -> Any:
        if isinstance(value, bool):
            return value
        return super()._validate(value) == "yes"

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        js = handler(schema)
        return {"anyOf": [js, {"type": "string", "enum": list(self.column.choices)}]}


def rule(file: str, name: str) -> FieldRule:
    return FieldRule(file, name)


PatientId = Annotated[str, rule("patients.csv", "patient_id")]


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
    rule: str | None = Field(
        default=None, description="the rule broken, named as on every entry path"
    )


class PatientSummary(BaseModel):
    patient_id: str
    site: str | None
    sex: str
    diagnosis: str
    antibodies: list[str]
    jak_inhibitors: list[str]
    birth_date: date | None = Field(description="null for de-identified users")
    age_years: float | None = Field(
        description="age at the latest visit, or at the index date when de-identified"
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
    items: dict[str, float | str | None]  # a code such as "NA" (not applicable) as stored


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


P, V, L, T, E = "patients.csv", "visits.csv", "labs.csv", "treatments.csv", "events.csv"
CONFIRM_HELP = (
    "true: store values that are unusual (implausible) but that you have checked; "
    "impossible values are refused all the same"
)


class PatientIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    patient_id: PatientId
    sex: Annotated[str, rule(P, "sex")]
    birth_date: Annotated[date, rule(P, "birth_date")]
    diagnosis: Annotated[str, rule(P, "diagnosis")]
    onset_date: Annotated[date, rule(P, "onset_date")] | None = None
    diagnosis_date: Annotated[date, rule(P, "diagnosis_date")] | None = None
    bohan_peter: Annotated[str, rule(P, "bohan_peter")] | None = None
    antibodies: Annotated[list[str], rule(P, "antibodies")] = []
    refractory: Annotated[str, rule(P, "refractory")] | None = None
    features: Annotated[list[str], rule(P, "features")] = []
    site: Annotated[str, rule(P, "site")] | None = None
    expected_version: int | None = Field(
        default=None, description="for an edit: the version you saw; null for a new patient"
    )
    reason: Reason = "entered in the web app"


_SCORE_COLUMNS = tuple(
    c.name
    for c in COLUMNS["visits.csv"].values()
    if c.kind in ("number", "integer") and c.unit is None
)

if TYPE_CHECKING:
    Totals = BaseModel
else:
    # The visit scores typed as totals: one optional field per score column of the field
    # table, each with its rule (so every bad total is named at once, as on import).
    Totals = create_model(
        "Totals",
        __config__=ConfigDict(extra="forbid"),
        **{
            name: (Annotated[float, BeforeValidator(_finite), rule(V, name)] | None, None)
            for name in _SCORE_COLUMNS
        },
    )


class VisitIn(BaseModel):
    """A visit: the plain measures and, per instrument, its items (item id -> score).
    Each instrument's total is computed from its items; an instrument without items may be
    given as a total in `totals` (visit column name -> value). A total typed beside items
    that add up to another value is refused (rule total_mismatch). `rash` and `weakness`
    are the yes/no columns of visits.csv, as true/false or "yes"/"no"."""

    model_config = ConfigDict(extra="forbid")
    date: Annotated[date, rule(V, "date")]
    weight_kg: Annotated[float, rule(V, "weight_kg")] | None = None
    height_cm: Annotated[float, rule(V, "height_cm")] | None = None
    rash: Annotated[bool, YesNo(V, "rash")] | None = None
    weakness: Annotated[bool, YesNo(V, "weakness")] | None = None
    instruments: dict[str, dict[str, ItemValue]] = {}
    totals: Totals = Field(default_factory=Totals)
    confirm_implausible: StrictBool = Field(default=False, description=CONFIRM_HELP)
    expected_version: int | None = Field(
        default=None, description="the version you edited; null for a new visit"
    )
    reason: Reason = "entered in the web app"


class LabIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    date: Annotated[date, rule(L, "date")]
    analyte: Annotated[str, rule(L, "analyte")]
    value: Annotated[float, rule(L, "value")] | None = None
    unit: Annotated[str, rule(L, "unit")] | None = None
    result: Annotated[str, rule(L, "result")] | None = None
    ref_low: Annotated[float, rule(L, "ref_low")] | None = None
    ref_high: Annotated[float, rule(L, "ref_high")] | None = None
    confirm_implausible: StrictBool = Field(default=False, description=CONFIRM_HELP)
    expected_version: int | None = None
    reason: Reason = "entered in the web app"


class CourseIn(BaseModel):
    """A new course. `drug` is a generic name or a synonym of the drug catalogue (stored as
    the catalogue's name: "co-trimoxazole" -> cotrimoxazole) or another drug's name (stored
    tidied, marked as not in the catalogue)."""

    model_config = ConfigDict(extra="forbid")
    drug: Annotated[str, rule(T, "drug")]
    start_date: Annotated[date, rule(T, "start_date")]
    dose: Annotated[float, rule(T, "dose")] | None = None
    dose_unit: Annotated[str, rule(T, "dose_unit")] | None = None
    frequency: Annotated[str, rule(T, "frequency")] | None = None
    route: Annotated[str, rule(T, "route")] | None = None
    reason: Reason = "entered in the web app"


class CourseChange(BaseModel):
    """Change the dose of a running course (ends it the day before `on` and starts the
    next) or stop it (`stop_reason` given, ends it on `on`)."""

    model_config = ConfigDict(extra="forbid")
    drug: Annotated[str, rule(T, "drug")]
    start_date: Annotated[date, rule(T, "start_date")]
    on: Annotated[date, rule(T, "end_date")]
    new_dose: Annotated[float, rule(T, "dose")] | None = None
    stop_reason: Annotated[str, rule(T, "stop_reason")] | None = None
    expected_version: int = Field(description="the version of the running course you saw")
    reason: Reason = "entered in the web app"


class EventIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    date: Annotated[date, rule(E, "date")]
    event: Annotated[str, rule(E, "event")]
    detail: Annotated[str, rule(E, "detail")] | None = None
    grade: Annotated[int, rule(E, "grade")] | None = None
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


# --- cohort format version 2 record kinds (issue 11): one model per kind, built from the
# field table (`cohort.RECORD_KINDS`) exactly as the folder reader reads the same columns.

_PARTIAL_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"


class RecordFieldRule(FieldRule):
    """The rule of one column of a version 2 record kind: same checker, rule names and
    messages as the folder reader; a date known to the month or year comes as text
    (YYYY, YYYY-MM or YYYY-MM-DD) and is returned as a `PartialDate`."""

    def __init__(self, kind: str, name: str) -> None:
        spec = next(k for k in RECORD_KINDS if k.name == kind)
        self.column = spec.column[name]
        self._check = value_checker(self.column)

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        js = super().__get_pydantic_json_schema__(schema, handler)
        if self.column.kind == "partial_date":
            js.update(type="string", pattern=_PARTIAL_DATE)
        return js


def _record_type(column: Column) -> Any:
    kind = column.kind
    if kind == "partial_date":
        return Any  # PartialDate after the rule
    if kind == "date":
        return date
    if kind == "choices":
        return tuple[str, ...]
    if kind == "number":
        return float
    if kind == "integer":
        return int
    return str


def record_model(kind: str) -> type[BaseModel]:
    """The API/web-form model of one version 2 record kind (`cohort.RECORD_KINDS`): one
    field per column but patient_id (from the URL), required as the field table says, and
    `reason`. `record_values(model)` gives the values of a `RecordRow(kind, patient_id,
    values)`; check them with `cohort.check_record` (the importer's checks) and store them
    with `registry.save_record`."""
    spec = next(k for k in RECORD_KINDS if k.name == kind)
    fields: dict[str, Any] = {}
    for column in spec.columns[1:]:
        typed = Annotated[_record_type(column), RecordFieldRule(kind, column.name)]  # type: ignore[valid-type]
        fields[column.name] = (typed, ...) if column.required else (typed | None, None)
    fields["reason"] = (Reason, "entered in the web app")
    return create_model(
        "".join(part.capitalize() for part in kind.split("_")) + "In",
        __config__=ConfigDict(extra="forbid"),
        __doc__=f"A {spec.label}.",
        **fields,
    )


RECORD_MODELS: dict[str, type[BaseModel]] = {k.name: record_model(k.name) for k in RECORD_KINDS}


def record_values(model: BaseModel) -> dict[str, Any]:
    """The checked values of a version 2 record model as a `RecordRow` holds them (empty
    fields and `reason` left out; dates known to the month stay `PartialDate`s)."""
    return {name: value for name, value in model if value is not None and name != "reason"}
