"""The checks of one record given its patient: one set, for the importer and the web alike.

A record is the dict of its column values as the field table (`cohort.columns`) reads
them (`Row.values` of the folder reader; the web services build the same dict from the
API model). Each check returns problems; none raises. The cell rules (type, vocabulary,
range, length) have already been applied; these are the rules that need more than one
cell or the patient:

* dates: never after `today`, never before the patient's birth (the columns that say
  so in the field table), the diagnosis not before the onset, a course's end not before
  its start (rules `future_date`, `before_birth`, `date_order`, `end_before_start`);
* labs: value and unit for measured analytes, result for screening tests, the unit one
  of the analyte's, reference limits in order (rules `required`, `qualitative`,
  `quantitative`, `unit`, `reference_range`);
* plausibility (`domain.plausibility`): an impossible lab value or body measure is
  refused (`impossible_value`), an implausible one needs confirming (`implausible_value`,
  `Problem.needs_confirmation`);
* a dose needs its unit; two JAK-inhibitor courses may not start on the same day;
  a typed instrument total must equal the total of its items (`total_mismatch`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from myotrack.cohort.columns import COLUMNS
from myotrack.domain import units
from myotrack.domain.labels import label
from myotrack.domain.plausibility import Plausibility, judge_lab, judge_measure
from myotrack.domain.vocab import JAK_INHIBITORS, QUALITATIVE_ANALYTES

Values = Mapping[str, Any]

# The x_ column of a row whose implausible values were checked and confirmed (import);
# the web sets it on a record saved with confirm_implausible, so the export re-imports.
CONFIRM_COLUMN: Final = "x_confirm_implausible"
CONFIRMED: Final = "yes"


@dataclass(frozen=True, slots=True)
class Context:
    """What a record is checked against: today, and the patient it belongs to."""

    today: date
    birth_date: date | None = None
    sex: str | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    field: str
    rule: str
    message: str
    needs_confirmation: bool = False  # implausible: stored once the user confirms


def _name(field: str) -> str:
    return label("field", field)


# file -> its date columns (read once: the checks run for every row of a cohort)
_DATE_COLUMNS: Final = {
    file: tuple(c for c in columns.values() if c.kind == "date")
    for file, columns in COLUMNS.items()
}


def _dates(file: str, values: Values, ctx: Context) -> list[Problem]:
    problems: list[Problem] = []
    for column in _DATE_COLUMNS[file]:
        when = values.get(column.name)
        if when is None or not isinstance(when, date):
            continue
        if column.not_future and when > ctx.today:
            problems.append(
                Problem(
                    column.name,
                    "future_date",
                    f"the {_name(column.name)} {when} is after today ({ctx.today})",
                )
            )
        if column.not_before_birth and ctx.birth_date is not None and when < ctx.birth_date:
            problems.append(
                Problem(
                    column.name,
                    "before_birth",
                    f"the {_name(column.name)} {when} is before the date of birth {ctx.birth_date}",
                )
            )
    return problems


def _plausibility(field: str, verdict: Plausibility) -> list[Problem]:
    if verdict.rule is None:
        return []
    return [
        Problem(
            field,
            verdict.rule,
            verdict.message,
            needs_confirmation=verdict.level == "implausible",
        )
    ]


def check_patient(values: Values, ctx: Context) -> list[Problem]:
    """A patient row; `ctx.birth_date` is taken from the row itself."""
    birth = values.get("birth_date")
    own = Context(ctx.today, birth if isinstance(birth, date) else None, values.get("sex"))
    problems = _dates("patients.csv", values, own)
    onset, diagnosed = values.get("onset_date"), values.get("diagnosis_date")
    if onset is not None and diagnosed is not None and diagnosed < onset:
        problems.append(
            Problem(
                "diagnosis_date",
                "date_order",
                f"the date of diagnosis {diagnosed} is before the date of first symptom {onset}",
            )
        )
    return problems


def check_visit(values: Values, ctx: Context) -> list[Problem]:
    problems = _dates("visits.csv", values, ctx)
    on = values.get("date")
    for measure in ("weight_kg", "height_cm"):
        value = values.get(measure)
        if value is None or not isinstance(on, date):
            continue
        verdict = judge_measure(
            measure, float(value), sex=ctx.sex, birth_date=ctx.birth_date, on=on
        )
        problems += _plausibility(measure, verdict)
    return problems


def check_lab(values: Values, ctx: Context) -> list[Problem]:
    problems = _dates("labs.csv", values, ctx)
    analyte = values.get("analyte")
    if analyte is None:
        return problems
    if analyte in QUALITATIVE_ANALYTES:
        return problems + _qualitative(values, analyte)
    return problems + _quantitative(values, analyte)


def _qualitative(values: Values, analyte: str) -> list[Problem]:
    problems: list[Problem] = []
    shown = label("analyte", analyte)
    if values.get("result") is None:
        problems.append(
            Problem(
                "result",
                "required",
                f"{shown} is a screening test: give the result (positive, negative or "
                "indeterminate)",
            )
        )
    for column in ("value", "unit", "ref_low", "ref_high"):
        if values.get(column) is not None:
            problems.append(
                Problem(
                    column,
                    "qualitative",
                    f"{shown} is a screening test: leave the {_name(column)} empty and "
                    "give the result",
                )
            )
    return problems


def _quantitative(values: Values, analyte: str) -> list[Problem]:
    problems: list[Problem] = []
    shown = label("analyte", analyte)
    value, unit = values.get("value"), values.get("unit")
    accepted = units.UNITS[analyte][1]
    if value is None:
        problems.append(Problem("value", "required", f"{shown} needs a value"))
    if values.get("result") is not None:
        problems.append(
            Problem(
                "result",
                "quantitative",
                f"{shown} is a measured value: leave the result empty and give the value",
            )
        )
    if unit is None:
        offered = ", ".join(units.unit_choices(analyte))
        problems.append(Problem("unit", "required", f"{shown} needs a unit; use one of: {offered}"))
    elif unit not in accepted:
        offered = ", ".join(units.unit_choices(analyte))
        problems.append(
            Problem("unit", "unit", f"'{unit}' is not a unit for {shown}; use one of: {offered}")
        )
    low, high = values.get("ref_low"), values.get("ref_high")
    if low is not None and high is not None and low > high:
        problems.append(
            Problem(
                "ref_low",
                "reference_range",
                f"the lower reference limit {low:g} is above the upper one {high:g}",
            )
        )
    if value is not None and unit in accepted:
        problems += _plausibility("value", judge_lab(analyte, float(value), unit))
    return problems


def check_course(values: Values, ctx: Context) -> list[Problem]:
    problems = _dates("treatments.csv", values, ctx)
    start, end = values.get("start_date"), values.get("end_date")
    if start is not None and end is not None and end < start:
        problems.append(
            Problem(
                "end_date",
                "end_before_start",
                f"the course ends ({end}) before it starts ({start})",
            )
        )
    if values.get("dose") is not None and values.get("dose_unit") is None:
        problems.append(
            Problem(
                "dose_unit", "required", "a dose needs its dose unit (mg, mg/kg, g/kg or mg/m2)"
            )
        )
    return problems


def check_event(values: Values, ctx: Context) -> list[Problem]:
    return _dates("events.csv", values, ctx)


def check_jak_start(
    drug: str | None, start: date | None, jak_starts: Iterable[date]
) -> Problem | None:
    """Two JAK-inhibitor courses of one patient may not start on the same date."""
    if drug in JAK_INHIBITORS and start is not None and start in set(jak_starts):
        return Problem(
            "start_date",
            "jak_same_start",
            "another JAK-inhibitor course of this patient starts on the same date",
        )
    return None


def check_totals(
    typed: Mapping[str, float | None], computed: Mapping[str, float | None]
) -> list[Problem]:
    """A total typed beside the items of its instrument must equal the items' total."""
    problems: list[Problem] = []
    for column, value in typed.items():
        total = computed.get(column)
        if value is None or total is None or abs(float(value) - float(total)) < 1e-9:
            continue
        problems.append(
            Problem(
                column,
                "total_mismatch",
                f"the {label('measure', column)} typed as {value:g} disagrees with its items, "
                f"which add up to {total:g}; correct the items or the total",
            )
        )
    return problems


CHECKS: Final = {
    "patients.csv": check_patient,
    "visits.csv": check_visit,
    "labs.csv": check_lab,
    "treatments.csv": check_course,
    "events.csv": check_event,
}


__all__ = [
    "CHECKS",
    "CONFIRMED",
    "CONFIRM_COLUMN",
    "Context",
    "Problem",
    "check_course",
    "check_event",
    "check_jak_start",
    "check_lab",
    "check_patient",
    "check_totals",
    "check_visit",
]
