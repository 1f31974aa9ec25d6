"""Laboratory gating of JAK inhibitors: the label bands in which a JAK inhibitor should not be
started, or should be interrupted, reduced or stopped on treatment.

Every band is a data row with explicit inclusive/exclusive bounds, printed in the label's own
words ("ANC 500-1000 cells/mm3", "greater than 1000", "less than 500"). Sources
(shared/spec/criteria-therapy.md §4.6 and errata-2026-12.md §8b):

* Tofacitinib US (Xeljanz US prescribing information 2.1 and Tables 1-3; Pfizer medical
  information dosage page; older label copy 120ty.net) — CONFIRMED by two copies. On
  treatment: lymphocytes "greater than or equal to 500 maintain; less than 500 discontinue";
  ANC "greater than 1000 maintain; 500-1000 interrupt until ANC is greater than 1000; less
  than 500 discontinue" (so ANC exactly 1000 is in the interrupt band); haemoglobin "less
  than or equal to 2 g/dL decrease and greater than or equal to 9.0 g/dL maintain; greater
  than 2 g/dL decrease or less than 8.0 g/dL interrupt". Hb 8.0-8.9 g/dL with a fall of at
  most 2 g/dL is in neither row: reported as "no label instruction", never given a verdict.
* Tofacitinib EU/AU (pfizerpro UK): do not start if lymphocytes < 0.75 x10^9/L, ANC < 1.0,
  Hb < 9 g/dL. The EU on-treatment tables were not reached (errata §8b): they are NOT
  applied; `EU_ON_TREATMENT_NOTE` says so in the output ("review source only").
* Baricitinib US (drugs.com) and EU (MIMS) — do not start / interrupt if ALC < 0.5 x10^9/L,
  ANC < 1 x10^9/L, Hb < 8 g/dL.
* Ruxolitinib cGVHD (hcp.jakafi.com) — a complete blood count before the start; on
  treatment platelets < 20 x10^9/L and ANC < 0.75 -> one dose level lower; ANC < 0.5 ->
  hold up to 14 days.

Counts are in 10^9/L (1 x10^9/L = 1000/mm3), haemoglobin in g/dL. A rule row fires when all
its conditions hold; a condition on an input that is missing, too old or implausible is
unknown, and a band that cannot be decided is "missing" (cannot assess), never "ok".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from myotrack.domain import Calculator, LabResult
from myotrack.domain.units import to_canonical
from myotrack.therapy.status import Check as StatusCheck
from myotrack.therapy.status import CheckStatus, InputProblem, NeededInput

Phase = Literal["start", "on_treatment"]
Action = Literal["maintain", "do_not_start", "interrupt", "reduce_dose", "discontinue"]
Verdict = Literal[
    "ok",
    "do_not_start",
    "interrupt",
    "reduce_dose",
    "discontinue",
    "missing",
    "no_label_instruction",
    "unconfirmed",
]


@dataclass(frozen=True, slots=True)
class VerdictRow:
    """A verdict of a label band: how serious it is (the worst of several decides), which of
    the three honest states it gives, and its words. A rule that says do not start,
    interrupt, reduce or stop blocks (red); an undecidable band cannot be assessed (amber)."""

    verdict: Verdict
    severity: int
    status: CheckStatus
    words: str


# The one table of verdicts, least serious first.
VERDICTS: Final[tuple[VerdictRow, ...]] = (
    VerdictRow(verdict="ok", severity=0, status="nothing_blocks", words="ok"),
    VerdictRow(
        verdict="no_label_instruction",
        severity=1,
        status="cannot_assess",
        words="no label instruction",
    ),
    VerdictRow(verdict="missing", severity=1, status="cannot_assess", words="cannot assess"),
    VerdictRow(
        verdict="unconfirmed",
        severity=1,
        status="cannot_assess",
        words="repeat the test to confirm",
    ),
    VerdictRow(verdict="reduce_dose", severity=2, status="blocks", words="reduce dose"),
    VerdictRow(verdict="interrupt", severity=3, status="blocks", words="interrupt"),
    VerdictRow(verdict="do_not_start", severity=3, status="blocks", words="do not start"),
    VerdictRow(verdict="discontinue", severity=4, status="blocks", words="discontinue"),
)
# Views of the table by verdict.
SEVERITY: Final[dict[str, int]] = {r.verdict: r.severity for r in VERDICTS}
VERDICT_STATUS: Final[dict[str, CheckStatus]] = {r.verdict: r.status for r in VERDICTS}
VERDICT_WORDS: Final[dict[str, str]] = {r.verdict: r.words for r in VERDICTS}
ANALYTE_WORDS: Final[dict[str, str]] = {
    "lymphocytes": "lymphocytes",
    "neutrophils": "ANC",
    "hemoglobin": "haemoglobin",
    "platelets": "platelets",
    "hemoglobin_fall": "fall of haemoglobin since the start",
}

_TOFA_US: Final = (
    "Xeljanz US prescribing information 2.1 and Tables 1-3 (Pfizer medical information; "
    "120ty.net label copy) — CONFIRMED, errata 2026-12 §8b"
)
_TOFA_EU: Final = "Xeljanz EU/AU SmPC (pfizerpro UK/AU)"
_BARI_US: Final = "Olumiant US prescribing information (drugs.com reproduction)"
_BARI_EU: Final = "Olumiant EU SmPC (MIMS reproductions)"
_RUX: Final = "Jakafi cGVHD dose modifications (hcp.jakafi.com)"

EU_ON_TREATMENT_NOTE: Final = (
    "Tofacitinib EU on-treatment bands are not applied: the EU SmPC tables were not reached; "
    "the only reproduction (PMC6535722 Table 3, a review, for 10 mg twice daily) disagrees "
    "with the US label at ANC 1000 — review source only (errata 2026-12 §8b)"
)


CONFIRMATION_NOTE: Final = (
    "this calculator takes one value: the label bands marked '(confirmed by repeat testing)' "
    "or 'persistent decreases' are shown as if the value was confirmed; with one result the "
    "label asks for a repeat first (the patient view `myotrack check` says so)"
)


def _unit(analyte: str) -> str:
    return "g/dL" if analyte in ("hemoglobin", "hemoglobin_fall") else "x10^9/L"


@dataclass(frozen=True, slots=True)
class Bound:
    value: float
    inclusive: bool


def ge(x: float) -> Bound:
    return Bound(x, True)


def gt(x: float) -> Bound:
    return Bound(x, False)


def le(x: float) -> Bound:
    return Bound(x, True)


def lt(x: float) -> Bound:
    return Bound(x, False)


@dataclass(frozen=True, slots=True)
class Condition:
    """`input` lies between `low` and `high` (each inclusive or exclusive; None = open). With
    neither bound the condition only needs the input to be present."""

    input: str
    low: Bound | None = None
    high: Bound | None = None

    def holds(self, x: float) -> bool:
        if self.low is not None and not (
            x > self.low.value or (self.low.inclusive and x == self.low.value)
        ):
            return False
        return (
            self.high is None
            or x < self.high.value
            or (self.high.inclusive and x == self.high.value)
        )

    @property
    def text(self) -> str:
        name, unit = ANALYTE_WORDS.get(self.input, self.input), _unit(self.input)
        lo, hi = self.low, self.high
        if lo is None and hi is None:
            return f"{name} result"
        if lo is not None and hi is not None:
            left = "≤" if lo.inclusive else "<"
            right = "≤" if hi.inclusive else "<"
            return f"{lo.value:g} {left} {name} {right} {hi.value:g} {unit}"
        if lo is not None:
            return f"{name} {'≥' if lo.inclusive else '>'} {lo.value:g} {unit}"
        assert hi is not None
        return f"{name} {'≤' if hi.inclusive else '<'} {hi.value:g} {unit}"


@dataclass(frozen=True, slots=True)
class LabRule:
    """One band of one label: when all `when` conditions hold, the label says `action`.
    `words` is the band in the label's own words; `quote` the instruction."""

    drug: str
    label: str  # "US", "EU", "US/EU", "cGVHD"
    phase: Phase
    analyte: str  # the analyte the band belongs to (lymphocytes, neutrophils, ...)
    when: tuple[Condition, ...]
    action: Action
    words: str
    quote: str
    source: str
    status: str = "VERIFIED"
    # The label acts only on a result "confirmed by repeat testing" ("repeat") or on
    # "persistent decreases in this range" ("persistent"): one result alone is not enough
    # (Xeljanz US Tables 1-3). Applied when the caller passes the previous on-treatment
    # results (`evaluate(previous=...)`); a bare band lookup (the calculator) does not.
    confirm: Literal["repeat", "persistent"] | None = None

    @property
    def threshold_text(self) -> str:
        return " and ".join(c.text for c in self.when)

    @property
    def inputs(self) -> tuple[str, ...]:
        return tuple(c.input for c in self.when)


def _c(analyte: str, low: Bound | None = None, high: Bound | None = None) -> Condition:
    return Condition(analyte, low, high)


RULES: Final[tuple[LabRule, ...]] = (
    # --- Tofacitinib, US label, before start (2.1): "Do not initiate ... in patients with an
    # absolute lymphocyte count less than 500 cells/mm3, an ANC less than 1000 cells/mm3 or
    # who have hemoglobin levels less than 9 g/dL."
    LabRule(
        drug="tofacitinib",
        label="US",
        phase="start",
        analyte="lymphocytes",
        when=(_c("lymphocytes", high=lt(0.5)),),
        action="do_not_start",
        words="lymphocyte count less than 500 cells/mm3",
        quote="Do not initiate in patients with a lymphocyte count less than 500 cells/mm3",
        source=_TOFA_US,
        status="CONFIRMED",
    ),
    LabRule(
        drug="tofacitinib",
        label="US",
        phase="start",
        analyte="neutrophils",
        when=(_c("neutrophils", high=lt(1.0)),),
        action="do_not_start",
        words="ANC less than 1000 cells/mm3",
        quote="Do not initiate in patients with an ANC less than 1000 cells/mm3",
        source=_TOFA_US,
        status="CONFIRMED",
    ),
    LabRule(
        drug="tofacitinib",
        label="US",
        phase="start",
        analyte="hemoglobin",
        when=(_c("hemoglobin", high=lt(9.0)),),
        action="do_not_start",
        words="hemoglobin less than 9 g/dL",
        quote="Do not initiate in patients who have hemoglobin levels less than 9 g/dL",
        source=_TOFA_US,
        status="CONFIRMED",
    ),
    # --- Tofacitinib, US label, on treatment, Table 1 (lymphopenia).
    LabRule(
        drug="tofacitinib",
        label="US",
        phase="on_treatment",
        analyte="lymphocytes",
        when=(_c("lymphocytes", low=ge(0.5)),),
        action="maintain",
        words="lymphocyte count greater than or equal to 500 cells/mm3",
        quote="Maintain dose",
        source=_TOFA_US,
        status="CONFIRMED",
    ),
    LabRule(
        drug="tofacitinib",
        label="US",
        phase="on_treatment",
        analyte="lymphocytes",
        when=(_c("lymphocytes", high=lt(0.5)),),
        action="discontinue",
        words="lymphocyte count less than 500 cells/mm3",
        quote="Discontinue (confirmed by repeat testing)",
        source=_TOFA_US,
        status="CONFIRMED",
        confirm="repeat",
    ),
    # --- Table 2 (neutropenia): > 1000 maintain; 500-1000 interrupt; < 500 discontinue.
    LabRule(
        drug="tofacitinib",
        label="US",
        phase="on_treatment",
        analyte="neutrophils",
        when=(_c("neutrophils", low=gt(1.0)),),
        action="maintain",
        words="ANC greater than 1000 cells/mm3",
        quote="Maintain dose",
        source=_TOFA_US,
        status="CONFIRMED",
    ),
    LabRule(
        drug="tofacitinib",
        label="US",
        phase="on_treatment",
        analyte="neutrophils",
        when=(_c("neutrophils", low=ge(0.5), high=le(1.0)),),
        action="interrupt",
        words="ANC 500-1000 cells/mm3",
        quote="For persistent decreases in this range, interrupt dosing until ANC is greater "
        "than 1000 cells/mm3, then resume",
        source=_TOFA_US,
        status="CONFIRMED",
        confirm="persistent",
    ),
    LabRule(
        drug="tofacitinib",
        label="US",
        phase="on_treatment",
        analyte="neutrophils",
        when=(_c("neutrophils", high=lt(0.5)),),
        action="discontinue",
        words="ANC less than 500 cells/mm3",
        quote="Discontinue (confirmed by repeat testing)",
        source=_TOFA_US,
        status="CONFIRMED",
        confirm="repeat",
    ),
    # --- Table 3 (anaemia): the two rows leave Hb 8.0-8.9 with a fall <= 2 unassigned.
    LabRule(
        drug="tofacitinib",
        label="US",
        phase="on_treatment",
        analyte="hemoglobin",
        when=(_c("hemoglobin_fall", high=le(2.0)), _c("hemoglobin", low=ge(9.0))),
        action="maintain",
        words="less than or equal to 2 g/dL decrease and greater than or equal to 9.0 g/dL",
        quote="Maintain dose",
        source=_TOFA_US,
        status="CONFIRMED",
    ),
    LabRule(
        drug="tofacitinib",
        label="US",
        phase="on_treatment",
        analyte="hemoglobin",
        when=(_c("hemoglobin", high=lt(8.0)),),
        action="interrupt",
        words="less than 8.0 g/dL",
        quote="Interrupt until hemoglobin values have normalized (confirmed by repeat testing)",
        source=_TOFA_US,
        status="CONFIRMED",
        confirm="repeat",
    ),
    LabRule(
        drug="tofacitinib",
        label="US",
        phase="on_treatment",
        analyte="hemoglobin",
        when=(_c("hemoglobin_fall", low=gt(2.0)),),
        action="interrupt",
        words="greater than 2 g/dL decrease",
        quote="Interrupt until hemoglobin values have normalized (confirmed by repeat testing)",
        source=_TOFA_US,
        status="CONFIRMED",
        confirm="repeat",
    ),
    # --- Tofacitinib, EU/AU SmPC, before start (pfizerpro UK): < 0.75, < 1.0, < 9.
    LabRule(
        drug="tofacitinib",
        label="EU",
        phase="start",
        analyte="lymphocytes",
        when=(_c("lymphocytes", high=lt(0.75)),),
        action="do_not_start",
        words="lymphocyte count less than 0.75 x 10^9 cells/L",
        quote="Should not be initiated in patients with a lymphocyte count less than "
        "0.75 x 10^9 cells/L",
        source=_TOFA_EU,
        status="CONFIRMED",
    ),
    LabRule(
        drug="tofacitinib",
        label="EU",
        phase="start",
        analyte="neutrophils",
        when=(_c("neutrophils", high=lt(1.0)),),
        action="do_not_start",
        words="ANC less than 1.0 x 10^9 cells/L",
        quote="Should not be initiated in patients with an ANC less than 1.0 x 10^9 cells/L",
        source=_TOFA_EU,
        status="CONFIRMED",
    ),
    LabRule(
        drug="tofacitinib",
        label="EU",
        phase="start",
        analyte="hemoglobin",
        when=(_c("hemoglobin", high=lt(9.0)),),
        action="do_not_start",
        words="haemoglobin less than 9 g/dL",
        quote="Should not be initiated in patients with haemoglobin less than 9 g/dL",
        source=_TOFA_EU,
        status="CONFIRMED",
    ),
    # --- Baricitinib, US label: "not recommended" to start / interrupt if ALC < 500 cells/uL,
    # ANC < 1000 cells/uL, Hb < 8 g/dL (interrupt until back at or above the threshold).
    *(
        LabRule(
            drug="baricitinib",
            label=lbl,
            phase=phase,
            analyte=analyte,
            when=(_c(analyte, high=lt(value)),),
            action="do_not_start" if phase == "start" else "interrupt",
            words=words,
            quote=(
                f"Initiation not recommended with {words}"
                if phase == "start"
                else f"{words}: interrupt until {back}"
            ),
            source=src,
        )
        for lbl, src, unit_words in (
            ("US", _BARI_US, ("500 cells/uL", "1000 cells/uL", "8 g/dL")),
            ("EU", _BARI_EU, ("0.5 x 10^9 cells/L", "1 x 10^9 cells/L", "8 g/dL")),
        )
        for phase in ("start", "on_treatment")
        for analyte, value, words, back in (
            (
                "lymphocytes",
                0.5,
                f"ALC less than {unit_words[0]}",
                f"ALC is {unit_words[0]} or more",
            ),
            (
                "neutrophils",
                1.0,
                f"ANC less than {unit_words[1]}",
                f"ANC is {unit_words[1]} or more",
            ),
            (
                "hemoglobin",
                8.0,
                f"haemoglobin less than {unit_words[2]}",
                f"haemoglobin is {unit_words[2]} or more",
            ),
        )
    ),
    # --- Ruxolitinib: a complete blood count before the start (no numeric threshold).
    *(
        LabRule(
            drug="ruxolitinib",
            label="cGVHD",
            phase="start",
            analyte=analyte,
            when=(_c(analyte),),
            action="maintain",
            words="complete blood count before the start",
            quote="Perform a complete blood count before initiating",
            source=_RUX,
        )
        for analyte in ("neutrophils", "platelets", "hemoglobin")
    ),
    # --- Ruxolitinib cGVHD on treatment: platelets < 20 -> one level lower; ANC < 0.75 -> one
    # level lower; ANC < 0.5 -> hold up to 14 days, resume one level lower.
    LabRule(
        drug="ruxolitinib",
        label="cGVHD",
        phase="on_treatment",
        analyte="platelets",
        when=(_c("platelets", high=lt(20.0)),),
        action="reduce_dose",
        words="platelets less than 20 x 10^9/L",
        quote="Reduce by one dose level (return to the previous level if resolved within 7 days)",
        source=_RUX,
    ),
    LabRule(
        drug="ruxolitinib",
        label="cGVHD",
        phase="on_treatment",
        analyte="neutrophils",
        when=(_c("neutrophils", low=ge(0.5), high=lt(0.75)),),
        action="reduce_dose",
        words="ANC less than 0.75 x 10^9/L (and not less than 0.5)",
        quote="Reduce by one dose level",
        source=_RUX,
    ),
    LabRule(
        drug="ruxolitinib",
        label="cGVHD",
        phase="on_treatment",
        analyte="neutrophils",
        when=(_c("neutrophils", high=lt(0.5)),),
        action="interrupt",
        words="ANC less than 0.5 x 10^9/L",
        quote="Hold for up to 14 days; resume one dose level lower when ANC is greater than "
        "1.0 x 10^9/L",
        source=_RUX,
    ),
)

# Tofacitinib US label, Table 3: a haemoglobin fall of more than 2 g/dL -> interrupt.
HB_DROP_G_DL: Final = 2.0


Judgement = Literal["implausible", "impossible"]


@dataclass(frozen=True, slots=True)
class LabValue:
    value: float  # canonical unit: 10^9/L, haemoglobin g/dL
    on: date | None = None
    judgement: Judgement | None = None  # from myotrack.domain.plausibility
    judgement_message: str = ""


def plausibility_of(analyte: str, value: float, unit: str) -> tuple[Judgement | None, str]:
    """The judgement of `myotrack.domain.plausibility.judge_lab` (hard limits = impossible,
    soft = implausible) with its message; (None, "") when the value is plausible or the
    unit is not one the analyte accepts."""
    from myotrack.domain import judge_lab

    try:
        verdict = judge_lab(analyte, value, unit)
    except KeyError:
        return None, ""
    if verdict.level == "ok":
        return None, ""
    return verdict.level, verdict.message


def latest_values(labs: tuple[LabResult, ...], on: date) -> dict[str, LabValue]:
    """The latest value of each analyte on or before `on`, in canonical units, with the
    plausibility judgement of the value as reported."""
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
        judgement, message = (None, "")
        if lab.unit is not None:
            judgement, message = plausibility_of(lab.analyte, lab.value, lab.unit)
        out[lab.analyte] = LabValue(value, lab.date, judgement, message)
    return out


def previous_values(labs: tuple[LabResult, ...], on: date, since: date) -> dict[str, LabValue]:
    """For each analyte, the result before the latest one among those dated from `since`
    (the start of treatment) to `on`: the earlier of two on-treatment results, which a
    label's "confirmed by repeat testing" or "persistent" needs besides the latest."""
    dated: dict[str, list[LabResult]] = {}
    for lab in sorted(labs, key=lambda r: r.date):
        if since <= lab.date <= on and lab.value is not None:
            dated.setdefault(lab.analyte, []).append(lab)
    out: dict[str, LabValue] = {}
    for analyte, found in dated.items():
        if len(found) < 2:
            continue
        got = latest_values((found[-2],), found[-2].date)
        if analyte in got:
            out[analyte] = got[analyte]
    return out


@dataclass(frozen=True, slots=True)
class GateResult:
    """The verdict of one label's bands for one analyte, with what it looked at."""

    drug: str
    label: str
    phase: Phase
    analyte: str
    value: float | None
    unit: str
    measured_on: date | None
    threshold: str  # the band that decided, in the label's words
    verdict: Verdict
    rule: str  # the label's instruction
    source: str
    stale: bool = False
    needs: tuple[NeededInput, ...] = ()
    bands: tuple[str, ...] = ()  # every band of this label for this analyte, label words
    status_note: str | None = None  # e.g. CONFIRMED

    @property
    def status(self) -> CheckStatus:
        return VERDICT_STATUS[self.verdict]

    @property
    def verdict_words(self) -> str:
        return VERDICT_WORDS[self.verdict]

    @property
    def evidence(self) -> str | None:
        if self.value is None:
            return None
        when = "" if self.measured_on is None else f" on {self.measured_on.isoformat()}"
        return f"{ANALYTE_WORDS.get(self.analyte, self.analyte)} {self.value:g} {self.unit}{when}"

    @property
    def message(self) -> str:
        name = ANALYTE_WORDS.get(self.analyte, self.analyte)
        if self.verdict == "missing":
            return f"{self.drug} ({self.label}) {name}: cannot assess — " + "; ".join(
                n.message for n in self.needs
            )
        if self.verdict == "no_label_instruction":
            return (
                f"{self.drug} ({self.label}) {name}: no label instruction for this value "
                f"({self.evidence}); the label's bands: {' | '.join(self.bands)}"
            )
        seen = "" if self.evidence is None else f" ({self.evidence})"
        if self.verdict == "unconfirmed":
            return (
                f"{self.drug} ({self.label}) {name}{seen}: in the band '{self.threshold}' "
                f"once — {self.rule}"
            )
        if self.verdict == "ok":
            return f"{self.drug} ({self.label}) {name}{seen}: {self.threshold} — {self.rule}"
        return (
            f"{self.drug} ({self.label}) {name}{seen}: {self.threshold} — "
            f"{self.verdict_words}: {self.rule}"
        )

    def check(self) -> StatusCheck:
        return StatusCheck(
            section="lab_gating",
            name=f"{self.drug} {self.label} {self.analyte}",
            status=self.status,
            message=self.message,
            source=self.source,
            needs=self.needs,
            drug=self.drug,
            label=self.label,
            action=self.verdict_words,
            evidence=self.evidence,
        )

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
            "status": self.status,
            "rule": self.rule,
            "source": self.source,
            "needs": [n.to_dict() for n in self.needs],
            "bands": list(self.bands),
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class _Input:
    value: float | None
    problem: InputProblem | None
    on: date | None = None
    why: str = ""


def _inputs(
    values: Mapping[str, LabValue],
    on: date | None,
    window_days: int | None,
    hemoglobin_drop_g_dl: float | None,
) -> dict[str, _Input]:
    out: dict[str, _Input] = {}
    for analyte in ("lymphocytes", "neutrophils", "hemoglobin", "platelets"):
        lv = values.get(analyte)
        if lv is None:
            out[analyte] = _Input(None, "missing")
        elif lv.judgement is not None:
            out[analyte] = _Input(lv.value, "implausible", lv.on, lv.judgement_message)
        elif (
            window_days is not None
            and on is not None
            and lv.on is not None
            and (on - lv.on).days > window_days
        ):
            out[analyte] = _Input(lv.value, "out_of_window", lv.on)
        else:
            out[analyte] = _Input(lv.value, None, lv.on)
    out["hemoglobin_fall"] = (
        _Input(None, "missing")
        if hemoglobin_drop_g_dl is None
        else _Input(hemoglobin_drop_g_dl, None)
    )
    return out


def _need(name: str, inp: _Input, window: str, value_unit: str) -> NeededInput:
    assert inp.problem is not None
    label = ANALYTE_WORDS.get(name, name)
    if inp.problem == "implausible" and inp.value is not None:
        label = inp.why or f"{label} {inp.value:g} {value_unit}"
        window = f"a plausible value ({window})"
    return NeededInput(label, inp.problem, window, latest=inp.on)


def evaluate(
    drug: str,
    phase: Phase,
    values: Mapping[str, LabValue],
    *,
    on: date | None = None,
    hemoglobin_drop_g_dl: float | None = None,
    labels: tuple[str, ...] | None = None,
    window_days: int | None = None,
    window_words: str | None = None,
    previous: Mapping[str, LabValue] | None = None,
    previous_hemoglobin_drop_g_dl: float | None = None,
) -> list[GateResult]:
    """Apply every band of `drug` for `phase`: one result per (label, analyte).

    A value older than `window_days` before `on`, or judged implausible, is not used: the
    band is then "missing" (cannot assess) and names the input and the window it needs.

    `previous` (the result before the latest of each analyte, measured on treatment) turns
    on the label's confirmation words: a band that acts only on a result "confirmed by
    repeat testing" or on a "persistent" decrease fires when the previous result is in that
    band or a worse one too; with the latest result alone it is "unconfirmed" (cannot
    assess: repeat the test). Without `previous` (None) the bands are a plain lookup."""
    window = window_words or (
        f"a result within {window_days} days" if window_days is not None else "a result"
    )
    inputs = _inputs(values, on, window_days, hemoglobin_drop_g_dl)
    before = (
        None if previous is None else _inputs(previous, None, None, previous_hemoglobin_drop_g_dl)
    )
    groups: dict[tuple[str, str], list[LabRule]] = {}
    for rule in RULES:
        if rule.drug != drug or rule.phase != phase:
            continue
        if labels is not None and rule.label not in labels:
            continue
        groups.setdefault((rule.label, rule.analyte), []).append(rule)
    out: list[GateResult] = []
    for (label, analyte), rules in groups.items():
        out.append(_group(drug, phase, label, analyte, rules, inputs, window, before))
    return out


def _truth(rule: LabRule, inputs: Mapping[str, _Input]) -> bool | None:
    unknown = False
    for cond in rule.when:
        inp = inputs[cond.input]
        if inp.problem is not None or inp.value is None:
            unknown = True
        elif not cond.holds(inp.value):
            return False
    return None if unknown else True


def _group(
    drug: str,
    phase: Phase,
    label: str,
    analyte: str,
    rules: list[LabRule],
    inputs: Mapping[str, _Input],
    window: str,
    before: Mapping[str, _Input] | None = None,
) -> GateResult:
    main = inputs[analyte]
    unit = _unit(analyte)
    truths = [(r, _truth(r, inputs)) for r in rules]
    fired = [r for r, t in truths if t is True and r.action != "maintain"]
    unknown = [r for r, t in truths if t is None]
    maintain = [r for r, t in truths if t is True and r.action == "maintain"]
    bands = tuple(f"{r.words}: {VERDICT_WORDS.get(r.action, r.action)}" for r in rules)
    base = GateResult(
        drug=drug,
        label=label,
        phase=phase,
        analyte=analyte,
        value=main.value,
        unit=unit,
        measured_on=main.on,
        threshold="",
        verdict="ok",
        rule="",
        source=rules[0].source,
        stale=main.problem == "out_of_window",
        bands=bands,
        status_note=rules[0].status,
    )
    if fired:
        worst_rule = max(fired, key=lambda r: SEVERITY[r.action])
        action: Verdict = worst_rule.action  # type: ignore[assignment]
        if (
            before is not None
            and worst_rule.confirm is not None
            and not _confirmed(worst_rule, rules, before)
        ):
            return _unconfirmed(base, worst_rule, main)
        return replace(base, threshold=worst_rule.words, verdict=action, rule=worst_rule.quote)
    if unknown:
        names = sorted({c.input for r in unknown for c in r.when if inputs[c.input].problem})
        needs = tuple(
            _need(
                n,
                inputs[n],
                "the haemoglobin at the start of treatment and a current one"
                if n == "hemoglobin_fall"
                else window,
                _unit(n),
            )
            for n in names
        )
        return replace(
            base,
            threshold=" | ".join(r.words for r in rules),
            verdict="missing",
            rule="the band cannot be decided without these inputs",
            needs=needs,
        )
    if maintain:
        return replace(base, threshold=maintain[0].words, rule=maintain[0].quote)
    if any(r.action == "maintain" for r in rules):
        return replace(
            base,
            threshold="outside every band of the label",
            verdict="no_label_instruction",
            rule="the label gives no instruction for this value",
        )
    return replace(
        base,
        threshold="outside the label's band ("
        + " | ".join(f"{r.words}: {VERDICT_WORDS.get(r.action, r.action)}" for r in rules)
        + ")",
        rule="no band of this label fires",
    )


def _confirmed(rule: LabRule, rules: list[LabRule], before: Mapping[str, _Input]) -> bool:
    """The previous on-treatment result is in `rule`'s band or in a band of the same
    analyte that says at least as much (e.g. ANC < 500 after ANC 500-1000)."""
    return any(
        _truth(r, before) is True
        for r in rules
        if r.action != "maintain" and SEVERITY[r.action] >= SEVERITY[rule.action]
    )


def _unconfirmed(base: GateResult, rule: LabRule, main: _Input) -> GateResult:
    name = ANALYTE_WORDS.get(base.analyte, base.analyte)
    what = (
        "a persistent decrease in this range"
        if rule.confirm == "persistent"
        else "a result confirmed by repeat testing"
    )
    need = NeededInput(
        f"a repeat {name} on treatment",
        "missing",
        f"to confirm the band '{rule.words}' (label: {VERDICT_WORDS[rule.action]} on {what})",
        latest=main.on,
    )
    return replace(
        base,
        threshold=rule.words,
        verdict="unconfirmed",
        rule=(
            f"the label says '{rule.quote}' and acts on {what}: repeat the {name} now; "
            f"{VERDICT_WORDS[rule.action]} if the repeat is in this band"
        ),
        needs=(need,),
    )


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
    assumptions = []
    if data.drug == "tofacitinib" and data.phase == "on_treatment":
        assumptions.append(EU_ON_TREATMENT_NOTE)
        assumptions.append(CONFIRMATION_NOTE)
    return {
        "name": "jak_lab_gating",
        "version": "2",
        "source": "JAK-inhibitor labels (criteria-therapy spec §4.6; errata 2026-12 §8b)",
        "verdict": worst(results),
        "rules": [r.to_dict() for r in results],
        "assumptions": assumptions,
    }


CALCULATOR: Final = Calculator(
    name="jak_lab_gating",
    title="JAK-inhibitor laboratory gating (label start/interrupt thresholds)",
    version="2",
    source="Xeljanz US/EU, Olumiant US/EU, Jakafi cGVHD labels",
    kind="therapy",
    input_model=LabGatingInput,
    compute=_compute,
)
