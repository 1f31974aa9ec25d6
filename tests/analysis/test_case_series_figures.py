"""Figure-level behaviour of case_series: the spec's keys and shapes, subgroups and
denominators, small-n p-values, doses, infections, enzymes, exposure, fingerprint."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest

from myotrack.analysis import case_series, cohort_fingerprint
from myotrack.domain import Cohort, DrugCourse, Event, LabResult, Patient, Visit

INDEX = date(2019, 1, 10)
COUNT = {"n", "denominator", "pct"}
DESCRIBE = {"n", "median", "q1", "q3", "min", "max"}
MEANSD = {"n", "mean", "sd"}


def small_cohort() -> Cohort:
    patients = [
        Patient(
            "A",
            "F",
            date(2010, 1, 1),
            "JDM",
            onset_date=date(2014, 1, 1),
            diagnosis_date=date(2015, 1, 1),
            refractory="ineffective",
        ),
        Patient("B", "M", date(2008, 6, 1), "JDM", refractory="odd"),
        Patient("C", "M", date(2012, 6, 1), "JDM"),
    ]
    d = timedelta
    visits = [
        Visit("A", INDEX, weight_kg=20, rash=True, weakness=True, cmas=30, catbm_activity=6),
        Visit("A", INDEX + d(days=100), cmas=40, catbm_activity=1),
        Visit("B", INDEX, weight_kg=40, rash=True, weakness=True, cmas=47),
        Visit("B", INDEX + d(days=200), cmas=47, catbm_activity=0),  # no baseline CAT-BM
        Visit("C", INDEX, rash=False, weakness=False),
        Visit("C", INDEX + d(days=50)),
    ]
    courses = [
        DrugCourse(
            "A", "tofacitinib", INDEX, INDEX + d(days=29), dose=2.5, dose_unit="mg", frequency="BID"
        ),
        DrugCourse(
            "A",
            "tofacitinib",
            INDEX + d(days=30),
            INDEX + d(days=59),
            dose=5,
            dose_unit="mg",
            frequency="BID",
        ),
        DrugCourse(
            "A", "tofacitinib", INDEX + d(days=60), dose=5, dose_unit="mg", frequency="TID"
        ),  # same highest dose later: the earliest counts
        DrugCourse(
            "A", "baricitinib", INDEX + d(days=80), dose=8, dose_unit="mg", frequency="QD"
        ),  # another JAK inhibitor: not the first one's maximum
        DrugCourse(
            "B", "ruxolitinib", INDEX, INDEX + d(days=45), dose=5, dose_unit="mg", frequency="BID"
        ),
        DrugCourse("C", "baricitinib", INDEX, dose=0.1, dose_unit="mg/kg", frequency="QD"),
    ]
    events = [
        Event("A", INDEX + d(days=7), "rash_improving"),
        Event("A", INDEX + d(days=20), "infection", detail=" ebv "),
        Event("A", INDEX + d(days=40), "infection", detail="EBV"),
        Event("B", INDEX + d(days=30), "infection"),
        Event("B", INDEX + d(days=31), "infection", detail="vzv"),
    ]
    labs = [
        LabResult("A", INDEX, "LDH", value=500, unit="U/L", ref_high=450),
        LabResult("A", INDEX + d(days=100), "LDH", value=300, unit="U/L", ref_high=450),
        LabResult("B", INDEX, "CK", value=900, unit="U/L"),  # no ref_high: not above, warned
        LabResult("B", INDEX + d(days=200), "CK", value=300, unit="U/L", ref_high=200),
    ]
    return Cohort(
        patients=tuple(patients),
        visits=tuple(visits),
        courses=tuple(courses),
        events=tuple(events),
        labs=tuple(labs),
    )


@pytest.fixture(scope="module")
def report() -> dict[str, object]:
    return case_series(small_cohort())


def test_exactly_the_spec_keys_and_shapes(
    report: dict[str, object], case_series_keys: frozenset[str]
) -> None:
    assert set(report) == case_series_keys
    r: dict[str, dict[str, object]] = report  # type: ignore[assignment]
    for key in (
        "female",
        "weakness_baseline",
        "rash_baseline",
        "rash_improved",
        "rash_resolved",
        "enzymes_abnormal_final",
        "gc_stopped",
        "relapse",
        "thromboembolism",
    ):
        assert set(r[key]) >= COUNT, key
    for key in ("disease_duration_months", "jaki_exposure_months", "follow_up_months"):
        assert set(r[key]) >= DESCRIBE, key
    for key in ("weeks_to_rash_improving", "weeks_to_rash_marked", "weeks_to_rash_resolved"):
        assert DESCRIBE | {"km_median"} <= set(r[key]), key
    assert set(r["age_onset_years"]) >= MEANSD and set(r["age_index_years"]) >= MEANSD
    for key in ("catbm_activity", "cmas"):
        assert {"n", "baseline", "final", "p", "p_method"} <= set(r[key])
    assert {"n_improved", "n_unchanged", "n_worse", "improved"} <= set(r["cmas"])
    assert {"n", "LDH", "CK"} <= set(r["enzymes"])
    assert set(r["methods"]) >= {"quantile_type", "cutoff_date", "software"}
    assert set(r["weight_band"]) == {"lt25", "ge25", "unknown"}
    assert set(r["infections"]) >= {"n", "by_detail"}
    json.dumps(report, allow_nan=False)  # JSON-ready, no NaN/inf


def test_refractory_lists_every_value_with_zero_counts(report: dict[str, object]) -> None:
    refractory = report["refractory"]
    assert isinstance(refractory, dict)
    assert [k for k in refractory][:4] == ["ineffective", "gc_dependent", "no", "not_recorded"]
    assert refractory["gc_dependent"]["n"] == 0 and refractory["not_recorded"]["n"] == 1
    assert refractory["odd"]["n"] == 1
    assert any("'odd'" in w for w in report["warnings"])  # type: ignore[attr-defined]


def test_doses_bands_and_maximum(report: dict[str, object]) -> None:
    bands = report["weight_band"]
    assert isinstance(bands, dict)
    assert bands["lt25"]["starting_doses"] == [
        {
            "drug": "tofacitinib",
            "dose_mg": 2.5,
            "frequency": "BID",
            "n": 1,
            "dose": 2.5,
            "dose_unit": "mg",
        }
    ]
    unknown = bands["unknown"]["starting_doses"][0]
    assert unknown["dose_mg"] is None and unknown["dose_unit"] == "mg/kg"  # not guessed
    assert any("not given in mg" in w for w in report["warnings"])  # type: ignore[attr-defined]
    rows = {(r["drug"], r["dose_mg"], r["frequency"]): r["n"] for r in report["max_dose"]}  # type: ignore[attr-defined]
    assert rows == {("tofacitinib", 5.0, "BID"): 1, ("ruxolitinib", 5.0, "BID"): 1}


def test_small_n_paired_tests(report: dict[str, object]) -> None:
    catbm = report["catbm_activity"]
    assert isinstance(catbm, dict)
    assert catbm["n"] == 1 and catbm["p"] is None  # B has no baseline CAT-BM
    cmas = report["cmas"]
    assert isinstance(cmas, dict)
    assert (cmas["n"], cmas["n_improved"], cmas["n_unchanged"], cmas["n_worse"]) == (2, 1, 1, 0)
    # differences 10 and 0: t = 5 / (sqrt(50) / sqrt(2)) = 1 on 1 df, two-sided p = 0.5
    assert cmas["p"] == pytest.approx(0.5)
    assert cmas["p_method"] == "paired_t"
    assert cmas["improved"]["n"] == 1 and cmas["improved"]["p"] is None


def test_infections_by_organism_per_patient(report: dict[str, object]) -> None:
    infections = report["infections"]
    assert isinstance(infections, dict)
    assert infections["n"] == 2 and infections["denominator"] == 3
    assert infections["by_detail"] == {"EBV": 1, "UNSPECIFIED": 1, "VZV": 1}
    # a count row like every other: its percentage and Wilson interval (statsmodels as oracle)
    from statsmodels.stats.proportion import proportion_confint

    low, high = proportion_confint(2, 3, alpha=0.05, method="wilson")
    assert infections["pct"] == pytest.approx(200 / 3)
    assert infections["ci95"] == pytest.approx([100 * low, 100 * high])


def test_enzymes_subgroup_and_missing_reference(report: dict[str, object]) -> None:
    enzymes = report["enzymes"]
    assert isinstance(enzymes, dict)
    assert enzymes["n"] == 1  # only A; B's CK has no ref_high
    assert enzymes["LDH"]["n"] == 1 and enzymes["CK"]["n"] == 0
    assert any("without ref_high" in w and "B" in w for w in report["warnings"])  # type: ignore[attr-defined]
    assert report["enzymes_abnormal_final"]["n"] == 1  # type: ignore[index]  # B's final CK


def test_exposure_and_follow_up(report: dict[str, object]) -> None:
    exposure = report["jaki_exposure_months"]
    follow_up = report["follow_up_months"]
    assert isinstance(exposure, dict) and isinstance(follow_up, dict)
    # A: still running at follow-up end (100 d); B stopped at 45 d; C: running, 50 d
    assert exposure["min"] == pytest.approx(45 / 30.4375)
    assert exposure["max"] == pytest.approx(100 / 30.4375)
    assert follow_up["median"] == pytest.approx(100 / 30.4375)


def test_rash_weeks_and_km(report: dict[str, object]) -> None:
    weeks = report["weeks_to_rash_improving"]
    assert isinstance(weeks, dict)
    assert weeks["n"] == 1 and weeks["median"] == 1.0
    # KM over both rash patients: A event at 1 week, B censored at 200/7 weeks: S = 0.5
    # from week 1 to the end -> midpoint of 1 and 200/7
    assert weeks["km_median"] == pytest.approx((1 + 200 / 7) / 2)


def test_quantile_type_and_cutoff_options() -> None:
    c = small_cohort()
    assert case_series(c, quantiles="type6")["methods"]["quantile_type"] == "type6"
    early = case_series(c, cutoff=INDEX + timedelta(days=60))
    assert early["methods"]["cutoff_date"] == (INDEX + timedelta(days=60)).isoformat()
    assert early["follow_up_months"]["max"] == pytest.approx(60 / 30.4375)
    with pytest.raises(ValueError):
        case_series(c, quantiles="type9")  # type: ignore[arg-type]
    soft = case_series(c, software={"lifelines": "0.30.3"})["methods"]["software"]
    assert soft["lifelines"] == "0.30.3" and "scipy" in soft


def test_empty_cohort() -> None:
    report = case_series(Cohort())
    assert report["n_patients"] == 0 and report["female"]["pct"] is None
    json.dumps(report, allow_nan=False)


def test_fingerprint_is_order_independent_and_sensitive() -> None:
    c = small_cohort()
    shuffled = Cohort(
        patients=c.patients[::-1],
        visits=c.visits[::-1],
        labs=c.labs[::-1],
        courses=c.courses[::-1],
        events=c.events[::-1],
    )
    assert cohort_fingerprint(c) == cohort_fingerprint(shuffled)
    assert len(cohort_fingerprint(c)) == 64
    changed = Cohort(
        patients=c.patients, visits=c.visits[:-1], labs=c.labs, courses=c.courses, events=c.events
    )
    assert cohort_fingerprint(changed) != cohort_fingerprint(c)
    with_cutoff = Cohort(
        patients=c.patients,
        visits=c.visits,
        labs=c.labs,
        courses=c.courses,
        events=c.events,
        cutoff_date=INDEX,
    )
    assert cohort_fingerprint(with_cutoff) != cohort_fingerprint(c)


def test_fingerprint_treats_5_and_5_0_alike() -> None:
    a = Cohort(courses=(DrugCourse("A", "tofacitinib", INDEX, dose=5, dose_unit="mg"),))
    b = Cohort(courses=(DrugCourse("A", "tofacitinib", INDEX, dose=5.0, dose_unit="mg"),))
    c = Cohort(courses=(DrugCourse("A", "tofacitinib", INDEX, dose=5.5, dose_unit="mg"),))
    assert cohort_fingerprint(a) == cohort_fingerprint(b) != cohort_fingerprint(c)


def test_change_counts_carry_their_intervals(report: dict[str, Any]) -> None:
    # CMAS improved / unchanged / worse and enzymes that rose are counts of the patients
    # with both values, each with its Wilson interval (statsmodels as oracle)
    from statsmodels.stats.proportion import proportion_confint

    cmas = report["cmas"]
    for change in ("improved", "unchanged", "worse"):
        block = cmas["changes"][change]
        assert (block["n"], block["denominator"]) == (cmas[f"n_{change}"], cmas["n"])
        low, high = proportion_confint(block["n"], cmas["n"], method="wilson")
        assert block["ci95"] == pytest.approx([100 * low, 100 * high])
    ldh = report["enzymes"]["LDH"]
    assert (ldh["rose"]["n"], ldh["rose"]["denominator"]) == (ldh["n_rose"], ldh["n"])
    ck = report["enzymes"]["CK"]
    assert ck["rose"]["denominator"] == 0 and ck["rose"]["ci95"] is None
