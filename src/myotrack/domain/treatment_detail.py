"""Treatment courses with the detail version 1 cannot hold: partial dates ("since October
2021"), frequencies such as QID, every 6 hours or every 6 months, "as needed"; dose units per
day or per week (mg/kg/day, mg/m²/week); strength and formulation (tacrolimus 0.1 %
ointment, oral solution); topical, inhaled and other routes; the indication (treatment,
empirical treatment or prophylaxis); where a topical drug was applied; a course whose end is
reported only as a duration ("stopped after six months").

Each frequency, dose unit and route is a row of a table with its meaning, so code never
parses a code's text: `FREQUENCIES["q6h"].per_day == 4`. The version 1 codes are rows too
(`v1=True`); `TreatmentCourse.to_drug_course()` turns a course into a version 1 `DrugCourse`
for the analyses that read those, imputing partial dates mid-period (domain.partial_date)
and saying in its warnings what was imputed or could not be carried.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Final, Literal

from myotrack.domain.model import DrugCourse
from myotrack.domain.partial_date import PartialDate
from myotrack.domain.record_vocab import (
    BodySite,
    CourseStatus,
    Formulation,
    Indication,
    StrengthUnit,
)
from myotrack.domain.vocab import DOSE_UNITS, ROUTES
from myotrack.domain.vocab import FREQUENCIES as V1_FREQUENCIES

DosePer = Literal["dose", "day", "week"]
FrequencyCode = Literal[
    "once",
    "QD",
    "BID",
    "TID",
    "QID",
    "q4h",
    "q6h",
    "q8h",
    "q12h",
    "weekly",
    "every_2_weeks",
    "every_3_weeks",
    "every_4_weeks",
    "monthly",
    "every_3_months",
    "every_6_months",
    "prn",
    "continuous",
]
DoseUnitCode = Literal[
    "mg",
    "mg/kg",
    "g/kg",
    "mg/m2",
    "g",
    "ug",
    "mL",
    "IU",
    "application",
    "puff",
    "mg/day",
    "mg/kg/day",
    "mg/m2/day",
    "mg/week",
    "mg/kg/week",
    "mg/m2/week",
]
RouteCode = Literal[
    "oral",
    "iv",
    "sc",
    "topical",
    "im",
    "inhaled",
    "nasal",
    "ophthalmic",
    "rectal",
    "transdermal",
    "nasogastric",
    "intralesional",
]
PeriodUnit = Literal["h", "d", "wk", "mo"]

FHIR_TIMING_SOURCE: Final = (
    "HL7 FHIR R4 Timing.repeat (frequency/period/periodUnit); GTS abbreviations QD/BID/TID/QID "
    "from http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation (interop.md §3.5, VERIFIED)"
)


@dataclass(frozen=True, slots=True)
class Frequency:
    """How often a dose is given. `per_day` for daily schedules, else the interval (`every`
    `unit`); FHIR Timing.repeat as (frequency, period, periodUnit); None for "as needed"."""

    code: FrequencyCode
    label: str
    per_day: float | None = None
    every: int | None = None
    unit: PeriodUnit | None = None
    fhir: tuple[int, int, PeriodUnit] | None = None
    as_needed: bool = False
    v1: bool = False


FREQUENCY_TABLE: Final[tuple[Frequency, ...]] = (
    Frequency(code="once", label="once", v1=True),
    Frequency(code="QD", label="once daily", per_day=1, fhir=(1, 1, "d"), v1=True),
    Frequency(code="BID", label="twice daily", per_day=2, fhir=(2, 1, "d"), v1=True),
    Frequency(code="TID", label="three times daily", per_day=3, fhir=(3, 1, "d"), v1=True),
    Frequency(code="QID", label="four times daily", per_day=4, fhir=(4, 1, "d")),
    Frequency(code="q4h", label="every 4 hours", per_day=6, every=4, unit="h", fhir=(1, 4, "h")),
    Frequency(code="q6h", label="every 6 hours", per_day=4, every=6, unit="h", fhir=(1, 6, "h")),
    Frequency(code="q8h", label="every 8 hours", per_day=3, every=8, unit="h", fhir=(1, 8, "h")),
    Frequency(
        code="q12h", label="every 12 hours", per_day=2, every=12, unit="h", fhir=(1, 12, "h")
    ),
    Frequency(code="weekly", label="weekly", every=1, unit="wk", fhir=(1, 1, "wk"), v1=True),
    Frequency(
        code="every_2_weeks", label="every 2 weeks", every=2, unit="wk", fhir=(1, 2, "wk"), v1=True
    ),
    Frequency(code="every_3_weeks", label="every 3 weeks", every=3, unit="wk", fhir=(1, 3, "wk")),
    Frequency(
        code="every_4_weeks", label="every 4 weeks", every=4, unit="wk", fhir=(1, 4, "wk"), v1=True
    ),
    Frequency(code="monthly", label="monthly", every=1, unit="mo", fhir=(1, 1, "mo"), v1=True),
    Frequency(code="every_3_months", label="every 3 months", every=3, unit="mo", fhir=(1, 3, "mo")),
    Frequency(code="every_6_months", label="every 6 months", every=6, unit="mo", fhir=(1, 6, "mo")),
    Frequency(code="prn", label="as needed", as_needed=True),
    Frequency(code="continuous", label="continuous infusion"),
)
FREQUENCIES: Final[dict[str, Frequency]] = {f.code: f for f in FREQUENCY_TABLE}


@dataclass(frozen=True, slots=True)
class DoseUnit:
    """A dose unit: the amount's unit and what it is given per (one dose, a day, a week).
    "mg/kg/day" is `amount="mg/kg", per="day"`: the day's total, whatever the frequency."""

    code: DoseUnitCode
    label: str
    amount: str
    per: DosePer
    v1: bool = False


DOSE_UNIT_TABLE: Final[tuple[DoseUnit, ...]] = (
    DoseUnit(code="mg", label="mg", amount="mg", per="dose", v1=True),
    DoseUnit(code="mg/kg", label="mg/kg", amount="mg/kg", per="dose", v1=True),
    DoseUnit(code="g/kg", label="g/kg", amount="g/kg", per="dose", v1=True),
    DoseUnit(code="mg/m2", label="mg/m²", amount="mg/m2", per="dose", v1=True),
    DoseUnit(code="g", label="g", amount="g", per="dose"),
    DoseUnit(code="ug", label="µg", amount="ug", per="dose"),
    DoseUnit(code="mL", label="mL", amount="mL", per="dose"),
    DoseUnit(code="IU", label="IU", amount="IU", per="dose"),
    DoseUnit(code="application", label="application", amount="application", per="dose"),
    DoseUnit(code="puff", label="puff", amount="puff", per="dose"),
    DoseUnit(code="mg/day", label="mg/day", amount="mg", per="day"),
    DoseUnit(code="mg/kg/day", label="mg/kg/day", amount="mg/kg", per="day"),
    DoseUnit(code="mg/m2/day", label="mg/m²/day", amount="mg/m2", per="day"),
    DoseUnit(code="mg/week", label="mg/week", amount="mg", per="week"),
    DoseUnit(code="mg/kg/week", label="mg/kg/week", amount="mg/kg", per="week"),
    DoseUnit(code="mg/m2/week", label="mg/m²/week", amount="mg/m2", per="week"),
)
DOSE_UNITS_V2: Final[dict[str, DoseUnit]] = {u.code: u for u in DOSE_UNIT_TABLE}


@dataclass(frozen=True, slots=True)
class Route:
    code: RouteCode
    label: str
    systemic: bool
    snomed: str | None = None  # SNOMED CT route code where VERIFIED (interop.md §3.5)
    v1: bool = False


ROUTE_TABLE: Final[tuple[Route, ...]] = (
    Route(code="oral", label="oral", systemic=True, snomed="26643006", v1=True),
    Route(code="iv", label="intravenous", systemic=True, snomed="47625008", v1=True),
    Route(code="sc", label="subcutaneous", systemic=True, snomed="34206005", v1=True),
    Route(code="topical", label="topical (skin)", systemic=False, snomed="6064005", v1=True),
    Route(code="im", label="intramuscular", systemic=True),
    Route(code="inhaled", label="inhaled", systemic=False),
    Route(code="nasal", label="nasal", systemic=False),
    Route(code="ophthalmic", label="eye drops / ophthalmic", systemic=False),
    Route(code="rectal", label="rectal", systemic=True),
    Route(code="transdermal", label="transdermal", systemic=True),
    Route(code="nasogastric", label="by nasogastric tube", systemic=True),
    Route(code="intralesional", label="intralesional", systemic=False),
)
ROUTES_V2: Final[dict[str, Route]] = {r.code: r for r in ROUTE_TABLE}


@dataclass(frozen=True, slots=True)
class Strength:
    """A product's strength: 0.1 % (tacrolimus ointment), 5 mg (tablet), 40 mg/mL."""

    value: float
    unit: StrengthUnit

    def text(self) -> str:
        sep = "" if self.unit == "%" else " "
        return f"{self.value:g}{sep}{self.unit}"


@dataclass(frozen=True, slots=True)
class TreatmentCourse:
    """One course of one drug at one dose (as version 1: a dose change starts a new course),
    with partial dates and the detail above. `start` is None only when the report gives no
    date at all; `duration_months` keeps an end reported as a duration; `status` says whether
    the course runs on, stopped, or the report does not say."""

    patient_id: str
    drug: str
    start: PartialDate | None
    end: PartialDate | None = None
    status: CourseStatus = "not_reported"
    duration_months: int | None = None
    dose: float | None = None
    dose_unit: DoseUnitCode | None = None
    frequency: FrequencyCode | None = None
    route: RouteCode | None = None
    formulation: Formulation | None = None
    strength: Strength | None = None
    indication: Indication | None = None
    sites: tuple[BodySite, ...] = ()
    sites_excluded: tuple[BodySite, ...] = ()
    stop_reason: str | None = None  # vocab.STOP_REASONS
    prescribed_elsewhere: bool = False
    free_text: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def end_estimate(self) -> PartialDate | None:
        """The end: as recorded, or start + `duration_months` at month precision (None when
        neither is known to the month)."""
        if self.end is not None:
            return self.end
        if self.duration_months is None or self.start is None or self.start.month is None:
            return None
        months = self.start.year * 12 + (self.start.month - 1) + self.duration_months
        return PartialDate(months // 12, months % 12 + 1)

    def doses_per_day(self) -> float | None:
        return None if self.frequency is None else FREQUENCIES[self.frequency].per_day

    def to_drug_course(self, not_after: date) -> tuple[DrugCourse | None, tuple[str, ...]]:
        """The version 1 course analyses read, and what was imputed or left out (in words).
        None when there is no start date at all."""
        warnings: list[str] = []
        where = f"{self.drug} course"
        if self.start is None:
            return None, (f"{where}: no start date; left out of date-based analyses",)
        start = self.start.impute(not_after)
        if start.warning:
            warnings.append(f"{where} start: {start.warning}")
        end_day: date | None = None
        end = self.end_estimate()
        if end is not None:
            imputed = end.impute(not_after)
            end_day = max(imputed.day, start.day)
            if imputed.warning:
                basis = " (from the reported duration)" if self.end is None else ""
                warnings.append(f"{where} end{basis}: {imputed.warning}")
        elif self.status == "stopped":
            warnings.append(f"{where}: stopped on an unreported date; counted as running")
        unit = self.dose_unit if self.dose_unit in DOSE_UNITS else None
        freq = self.frequency if self.frequency in V1_FREQUENCIES else None
        route = self.route if self.route in ROUTES else None
        for name, value, kept in (
            ("dose unit", self.dose_unit, unit),
            ("frequency", self.frequency, freq),
            ("route", self.route, route),
        ):
            if value is not None and kept is None:
                warnings.append(f"{where}: {name} {value!r} has no version 1 code; left empty")
        course = DrugCourse(
            patient_id=self.patient_id,
            drug=self.drug,
            start_date=start.day,
            end_date=end_day,
            dose=self.dose if unit is not None else None,
            dose_unit=unit,
            frequency=freq,
            route=route,
            stop_reason=self.stop_reason,
        )
        return course, tuple(warnings)
