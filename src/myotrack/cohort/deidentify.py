"""De-identification tiers: the ONE implementation used by every exporter and by the
research view of the web app (docs/deidentification.md says what each tier promises and
what it does not).

Tiers (`Tier`):
- `identified`: the data as stored (clinicians, data managers).
- `pseudonymised` (today's `myotrack export --deidentified`, and what researchers see in
  the web app):
  - patient_id becomes a keyed research pseudonym (HMAC-SHA256 of the id with a secret
    key the centre keeps), so the same key gives the same pseudonyms everywhere and
    nobody without the key can link them back;
  - every date of a patient moves by the same number of days (between -182 and +182,
    drawn from the same HMAC), so ages, intervals, durations and the order of everything
    stay exactly as they were, while calendar dates do not identify anyone. Data after
    the cut-off are dropped first and the cut-off itself is not exported, since one
    calendar cut-off cannot hold for shifted patients; courses still running at the
    cut-off stay open-ended;
  - no free text: `x_` columns and site are removed, and an event's detail is kept only
    when it is a known organism code (`ORGANISM_CODES`, e.g. EBV, PJP).
- `safe-harbor` (aims at HIPAA Safe Harbor, 45 CFR 164.514(b)(2)): as pseudonymised, but
  instead of a random shift each patient's dates move so that the reference date (the
  index date, else the first recorded date) falls on 1 January of its own year. So the
  only calendar fact left is the YEAR of the reference date; every other date is that
  1 January plus the true number of days from the reference date (intervals and ages
  exact, so the data still validate and analyse like any cohort). Ages of 90 and over
  at the reference date are grouped: the birth date is set to make the age exactly 90.

Every tier is a pure function of the cohort and the key (`apply_tier`); nothing here
reads the clock, files or the registry.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Any, Final

from myotrack.cohort.columns_v2 import RECORD_KIND
from myotrack.domain import (
    Assessment,
    Cohort,
    DrugCourse,
    Event,
    LabResult,
    PartialDate,
    Patient,
    PatientRecord,
    RecordRow,
    Visit,
)

MAX_SHIFT_DAYS = 182
# HIPAA Safe Harbor: "all ages over 89 ... aggregated into a single category of age 90
# or older" (45 CFR 164.514(b)(2)(i)(C)).
SAFE_HARBOR_AGE_CAP: Final = 90

# Organism codes an event's detail may keep in de-identified tiers (compared without
# case, kept as written here). Anything else in `detail` is free text and is dropped: a
# name or a telephone number typed there must never reach a researcher.
ORGANISM_CODES: Final[tuple[str, ...]] = (
    "PJP",
    "PCP",
    "TB",
    "VZV",
    "HZ",
    "HSV",
    "CMV",
    "EBV",
    "HHV-6",
    "RSV",
    "SARS-CoV-2",
    "COVID-19",
    "influenza",
    "adenovirus",
    "norovirus",
    "rotavirus",
    "parvovirus B19",
    "S. aureus",
    "E. coli",
    "Candida",
    "Aspergillus",
)
_ORGANISMS: Final = {code.casefold(): code for code in ORGANISM_CODES}


class Tier(StrEnum):
    IDENTIFIED = "identified"
    PSEUDONYMISED = "pseudonymised"
    SAFE_HARBOR = "safe-harbor"


@dataclass(frozen=True, slots=True)
class TierPromise:
    """What a tier guarantees and what it does not (shown in docs and `--help`)."""

    tier: Tier
    promises: tuple[str, ...]
    does_not: tuple[str, ...]


TIERS: Final[dict[Tier, TierPromise]] = {
    Tier.IDENTIFIED: TierPromise(
        tier=Tier.IDENTIFIED,
        promises=("exactly the data as stored",),
        does_not=("remove anything: personal data, for the treating team only",),
    ),
    Tier.PSEUDONYMISED: TierPromise(
        tier=Tier.PSEUDONYMISED,
        promises=(
            "keyed research pseudonyms instead of the registry patient_id",
            "every date of a patient shifted by the same -182..+182 days (intervals exact)",
            "nothing after the cut-off",
            "no site, no x_ columns, no free text (event detail only as an organism code)",
        ),
        does_not=(
            "make the data anonymous: under GDPR they stay personal data (Art. 4(5))",
            "meet HIPAA Safe Harbor (shifted dates need an Expert Determination)",
            "protect against re-linking by whoever holds the key",
            "suppress small cells or rare combinations (sex, age, antibody)",
        ),
    ),
    Tier.SAFE_HARBOR: TierPromise(
        tier=Tier.SAFE_HARBOR,
        promises=(
            "keyed research pseudonyms",
            "of calendar dates only the year of each patient's reference date",
            "intervals and ages exact; ages of 90 and over grouped as 90",
            "nothing after the cut-off; no site, no x_ columns, no free text",
        ),
        does_not=(
            "check that nothing else identifies a child (HIPAA's 'no actual knowledge')",
            "suppress small cells or rare combinations (sex, age, antibody)",
            "keep the true year of dates other than the reference date (it may be one off)",
        ),
    ),
}


def _digest(key: bytes, patient_id: str) -> bytes:
    return hmac.new(key, patient_id.encode("utf-8"), hashlib.sha256).digest()


def pseudonym(key: bytes, patient_id: str) -> str:
    """The research pseudonym of a registry patient_id under `key`."""
    return "S-" + _digest(key, patient_id)[:6].hex().upper()


def shift_days(key: bytes, patient_id: str) -> int:
    value = int.from_bytes(_digest(key, patient_id)[6:10], "big")
    return value % (2 * MAX_SHIFT_DAYS + 1) - MAX_SHIFT_DAYS


def organism_code(detail: str | None) -> str | None:
    """The organism code an event detail is, or None when it is anything else."""
    if not detail:
        return None
    return _ORGANISMS.get(detail.strip().casefold())


def reference_date(index: date | None, dates: list[date]) -> date | None:
    """Day 0 of a patient: the index date (first JAK-inhibitor start), else the first
    recorded date."""
    if index is not None:
        return index
    return min(dates) if dates else None


def _patient_reference(record: PatientRecord) -> date:
    dates = [v.date for v in record.visits] + [lab.date for lab in record.labs]
    dates += [c.start_date for c in record.courses] + [e.date for e in record.events]
    found = reference_date(record.index_date, dates)
    return found if found is not None else record.patient.birth_date


def apply_tier(cohort: Cohort, tier: Tier, *, key: bytes) -> Cohort:
    """`cohort` as `tier` shows it (see the module docstring)."""
    if tier is Tier.IDENTIFIED:
        return cohort
    return _apply(cohort, tier, key=key, cutoff=cohort.effective_cutoff())


def _apply(cohort: Cohort, tier: Tier, *, key: bytes, cutoff: date | None) -> Cohort:
    def kept(day: date) -> bool:
        return cutoff is None or day <= cutoff

    trimmed = Cohort(
        patients=cohort.patients,
        visits=tuple(v for v in cohort.visits if kept(v.date)),
        labs=tuple(r for r in cohort.labs if kept(r.date)),
        courses=tuple(c for c in cohort.courses if kept(c.start_date)),
        events=tuple(e for e in cohort.events if kept(e.date)),
        assessments=tuple(a for a in cohort.assessments if kept(a.date)),
        cutoff_date=None,
        v2_rows=tuple(r for r in cohort.v2_rows if _row_kept(r, kept)),
    )
    refs: dict[str, date] = {}
    if tier is Tier.PSEUDONYMISED:
        shifts = {p.patient_id: shift_days(key, p.patient_id) for p in cohort.patients}
    else:
        refs = {pid: _patient_reference(r) for pid, r in trimmed.records().items()}
        shifts = {pid: (date(ref.year, 1, 1) - ref).days for pid, ref in refs.items()}
    return _transform(trimmed, key=key, shifts=shifts, refs=refs, kept=kept, tier=tier)


def _transform(
    cohort: Cohort,
    *,
    key: bytes,
    shifts: dict[str, int],
    refs: dict[str, date],
    kept: Callable[[date], bool],
    tier: Tier,
) -> Cohort:
    ids = {p.patient_id: pseudonym(key, p.patient_id) for p in cohort.patients}
    delta = {pid: timedelta(days=days) for pid, days in shifts.items()}

    def move(pid: str, day: date) -> date:
        return day + delta[pid]

    def move_optional(pid: str, day: date | None) -> date | None:
        return None if day is None else day + delta[pid]

    def birth(p: Patient) -> date:
        moved = move(p.patient_id, p.birth_date)
        if tier is not Tier.SAFE_HARBOR:
            return moved
        ref = move(p.patient_id, refs[p.patient_id])
        capped = _years_before(ref, SAFE_HARBOR_AGE_CAP)
        return max(moved, capped)  # 90 or older: grouped as exactly 90 at day 0

    def patient(p: Patient) -> Patient:
        pid = p.patient_id
        return replace(
            p,
            patient_id=ids[pid],
            birth_date=birth(p),
            onset_date=move_optional(pid, p.onset_date),
            diagnosis_date=move_optional(pid, p.diagnosis_date),
            site=None,
            extra={},
        )

    def visit(v: Visit) -> Visit:
        return replace(v, patient_id=ids[v.patient_id], date=move(v.patient_id, v.date), extra={})

    def lab(r: LabResult) -> LabResult:
        return replace(r, patient_id=ids[r.patient_id], date=move(r.patient_id, r.date), extra={})

    def course(c: DrugCourse) -> DrugCourse:
        end = c.end_date if c.end_date is None or kept(c.end_date) else None
        return replace(
            c,
            patient_id=ids[c.patient_id],
            start_date=move(c.patient_id, c.start_date),
            end_date=move_optional(c.patient_id, end),
            stop_reason=c.stop_reason if end else None,
            extra={},
        )

    def event(e: Event) -> Event:
        return replace(
            e,
            patient_id=ids[e.patient_id],
            date=move(e.patient_id, e.date),
            detail=organism_code(e.detail),
            extra={},
        )

    def assessment(a: Assessment) -> Assessment:
        return replace(a, patient_id=ids[a.patient_id], date=move(a.patient_id, a.date))

    def record_row(r: RecordRow) -> RecordRow:
        pid = r.patient_id
        values: dict[str, Any] = {}
        for name, value in r.values.items():
            if name in V2_TEXT_DROPPED:
                continue
            if name == "detail":
                value = organism_code(value)
            elif isinstance(value, PartialDate):
                value = _move_partial(value, delta[pid])
            elif isinstance(value, date):
                value = value + delta[pid]
            if value is not None:
                values[name] = value
        if r.kind == "treatment_course" and _ends_after_cutoff(r, kept):
            for name in ("end_date", "stop_reason", "duration_months"):
                values.pop(name, None)
            if values.get("status") == "stopped":
                values["status"] = "ongoing"  # running at the cut-off, as version 1 shows it
        return RecordRow(r.kind, ids[pid], values)

    return Cohort(
        patients=tuple(patient(p) for p in cohort.patients),
        visits=tuple(visit(v) for v in cohort.visits),
        labs=tuple(lab(r) for r in cohort.labs),
        courses=tuple(course(c) for c in cohort.courses),
        events=tuple(event(e) for e in cohort.events),
        assessments=tuple(assessment(a) for a in cohort.assessments),
        cutoff_date=None,
        v2_rows=tuple(record_row(r) for r in cohort.v2_rows),
    )


# Text of the version 2 records that may hold anything typed (names, places): dropped below
# the identified tier, as version 1's free text. An event's detail is kept as an organism
# code only (`organism_code`).
V2_TEXT_DROPPED: Final = frozenset({"free_text", "specimen", "laboratory"})


def _move_partial(value: PartialDate, delta: timedelta) -> PartialDate:
    """A date known to the month or year moved like every date of the patient: its first day
    moved, its precision kept (so the period moves by the same days, rounded to its unit)."""
    moved = value.earliest() + delta
    if value.precision == "year":
        return PartialDate(moved.year)
    if value.precision == "month":
        return PartialDate(moved.year, moved.month)
    return PartialDate.of(moved)


def _row_kept(row: RecordRow, kept: Callable[[date], bool]) -> bool:
    """A record is left out when it begins after the cut-off (its first date column:
    date, decided_on, start or onset); undated records (family history) are kept."""
    kind = RECORD_KIND[row.kind]
    for column in kind.columns:
        value = row.values.get(column.name)
        if isinstance(value, PartialDate):
            return kept(value.earliest())
        if isinstance(value, date):
            return kept(value)
    return True


def _ends_after_cutoff(row: RecordRow, kept: Callable[[date], bool]) -> bool:
    end = row.values.get("end_date")
    if isinstance(end, PartialDate) and not kept(end.earliest()):
        return True
    start, months = row.values.get("start_date"), row.values.get("duration_months")
    if isinstance(start, PartialDate) and start.month is not None and months is not None:
        total = start.year * 12 + start.month - 1 + int(months)
        return not kept(date(total // 12, total % 12 + 1, 1))
    return False


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without it
        return day.replace(year=day.year - years, day=28)


def apply_tier_to_record(
    record: PatientRecord, tier: Tier, *, key: bytes, cutoff_date: date | None = None
) -> PatientRecord:
    """One patient's record as `tier` shows it: the same rules as `apply_tier`; data after
    `cutoff_date` (the registry's cut-off, when it has one) are left out."""
    if tier is Tier.IDENTIFIED:
        return record
    single = Cohort(
        patients=(record.patient,),
        visits=record.visits,
        labs=record.labs,
        courses=record.courses,
        events=record.events,
        assessments=record.assessments,
        cutoff_date=cutoff_date,
    )
    (shown,) = _apply(single, tier, key=key, cutoff=cutoff_date).records().values()
    return shown


def deidentify(cohort: Cohort, *, key: bytes) -> Cohort:
    """The pseudonymised tier (`myotrack export --deidentified`)."""
    return apply_tier(cohort, Tier.PSEUDONYMISED, key=key)


__all__ = [
    "MAX_SHIFT_DAYS",
    "ORGANISM_CODES",
    "SAFE_HARBOR_AGE_CAP",
    "TIERS",
    "Tier",
    "TierPromise",
    "apply_tier",
    "apply_tier_to_record",
    "deidentify",
    "organism_code",
    "pseudonym",
    "reference_date",
    "shift_days",
]
