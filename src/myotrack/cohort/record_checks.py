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
from myotrack.cohort.columns_v2 import RECORD_KIND
from myotrack.domain import PartialDate, Plausibility, judge_lab, judge_measure, units, vocab
from myotrack.domain.labels import label
from myotrack.domain.record_vocab import RecordEvent, codes
from myotrack.domain.vocab import JAK_INHIBITORS, QUALITATIVE_ANALYTES

Values = Mapping[str, Any]

# The x_ column of a row whose implausible values were checked and confirmed (import);
# the web sets it on a record saved with confirm_implausible, so the export re-imports.
CONFIRM_COLUMN: Final = "x_confirm_implausible"
CONFIRMED: Final = "yes"


@dataclass(frozen=True, slots=True)
class Context:
    """What a record is checked against: today, and the patient it belongs to (for the
    version 2 records also the patient's undated summaries, `antibodies` and `features`
    of patients.csv; None: not known here, not checked)."""

    today: date
    birth_date: date | None = None
    sex: str | None = None
    antibodies: tuple[str, ...] | None = None
    features: tuple[str, ...] | None = None


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


# ------------------------------------------------------------------ version 2 records


def _period_dates(kind: str, values: Values, ctx: Context) -> list[Problem]:
    """Dates of a version 2 record: a date known to the month or year is refused only when
    its whole period is after today, or before the birth date."""
    problems: list[Problem] = []
    for column in RECORD_KIND[kind].columns:
        when = values.get(column.name)
        if isinstance(when, date):
            when = PartialDate.of(when)
        if not isinstance(when, PartialDate):
            continue
        if column.not_future and when.in_future(ctx.today):
            problems.append(
                Problem(
                    column.name,
                    "future_date",
                    f"the {_name(column.name)} {when} is after today ({ctx.today})",
                )
            )
        birth = ctx.birth_date
        if column.not_before_birth and birth is not None and when.latest() < birth:
            problems.append(
                Problem(
                    column.name,
                    "before_birth",
                    f"the {_name(column.name)} {when} is before the date of birth {birth}",
                )
            )
    return problems


def _certainly_before(a: Any, b: Any) -> bool:
    """`a` certainly before `b` (partial dates: every day of a before every day of b)."""
    if a is None or b is None:
        return False
    a = PartialDate.of(a) if isinstance(a, date) else a
    return bool(a.certainly_before(b))


def _course_rules(values: Values) -> list[Problem]:
    problems: list[Problem] = []
    start, end = values.get("start_date"), values.get("end_date")
    unknown = values.get("start_unknown") == "yes"
    if start is not None and unknown:
        problems.append(
            Problem(
                "start_unknown",
                "start_unknown",
                "a course has a start date or start_unknown = yes, not both",
            )
        )
    if start is None and not unknown:
        problems.append(
            Problem(
                "start_date",
                "required",
                "'start_date' is required; when the report gives no start at all, "
                "write start_unknown = yes",
            )
        )
    if _certainly_before(end, start):
        problems.append(
            Problem(
                "end_date",
                "end_before_start",
                f"the course ends ({end}) before it starts ({start})",
            )
        )
    if end is not None and values.get("duration_months") is not None:
        problems.append(
            Problem(
                "duration_months",
                "duration_and_end",
                "give the end date or the duration in months, not both",
            )
        )
    if values.get("status") == "ongoing" and end is not None:
        problems.append(
            Problem("status", "course_status", f"the course is marked ongoing but ends on {end}")
        )
    if (values.get("strength") is None) != (values.get("strength_unit") is None):
        problems.append(
            Problem(
                "strength_unit",
                "strength_unit",
                "a strength needs its unit and a unit its strength (0.1 and % for 0.1 %)",
            )
        )
    return problems


def _event_rules(values: Values) -> list[Problem]:
    problems: list[Problem] = []
    event, when = values.get("event"), values.get("date")
    if values.get("organism") is not None and event != "infection":
        problems.append(
            Problem("organism", "organism_event", "an organism belongs to an infection event")
        )
    if values.get("organism") is None and (
        values.get("detection_method") is not None or values.get("specimen") is not None
    ):
        problems.append(
            Problem(
                "detection_method",
                "organism_event",
                "a detection method or specimen needs the organism found",
            )
        )
    partial = isinstance(when, PartialDate) and not when.is_exact
    if partial and when is not None and event == "infection" and values.get("organism") is None:
        problems.append(
            Problem(
                "organism",
                "organism_event",
                f"an infection known only to the {when.precision} needs its organism "
                "(other_bacterium, other_virus or other_fungus when not named)",
            )
        )
    elif partial and event != "infection" and event not in RECORD_EVENT_CODES:
        problems.append(
            Problem(
                "date",
                "date",
                f"the event '{event}' needs a whole date (YYYY-MM-DD); a date known to the "
                "month or year is allowed for infections and the version 2 events",
            )
        )
    return problems


def _kind_rules(kind: str, v: Values, ctx: Context) -> list[Problem]:
    problems: list[Problem] = []
    if kind in ("treatment_course", "course_detail"):
        problems += _course_rules(v)
        if v.get("dose") is not None and v.get("dose_unit") is None:
            problems.append(Problem("dose_unit", "required", "a dose needs its dose unit"))
    elif kind in ("clinical_event", "event_detail"):
        problems += _event_rules(v)
    elif kind == "patient_background":
        if _certainly_before(v.get("diagnosis_date"), v.get("onset_date")):
            problems.append(
                Problem("diagnosis_date", "date_order", "the diagnosis is before the first symptom")
            )
    elif kind == "antibody_test" and v.get("antibody") != "ANA":
        for name, rule in (("titre", "titre_only_ana"), ("pattern", "pattern_only_ana")):
            if v.get(name) is not None:
                problems.append(
                    Problem(
                        name, rule, f"a {name} is recorded for ANA only, not {v.get('antibody')}"
                    )
                )
    elif kind == "antibody_test" and v.get("laboratory") is not None:
        problems.append(
            Problem("laboratory", "ana_laboratory", "the laboratory is not recorded for ANA")
        )
    elif kind == "organ_involvement":
        if _certainly_before(v.get("resolution_date"), v.get("onset_date")):
            problems.append(
                Problem(
                    "resolution_date",
                    "resolution_before_onset",
                    f"resolved ({v['resolution_date']}) before the onset ({v['onset_date']})",
                )
            )
        if v.get("resolution_date") is not None and v.get("resolved") == "no":
            problems.append(
                Problem(
                    "resolved",
                    "involvement_resolved",
                    "a resolution date with resolved = no; leave one of them empty",
                )
            )
    elif kind == "lung_function":
        measured = [n for n in _PREDICTED if v.get(n) is not None]
        if measured and v.get("reference_equation") is None:
            problems.append(
                Problem(
                    "reference_equation",
                    "required",
                    "a % predicted value needs the reference equation that predicts it "
                    "(not_stated when the report does not say)",
                )
            )
        if measured and v.get("not_done") is not None:
            problems.append(
                Problem(
                    "not_done",
                    "lung_function_not_done",
                    "values are given, so the test was done: leave not_done empty",
                )
            )
    elif kind == "oxygen_need":
        given = v.get("flow_l_per_min") is not None or v.get("fio2_percent") is not None
        if given and v.get("support") == "none":
            problems.append(
                Problem(
                    "support",
                    "oxygen_flow",
                    "a flow or FiO2 is given with support = none (room air)",
                )
            )
    elif kind == "bal":
        organisms = v.get("organisms") or ()
        if "none_found" in organisms and len(organisms) > 1:
            problems.append(
                Problem("organisms", "choice", "none_found is combined with organisms found")
            )
    elif kind == "pregnancy_test" and ctx.sex == "M":
        problems.append(Problem("result", "sex", "a pregnancy test for a patient recorded as male"))
    return problems


_PREDICTED: Final = (
    "fvc_percent_predicted",
    "fev1_percent_predicted",
    "dlco_percent_predicted",
    "tlc_percent_predicted",
)
RECORD_EVENT_CODES: Final = frozenset(codes(RecordEvent))


def _summary_rules(kind: str, v: Values, ctx: Context) -> list[Problem]:
    """patients.csv's undated summaries agree with the dated records, so version 1 readers
    of a version 2 folder still see them (rules `antibody_summary`, `feature_summary`)."""
    if kind == "antibody_test" and v.get("result") == "positive" and ctx.antibodies is not None:
        antibody = v.get("antibody")
        if antibody not in ctx.antibodies:
            return [
                Problem(
                    "antibody",
                    "antibody_summary",
                    f"a positive {antibody} test, but patients.csv does not list {antibody} "
                    "in this patient's antibodies; add it there",
                )
            ]
    if kind == "organ_involvement" and ctx.features is not None:
        organ = v.get("organ")
        excluded = v.get("certainty") == "excluded"
        if not excluded and organ in vocab.FEATURES and organ not in ctx.features:
            return [
                Problem(
                    "organ",
                    "feature_summary",
                    f"{organ} is recorded in organ_involvement.csv but not in this patient's "
                    "features in patients.csv; add it there",
                )
            ]
    return []


def check_record(kind: str, values: Values, ctx: Context, *, dates: bool = True) -> list[Problem]:
    """The checks of one version 2 record (`cohort.columns_v2.RECORD_KINDS`) given its
    patient: dates (partial: the whole period after today or before birth is refused;
    skipped with `dates=False` for the detail of a version 1 row, whose dates the version 1
    checks judge) and the rules of its kind. The importer and the web services both call it."""
    problems = _period_dates(kind, values, ctx) if dates else []
    return problems + _kind_rules(kind, values, ctx) + _summary_rules(kind, values, ctx)


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
    "check_record",
    "check_totals",
    "check_visit",
]
