"""JAK-inhibitor dose suggestions for a child: rules as data, one small engine.

No JAK inhibitor is licensed for juvenile dermatomyositis: every suggestion here is
off-label in JDM and says so. They are literature/label facts to display and audit, not
prescriptions (shared/spec/criteria-therapy.md §4).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from myotrack.domain import Calculator
from myotrack.domain.labels import label
from myotrack.domain.units import CREATININE_UMOL_PER_MG_DL
from myotrack.therapy.body import bsa_mosteller
from myotrack.therapy.formulations import ASSUMPTIONS as FORMULATION_ASSUMPTIONS
from myotrack.therapy.formulations import Givable, givable
from myotrack.therapy.schedule import PER_DAY

Frequency = Literal["QD", "BID"]  # doses a day: therapy.schedule.PER_DAY


@dataclass(frozen=True, slots=True)
class Band:
    """low <= x < high (None = open). dose_mg None: no dose established in this band."""

    low: float | None
    high: float | None
    dose_mg: float | None
    frequency: Frequency | None = None
    per_m2: bool = False  # dose_mg is mg/m² (needs BSA)
    form: str | None = None  # e.g. "3.2 mL of the 1 mg/mL oral solution"

    def contains(self, x: float) -> bool:
        return (self.low is None or x >= self.low) and (self.high is None or x < self.high)


@dataclass(frozen=True, slots=True)
class DoseRule:
    rule_id: str
    title: str
    drugs: tuple[str, ...]
    basis: Literal["weight_kg", "age_years"]
    bands: tuple[Band, ...]
    source: str
    status: str  # VERIFIED / SECONDARY, as in the spec
    off_label_note: str
    note: str | None = None
    min_age_years: float | None = None
    # What the rule says below `min_age_years`: a label that says "do not give" (baricitinib
    # EU leaflet) versus one that says "not established" (tofacitinib US).
    below_min_age: Literal["not_established", "do_not_give"] = "not_established"
    kind: Literal["label", "trial", "series"] = "label"
    # The population the rule comes from, in the source's own terms (shown with every
    # suggestion), and the ages it covers (None = not stated by the source).
    population: str = ""
    population_min_age: float | None = None
    population_max_age: float | None = None


# Ding Y, Huang B, Wang Y, et al. Ann Rheum Dis 2021;80:543-545 (PMC7958081), seed series of
# 25 refractory JDM: initial dose < 25 kg 2.5 mg BID (n=11), >= 25 kg 5 mg BID (n=14);
# "one patient required the maximum dosage of 7.5 mg twice daily" (an observed maximum).
DING_2021: Final = DoseRule(
    rule_id="ding_2021",
    title="Ding 2021 JDM series, initial dose by weight",
    drugs=("tofacitinib", "ruxolitinib"),
    basis="weight_kg",
    bands=(
        Band(low=None, high=25.0, dose_mg=2.5, frequency="BID"),
        Band(low=25.0, high=None, dose_mg=5.0, frequency="BID"),
    ),
    source="Ding Y et al. Ann Rheum Dis 2021;80:543-545 (PMC7958081)",
    status="VERIFIED",
    off_label_note="off-label: JAK inhibitors are not licensed for JDM",
    note=(
        "initial dose; the highest dose seen in the series was 7.5 mg twice daily in one "
        "patient (an observed maximum, not an escalation rule)"
    ),
    kind="series",
    # Ding 2021: 25 children, mean age at JAK-inhibitor start 7.2 +/- 4.0 years, weight bands
    # < 25 kg (n = 11) and >= 25 kg (n = 14). The main text gives no smallest or youngest child.
    population=(
        "25 children with refractory JDM, mean age at start 7.2 ± 4.0 years, weight bands "
        "< 25 kg (n = 11) and ≥ 25 kg (n = 14); the paper's main text gives no smallest or "
        "youngest child, so whether this child is inside the series' range cannot be checked"
    ),
)
DING_MEAN_AGE_YEARS: Final = 7.2  # Ding 2021: mean age at JAK-inhibitor start
DING_SD_AGE_YEARS: Final = 4.0  # Ding 2021: SD of the age at start
DING_MAX_OBSERVED_MG_BID: Final = 7.5  # Ding 2021: one patient needed 7.5 mg BID

# Xeljanz (tofacitinib) FDA label, polyarticular-course JIA, age >= 2 y (empr.com monograph;
# Pfizer medical information dosage page): 10-<20 kg 3.2 mg BID, 20-<40 kg 4 mg BID,
# >= 40 kg 5 mg BID; < 10 kg (or < 2 y) not established.
TOFACITINIB_PCJIA: Final = DoseRule(
    rule_id="tofacitinib_fda_pcjia",
    title="Tofacitinib, FDA label bands for polyarticular-course JIA (age >= 2 y)",
    drugs=("tofacitinib",),
    basis="weight_kg",
    bands=(
        Band(low=None, high=10.0, dose_mg=None),
        Band(
            low=10.0,
            high=20.0,
            dose_mg=3.2,
            frequency="BID",
            form="3.2 mL of the 1 mg/mL oral solution",
        ),
        Band(
            low=20.0,
            high=40.0,
            dose_mg=4.0,
            frequency="BID",
            form="4 mL of the 1 mg/mL oral solution",
        ),
        Band(
            low=40.0, high=None, dose_mg=5.0, frequency="BID", form="tablet or 5 mL oral solution"
        ),
    ),
    source="Xeljanz US prescribing information, pcJIA dosing (empr.com; Pfizer medical info)",
    status="VERIFIED (secondary label reproductions)",
    off_label_note="off-label in JDM: label indication is polyarticular-course JIA",
    min_age_years=2.0,
    population="label: polyarticular-course JIA, aged 2 years and older, weighing 10 kg or more",
    population_min_age=2.0,
)

# Olumiant (baricitinib) EU label, JIA, age >= 2 y — CONFIRMED (errata 2026-12 §8a: EMA package
# leaflet section 3 "4 mg once a day for patients >= 30 kg ... 10 kg to < 30 kg 2 mg once a
# day"; "Do not give this medicine to children younger than 2 years"; SmPC 4.2 reproduction
# laoslucius.com). < 10 kg: not covered by the label.
BARICITINIB_EU_JIA: Final = DoseRule(
    rule_id="baricitinib_eu_jia",
    title="Baricitinib, EU label bands for JIA (age >= 2 y)",
    drugs=("baricitinib",),
    basis="weight_kg",
    bands=(
        Band(low=None, high=10.0, dose_mg=None),
        Band(low=10.0, high=30.0, dose_mg=2.0, frequency="QD"),
        Band(low=30.0, high=None, dose_mg=4.0, frequency="QD"),
    ),
    source=(
        "Olumiant EU package leaflet section 3 and SmPC 4.2 (EMA; errata 2026-12 §8a, CONFIRMED)"
    ),
    status="CONFIRMED",
    off_label_note="off-label in JDM: label indication is JIA",
    note=(
        "halve the dose for reduced kidney function and with probenecid (EU leaflet); "
        "< 10 kg is not covered by the label"
    ),
    min_age_years=2.0,
    below_min_age="do_not_give",
    population="label: JIA (polyarticular, enthesitis-related, juvenile psoriatic), aged 2 "
    "years and older, weighing 10 kg or more",
    population_min_age=2.0,
)

# JUVE-BASIS (Ramanan AV et al. Lancet 2023;402:555-570; NCT03773978), dosed by AGE: 4 mg for
# 12-<18 y and children >= 9 y; 2 mg for < 9 y; < 6 y an oral suspension (errata 2026-12
# §8a, ClinicalTrials.gov arm description). A trial's dosing, never merged with the label's.
JUVE_BASIS: Final = DoseRule(
    rule_id="juve_basis_2023",
    title="Baricitinib, JUVE-BASIS trial dosing by age (not the label)",
    drugs=("baricitinib",),
    basis="age_years",
    bands=(
        Band(low=None, high=2.0, dose_mg=None),
        Band(low=2.0, high=9.0, dose_mg=2.0, frequency="QD"),
        Band(low=9.0, high=18.0, dose_mg=4.0, frequency="QD"),
        Band(low=18.0, high=None, dose_mg=None),
    ),
    source="Ramanan AV et al. Lancet 2023;402:555-570 (JUVE-BASIS, NCT03773978)",
    status="CONFIRMED (errata 2026-12 §8a)",
    off_label_note="off-label in JDM: a JIA trial's dosing, not a label",
    note=(
        "trial dosing, separate from the EU label: the two disagree for a 9-<18-year-old "
        "under 30 kg and a child under 9 years weighing 30 kg or more; children < 6 years "
        "received an oral suspension that is not marketed"
    ),
    kind="trial",
    population="trial: JIA, aged 2 to < 18 years",
    population_min_age=2.0,
    population_max_age=18.0,
)

# Ruxolitinib: FDA label GVHD for adults and children >= 12 y; REACH4 (Locatelli F et al.
# Blood 2024;144:2095) paediatric aGVHD doses: >= 12 y 10 mg BID; 6-<12 y 5 mg BID;
# 2-<6 y 4 mg/m² BID. Not a JDM dose.
RUXOLITINIB_REACH4: Final = DoseRule(
    rule_id="ruxolitinib_reach4",
    title="Ruxolitinib, paediatric GVHD doses by age (REACH4; label >= 12 y)",
    drugs=("ruxolitinib",),
    basis="age_years",
    bands=(
        Band(low=None, high=2.0, dose_mg=None),
        Band(low=2.0, high=6.0, dose_mg=4.0, frequency="BID", per_m2=True),
        Band(low=6.0, high=12.0, dose_mg=5.0, frequency="BID"),
        Band(low=12.0, high=None, dose_mg=10.0, frequency="BID"),
    ),
    source="Jakafi US label (GVHD, >= 12 y); Locatelli F et al. Blood 2024;144:2095 (REACH4)",
    status="VERIFIED",
    off_label_note="off-label in JDM: label indication is GVHD (>= 12 y); a GVHD dose",
    kind="trial",
    population="US label: GVHD, 12 years and older; REACH4 trial: GVHD, 2 to < 18 years",
    population_min_age=2.0,
    population_max_age=18.0,
)

# Jakavi (ruxolitinib) EU SmPC 2025, section 4.2 Tables 1-2 (rxreasoner reproduction of the
# EMA text; SECONDARY): starting doses in GvHD by age — 12 years and above 10 mg twice daily;
# 6 to < 12 years 5 mg twice daily; 28 days (acute) / 6 months (chronic) to < 6 years
# 8 mg/m2 twice daily. NB: REACH4 (above) gives 4 mg/m2 for 2-<6 years; both are shown,
# each named, neither merged.
JAKAVI_EU_MIN_AGE_YEARS: Final = 28 / 365.25  # "28 days and older" (acute GvHD)
RUXOLITINIB_EU_GVHD: Final = DoseRule(
    rule_id="ruxolitinib_eu_gvhd",
    title="Ruxolitinib, EU label starting doses in GvHD by age (Jakavi SmPC 2025)",
    drugs=("ruxolitinib",),
    basis="age_years",
    bands=(
        Band(low=None, high=JAKAVI_EU_MIN_AGE_YEARS, dose_mg=None),
        Band(low=JAKAVI_EU_MIN_AGE_YEARS, high=6.0, dose_mg=8.0, frequency="BID", per_m2=True),
        Band(low=6.0, high=12.0, dose_mg=5.0, frequency="BID"),
        Band(low=12.0, high=None, dose_mg=10.0, frequency="BID"),
    ),
    source="Jakavi EU SmPC 4.2 Tables 1-2 (EMA 2025; rxreasoner reproduction)",
    status="SECONDARY",
    off_label_note="off-label in JDM: label indication is GvHD",
    note=(
        "under 6 years the EU label gives 8 mg/m2 twice daily (acute GvHD from 28 days, "
        "chronic from 6 months) where REACH4 gives 4 mg/m2: check the current SmPC"
    ),
    population="EU label: acute GvHD from 28 days, chronic GvHD from 6 months of age",
    population_min_age=JAKAVI_EU_MIN_AGE_YEARS,
)

RULES: Final[tuple[DoseRule, ...]] = (
    DING_2021,
    TOFACITINIB_PCJIA,
    BARICITINIB_EU_JIA,
    JUVE_BASIS,
    RUXOLITINIB_REACH4,
    RUXOLITINIB_EU_GVHD,
)


@dataclass(frozen=True, slots=True)
class Suggestion:
    rule_id: str
    title: str
    drug: str
    dose_mg: float | None  # per administration (after BSA for m² bands); None = no dose
    frequency: Frequency | None
    text: str
    source: str
    status: str
    off_label: bool
    off_label_note: str
    note: str | None
    kind: str = "label"
    population: str = ""
    # Plain statements that the child is outside the population the rule comes from.
    outside: tuple[str, ...] = ()
    # The rule says this drug must not be given to this child (e.g. baricitinib < 2 y).
    do_not_give: bool = False
    # The dose as the available products allow it (rounded down), per form.
    givable: tuple[Givable, ...] = ()

    @property
    def daily_mg(self) -> float | None:
        if self.dose_mg is None or self.frequency is None:
            return None
        return self.dose_mg * PER_DAY[self.frequency]

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule_id,
            "title": self.title,
            "drug": self.drug,
            "dose_mg": self.dose_mg,
            "frequency": self.frequency,
            "daily_mg": self.daily_mg,
            "text": self.text,
            "source": self.source,
            "status": self.status,
            "off_label": self.off_label,
            "off_label_note": self.off_label_note,
            "note": self.note,
            "kind": self.kind,
            "population": self.population,
            "outside": list(self.outside),
            "do_not_give": self.do_not_give,
            "givable": [g.to_dict() for g in self.givable],
        }


def _fmt(x: float) -> str:
    return f"{x:g}"


def _text(band: Band, basis_value: float, bsa_m2: float | None) -> tuple[float | None, str]:
    if band.dose_mg is None:
        return None, "not established in this band"
    freq = label("frequency", band.frequency or "QD")  # a band without one: once daily
    if band.per_m2:
        if bsa_m2 is None:
            return None, f"{_fmt(band.dose_mg)} mg/m2 {freq} (needs height and weight for BSA)"
        mg = round(band.dose_mg * bsa_m2, 1)
        return mg, f"{_fmt(band.dose_mg)} mg/m2 {freq} = {_fmt(mg)} mg {freq}"
    form = f" ({band.form})" if band.form else ""
    return band.dose_mg, f"{_fmt(band.dose_mg)} mg {freq}{form}"


def _outside(rule: DoseRule, weight_kg: float | None, age_years: float | None) -> tuple[str, ...]:
    out: list[str] = []
    if age_years is not None:
        lo, hi = rule.population_min_age, rule.population_max_age
        if lo is not None and age_years < lo:
            out.append(
                f"the child ({age_years:.1f} y) is younger than the {_fmt(lo)} years "
                "the rule covers"
            )
        if hi is not None and age_years >= hi:
            out.append(
                f"the child ({age_years:.1f} y) is older than the < {_fmt(hi)} years "
                "the rule covers"
            )
    if rule.basis == "weight_kg" and weight_kg is not None:
        first = next((b for b in rule.bands if b.dose_mg is not None), None)
        if first is not None and first.low is not None and weight_kg < first.low:
            out.append(
                f"the child ({weight_kg:g} kg) weighs less than the {_fmt(first.low)} kg "
                "the rule covers"
            )
    if rule is RUXOLITINIB_REACH4 and age_years is not None and age_years < 12:
        out.append(
            f"the US label covers 12 years and older; this dose for a child of {age_years:.1f} y "
            "comes from the REACH4 trial"
        )
    if rule is DING_2021 and age_years is not None:
        out.append(
            f"the child is {age_years:.1f} y; the series' mean age at start was "
            f"{DING_MEAN_AGE_YEARS:.1f} ± {DING_SD_AGE_YEARS:.1f} y and its youngest and "
            "smallest child are not given in the main text"
        )
    return tuple(out)


def suggest(
    rule: DoseRule,
    drug: str,
    *,
    weight_kg: float | None,
    age_years: float | None,
    bsa_m2: float | None = None,
) -> Suggestion | None:
    """The suggestion of one rule for one drug, or None when the rule cannot be applied
    (drug not covered, or the weight/age it needs is unknown)."""
    if drug not in rule.drugs:
        return None
    value = weight_kg if rule.basis == "weight_kg" else age_years
    if value is None:
        return None
    band = next(b for b in rule.bands if b.contains(value))
    dose, text = _text(band, value, bsa_m2)
    do_not_give = False
    if rule.min_age_years is not None and age_years is not None and age_years < rule.min_age_years:
        if rule.below_min_age == "do_not_give":
            dose, text = None, f"not to be given below {_fmt(rule.min_age_years)} years"
            do_not_give = True
        else:
            dose, text = None, f"not established below {_fmt(rule.min_age_years)} years"
    return Suggestion(
        rule_id=rule.rule_id,
        title=rule.title,
        drug=drug,
        dose_mg=dose,
        frequency=band.frequency if dose is not None else None,
        text=text,
        source=rule.source,
        status=rule.status,
        off_label=True,
        off_label_note=rule.off_label_note,
        note=rule.note,
        kind=rule.kind,
        population=rule.population,
        outside=_outside(rule, weight_kg, age_years),
        do_not_give=do_not_give,
        givable=() if dose is None else givable(drug, dose),
    )


def suggestions(
    drug: str, *, weight_kg: float | None, age_years: float | None, bsa_m2: float | None = None
) -> list[Suggestion]:
    out = [suggest(r, drug, weight_kg=weight_kg, age_years=age_years, bsa_m2=bsa_m2) for r in RULES]
    return [s for s in out if s is not None]


# Tofacitinib label adjustments (empr.com; prescriberpoint Table 1, VERIFIED): a strong
# CYP3A4 inhibitor (or moderate CYP3A4 + strong CYP2C19), moderate or severe renal
# impairment, or moderate hepatic impairment (Child-Pugh B) -> the same dose once daily;
# severe hepatic impairment (Child-Pugh C) -> not recommended.
def tofacitinib_adjusted(
    weight_kg: float,
    *,
    strong_cyp3a4_inhibitor: bool = False,
    renal_impairment: Literal["none", "mild", "moderate", "severe"] = "none",
    hepatic: Literal["none", "Child-Pugh A", "Child-Pugh B", "Child-Pugh C"] = "none",
) -> tuple[float | None, Frequency | None, str]:
    base = suggest(TOFACITINIB_PCJIA, "tofacitinib", weight_kg=weight_kg, age_years=None)
    assert base is not None
    if hepatic == "Child-Pugh C":
        return None, None, "not recommended (severe hepatic impairment)"
    if base.dose_mg is None:
        return None, None, base.text
    if (
        strong_cyp3a4_inhibitor
        or renal_impairment in ("moderate", "severe")
        or (hepatic == "Child-Pugh B")
    ):
        return base.dose_mg, "QD", f"{_fmt(base.dose_mg)} mg once daily (label adjustment)"
    return base.dose_mg, base.frequency, base.text


# --- baricitinib: kidney function and probenecid -----------------------------------------

# Olumiant EU package leaflet, children and adolescents (errata 2026-12 §8a, CONFIRMED): "If
# you have reduced kidney function, the recommended dose ... should be reduced by half"; with
# probenecid "for children and adolescents the dose should be reduced by half".
# The paediatric eGFR limits are UNVERIFIED: these settings default to the adult label's
# (Lilly medical information, EU: "eGFR between 30 and 60 mL/min/1.73 m2 -> 2 mg once daily"
# = half of 4 mg; "< 30 mL/min/1.73 m2: not recommended") and are reported as assumptions.
BARICITINIB_REDUCED_KIDNEY_EGFR_MAX: Final = 60.0  # UNVERIFIED in children (adult: 30-60)
BARICITINIB_NOT_RECOMMENDED_EGFR_BELOW: Final = 30.0  # UNVERIFIED in children (adult: < 30)
BARICITINIB_LEAFLET: Final = (
    "Olumiant EU package leaflet section 3, children and adolescents (errata 2026-12 §8a)"
)
BARICITINIB_ADULT_RENAL: Final = "Lilly medical information EU (adult eGFR limits)"
# LOCAL POLICY: a kidney-function result older than this is not used.
RENAL_VALID_DAYS: Final = 90
# Bedside Schwartz equation for children: eGFR (mL/min/1.73 m2) = 0.413 x height (cm) /
# serum creatinine (mg/dL). Schwartz GJ et al. J Am Soc Nephrol 2009;20:629-637.
SCHWARTZ_K: Final = 0.413
SCHWARTZ_2009: Final = "Schwartz GJ et al. J Am Soc Nephrol 2009;20:629-637 (bedside Schwartz)"
PROBENECID: Final = "probenecid"

BARICITINIB_ASSUMPTIONS: Final = (
    f"baricitinib in children: 'reduced kidney function' read as eGFR <= "
    f"{BARICITINIB_REDUCED_KIDNEY_EGFR_MAX:g} mL/min/1.73 m2 and 'not recommended' below "
    f"{BARICITINIB_NOT_RECOMMENDED_EGFR_BELOW:g} (the adult label's limits; paediatric limits "
    "UNVERIFIED)",
    f"a kidney-function result must be within {RENAL_VALID_DAYS} days (local policy)",
    "with both reduced kidney function and probenecid the dose is halved once (the leaflet "
    "does not say whether to halve twice; UNVERIFIED)",
)


def bedside_schwartz(height_cm: float, creatinine_umol_l: float) -> float:
    """eGFR (mL/min/1.73 m2) = 0.413 x height (cm) / creatinine (mg/dL); creatinine given in
    umol/L is divided by 88.4 (umol/L per mg/dL) first. Schwartz 2009 (see SCHWARTZ_2009).
    Worked example: 110 cm, 35.36 umol/L (0.4 mg/dL) -> 0.413 x 110 / 0.4 = 113.575."""
    if height_cm <= 0 or creatinine_umol_l <= 0:
        raise ValueError("height and creatinine must be positive")
    mg_dl = creatinine_umol_l / float(CREATININE_UMOL_PER_MG_DL)
    return SCHWARTZ_K * height_cm / mg_dl


Kidney = Literal["normal", "reduced", "not_recommended"]


def baricitinib_kidney(egfr: float) -> Kidney:
    """The band of an eGFR for paediatric baricitinib (limits UNVERIFIED, see settings):
    eGFR < 30 not recommended; 30 <= eGFR <= 60 reduced (halve); > 60 normal."""
    if egfr < BARICITINIB_NOT_RECOMMENDED_EGFR_BELOW:
        return "not_recommended"
    if egfr <= BARICITINIB_REDUCED_KIDNEY_EGFR_MAX:
        return "reduced"
    return "normal"


def baricitinib_adjusted(
    dose_mg: float, *, kidney: Kidney, probenecid: bool
) -> tuple[float | None, str]:
    """The EU leaflet's paediatric adjustment of a baricitinib dose: halve for reduced kidney
    function or with probenecid (once, see BARICITINIB_ASSUMPTIONS); not recommended below
    the lower eGFR limit. Returns (mg once daily or None, words)."""
    if kidney == "not_recommended":
        return None, (
            f"not recommended with eGFR < {BARICITINIB_NOT_RECOMMENDED_EGFR_BELOW:g} "
            "(adult label limit; paediatric UNVERIFIED)"
        )
    reasons = []
    if kidney == "reduced":
        reasons.append("reduced kidney function")
    if probenecid:
        reasons.append("probenecid")
    if not reasons:
        return dose_mg, f"{dose_mg:g} mg once daily"
    half = dose_mg / 2
    return half, f"{half:g} mg once daily (halved: {' and '.join(reasons)})"


# --- calculator -------------------------------------------------------------------------


class JakDoseInput(BaseModel):
    """A child's weight (and age, height for m² doses) -> JAK-inhibitor dose suggestions."""

    model_config = ConfigDict(extra="forbid")

    drug: Literal["tofacitinib", "ruxolitinib", "baricitinib"]
    weight_kg: float | None = Field(default=None, gt=0, le=200)
    age_years: float | None = Field(default=None, ge=0, le=25)
    height_cm: float | None = Field(default=None, ge=40, le=220)


def _compute(data: JakDoseInput) -> Mapping[str, Any]:
    bsa = (
        bsa_mosteller(data.height_cm, data.weight_kg)
        if data.height_cm is not None and data.weight_kg is not None
        else None
    )
    found = suggestions(data.drug, weight_kg=data.weight_kg, age_years=data.age_years, bsa_m2=bsa)
    return {
        "name": "jak_dose",
        "version": "2",
        "source": "; ".join(r.source for r in RULES),
        "drug": data.drug,
        "bsa_m2": None if bsa is None else round(bsa, 4),
        "suggestions": [s.to_dict() for s in found],
        "assumptions": [
            "JAK inhibitors are off-label in JDM; suggestions are literature/label facts to "
            "display, not prescriptions",
            *FORMULATION_ASSUMPTIONS,
            *(BARICITINIB_ASSUMPTIONS if data.drug == "baricitinib" else ()),
        ],
    }


CALCULATOR: Final = Calculator(
    name="jak_dose",
    title="JAK-inhibitor dose suggestions for a child (seed series, labels, trials)",
    version="2",
    source="Ding 2021 ARD; Xeljanz US label (pcJIA); Olumiant EU SmPC (JIA); Jakafi / REACH4",
    kind="therapy",
    input_model=JakDoseInput,
    compute=_compute,
)
