"""The decision-support view of one patient on one date: the single pure entry point used by
`myotrack check`, the API and the web app's decision-support panel.

Everything is taken as of one date (`on`): weight, height, body surface area, age, labs and
courses; nothing recorded after it is used. `as_of(record, requested, today)` chooses that
date: the one asked for, else the patient's latest record date when that is in the past (and
says so), else today.

The summary `start_status` is one of three honest states (`therapy.status`): "blocks" (a
label rule says do not start, interrupt, reduce or stop), "cannot_assess" (an input a rule
needs is missing, implausible or out of its window — each is named), "nothing_blocks" (every
input each applicable rule needs is present, plausible and in its window). It speaks of the
patient's phase on the date:

* before any JAK-inhibitor course — a start: label laboratory gating of each drug (or the
  planned one), the pre-start screening, the dose for the current weight;
* on treatment — monitoring: the on-treatment label bands of the running drug with counts
  inside its monitoring window, what is due and overdue (`therapy.monitoring`), the dose;
* after the last course stopped — says so; no start verdict unless a restart is asked for.

The whole-patient checks (infections, Pneumocystis prophylaxis: helper modules
`therapy.infections`, `therapy.pjp`) are included through `WHOLE_PATIENT_CHECKS`, one entry
per function; risk flags, glucocorticoid exposure, PRINTO inactive disease and the ACR/EULAR
2016 response are shown beside them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Final, Literal

from myotrack.criteria import (
    CidAtVisit,
    ResponseSinceIndex,
    cid_at_latest_visit,
    response_since_index,
)
from myotrack.domain import DrugCourse, PatientRecord, WholeRecord
from myotrack.domain.vocab import JAK_INHIBITORS
from myotrack.therapy import glucocorticoids, lab_gating
from myotrack.therapy.body import BODY_ASSUMPTIONS, Body, body_on
from myotrack.therapy.dosing import (
    BARICITINIB_ADULT_RENAL,
    BARICITINIB_ASSUMPTIONS,
    BARICITINIB_LEAFLET,
    DING_2021,
    DING_MAX_OBSERVED_MG_BID,
    PROBENECID,
    RENAL_VALID_DAYS,
    SCHWARTZ_2009,
    Suggestion,
    baricitinib_adjusted,
    baricitinib_kidney,
    bedside_schwartz,
    suggestions,
)
from myotrack.therapy.drug_doses import dose_checks as other_drug_dose_checks
from myotrack.therapy.formulations import ASSUMPTIONS as FORMULATION_ASSUMPTIONS
from myotrack.therapy.infections import infection_checks
from myotrack.therapy.lab_gating import EU_ON_TREATMENT_NOTE, GateResult
from myotrack.therapy.monitoring import ASSUMPTIONS as MONITORING_ASSUMPTIONS
from myotrack.therapy.monitoring import DueItem, count_window, run_start
from myotrack.therapy.monitoring import due_items as monitoring_due
from myotrack.therapy.pjp import pjp_checks
from myotrack.therapy.risk_flags import RiskFlag, risk_flags
from myotrack.therapy.schedule import course_mg
from myotrack.therapy.screening import ASSUMPTIONS as SCREENING_ASSUMPTIONS
from myotrack.therapy.screening import PRESTART_RECENT_DAYS, screening
from myotrack.therapy.status import STATUS_WORDS, Check, CheckStatus, NeededInput, worst
from myotrack.therapy.whole_record_checks import (
    live_vaccine_checks,
    partial_date_notes,
    pregnancy_checks,
)

DISCLAIMER: Final = (
    "Decision support, not a prescription: JAK inhibitors are off-label in juvenile "
    "dermatomyositis. Doses, thresholds and flags are literature and label facts with their "
    "sources, to be checked by the treating team against the current labels and local "
    "protocols."
)
JAK_DRUGS_WITH_RULES: Final = ("tofacitinib", "ruxolitinib", "baricitinib")
LAST_YEAR_DAYS: Final = 365
# The action words of a label band seen once that acts only on a confirmed result.
REPEAT_WORDS: Final = lab_gating.VERDICT_WORDS["unconfirmed"]
NO_RULE_WORDS: Final = lab_gating.VERDICT_WORDS["no_label_instruction"]

Phase = Literal["before_start", "on_treatment", "stopped"]
Comparison = Literal["same", "above", "below"]

# The whole-patient checks of helper modules: each takes (record, on) and returns Checks.
WHOLE_PATIENT_CHECKS: Final[tuple[Callable[[PatientRecord, date], list[Check]], ...]] = (
    infection_checks,
    pjp_checks,
    other_drug_dose_checks,
)


# --- the one date -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AsOf:
    """The date everything is taken as of, and why that date."""

    on: date
    chosen: bool  # the user asked for this date
    why: str

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.on.isoformat(), "chosen": self.chosen, "why": self.why}


def latest_record_date(record: PatientRecord) -> date | None:
    """The latest date of anything recorded for the patient (visit, lab, course start or end,
    event, assessment)."""
    dates = [v.date for v in record.visits]
    dates += [r.date for r in record.labs]
    dates += [c.start_date for c in record.courses]
    dates += [c.end_date for c in record.courses if c.end_date is not None]
    dates += [e.date for e in record.events]
    dates += [a.date for a in record.assessments]
    return max(dates) if dates else None


def as_of(record: PatientRecord, requested: date | None, today: date) -> AsOf:
    """The date to check: `requested` if given; else the patient's latest record date when
    that is before `today` (said so, not silently today); else `today`."""
    if requested is not None:
        return AsOf(requested, True, f"as of {requested.isoformat()} (the date asked for)")
    latest = latest_record_date(record)
    if latest is not None and latest < today:
        return AsOf(
            latest,
            False,
            f"as of {latest.isoformat()}, the patient's latest record (today is "
            f"{today.isoformat()}); choose a date to check another day",
        )
    return AsOf(today, False, f"as of today, {today.isoformat()}")


# --- the current course and the dose --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CourseNow:
    drug: str
    dose: float | None
    dose_unit: str | None
    frequency: str | None
    start_date: date
    run_start: date
    end_date: date | None
    daily_mg: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "drug": self.drug,
            "dose": self.dose,
            "dose_unit": self.dose_unit,
            "frequency": self.frequency,
            "start_date": self.start_date.isoformat(),
            "run_start": self.run_start.isoformat(),
            "end_date": None if self.end_date is None else self.end_date.isoformat(),
            "daily_mg": self.daily_mg,
        }


def _course_now(record: PatientRecord, course: DrugCourse, body: Body) -> CourseNow:
    return CourseNow(
        drug=course.drug,
        dose=course.dose,
        dose_unit=course.dose_unit,
        frequency=course.frequency,
        start_date=course.start_date,
        run_start=run_start(record, course),
        end_date=course.end_date,
        daily_mg=course_mg(course, weight_kg=body.weight_kg, bsa_m2=body.bsa_m2).per_day,
    )


@dataclass(frozen=True, slots=True)
class DoseRow:
    """One suggestion, and how the current dose compares with it (None: nothing to compare,
    e.g. no current weight — never "same" on an old weight)."""

    suggestion: Suggestion
    current_vs: Comparison | None = None

    def to_dict(self) -> dict[str, Any]:
        row = self.suggestion.to_dict()
        row["current_vs_suggestion"] = self.current_vs
        return row


@dataclass(frozen=True, slots=True)
class DoseSection:
    body: Body
    course: CourseNow | None
    rows: tuple[DoseRow, ...]
    notes: tuple[str, ...]
    kidney_egfr: float | None = None
    kidney_how: str | None = None

    @property
    def weight_kg(self) -> float | None:
        return None if self.body.weight is None else self.body.weight.value

    @property
    def weight_date(self) -> date | None:
        return None if self.body.weight is None else self.body.weight.on

    def to_dict(self) -> dict[str, Any]:
        b = self.body
        bsa = b.bsa_m2
        return {
            "weight_kg": self.weight_kg,
            "weight_date": None if self.weight_date is None else self.weight_date.isoformat(),
            "weight_current": b.weight_usable,
            "height_cm": None if b.height is None else b.height.value,
            "height_date": None if b.height is None else b.height.on.isoformat(),
            "age_years": round(b.age_years, 2),
            "bsa_m2": None if bsa is None else round(bsa, 4),
            "current_course": None if self.course is None else self.course.to_dict(),
            "suggestions": [r.to_dict() for r in self.rows],
            "notes": list(self.notes),
            "kidney_egfr": None if self.kidney_egfr is None else round(self.kidney_egfr, 1),
            "kidney_how": self.kidney_how,
        }


@dataclass(frozen=True, slots=True)
class _Kidney:
    egfr: float | None
    how: str | None
    need: NeededInput | None


def _kidney(record: PatientRecord, on: date, body: Body) -> _Kidney:
    """eGFR as of `on`: a recorded eGFR within RENAL_VALID_DAYS, else the bedside Schwartz
    eGFR from a creatinine within the window and a current height; else what is needed."""
    window = f"within {RENAL_VALID_DAYS} days (local policy)"
    values = lab_gating.latest_values(record.labs, on)
    egfr = values.get("eGFR")
    if (
        egfr is not None
        and egfr.on is not None
        and (on - egfr.on).days <= RENAL_VALID_DAYS
        and egfr.judgement is None
    ):
        return _Kidney(egfr.value, f"eGFR {egfr.value:g} on {egfr.on.isoformat()}", None)
    crea = values.get("creatinine")
    if (
        crea is not None
        and crea.on is not None
        and (on - crea.on).days <= RENAL_VALID_DAYS
        and crea.judgement is None
        and body.height is not None
        and body.height_usable
    ):
        value = bedside_schwartz(body.height.value, crea.value)
        how = (
            f"bedside Schwartz eGFR {value:.1f} from creatinine {crea.value:g} umol/L on "
            f"{crea.on.isoformat()} and height {body.height.value:g} cm ({SCHWARTZ_2009})"
        )
        return _Kidney(value, how, None)
    latest = max((v.on for v in (egfr, crea) if v is not None and v.on is not None), default=None)
    problem: Literal["missing", "out_of_window"] = "missing" if latest is None else "out_of_window"
    return _Kidney(
        None,
        None,
        NeededInput(
            "kidney function (eGFR, or creatinine with a current height)",
            problem,
            window,
            latest=latest,
        ),
    )


def _probenecid(record: PatientRecord, on: date) -> bool:
    return any(c.drug == PROBENECID and c.running_on(on) for c in record.courses)


def _dose(
    record: PatientRecord, on: date, body: Body, course: DrugCourse | None, drugs: tuple[str, ...]
) -> tuple[DoseSection, list[Check]]:
    now = None if course is None else _course_now(record, course, body)
    weight = body.weight_kg  # only a current weight
    found: list[Suggestion] = []
    for drug in drugs:
        found.extend(
            suggestions(drug, weight_kg=weight, age_years=body.age_years, bsa_m2=body.bsa_m2)
        )
    rows: list[DoseRow] = []
    for s in found:
        vs: Comparison | None = None
        if now is not None and now.daily_mg is not None and s.daily_mg is not None:
            diff = now.daily_mg - s.daily_mg
            vs = "same" if abs(diff) < 1e-9 else ("above" if diff > 0 else "below")
        rows.append(DoseRow(s, vs))
    notes: list[str] = []
    checks: list[Check] = []
    needs = body.needs()
    kidney: _Kidney | None = None
    for drug in drugs:
        mine = [r for r in rows if r.suggestion.drug == drug]
        checks.append(_dose_check(drug, mine, now, needs, body))
        if drug == "baricitinib":
            kidney = _kidney(record, on, body)
            bari = _baricitinib_check(record, on, mine, kidney)
            # The weight-band dose alone would read as the dose to give: say that the
            # leaflet's halving (kidney, probenecid) is applied in the next check.
            own = checks[-1]
            after = (
                "not known until kidney function is known (see the kidney check)"
                if kidney.egfr is None
                else _baricitinib_dose(
                    _baricitinib_label(mine), kidney.egfr, _probenecid(record, on)
                )[1]
            )
            checks[-1] = replace(
                own,
                message=own.message + "; the EU label dose is halved for reduced kidney "
                f"function or with probenecid (EU leaflet) — after that: {after}",
            )
            checks.append(bari)
    if now is not None and now.daily_mg is None:
        notes.append(
            "the dose of the current course cannot be read as mg per day "
            f"({now.dose} {now.dose_unit or ''} {now.frequency or ''})".strip()
        )
    if (
        now is not None
        and now.daily_mg is not None
        and now.drug in DING_2021.drugs
        and now.daily_mg > DING_MAX_OBSERVED_MG_BID * 2
    ):
        notes.append(
            f"the current dose is above the highest dose seen in the Ding 2021 series "
            f"({DING_MAX_OBSERVED_MG_BID:g} mg twice daily)"
        )
    if now is not None and now.drug not in JAK_DRUGS_WITH_RULES:
        notes.append(f"no dose rules recorded for {now.drug}")
    section = DoseSection(
        body=body,
        course=now,
        rows=tuple(rows),
        notes=tuple(notes),
        kidney_egfr=None if kidney is None else kidney.egfr,
        kidney_how=None if kidney is None else kidney.how,
    )
    return section, checks


def _dose_check(
    drug: str,
    rows: list[DoseRow],
    now: CourseNow | None,
    needs: tuple[NeededInput, ...],
    body: Body,
) -> Check:
    source = "; ".join(dict.fromkeys(r.suggestion.source for r in rows)) or "dose rules"

    def mk(
        status: CheckStatus,
        message: str,
        needs: tuple[NeededInput, ...] = (),
        evidence: str | None = None,
    ) -> Check:
        return Check(
            "dose", f"{drug} dose", status, message, source, needs, drug, None, None, evidence
        )

    forbidden = [r for r in rows if r.suggestion.do_not_give]
    if forbidden:
        s = forbidden[0].suggestion
        return mk("blocks", f"{drug}: {s.text} ({s.title})")
    # weight-band rules need a current, plausible weight
    weight_rules_need = [n for n in needs if n.name.startswith("weight")]
    if weight_rules_need:
        return mk(
            status="cannot_assess",
            message=f"{drug}: needs a current weight — " + "; ".join(n.message for n in needs),
            needs=needs,
        )
    dosed = [r for r in rows if r.suggestion.dose_mg is not None]
    if not dosed:
        texts = "; ".join(f"{r.suggestion.title}: {r.suggestion.text}" for r in rows)
        return mk(
            status="cannot_assess",
            message=f"{drug}: no rule gives a dose for this child ({texts or 'no rule'})",
            needs=tuple(
                NeededInput("height", "missing", "for body surface area")
                for r in rows
                if "BSA" in r.suggestion.text
            ),
        )
    # A rule that doses per m² (REACH4, Jakavi EU under 6 years) cannot give its dose without
    # a current height: never green with that dose silently left out (h13 review).
    per_m2 = [r for r in rows if r.suggestion.dose_mg is None and "BSA" in r.suggestion.text]
    if per_m2:
        height_needs = tuple(n for n in body.needs(height=True) if n.name.startswith("height"))
        if not height_needs:
            height_needs = (NeededInput("height", "missing", "for body surface area"),)
        titles = "; ".join(r.suggestion.title for r in per_m2)
        given = "; ".join(f"{r.suggestion.title}: {r.suggestion.text}" for r in dosed)
        return mk(
            status="cannot_assess",
            message=f"{drug}: needs a current height for the m² dose of {titles}"
            + (f" (meanwhile {given})" if given else ""),
            needs=height_needs,
        )
    if now is not None and now.drug == drug:
        if now.daily_mg is None:
            return mk(
                status="cannot_assess",
                message=f"{drug}: the current dose cannot be read as mg per day",
                needs=(NeededInput("dose of the current course in mg", "missing", "now"),),
            )
        parts = [
            f"{r.current_vs} {r.suggestion.title} ({r.suggestion.text})"
            for r in dosed
            if r.current_vs is not None
        ]
        return mk(
            status="nothing_blocks",
            message=f"current {now.daily_mg:g} mg/day at {body.weight_kg:g} kg: "
            + "; ".join(parts),
            evidence=f"weight {body.weight_kg:g} kg",
        )
    parts = [f"{r.suggestion.title}: {r.suggestion.text}" for r in dosed]
    return mk(
        status="nothing_blocks",
        message=f"{drug}: " + "; ".join(parts),
        evidence=None if body.weight_kg is None else f"weight {body.weight_kg:g} kg",
    )


def _baricitinib_dose(
    label: Suggestion | None, egfr: float, probenecid: bool
) -> tuple[CheckStatus, str]:
    """The EU label dose after the leaflet's halving for kidney function and probenecid, in
    words, and whether the kidney band blocks a start."""
    band = baricitinib_kidney(egfr)
    if label is None or label.dose_mg is None:
        if band == "not_recommended":
            return "blocks", baricitinib_adjusted(0, kidney=band, probenecid=probenecid)[1]
        return "nothing_blocks", "no label dose for this child"
    mg, dose_words = baricitinib_adjusted(label.dose_mg, kidney=band, probenecid=probenecid)
    return ("blocks" if mg is None else "nothing_blocks"), dose_words


def _baricitinib_label(rows: list[DoseRow]) -> Suggestion | None:
    return next((r.suggestion for r in rows if r.suggestion.rule_id == "baricitinib_eu_jia"), None)


def _baricitinib_check(
    record: PatientRecord, on: date, rows: list[DoseRow], kidney: _Kidney
) -> Check:
    probenecid = _probenecid(record, on)
    source = f"{BARICITINIB_LEAFLET}; limits: {BARICITINIB_ADULT_RENAL} (paediatric UNVERIFIED)"
    label = _baricitinib_label(rows)
    if kidney.egfr is None:
        assert kidney.need is not None
        return Check(
            section="dose",
            name="baricitinib kidney function and probenecid",
            status="cannot_assess",
            message="baricitinib: the EU leaflet halves the dose for reduced kidney function; "
            f"{kidney.need.message}" + ("; probenecid running (halve)" if probenecid else ""),
            source=source,
            needs=(kidney.need,),
            drug="baricitinib",
        )
    status, dose_words = _baricitinib_dose(label, kidney.egfr, probenecid)
    return Check(
        section="dose",
        name="baricitinib kidney function and probenecid",
        status=status,
        message=f"baricitinib (EU label): {dose_words}; kidney: {kidney.how}"
        + ("; probenecid running" if probenecid else "; no probenecid course"),
        source=source,
        drug="baricitinib",
        evidence=kidney.how,
    )


# --- laboratory gating --------------------------------------------------------------------


def _hemoglobin_fall(record: PatientRecord, course: DrugCourse, on: date) -> float | None:
    """The fall of haemoglobin since the start of the run: the latest value on or before the
    start minus the latest value measured on treatment. None (cannot judge a fall) without
    either — a value from before the start says nothing about a fall on treatment."""
    start = run_start(record, course)
    now = lab_gating.latest_values(record.labs, on).get("hemoglobin")
    if now is None or now.on is None or now.on <= start:
        return None
    before = lab_gating.latest_values(record.labs, start).get("hemoglobin")
    if before is None:
        return None
    return round(before.value - now.value, 6)


def _gating(
    record: PatientRecord, on: date, course: DrugCourse | None, drugs: tuple[str, ...]
) -> tuple[GateResult, ...]:
    values = lab_gating.latest_values(record.labs, on)
    if course is None:
        out: list[GateResult] = []
        for drug in drugs:
            out.extend(
                lab_gating.evaluate(
                    drug,
                    "start",
                    values,
                    on=on,
                    window_days=PRESTART_RECENT_DAYS,
                    window_words=f"a result within {PRESTART_RECENT_DAYS} days before the "
                    "start (local policy)",
                )
            )
        return tuple(out)
    window = count_window(record, on)
    days = None if window is None else window.days
    words = None if window is None else f"a result {window.words} ({window.source})"
    # The result before the latest on treatment: the labels' "confirmed by repeat testing"
    # and "persistent decreases" (Xeljanz US Tables 1-3) need two results, not one.
    start = run_start(record, course)
    previous = lab_gating.previous_values(record.labs, on, start)
    baseline = lab_gating.latest_values(record.labs, start).get("hemoglobin")
    earlier = previous.get("hemoglobin")
    previous_fall = (
        None
        if baseline is None or earlier is None or earlier.on is None or earlier.on <= start
        else round(baseline.value - earlier.value, 6)
    )
    return tuple(
        lab_gating.evaluate(
            course.drug,
            "on_treatment",
            values,
            on=on,
            hemoglobin_drop_g_dl=_hemoglobin_fall(record, course, on),
            window_days=days,
            window_words=words,
            previous=previous,
            previous_hemoglobin_drop_g_dl=previous_fall,
        )
    )


def on_treatment_gating(record: PatientRecord, on: date) -> tuple[GateResult, ...]:
    """The label bands of the JAK inhibitor running on `on` (empty when none runs), as the
    decision-support view applies them; the clinic worklist lists the ones that act."""
    course = record.jak_course_on(on)
    if course is None:
        return ()
    return _gating(record, on, course, (course.drug,))


# --- the view -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DecisionSupport:
    patient_id: str
    on: date
    as_of: AsOf
    phase: Phase
    restart: bool
    drugs: tuple[str, ...]  # the JAK inhibitors assessed
    course: CourseNow | None  # running (on treatment) or the last stopped course
    start_status: CheckStatus
    headline: str
    checks: tuple[Check, ...]  # every check that makes the summary
    lab_gating: tuple[GateResult, ...]
    monitoring: tuple[DueItem, ...]
    dose: DoseSection
    risk_flags: tuple[RiskFlag, ...]
    glucocorticoids: glucocorticoids.ExposureNow
    inactive_disease: CidAtVisit
    response: ResponseSinceIndex
    assumptions: tuple[str, ...] = ()
    disclaimer: str = DISCLAIMER
    status_by_drug: tuple[tuple[str, CheckStatus], ...] = field(default_factory=tuple)

    @property
    def status_words(self) -> str:
        return STATUS_WORDS[self.start_status]

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why the summary is not green, short: each blocking rule, then each needed input
        once (with the drugs whose rules need it), then unassessable checks without an input
        to name (e.g. "no label instruction")."""
        out: list[str] = []
        for c in self.checks:
            if c.status == "blocks" and c.message not in out:
                out.append(c.message)
        needs: dict[str, list[str]] = {}
        for c in self.checks:
            if c.status != "cannot_assess":
                continue
            if not c.needs and c.message not in out:
                out.append(c.message)
            for n in c.needs:
                who = needs.setdefault(n.message, [])
                if c.drug and c.drug not in who:
                    who.append(c.drug)
        for message, drugs in needs.items():
            out.append(message + (f" ({', '.join(drugs)})" if drugs else ""))
        return tuple(out)

    def checks_in(self, section: str) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.section == section)

    @property
    def whole_patient(self) -> tuple[Check, ...]:
        mine = {"lab_gating", "screening", "dose", "monitoring", "treatment"}
        return tuple(c for c in self.checks if c.section not in mine)

    @property
    def blocks_jak_start(self) -> bool:
        """True when a rule of the JAK inhibitor itself (bands, screening, its dose or label)
        says do not start — only before a start or for a restart."""
        if self.phase == "on_treatment" or (self.phase == "stopped" and not self.restart):
            return False
        return any(c.status == "blocks" and _jak_related(c, self.drugs) for c in self.checks)

    def blocks_start_of(self, drug: str) -> bool:
        return self.phase != "on_treatment" and dict(self.status_by_drug).get(drug) == "blocks"

    def to_dict(self) -> dict[str, Any]:
        return {
            "patient_id": self.patient_id,
            "date": self.on.isoformat(),
            "as_of": self.as_of.to_dict(),
            "phase": self.phase,
            "restart": self.restart,
            "drugs": list(self.drugs),
            "course": None if self.course is None else self.course.to_dict(),
            "start_status": self.start_status,
            "headline": self.headline,
            "reasons": list(self.reasons),
            "status_by_drug": dict(self.status_by_drug),
            "checks": [c.to_dict() for c in self.checks],
            "lab_gating": [g.to_dict() for g in self.lab_gating],
            "monitoring": [i.to_dict() for i in self.monitoring],
            "dose": self.dose.to_dict(),
            "blocks_jak_start": self.blocks_jak_start,
            "risk_flags": [f.to_dict() for f in self.risk_flags],
            "glucocorticoids": self.glucocorticoids.to_dict(),
            "inactive_disease": self.inactive_disease.to_dict(),
            "response": self.response.to_dict(),
            "assumptions": list(self.assumptions),
            "disclaimer": self.disclaimer,
        }


def phase_on(record: PatientRecord, on: date) -> tuple[Phase, DrugCourse | None]:
    """The patient's JAK-inhibitor phase on `on` and the running (or last stopped) course."""
    running = record.jak_course_on(on)
    if running is not None:
        return "on_treatment", running
    past = [c for c in record.jak_courses if c.start_date <= on]
    if past:
        return "stopped", max(past, key=lambda c: (c.end_date or c.start_date, c.start_date))
    return "before_start", None


def _monitoring_checks(items: tuple[DueItem, ...]) -> list[Check]:
    return [
        Check(
            section="monitoring",
            name=i.what,
            status="cannot_assess",
            message=f"{i.drug}: {i.message}",
            source=i.source,
            needs=(
                NeededInput(
                    i.what,
                    "missing" if i.last_done is None else "out_of_window",
                    f"by {i.due_date.isoformat()} ({i.rule})",
                    latest=i.last_done,
                ),
            ),
            drug=i.drug,
        )
        for i in items
        if i.state == "overdue"
    ]


def _jak_related(check: Check, drugs: tuple[str, ...]) -> bool:
    """A check about the JAK inhibitor itself (its bands, screening, dose, its label's
    infection rules), as opposed to another drug or a whole-patient prompt."""
    return check.drug in drugs or check.section in ("lab_gating", "screening", "monitoring")


def _headline(
    phase: Phase,
    status: CheckStatus,
    course: CourseNow | None,
    restart: bool,
    checks: list[Check],
    drugs: tuple[str, ...],
) -> str:
    blocking = [c for c in checks if c.status == "blocks"]
    own = [c for c in blocking if _jak_related(c, drugs)]
    others = "; ".join(dict.fromkeys(c.name for c in blocking if not _jak_related(c, drugs)))
    if phase == "on_treatment":
        assert course is not None
        if status == "blocks":
            if own:
                head = f"A label rule says to interrupt, reduce or stop {course.drug}."
                return head + (f" Also blocking: {others}." if others else "")
            return f"On {course.drug}: a check blocks — {others}."
        repeat = [c for c in checks if c.section == "lab_gating" and c.action == REPEAT_WORDS]
        if repeat and status == "cannot_assess":
            what = "; ".join(c.evidence or c.name for c in repeat)
            return (
                f"Repeat the blood count now: {what} is in a band of the {course.drug} label "
                "that acts only when confirmed by a repeat result (listed below). Cannot "
                f"assess continued {course.drug} until then."
            )
        silent = [c for c in checks if c.section == "lab_gating" and c.action == NO_RULE_WORDS]
        if silent and status == "cannot_assess":
            what = "; ".join(c.evidence or c.name for c in silent)
            return (
                f"No label instruction for {what}: the {course.drug} label's bands do not "
                "cover this value (listed below); the treating team decides. Cannot assess "
                f"continued {course.drug} by the label."
            )
        return {
            "cannot_assess": f"Cannot assess continued {course.drug}: inputs are missing, too "
            "old or implausible (listed below).",
            "nothing_blocks": f"On {course.drug} since {course.run_start.isoformat()}: no "
            "monitoring rule blocks continuing.",
        }[status]
    if phase == "stopped" and not restart:
        assert course is not None
        end = "" if course.end_date is None else f" on {course.end_date.isoformat()}"
        head = (
            f"{course.drug} stopped{end}. No start is assessed; ask for a restart check to "
            "assess one."
        )
        return head + (f" A check blocks: {others}." if others else "")
    start = "a JAK-inhibitor restart" if restart else "a JAK-inhibitor start"
    if status == "blocks":
        if own:
            head = f"Do not start now: a rule blocks {start}."
            return head + (f" Also blocking: {others}." if others else "")
        return f"A check blocks (not a rule of the JAK inhibitor itself): {others}."
    return {
        "cannot_assess": f"Cannot assess {start}: inputs are missing, too old or implausible "
        "(listed below).",
        "nothing_blocks": f"No safety check blocks {start}.",
    }[status]


def decision_support(
    record: PatientRecord,
    on: date,
    *,
    as_of_date: AsOf | None = None,
    drug: str | None = None,
    restart: bool = False,
    whole: WholeRecord | None = None,
) -> DecisionSupport:
    """The decision-support view of `record` on `on` (nothing after `on` is used).

    `drug` limits a start assessment to one planned JAK inhibitor (default: each with rules);
    `restart` assesses a restart after the last course stopped; `as_of_date` says how `on`
    was chosen (see `as_of`). `whole` (the patient's whole record, cohort format version 2)
    adds the checks and words that need it: live vaccines and a pregnancy test before a
    start, a positive pregnancy test on treatment, ancestry and dated ILD in the PJP and
    lung flags, oxygen need; what it could not use for want of a day is said in the
    assumptions."""
    chosen = as_of_date or AsOf(on, True, f"as of {on.isoformat()}")
    phase, course = phase_on(record, on)
    body = body_on(record, on)
    running = course if phase == "on_treatment" else None
    if running is not None:
        drugs: tuple[str, ...] = (running.drug,)
    elif drug is not None:
        drugs = (drug,)
    else:
        drugs = JAK_DRUGS_WITH_RULES
    assess_start = phase == "before_start" or (phase == "stopped" and restart)
    checks: list[Check] = []
    gating: tuple[GateResult, ...] = ()
    monitoring: tuple[DueItem, ...] = ()
    dose, dose_checks = _dose(record, on, body, running, drugs)
    if phase == "on_treatment":
        gating = _gating(record, on, running, drugs)
        monitoring = monitoring_due(record, on)
        checks += [g.check() for g in gating]
        checks += _monitoring_checks(monitoring)
        checks += dose_checks
        if whole is not None:
            checks += pregnancy_checks(whole, on, drugs, before_start=False)
    elif assess_start:
        gating = _gating(record, on, None, drugs)
        checks += [g.check() for g in gating]
        checks += screening(record, on)
        checks += dose_checks
        if whole is not None:
            checks += live_vaccine_checks(whole, on, drugs)
            checks += pregnancy_checks(whole, on, drugs, before_start=True)
    else:
        assert course is not None
        end = "" if course.end_date is None else f" on {course.end_date.isoformat()}"
        checks.append(
            Check(
                section="treatment",
                name="treatment stopped",
                status="cannot_assess",
                message=f"{course.drug} stopped{end}; no start is assessed (ask for a restart "
                "check)",
                source="the patient's courses",
                drug=course.drug,
            )
        )
    for patient_checks in WHOLE_PATIENT_CHECKS:
        # A rule of another JAK inhibitor's label (e.g. the Xeljanz "any active infection"
        # rule) says nothing about the drug planned or running: not part of its summary.
        found = (
            pjp_checks(record, on, whole=whole)
            if patient_checks is pjp_checks and whole is not None
            else patient_checks(record, on)
        )
        checks += [
            c for c in found if c.drug is None or c.drug not in JAK_INHIBITORS or c.drug in drugs
        ]
    status = worst(c.status for c in checks)
    # A drug's own state: its checks and every check that belongs to no other JAK inhibitor.
    by_drug = tuple(
        (d, worst(c.status for c in checks if c.drug in (None, d) or c.drug not in JAK_INHIBITORS))
        for d in drugs
    )
    now = None if course is None else _course_now(record, course, body)
    assumptions = [
        *BODY_ASSUMPTIONS,
        *SCREENING_ASSUMPTIONS,
        *MONITORING_ASSUMPTIONS,
        *FORMULATION_ASSUMPTIONS,
        glucocorticoids.WEIGHT_ASSUMPTION,
        "the summary is the worst state of every check; before a start each JAK inhibitor "
        "with rules is assessed unless one is planned (status by drug shown)",
    ]
    if whole is not None:
        assumptions += partial_date_notes(whole, on)
    if "baricitinib" in drugs:
        assumptions += BARICITINIB_ASSUMPTIONS
    if "tofacitinib" in drugs and phase == "on_treatment":
        assumptions.append(EU_ON_TREATMENT_NOTE)
    return DecisionSupport(
        patient_id=record.patient.patient_id,
        on=on,
        as_of=chosen,
        phase=phase,
        restart=restart and phase == "stopped",
        drugs=drugs,
        course=now,
        start_status=status,
        headline=_headline(phase, status, now, restart, checks, drugs),
        checks=tuple(checks),
        lab_gating=gating,
        monitoring=monitoring,
        dose=dose,
        risk_flags=tuple(risk_flags(record, on, whole)),
        glucocorticoids=glucocorticoids.exposure_now(record, on, last_year_days=LAST_YEAR_DAYS),
        inactive_disease=cid_at_latest_visit(record, on),
        response=response_since_index(record, on),
        assumptions=tuple(assumptions),
        status_by_drug=by_drug,
    )
