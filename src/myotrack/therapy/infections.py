"""Infections recorded in the patient's events, taken into account as each JAK-inhibitor label
words it.

Today an infection is an event `infection` with the organism in `detail` and a CTCAE `grade`.
An infection is *serious* when its grade is 3 or more (CTCAE v5.0: grade 3 "severe or
medically significant but not immediately life-threatening; hospitalization or prolongation
of hospitalization indicated"; NCI, 27 Nov 2017), or when it is *opportunistic*
(Pneumocystis, tuberculosis, herpes zoster, CMV, EBV: issue 8 §2; the Xeljanz and Olumiant
labels name opportunistic infections next to serious ones).

The registry records no resolution date, so an infection counts as *recent* (and is treated
as possibly still active) for `RECENT_INFECTION_DAYS` after its date. That window is a
LOCAL-POLICY SETTING, not a published number: every output that uses it says so.

Label wording (quoted; the reproductions named in `LABELS`):
- Xeljanz (tofacitinib), EU SmPC 4.4 (pfizerpro.com.sg reproduction): "XELJANZ should not be
  initiated in patients with active infections, including localised infections." ... "The
  risks and benefits of treatment should be considered prior to initiating XELJANZ in
  patients ... with a history of a serious or an opportunistic infection" ... "Treatment must
  be interrupted if a patient develops a serious infection, an opportunistic infection, or
  sepsis."
- Olumiant (baricitinib), US prescribing information as reproduced on olumiant.com (HCP,
  treatment considerations): "Interrupt Olumiant if a patient develops a serious infection,
  an opportunistic infection, or sepsis." ... "Do not resume Olumiant until the infection is
  controlled." ... "If a patient develops herpes zoster, interrupt Olumiant treatment until
  the episode resolves."; EU SmPC (MIMS reproduction): "Not to be given in patients w/ active
  TB."
- Jakafi (ruxolitinib), US prescribing information 5.x Risk of Infection (jakafi.com
  reproduction): "Active serious infections should have resolved before starting therapy
  with Jakafi." ... "Observe patients receiving Jakafi for signs and symptoms of infection and
  initiate appropriate treatment promptly."
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final, Literal

from myotrack.domain import Event, PatientRecord
from myotrack.therapy.status import Check, CheckStatus, NeededInput

SECTION: Final = "infections"
INFECTION_EVENT: Final = "infection"

# CTCAE v5.0 (NCI 2017): grade 3 = severe / hospitalisation indicated; 4 life-threatening;
# 5 death. Serious = grade >= 3 (issue 8 §2).
SERIOUS_GRADE: Final = 3
CTCAE_SOURCE: Final = "Common Terminology Criteria for Adverse Events (CTCAE) v5.0, NCI 2017"

# LOCAL-POLICY SETTING (no published number): how long after its recorded date an infection
# without a recorded resolution counts as recent / possibly active.
RECENT_INFECTION_DAYS: Final = 90
RECENT_ASSUMPTION: Final = (
    f"local-policy setting: an infection counts as recent (possibly still active) for "
    f"{RECENT_INFECTION_DAYS} days after its recorded date, because the registry records no "
    "resolution date; no label or guideline gives this number"
)


@dataclass(frozen=True, slots=True)
class Organism:
    """An opportunistic organism with the spellings the clinic uses in `detail`."""

    name: str
    spellings: tuple[str, ...]


# Opportunistic organisms named by issue 8 §2 (Xeljanz/Olumiant boxed warnings name TB,
# pneumocystosis, herpes zoster and "other opportunistic pathogens").
OPPORTUNISTIC: Final[tuple[Organism, ...]] = (
    Organism(name="Pneumocystis", spellings=("PJP", "PCP", "PCJ", "PNEUMOCYSTIS")),
    Organism(name="tuberculosis", spellings=("TB", "TUBERCULOSIS", "MYCOBACTERIUM TUBERCULOSIS")),
    Organism(name="herpes zoster", spellings=("HZ", "VZV", "HERPES ZOSTER", "ZOSTER", "SHINGLES")),
    Organism(name="CMV", spellings=("CMV", "CYTOMEGALOVIRUS")),
    Organism(name="EBV", spellings=("EBV", "EPSTEIN-BARR", "EPSTEIN BARR")),
)

LabelAction = Literal["do_not_start", "interrupt", "observe"]


@dataclass(frozen=True, slots=True)
class LabelWording:
    """What one label says about infections, quoted."""

    drug: str
    label: str
    before_start: str
    on_treatment: str
    on_treatment_action: LabelAction
    zoster: str | None
    source: str
    status: str  # VERIFIED / SECONDARY: reproduction of the label text


LABELS: Final[dict[str, LabelWording]] = {
    "tofacitinib": LabelWording(
        drug="tofacitinib",
        label="Xeljanz EU SmPC",
        before_start=(
            '"XELJANZ should not be initiated in patients with active infections, including '
            'localised infections."'
        ),
        on_treatment=(
            '"Treatment must be interrupted if a patient develops a serious infection, an '
            'opportunistic infection, or sepsis."'
        ),
        on_treatment_action="interrupt",
        zoster=None,
        source="Xeljanz EU SmPC section 4.4 (pfizerpro.com.sg reproduction)",
        status="SECONDARY",
    ),
    "baricitinib": LabelWording(
        drug="baricitinib",
        label="Olumiant US prescribing information",
        before_start=(
            '"Interrupt Olumiant if a patient develops a serious infection, an opportunistic '
            'infection, or sepsis." ... "Do not resume Olumiant until the infection is '
            'controlled." (applied before a start: not until controlled); EU: "Not to be given '
            'in patients w/ active TB."'
        ),
        on_treatment=(
            '"Interrupt Olumiant if a patient develops a serious infection, an opportunistic '
            'infection, or sepsis." ... "Do not resume Olumiant until the infection is '
            'controlled."'
        ),
        on_treatment_action="interrupt",
        zoster=(
            '"If a patient develops herpes zoster, interrupt Olumiant treatment until the '
            'episode resolves."'
        ),
        source=(
            "Olumiant US prescribing information (olumiant.com HCP treatment considerations); "
            "Olumiant EU SmPC (MIMS reproduction)"
        ),
        status="SECONDARY",
    ),
    "ruxolitinib": LabelWording(
        drug="ruxolitinib",
        label="Jakafi US prescribing information",
        before_start=(
            '"Active serious infections should have resolved before starting therapy with Jakafi."'
        ),
        on_treatment=(
            '"Observe patients receiving Jakafi for signs and symptoms of infection and '
            'initiate appropriate treatment promptly." (no interruption rule)'
        ),
        on_treatment_action="observe",
        zoster=None,
        source="Jakafi US prescribing information, Risk of Infection (jakafi.com reproduction)",
        status="SECONDARY",
    ),
}
LABEL_DRUGS: Final = tuple(LABELS)


@dataclass(frozen=True, slots=True)
class Infection:
    """One recorded infection, read: organism, whether serious and why."""

    event: Event
    organism: str | None  # an opportunistic organism's name, or None
    serious: bool | None  # None: grade missing and not opportunistic
    why: str

    @property
    def on(self) -> date:
        return self.event.date

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.event.date.isoformat(),
            "detail": self.event.detail,
            "grade": self.event.grade,
            "organism": self.organism,
            "serious": self.serious,
            "why": self.why,
        }


def _spelling_pattern(spelling: str) -> re.Pattern[str]:
    return re.compile(r"(?<![A-Z0-9])" + re.escape(spelling) + r"(?![A-Z0-9])")


_PATTERNS: Final = tuple(
    (o.name, tuple(_spelling_pattern(s) for s in o.spellings)) for o in OPPORTUNISTIC
)


def opportunistic_organism(detail: str | None) -> str | None:
    """The opportunistic organism named in an event's detail, or None."""
    if not detail:
        return None
    text = detail.upper()
    for name, patterns in _PATTERNS:
        if any(p.search(text) for p in patterns):
            return name
    return None


def read_infection(event: Event) -> Infection:
    organism = opportunistic_organism(event.detail)
    grade = event.grade
    if organism is not None:
        return Infection(event, organism, True, f"opportunistic infection ({organism})")
    if grade is None:
        return Infection(event, None, None, "grade not recorded")
    if grade >= SERIOUS_GRADE:
        return Infection(event, None, True, f"CTCAE grade {grade} (serious: grade >= 3)")
    return Infection(event, None, False, f"CTCAE grade {grade} (not serious: grade < 3)")


def infections(record: PatientRecord, on: date) -> list[Infection]:
    """Every infection recorded on or before `on`, oldest first."""
    return [read_infection(e) for e in record.events if e.event == INFECTION_EVENT and e.date <= on]


def pneumocystis_infections(record: PatientRecord, on: date) -> list[Infection]:
    return [i for i in infections(record, on) if i.organism == "Pneumocystis"]


def _describe(i: Infection) -> str:
    detail = f" ({i.event.detail})" if i.event.detail else ""
    grade = f", grade {i.event.grade}" if i.event.grade is not None else ""
    return f"infection{detail} on {i.on.isoformat()}{grade}: {i.why}"


def infection_checks(
    record: PatientRecord,
    on: date,
    *,
    recent_days: int = RECENT_INFECTION_DAYS,
) -> list[Check]:
    """One check per label: before a start, each label with rules; on treatment, the label of
    the running JAK inhibitor. Nothing after `on` is used."""
    running = record.jak_course_on(on)
    drug = None if running is None else running.drug
    window_start = on - timedelta(days=recent_days)
    found = infections(record, on)
    recent = [i for i in found if i.on >= window_start]
    older = [i for i in found if i.on < window_start]
    policy = f"recent = within {recent_days} days (local-policy setting; no resolution date)"
    if drug is None:
        return [_start_check(LABELS[d], recent, older, policy) for d in LABEL_DRUGS]
    if drug not in LABELS:
        return [
            Check(
                section=SECTION,
                name="infections on treatment",
                status="cannot_assess",
                message=f"no label wording on infections recorded for {drug}",
                source="myotrack therapy.infections",
                needs=(NeededInput(f"label rule on infections for {drug}", "missing", "a label"),),
                drug=drug,
            )
        ]
    return [_on_treatment_check(LABELS[drug], recent, policy)]


def _start_check(
    label: LabelWording, recent: list[Infection], older: list[Infection], policy: str
) -> Check:
    # Tofacitinib EU: any active infection, including localised; the others: serious ones.
    any_infection = label.drug == "tofacitinib"
    stops = [i for i in recent if i.serious or any_infection]
    unknown = [i for i in recent if i.serious is None and not any_infection]
    name = f"infections before a start ({label.label})"
    status: CheckStatus
    if stops:
        status = "blocks"
        what = "; ".join(_describe(i) for i in stops)
        message = (
            f"{what}. No resolution is recorded and it is recent ({policy}), so it is treated "
            f"as possibly active. {label.label}: {label.before_start} Confirm it has resolved "
            "before a start."
        )
        return Check(SECTION, name, status, message, label.source, drug=label.drug)
    if unknown:
        what = "; ".join(_describe(i) for i in unknown)
        return Check(
            SECTION,
            name,
            "cannot_assess",
            f"{what}. Whether it is serious cannot be told without its grade. "
            f"{label.label}: {label.before_start}",
            label.source,
            needs=tuple(
                NeededInput(
                    f"CTCAE grade of the infection on {i.on.isoformat()}",
                    "missing",
                    "a grade 1-5 (serious = grade >= 3)",
                )
                for i in unknown
            ),
            drug=label.drug,
        )
    message = f"no infection recorded in the recent window ({policy})."
    history = [i for i in older if i.serious]
    if history and label.drug == "tofacitinib":
        message += (
            " History of a serious or opportunistic infection ("
            + "; ".join(_describe(i) for i in history)
            + '): the Xeljanz EU SmPC says "the risks and benefits of treatment should be '
            'considered prior to initiating XELJANZ" in such patients.'
        )
    elif history:
        message += " Earlier serious or opportunistic infection: " + "; ".join(
            _describe(i) for i in history
        )
    message += " The registry knows only recorded events: ask about a current infection."
    return Check(SECTION, name, "nothing_blocks", message, label.source, drug=label.drug)


def _on_treatment_check(label: LabelWording, recent: list[Infection], policy: str) -> Check:
    name = f"infections on treatment ({label.label})"
    serious = [i for i in recent if i.serious]
    unknown = [i for i in recent if i.serious is None]
    if serious:
        what = "; ".join(_describe(i) for i in serious)
        zoster = [i for i in serious if i.organism == "herpes zoster"]
        extra = (
            f" {label.label} on herpes zoster: {label.zoster}" if zoster and label.zoster else ""
        )
        if label.on_treatment_action == "interrupt":
            return Check(
                SECTION,
                name,
                "blocks",
                f"{what} ({policy}). {label.label}: {label.on_treatment}{extra}",
                label.source,
                drug=label.drug,
            )
        return Check(
            SECTION,
            name,
            "cannot_assess",
            f"{what} ({policy}). {label.label}: {label.on_treatment} The label gives no "
            "interruption rule: the treating team decides whether to continue.",
            label.source,
            needs=(
                NeededInput(
                    f"documented decision on continuing {label.drug} during the infection",
                    "missing",
                    "a clinical decision recorded by the treating team",
                ),
            ),
            drug=label.drug,
        )
    if unknown:
        what = "; ".join(_describe(i) for i in unknown)
        return Check(
            SECTION,
            name,
            "cannot_assess",
            f"{what}. Whether it is serious cannot be told without its grade. "
            f"{label.label}: {label.on_treatment}",
            label.source,
            needs=tuple(
                NeededInput(
                    f"CTCAE grade of the infection on {i.on.isoformat()}",
                    "missing",
                    "a grade 1-5 (serious = grade >= 3)",
                )
                for i in unknown
            ),
            drug=label.drug,
        )
    return Check(
        SECTION,
        name,
        "nothing_blocks",
        f"no serious or opportunistic infection recorded in the recent window ({policy}). "
        "The registry knows only recorded events.",
        label.source,
        drug=label.drug,
    )


ASSUMPTIONS: Final = (RECENT_ASSUMPTION,)
