"""The decision-support view of one patient on one date: the single pure entry point used by
`myotrack check` and the web app's decision-support panel.

It gathers the JAK-inhibitor dose against the suggestions for the current weight, the label
laboratory gating, screening due, risk flags, glucocorticoid exposure, PRINTO inactive
disease and the ACR/EULAR 2016 response since the index date. (It imports `criteria` for
the last two; the rest is `therapy`.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Final

from myotrack.criteria.patient_views import cid_at_latest_visit, response_since_index
from myotrack.domain.model import DrugCourse, PatientRecord
from myotrack.therapy import glucocorticoids, lab_gating
from myotrack.therapy.body import bsa_mosteller, height_on, weight_on
from myotrack.therapy.dosing import DING_2021, DING_MAX_OBSERVED_MG_BID, suggestions
from myotrack.therapy.risk_flags import risk_flags
from myotrack.therapy.schedule import PER_DAY
from myotrack.therapy.screening import ASSUMPTIONS as SCREENING_ASSUMPTIONS
from myotrack.therapy.screening import screening

DISCLAIMER: Final = (
    "Decision support, not a prescription: JAK inhibitors are off-label in juvenile "
    "dermatomyositis. Doses, thresholds and flags are literature and label facts with their "
    "sources, to be checked by the treating team against the current labels and local "
    "protocols."
)
JAK_DRUGS_WITH_RULES: Final = ("tofacitinib", "ruxolitinib", "baricitinib")
# A weight older than this is shown as stale in the dose section (assumption).
WEIGHT_STALE_DAYS: Final = 92
LAST_YEAR_DAYS: Final = 365


@dataclass(frozen=True, slots=True)
class DecisionSupport:
    patient_id: str
    on: date
    dose: dict[str, Any]
    lab_gating: list[dict[str, Any]]
    screening: list[dict[str, Any]]
    risk_flags: list[dict[str, Any]]
    glucocorticoids: dict[str, Any]
    inactive_disease: dict[str, Any]
    response: dict[str, Any]
    assumptions: list[str] = field(default_factory=list)
    disclaimer: str = DISCLAIMER

    @property
    def blocks_jak_start(self) -> bool:
        """True when any label rule of any JAK inhibitor says do not start (the rules of
        each drug and label are in `lab_gating`; see `blocks_start_of`)."""
        return any(r["verdict"] == "do_not_start" for r in self.lab_gating)

    def blocks_start_of(self, drug: str) -> bool:
        """True when a label rule of `drug` says do not start it."""
        return any(r["verdict"] == "do_not_start" and r["drug"] == drug for r in self.lab_gating)

    def to_dict(self) -> dict[str, Any]:
        return {
            "patient_id": self.patient_id,
            "date": self.on.isoformat(),
            "dose": self.dose,
            "lab_gating": self.lab_gating,
            "blocks_jak_start": self.blocks_jak_start,
            "screening": self.screening,
            "risk_flags": self.risk_flags,
            "glucocorticoids": self.glucocorticoids,
            "inactive_disease": self.inactive_disease,
            "response": self.response,
            "assumptions": self.assumptions,
            "disclaimer": self.disclaimer,
        }


def current_jak_course(record: PatientRecord, on: date) -> DrugCourse | None:
    running = [c for c in record.jak_courses if c.running_on(on)]
    return max(running, key=lambda c: c.start_date) if running else None


def _course_daily_mg(course: DrugCourse, weight_kg: float | None) -> float | None:
    if course.dose is None or course.frequency not in PER_DAY:
        return None
    per_dose: float | None = course.dose
    if course.dose_unit == "mg/kg":
        per_dose = None if weight_kg is None else course.dose * weight_kg
    elif course.dose_unit not in (None, "mg"):
        per_dose = None
    if per_dose is None or course.frequency is None:
        return None
    return per_dose * PER_DAY[course.frequency]


def _dose_section(record: PatientRecord, on: date) -> dict[str, Any]:
    w = weight_on(record, on)
    h = height_on(record, on)
    age = record.patient.age_years(on)
    bsa = bsa_mosteller(h.value, w.value) if w is not None and h is not None else None
    course = current_jak_course(record, on)
    drugs = (course.drug,) if course is not None else JAK_DRUGS_WITH_RULES
    found = []
    for drug in drugs:
        found.extend(
            suggestions(drug, weight_kg=None if w is None else w.value, age_years=age, bsa_m2=bsa)
        )
    current: dict[str, Any] | None = None
    if course is not None:
        daily = _course_daily_mg(course, None if w is None else w.value)
        current = {
            "drug": course.drug,
            "dose": course.dose,
            "dose_unit": course.dose_unit,
            "frequency": course.frequency,
            "start_date": course.start_date.isoformat(),
            "daily_mg": daily,
        }
    rows = []
    for s in found:
        row = s.to_dict()
        if current is not None and current["daily_mg"] is not None and s.daily_mg is not None:
            diff = current["daily_mg"] - s.daily_mg
            row["current_vs_suggestion"] = (
                "same" if abs(diff) < 1e-9 else ("above" if diff > 0 else "below")
            )
        rows.append(row)
    notes = []
    if w is None:
        notes.append("no weight recorded on or before the date: weight-band rules not applied")
    elif (on - w.on).days > WEIGHT_STALE_DAYS:
        notes.append(f"the latest weight is from {w.on}, more than {WEIGHT_STALE_DAYS} days old")
    if (
        current is not None
        and current["daily_mg"] is not None
        and course is not None
        and course.drug in DING_2021.drugs
        and current["daily_mg"] > DING_MAX_OBSERVED_MG_BID * 2
    ):
        notes.append(
            f"the current dose is above the highest dose seen in the Ding 2021 series "
            f"({DING_MAX_OBSERVED_MG_BID:g} mg twice daily)"
        )
    if course is not None and course.drug not in JAK_DRUGS_WITH_RULES:
        notes.append(f"no dose rules recorded for {course.drug}")
    return {
        "weight_kg": None if w is None else w.value,
        "weight_date": None if w is None else w.on.isoformat(),
        "age_years": round(age, 2),
        "bsa_m2": None if bsa is None else round(bsa, 4),
        "current_course": current,
        "suggestions": rows,
        "notes": notes,
    }


def _lab_section(record: PatientRecord, on: date) -> list[dict[str, Any]]:
    values = lab_gating.latest_values(record.labs, on)
    course = current_jak_course(record, on)
    if course is None:
        results = []
        for drug in JAK_DRUGS_WITH_RULES:
            results.extend(lab_gating.evaluate(drug, "start", values, on=on))
        return [r.to_dict() for r in results]
    drop = None
    hb_now = values.get("hemoglobin")
    if hb_now is not None:
        before = lab_gating.latest_values(record.labs, course.start_date)
        hb_start = before.get("hemoglobin")
        if hb_start is not None and hb_start.on != hb_now.on:
            drop = hb_start.value - hb_now.value
    results = lab_gating.evaluate(
        course.drug, "on_treatment", values, on=on, hemoglobin_drop_g_dl=drop
    )
    return [r.to_dict() for r in results]


def _gc_section(record: PatientRecord, on: date) -> dict[str, Any]:
    today = glucocorticoids.daily_dose(record, on)
    out: dict[str, Any] = {
        "source": glucocorticoids.SOURCE,
        "current_daily_mg": None if today.mg is None else round(today.mg, 3),
        "current_daily_mg_per_kg": None if today.mg_per_kg is None else round(today.mg_per_kg, 4),
        "stopped_on": None,
        "problems": list(today.problems),
    }
    stopped = glucocorticoids.stopped_on(record, on)
    out["stopped_on"] = None if stopped is None else stopped.isoformat()
    index = record.index_date
    if index is not None and index <= on:
        since = glucocorticoids.cumulative(record, index, on)
        out["cumulative_since_index_mg_per_kg"] = (
            None if since.cumulative_mg_per_kg is None else round(since.cumulative_mg_per_kg, 3)
        )
        out["since_index_from"] = index.isoformat()
        out["problems"] += [p for p in since.problems if p not in out["problems"]]
    else:
        out["cumulative_since_index_mg_per_kg"] = None
    year = glucocorticoids.cumulative(record, on - timedelta(days=LAST_YEAR_DAYS - 1), on)
    out["cumulative_last_365_days_mg_per_kg"] = (
        None if year.cumulative_mg_per_kg is None else round(year.cumulative_mg_per_kg, 3)
    )
    out["problems"] += [p for p in year.problems if p not in out["problems"]]
    out["courses"] = [c.to_dict() for c in glucocorticoids.course_exposures(record, on)]
    return out


def decision_support(record: PatientRecord, on: date) -> DecisionSupport:
    """The decision-support view of `record` on `on` (nothing after `on` is used)."""
    cid = cid_at_latest_visit(record, on)
    response = response_since_index(record, on)
    assumptions = [*SCREENING_ASSUMPTIONS, glucocorticoids.WEIGHT_ASSUMPTION]
    return DecisionSupport(
        patient_id=record.patient.patient_id,
        on=on,
        dose=_dose_section(record, on),
        lab_gating=_lab_section(record, on),
        screening=[s.to_dict() for s in screening(record, on)],
        risk_flags=[f.to_dict() for f in risk_flags(record, on)],
        glucocorticoids=_gc_section(record, on),
        inactive_disease=cid.to_dict(),
        response=response,
        assumptions=assumptions,
    )
