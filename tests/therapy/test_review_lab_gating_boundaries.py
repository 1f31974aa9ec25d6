"""Clinical review: every laboratory threshold of the JAK-inhibitor gating table, tested at
its boundary (worked examples).

The shared test vectors (criteria-therapy-testvectors.json, LAB-1..LAB-8) use values far from
the thresholds, so a threshold could drift without any test failing. Each row below is
written from the label text quoted in shared/spec/criteria-therapy.md §4.6 (VERIFIED from
label reproductions):

* Tofacitinib US label (Pfizer medical information 2.1 and Table 1): do not start if
  ALC < 500/mm³ (0.5 ×10⁹/L), ANC < 1000/mm³ (1.0), Hb < 9 g/dL; on treatment ALC < 500
  confirmed -> discontinue; ANC 500-1000 -> interrupt; ANC < 500 -> discontinue;
  Hb < 8 g/dL or a fall > 2 g/dL -> interrupt.
* Tofacitinib EU/AU SmPC (pfizerpro UK/AU): do not start if lymphocytes < 0.75 ×10⁹/L,
  ANC < 1.0 ×10⁹/L, Hb < 9 g/dL.
* Baricitinib US label (drugs.com) and EU SmPC (MIMS): ALC < 0.5, ANC < 1.0, Hb < 8 g/dL,
  at start (do not start) and on treatment (interrupt).
* Ruxolitinib cGVHD (hcp.jakafi.com): platelets < 20 ×10⁹/L -> one dose level lower;
  ANC < 0.75 -> one level lower; ANC < 0.5 -> hold (interrupt).

Every rule is "value < threshold" (strict): a value exactly at the threshold passes, and a
value 0.01 below it fires. 1 ×10⁹/L = 1000/mm³ (10⁹ per litre = 10⁶ per mL = 10³ per mm³).
"""

from __future__ import annotations

import pytest

from myotrack.therapy.lab_gating import (
    HB_DROP_G_DL,
    RULES,
    STALE_AFTER_DAYS,
    LabValue,
    evaluate,
    worst,
)

# (drug, label, phase, analyte, threshold, verdict just below it)
THRESHOLDS: list[tuple[str, str, str, str, float, str]] = [
    # Tofacitinib, US label, before start: ALC 500/mm3, ANC 1000/mm3, Hb 9 g/dL.
    ("tofacitinib", "US", "start", "lymphocytes", 0.5, "do_not_start"),
    ("tofacitinib", "US", "start", "neutrophils", 1.0, "do_not_start"),
    ("tofacitinib", "US", "start", "hemoglobin", 9.0, "do_not_start"),
    # Tofacitinib, US label, on treatment: ALC < 500 discontinue; ANC < 1000 interrupt
    # (the 500-1000 band); Hb < 8 interrupt.
    ("tofacitinib", "US", "on_treatment", "lymphocytes", 0.5, "discontinue"),
    ("tofacitinib", "US", "on_treatment", "neutrophils", 1.0, "interrupt"),
    ("tofacitinib", "US", "on_treatment", "hemoglobin", 8.0, "interrupt"),
    # Tofacitinib, EU/AU SmPC, before start: lymphocytes 0.75, ANC 1.0, Hb 9.
    ("tofacitinib", "EU", "start", "lymphocytes", 0.75, "do_not_start"),
    ("tofacitinib", "EU", "start", "neutrophils", 1.0, "do_not_start"),
    ("tofacitinib", "EU", "start", "hemoglobin", 9.0, "do_not_start"),
    # Baricitinib, US and EU: ALC 0.5, ANC 1.0, Hb 8 — start and on treatment.
    ("baricitinib", "US", "start", "lymphocytes", 0.5, "do_not_start"),
    ("baricitinib", "US", "start", "neutrophils", 1.0, "do_not_start"),
    ("baricitinib", "US", "start", "hemoglobin", 8.0, "do_not_start"),
    ("baricitinib", "US", "on_treatment", "lymphocytes", 0.5, "interrupt"),
    ("baricitinib", "US", "on_treatment", "neutrophils", 1.0, "interrupt"),
    ("baricitinib", "US", "on_treatment", "hemoglobin", 8.0, "interrupt"),
    ("baricitinib", "EU", "start", "lymphocytes", 0.5, "do_not_start"),
    ("baricitinib", "EU", "start", "neutrophils", 1.0, "do_not_start"),
    ("baricitinib", "EU", "start", "hemoglobin", 8.0, "do_not_start"),
    ("baricitinib", "EU", "on_treatment", "lymphocytes", 0.5, "interrupt"),
    ("baricitinib", "EU", "on_treatment", "neutrophils", 1.0, "interrupt"),
    ("baricitinib", "EU", "on_treatment", "hemoglobin", 8.0, "interrupt"),
    # Ruxolitinib cGVHD: platelets 20 -> one level lower; ANC 0.75 -> one level lower.
    ("ruxolitinib", "cGVHD", "on_treatment", "platelets", 20.0, "reduce_dose"),
    ("ruxolitinib", "cGVHD", "on_treatment", "neutrophils", 0.75, "reduce_dose"),
]


def _verdict(drug: str, label: str, phase: str, analyte: str, value: float) -> str:
    results = evaluate(
        drug,
        phase,  # type: ignore[arg-type]
        {analyte: LabValue(value)},
        labels=(label,),
    )
    mine = [r for r in results if r.analyte == analyte and r.label == label]
    assert mine, f"no {label} rule for {drug} {phase} {analyte}"
    return worst(mine)


@pytest.mark.parametrize("row", THRESHOLDS, ids=lambda r: f"{r[0]}-{r[1]}-{r[2]}-{r[3]}-{r[4]:g}")
def test_threshold_is_strict_and_in_the_label_place(
    row: tuple[str, str, str, str, float, str],
) -> None:
    drug, label, phase, analyte, threshold, verdict = row
    # Worked example: at exactly the threshold the label rule ("less than") does not fire.
    assert _verdict(drug, label, phase, analyte, threshold) == "ok"
    # 0.01 below the threshold it fires with the label's action.
    assert _verdict(drug, label, phase, analyte, round(threshold - 0.01, 2)) == verdict


def test_every_rule_of_the_table_is_reviewed_here() -> None:
    """The table above lists every single-threshold rule; the two lower bands (tofacitinib
    US ANC < 0.5, ruxolitinib ANC < 0.5) are tested below. A new rule must be added here."""
    reviewed = {(d, lbl, p, a, t) for d, lbl, p, a, t, _ in THRESHOLDS}
    reviewed |= {
        ("tofacitinib", "US", "on_treatment", "neutrophils", 0.5),
        ("ruxolitinib", "cGVHD", "on_treatment", "neutrophils", 0.5),
    }
    in_code = {(r.drug, r.label, r.phase, r.analyte, r.below) for r in RULES}
    assert in_code == reviewed


def test_tofacitinib_us_neutrophil_bands() -> None:
    """US label: ANC 500-1000/mm³ -> interrupt; ANC < 500/mm³ -> discontinue.
    1.0 ok | 0.99 interrupt | 0.5 interrupt (500 is inside the 500-1000 band) | 0.49 stop."""
    args = ("tofacitinib", "US", "on_treatment", "neutrophils")
    assert _verdict(*args, 1.0) == "ok"
    assert _verdict(*args, 0.99) == "interrupt"
    assert _verdict(*args, 0.5) == "interrupt"
    assert _verdict(*args, 0.49) == "discontinue"


def test_ruxolitinib_neutrophil_bands() -> None:
    """cGVHD: ANC < 0.75 -> one dose level lower; ANC < 0.5 -> hold up to 14 days.
    0.75 ok | 0.74 reduce | 0.5 reduce | 0.49 hold (interrupt)."""
    args = ("ruxolitinib", "cGVHD", "on_treatment", "neutrophils")
    assert _verdict(*args, 0.75) == "ok"
    assert _verdict(*args, 0.74) == "reduce_dose"
    assert _verdict(*args, 0.5) == "reduce_dose"
    assert _verdict(*args, 0.49) == "interrupt"


def test_tofacitinib_haemoglobin_fall_more_than_2() -> None:
    """US label: a fall of *more than* 2 g/dL -> interrupt. Hb 11 g/dL (fine by itself):
    a fall of 2.0 -> ok; a fall of 2.1 -> interrupt."""
    assert HB_DROP_G_DL == 2.0

    def drop_verdict(drop: float) -> str:
        res = evaluate(
            "tofacitinib",
            "on_treatment",
            {"hemoglobin": LabValue(11.0)},
            labels=("US",),
            hemoglobin_drop_g_dl=drop,
        )
        return worst([r for r in res if r.analyte == "hemoglobin"])

    assert drop_verdict(2.0) == "ok"
    assert drop_verdict(2.1) == "interrupt"


def test_result_older_than_three_months_is_stale() -> None:
    """Monitoring every 3 months (tofacitinib, pfizerpro UK/AU) -> a result older than 92
    days is flagged stale: measured 1 Jan, checked 3 Apr (92 days) fresh, 4 Apr (93) stale."""
    from datetime import date

    assert STALE_AFTER_DAYS == 92

    def stale(on: date) -> bool:
        res = evaluate(
            "tofacitinib",
            "start",
            {"lymphocytes": LabValue(1.5, date(2025, 1, 1))},
            on=on,
            labels=("US",),
        )
        return next(r for r in res if r.analyte == "lymphocytes").stale

    assert not stale(date(2025, 4, 3))
    assert stale(date(2025, 4, 4))
