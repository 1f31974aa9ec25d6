"""Decision-support checks that need the whole JDM record (cohort format version 2): live
vaccines in the weeks before a JAK-inhibitor start, and a pregnancy test. Each is a
`therapy.status.Check` in three honest states, and says in words when a date it used is
known only to the month or year.

Live vaccines (check `live_vaccines`, before a start):
- `blocks`: a live vaccine recorded in the `LIVE_VACCINE_WEEKS` before the start and the
  drug's label wording, retrieved and VERIFIED, says use "immediately prior to" therapy is
  not recommended (baricitinib);
- `cannot_assess`: no vaccination recorded on or before the start (the history is needed;
  vaccinations dated only after it are not history for it), a live vaccine
  whose date, known only to the month or year, may fall in the window, or a live vaccine in
  the window for a drug whose label wording was not retrieved (UNVERIFIED: a specialist
  decides);
- `nothing_blocks`: vaccinations are recorded and none is live in the window.

Pregnancy (check `pregnancy_test`, girls from `PREGNANCY_TEST_FROM_AGE`):
- `blocks`: the latest test is positive and the drug's label says contraindicated in
  pregnancy (baricitinib, ruxolitinib);
- `cannot_assess`: the latest test is positive for a drug whose label does not say
  contraindicated (tofacitinib: "should not be used during pregnancy unless clearly
  necessary") or whose wording was not retrieved; indeterminate; or before a start, no
  test in the `PREGNANCY_TEST_VALID_DAYS` before it;
- `nothing_blocks`: before a start, a negative test within those days.

The weeks, the age and the days are LOCAL POLICY settings (no label gives them), named
here and shown in every output.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from myotrack.domain import PregnancyTest, Vaccination, WholeRecord
from myotrack.therapy.status import Check, CheckStatus, InputProblem, NeededInput

SECTION: Final = "screening"

# LOCAL POLICY: no label gives a number of weeks; the baricitinib trials let patients have a
# zoster vaccination "at least 30 days prior to start of study medication" (Lilly Medical,
# lillymedical.eu answer 62959; SECONDARY), so 4 weeks.
LIVE_VACCINE_WEEKS: Final = 4
# LOCAL POLICY: from which age a girl needs a pregnancy test before a start, and how old
# (days) a negative test may be. No label gives either.
PREGNANCY_TEST_FROM_AGE: Final = 12.0
PREGNANCY_TEST_VALID_DAYS: Final = 30


@dataclass(frozen=True, slots=True)
class LabelWords:
    """A label's own words on one matter, with where they were read and how sure."""

    words: str | None  # None: not retrieved
    source: str
    status: str  # VERIFIED, SECONDARY, UNVERIFIED
    blocks: bool  # the words say do not use (contraindicated / not recommended)


LIVE_VACCINE_LABEL: Final[dict[str, LabelWords]] = {
    "baricitinib": LabelWords(
        "Use with live, attenuated vaccines during, or immediately prior to, baricitinib "
        "therapy is not recommended",
        "Olumiant SmPC as quoted by Lilly Medical UK (medical.lilly.com/uk, answer 62959); "
        "criteria-therapy.md section 5.1",
        "VERIFIED",
        True,
    ),
    "tofacitinib": LabelWords(
        None,
        "Xeljanz SmPC section 4.4 expected to carry it; not retrieved in this session",
        "UNVERIFIED",
        False,
    ),
    "ruxolitinib": LabelWords(
        None, "Jakavi SmPC: wording not retrieved in this session", "UNVERIFIED", False
    ),
}
PREGNANCY_LABEL: Final[dict[str, LabelWords]] = {
    "baricitinib": LabelWords(
        "contraindicated during pregnancy; effective contraception during and for at least "
        "1 week after treatment",
        "Lilly Medical EU answer 100459; MIMS Olumiant",
        "VERIFIED",
        True,
    ),
    "ruxolitinib": LabelWords(
        "As a precautionary measure, the use of Jakavi during pregnancy is contraindicated",
        "MIMS Jakavi; Jakavi EU SmPC of 29/04/2022 (theriaque.org)",
        "VERIFIED",
        True,
    ),
    "tofacitinib": LabelWords(
        "XELJANZ should not be used during pregnancy unless clearly necessary; effective "
        "contraception during treatment and for at least 4 weeks after the last dose",
        "MIMS Xeljanz (Singapore); Swiss Fachinformation Xeljanz (oddb.org)",
        "VERIFIED",
        False,
    ),
}
_NOT_RETRIEVED: Final = LabelWords(None, "label wording not retrieved", "UNVERIFIED", False)


def _quote(label: LabelWords) -> str:
    if label.words is None:
        return f"label wording not retrieved ({label.status}: {label.source})"
    return f'label: "{label.words}" ({label.source}; {label.status})'


def _when(v: Vaccination) -> str:
    d = v.date
    return d.iso() if d.is_exact else f"{d.iso()} (known only to the {d.precision})"


def live_vaccine_checks(whole: WholeRecord, on: date, drugs: tuple[str, ...]) -> list[Check]:
    """One check per planned JAK inhibitor: live vaccines in the weeks before starting on
    `on` (nothing after `on` is used)."""
    first = on - timedelta(weeks=LIVE_VACCINE_WEEKS)
    known = [v for v in whole.vaccinations if v.date.earliest() <= on]
    window = f"live vaccines of the {LIVE_VACCINE_WEEKS} weeks before the start (local policy)"
    live = [v for v in known if v.live and v.date.latest() >= first]
    certain = [v for v in live if v.date.earliest() >= first]
    name = "live vaccines before the start"
    checks: list[Check] = []
    for drug in drugs:
        label = LIVE_VACCINE_LABEL.get(drug, _NOT_RETRIEVED)
        status: CheckStatus
        needs: tuple[NeededInput, ...] = ()
        if not known:
            # Only vaccinations dated on or before the start are history: a record whose
            # vaccinations all lie after `on` has none for this start (not "nothing blocks").
            status = "cannot_assess"
            message = (
                "No vaccination is recorded on or before the start: live vaccines before the "
                "start cannot be ruled out."
            )
            needs = (NeededInput("vaccination history", "missing", window),)
        elif live:
            listed = "; ".join(f"{v.vaccine} on {_when(v)}" for v in live)
            message = (
                f"Live vaccine within {LIVE_VACCINE_WEEKS} weeks before {on.isoformat()}: "
                f"{listed}. {_quote(label)}."
            )
            status = "blocks" if certain and label.blocks else "cannot_assess"
            if status == "cannot_assess":
                needs = (
                    NeededInput("a specialist decision on the start date", "needs_review", window),
                )
        else:
            status = "nothing_blocks"
            message = (
                f"No live vaccine recorded in the {LIVE_VACCINE_WEEKS} weeks before "
                f"{on.isoformat()} ({len(known)} vaccinations on record)."
            )
        checks.append(
            Check(
                SECTION,
                name,
                status,
                message + " Weeks: local policy.",
                label.source,
                needs=needs,
                drug=drug,
            )
        )
    return checks


def _age(whole: WholeRecord, on: date) -> float:
    return whole.base.patient.age_years(on)


def pregnancy_checks(
    whole: WholeRecord, on: date, drugs: tuple[str, ...], *, before_start: bool
) -> list[Check]:
    """One check per JAK inhibitor for a girl from `PREGNANCY_TEST_FROM_AGE` (none for boys
    and younger girls): the latest pregnancy test on or before `on`."""
    patient = whole.base.patient
    if patient.sex != "F" or _age(whole, on) < PREGNANCY_TEST_FROM_AGE:
        return []
    tests = sorted((t for t in whole.pregnancy_tests if t.date <= on), key=_test_day)
    latest: PregnancyTest | None = tests[-1] if tests else None
    valid_from = on - timedelta(days=PREGNANCY_TEST_VALID_DAYS)
    window = (
        f"a pregnancy test in the {PREGNANCY_TEST_VALID_DAYS} days before the start "
        f"(local policy, from age {PREGNANCY_TEST_FROM_AGE:g})"
    )
    name = "pregnancy test"
    checks: list[Check] = []
    for drug in drugs:
        label = PREGNANCY_LABEL.get(drug, _NOT_RETRIEVED)
        needs: tuple[NeededInput, ...] = ()
        status: CheckStatus
        if latest is not None and latest.result == "positive":
            status = "blocks" if label.blocks else "cannot_assess"
            message = f"Positive pregnancy test on {latest.date.isoformat()}. {_quote(label)}."
            if not label.blocks:
                needs = (NeededInput("a specialist decision", "needs_review", "before any start"),)
        elif not before_start:
            continue  # on treatment: only a positive test is a finding
        elif latest is not None and latest.result == "indeterminate":
            status = "cannot_assess"
            message = f"Indeterminate pregnancy test on {latest.date.isoformat()}."
            needs = (NeededInput("pregnancy test", "indeterminate", window, latest.date),)
        elif latest is None or latest.date < valid_from:
            status = "cannot_assess"
            message = "No recent pregnancy test before the start."
            problem: InputProblem = "missing" if latest is None else "out_of_window"
            needs = (
                NeededInput(
                    "pregnancy test", problem, window, None if latest is None else latest.date
                ),
            )
        else:
            status = "nothing_blocks"
            message = f"Negative pregnancy test on {latest.date.isoformat()}."
        checks.append(
            Check(
                SECTION,
                name,
                status,
                message + " Age and days: local policy.",
                label.source,
                needs=needs,
                drug=drug,
            )
        )
    return checks


def _test_day(test: PregnancyTest) -> date:
    return test.date


def partial_date_notes(whole: WholeRecord, on: date) -> tuple[str, ...]:
    """What the checks could not use, or used with a date known only to the month or year:
    said in the output, never silently."""
    notes: list[str] = []
    skipped = [c for c in whole.treatment_courses if c.start is None or not c.start.is_exact]
    for course in skipped:
        when = (
            "no start date"
            if course.start is None
            else f"start {course.start.iso()}, known only to the {course.start.precision}"
        )
        notes.append(
            f"{course.drug} ({when}): not used by the dose, monitoring and interaction "
            "checks, which need a day"
        )
    for inv in whole.involvement:
        if inv.onset is not None and not inv.onset.is_exact and inv.onset.earliest() <= on:
            notes.append(
                f"{inv.organ} onset {inv.onset.iso()}: known only to the "
                f"{inv.onset.precision}; counted as present on a day in that period"
            )
    return tuple(notes)
