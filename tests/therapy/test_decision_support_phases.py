"""The decision-support view: one date for everything, the phases (before a start, on
treatment, stopped), the three summary states, and the seed-003 child (Strauss T et al.
Pediatr Rheumatol 2023;21:105; demo patient MDA5-case) entered from the paper.

Seed-003 child in the demo cohort (README of the demo folder): born 2017-05-15; blood count
2021-09-13; HBsAg, anti-HBc, TB IGRA and VZV IgG on 2021-10-01 (no HCV antibody, no lipids);
PJP infection 2021-09-17; ruxolitinib 5 mg twice daily from 2021-10-05; weights 17.0 kg
(2021-09-13), 17.4 kg (2021-10-05), 18.1 kg (2021-11-16), 19.4 kg (2022-06-14)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import myotrack
from myotrack.cohort import read_folder
from myotrack.domain.model import DrugCourse, LabResult, Patient, PatientRecord, Visit
from myotrack.therapy.decision_support import as_of, decision_support, latest_record_date

DEMO = Path(myotrack.__file__).parent / "data" / "demo"


@pytest.fixture(scope="module")
def mda5() -> PatientRecord:
    cohort, issues = read_folder(DEMO)
    assert cohort is not None, issues
    return cohort.records()["MDA5-case"]


def test_seed_child_before_his_screening_cannot_be_assessed(mda5: PatientRecord) -> None:
    """14 Sep 2021: the blood count of 13 Sep is there (Hb 108 g/L, lymphocytes 1.2, ANC
    5.9: no label band fires), the PJP infection is not yet recorded, TB/hepatitis/VZV
    results come on 1 Oct -> amber, naming each missing test."""
    ds = decision_support(mda5, date(2021, 9, 14))
    assert ds.phase == "before_start"
    assert ds.start_status == "cannot_assess"
    text = " | ".join(ds.reasons)
    for missing in ("TB_IGRA or TB_skin_test: missing", "HBsAg: missing", "VZV IgG: missing"):
        assert missing in text
    assert "No safety check blocks" not in ds.headline
    # The label bands themselves are decided: every count is present and recent.
    assert {g.verdict for g in ds.lab_gating if g.drug == "tofacitinib"} == {"ok"}


def test_seed_child_after_screening_still_lacks_hcv_and_lipids(mda5: PatientRecord) -> None:
    """4 Oct 2021, the day before ruxolitinib: TB, HBV and VZV are in, HCV antibody and a
    baseline lipid profile are not — they stay named (the recent PJP infection is the
    whole-patient checks' concern)."""
    ds = decision_support(mda5, date(2021, 10, 4))
    screen = {c.name: c.status for c in ds.checks_in("screening")}
    assert screen["tuberculosis"] == "nothing_blocks"
    assert screen["hepatitis C"] == "cannot_assess"
    assert screen["baseline lipids"] == "cannot_assess"
    assert ds.start_status != "nothing_blocks"


@pytest.mark.parametrize(
    ("on", "weight", "weight_on"),
    [
        (date(2021, 10, 20), 17.4, date(2021, 10, 5)),
        (date(2022, 6, 20), 19.4, date(2022, 6, 14)),
    ],
)
def test_seed_child_dose_verdict_matches_his_weight_on_the_date(
    mda5: PatientRecord, on: date, weight: float, weight_on: date
) -> None:
    """On ruxolitinib 5 mg twice daily (10 mg/day): Ding 2021 gives < 25 kg -> 2.5 mg twice
    daily (5 mg/day), so the current dose is above it; the weight used is the one in force
    on the date."""
    ds = decision_support(mda5, on)
    assert ds.phase == "on_treatment"
    assert ds.dose.body.weight is not None
    assert (ds.dose.body.weight.value, ds.dose.body.weight.on) == (weight, weight_on)
    ding = next(r for r in ds.dose.rows if r.suggestion.rule_id == "ding_2021")
    assert ding.suggestion.dose_mg == 2.5 and ding.current_vs == "above"
    check = next(c for c in ds.checks if c.name == "ruxolitinib dose")
    assert check.status == "nothing_blocks" and f"at {weight:g} kg" in check.message
    # On treatment the headline speaks of ruxolitinib, not of a start (the hydroxychloroquine
    # dose above its maximum is named as what blocks, by the other-drug dose checks).
    assert "ruxolitinib" in ds.headline and "start" not in ds.headline


def test_seed_child_old_weight_needs_a_current_weight(mda5: PatientRecord) -> None:
    """1 Jan 2024: the last weight (17 Jan 2023) is older than 92 days -> "needs a current
    weight", and no comparison with a weight-band dose is made."""
    ds = decision_support(mda5, date(2024, 1, 1))
    check = next(c for c in ds.checks if c.name == "ruxolitinib dose")
    assert check.status == "cannot_assess" and "needs a current weight" in check.message
    ding = [r for r in ds.dose.rows if r.suggestion.rule_id == "ding_2021"]
    assert ding == []  # a weight-band rule is not applied to an old weight


def test_default_date_is_the_latest_record_when_in_the_past(mda5: PatientRecord) -> None:
    assert latest_record_date(mda5) == date(2023, 1, 17)
    chosen = as_of(mda5, None, date(2026, 12, 1))
    assert chosen.on == date(2023, 1, 17) and not chosen.chosen
    assert "latest record" in chosen.why and "2026-12-01" in chosen.why
    asked = as_of(mda5, date(2022, 1, 1), date(2026, 12, 1))
    assert asked.on == date(2022, 1, 1) and asked.chosen
    # A record dated after today: today.
    assert as_of(mda5, None, date(2022, 1, 1)).on == date(2022, 1, 1)
    empty = PatientRecord(
        patient=Patient(patient_id="E", sex="F", birth_date=date(2015, 1, 1), diagnosis="JDM")
    )
    assert as_of(empty, None, date(2026, 12, 1)).on == date(2026, 12, 1)


PID = "S1"


def _stopped() -> PatientRecord:
    return PatientRecord(
        patient=Patient(patient_id=PID, sex="M", birth_date=date(2012, 1, 1), diagnosis="JDM"),
        visits=(Visit(PID, date(2024, 5, 1), weight_kg=35.0),),
        labs=(LabResult(PID, date(2024, 5, 1), "neutrophils", 3.0, "10^9/L"),),
        courses=(
            DrugCourse(PID, "tofacitinib", date(2023, 1, 1), date(2024, 4, 1), 5, "mg", "BID"),
        ),
    )


def test_after_a_stop_no_start_verdict_unless_a_restart_is_asked() -> None:
    rec = _stopped()
    ds = decision_support(rec, date(2024, 5, 2))
    assert ds.phase == "stopped"
    assert "stopped on 2024-04-01" in ds.headline and "restart" in ds.headline
    assert ds.lab_gating == () and not ds.blocks_jak_start
    assert ds.start_status == "cannot_assess"
    again = decision_support(rec, date(2024, 5, 2), restart=True)
    assert again.restart and "restart" in again.headline
    assert again.lab_gating  # the start bands are assessed for a restart


def test_on_treatment_speaks_of_monitoring_and_gating() -> None:
    rec = PatientRecord(
        patient=Patient(patient_id=PID, sex="M", birth_date=date(2012, 1, 1), diagnosis="JDM"),
        visits=(Visit(PID, date(2024, 5, 1), weight_kg=35.0),),
        # two ANC results on treatment in "500-1000": a persistent decrease (label words;
        # one result alone asks for a repeat, h13 review)
        labs=(
            LabResult(PID, date(2024, 4, 24), "neutrophils", 0.9, "10^9/L"),
            LabResult(PID, date(2024, 5, 1), "neutrophils", 1.0, "10^9/L"),
        ),
        courses=(DrugCourse(PID, "tofacitinib", date(2024, 1, 1), None, 4, "mg", "BID"),),
    )
    ds = decision_support(rec, date(2024, 5, 2))
    assert ds.phase == "on_treatment" and ds.start_status == "blocks"
    assert "interrupt" in ds.headline
    (anc,) = [g for g in ds.lab_gating if g.analyte == "neutrophils"]
    assert anc.verdict == "interrupt"  # ANC exactly 1000/mm3: "500-1000" interrupts
    assert any(i.what == "lipids" for i in ds.monitoring)


def _bari(labs: tuple[LabResult, ...], drugs: tuple[str, ...] = ()) -> PatientRecord:
    extra = tuple(DrugCourse(PID, d, date(2024, 4, 1), None, 500, "mg", "BID") for d in drugs)
    return PatientRecord(
        patient=Patient(patient_id=PID, sex="M", birth_date=date(2014, 1, 1), diagnosis="JDM"),
        visits=(Visit(PID, date(2024, 5, 1), weight_kg=32.0, height_cm=140.0),),
        labs=labs,
        courses=extra,
    )


def _kidney_check(rec: PatientRecord) -> tuple[str, str]:
    ds = decision_support(rec, date(2024, 5, 2), drug="baricitinib")
    c = next(c for c in ds.checks if c.name == "baricitinib kidney function and probenecid")
    return c.status, c.message


def test_baricitinib_without_kidney_function_cannot_be_assessed() -> None:
    """The EU leaflet halves the dose for reduced kidney function: without an eGFR (or a
    creatinine with a current height) this part is amber, never normal kidneys assumed."""
    status, message = _kidney_check(_bari(()))
    assert status == "cannot_assess" and "kidney function" in message


def test_baricitinib_halved_for_reduced_kidney_function_and_probenecid() -> None:
    """32 kg -> label 4 mg once daily. eGFR 50 -> 2 mg (halved); eGFR 90 with probenecid
    running -> 2 mg (halved); creatinine 35.36 umol/L at 140 cm -> bedside Schwartz
    0.413 x 140 / 0.4 = 144.6 -> 4 mg."""
    egfr = (LabResult(PID, date(2024, 5, 1), "eGFR", 50.0, "mL/min/1.73m2"),)
    status, message = _kidney_check(_bari(egfr))
    assert status == "nothing_blocks" and "2 mg once daily (halved: reduced kidney" in message
    normal = (LabResult(PID, date(2024, 5, 1), "eGFR", 90.0, "mL/min/1.73m2"),)
    status, message = _kidney_check(_bari(normal, ("probenecid",)))
    assert "2 mg once daily (halved: probenecid)" in message
    crea = (LabResult(PID, date(2024, 5, 1), "creatinine", 35.36, "umol/L"),)
    status, message = _kidney_check(_bari(crea))
    assert "4 mg once daily" in message and "bedside Schwartz eGFR 144.6" in message


def test_an_implausible_weight_is_named_and_not_used() -> None:
    """170 kg for a 10-year-old (a typing slip) is impossible on the CDC 2000 reference: the
    dose check is amber and names the value."""
    rec = PatientRecord(
        patient=Patient(patient_id=PID, sex="M", birth_date=date(2014, 1, 1), diagnosis="JDM"),
        visits=(Visit(PID, date(2024, 5, 1), weight_kg=170.0),),
    )
    ds = decision_support(rec, date(2024, 5, 2), drug="tofacitinib")
    c = next(c for c in ds.checks if c.name == "tofacitinib dose")
    assert c.status == "cannot_assess" and "170 kg" in c.message
    assert ds.dose.body.weight_kg is None


def test_on_treatment_counts_must_be_inside_the_monitoring_window() -> None:
    """Ruxolitinib from 1 Mar 2024 (counts every 2-4 weeks until stable -> 28 days): ANC and
    platelets of 1 Apr are used on 29 Apr (28 days) and too old on 30 Apr (29 days)."""
    rec = PatientRecord(
        patient=Patient(patient_id=PID, sex="M", birth_date=date(2012, 1, 1), diagnosis="JDM"),
        visits=(Visit(PID, date(2024, 4, 20), weight_kg=35.0),),
        labs=(
            LabResult(PID, date(2024, 4, 1), "neutrophils", 3.0, "10^9/L"),
            LabResult(PID, date(2024, 4, 1), "platelets", 250.0, "10^9/L"),
        ),
        courses=(DrugCourse(PID, "ruxolitinib", date(2024, 3, 1), None, 5, "mg", "BID"),),
    )
    inside = decision_support(rec, date(2024, 4, 29))
    assert {g.verdict for g in inside.lab_gating} == {"ok"}
    outside = decision_support(rec, date(2024, 4, 30))
    assert {g.verdict for g in outside.lab_gating} == {"missing"}
    assert all(g.needs[0].problem == "out_of_window" for g in outside.lab_gating)
    assert outside.start_status == "cannot_assess"


def test_kidney_function_window_90_days() -> None:
    """eGFR 50 on 1 Feb 2024: used on 1 May 2024 (90 days, leap year), too old on 2 May."""
    labs = (LabResult(PID, date(2024, 2, 1), "eGFR", 50.0, "mL/min/1.73m2"),)
    rec = _bari(labs)
    ds = decision_support(rec, date(2024, 5, 1), drug="baricitinib")
    c = next(c for c in ds.checks if c.name == "baricitinib kidney function and probenecid")
    assert c.status == "nothing_blocks" and "halved" in c.message
    ds = decision_support(rec, date(2024, 5, 2), drug="baricitinib")
    c = next(c for c in ds.checks if c.name == "baricitinib kidney function and probenecid")
    assert c.status == "cannot_assess" and c.needs[0].problem == "out_of_window"
