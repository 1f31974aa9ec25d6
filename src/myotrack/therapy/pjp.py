"""Pneumocystis (PJP) prophylaxis: from "consider" to "recommended" to secondary prophylaxis.

Levels, lowest to highest:
- `no_recorded_factor`: none of the published risk factors is recorded;
- `consider`: a published risk factor for PJP in juvenile myositis is recorded (Sabbagh SE
  et al. Rheumatology (Oxford) 2021;60:829-836, PMC7850515: anti-MDA5 OR 12.5, skin
  ulceration OR 12.0, interstitial lung disease OR 10.6; Asian ancestry OR 8.7 and digital
  infarcts OR 43.8 are not fields of the format). The authors: consider prophylaxis in
  juvenile myositis with these features;
- `recommended`: such a risk factor combines with treatment: a JAK inhibitor (running, or
  the start being considered) together with glucocorticoids above the threshold, or with
  another immunosuppressant (Sabbagh 2021: more pulse steroids, rituximab and more
  immunosuppressants before PJP). The glucocorticoid threshold is the 2022 EULAR
  recommendation for ADULTS (Fragoulis GE et al. Ann Rheum Dis 2023;82:742-753:
  prophylaxis "seems to be beneficial in patients treated with daily doses >15-30 mg of
  prednisolone or equivalent for >2-4 weeks"); no paediatric threshold is published, so the
  numbers used are a LOCAL-POLICY SETTING (`PjpPolicy`), shown as such in every output;
- `secondary`: a Pneumocystis infection is on record: secondary prophylaxis (ECIL-6 guideline
  on PCP treatment in non-HIV haematology patients covers secondary anti-PCP prophylaxis:
  Maschmeyer G et al. J Antimicrob Chemother 2016;71:2405-2413; its population is not JDM).

The check is green only when co-trimoxazole runs on the date or nothing beyond "consider"
applies; a `recommended`/`secondary` level without prophylaxis is amber ("cannot assess":
it needs prophylaxis or a documented decision against it). A glucocorticoid dose that cannot
be computed makes the treatment part amber too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Final, Literal

from myotrack.domain import DrugCourse, PatientRecord, WholeRecord
from myotrack.therapy import glucocorticoids
from myotrack.therapy.infections import pneumocystis_infections
from myotrack.therapy.organ_involvement import ild_recorded
from myotrack.therapy.status import Check, CheckStatus, NeededInput

SECTION: Final = "prophylaxis"
NAME: Final = "Pneumocystis (PJP) prophylaxis"

SABBAGH_2021: Final = "Sabbagh SE et al. Rheumatology (Oxford) 2021;60:829-836 (PMC7850515)"
EULAR_2022_INFECTIONS: Final = (
    "Fragoulis GE et al. 2022 EULAR recommendations for screening and prophylaxis of chronic "
    "and opportunistic infections in adults with AIIRD. Ann Rheum Dis 2023;82:742-753"
)
ECIL_6: Final = "Maschmeyer G et al. (ECIL-6) J Antimicrob Chemother 2016;71:2405-2413"

# Sabbagh 2021 risk factors recorded in the format (OR, PJP+ vs PJP-).
RISK_FACTOR_WORDS: Final[dict[str, str]] = {
    "MDA5": "anti-MDA5 (OR 12.5)",
    "skin_ulceration": "skin ulceration (OR 12.0)",
    "ILD": "interstitial lung disease (OR 10.6)",
}
NOT_IN_DATA: Final = ("Asian ancestry (OR 8.7)", "digital infarcts (OR 43.8)")
# With the whole record (cohort format version 2): the IMACS race category is wider than
# Sabbagh's "Asian" ancestry, and the words say so.
ASIAN_RACE: Final = "asian_or_pacific_islander"
ASIAN_WORDS: Final = (
    "Asian ancestry (OR 8.7), recorded as 'Asian or Asian American, Pacific Islander' "
    "(IMACS category; Sabbagh 2021 reports Asian ancestry)"
)
DIGITAL_INFARCTS: Final = "digital_infarcts"

# Immunosuppressants counted with a JAK inhibitor (Sabbagh 2021: "more immunosuppressants",
# rituximab). Topical courses do not count.
OTHER_IMMUNOSUPPRESSANTS: Final = (
    "methotrexate",
    "mycophenolate",
    "azathioprine",
    "ciclosporin",
    "tacrolimus",
    "cyclophosphamide",
    "rituximab",
)
PROPHYLAXIS_DRUGS: Final = ("cotrimoxazole",)
# No myositis antibody result at all (not even "none", the code for tested and none found):
# anti-MDA5, a risk factor, is unknown, so "no published risk factor recorded" must say so.
NO_ANTIBODY_WORDS: Final = "anti-MDA5 (OR 12.5): no myositis antibody result recorded"

Level = Literal["no_recorded_factor", "consider", "recommended", "secondary"]
LEVEL_WORDS: Final[dict[Level, str]] = {
    "no_recorded_factor": "no published risk factor recorded",
    "consider": "consider prophylaxis",
    "recommended": "prophylaxis recommended (local policy)",
    "secondary": "secondary prophylaxis after Pneumocystis infection",
}


@dataclass(frozen=True, slots=True)
class PjpPolicy:
    """LOCAL-POLICY SETTING: glucocorticoid threshold for 'recommended'. Defaults are the
    lower ends of the adult EULAR 2022 ranges (>15-30 mg/day for >2-4 weeks); no paediatric
    threshold is published."""

    gc_mg_per_day_above: float = 15.0  # Fragoulis 2023 (adults): ">15-30 mg" -> lower end
    gc_days_more_than: int = 14  # Fragoulis 2023 (adults): ">2-4 weeks" -> lower end

    @property
    def words(self) -> str:
        return (
            f"local-policy setting: glucocorticoids count when above "
            f"{self.gc_mg_per_day_above:g} mg/day prednisolone-equivalent on every day of "
            f"more than {self.gc_days_more_than} days (lower ends of the ADULT 2022 EULAR "
            "range '>15-30 mg/day for >2-4 weeks'; no paediatric threshold is published)"
        )


DEFAULT_POLICY: Final = PjpPolicy()


@dataclass(frozen=True, slots=True)
class PjpAssessment:
    level: Level
    risk_factors: tuple[str, ...]
    treatment: tuple[str, ...]
    on_prophylaxis: str | None  # the prophylaxis drug running on the date
    pjp_history: tuple[date, ...]
    problems: tuple[str, ...]  # what could not be computed (e.g. glucocorticoid dose)
    policy: PjpPolicy
    jak_running: bool
    assumptions: tuple[str, ...] = field(default=())
    not_in_data: tuple[str, ...] = NOT_IN_DATA  # risk factors the data cannot show
    missing: tuple[NeededInput, ...] = ()  # fields that would show them (whole record)

    @property
    def status(self) -> CheckStatus:
        if self.on_prophylaxis is not None:
            return "nothing_blocks"
        if self.level in ("recommended", "secondary"):
            return "cannot_assess"
        if self.level == "consider" and self.problems:
            return "cannot_assess"
        if self.level == "no_recorded_factor" and self.missing:
            # "no risk factor" is said only when the inputs that would show one are known
            # (myositis antibodies; race, when the whole record is loaded)
            return "cannot_assess"
        return "nothing_blocks"

    @property
    def message(self) -> str:
        parts = [LEVEL_WORDS[self.level].capitalize() + "."]
        if self.pjp_history:
            dates = ", ".join(d.isoformat() for d in self.pjp_history)
            parts.append(f"Pneumocystis infection recorded on {dates}.")
        if self.risk_factors:
            parts.append("Published risk factors recorded: " + "; ".join(self.risk_factors) + ".")
        if self.not_in_data:
            parts.append("Not recorded in the data: " + "; ".join(self.not_in_data) + ".")
        if self.treatment:
            when = "" if self.jak_running else " (if a JAK inhibitor is started)"
            parts.append("Treatment" + when + ": " + "; ".join(self.treatment) + ".")
        if self.problems:
            parts.append("Cannot compute: " + "; ".join(self.problems) + ".")
        if self.on_prophylaxis is not None:
            parts.append(f"On {self.on_prophylaxis} on this date.")
        elif self.level in ("recommended", "secondary"):
            parts.append("No prophylaxis running on this date.")
        parts.append(self.policy.words + ".")
        return " ".join(parts)

    @property
    def source(self) -> str:
        sources = [SABBAGH_2021, EULAR_2022_INFECTIONS]
        if self.level == "secondary":
            sources.append(ECIL_6)
        return "; ".join(sources)

    @property
    def checks(self) -> list[Check]:
        needs: tuple[NeededInput, ...] = ()
        if self.status == "cannot_assess":
            if self.level in ("recommended", "secondary"):
                needs = (
                    NeededInput(
                        "Pneumocystis prophylaxis (e.g. co-trimoxazole) or a documented "
                        "decision against it",
                        "missing",
                        "a course running on the date",
                    ),
                )
            else:
                needs = tuple(
                    NeededInput(p, "missing", "a computable daily glucocorticoid dose")
                    for p in self.problems
                )
        if self.status != "nothing_blocks":
            needs += self.missing
        return [Check(SECTION, NAME, self.status, self.message, self.source, needs=needs)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "status": self.status,
            "message": self.message,
            "risk_factors": list(self.risk_factors),
            "treatment": list(self.treatment),
            "on_prophylaxis": self.on_prophylaxis,
            "pjp_history": [d.isoformat() for d in self.pjp_history],
            "problems": list(self.problems),
            "policy": {
                "gc_mg_per_day_above": self.policy.gc_mg_per_day_above,
                "gc_days_more_than": self.policy.gc_days_more_than,
                "words": self.policy.words,
            },
            "source": self.source,
        }


def _systemic(course: DrugCourse) -> bool:
    return course.route != "topical"


def _gc_above(
    record: PatientRecord, on: date, policy: PjpPolicy
) -> tuple[bool | None, str | None, str | None]:
    """(above threshold on every day of the window, words, problem)."""
    days = policy.gc_days_more_than + 1  # "more than N days" = N + 1 days
    lowest: float | None = None
    for k in range(days):
        day = on - timedelta(days=k)
        dose = glucocorticoids.daily_dose(record, day)
        if dose.mg is None:
            return None, None, "; ".join(dose.problems) or f"glucocorticoid dose on {day}"
        if dose.mg <= policy.gc_mg_per_day_above:
            return False, None, None
        lowest = dose.mg if lowest is None else min(lowest, dose.mg)
    assert lowest is not None
    return (
        True,
        f"glucocorticoids above {policy.gc_mg_per_day_above:g} mg/day prednisolone-equivalent "
        f"for the last {days} days (lowest {lowest:.1f} mg/day)",
        None,
    )


def _whole_factors(
    whole: WholeRecord, on: date
) -> tuple[list[str], tuple[str, ...], tuple[NeededInput, ...], list[date]]:
    """From the whole record: ancestry and digital infarcts as risk factors, what the data
    still cannot show, the field that would, and Pneumocystis infections coded by organism."""
    factors: list[str] = []
    not_in_data: list[str] = []
    missing: tuple[NeededInput, ...] = ()
    race = () if whole.background is None else whole.background.race
    if ASIAN_RACE in race:
        factors.append(ASIAN_WORDS)
    elif not race or set(race) <= {"unknown"}:  # "unknown / not reported" says nothing
        not_in_data.append(NOT_IN_DATA[0])
        missing = (NeededInput("race", "missing", "the patient's race (IMACS Form 01A)"),)
    if whole.organ_on(DIGITAL_INFARCTS, on) != "no":
        factors.append(NOT_IN_DATA[1])
    elif not any(i.organ == DIGITAL_INFARCTS for i in whole.involvement):
        not_in_data.append(NOT_IN_DATA[1] + ": none recorded")
    infections = [
        i.date.earliest()
        for i in whole.infections
        if i.organism == "pneumocystis_jirovecii" and i.date.earliest() <= on
    ]
    return factors, tuple(not_in_data), missing, infections


def pjp_prophylaxis(
    record: PatientRecord,
    on: date,
    *,
    policy: PjpPolicy = DEFAULT_POLICY,
    whole: WholeRecord | None = None,
) -> PjpAssessment:
    """The PJP prophylaxis level of `record` on `on` (nothing after `on` is used); `whole`
    (the whole record, when loaded) adds ancestry, digital infarcts, dated ILD and
    Pneumocystis infections coded by organism."""
    p = record.patient
    factors = []
    if "MDA5" in p.antibodies:
        factors.append(RISK_FACTOR_WORDS["MDA5"])
    if "skin_ulceration" in p.features:
        factors.append(RISK_FACTOR_WORDS["skin_ulceration"])
    if ild_recorded(record, on, whole):
        factors.append(RISK_FACTOR_WORDS["ILD"])
    history = tuple(i.on for i in pneumocystis_infections(record, on))
    not_in_data: tuple[str, ...] = NOT_IN_DATA
    missing: tuple[NeededInput, ...] = ()
    if whole is not None:
        more, not_in_data, missing, coded = _whole_factors(whole, on)
        factors += more
        history = tuple(sorted({*history, *coded}))
    if not p.antibodies:
        not_in_data = (*not_in_data, NO_ANTIBODY_WORDS)
        missing = (
            *missing,
            NeededInput(
                "myositis antibodies",
                "missing",
                "an antibody result with anti-MDA5 ('none' when tested and none found)",
            ),
        )
    running = [c for c in record.courses if c.running_on(on)]
    jak = any(c.is_jak_inhibitor for c in running)
    prophylaxis = next((c.drug for c in running if c.drug in PROPHYLAXIS_DRUGS), None)
    others = sorted(
        {c.drug for c in running if c.drug in OTHER_IMMUNOSUPPRESSANTS and _systemic(c)}
    )
    treatment: list[str] = []
    problems: list[str] = []
    above, gc_words, gc_problem = _gc_above(record, on, policy)
    if gc_words:
        treatment.append(gc_words)
    if gc_problem:
        problems.append(gc_problem)
    if others:
        treatment.append("other immunosuppressants: " + ", ".join(others))
    if jak:
        treatment.insert(0, "JAK inhibitor running")
    burden = bool(above) or bool(others)
    level: Level
    if history:
        level = "secondary"
    elif factors and burden:
        level = "recommended"
    elif factors:
        level = "consider"
    else:
        level = "no_recorded_factor"
    return PjpAssessment(
        level=level,
        risk_factors=tuple(factors),
        treatment=tuple(treatment),
        on_prophylaxis=prophylaxis,
        pjp_history=history,
        problems=tuple(problems) if level in ("consider", "recommended") else (),
        policy=policy,
        jak_running=jak,
        assumptions=(policy.words,),
        not_in_data=not_in_data,
        missing=missing,
    )


def pjp_checks(
    record: PatientRecord,
    on: date,
    *,
    policy: PjpPolicy = DEFAULT_POLICY,
    whole: WholeRecord | None = None,
) -> list[Check]:
    return pjp_prophylaxis(record, on, policy=policy, whole=whole).checks
