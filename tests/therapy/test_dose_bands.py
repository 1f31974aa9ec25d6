"""Clinical review: every edge of every JAK-inhibitor dose band, as worked examples.

Bands are [low, high): a child exactly at an edge gets the dose of the band above it.
Sources (shared/spec/criteria-therapy.md §4):
* Ding Y et al. Ann Rheum Dis 2021;80:543-545 (seed series): < 25 kg 2.5 mg BID,
  >= 25 kg 5 mg BID (VERIFIED, §4.1).
* Xeljanz (tofacitinib) US label, pcJIA, age >= 2 y: 10-<20 kg 3.2 mg BID, 20-<40 kg 4 mg BID,
  >= 40 kg 5 mg BID, < 10 kg not established (§4.3, VERIFIED secondary label reproductions).
* Olumiant (baricitinib) EU SmPC, JIA, age >= 2 y: 10-<30 kg 2 mg QD, >= 30 kg 4 mg QD
  (§4.5; CONFIRMED by errata 2026-12 §8a; < 10 kg is not covered by the label).
* Ruxolitinib REACH4 (Locatelli F et al. Blood 2024;144:2095, abstract read during this
  review: group 1 >= 12 to < 18 y 10 mg BID, group 2 >= 6 to < 12 y 5 mg BID, group 3
  >= 2 to < 6 y 4 mg/m² BID, confirmed as the recommended phase 2 dose); < 2 y not studied.
"""

from __future__ import annotations

import pytest

from myotrack.therapy.dosing import (
    BARICITINIB_EU_JIA,
    DING_2021,
    RUXOLITINIB_REACH4,
    TOFACITINIB_PCJIA,
    DoseRule,
    suggest,
)

# (rule, drug, weight_kg, age_years, bsa_m2, expected mg per dose or None, frequency)
Case = tuple[DoseRule, str, float | None, float | None, float | None, float | None, str | None]
CASES: list[Case] = [
    # Ding 2021: 24.9 kg -> 2.5 mg BID; 25.0 kg -> 5 mg BID.
    (DING_2021, "ruxolitinib", 24.9, 8, None, 2.5, "BID"),
    (DING_2021, "tofacitinib", 25.0, 8, None, 5.0, "BID"),
    (DING_2021, "tofacitinib", 25.1, 8, None, 5.0, "BID"),
    # Tofacitinib pcJIA: 9.9 kg none; 10 -> 3.2; 19.9 -> 3.2; 20 -> 4; 39.9 -> 4; 40 -> 5.
    (TOFACITINIB_PCJIA, "tofacitinib", 9.9, 3, None, None, None),
    (TOFACITINIB_PCJIA, "tofacitinib", 10.0, 3, None, 3.2, "BID"),
    (TOFACITINIB_PCJIA, "tofacitinib", 19.9, 5, None, 3.2, "BID"),
    (TOFACITINIB_PCJIA, "tofacitinib", 20.0, 5, None, 4.0, "BID"),
    (TOFACITINIB_PCJIA, "tofacitinib", 39.9, 12, None, 4.0, "BID"),
    (TOFACITINIB_PCJIA, "tofacitinib", 40.0, 12, None, 5.0, "BID"),
    # Just above each edge: 10.1 -> 3.2; 20.1 -> 4; 40.1 -> 5.
    (TOFACITINIB_PCJIA, "tofacitinib", 10.1, 3, None, 3.2, "BID"),
    (TOFACITINIB_PCJIA, "tofacitinib", 20.1, 5, None, 4.0, "BID"),
    (TOFACITINIB_PCJIA, "tofacitinib", 40.1, 12, None, 5.0, "BID"),
    # Baricitinib EU JIA: 9.9 kg none; 10 -> 2 mg QD; 29.9 -> 2 mg QD; 30 -> 4 mg QD.
    (BARICITINIB_EU_JIA, "baricitinib", 9.9, 3, None, None, None),
    (BARICITINIB_EU_JIA, "baricitinib", 10.0, 3, None, 2.0, "QD"),
    (BARICITINIB_EU_JIA, "baricitinib", 29.9, 9, None, 2.0, "QD"),
    (BARICITINIB_EU_JIA, "baricitinib", 30.0, 9, None, 4.0, "QD"),
    # Ruxolitinib REACH4 by age: 1.9 y none; 2 y with BSA 0.55 m² -> 4 × 0.55 = 2.2 mg BID;
    # 5.9 y, BSA 0.8 -> 3.2 mg BID; 6 y -> 5 mg BID; 11.9 y -> 5 mg BID; 12 y -> 10 mg BID.
    (RUXOLITINIB_REACH4, "ruxolitinib", None, 1.9, 0.5, None, None),
    (RUXOLITINIB_REACH4, "ruxolitinib", None, 2.0, 0.55, 2.2, "BID"),
    (RUXOLITINIB_REACH4, "ruxolitinib", None, 5.9, 0.8, 3.2, "BID"),
    (RUXOLITINIB_REACH4, "ruxolitinib", None, 6.0, None, 5.0, "BID"),
    (RUXOLITINIB_REACH4, "ruxolitinib", None, 11.9, None, 5.0, "BID"),
    (RUXOLITINIB_REACH4, "ruxolitinib", None, 12.0, None, 10.0, "BID"),
    # Just above: 2.1 y (BSA 0.55) -> 2.2 mg; 6.1 y -> 5 mg; 12.1 y -> 10 mg.
    (RUXOLITINIB_REACH4, "ruxolitinib", None, 2.1, 0.55, 2.2, "BID"),
    (RUXOLITINIB_REACH4, "ruxolitinib", None, 6.1, None, 5.0, "BID"),
    (RUXOLITINIB_REACH4, "ruxolitinib", None, 12.1, None, 10.0, "BID"),
]


@pytest.mark.parametrize(
    "case",
    CASES,
    ids=lambda c: f"{c[0].rule_id}-w{c[2]}-a{c[3]}",
)
def test_band_edges(case: Case) -> None:
    rule, drug, weight, age, bsa, mg, freq = case
    s = suggest(rule, drug, weight_kg=weight, age_years=age, bsa_m2=bsa)
    assert s is not None
    assert s.dose_mg == (None if mg is None else pytest.approx(mg))
    assert s.frequency == freq
    assert s.off_label  # no JAK inhibitor is licensed for JDM


@pytest.mark.parametrize("rule", [TOFACITINIB_PCJIA, BARICITINIB_EU_JIA], ids=lambda r: r.rule_id)
def test_label_bands_start_at_two_years(rule: DoseRule) -> None:
    """Both JIA labels are for children aged >= 2 years: a 15 kg child of 1.9 y gets no
    dose, the same child at 2.0 y gets the 10 kg band dose (tofacitinib 3.2 mg BID,
    baricitinib 2 mg QD)."""
    drug = rule.drugs[0]
    young = suggest(rule, drug, weight_kg=15, age_years=1.9)
    two = suggest(rule, drug, weight_kg=15, age_years=2.0)
    assert young is not None and young.dose_mg is None
    assert two is not None and two.dose_mg == {"tofacitinib": 3.2, "baricitinib": 2.0}[drug]
