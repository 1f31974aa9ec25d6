"""Glucocorticoids: prednisolone-equivalent doses and exposure over time.

Equivalent anti-inflammatory doses (shared/spec/criteria-therapy.md §7.1, VERIFIED in
several sources: SPS NHS Q&A, West Midlands Palliative Care guide, Meikle & Tyler as cited
by the R package cliot): prednisolone 5 mg = prednisone 5 mg = methylprednisolone 4 mg =
dexamethasone 0.75 mg = hydrocortisone 20 mg. Oral/IV equivalence only; mineralocorticoid
effect ignored. Some tables use dexamethasone 0.75-1 mg (factor 5-6.67): the factor table is
an argument of every function here.

Exposure: a course's dose is mg (per administration), mg/kg (× the weight in force on that
day: the latest visit weight on or before it) or mg/m² (× Mosteller BSA). The daily dose on a
day = dose × administrations that day (frequency). Cumulative mg/kg = the sum over days of
(daily prednisolone-equivalent mg ÷ weight in force that day). Only systemic courses count
(topical route excluded).

When no weight is recorded on or before a day, the first weight within
`WEIGHT_LOOKAHEAD_DAYS` after it is used (assumption: glucocorticoids are often started
before the first weighed visit is entered); otherwise the dose in mg/kg is not computed.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from itertools import pairwise
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from myotrack.domain import Calculator, DrugCourse, PatientRecord
from myotrack.therapy.body import bsa_mosteller, height_on, weight_on
from myotrack.therapy.schedule import INTERVAL_DAYS, PER_DAY, administrations_on, course_mg

# Multiply a dose by the factor to get prednisolone-equivalent mg (spec §7.1):
# prednisolone 5 = prednisone 5 = methylprednisolone 4 = dexamethasone 0.75 = hydrocortisone 20.
PREDNISOLONE_FACTORS: Final[Mapping[str, Fraction]] = {
    "prednisolone": Fraction(1),
    "prednisone": Fraction(1),  # 5 / 5
    "methylprednisolone": Fraction(5, 4),  # 5 / 4 = 1.25
    "dexamethasone": Fraction(5) / Fraction("0.75"),  # 6.667
    "hydrocortisone": Fraction(5, 20),  # 0.25
}
GLUCOCORTICOIDS: Final = frozenset(PREDNISOLONE_FACTORS)
WEIGHT_LOOKAHEAD_DAYS: Final = 30  # LOCAL POLICY assumption, no source (module docstring)
WEIGHT_ASSUMPTION: Final = (
    "mg/kg uses the latest weight on or before each day, or the first weight within "
    f"{WEIGHT_LOOKAHEAD_DAYS} days after it when none was recorded before"
)
SOURCE: Final = (
    "Equivalent doses prednisolone 5 mg = prednisone 5 = methylprednisolone 4 = "
    "dexamethasone 0.75 = hydrocortisone 20 (SPS NHS; West Midlands Palliative Care guide; "
    "Meikle & Tyler)"
)


def prednisolone_equivalent(
    drug: str, dose_mg: float, factors: Mapping[str, Fraction] = PREDNISOLONE_FACTORS
) -> float:
    """Prednisolone-equivalent mg of a dose of a glucocorticoid."""
    try:
        factor = factors[drug]
    except KeyError:
        raise ValueError(
            f"{drug!r} is not a glucocorticoid in the conversion table; known: "
            f"{', '.join(sorted(factors))}"
        ) from None
    return float(Fraction(repr(dose_mg)) * factor)


def from_prednisolone(
    target: str, prednisolone_mg: float, factors: Mapping[str, Fraction] = PREDNISOLONE_FACTORS
) -> float:
    """Dose of `target` equivalent to `prednisolone_mg` of prednisolone."""
    if target not in factors:
        raise ValueError(f"{target!r} is not in the conversion table")
    return float(Fraction(repr(prednisolone_mg)) / factors[target])


def is_systemic_glucocorticoid(course: DrugCourse) -> bool:
    return course.drug in GLUCOCORTICOIDS and course.route != "topical"


@dataclass(frozen=True, slots=True)
class DailyDose:
    day: date
    mg: float | None  # prednisolone-equivalent mg that day; None = cannot be computed
    mg_per_kg: float | None
    weight_kg: float | None
    problems: tuple[str, ...]


def _course_mg_per_administration(
    course: DrugCourse, record: PatientRecord, day: date
) -> tuple[float | None, str | None]:
    w = weight_on(record, day, lookahead_days=WEIGHT_LOOKAHEAD_DAYS)
    h = height_on(record, day)
    bsa = bsa_mosteller(h.value, w.value) if w is not None and h is not None else None
    mg = course_mg(course, weight_kg=None if w is None else w.value, bsa_m2=bsa)
    if mg.per_administration is not None:
        return mg.per_administration, None
    unit = course.dose_unit or "mg"
    course_words = f"{course.drug} from {course.start_date}"
    why = {
        "dose": "dose missing",
        "weight": f"{unit} dose, no weight on {day}",
        "bsa": f"{unit} dose, no height/weight",
        "unit": f"dose unit {unit} not usable",
    }[mg.missing or "dose"]
    return None, f"{course_words}: {why}"


def daily_dose(
    record: PatientRecord,
    day: date,
    factors: Mapping[str, Fraction] = PREDNISOLONE_FACTORS,
    *,
    courses: Sequence[DrugCourse] | None = None,
) -> DailyDose:
    """Prednisolone-equivalent systemic glucocorticoid dose on `day`: all courses summed,
    or only `courses` when given."""
    total = 0.0
    problems: list[str] = []
    for course in record.courses if courses is None else courses:
        if course.drug not in factors or course.route == "topical":
            continue
        n = administrations_on(course, day)
        if n == 0:
            continue
        if n is None:
            problems.append(f"{course.drug} from {course.start_date}: frequency missing or unknown")
            continue
        mg, problem = _course_mg_per_administration(course, record, day)
        if mg is None:
            problems.append(problem or f"{course.drug}: dose unknown")
            continue
        total += prednisolone_equivalent(course.drug, mg * n, factors)
    w = weight_on(record, day, lookahead_days=WEIGHT_LOOKAHEAD_DAYS)
    if problems:
        return DailyDose(day, None, None, w.value if w else None, tuple(problems))
    per_kg = total / w.value if w is not None else None
    return DailyDose(day, total, per_kg, w.value if w else None, ())


@dataclass(frozen=True, slots=True)
class Exposure:
    start: date
    end: date
    cumulative_mg: float | None
    cumulative_mg_per_kg: float | None
    days_on_glucocorticoid: int
    problems: tuple[str, ...]


def cumulative(
    record: PatientRecord,
    start: date,
    end: date,
    factors: Mapping[str, Fraction] = PREDNISOLONE_FACTORS,
    *,
    courses: Sequence[DrugCourse] | None = None,
) -> Exposure:
    """Cumulative prednisolone-equivalent exposure over [start, end] inclusive, of all
    courses or only `courses`. Totals are None when any dose in the period cannot be
    computed (the problems say which).

    The same as summing `daily_dose` over every day, computed per stretch of days: the
    period is cut wherever a course starts or ends or the weight or height in force
    changes, and within a stretch the dose is computed once for each distinct pattern of
    administrations (daily courses give the same count every day; weekly, monthly, ... and
    one-off courses are counted on their dosing days). Where no weight is in force the
    problems name the day, so those days are still taken one by one."""
    if end < start:
        raise ValueError(f"period end {end} is before its start {start}")
    pool = record.courses if courses is None else courses
    gc_courses = [c for c in pool if c.drug in factors and c.route != "topical"]
    total = _Totals()
    for first, last in _stretches(record, gc_courses, start, end):
        running = [c for c in gc_courses if c.running_on(first)]
        if not running:
            continue
        if weight_on(record, first, lookahead_days=WEIGHT_LOOKAHEAD_DAYS) is None:
            day = first
            while day <= last:
                total.add(daily_dose(record, day, factors, courses=running), 1)
                day += timedelta(days=1)
            continue
        for day, count in _patterns(running, first, last):
            total.add(daily_dose(record, day, factors, courses=running), count)
    if total.problems:
        return Exposure(start, end, None, None, total.days_on, tuple(total.problems))
    return Exposure(start, end, total.mg, total.mg_kg, total.days_on, ())


@dataclass(slots=True)
class _Totals:
    """Running sums of `cumulative`; `add` counts one day's dose `days` times."""

    mg: float = 0.0
    mg_kg: float | None = 0.0
    days_on: int = 0
    problems: dict[str, None] = field(default_factory=dict)  # insertion-ordered set

    def add(self, d: DailyDose, days: int) -> None:
        if d.problems:
            self.problems.update(dict.fromkeys(d.problems))
        elif d.mg:
            self.days_on += days
            self.mg += d.mg * days
            if d.mg_per_kg is None:  # taken day by day (see cumulative): the note names it
                self.mg_kg = None
                self.problems.setdefault(f"no weight recorded on or before {d.day}")
            elif self.mg_kg is not None:
                self.mg_kg += d.mg_per_kg * days


def _stretches(
    record: PatientRecord, gc_courses: Sequence[DrugCourse], start: date, end: date
) -> list[tuple[date, date]]:
    """[start, end] cut into stretches of days over which the courses running and the
    weight and height in force (`weight_on` with its lookahead, `height_on`) stay the same."""
    cuts = {start.toordinal(), end.toordinal() + 1}
    for c in gc_courses:
        cuts.add(c.start_date.toordinal())
        if c.end_date is not None:
            cuts.add(c.end_date.toordinal() + 1)
    weighed = [v.date.toordinal() for v in record.visits if v.weight_kg is not None]
    cuts.update(weighed)
    if weighed:  # before the first weight, it is in force from WEIGHT_LOOKAHEAD_DAYS ahead
        cuts.add(min(weighed) - WEIGHT_LOOKAHEAD_DAYS)
    cuts.update(v.date.toordinal() for v in record.visits if v.height_cm is not None)
    inside = sorted(c for c in cuts if start.toordinal() <= c <= end.toordinal() + 1)
    return [(date.fromordinal(a), date.fromordinal(b - 1)) for a, b in pairwise(inside)]


def _patterns(running: Sequence[DrugCourse], first: date, last: date) -> list[tuple[date, int]]:
    """The distinct patterns of administrations of `running` (courses running on every day
    of [first, last]) over those days, as (the first day with the pattern, how many days have
    it), in order of first day."""
    lo, hi = first.toordinal(), last.toordinal()
    dosing: set[int] = set()  # days a non-daily course may be given
    for c in running:
        dosing.update(_dosing_days(c, lo, hi))
    # every other day has the same pattern: that of the first of them, counted for all
    other = next(o for o in range(lo, hi + 2) if o not in dosing)
    days = sorted(dosing | ({other} if other <= hi else set()))
    seen: dict[tuple[int | None, ...], tuple[date, int]] = {}
    for o in days:
        day = date.fromordinal(o)
        pattern = tuple(administrations_on(c, day) for c in running)
        n = hi - lo + 1 - len(dosing) if o == other else 1
        since, count = seen.get(pattern, (day, 0))
        seen[pattern] = (since, count + n)
    return list(seen.values())


def _dosing_days(course: DrugCourse, first: int, last: int) -> range | list[int]:
    """Ordinals of the days in [first, last] on which `course` (running throughout) may have
    an administration count other than on its other days: none for daily schedules and a
    missing frequency (the same count every day), every day for a frequency not known here."""
    freq = course.frequency
    if freq is None or freq in PER_DAY:
        return []
    begin = course.start_date.toordinal()
    if freq == "once":
        return [begin] if first <= begin <= last else []
    if freq in INTERVAL_DAYS:
        step = INTERVAL_DAYS[freq]
        return range(first + (begin - first) % step, last + 1, step)
    if freq == "monthly":
        out = []
        y, m = date.fromordinal(first).year, date.fromordinal(first).month
        while (
            d := date(y, m, min(course.start_date.day, monthrange(y, m)[1]))
        ).toordinal() <= last:
            if d.toordinal() >= first:
                out.append(d.toordinal())
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out
    return range(first, last + 1)


@dataclass(frozen=True, slots=True)
class CourseExposure:
    course: DrugCourse
    daily_mg_at_start: float | None  # prednisolone equivalent, first day of the course
    exposure: Exposure  # from the course start to min(course end, until)

    def to_dict(self) -> dict[str, Any]:
        c = self.course
        e = self.exposure
        return {
            "drug": c.drug,
            "dose": c.dose,
            "dose_unit": c.dose_unit,
            "frequency": c.frequency,
            "route": c.route,
            "start_date": c.start_date.isoformat(),
            "end_date": None if c.end_date is None else c.end_date.isoformat(),
            "prednisolone_equivalent_daily_mg_at_start": None
            if self.daily_mg_at_start is None
            else round(self.daily_mg_at_start, 3),
            "cumulative_mg": None if e.cumulative_mg is None else round(e.cumulative_mg, 3),
            "cumulative_mg_per_kg": None
            if e.cumulative_mg_per_kg is None
            else round(e.cumulative_mg_per_kg, 3),
            "problems": list(e.problems),
        }


def course_exposures(
    record: PatientRecord,
    until: date,
    factors: Mapping[str, Fraction] = PREDNISOLONE_FACTORS,
) -> list[CourseExposure]:
    """Prednisolone-equivalent dose and exposure of each systemic glucocorticoid course
    started on or before `until` (exposure counted up to `until`)."""
    out = []
    for c in record.courses:
        if c.drug not in factors or c.route == "topical" or c.start_date > until:
            continue
        end = until if c.end_date is None else min(c.end_date, until)
        first = daily_dose(record, c.start_date, factors, courses=[c])
        out.append(
            CourseExposure(c, first.mg, cumulative(record, c.start_date, end, factors, courses=[c]))
        )
    return out


def stopped_on(record: PatientRecord, on: date) -> date | None:
    """The date systemic glucocorticoids stopped, if none is running on `on`: the latest
    end date of a glucocorticoid course on or before `on` (or a `gc_stopped` event, if later).
    None if still on glucocorticoids or never on them."""
    gc = [c for c in record.courses if is_systemic_glucocorticoid(c) and c.start_date <= on]
    if not gc or any(c.running_on(on) for c in gc):
        return None
    ends = [c.end_date for c in gc if c.end_date is not None]
    events = [e.date for e in record.events if e.event == "gc_stopped" and e.date <= on]
    candidates = ends + events
    return max(candidates) if candidates else None


def _round(x: float | None, digits: int) -> float | None:
    return None if x is None else round(x, digits)


@dataclass(frozen=True, slots=True)
class ExposureNow:
    """Glucocorticoid exposure as of one date, as decision support shows it: today's
    prednisolone-equivalent dose, when glucocorticoids stopped, the cumulative mg/kg since the
    index date (None without an index date on or before the date) and over the last year,
    and each course's exposure."""

    today: DailyDose
    stopped_on: date | None
    index_date: date | None
    since_index: Exposure | None
    last_year: Exposure
    courses: tuple[CourseExposure, ...]
    source: str = SOURCE

    @property
    def current_daily_mg(self) -> float | None:
        return self.today.mg

    @property
    def current_daily_mg_per_kg(self) -> float | None:
        return self.today.mg_per_kg

    @property
    def cumulative_since_index_mg_per_kg(self) -> float | None:
        return None if self.since_index is None else self.since_index.cumulative_mg_per_kg

    @property
    def cumulative_last_365_days_mg_per_kg(self) -> float | None:
        return self.last_year.cumulative_mg_per_kg

    @property
    def problems(self) -> tuple[str, ...]:
        """Why a total could not be computed: today's, then the others' not already said."""
        out = list(self.today.problems)
        for period in (self.since_index, self.last_year):
            if period is not None:
                out += [p for p in period.problems if p not in out]
        return tuple(out)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "source": self.source,
            "current_daily_mg": _round(self.current_daily_mg, 3),
            "current_daily_mg_per_kg": _round(self.current_daily_mg_per_kg, 4),
            "stopped_on": None if self.stopped_on is None else self.stopped_on.isoformat(),
            "problems": list(self.problems),
            "cumulative_since_index_mg_per_kg": _round(self.cumulative_since_index_mg_per_kg, 3),
        }
        if self.index_date is not None:
            out["since_index_from"] = self.index_date.isoformat()
        out["cumulative_last_365_days_mg_per_kg"] = _round(
            self.cumulative_last_365_days_mg_per_kg, 3
        )
        out["courses"] = [c.to_dict() for c in self.courses]
        return out


def exposure_now(record: PatientRecord, on: date, *, last_year_days: int) -> ExposureNow:
    """The exposure summary as of `on`; the last year is the `last_year_days` days up to it."""
    index = record.index_date
    if index is not None and index > on:
        index = None
    return ExposureNow(
        today=daily_dose(record, on),
        stopped_on=stopped_on(record, on),
        index_date=index,
        since_index=None if index is None else cumulative(record, index, on),
        last_year=cumulative(record, on - timedelta(days=last_year_days - 1), on),
        courses=tuple(course_exposures(record, on)),
    )


# --- calculator -------------------------------------------------------------------------


GlucocorticoidName = Literal[
    "prednisolone", "prednisone", "methylprednisolone", "dexamethasone", "hydrocortisone"
]


class SteroidConversionInput(BaseModel):
    """Convert a glucocorticoid dose to prednisolone-equivalent mg (and mg/kg with weight),
    or into another glucocorticoid with `target`."""

    model_config = ConfigDict(extra="forbid")

    drug: GlucocorticoidName = Field(description="the glucocorticoid given")
    dose_mg: float = Field(ge=0)
    weight_kg: float | None = Field(default=None, gt=0, le=200)
    target: GlucocorticoidName | None = Field(
        default=None, description="convert into this glucocorticoid"
    )


def _compute(data: SteroidConversionInput) -> Mapping[str, Any]:
    pred = prednisolone_equivalent(data.drug, data.dose_mg)
    out: dict[str, Any] = {
        "name": "steroid_conversion",
        "version": "1",
        "source": SOURCE,
        "prednisolone_equivalent_mg": round(pred, 4),
        "assumptions": [
            "anti-inflammatory equivalence only (mineralocorticoid effect ignored); "
            "dexamethasone 0.75 mg = prednisolone 5 mg (some tables use 0.75-1 mg)"
        ],
    }
    if data.weight_kg is not None:
        out["prednisolone_equivalent_mg_per_kg"] = round(pred / data.weight_kg, 4)
    if data.target is not None:
        out[f"{data.target}_mg"] = round(from_prednisolone(data.target, pred), 4)
    return out


CALCULATOR: Final = Calculator(
    name="steroid_conversion",
    title="Glucocorticoid dose as prednisolone equivalent",
    version="1",
    source=SOURCE,
    kind="therapy",
    input_model=SteroidConversionInput,
    compute=_compute,
)
