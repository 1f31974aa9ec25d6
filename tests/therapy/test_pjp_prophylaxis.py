"""PJP prophylaxis levels: consider -> recommended (risk factor + treatment, local-policy
glucocorticoid threshold) -> secondary (PJP on record); worked examples at each edge."""

from __future__ import annotations

from datetime import date, timedelta

from myotrack.domain.model import DrugCourse, Event, Patient, PatientRecord, Visit
from myotrack.therapy.pjp import DEFAULT_POLICY, PjpPolicy, pjp_prophylaxis

PID = "P1"
ON = date(2024, 6, 1)


def _record(
    *,
    antibodies: tuple[str, ...] = (),
    features: tuple[str, ...] = (),
    courses: tuple[DrugCourse, ...] = (),
    events: tuple[Event, ...] = (),
) -> PatientRecord:
    patient = Patient(PID, "M", date(2016, 1, 1), "JDM", antibodies=antibodies, features=features)
    visits = (Visit(PID, ON - timedelta(days=100), weight_kg=20.0, height_cm=115),)
    return PatientRecord(patient=patient, visits=visits, courses=courses, events=events)


def _pred(mg: float, start: date = ON - timedelta(days=60)) -> DrugCourse:
    return DrugCourse(PID, "prednisolone", start, dose=mg, dose_unit="mg", frequency="QD")


def _jak() -> DrugCourse:
    return DrugCourse(
        PID, "ruxolitinib", ON - timedelta(days=30), dose=5, dose_unit="mg", frequency="BID"
    )


def test_policy_defaults_are_the_lower_ends_of_the_adult_eular_range() -> None:
    # Fragoulis 2023: ">15-30 mg/day of prednisolone or equivalent for >2-4 weeks"
    assert DEFAULT_POLICY.gc_mg_per_day_above == 15.0
    assert DEFAULT_POLICY.gc_days_more_than == 14
    assert "local-policy setting" in DEFAULT_POLICY.words
    assert "no paediatric threshold" in DEFAULT_POLICY.words


def test_no_factor() -> None:
    # tested for myositis antibodies, none found ('none'): no recorded factor, green
    a = pjp_prophylaxis(_record(antibodies=("none",), courses=(_pred(20), _jak())), ON)
    assert a.level == "no_recorded_factor" and a.status == "nothing_blocks"


def test_no_antibody_result_cannot_say_no_factor() -> None:
    # no antibody result at all: anti-MDA5 (OR 12.5) is unknown, so never green
    a = pjp_prophylaxis(_record(courses=(_pred(20), _jak())), ON)
    assert a.level == "no_recorded_factor" and a.status == "cannot_assess"
    assert [n.name for n in a.missing] == ["myositis antibodies"]


def test_factor_alone_is_consider() -> None:
    a = pjp_prophylaxis(_record(antibodies=("MDA5",)), ON)
    assert a.level == "consider" and a.status == "nothing_blocks"
    assert "anti-MDA5 (OR 12.5)" in a.message and "Asian ancestry" in a.message


def test_glucocorticoid_threshold_edge_is_strictly_above() -> None:
    at = pjp_prophylaxis(_record(antibodies=("MDA5",), courses=(_pred(15), _jak())), ON)
    above = pjp_prophylaxis(_record(antibodies=("MDA5",), courses=(_pred(15.5), _jak())), ON)
    assert at.level == "consider"
    assert above.level == "recommended" and above.status == "cannot_assess"
    (check,) = above.checks
    assert check.needs and "prophylaxis" in check.needs[0].name
    assert "local-policy setting" in check.message


def test_glucocorticoid_duration_edge_more_than_14_days() -> None:
    # above threshold on the last 15 days (= more than 14): recommended; only 14: consider
    fifteen = _pred(20, start=ON - timedelta(days=14))
    fourteen = _pred(20, start=ON - timedelta(days=13))
    assert pjp_prophylaxis(_record(features=("ILD",), courses=(fifteen,)), ON).level == (
        "recommended"
    )
    assert pjp_prophylaxis(_record(features=("ILD",), courses=(fourteen,)), ON).level == (
        "consider"
    )


def test_other_immunosuppressant_escalates() -> None:
    mtx = DrugCourse(
        PID, "methotrexate", ON - timedelta(days=90), dose=15, dose_unit="mg/m2", frequency="weekly"
    )
    a = pjp_prophylaxis(_record(features=("skin_ulceration",), courses=(mtx, _jak())), ON)
    assert a.level == "recommended"
    assert any("methotrexate" in t for t in a.treatment)


def test_topical_tacrolimus_does_not_count() -> None:
    topical = DrugCourse(PID, "tacrolimus", ON - timedelta(days=90), route="topical")
    a = pjp_prophylaxis(_record(features=("skin_ulceration",), courses=(topical,)), ON)
    assert a.level == "consider"


def test_on_cotrimoxazole_is_green() -> None:
    ctx = DrugCourse(PID, "cotrimoxazole", ON - timedelta(days=10))
    a = pjp_prophylaxis(_record(antibodies=("MDA5",), courses=(_pred(30), _jak(), ctx)), ON)
    assert a.level == "recommended" and a.status == "nothing_blocks"
    assert "On cotrimoxazole" in a.message


def test_stricter_local_policy_changes_the_level() -> None:
    rec = _record(antibodies=("MDA5",), courses=(_pred(20), _jak()))
    assert pjp_prophylaxis(rec, ON).level == "recommended"
    assert pjp_prophylaxis(rec, ON, policy=PjpPolicy(gc_mg_per_day_above=30)).level == "consider"


def test_unknown_glucocorticoid_dose_with_a_factor_cannot_assess() -> None:
    no_dose = DrugCourse(PID, "prednisolone", ON - timedelta(days=30), frequency="QD")
    a = pjp_prophylaxis(_record(antibodies=("MDA5",), courses=(no_dose,)), ON)
    assert a.level == "consider" and a.status == "cannot_assess"
    assert "dose missing" in a.message


def test_pneumocystis_on_record_raises_secondary_prophylaxis() -> None:
    pjp = Event(PID, ON - timedelta(days=400), "infection", detail="PJP", grade=3)
    a = pjp_prophylaxis(_record(events=(pjp,)), ON)
    assert a.level == "secondary" and a.status == "cannot_assess"
    assert "Maschmeyer" in a.source
    # recorded after the date: not yet
    assert pjp_prophylaxis(_record(events=(pjp,)), ON - timedelta(days=401)).level == (
        "no_recorded_factor"
    )


def test_seed_003_child_secondary_prophylaxis_on_cotrimoxazole() -> None:
    from myotrack.cohort import DEMO_FOLDER, read_folder

    cohort, issues = read_folder(DEMO_FOLDER)
    assert cohort is not None, issues
    rec = cohort.records()["MDA5-case"]
    a = pjp_prophylaxis(rec, date(2021, 10, 20))
    assert a.level == "secondary"
    assert "interstitial lung disease (OR 10.6)" in a.risk_factors
    assert a.on_prophylaxis == "cotrimoxazole" and a.status == "nothing_blocks"


def test_the_risk_flag_and_the_check_say_the_same_level() -> None:
    from myotrack.therapy.risk_flags import risk_flags

    pjp = Event(PID, ON - timedelta(days=30), "infection", detail="PJP", grade=3)
    rec = _record(antibodies=("MDA5",), events=(pjp,))
    flags = [f for f in risk_flags(rec, ON) if "Pneumocystis (PJP)" in f.flag]
    assert [f.flag for f in flags] == [
        "secondary Pneumocystis (PJP) prophylaxis: Pneumocystis infection on record"
    ]
    assert flags[0].why == pjp_prophylaxis(rec, ON).message
