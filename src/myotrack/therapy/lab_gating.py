"""Laboratory gating of JAK inhibitors: the label thresholds below which a JAK inhibitor
should not be started, or should be interrupted, reduced or stopped on treatment.

Every rule quotes its label (shared/spec/criteria-therapy.md §4.6, VERIFIED from the cited
label reproductions). Counts are in 10^9/L (1 × 10^9/L = 1000/mm³), haemoglobin in g/dL.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from myotrack.domain.calculator import Calculator
from myotrack.domain.model import LabResult
from myotrack.domain.units import to_canonical

Phase = Literal["start", "on_treatment"]
Verdict = Literal["ok", "do_not_start", "interrupt", "reduce_dose", "discontinue", "missing"]
SEVERITY: Final[dict[str, int]] = {
    "ok": 0,
    "missing": 1,
    "reduce_dose": 2,
    "interrupt": 3,
    "do_not_start": 3,
    "discontinue": 4,
}

_TOFA_US: Final = "Xeljanz US prescribing information 2.1 and Table 1 (Pfizer medical information)"
_TOFA_EU: Final = "Xeljanz EU/AU SmPC (pfizerpro UK/AU monitoring tables)"
_BARI_US: Final = "Olumiant US prescribing information (drugs.com reproduction)"
_BARI_EU: Final = "Olumiant EU SmPC (MIMS reproductions)"
_RUX: Final = "Jakafi cGVHD dose modifications (hcp.jakafi.com)"


@dataclass(frozen=True, slots=True)
class LabRule:
    drug: str
    label: str  # "US", "EU", "US/EU", "cGVHD"
    phase: Phase
    analyte: str  # lymphocytes, neutrophils, hemoglobin, platelets
    below: float  # the rule fires when value < below ...
    at_least: float | None  # ... and value >= at_least (a band), if given
    verdict: Verdict
    quote: str
    source: str

    @property
    def threshold_text(self) -> str:
        unit = "g/dL" if self.analyte == "hemoglobin" else "x10^9/L"
        if self.at_least is not None:
            return f"{self.at_least:g} to < {self.below:g} {unit}"
        return f"< {self.below:g} {unit}"

    def fires(self, value: float) -> bool:
        return value < self.below and (self.at_least is None or value >= self.at_least)


def _r(
    drug: str,
    label: str,
    phase: Phase,
    analyte: str,
    below: float,
    verdict: Verdict,
    quote: str,
    source: str,
    at_least: float | None = None,
) -> LabRule:
    return LabRule(drug, label, phase, analyte, below, at_least, verdict, quote, source)


RULES: Final[tuple[LabRule, ...]] = (
    # Tofacitinib, US label: do not start if ALC < 500/mm3, ANC < 1000/mm3, Hb < 9 g/dL.
    _r(
        "tofacitinib",
        "US",
        "start",
        "lymphocytes",
        0.5,
        "do_not_start",
        "Avoid initiation if lymphocyte count is less than 500 cells/mm3",
        _TOFA_US,
    ),
    _r(
        "tofacitinib",
        "US",
        "start",
        "neutrophils",
        1.0,
        "do_not_start",
        "Avoid initiation if ANC is less than 1000 cells/mm3",
        _TOFA_US,
    ),
    _r(
        "tofacitinib",
        "US",
        "start",
        "hemoglobin",
        9.0,
        "do_not_start",
        "Avoid initiation if hemoglobin is less than 9 g/dL",
        _TOFA_US,
    ),
    # Tofacitinib, US label, on treatment.
    _r(
        "tofacitinib",
        "US",
        "on_treatment",
        "lymphocytes",
        0.5,
        "discontinue",
        "Lymphocytes less than 500 cells/mm3 (confirmed by repeat testing): discontinue",
        _TOFA_US,
    ),
    _r(
        "tofacitinib",
        "US",
        "on_treatment",
        "neutrophils",
        1.0,
        "interrupt",
        "ANC 500-1000 cells/mm3: interrupt dosing; resume when ANC is greater than 1000",
        _TOFA_US,
        at_least=0.5,
    ),
    _r(
        "tofacitinib",
        "US",
        "on_treatment",
        "neutrophils",
        0.5,
        "discontinue",
        "ANC less than 500 cells/mm3 (confirmed by repeat testing): discontinue",
        _TOFA_US,
    ),
    _r(
        "tofacitinib",
        "US",
        "on_treatment",
        "hemoglobin",
        8.0,
        "interrupt",
        "Hemoglobin less than 8 g/dL or decrease of more than 2 g/dL: interrupt until "
        "hemoglobin values have normalized",
        _TOFA_US,
    ),
    # Tofacitinib, EU/AU SmPC: lymphocytes < 0.75 x10^9/L, ANC < 1.0 x10^9/L, Hb < 9 g/dL.
    _r(
        "tofacitinib",
        "EU",
        "start",
        "lymphocytes",
        0.75,
        "do_not_start",
        "Not recommended to initiate in patients with lymphocyte count less than 0.75 x10^9/L",
        _TOFA_EU,
    ),
    _r(
        "tofacitinib",
        "EU",
        "start",
        "neutrophils",
        1.0,
        "do_not_start",
        "Not recommended to initiate with ANC less than 1.0 x10^9/L",
        _TOFA_EU,
    ),
    _r(
        "tofacitinib",
        "EU",
        "start",
        "hemoglobin",
        9.0,
        "do_not_start",
        "Not recommended to initiate with haemoglobin less than 9 g/dL",
        _TOFA_EU,
    ),
    # Baricitinib, US label: ALC < 500, ANC < 1000, Hb < 8 g/dL (start and interrupt).
    _r(
        "baricitinib",
        "US",
        "start",
        "lymphocytes",
        0.5,
        "do_not_start",
        "Avoid initiation if ALC is less than 500 cells/mm3",
        _BARI_US,
    ),
    _r(
        "baricitinib",
        "US",
        "start",
        "neutrophils",
        1.0,
        "do_not_start",
        "Avoid initiation if ANC is less than 1000 cells/mm3",
        _BARI_US,
    ),
    _r(
        "baricitinib",
        "US",
        "start",
        "hemoglobin",
        8.0,
        "do_not_start",
        "Avoid initiation if hemoglobin is less than 8 g/dL",
        _BARI_US,
    ),
    _r(
        "baricitinib",
        "US",
        "on_treatment",
        "lymphocytes",
        0.5,
        "interrupt",
        "ALC less than 500 cells/mm3: interrupt until ALC is 500 cells/mm3 or more",
        _BARI_US,
    ),
    _r(
        "baricitinib",
        "US",
        "on_treatment",
        "neutrophils",
        1.0,
        "interrupt",
        "ANC less than 1000 cells/mm3: interrupt until ANC is 1000 cells/mm3 or more",
        _BARI_US,
    ),
    _r(
        "baricitinib",
        "US",
        "on_treatment",
        "hemoglobin",
        8.0,
        "interrupt",
        "Hemoglobin less than 8 g/dL: interrupt until hemoglobin is 8 g/dL or more",
        _BARI_US,
    ),
    # Baricitinib, EU SmPC: same values; on treatment temporary interruption.
    _r(
        "baricitinib",
        "EU",
        "start",
        "lymphocytes",
        0.5,
        "do_not_start",
        "Should not be initiated with ALC less than 0.5 x10^9/L",
        _BARI_EU,
    ),
    _r(
        "baricitinib",
        "EU",
        "start",
        "neutrophils",
        1.0,
        "do_not_start",
        "Should not be initiated with ANC less than 1 x10^9/L",
        _BARI_EU,
    ),
    _r(
        "baricitinib",
        "EU",
        "start",
        "hemoglobin",
        8.0,
        "do_not_start",
        "Should not be initiated with haemoglobin less than 8 g/dL",
        _BARI_EU,
    ),
    _r(
        "baricitinib",
        "EU",
        "on_treatment",
        "lymphocytes",
        0.5,
        "interrupt",
        "ALC less than 0.5 x10^9/L: interrupt temporarily",
        _BARI_EU,
    ),
    _r(
        "baricitinib",
        "EU",
        "on_treatment",
        "neutrophils",
        1.0,
        "interrupt",
        "ANC less than 1 x10^9/L: interrupt temporarily",
        _BARI_EU,
    ),
    _r(
        "baricitinib",
        "EU",
        "on_treatment",
        "hemoglobin",
        8.0,
        "interrupt",
        "Haemoglobin less than 8 g/dL: interrupt temporarily",
        _BARI_EU,
    ),
    # Ruxolitinib, cGVHD: no numeric start threshold (CBC before start); on treatment
    # platelets < 20 -> one level lower; ANC < 0.75 -> one level lower; ANC < 0.5 -> hold.
    _r(
        "ruxolitinib",
        "cGVHD",
        "on_treatment",
        "platelets",
        20.0,
        "reduce_dose",
        "Platelets less than 20 x10^9/L: reduce by one dose level (return if resolved in 7 days)",
        _RUX,
    ),
    _r(
        "ruxolitinib",
        "cGVHD",
        "on_treatment",
        "neutrophils",
        0.75,
        "reduce_dose",
        "ANC less than 0.75 x10^9/L: reduce by one dose level",
        _RUX,
        at_least=0.5,
    ),
    _r(
        "ruxolitinib",
        "cGVHD",
        "on_treatment",
        "neutrophils",
        0.5,
        "interrupt",
        "ANC less than 0.5 x10^9/L: hold for up to 14 days, resume one dose level lower",
        _RUX,
    ),
)

# Tofacitinib US label: a haemoglobin fall of more than 2 g/dL on treatment -> interrupt.
HB_DROP_G_DL: Final = 2.0
HB_DROP_QUOTE: Final = (
    "Hemoglobin less than 8 g/dL or decrease of more than 2 g/dL: interrupt until hemoglobin "
    "values have normalized"
)
# Ruxolitinib: a CBC before starting (hcp.jakafi.com); no numeric threshold.
START_CBC_DRUGS: Final = ("ruxolitinib",)
# Tofacitinib monitoring: at start, after 4-8 weeks, then every 3 months (pfizerpro UK/AU):
# a result older than this is shown as stale.
STALE_AFTER_DAYS: Final = 92


@dataclass(frozen=True, slots=True)
class GateResult:
    drug: str
    label: str
    phase: Phase
    analyte: str
    value: float | None
    unit: str
    measured_on: date | None
    threshold: str
    verdict: Verdict
    rule: str
    source: str
    stale: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "drug": self.drug,
            "label": self.label,
            "phase": self.phase,
            "analyte": self.analyte,
            "value": self.value,
            "unit": self.unit,
            "date": None if self.measured_on is None else self.measured_on.isoformat(),
            "stale": self.stale,
            "threshold": self.threshold,
            "verdict": self.verdict,
            "rule": self.rule,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class LabValue:
    value: float  # canonical unit: 10^9/L, hemoglobin g/dL
    on: date | None = None


def latest_values(labs: tuple[LabResult, ...], on: date) -> dict[str, LabValue]:
    """The latest value of each analyte on or before `on`, in canonical units."""
    out: dict[str, LabValue] = {}
    for lab in sorted(labs, key=lambda r: r.date):
        if lab.date > on or lab.value is None:
            continue
        value = lab.value
        if lab.unit is not None:
            try:
                value = to_canonical(lab.analyte, lab.value, lab.unit)
            except KeyError:
                continue
        out[lab.analyte] = LabValue(value, lab.date)
    return out


def evaluate(
    drug: str,
    phase: Phase,
    values: Mapping[str, LabValue],
    *,
    on: date | None = None,
    hemoglobin_drop_g_dl: float | None = None,
    labels: tuple[str, ...] | None = None,
) -> list[GateResult]:
    """Apply every rule of `drug` for `phase` to the values (missing value -> 'missing')."""
    out: list[GateResult] = []
    for rule in RULES:
        if rule.drug != drug or rule.phase != phase:
            continue
        if labels is not None and rule.label not in labels:
            continue
        lv = values.get(rule.analyte)
        unit = "g/dL" if rule.analyte == "hemoglobin" else "10^9/L"
        if lv is None:
            verdict: Verdict = "missing"
        else:
            verdict = rule.verdict if rule.fires(lv.value) else "ok"
        stale = bool(
            lv is not None
            and lv.on is not None
            and on is not None
            and (on - lv.on).days > STALE_AFTER_DAYS
        )
        out.append(
            GateResult(
                drug,
                rule.label,
                phase,
                rule.analyte,
                None if lv is None else lv.value,
                unit,
                None if lv is None else lv.on,
                rule.threshold_text,
                verdict,
                rule.quote,
                rule.source,
                stale,
            )
        )
    if drug == "tofacitinib" and phase == "on_treatment" and hemoglobin_drop_g_dl is not None:
        hb = values.get("hemoglobin")
        out.append(
            GateResult(
                drug,
                "US",
                phase,
                "hemoglobin",
                None if hb is None else hb.value,
                "g/dL",
                None if hb is None else hb.on,
                f"fall > {HB_DROP_G_DL:g} g/dL from baseline",
                "interrupt" if hemoglobin_drop_g_dl > HB_DROP_G_DL else "ok",
                HB_DROP_QUOTE,
                _TOFA_US,
            )
        )
    if drug in START_CBC_DRUGS and phase == "start":
        for analyte in ("neutrophils", "platelets", "hemoglobin"):
            lv = values.get(analyte)
            out.append(
                GateResult(
                    drug,
                    "cGVHD",
                    phase,
                    analyte,
                    None if lv is None else lv.value,
                    "g/dL" if analyte == "hemoglobin" else "10^9/L",
                    None if lv is None else lv.on,
                    "complete blood count before start",
                    "missing" if lv is None else "ok",
                    "Perform a complete blood count before initiating",
                    _RUX,
                )
            )
    return out


def worst(results: list[GateResult]) -> Verdict:
    verdict: Verdict = "ok"
    for r in results:
        if SEVERITY[r.verdict] > SEVERITY[verdict]:
            verdict = r.verdict
    return verdict


# --- calculator -------------------------------------------------------------------------


class LabGatingInput(BaseModel):
    """Blood counts against the JAK-inhibitor label thresholds."""

    model_config = ConfigDict(extra="forbid")

    drug: Literal["tofacitinib", "baricitinib", "ruxolitinib"]
    phase: Phase = Field(default="start", description="'start' or 'on_treatment'")
    label: Literal["US", "EU", "cGVHD"] | None = Field(
        default=None, description="only this label's rules (default: all of the drug's)"
    )
    counts_unit: Literal["10^9/L", "/mm3"] = Field(default="10^9/L")
    lymphocytes: float | None = Field(default=None, ge=0)
    neutrophils: float | None = Field(default=None, ge=0)
    platelets: float | None = Field(default=None, ge=0)
    hemoglobin_g_dl: float | None = Field(default=None, ge=0, le=25)
    hemoglobin_drop_g_dl: float | None = Field(
        default=None, description="fall of haemoglobin since the start of treatment"
    )


def _compute(data: LabGatingInput) -> Mapping[str, Any]:
    # 1 x10^9/L = 1000 /mm3 (10^9 per litre = 10^6 per mL = 10^3 per mm3).
    scale = 1000.0 if data.counts_unit == "/mm3" else 1.0
    values: dict[str, LabValue] = {}
    for analyte in ("lymphocytes", "neutrophils", "platelets"):
        v = getattr(data, analyte)
        if v is not None:
            values[analyte] = LabValue(v / scale)
    if data.hemoglobin_g_dl is not None:
        values["hemoglobin"] = LabValue(data.hemoglobin_g_dl)
    results = evaluate(
        data.drug,
        data.phase,
        values,
        hemoglobin_drop_g_dl=data.hemoglobin_drop_g_dl,
        labels=None if data.label is None else (data.label,),
    )
    return {
        "name": "jak_lab_gating",
        "version": "1",
        "source": "JAK-inhibitor labels (criteria-therapy spec §4.6)",
        "verdict": worst(results),
        "rules": [r.to_dict() for r in results],
        "assumptions": [],
    }


CALCULATOR: Final = Calculator(
    name="jak_lab_gating",
    title="JAK-inhibitor laboratory gating (label start/interrupt thresholds)",
    version="1",
    source="Xeljanz US/EU, Olumiant US/EU, Jakafi cGVHD labels",
    kind="therapy",
    input_model=LabGatingInput,
    compute=_compute,
)
