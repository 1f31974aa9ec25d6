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

from myotrack.domain.calculator import Calculator
from myotrack.therapy.body import bsa_mosteller

Frequency = Literal["QD", "BID"]
PER_DAY: Final[dict[str, int]] = {"QD": 1, "BID": 2}


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


# Ding Y, Huang B, Wang Y, et al. Ann Rheum Dis 2021;80:543-545 (PMC7958081), seed series of
# 25 refractory JDM: initial dose < 25 kg 2.5 mg BID (n=11), >= 25 kg 5 mg BID (n=14);
# "one patient required the maximum dosage of 7.5 mg twice daily" (an observed maximum).
DING_2021: Final = DoseRule(
    rule_id="ding_2021",
    title="Ding 2021 JDM series, initial dose by weight",
    drugs=("tofacitinib", "ruxolitinib"),
    basis="weight_kg",
    bands=(Band(None, 25.0, 2.5, "BID"), Band(25.0, None, 5.0, "BID")),
    source="Ding Y et al. Ann Rheum Dis 2021;80:543-545 (PMC7958081)",
    status="VERIFIED",
    off_label_note="off-label: JAK inhibitors are not licensed for JDM",
    note=(
        "initial dose; the highest dose seen in the series was 7.5 mg twice daily in one "
        "patient (an observed maximum, not an escalation rule)"
    ),
)
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
        Band(None, 10.0, None),
        Band(10.0, 20.0, 3.2, "BID", form="3.2 mL of the 1 mg/mL oral solution"),
        Band(20.0, 40.0, 4.0, "BID", form="4 mL of the 1 mg/mL oral solution"),
        Band(40.0, None, 5.0, "BID", form="tablet or 5 mL oral solution"),
    ),
    source="Xeljanz US prescribing information, pcJIA dosing (empr.com; Pfizer medical info)",
    status="VERIFIED (secondary label reproductions)",
    off_label_note="off-label in JDM: label indication is polyarticular-course JIA",
    min_age_years=2.0,
)

# Olumiant (baricitinib) EU SmPC, JIA, age >= 2 y: 10-<30 kg 2 mg QD; >= 30 kg 4 mg QD.
# SECONDARY (laoslucius.com SmPC reproduction); paediatric renal/OAT3 adjustment UNVERIFIED.
BARICITINIB_EU_JIA: Final = DoseRule(
    rule_id="baricitinib_eu_jia",
    title="Baricitinib, EU SmPC bands for JIA (age >= 2 y)",
    drugs=("baricitinib",),
    basis="weight_kg",
    bands=(Band(None, 10.0, None), Band(10.0, 30.0, 2.0, "QD"), Band(30.0, None, 4.0, "QD")),
    source="Olumiant EU SmPC section 4.2, JIA (SECONDARY reproduction)",
    status="SECONDARY",
    off_label_note="off-label in JDM: label indication is JIA",
    note="paediatric renal / OAT3-inhibitor adjustments UNVERIFIED",
    min_age_years=2.0,
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
        Band(None, 2.0, None),
        Band(2.0, 6.0, 4.0, "BID", per_m2=True),
        Band(6.0, 12.0, 5.0, "BID"),
        Band(12.0, None, 10.0, "BID"),
    ),
    source="Jakafi US label (GVHD, >= 12 y); Locatelli F et al. Blood 2024;144:2095 (REACH4)",
    status="VERIFIED",
    off_label_note="off-label in JDM: label indication is GVHD (>= 12 y); a GVHD dose",
)

RULES: Final[tuple[DoseRule, ...]] = (
    DING_2021,
    TOFACITINIB_PCJIA,
    BARICITINIB_EU_JIA,
    RUXOLITINIB_REACH4,
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
        }


def _fmt(x: float) -> str:
    return f"{x:g}"


def _text(band: Band, basis_value: float, bsa_m2: float | None) -> tuple[float | None, str]:
    if band.dose_mg is None:
        return None, "not established in this band"
    freq = "twice daily" if band.frequency == "BID" else "once daily"
    if band.per_m2:
        if bsa_m2 is None:
            return None, f"{_fmt(band.dose_mg)} mg/m2 {freq} (needs height and weight for BSA)"
        mg = round(band.dose_mg * bsa_m2, 1)
        return mg, f"{_fmt(band.dose_mg)} mg/m2 {freq} = {_fmt(mg)} mg {freq}"
    form = f" ({band.form})" if band.form else ""
    return band.dose_mg, f"{_fmt(band.dose_mg)} mg {freq}{form}"


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
    if rule.min_age_years is not None and age_years is not None and age_years < rule.min_age_years:
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
        "version": "1",
        "source": "; ".join(r.source for r in RULES),
        "drug": data.drug,
        "bsa_m2": None if bsa is None else round(bsa, 4),
        "suggestions": [s.to_dict() for s in found],
        "assumptions": [
            "JAK inhibitors are off-label in JDM; suggestions are literature/label facts to "
            "display, not prescriptions"
        ],
    }


CALCULATOR: Final = Calculator(
    name="jak_dose",
    title="JAK-inhibitor dose suggestions for a child (seed series and label bands)",
    version="1",
    source="Ding 2021 ARD; Xeljanz US label (pcJIA); Olumiant EU SmPC (JIA); Jakafi / REACH4",
    kind="therapy",
    input_model=JakDoseInput,
    compute=_compute,
)
