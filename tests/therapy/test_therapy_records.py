"""Worked examples on small hand-built patient records: glucocorticoid exposure, lab gating
and screening from the data, risk flags, and the decision-support view."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from myotrack.domain.model import DrugCourse, Event, LabResult, Patient, PatientRecord, Visit
from myotrack.therapy import decision_support
from myotrack.therapy.glucocorticoids import (
    course_exposures,
    cumulative,
    daily_dose,
    stopped_on,
)
from myotrack.therapy.risk_flags import risk_flags
from myotrack.therapy.screening import screening

PID = "P001"
D0 = date(2024, 1, 1)


def _patient(**kw: object) -> Patient:
    base: dict[str, object] = {
        "patient_id": PID,
        "sex": "F",
        "birth_date": date(2016, 1, 1),
        "diagnosis": "JDM",
    }
    base.update(kw)
    return Patient(**base)  # type: ignore[arg-type]


def _lab(
    day: date,
    analyte: str,
    value: float | None = None,
    unit: str | None = None,
    result: str | None = None,
    ref_high: float | None = None,
) -> LabResult:
    return LabResult(PID, day, analyte, value=value, unit=unit, result=result, ref_high=ref_high)


# --- glucocorticoids ----------------------------------------------------------------------


def _gc_record() -> PatientRecord:
    # 20 kg child: IV methylprednisolone 30 mg/kg once daily x 3 days (1-3 Jan), then oral
    # prednisolone 2 mg/kg/day given as 20 mg BID (4-31 Jan), then 10 mg QD (1-10 Feb),
    # stopped. Weight 20 kg at 1 Jan, 25 kg from 1 Feb.
    return PatientRecord(
        patient=_patient(),
        visits=(Visit(PID, D0, weight_kg=20.0), Visit(PID, date(2024, 2, 1), weight_kg=25.0)),
        courses=(
            DrugCourse(
                PID,
                "methylprednisolone",
                D0,
                date(2024, 1, 3),
                dose=30,
                dose_unit="mg/kg",
                frequency="QD",
                route="iv",
            ),
            DrugCourse(
                PID,
                "prednisolone",
                date(2024, 1, 4),
                date(2024, 1, 31),
                dose=20,
                dose_unit="mg",
                frequency="BID",
                route="oral",
            ),
            DrugCourse(
                PID,
                "prednisolone",
                date(2024, 2, 1),
                date(2024, 2, 10),
                dose=10,
                dose_unit="mg",
                frequency="QD",
                route="oral",
            ),
            DrugCourse(
                PID,
                "prednisolone",
                D0,
                None,
                dose=1,
                dose_unit="mg",
                frequency="QD",
                route="topical",
            ),  # topical: not systemic, ignored
        ),
    )


def test_daily_dose_mg_per_kg_courses_use_weight_at_the_time() -> None:
    rec = _gc_record()
    d = daily_dose(rec, date(2024, 1, 2))
    # 30 mg/kg x 20 kg = 600 mg methylprednisolone x 1.25 = 750 mg prednisolone eq.
    assert d.mg == pytest.approx(750.0) and d.mg_per_kg == pytest.approx(37.5)
    d = daily_dose(rec, date(2024, 1, 10))
    assert d.mg == pytest.approx(40.0) and d.mg_per_kg == pytest.approx(2.0)
    d = daily_dose(rec, date(2024, 2, 5))
    assert d.mg == pytest.approx(10.0) and d.mg_per_kg == pytest.approx(0.4)
    assert daily_dose(rec, date(2024, 3, 1)).mg == 0.0


def test_cumulative_mg_per_kg_over_periods() -> None:
    rec = _gc_record()
    # pulses 3 x 37.5 = 112.5; Jan 4-31 = 28 days x 2.0 = 56; Feb 1-10 = 10 x 0.4 = 4
    exp = cumulative(rec, D0, date(2024, 12, 31))
    assert exp.cumulative_mg_per_kg == pytest.approx(112.5 + 56 + 4)
    assert exp.cumulative_mg == pytest.approx(3 * 750 + 28 * 40 + 10 * 10)
    assert exp.days_on_glucocorticoid == 3 + 28 + 10
    part = cumulative(rec, date(2024, 1, 30), date(2024, 2, 2))
    assert part.cumulative_mg_per_kg == pytest.approx(2 * 2.0 + 2 * 0.4)
    with pytest.raises(ValueError):
        cumulative(rec, date(2024, 2, 2), D0)


def test_prednisolone_equivalent_per_course() -> None:
    rec = _gc_record()
    per_course = {
        (c.course.drug, c.course.start_date): c for c in course_exposures(rec, date(2024, 1, 20))
    }
    # the Feb course has not started by 20 Jan; the topical course is not systemic
    assert len(per_course) == 2
    mp = per_course[("methylprednisolone", D0)]
    assert mp.daily_mg_at_start == pytest.approx(750.0)
    assert mp.exposure.cumulative_mg_per_kg == pytest.approx(112.5)
    pred = per_course[("prednisolone", date(2024, 1, 4))]
    assert pred.daily_mg_at_start == pytest.approx(40.0)
    # counted up to 20 Jan: 17 days x 2 mg/kg
    assert pred.exposure.cumulative_mg_per_kg == pytest.approx(34.0)
    everything = course_exposures(rec, date(2024, 12, 31))
    assert [round(c.exposure.cumulative_mg_per_kg or 0, 3) for c in everything] == [
        112.5,
        56.0,
        4.0,
    ]
    d = mp.to_dict()
    assert d["prednisolone_equivalent_daily_mg_at_start"] == 750.0 and d["route"] == "iv"


def test_stopped_on() -> None:
    rec = _gc_record()
    assert stopped_on(rec, date(2024, 2, 5)) is None
    assert stopped_on(rec, date(2024, 3, 1)) == date(2024, 2, 10)
    assert stopped_on(PatientRecord(patient=_patient()), date(2024, 3, 1)) is None


def test_missing_dose_or_weight_gives_no_total_and_says_why() -> None:
    rec = PatientRecord(
        patient=_patient(),
        courses=(
            DrugCourse(
                PID, "prednisolone", D0, date(2024, 1, 5), dose=1, dose_unit="mg/kg", frequency="QD"
            ),
        ),
    )
    exp = cumulative(rec, D0, date(2024, 1, 31))
    assert exp.cumulative_mg_per_kg is None
    assert any("no weight" in p for p in exp.problems)
    rec2 = PatientRecord(
        patient=_patient(),
        visits=(Visit(PID, D0, weight_kg=20.0),),
        courses=(DrugCourse(PID, "prednisolone", D0, None, dose=None, frequency="QD"),),
    )
    assert "dose missing" in daily_dose(rec2, D0).problems[0]


def test_weight_recorded_shortly_after_the_start_is_used() -> None:
    course = DrugCourse(
        PID, "prednisolone", D0, D0 + timedelta(days=4), dose=1, dose_unit="mg/kg", frequency="QD"
    )
    # first weight 10 days after the start (within the 30-day look-ahead): 5 x 1 mg/kg
    rec = PatientRecord(
        patient=_patient(),
        visits=(Visit(PID, D0 + timedelta(days=10), weight_kg=20.0),),
        courses=(course,),
    )
    exp = cumulative(rec, D0, D0 + timedelta(days=30))
    assert exp.cumulative_mg == pytest.approx(100.0)
    assert exp.cumulative_mg_per_kg == pytest.approx(5.0)
    # first weight 40 days after: not used, the total is not computed
    late = PatientRecord(
        patient=_patient(),
        visits=(Visit(PID, D0 + timedelta(days=40), weight_kg=20.0),),
        courses=(course,),
    )
    assert cumulative(late, D0, D0 + timedelta(days=30)).cumulative_mg_per_kg is None


def test_weekly_and_once_schedules() -> None:
    rec = PatientRecord(
        patient=_patient(),
        visits=(Visit(PID, D0, weight_kg=20.0),),
        courses=(
            DrugCourse(
                PID,
                "methylprednisolone",
                D0,
                date(2024, 1, 31),
                dose=10,
                dose_unit="mg/kg",
                frequency="weekly",
                route="iv",
            ),
            DrugCourse(
                PID,
                "dexamethasone",
                date(2024, 1, 2),
                None,
                dose=3,
                dose_unit="mg",
                frequency="once",
                route="iv",
            ),
        ),
    )
    # weekly pulses on Jan 1, 8, 15, 22, 29: 5 x 200 mg x 1.25 = 1250 mg = 62.5 mg/kg
    # dexamethasone once on Jan 2: 3 mg x 5/0.75 = 20 mg = 1 mg/kg
    exp = cumulative(rec, D0, date(2024, 2, 29))
    assert exp.cumulative_mg_per_kg == pytest.approx(62.5 + 1.0)


# --- screening, gating, flags -------------------------------------------------------------


def _jak_record(**patient_kw: object) -> PatientRecord:
    start = date(2024, 3, 1)
    return PatientRecord(
        patient=_patient(**patient_kw),
        visits=(
            Visit(
                PID,
                date(2024, 2, 20),
                weight_kg=22.0,
                height_cm=120.0,
                phga=5.0,
                parent_global=6.0,
                cmas=30,
                chaq=1.5,
                das_skin=6,
                das_muscle=6,
            ),
            Visit(
                PID,
                date(2024, 6, 1),
                weight_kg=26.0,
                height_cm=122.0,
                phga=1.0,
                parent_global=2.0,
                cmas=48,
                mmt8=78,
                chaq=0.3,
                das_skin=1,
                das_muscle=1,
            ),
        ),
        labs=(
            _lab(date(2024, 2, 15), "TB_IGRA", result="negative"),
            _lab(date(2024, 2, 15), "HBsAg", result="negative"),
            _lab(date(2024, 2, 15), "anti_HBc", result="negative"),
            _lab(date(2024, 2, 15), "VZV_IgG", result="negative"),
            _lab(date(2024, 2, 15), "lymphocytes", 1.5, "10^9/L"),
            _lab(date(2024, 2, 15), "neutrophils", 3.0, "10^9/L"),
            _lab(date(2024, 2, 15), "hemoglobin", 125, "g/L"),
            _lab(date(2024, 2, 15), "CK", 3000, "U/L", ref_high=200),
            _lab(date(2024, 2, 15), "LDH", 600, "U/L", ref_high=250),
            _lab(date(2024, 2, 15), "total_cholesterol", 4.0, "mmol/L"),
            _lab(date(2024, 5, 30), "CK", 120, "U/L", ref_high=200),
            _lab(date(2024, 5, 30), "LDH", 240, "U/L", ref_high=250),
            # a first result on 28 May confirmed by the repeat on 30 May (the label acts on
            # a "persistent" ANC decrease and an Hb result "confirmed by repeat testing")
            _lab(date(2024, 5, 28), "neutrophils", 0.85, "10^9/L"),
            _lab(date(2024, 5, 28), "hemoglobin", 10.1, "g/dL"),
            _lab(date(2024, 5, 30), "neutrophils", 0.8, "10^9/L"),
            _lab(date(2024, 5, 30), "hemoglobin", 10.0, "g/dL"),
            _lab(date(2024, 5, 30), "lymphocytes", 1.1, "10^9/L"),
        ),
        courses=(
            DrugCourse(
                PID,
                "tofacitinib",
                start,
                None,
                dose=2.5,
                dose_unit="mg",
                frequency="BID",
                route="oral",
            ),
            DrugCourse(
                PID,
                "prednisolone",
                date(2024, 1, 1),
                date(2024, 4, 30),
                dose=10,
                dose_unit="mg",
                frequency="QD",
                route="oral",
            ),
        ),
        events=(Event(PID, date(2024, 4, 10), "infection", detail="VZV", grade=2),),
    )


def test_screening_before_start_reports_missing_and_present() -> None:
    rec = _jak_record()
    checks = {c.name: c for c in screening(rec, date(2024, 2, 28))}
    assert checks["tuberculosis"].status == "nothing_blocks"
    assert checks["hepatitis B (HBsAg)"].status == "nothing_blocks"
    assert checks["hepatitis B (anti_HBc)"].status == "nothing_blocks"
    assert checks["hepatitis C"].status == "cannot_assess"  # no HCV antibody result
    assert "consider vaccination" in checks["VZV immune status"].message  # seronegative
    assert checks["baseline lipids"].status == "nothing_blocks"


def test_on_treatment_monitoring_lipids_overdue_and_counts_too_old() -> None:
    from myotrack.therapy.monitoring import due_items

    rec = _jak_record()
    # 10 weeks after the start: the tofacitinib lipid check was due by 8 weeks (26 Apr).
    items = {i.what: i for i in due_items(rec, date(2024, 5, 10))}
    assert items["lipids"].state == "overdue" and items["lipids"].due_date == date(2024, 4, 26)
    # no count in the 4-8-week window after the 1 Mar start: overdue since 26 Apr
    assert items["blood count: neutrophils"].state == "overdue"


def test_positive_tb_blocks() -> None:
    rec = PatientRecord(patient=_patient(), labs=(_lab(D0, "TB_IGRA", result="positive"),))
    (tb,) = [c for c in screening(rec, date(2024, 2, 1)) if c.name == "tuberculosis"]
    assert tb.status == "blocks" and "latent TB" in tb.message


def test_risk_flags_mda5_pjp_and_infection_on_jak() -> None:
    rec = _jak_record(antibodies=("MDA5", "RO52"), features=("skin_ulceration",))
    flags = {f.flag: f for f in risk_flags(rec, date(2024, 6, 1))}
    assert "MDA5: screen for interstitial lung disease" in flags
    pjp = flags["consider Pneumocystis (PJP) prophylaxis"]
    assert "anti-MDA5 (OR 12.5)" in pjp.why and "skin ulceration (OR 12.0)" in pjp.why
    assert "Sabbagh" in pjp.source
    inf = flags["infection on JAK inhibitor"]
    assert "VZV" in inf.why and "tofacitinib" in inf.why and "herpes zoster" in inf.why
    # before the infection date the flag is not there
    assert "infection on JAK inhibitor" not in {f.flag for f in risk_flags(rec, date(2024, 4, 1))}


def test_no_flags_for_a_plain_record() -> None:
    assert risk_flags(PatientRecord(patient=_patient(antibodies=("NXP2",))), D0) == []


def test_thromboembolism_before_jak_is_a_history_flag() -> None:
    rec = PatientRecord(patient=_patient(), events=(Event(PID, D0, "thromboembolism"),))
    (flag,) = risk_flags(rec, date(2024, 2, 1))
    assert flag.flag == "history of thromboembolism"


# --- decision support ---------------------------------------------------------------------


def test_decision_support_on_treatment() -> None:
    rec = _jak_record(antibodies=("MDA5",))
    ds = decision_support(rec, date(2024, 6, 1))
    d = ds.to_dict()
    json.dumps(d)  # JSON-ready
    assert d["disclaimer"].startswith("Decision support, not a prescription:")
    # dose: on tofacitinib 2.5 mg BID, weight 26 kg -> Ding 5 mg BID (current below),
    # label pcJIA 20-<40 kg -> 4 mg BID (current below)
    dose = d["dose"]
    assert dose["weight_kg"] == 26.0 and dose["current_course"]["daily_mg"] == 5.0
    by_rule = {s["rule"]: s for s in dose["suggestions"]}
    assert by_rule["ding_2021"]["dose_mg"] == 5.0
    assert by_rule["ding_2021"]["current_vs_suggestion"] == "below"
    assert by_rule["tofacitinib_fda_pcjia"]["dose_mg"] == 4.0
    assert all(s["off_label"] for s in dose["suggestions"])
    # lab gating on treatment: ANC 0.8 -> interrupt (US); Hb fell 12.5 -> 10.0 = 2.5 g/dL
    verdicts = {(g["analyte"], g["threshold"]): g["verdict"] for g in d["lab_gating"]}
    assert verdicts[("neutrophils", "ANC 500-1000 cells/mm3")] == "interrupt"
    assert verdicts[("hemoglobin", "greater than 2 g/dL decrease")] == "interrupt"
    assert d["phase"] == "on_treatment" and d["start_status"] == "blocks"
    assert not ds.blocks_jak_start  # on treatment the panel speaks of monitoring
    # glucocorticoids: prednisolone 10 mg/day 1 Jan-30 Apr; stopped 30 Apr
    gc = d["glucocorticoids"]
    assert gc["current_daily_mg"] == 0.0 and gc["stopped_on"] == "2024-04-30"
    # since index (1 Mar) to 30 Apr: 61 days x 10 mg / 22 kg (weight from 20 Feb)
    assert gc["cumulative_since_index_mg_per_kg"] == pytest.approx(61 * 10 / 22, abs=1e-3)
    # inactive disease at the 1 Jun visit: CK 120 (30 May) <= 150, CMAS 48, MMT8 78: met;
    # PhGA 1.0 > 0.2 -> P-CID not met
    cid = d["inactive_disease"]
    assert cid["visit_date"] == "2024-06-01" and cid["ck_date"] == "2024-05-30"
    assert cid["printo_cid"] == "met" and cid["p_cid_almeida"] == "not_met"
    # response since index: the whole core set is recorded -> computed
    resp = d["response"]
    assert resp["status"] == "computed", resp
    assert resp["measures_used"]["enzyme_or_chq_phs"] == "CK"  # 15x ULN vs LDH 2.4x
    # range mode: PhGA 4/10=40% ->17.5; parent 4/10=40% ->7.5; CMAS 18/52=34.6% ->32.5;
    # CHAQ 1.2/3=40% ->7.5; CK 96% ->7.5; DAS 10/20=50% ->20. TIS = 92.5
    assert resp["tis"] == 92.5 and resp["jdm_category"] == "major"
    flags = {f["flag"] for f in d["risk_flags"]}
    assert "MDA5: screen for interstitial lung disease" in flags


def test_decision_support_before_start_blocks_on_low_lymphocytes() -> None:
    rec = PatientRecord(
        patient=_patient(),
        visits=(Visit(PID, D0, weight_kg=18.0),),
        labs=(
            _lab(D0, "lymphocytes", 0.6, "10^9/L"),
            _lab(D0, "neutrophils", 2.0, "10^9/L"),
            _lab(D0, "hemoglobin", 11.0, "g/dL"),
        ),
    )
    ds = decision_support(rec, D0 + timedelta(days=3))
    # 0.6 x10^9/L: tofacitinib EU (< 0.75) says do not start; US (< 0.5) and baricitinib ok
    blockers = [g for g in ds.lab_gating if g.verdict == "do_not_start"]
    assert [(g.drug, g.label) for g in blockers] == [("tofacitinib", "EU")]
    assert ds.blocks_jak_start
    assert ds.blocks_start_of("tofacitinib") and not ds.blocks_start_of("baricitinib")
    d = ds.to_dict()
    assert d["response"]["status"] == "not_available"
    assert "no JAK-inhibitor course" in d["response"]["why"]
    assert d["inactive_disease"]["status"] == "no_visit"
    # not on a JAKi: suggestions for all three drugs at 18 kg
    rules = {(s["drug"], s["rule"]): s["dose_mg"] for s in d["dose"]["suggestions"]}
    assert rules[("tofacitinib", "ding_2021")] == 2.5
    assert rules[("tofacitinib", "tofacitinib_fda_pcjia")] == 3.2
    assert rules[("baricitinib", "baricitinib_eu_jia")] == 2.0
    assert rules[("ruxolitinib", "ruxolitinib_reach4")] == 5.0  # age 8 -> 6-<12 y band


def test_dose_above_the_highest_dose_of_the_series_is_noted() -> None:
    rec = PatientRecord(
        patient=_patient(),
        visits=(Visit(PID, D0, weight_kg=30.0),),
        courses=(
            DrugCourse(PID, "tofacitinib", D0, None, dose=10, dose_unit="mg", frequency="BID"),
        ),
    )
    notes = decision_support(rec, D0 + timedelta(days=1)).dose.notes
    assert any("7.5 mg twice daily" in n for n in notes)
    rec75 = PatientRecord(
        patient=_patient(),
        visits=(Visit(PID, D0, weight_kg=30.0),),
        courses=(
            DrugCourse(PID, "tofacitinib", D0, None, dose=7.5, dose_unit="mg", frequency="BID"),
        ),
    )
    assert decision_support(rec75, D0 + timedelta(days=1)).dose.notes == ()


def test_decision_support_ignores_data_after_the_date() -> None:
    rec = _jak_record()
    early = decision_support(rec, date(2024, 3, 5)).to_dict()
    assert early["response"]["status"] == "not_available"
    assert early["dose"]["weight_kg"] == 22.0
