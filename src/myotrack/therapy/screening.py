"""Screening before and monitoring on a JAK inhibitor, from the patient's data: what is
done, due or missing on a date.

Label requirements (shared/spec/criteria-therapy.md §5.1, VERIFIED from label reproductions):
* tuberculosis: test for latent TB before tofacitinib/baricitinib (ruxolitinib: ask about
  past TB) — Xeljanz (empr), Olumiant (drugs.com; MIMS), Jakafi 2.1 (prescriberpoint);
* hepatitis B and C: screen before start — Xeljanz (empr), Olumiant (drugs.com);
* VZV: update immunisations before start, no live vaccines on therapy — Olumiant (MIMS);
  paediatric practice checks VZV immune status (SECONDARY);
* blood counts: lymphocytes, neutrophils, Hb at start, after 4-8 weeks, then every
  3 months (tofacitinib, pfizerpro UK/AU); ruxolitinib CBC every 2-4 weeks until stable;
* lipids: tofacitinib 4-8 weeks after start (US) / 8 weeks (EU/AU); baricitinib about
  12 weeks (EU); ruxolitinib 8-12 weeks.

Local-policy options (no published interval; reported as assumptions): how old a pre-start
infection screen may be (`SCREEN_VALID_DAYS`) and how recent pre-start counts/lipids must be
(`PRESTART_RECENT_DAYS`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final, Literal

from myotrack.domain.model import DrugCourse, LabResult, PatientRecord

Status = Literal["done", "due", "missing", "attention"]

SCREEN_VALID_DAYS: Final = 365  # local-policy option (assumption, no published interval)
PRESTART_RECENT_DAYS: Final = 90  # local-policy option (assumption)
# Post-start lipid check due by (weeks after the start of the JAKi course), the later bound
# of each label's window (§5.1): tofacitinib 8 w (EU/AU), baricitinib 12 w, ruxolitinib 12 w.
LIPID_DUE_WEEKS: Final[dict[str, int]] = {"tofacitinib": 8, "baricitinib": 12, "ruxolitinib": 12}
LIPID_DUE_WEEKS_DEFAULT: Final = 12
# Blood counts on treatment: every 3 months (tofacitinib, pfizerpro UK/AU) = 92 days;
# ruxolitinib every 2-4 weeks until the dose is stable -> 28 days during the first 12 weeks
# of a course (assumption: "stable" = the same course for 12 weeks).
COUNT_INTERVAL_DAYS: Final = 92
RUX_COUNT_INTERVAL_DAYS: Final = 28
RUX_STABLE_AFTER_DAYS: Final = 84

ASSUMPTIONS: Final = (
    f"a pre-start infection screen older than {SCREEN_VALID_DAYS} days is shown as due "
    "(local policy, no published interval)",
    f"pre-start blood counts and lipids must be within {PRESTART_RECENT_DAYS} days "
    "(local policy, no published interval)",
)


@dataclass(frozen=True, slots=True)
class ScreeningItem:
    item: str
    status: Status
    latest_result: str | None
    latest_date: date | None
    why: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "status": self.status,
            "latest_result": self.latest_result,
            "latest_date": None if self.latest_date is None else self.latest_date.isoformat(),
            "why": self.why,
            "source": self.source,
        }


def _latest(labs: tuple[LabResult, ...], analytes: tuple[str, ...], on: date) -> LabResult | None:
    found = [r for r in labs if r.analyte in analytes and r.date <= on]
    return max(found, key=lambda r: r.date) if found else None


def _describe(lab: LabResult) -> str:
    if lab.result is not None:
        return f"{lab.analyte} {lab.result}"
    return f"{lab.analyte} {lab.value:g} {lab.unit or ''}".strip()


def _infection_screen(
    item: str,
    analytes: tuple[str, ...],
    labs: tuple[LabResult, ...],
    on: date,
    positive_means: str,
    source: str,
) -> ScreeningItem:
    lab = _latest(labs, analytes, on)
    if lab is None:
        return ScreeningItem(
            item, "missing", None, None, f"no {' / '.join(analytes)} result", source
        )
    # A positive result anywhere among the analytes needs attention.
    positives = [
        r for r in labs if r.analyte in analytes and r.date <= on and r.result == "positive"
    ]
    if positives:
        p = max(positives, key=lambda r: r.date)
        return ScreeningItem(item, "attention", _describe(p), p.date, positive_means, source)
    if lab.result == "indeterminate":
        return ScreeningItem(
            item,
            "attention",
            _describe(lab),
            lab.date,
            "indeterminate result: repeat or assess",
            source,
        )
    if (on - lab.date).days > SCREEN_VALID_DAYS:
        return ScreeningItem(
            item,
            "due",
            _describe(lab),
            lab.date,
            f"last result older than {SCREEN_VALID_DAYS} days",
            source,
        )
    return ScreeningItem(item, "done", _describe(lab), lab.date, "screened", source)


def _vzv(labs: tuple[LabResult, ...], on: date) -> ScreeningItem:
    source = "Olumiant EU SmPC (MIMS); paediatric practice (SECONDARY)"
    lab = _latest(labs, ("VZV_IgG",), on)
    if lab is None:
        return ScreeningItem(
            "VZV immune status", "missing", None, None, "no VZV IgG result", source
        )
    if lab.result == "positive":
        return ScreeningItem(
            "VZV immune status",
            "done",
            _describe(lab),
            lab.date,
            "VZV IgG positive (immune)",
            source,
        )
    if lab.result == "negative":
        return ScreeningItem(
            "VZV immune status",
            "attention",
            _describe(lab),
            lab.date,
            "VZV seronegative: consider vaccination before starting; no live vaccines during "
            "or immediately before therapy",
            source,
        )
    return ScreeningItem(
        "VZV immune status",
        "attention",
        _describe(lab),
        lab.date,
        "indeterminate result: repeat or assess",
        source,
    )


def _current_jak(record: PatientRecord, on: date) -> DrugCourse | None:
    running = [c for c in record.jak_courses if c.running_on(on)]
    return max(running, key=lambda c: c.start_date) if running else None


def _jak_started(record: PatientRecord, course: DrugCourse) -> date:
    """Start of the uninterrupted run of the same JAK inhibitor the course belongs to (a dose
    change ends one course and starts the next)."""
    start = course.start_date
    same = sorted(
        (c for c in record.jak_courses if c.drug == course.drug), key=lambda c: c.start_date
    )
    changed = True
    while changed:
        changed = False
        for c in same:
            if c.start_date < start and c.end_date is not None and ((start - c.end_date).days <= 1):
                start = c.start_date
                changed = True
    return start


def screening(record: PatientRecord, on: date) -> list[ScreeningItem]:
    """Screening and monitoring items on `on` for a patient on or about to start a JAKi."""
    labs = tuple(r for r in record.labs if r.date <= on)
    items = [
        _infection_screen(
            "tuberculosis",
            ("TB_IGRA", "TB_skin_test"),
            labs,
            on,
            "positive TB test: exclude active TB and treat latent TB before a JAK inhibitor",
            "Xeljanz US label (empr); Olumiant (drugs.com; MIMS); Jakafi 2.1",
        ),
        _infection_screen(
            "hepatitis B",
            ("HBsAg", "anti_HBc"),
            labs,
            on,
            "HBsAg or anti-HBc positive: hepatology advice; EU baricitinib: monitor HBV DNA "
            "if anti-HBc+/HBsAg-",
            "Xeljanz (empr); Olumiant (drugs.com; MIMS)",
        ),
        _infection_screen(
            "hepatitis C",
            ("HCV_Ab",),
            labs,
            on,
            "HCV antibody positive: assess before a JAK inhibitor",
            "Xeljanz (empr); Olumiant (drugs.com)",
        ),
    ]
    items.append(_vzv(labs, on))

    course = _current_jak(record, on)
    started = _jak_started(record, course) if course is not None else None
    # Blood counts.
    count_analytes: tuple[str, ...] = ("lymphocytes", "neutrophils", "hemoglobin")
    if course is not None and course.drug == "ruxolitinib":
        count_analytes = (*count_analytes, "platelets")
    for analyte in count_analytes:
        lab = _latest(labs, (analyte,), on)
        if started is None:
            limit, why_due = PRESTART_RECENT_DAYS, "before starting"
            src = "Xeljanz EU/AU SmPC (pfizerpro); Olumiant; Jakafi (CBC before start)"
        elif (
            course is not None
            and course.drug == "ruxolitinib"
            and ((on - started).days < RUX_STABLE_AFTER_DAYS)
        ):
            limit, why_due = RUX_COUNT_INTERVAL_DAYS, "every 2-4 weeks until the dose is stable"
            src = "Jakafi label (CBC every 2-4 weeks until stable)"
        else:
            limit, why_due = COUNT_INTERVAL_DAYS, "every 3 months on treatment"
            src = "Xeljanz EU/AU SmPC (pfizerpro: start, 4-8 weeks, then every 3 months)"
        if lab is None:
            items.append(
                ScreeningItem(
                    f"blood count: {analyte}", "missing", None, None, f"no result ({why_due})", src
                )
            )
        elif (on - lab.date).days > limit:
            items.append(
                ScreeningItem(
                    f"blood count: {analyte}",
                    "due",
                    _describe(lab),
                    lab.date,
                    f"older than {limit} days ({why_due})",
                    src,
                )
            )
        else:
            items.append(
                ScreeningItem(
                    f"blood count: {analyte}", "done", _describe(lab), lab.date, why_due, src
                )
            )
    # Lipids.
    lipid_analytes = ("total_cholesterol", "LDL", "triglycerides")
    lab = _latest(labs, lipid_analytes, on)
    lipid_src = "Xeljanz (US 4-8 w, EU/AU 8 w); Olumiant EU (12 w); Jakafi (8-12 w)"
    if started is None or course is None:
        if lab is None:
            items.append(
                ScreeningItem(
                    "lipids", "missing", None, None, "no baseline lipid profile", lipid_src
                )
            )
        elif (on - lab.date).days > PRESTART_RECENT_DAYS:
            items.append(
                ScreeningItem(
                    "lipids",
                    "due",
                    _describe(lab),
                    lab.date,
                    "baseline lipids not recent",
                    lipid_src,
                )
            )
        else:
            items.append(
                ScreeningItem(
                    "lipids", "done", _describe(lab), lab.date, "baseline lipids", lipid_src
                )
            )
    else:
        weeks = LIPID_DUE_WEEKS.get(course.drug, LIPID_DUE_WEEKS_DEFAULT)
        due_by = started + timedelta(weeks=weeks)
        after = [r for r in labs if r.analyte in lipid_analytes and r.date > started]
        if after:
            last = max(after, key=lambda r: r.date)
            items.append(
                ScreeningItem(
                    "lipids",
                    "done",
                    _describe(last),
                    last.date,
                    "lipids checked after the start",
                    lipid_src,
                )
            )
        elif on >= due_by:
            items.append(
                ScreeningItem(
                    "lipids",
                    "due",
                    None if lab is None else _describe(lab),
                    None if lab is None else lab.date,
                    f"no lipids since the start on {started}; due by {due_by} "
                    f"({weeks} weeks after start)",
                    lipid_src,
                )
            )
        else:
            items.append(
                ScreeningItem(
                    "lipids",
                    "done" if lab is not None else "missing",
                    None if lab is None else _describe(lab),
                    None if lab is None else lab.date,
                    f"post-start check due by {due_by}",
                    lipid_src,
                )
            )
    return items
