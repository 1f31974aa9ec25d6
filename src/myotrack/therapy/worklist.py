"""The clinic worklist: for every patient, what is due or overdue on a date, most urgent first.
Each line names its rule and source. Pure: records and the date are passed in.

What it lists (issue 8 §3):
- **monitoring** on a JAK inhibitor, by each label's schedule (`therapy.monitoring`): items
  that are due or overdue (not the upcoming ones);
- **screening before a planned start**: a start is *planned* when a JAK-inhibitor course is
  recorded with a start date after the worklist date (entered ahead of time). Every
  pre-start screening check (`therapy.screening`) that is not green is listed, due by the
  planned start date;
- **visits overdue**: a patient in follow-up (a systemic drug running on the date, or a
  planned JAK-inhibitor start) whose last visit is older than `visit_interval_days`
  (LOCAL-POLICY SETTING: no published visit interval for JDM on a JAK inhibitor);
- **glucocorticoids still given** after `gc_review_after_days` of one uninterrupted run
  (LOCAL-POLICY SETTING; the default of 12 months is the German/Austrian consensus landmark:
  high-dose daily glucocorticoids "discontinue at 12 months", moderate and lower doses "stop
  within 12 months": Hinze CH et al. Pediatr Rheumatol 2018;16:40, Table 4, PMC6019723);
- **open checks**: for patients on or about to start a JAK inhibitor, the infection and
  Pneumocystis-prophylaxis checks (`therapy.infections`, `therapy.pjp`) that block or cannot
  be assessed; for every patient on a systemic drug, a dose above a published maximum
  (`therapy.drug_doses`).

Order: overdue first (longest overdue first), then blocking checks, then due items (earliest
due date first), then checks that cannot be assessed; ties by patient.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Final, Literal

from myotrack.domain import DrugCourse, PatientRecord
from myotrack.therapy.drug_doses import dose_checks
from myotrack.therapy.glucocorticoids import is_systemic_glucocorticoid
from myotrack.therapy.infections import infection_checks
from myotrack.therapy.monitoring import due_items
from myotrack.therapy.pjp import pjp_checks
from myotrack.therapy.screening import screening
from myotrack.therapy.status import Check

LineKind = Literal["monitoring", "screening", "visit", "glucocorticoids", "check"]
LineState = Literal["overdue", "blocks", "due", "cannot_assess"]
STATE_ORDER: Final[dict[LineState, int]] = {"overdue": 0, "blocks": 1, "due": 2, "cannot_assess": 3}
STATE_WORDS: Final[dict[LineState, str]] = {
    "overdue": "overdue",
    "blocks": "blocks",
    "due": "due",
    "cannot_assess": "cannot assess",
}
KIND_WORDS: Final[dict[LineKind, str]] = {
    "monitoring": "monitoring",
    "screening": "screening before a planned start",
    "visit": "visit",
    "glucocorticoids": "glucocorticoids",
    "check": "open check",
}
HINZE_2018: Final = (
    "Hinze CH et al. Pediatr Rheumatol 2018;16:40, Table 4 (PMC6019723): glucocorticoids "
    "stopped within 12 months"
)
LOCAL_POLICY: Final = "LOCAL POLICY"
# Label-band verdicts on treatment that are open checks of the worklist.
GATING_OPEN: Final = frozenset(
    {"interrupt", "reduce_dose", "discontinue", "unconfirmed", "no_label_instruction"}
)


@dataclass(frozen=True, slots=True)
class WorklistPolicy:
    """LOCAL-POLICY SETTINGS of the worklist, reported with every worklist."""

    visit_interval_days: int = 92  # no published interval: a visit every 3 months
    gc_review_after_days: int = 365  # Hinze 2018 Table 4: "discontinue at 12 months"
    visit_due_soon_days: int = 14  # display: a visit is listed from 14 days before it is due

    @property
    def assumptions(self) -> tuple[str, ...]:
        return (
            f"local-policy setting: a patient in follow-up (a systemic drug running, or a "
            f"planned JAK-inhibitor start) needs a visit every {self.visit_interval_days} days "
            "(no published interval)",
            f"local-policy setting: glucocorticoids given for more than "
            f"{self.gc_review_after_days} days in one run are listed for review (default from "
            "Hinze 2018 Table 4: stop within 12 months)",
            "a JAK-inhibitor start is 'planned' when a course is recorded with a start date "
            "after the worklist date",
        )


DEFAULT_POLICY: Final = WorklistPolicy()


@dataclass(frozen=True, slots=True)
class WorklistLine:
    """One thing to do for one patient, with its rule and source."""

    patient_id: str
    site: str | None
    kind: LineKind
    state: LineState
    what: str
    due_date: date | None
    rule: str
    source: str
    detail: str = ""
    drug: str | None = None

    def days_overdue(self, on: date) -> int:
        if self.state != "overdue" or self.due_date is None:
            return 0
        return max(0, (on - self.due_date).days)

    def sort_key(self, on: date) -> tuple[int, int, date, str, str]:
        rank = STATE_ORDER[self.state]
        due = self.due_date or on
        return (rank, -self.days_overdue(on), due, self.patient_id, self.what)

    def to_dict(self, on: date) -> dict[str, Any]:
        return {
            "patient_id": self.patient_id,
            "site": self.site,
            "kind": self.kind,
            "state": self.state,
            "what": self.what,
            "due_date": None if self.due_date is None else self.due_date.isoformat(),
            "days_overdue": self.days_overdue(on),
            "rule": self.rule,
            "source": self.source,
            "detail": self.detail,
            "drug": self.drug,
        }


@dataclass(frozen=True, slots=True)
class Worklist:
    on: date
    lines: tuple[WorklistLine, ...]
    patients: int
    assumptions: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.on.isoformat(),
            "patients": self.patients,
            "lines": [line.to_dict(self.on) for line in self.lines],
            "assumptions": list(self.assumptions),
        }


def planned_jak_start(record: PatientRecord, on: date) -> DrugCourse | None:
    """The first JAK-inhibitor course recorded to start after `on`, when none runs on `on`."""
    if record.jak_course_on(on) is not None:
        return None
    later = [c for c in record.jak_courses if c.start_date > on]
    return min(later, key=lambda c: c.start_date) if later else None


def _systemic_running(record: PatientRecord, on: date) -> list[DrugCourse]:
    return [c for c in record.courses if c.route != "topical" and c.running_on(on)]


def _gc_run_start(record: PatientRecord, on: date) -> date | None:
    """Start of the uninterrupted run of systemic glucocorticoids going on `on` (courses
    that follow each other within a day belong to one run), or None."""
    courses = sorted(
        (c for c in record.courses if is_systemic_glucocorticoid(c) and c.start_date <= on),
        key=lambda c: c.start_date,
    )
    if not any(c.running_on(on) for c in courses):
        return None
    start: date | None = None
    reach: date | None = None  # the last day covered so far (None = open end)
    for c in courses:
        if start is None or (reach is not None and (c.start_date - reach).days > 1):
            start = c.start_date
            reach = c.end_date
        elif reach is not None:
            reach = None if c.end_date is None else max(reach, c.end_date)
    return start


def _check_line(
    record: PatientRecord, check: Check, kind: LineKind, due: date | None, prefix: str = ""
) -> WorklistLine:
    state: LineState = "blocks" if check.status == "blocks" else "cannot_assess"
    if kind == "screening":
        state = "due"
    needs = "; ".join(n.message for n in check.needs)
    return WorklistLine(
        patient_id=record.patient.patient_id,
        site=record.patient.site,
        kind=kind,
        state=state,
        what=prefix + check.name,
        due_date=due,
        rule=check.name,
        source=check.source,
        detail=needs or check.message,
        drug=check.drug,
    )


def patient_lines(
    record: PatientRecord, on: date, policy: WorklistPolicy = DEFAULT_POLICY
) -> list[WorklistLine]:
    """The worklist lines of one patient on `on` (unsorted)."""
    pid, site = record.patient.patient_id, record.patient.site
    lines: list[WorklistLine] = []
    for item in due_items(record, on):
        if item.state == "upcoming":
            continue
        lines.append(
            WorklistLine(
                patient_id=pid,
                site=site,
                kind="monitoring",
                state="overdue" if item.state == "overdue" else "due",
                what=f"{item.drug}: {item.what}",
                due_date=item.due_date,
                rule=item.rule,
                source=f"{item.source} ({item.status})",
                detail=item.message,
                drug=item.drug,
            )
        )
    planned = planned_jak_start(record, on)
    if planned is not None:
        for check in screening(record, on):
            if check.status != "nothing_blocks":
                lines.append(
                    _check_line(
                        record,
                        check,
                        "screening",
                        planned.start_date,
                        prefix=f"before {planned.drug} on {planned.start_date.isoformat()}: ",
                    )
                )
    running = _systemic_running(record, on)
    jak_now = any(c.is_jak_inhibitor for c in running)
    in_follow_up = bool(running) or planned is not None
    if in_follow_up:
        visits = [v.date for v in record.visits if v.date <= on]
        last = max(visits) if visits else None
        rule = f"a visit every {policy.visit_interval_days} days in follow-up (local policy)"
        if last is None:
            lines.append(
                WorklistLine(
                    pid,
                    site,
                    "visit",
                    "overdue",
                    "visit",
                    None,
                    rule,
                    LOCAL_POLICY,
                    detail="no visit recorded",
                )
            )
        else:
            due = last + timedelta(days=policy.visit_interval_days)
            if on > due or on >= due - timedelta(days=policy.visit_due_soon_days):
                lines.append(
                    WorklistLine(
                        pid,
                        site,
                        "visit",
                        "overdue" if on > due else "due",
                        "visit",
                        due,
                        rule,
                        LOCAL_POLICY,
                        detail=f"last visit {last.isoformat()}",
                    )
                )
    gc_start = _gc_run_start(record, on)
    if gc_start is not None:
        review = gc_start + timedelta(days=policy.gc_review_after_days)
        if on > review:
            lines.append(
                WorklistLine(
                    pid,
                    site,
                    "glucocorticoids",
                    "overdue",
                    "glucocorticoids still given",
                    review,
                    f"glucocorticoids for more than {policy.gc_review_after_days} days in one "
                    "run: review (local policy)",
                    f"{LOCAL_POLICY}; default from {HINZE_2018}",
                    detail=f"systemic glucocorticoids since {gc_start.isoformat()}",
                )
            )
    if jak_now or planned is not None:
        for check in (*infection_checks(record, on), *pjp_checks(record, on)):
            if check.status != "nothing_blocks":
                lines.append(_check_line(record, check, "check", None))
    if jak_now:
        # A label band of the running JAK inhibitor that acts (interrupt, reduce, stop), or
        # that needs a repeat result or has no instruction for the value: an open check
        # (missing or old counts are already monitoring lines). h13 review.
        from myotrack.therapy.decision_support import on_treatment_gating

        for gate in on_treatment_gating(record, on):
            if gate.verdict in GATING_OPEN:
                lines.append(_check_line(record, gate.check(), "check", None))
    if running:
        for check in dose_checks(record, on):
            if check.status == "blocks":  # above a published maximum
                lines.append(_check_line(record, check, "check", None))
    return lines


def worklist(
    records: Iterable[PatientRecord],
    on: date,
    *,
    sites: Iterable[str] | None = None,
    policy: WorklistPolicy = DEFAULT_POLICY,
) -> Worklist:
    """The worklist of `records` (of `sites` if given) on `on`, most urgent first."""
    wanted = None if sites is None else frozenset(sites)
    lines: list[WorklistLine] = []
    n = 0
    for record in records:
        if wanted is not None and record.patient.site not in wanted:
            continue
        n += 1
        lines.extend(patient_lines(record, on, policy))
    lines.sort(key=lambda line: line.sort_key(on))
    return Worklist(on=on, lines=tuple(lines), patients=n, assumptions=policy.assumptions)
