"""Monitoring on a JAK inhibitor: what is due and what is overdue on a date, by each label's
schedule, with the rule and its source. Pure: the date is passed in.

Schedules (shared/spec/criteria-therapy.md §5.1, VERIFIED from label reproductions):

* tofacitinib — lymphocytes, neutrophils and haemoglobin at baseline, after 4-8 weeks, then
  every 3 months (Xeljanz EU/AU SmPC, pfizerpro UK/AU); lipids 4-8 weeks after the start
  (Xeljanz US patient information; EU/AU: after 8 weeks);
* baricitinib — lipids about 12 weeks after the start (Olumiant EU SmPC, MIMS); blood counts
  on treatment: the label interval was not verified, so counts every 3 months is a
  LOCAL-POLICY setting (`BARICITINIB_COUNT_DAYS`), shown as such;
* ruxolitinib — a complete blood count every 2-4 weeks until the dose is stable, then as
  clinically indicated (Jakafi US label 2.1, prescriberpoint; Jakavi EU SmPC 4.2,
  rxreasoner EMA 2025); lipids 8-12 weeks after the start (Jakafi 2.1). "Stable" is read as
  the same drug for 12 weeks and "as clinically indicated" as every 3 months: both are
  LOCAL-POLICY settings (`RUX_STABLE_AFTER_DAYS`, `RUX_LATER_COUNT_DAYS`).

A window "4-8 weeks" opens at 4 weeks and is due by 8 weeks; after it, the item is overdue.
A repeating item ("every 3 months") is due on the last result + the interval and is shown as
due from `DUE_SOON_DAYS` before that date (a display setting of the worklist, not a clinical
rule). A result counts for an after-start item only when dated inside or after its window.

`due_items(record, on)` is the API the clinic worklist builds on; `count_window(record, on)`
gives the window within which an on-treatment blood count must lie to be used for gating.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final, Literal

from myotrack.domain import DrugCourse, PatientRecord

DueState = Literal["overdue", "due", "upcoming"]
ItemKind = Literal["after_start", "repeat"]

# Display setting (not clinical): a repeating item is listed as due this many days before
# its date.
DUE_SOON_DAYS: Final = 14
# LOCAL POLICY (no verified label interval): baricitinib blood counts every 3 months, read
# as 92 days (DERIVED: the longest three consecutive calendar months).
BARICITINIB_COUNT_DAYS: Final = 92
# LOCAL POLICY: ruxolitinib "until doses are stabilised" = the first 12 weeks of a run of the
# same drug; then "as clinically indicated" = every 3 months.
RUX_STABLE_AFTER_DAYS: Final = 84
RUX_LATER_COUNT_DAYS: Final = 92
# Ruxolitinib label: "every 2 to 4 weeks" -> due 4 weeks (28 days) after the last count.
RUX_EARLY_COUNT_DAYS: Final = 28
# Tofacitinib EU/AU SmPC: "then every 3 months" -> 92 days (DERIVED: the longest three
# consecutive calendar months, so a count is never called overdue early).
TOFACITINIB_COUNT_DAYS: Final = 92

COUNTS: Final = ("lymphocytes", "neutrophils", "hemoglobin")
RUX_COUNTS: Final = ("neutrophils", "platelets", "hemoglobin")
LIPIDS: Final = ("total_cholesterol", "LDL", "triglycerides")

_TOFA_EU: Final = "Xeljanz EU/AU SmPC monitoring (pfizerpro UK/AU)"
_TOFA_US_LIPIDS: Final = "Xeljanz US patient information (lipids 4-8 weeks after the start)"
_BARI_EU: Final = "Olumiant EU SmPC (MIMS reproduction)"
_RUX: Final = "Jakafi US label 2.1 (prescriberpoint); Jakavi EU SmPC 4.2 (rxreasoner, EMA 2025)"

ASSUMPTIONS: Final = (
    f"baricitinib blood counts every {BARICITINIB_COUNT_DAYS} days on treatment "
    "(LOCAL POLICY: the label interval was not verified)",
    f"ruxolitinib: 'until doses are stabilised' read as the first {RUX_STABLE_AFTER_DAYS} "
    f"days of the same drug, then 'as clinically indicated' as every {RUX_LATER_COUNT_DAYS} "
    "days (LOCAL POLICY)",
    f"a repeating monitoring item is shown as due {DUE_SOON_DAYS} days before its date "
    "(display setting)",
)


@dataclass(frozen=True, slots=True)
class ScheduleRule:
    """One monitoring rule of one drug. `after_start`: one check in a window of days after
    the start of the run; `repeat`: every `interval_days` after the last result, while the
    run is between `from_day` and `until_day` days old."""

    drug: str
    what: str
    analytes: tuple[str, ...]
    kind: ItemKind
    rule: str
    source: str
    status: str  # VERIFIED or LOCAL POLICY
    window_from_days: int = 0
    window_by_days: int = 0
    interval_days: int = 0
    from_day: int = 0
    until_day: int | None = None
    after_rule: str | None = None  # a repeat that starts once this after_start item is done


SCHEDULE: Final[tuple[ScheduleRule, ...]] = (
    # Tofacitinib (Xeljanz EU/AU SmPC, pfizerpro): counts at baseline, after 4-8 weeks
    # (28-56 days), then every 3 months.
    *(
        ScheduleRule(
            drug="tofacitinib",
            what=f"blood count: {a}",
            analytes=(a,),
            kind="after_start",
            rule="after 4-8 weeks of treatment",
            source=_TOFA_EU,
            status="VERIFIED",
            window_from_days=28,
            window_by_days=56,
        )
        for a in COUNTS
    ),
    *(
        ScheduleRule(
            drug="tofacitinib",
            what=f"blood count: {a}",
            analytes=(a,),
            kind="repeat",
            rule="every 3 months after the 4-8-week check",
            source=_TOFA_EU,
            status="VERIFIED",
            interval_days=TOFACITINIB_COUNT_DAYS,
            after_rule="after 4-8 weeks of treatment",
        )
        for a in COUNTS
    ),
    # Tofacitinib lipids: 4-8 weeks after the start (US; EU/AU after 8 weeks).
    ScheduleRule(
        drug="tofacitinib",
        what="lipids",
        analytes=LIPIDS,
        kind="after_start",
        rule="lipids 4-8 weeks after the start",
        source=_TOFA_US_LIPIDS,
        status="VERIFIED",
        window_from_days=28,
        window_by_days=56,
    ),
    # Baricitinib lipids: about 12 weeks (84 days) after the start (EU SmPC).
    ScheduleRule(
        drug="baricitinib",
        what="lipids",
        analytes=LIPIDS,
        kind="after_start",
        rule="lipids about 12 weeks after the start",
        source=_BARI_EU,
        status="VERIFIED",
        window_from_days=84 - DUE_SOON_DAYS,
        window_by_days=84,
    ),
    *(
        ScheduleRule(
            drug="baricitinib",
            what=f"blood count: {a}",
            analytes=(a,),
            kind="repeat",
            rule=f"every {BARICITINIB_COUNT_DAYS} days on treatment (local policy)",
            source="LOCAL POLICY (Olumiant label interval not verified)",
            status="LOCAL POLICY",
            interval_days=BARICITINIB_COUNT_DAYS,
        )
        for a in COUNTS
    ),
    # Ruxolitinib: CBC every 2-4 weeks until stable, then as clinically indicated.
    *(
        ScheduleRule(
            drug="ruxolitinib",
            what=f"blood count: {a}",
            analytes=(a,),
            kind="repeat",
            rule="complete blood count every 2-4 weeks until the dose is stable",
            source=_RUX,
            status="VERIFIED",
            interval_days=RUX_EARLY_COUNT_DAYS,
            until_day=RUX_STABLE_AFTER_DAYS,
        )
        for a in RUX_COUNTS
    ),
    *(
        ScheduleRule(
            drug="ruxolitinib",
            what=f"blood count: {a}",
            analytes=(a,),
            kind="repeat",
            rule=f"as clinically indicated once stable (local policy: every "
            f"{RUX_LATER_COUNT_DAYS} days)",
            source=_RUX + "; interval LOCAL POLICY",
            status="LOCAL POLICY",
            interval_days=RUX_LATER_COUNT_DAYS,
            from_day=RUX_STABLE_AFTER_DAYS,
        )
        for a in RUX_COUNTS
    ),
    # Ruxolitinib lipids 8-12 weeks (56-84 days) after the start.
    ScheduleRule(
        drug="ruxolitinib",
        what="lipids",
        analytes=LIPIDS,
        kind="after_start",
        rule="lipids about 8-12 weeks after the start",
        source=_RUX,
        status="VERIFIED",
        window_from_days=56,
        window_by_days=84,
    ),
)


@dataclass(frozen=True, slots=True)
class DueItem:
    """One monitoring item that is not yet done: what, by when, how urgent, which rule."""

    patient_id: str
    drug: str
    what: str
    analytes: tuple[str, ...]
    due_date: date
    state: DueState
    rule: str
    source: str
    status: str  # VERIFIED or LOCAL POLICY
    window_opens: date
    last_done: date | None = None

    @property
    def overdue(self) -> bool:
        return self.state == "overdue"

    def days_overdue(self, on: date) -> int:
        return max(0, (on - self.due_date).days)

    @property
    def message(self) -> str:
        when = {
            "overdue": f"overdue since {self.due_date.isoformat()}",
            "due": f"due by {self.due_date.isoformat()}",
            "upcoming": f"due from {self.window_opens.isoformat()} to {self.due_date.isoformat()}",
        }[self.state]
        last = f"; last {self.last_done.isoformat()}" if self.last_done else ""
        return f"{self.what}: {when} ({self.rule}{last})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "patient_id": self.patient_id,
            "drug": self.drug,
            "what": self.what,
            "analytes": list(self.analytes),
            "due_date": self.due_date.isoformat(),
            "state": self.state,
            "rule": self.rule,
            "source": self.source,
            "status": self.status,
            "window_opens": self.window_opens.isoformat(),
            "last_done": None if self.last_done is None else self.last_done.isoformat(),
            "message": self.message,
        }


def run_start(record: PatientRecord, course: DrugCourse) -> date:
    """Start of the uninterrupted run of the same JAK inhibitor `course` belongs to (a dose
    change ends one course and starts the next the same or the following day)."""
    start = course.start_date
    same = sorted(
        (c for c in record.jak_courses if c.drug == course.drug), key=lambda c: c.start_date
    )
    changed = True
    while changed:
        changed = False
        for c in same:
            if c.start_date < start and c.end_date is not None and (start - c.end_date).days <= 1:
                start = c.start_date
                changed = True
    return start


def _state(on: date, opens: date, due: date) -> DueState:
    if on > due:
        return "overdue"
    if on >= opens:
        return "due"
    return "upcoming"


def _last(record: PatientRecord, analytes: tuple[str, ...], on: date) -> date | None:
    found = [
        r.date
        for r in record.labs
        if r.analyte in analytes and r.date <= on and (r.value is not None or r.result)
    ]
    return max(found) if found else None


def _done_in_window(record: PatientRecord, rule: ScheduleRule, start: date, on: date) -> bool:
    opens = start + timedelta(days=rule.window_from_days)
    return any(
        r.analyte in rule.analytes and opens <= r.date <= on and r.value is not None
        for r in record.labs
    )


def due_items(record: PatientRecord, on: date) -> tuple[DueItem, ...]:
    """Monitoring items of the JAK inhibitor running on `on` that are not done: upcoming,
    due or overdue, most urgent first. Empty when no JAK inhibitor runs on `on`."""
    course = record.jak_course_on(on)
    if course is None:
        return ()
    start = run_start(record, course)
    day = (on - start).days
    pid = record.patient.patient_id
    out: list[DueItem] = []
    rules = [r for r in SCHEDULE if r.drug == course.drug]
    for rule in rules:
        if rule.kind == "after_start":
            if _done_in_window(record, rule, start, on):
                continue
            opens = start + timedelta(days=rule.window_from_days)
            due = start + timedelta(days=rule.window_by_days)
            out.append(
                DueItem(
                    patient_id=pid,
                    drug=course.drug,
                    what=rule.what,
                    analytes=rule.analytes,
                    due_date=due,
                    state=_state(on, opens, due),
                    rule=rule.rule,
                    source=rule.source,
                    status=rule.status,
                    window_opens=opens,
                    last_done=_last(record, rule.analytes, on),
                )
            )
            continue
        if day < rule.from_day or (rule.until_day is not None and day >= rule.until_day):
            continue
        if rule.after_rule is not None:
            first = next(
                r
                for r in rules
                if r.kind == "after_start" and r.rule == rule.after_rule and r.what == rule.what
            )
            if not _done_in_window(record, first, start, on):
                continue
        last = _last(record, rule.analytes, on)
        due = (last or start) + timedelta(days=rule.interval_days if last else 0)
        opens = due - timedelta(days=DUE_SOON_DAYS)
        state = _state(on, opens, due)
        out.append(
            DueItem(
                patient_id=pid,
                drug=course.drug,
                what=rule.what,
                analytes=rule.analytes,
                due_date=due,
                state=state,
                rule=rule.rule,
                source=rule.source,
                status=rule.status,
                window_opens=opens,
                last_done=last,
            )
        )
    order = {"overdue": 0, "due": 1, "upcoming": 2}
    return tuple(sorted(out, key=lambda i: (order[i.state], i.due_date, i.what)))


@dataclass(frozen=True, slots=True)
class CountWindow:
    """How recent an on-treatment blood count must be to be used, and why."""

    days: int
    words: str
    source: str


def count_window(record: PatientRecord, on: date) -> CountWindow | None:
    """The window within which a blood count must lie on `on` for the running JAK inhibitor
    (its repeat interval), or None when none runs."""
    course = record.jak_course_on(on)
    if course is None:
        return None
    day = (on - run_start(record, course)).days
    for rule in SCHEDULE:
        if rule.drug != course.drug or rule.kind != "repeat" or "blood count" not in rule.what:
            continue
        if day < rule.from_day or (rule.until_day is not None and day >= rule.until_day):
            continue
        return CountWindow(rule.interval_days, f"within {rule.interval_days} days", rule.source)
    return CountWindow(
        TOFACITINIB_COUNT_DAYS,
        f"within {TOFACITINIB_COUNT_DAYS} days",
        "LOCAL POLICY (no schedule for this drug)",
    )
