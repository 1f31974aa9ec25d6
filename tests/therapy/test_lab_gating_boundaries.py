"""Clinical review: every band of every label, tested at each edge (at, just below, just
above), written from the label's own words — the oracle is the label text, not the code.

* Tofacitinib US (Xeljanz US prescribing information 2.1 and Tables 1-3; Pfizer medical
  information; 120ty.net label copy; CONFIRMED in errata 2026-12 §8b):
  start — "Do not initiate ... lymphocyte count less than 500 cells/mm3, ANC less than 1000
  cells/mm3 or hemoglobin less than 9 g/dL";
  on treatment — lymphocytes "greater than or equal to 500: maintain; less than 500:
  discontinue"; ANC "greater than 1000: maintain; 500-1000: interrupt; less than 500:
  discontinue" (ANC exactly 1000 interrupts, errata §8b); Hb "less than or equal to 2 g/dL
  decrease and greater than or equal to 9.0 g/dL: maintain; greater than 2 g/dL decrease or
  less than 8.0 g/dL: interrupt" (Hb 8.0-8.9 with a fall <= 2: no label instruction).
* Tofacitinib EU/AU (pfizerpro UK): do not start if lymphocytes < 0.75 x10^9/L, ANC < 1.0,
  Hb < 9 g/dL. EU on-treatment bands are not applied (errata §8b).
* Baricitinib US (drugs.com) and EU (MIMS): ALC < 0.5, ANC < 1, Hb < 8 -> do not start;
  on treatment interrupt.
* Ruxolitinib cGVHD (hcp.jakafi.com): platelets < 20 -> one level lower; ANC < 0.75 -> one
  level lower; ANC < 0.5 -> hold; a complete blood count before the start.

1 x10^9/L = 1000/mm3 (10^9 per litre = 10^6 per mL = 10^3 per mm3).
"""

from __future__ import annotations

from datetime import date

import pytest

from myotrack.domain.model import LabResult
from myotrack.therapy.lab_gating import (
    EU_ON_TREATMENT_NOTE,
    RULES,
    LabValue,
    evaluate,
    latest_values,
)

# (drug, label, phase, analyte, value, expected verdict) — Hb rows of tofacitinib US on
# treatment are given with a fall of 0 g/dL (see the fall tests below).
Edge = tuple[str, str, str, str, float, str]
EDGES: list[Edge] = [
    # Tofacitinib US, start: < 500 lymphocytes, < 1000 ANC, < 9 g/dL Hb -> do not start.
    ("tofacitinib", "US", "start", "lymphocytes", 0.49, "do_not_start"),
    ("tofacitinib", "US", "start", "lymphocytes", 0.5, "ok"),
    ("tofacitinib", "US", "start", "lymphocytes", 0.51, "ok"),
    ("tofacitinib", "US", "start", "neutrophils", 0.99, "do_not_start"),
    ("tofacitinib", "US", "start", "neutrophils", 1.0, "ok"),
    ("tofacitinib", "US", "start", "neutrophils", 1.01, "ok"),
    ("tofacitinib", "US", "start", "hemoglobin", 8.9, "do_not_start"),
    ("tofacitinib", "US", "start", "hemoglobin", 9.0, "ok"),
    ("tofacitinib", "US", "start", "hemoglobin", 9.1, "ok"),
    # Tofacitinib US, on treatment, Table 1: >= 500 maintain; < 500 discontinue.
    ("tofacitinib", "US", "on_treatment", "lymphocytes", 0.49, "discontinue"),
    ("tofacitinib", "US", "on_treatment", "lymphocytes", 0.5, "ok"),
    ("tofacitinib", "US", "on_treatment", "lymphocytes", 0.51, "ok"),
    # Table 2: > 1000 maintain; 500-1000 interrupt; < 500 discontinue.
    ("tofacitinib", "US", "on_treatment", "neutrophils", 1.01, "ok"),
    ("tofacitinib", "US", "on_treatment", "neutrophils", 1.0, "interrupt"),
    ("tofacitinib", "US", "on_treatment", "neutrophils", 0.99, "interrupt"),
    ("tofacitinib", "US", "on_treatment", "neutrophils", 0.51, "interrupt"),
    ("tofacitinib", "US", "on_treatment", "neutrophils", 0.5, "interrupt"),
    ("tofacitinib", "US", "on_treatment", "neutrophils", 0.49, "discontinue"),
    # Table 3 with no fall: >= 9.0 maintain; 8.0-8.9 no label instruction; < 8.0 interrupt.
    ("tofacitinib", "US", "on_treatment", "hemoglobin", 9.01, "ok"),
    ("tofacitinib", "US", "on_treatment", "hemoglobin", 9.0, "ok"),
    ("tofacitinib", "US", "on_treatment", "hemoglobin", 8.99, "no_label_instruction"),
    ("tofacitinib", "US", "on_treatment", "hemoglobin", 8.01, "no_label_instruction"),
    ("tofacitinib", "US", "on_treatment", "hemoglobin", 8.0, "no_label_instruction"),
    ("tofacitinib", "US", "on_treatment", "hemoglobin", 7.99, "interrupt"),
    # Tofacitinib EU/AU, start: < 0.75, < 1.0, < 9.
    ("tofacitinib", "EU", "start", "lymphocytes", 0.74, "do_not_start"),
    ("tofacitinib", "EU", "start", "lymphocytes", 0.75, "ok"),
    ("tofacitinib", "EU", "start", "lymphocytes", 0.76, "ok"),
    ("tofacitinib", "EU", "start", "neutrophils", 0.99, "do_not_start"),
    ("tofacitinib", "EU", "start", "neutrophils", 1.0, "ok"),
    ("tofacitinib", "EU", "start", "neutrophils", 1.01, "ok"),
    ("tofacitinib", "EU", "start", "hemoglobin", 8.9, "do_not_start"),
    ("tofacitinib", "EU", "start", "hemoglobin", 9.0, "ok"),
    ("tofacitinib", "EU", "start", "hemoglobin", 9.1, "ok"),
    # Baricitinib US and EU: < 0.5, < 1.0, < 8 — start (do not start) and on treatment
    # (interrupt).
    *(
        row
        for label in ("US", "EU")
        for phase, action in (("start", "do_not_start"), ("on_treatment", "interrupt"))
        for row in (
            ("baricitinib", label, phase, "lymphocytes", 0.49, action),
            ("baricitinib", label, phase, "lymphocytes", 0.5, "ok"),
            ("baricitinib", label, phase, "lymphocytes", 0.51, "ok"),
            ("baricitinib", label, phase, "neutrophils", 0.99, action),
            ("baricitinib", label, phase, "neutrophils", 1.0, "ok"),
            ("baricitinib", label, phase, "neutrophils", 1.01, "ok"),
            ("baricitinib", label, phase, "hemoglobin", 7.9, action),
            ("baricitinib", label, phase, "hemoglobin", 8.0, "ok"),
            ("baricitinib", label, phase, "hemoglobin", 8.1, "ok"),
        )
    ),
    # Ruxolitinib cGVHD on treatment.
    ("ruxolitinib", "cGVHD", "on_treatment", "platelets", 19.9, "reduce_dose"),
    ("ruxolitinib", "cGVHD", "on_treatment", "platelets", 20.0, "ok"),
    ("ruxolitinib", "cGVHD", "on_treatment", "platelets", 20.1, "ok"),
    ("ruxolitinib", "cGVHD", "on_treatment", "neutrophils", 0.76, "ok"),
    ("ruxolitinib", "cGVHD", "on_treatment", "neutrophils", 0.75, "ok"),
    ("ruxolitinib", "cGVHD", "on_treatment", "neutrophils", 0.74, "reduce_dose"),
    ("ruxolitinib", "cGVHD", "on_treatment", "neutrophils", 0.51, "reduce_dose"),
    ("ruxolitinib", "cGVHD", "on_treatment", "neutrophils", 0.5, "reduce_dose"),
    ("ruxolitinib", "cGVHD", "on_treatment", "neutrophils", 0.49, "interrupt"),
    # Ruxolitinib start: a blood count is needed, any value.
    ("ruxolitinib", "cGVHD", "start", "neutrophils", 0.3, "ok"),
    ("ruxolitinib", "cGVHD", "start", "platelets", 300.0, "ok"),
    ("ruxolitinib", "cGVHD", "start", "hemoglobin", 11.0, "ok"),
]


def _verdict(
    drug: str, label: str, phase: str, analyte: str, value: float, fall: float | None = 0.0
) -> str:
    results = evaluate(
        drug,
        phase,  # type: ignore[arg-type]
        {analyte: LabValue(value)},
        labels=(label,),
        hemoglobin_drop_g_dl=fall,
    )
    (mine,) = [r for r in results if r.analyte == analyte]
    return mine.verdict


@pytest.mark.parametrize("edge", EDGES, ids=lambda e: f"{e[0]}-{e[1]}-{e[2]}-{e[3]}-{e[4]:g}")
def test_band_edge_follows_the_label_words(edge: Edge) -> None:
    drug, label, phase, analyte, value, expected = edge
    assert _verdict(drug, label, phase, analyte, value) == expected


def test_every_band_group_of_the_table_is_reviewed_here() -> None:
    reviewed = {(d, lbl, p, a) for d, lbl, p, a, _, _ in EDGES}
    in_code = {(r.drug, r.label, r.phase, r.analyte) for r in RULES}
    assert in_code == reviewed


def test_tofacitinib_anc_exactly_1000_interrupts_in_the_label_words() -> None:
    """Errata §8b: "ANC 500-1000 ... interrupt until ANC is greater than 1000" — 1000/mm3
    (1.0 x10^9/L) is inside the interrupt band, printed as the label words it."""
    results = evaluate(
        "tofacitinib", "on_treatment", {"neutrophils": LabValue(1.0)}, labels=("US",)
    )
    (r,) = [x for x in results if x.analyte == "neutrophils"]
    assert r.verdict == "interrupt" and r.status == "blocks"
    assert r.threshold == "ANC 500-1000 cells/mm3"
    assert "greater than 1000" in r.rule
    assert "ANC greater than 1000 cells/mm3: maintain" in r.bands


@pytest.mark.parametrize(
    ("fall", "expected"),
    [(1.99, "ok"), (2.0, "ok"), (2.01, "interrupt")],
)
def test_tofacitinib_haemoglobin_fall_of_more_than_2(fall: float, expected: str) -> None:
    """Hb 11 g/dL: a fall of 2.0 is "less than or equal to 2 g/dL decrease" (maintain); 2.01
    is "greater than 2 g/dL decrease" (interrupt)."""
    assert _verdict("tofacitinib", "US", "on_treatment", "hemoglobin", 11.0, fall) == expected


def test_tofacitinib_haemoglobin_without_a_baseline_cannot_be_assessed() -> None:
    """Hb 10 g/dL with no haemoglobin at the start: the maintain row needs the fall, so the
    band is undecided (missing), never "ok". Hb 7.9 interrupts whatever the fall."""
    assert _verdict("tofacitinib", "US", "on_treatment", "hemoglobin", 10.0, None) == "missing"
    assert _verdict("tofacitinib", "US", "on_treatment", "hemoglobin", 7.9, None) == "interrupt"
    (r,) = [
        x
        for x in evaluate(
            "tofacitinib",
            "on_treatment",
            {"hemoglobin": LabValue(8.5)},
            labels=("US",),
            hemoglobin_drop_g_dl=1.0,
        )
        if x.analyte == "hemoglobin"
    ]
    assert r.verdict == "no_label_instruction" and r.status == "cannot_assess"
    assert "no label instruction" in r.message


def test_missing_old_and_implausible_values_cannot_be_assessed() -> None:
    on = date(2024, 6, 1)
    # Missing: every band of the analyte is undecided and names the input.
    res = {r.analyte: r for r in evaluate("baricitinib", "start", {}, labels=("EU",), on=on)}
    assert {r.verdict for r in res.values()} == {"missing"}
    assert res["neutrophils"].needs[0].problem == "missing"
    # Older than the window: 91 days with a 90-day window.
    old = {"neutrophils": LabValue(3.0, date(2024, 3, 2))}
    (r,) = [
        x
        for x in evaluate("baricitinib", "start", old, labels=("EU",), on=on, window_days=90)
        if x.analyte == "neutrophils"
    ]
    assert r.verdict == "missing" and r.needs[0].problem == "out_of_window"
    assert r.needs[0].latest == date(2024, 3, 2)
    ok = {"neutrophils": LabValue(3.0, date(2024, 3, 3))}  # 90 days: inside
    (r,) = [
        x
        for x in evaluate("baricitinib", "start", ok, labels=("EU",), on=on, window_days=90)
        if x.analyte == "neutrophils"
    ]
    assert r.verdict == "ok"


def test_an_impossible_haemoglobin_is_named_not_used() -> None:
    """126 g/dL is a g/L value typed with the wrong unit: judged by domain.plausibility, the
    band cannot be assessed and the message names the value."""
    labs = (LabResult("P", date(2024, 5, 1), "hemoglobin", 126.0, "g/dL"),)
    values = latest_values(labs, date(2024, 5, 2))
    assert values["hemoglobin"].judgement == "impossible"
    (r,) = [
        x
        for x in evaluate("tofacitinib", "start", values, labels=("US",))
        if x.analyte == "hemoglobin"
    ]
    assert r.verdict == "missing" and r.needs[0].problem == "implausible"
    assert "126" in r.needs[0].name


def test_eu_on_treatment_bands_are_not_asserted() -> None:
    assert not [
        r
        for r in RULES
        if r.drug == "tofacitinib" and r.label == "EU" and r.phase == "on_treatment"
    ]
    assert "review source only" in EU_ON_TREATMENT_NOTE
