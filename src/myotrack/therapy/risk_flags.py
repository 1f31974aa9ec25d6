"""Risk flags from the patient's data: serology-driven screening prompts and adverse events
on a JAK inhibitor. Each flag says why and cites its source (shared/spec/
criteria-therapy.md §5-6)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from myotrack.domain import ChestHrct, OxygenNeed, PatientRecord, WholeRecord
from myotrack.therapy.organ_involvement import ild_recorded, ild_words
from myotrack.therapy.pjp import pjp_prophylaxis

# Pneumocystis prophylaxis: the level and its words come from therapy.pjp (Sabbagh 2021).
PJP_FLAG_WORDS: Final[dict[str, str]] = {
    "consider": "consider Pneumocystis (PJP) prophylaxis",
    "recommended": "Pneumocystis (PJP) prophylaxis recommended (local policy)",
    "secondary": "secondary Pneumocystis (PJP) prophylaxis: Pneumocystis infection on record",
}
# Anti-synthetase antibodies: ILD, arthritis, mechanic's hands (Curr Rheumatol Rep
# 2019;21:74 Table 1, PMC6906215).
ANTISYNTHETASE: Final = ("JO1", "PL7", "PL12", "EJ", "OJ")
CURR_RHEUM_REP_2019: Final = "Curr Rheumatol Rep 2019;21:74 Table 1 (PMC6906215)"
TANSLEY_2014: Final = "Tansley SL et al. Arthritis Res Ther 2014;16:R138"
# Reported ILD with anti-MDA5 in juvenile myositis, both cohorts stated (issue 8: no wording
# that reassures by population): UK JDM cohort ILD in 4 of 21 MDA5+ (Tansley 2014); a Japanese
# series: all MDA5+ JDM had ILD, rapidly progressive with high titres (Curr Rheumatol Rep
# 2019;21:74, PMC6906215).
# Tansley 2014 (abstract and introduction, read in the h13 review): "4 out of 21 children
# with anti-MDA5 had interstitial lung disease"; "a small Japanese study identified anti-MDA5
# in 38% of JDM patients, all of whom had ILD, and three patients with very high titres of
# anti-MDA5 had rapidly progressive ILD" — rapidly progressive in three, not in all.
MDA5_ILD_NUMBERS: Final = (
    "ILD in 4 of 21 anti-MDA5-positive children in the UK JDM cohort; ILD in every anti-MDA5-"
    "positive child of a small Japanese series, rapidly progressive in the three with very "
    "high titres"
)
# Bellutti Enders F et al. Ann Rheum Dis 2017;76:329-340 (SHARE, PMC5284351): Table 1
# high-risk patients include "parenchymal lung disease" (immediate/urgent referral to a
# specialised centre); Table 2 investigations: "Pulmonary function tests (chest X-ray and HRCT
# if concern)".
SHARE_2017: Final = "Bellutti Enders F et al. Ann Rheum Dis 2017;76:329-340 (SHARE) Tables 1-2"
# Xeljanz US label (empr monograph): ILD caution (criteria-therapy.md §5.1).
XELJANZ_ILD: Final = "Xeljanz US label (empr monograph): interstitial lung disease caution"
FDA_DSC_2021: Final = (
    "FDA Drug Safety Communication 1 Sep 2021 (ORAL Surveillance): boxed warnings for "
    "thrombosis, serious heart-related events, cancer and death (tofacitinib, baricitinib, "
    "upadacitinib)"
)


# LOCAL POLICY: how recent a progression of ILD (a chest CT "progressed" or the event
# `ild_progressed`) must be to be named in the MDA5/ILD flag. No source gives a number.
ILD_PROGRESSION_DAYS: Final = 90


@dataclass(frozen=True, slots=True)
class RiskFlag:
    flag: str
    why: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        return {"flag": self.flag, "why": self.why, "source": self.source}


def _on_jak(record: PatientRecord, day: date) -> str | None:
    for c in record.jak_courses:
        if c.running_on(day):
            return c.drug
    return None


def _oxygen_and_progression(whole: WholeRecord | None, on: date) -> list[str]:
    """From the whole record: the latest oxygen need on or before `on` when oxygen is
    needed, and a progression of ILD in the last ILD_PROGRESSION_DAYS (local policy)."""
    if whole is None:
        return []
    out: list[str] = []
    oxygen = [o for o in whole.of_kind(OxygenNeed) if o.date.earliest() <= on]
    if oxygen and isinstance(oxygen[-1], OxygenNeed) and oxygen[-1].needs_oxygen:
        out.append(f"needs oxygen (as of {oxygen[-1].date.iso()})")
    since = date.fromordinal(on.toordinal() - ILD_PROGRESSION_DAYS)
    progressed = [
        ct.date
        for ct in whole.of_kind(ChestHrct)
        if isinstance(ct, ChestHrct) and ct.change == "progressed"
    ] + [e.date for e in whole.clinical_events if e.event == "ild_progressed"]
    for when in sorted(progressed, key=lambda d: d.sort_key()):
        if when.earliest() <= on and when.latest() >= since:
            out.append(
                f"ILD progressed ({when.iso()}; within {ILD_PROGRESSION_DAYS} days: local policy)"
            )
    return out


def _lung_flags(
    record: PatientRecord, on: date, whole: WholeRecord | None = None
) -> list[RiskFlag]:
    """ILD-related flags: "screen" while no ILD is recorded; once ILD is recorded, what
    applies to a child with ILD. Risks are stated with their numbers and sources, never
    softened by the population they were seen in. With the whole record, ILD is the dated
    organ involvement, and oxygen need and a recent progression are named."""
    antibodies = set(record.patient.antibodies)
    ild = ild_recorded(record, on, whole)
    flags: list[RiskFlag] = []
    mda5 = "MDA5" in antibodies
    syn = sorted(antibodies & set(ANTISYNTHETASE))
    if ild:
        because = []
        if mda5:
            because.append(
                "anti-MDA5 positive: interstitial lung disease in MDA5+ myositis can progress "
                f"rapidly and be fatal ({MDA5_ILD_NUMBERS})"
            )
        if syn:
            because.append(f"{', '.join(syn)} positive: anti-synthetase antibodies go with ILD")
        if "RO52" in antibodies:
            because.append("anti-Ro52 positive: associated with ILD and more severe disease")
        dated = ild_words(whole, on)
        if dated:
            because.insert(0, f"recorded as {dated}")
        because += _oxygen_and_progression(whole, on)
        flags.append(
            RiskFlag(
                ("anti-MDA5 with " if mda5 else "")
                + "interstitial lung disease recorded: high-risk JDM, monitor the lungs",
                "interstitial lung disease is recorded. SHARE: parenchymal lung disease "
                "defines a high-risk patient who needs immediate/urgent referral to a "
                "specialised centre (Table 1); pulmonary function tests, with chest X-ray and "
                "HRCT if concern (Table 2). No published paediatric monitoring interval: "
                "follow the local protocol. Xeljanz label: use with caution in patients with "
                "interstitial lung disease."
                + ("" if not because else " " + "; ".join(because) + "."),
                f"{SHARE_2017}; {XELJANZ_ILD}"
                + (f"; {TANSLEY_2014}; {CURR_RHEUM_REP_2019}" if mda5 or syn else ""),
            )
        )
        return flags
    if mda5:
        flags.append(
            RiskFlag(
                "MDA5: screen for interstitial lung disease",
                "anti-MDA5 positive; anti-MDA5 is associated with interstitial lung disease, "
                f"which can progress rapidly and be fatal ({MDA5_ILD_NUMBERS}). SHARE "
                "screening: pulmonary function tests, with chest X-ray and HRCT if concern "
                "(Table 2).",
                f"{TANSLEY_2014}; {CURR_RHEUM_REP_2019}; {SHARE_2017}",
            )
        )
    if syn:
        flags.append(
            RiskFlag(
                "anti-synthetase antibody: screen for interstitial lung disease",
                f"{', '.join(syn)} positive; anti-synthetase antibodies are associated with ILD",
                CURR_RHEUM_REP_2019,
            )
        )
    if "RO52" in antibodies:
        flags.append(
            RiskFlag(
                "Ro52: ILD association",
                "anti-Ro52 positive; associated with ILD and more severe disease",
                CURR_RHEUM_REP_2019,
            )
        )
    return flags


def risk_flags(record: PatientRecord, on: date, whole: WholeRecord | None = None) -> list[RiskFlag]:
    """The flags of `record` on `on`; `whole` (the whole record, when loaded) adds what the
    dated records say (ILD, oxygen, ancestry)."""
    flags: list[RiskFlag] = _lung_flags(record, on, whole)
    # Pneumocystis prophylaxis: one assessment (therapy.pjp) for the flag and the check.
    pjp = pjp_prophylaxis(record, on, whole=whole)
    if pjp.level != "no_recorded_factor":
        flags.append(
            RiskFlag(
                PJP_FLAG_WORDS[pjp.level] + (" (on cotrimoxazole)" if pjp.on_prophylaxis else ""),
                pjp.message,
                pjp.source,
            )
        )
    # Events on a JAK inhibitor (on or before `on`).
    for e in record.events:
        if e.date > on:
            continue
        drug = _on_jak(record, e.date)
        if e.event == "infection" and drug is not None:
            detail = f" ({e.detail})" if e.detail else ""
            why = f"infection{detail} on {e.date} while on {drug}"
            source = "JAK-inhibitor labels: serious infections (boxed warning, Xeljanz/Olumiant)"
            if e.detail and e.detail.upper() in ("VZV", "HZ", "HERPES ZOSTER"):
                why += "; EU baricitinib SmPC: interrupt if herpes zoster develops"
                source += "; Olumiant EU SmPC (MIMS)"
            flags.append(RiskFlag("infection on JAK inhibitor", why, source))
        elif e.event == "thromboembolism":
            if drug is not None:
                flags.append(
                    RiskFlag(
                        "thromboembolism on JAK inhibitor",
                        f"thromboembolism on {e.date} while on {drug}",
                        FDA_DSC_2021,
                    )
                )
            else:
                flags.append(
                    RiskFlag(
                        "history of thromboembolism",
                        f"thromboembolism on {e.date}; avoid JAK inhibitors in patients at "
                        "increased risk of thrombosis (Xeljanz label)",
                        f"Xeljanz US label (empr); {FDA_DSC_2021}",
                    )
                )
    return flags
