"""THE reproduction test: a fictional 25-patient cohort, built here from domain objects,
for which `case_series(cohort, quantiles="type6")` reproduces every number that the
first seed (shared/seeds/000_1be51d36ec39367c.txt, a 25-patient JAK-inhibitor case
series in JDM) prints, to its printed precision, under the printing rule of the spec
(half away from zero on the decimal value).

Nothing here is the seed's patient data (which is not published); the cohort is made
up so that the statistics come out at the published figures. The published numbers
appear only in this test, as the expected printed strings.

Mapping of the seed's sentences to the spec's keys (where it is not one-to-one):
- "mean disease course 21.0 months (range: 14.0–36.5)": the spec's
  `disease_duration_months` is a *describe* (median, quartiles, range). The cohort is
  built so that both its `median` and its extra key `mean` print 21.0; `min`/`max` are
  the range.
- "followed for a median of 7.0 months (range: 3–21 months)": `follow_up_months`
  median / min / max (range printed without decimals, as the seed does).
- "received JAKi for 3–18 months": `jaki_exposure_months` min / max, no decimals.
- "rashes started to improve after 1.0 (0.6–2.0) weeks": median (q1–q3) of
  `weeks_to_rash_improving`; likewise marked and resolved.
- "seven cases improved in CMAS (from 18.6±15.0 to 35.7±6.3, p=0.018)": the spec's
  `cmas.improved` (paired t-test over the patients whose CMAS rose).
- "Two patients did not change in CMAS (47)": `cmas.n_unchanged`; "One patient was
  unevaluable ... before JAKi": weakness at baseline without a baseline CMAS
  (`weakness_baseline.n` − `cmas.n`).
- "CK and/or LDH were abnormal in 12 patients": `enzymes.n`; "LDH decreased from
  361.5 (306.3–463.3) U/L to 291.0 (275.8–394.8) U/L (p=0.034) in 12 patients":
  `enzymes.LDH` (Wilcoxon: 12 untied non-zero differences, so the exact p);
  "two patients showed LDH increase, 340→395 and 307→420": `enzymes.LDH.n_rose`,
  checked also on the timelines.
- "4% (1/25) had continuous high levels of muscle enzymes": `enzymes_abnormal_final`.
- "one patient required the maximum dosage of 7.5 mg twice daily": `max_dose`.
- "no increase in infections with EBV, CMV, VZV and TB": `infections.n` = 0 (the
  cohort holds infection events *outside* the window, which must not count).

Joint feasibility: every printed figure could be met at once under the spec's
definitions. Two points needed care and are documented in the data below:
(1) `enzymes_abnormal_final` = 1/25 while the final LDH values reach 450 U/L means the
fictional laboratories' LDH upper limits must lie at or above those finals (450 U/L,
and 340 U/L for three older children whose finals are below it); (2) the relapse
patient stopped the JAK inhibitor at 12 weeks (84 days = 2.76 months), which prints
as 3 months at the seed's precision, so "3–18 months" of exposure holds.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from myotrack.analysis import case_series, format_number, format_p, patient_timelines
from myotrack.domain import (
    Cohort,
    DrugCourse,
    Event,
    LabResult,
    Patient,
    ReportedValue,
    Visit,
)
from myotrack.domain.units import import_conversion

N = 25
CUTOFF = date(2019, 8, 31)  # "Up to the last follow-up in August 2019"
LAST_VISIT = date(2019, 8, 20)

# Ages in years (at onset, at the first JAK inhibitor), youngest first.
ONSET_YEARS = [
    0.63,
    0.83,
    1.03,
    1.33,
    1.62,
    1.82,
    2.02,
    2.32,
    2.62,
    2.82,
    3.11,
    3.41,
    3.81,
    4.11,
    4.5,
    4.8,
    5.3,
    5.8,
    6.29,
    6.99,
    7.78,
    8.78,
    9.77,
    11.26,
    12.25,
]
INDEX_YEARS = [
    2.39,
    2.63,
    2.87,
    3.24,
    3.59,
    3.83,
    4.07,
    4.44,
    4.8,
    5.04,
    5.39,
    5.76,
    6.24,
    6.61,
    7.08,
    7.44,
    8.05,
    8.65,
    9.25,
    10.1,
    11.05,
    12.27,
    13.47,
    15.27,
    16.47,
]
# Diagnosis to first JAK inhibitor, months (each ≤ the time since onset).
DURATION_MONTHS = [
    14.0,
    15.0,
    16.0,
    16.5,
    17.0,
    17.5,
    18.0,
    18.5,
    19.0,
    19.5,
    20.0,
    20.5,
    21.0,
    21.0,
    21.5,
    22.5,
    22.5,
    23.5,
    24.0,
    24.5,
    25.0,
    23.0,
    24.0,
    25.5,
    36.5,
]
# Follow-up in days by follow-up rank (rank 0 shortest); patient i has rank FU_RANK[i].
FOLLOW_UP_DAYS = [
    91,
    95,
    100,
    120,
    130,
    150,
    160,
    170,
    180,
    190,
    200,
    205,
    213,
    230,
    250,
    270,
    290,
    300,
    330,
    360,
    400,
    430,
    480,
    520,
    639,
]
FU_RANK = [(7 * i + 3) % N for i in range(N)]

FEMALE = {0, 2, 3, 7, 9, 12, 14, 17, 19, 21, 23}  # 11 girls
TOFACITINIB = {1, 5, 8, 13, 16, 20, 22}  # 7; the others ruxolitinib
INEFFECTIVE = {0, 4, 6, 10, 15, 18, 21, 24}  # 8; the others glucocorticoid-dependent
N_UNDER_25KG = 11  # the 11 youngest weigh < 25 kg
WEIGHTS = [
    10.5,
    11.0,
    12.0,
    13.0,
    13.5,
    14.0,
    15.5,
    16.0,
    17.5,
    19.0,
    21.0,
    25.0,
    26.0,
    27.5,
    28.0,
    30.0,
    31.0,
    33.5,
    36.0,
    38.0,
    41.0,
    44.0,
    48.0,
    52.0,
    55.0,
]

# Rash: everyone but the patient with follow-up rank 0. Events by follow-up rank 1..24,
# in days after the index date (rank r gets element r − 1).
IMPROVING_DAYS = [2, 3, 3, 4, 4, 4, 4, 5, 5, 6, 7, 7, 7, 7, 8, 10, 12, 14, 14, 14, 21, 21, 28, 35]
MARKED_DAYS = [
    7,
    10,
    10,
    14,
    14,
    14,
    14,
    14,
    14,
    14,
    14,
    14,
    21,
    21,
    21,
    21,
    28,
    28,
    28,
    28,
    35,
    42,
    56,
    56,
]
# Resolved: follow-up ranks 9..24 (16 patients).
RESOLVED_DAYS = [42, 49, 56, 56, 56, 70, 84, 84, 84, 112, 140, 168, 168, 182, 210, 252]
RELAPSE_RANK = 11  # resolved at 8 weeks, relapsed 4 weeks later, JAKi stopped at 12 weeks
MAX_DOSE_RANK = 24  # a girl (patient S04) escalated 2.5 → 5 → 7.5 mg BID
GC_STOPPED_RANKS = {18, 19, 20, 21, 22, 23, 24}  # 7 patients
# CAT-BM activity by follow-up rank 1..24 (baseline, final): each falls.
CATBM_BASELINE = [1, 2, 2, 3, 3, 3, 3, 5, 6, 6, 7, 7, 7, 8, 9, 9, 10, 10, 10, 10, 12, 13, 14, 15]
CATBM_FINAL = [0] * 13 + [1] * 6 + [2, 2, 3, 4, 5]

# Weakness at baseline: 10 patients. CMAS (baseline, final); None = unevaluable.
CMAS: dict[int, tuple[int | None, int]] = {
    1: (0, 29),
    4: (16, 29),
    6: (25, 33),
    9: (31, 33),
    11: (12, 40),
    15: (4, 41),
    18: (42, 45),
    20: (47, 47),
    22: (47, 47),
    24: (None, 38),  # joint contracture: no baseline CMAS
}

# Muscle enzymes, U/L: (LDH baseline, LDH final, LDH ref_high, CK baseline, CK final,
# CK ref_high). ref_high are the fictional laboratories' upper limits.
ENZYMES: dict[int, tuple[float, float, float, float, float, float]] = {
    0: (280, 240, 450, 800, 650, 200),  # CK stays high: the one abnormal final
    2: (295, 262, 450, 450, 120, 200),
    3: (306, 275, 450, 1200, 150, 200),  # LDH reported in µkat/L (5.1 → 306 U/L)
    5: (307, 420, 450, 350, 160, 200),  # LDH rose
    7: (340, 395, 450, 600, 90, 200),  # LDH rose
    8: (355, 289, 340, 110, 95, 200),
    10: (368, 293, 340, 90, 70, 200),
    12: (400, 320, 340, 130, 100, 200),
    14: (461, 278, 450, 150, 110, 200),
    16: (464, 285, 450, 95, 80, 200),
    19: (520, 394, 450, 120, 100, 200),
    23: (600, 450, 450, 180, 140, 200),
}
NORMAL_ENZYMES = {1: (250, 240, 450, 100, 90, 200), 13: (210, 200, 340, 60, 65, 200)}


def _days(years: float) -> timedelta:
    return timedelta(days=round(years * 365.25))


def _lab(pid: str, day: date, analyte: str, value: float, ref_high: float) -> LabResult:
    return LabResult(pid, day, analyte, value=value, unit="U/L", ref_high=ref_high)


def _ldh_in_microkatal(pid: str, day: date, ukat: float, ref_ukat: float) -> LabResult:
    """As the importer stores a µkat/L result: U/L value, reported value kept."""
    value, unit = import_conversion("LDH", ukat, "µkat/L")
    ref, _ = import_conversion("LDH", ref_ukat, "µkat/L")
    return LabResult(
        pid,
        day,
        "LDH",
        value=value,
        unit=unit,
        ref_high=ref,
        reported=ReportedValue(ukat, "µkat/L", ref_high=ref_ukat),
    )


def seed_cohort() -> Cohort:
    patients: list[Patient] = []
    visits: list[Visit] = []
    labs: list[LabResult] = []
    courses: list[DrugCourse] = []
    events: list[Event] = []
    for i in range(N):
        pid = f"S{i + 1:02d}"
        rank = FU_RANK[i]
        fu = FOLLOW_UP_DAYS[rank]
        final_day = LAST_VISIT - timedelta(days=i % 5)
        index = final_day - timedelta(days=fu)
        birth = index - _days(INDEX_YEARS[i])
        patients.append(
            Patient(
                pid,
                "F" if i in FEMALE else "M",
                birth,
                "JDM",
                onset_date=birth + _days(ONSET_YEARS[i]),
                diagnosis_date=index - timedelta(days=round(DURATION_MONTHS[i] * 30.4375)),
                bohan_peter="definite",
                refractory="ineffective" if i in INEFFECTIVE else "gc_dependent",
            )
        )
        rash = rank != 0
        weak = i in CMAS
        cmas_base, cmas_final = CMAS.get(i, (None, None))
        catbm_base = CATBM_BASELINE[rank - 1] if rash else 0
        catbm_final = CATBM_FINAL[rank - 1] if rash else 0
        # A visit before the 90-day window: its values must be ignored.
        visits.append(
            Visit(
                pid,
                index - timedelta(days=120),
                weight_kg=WEIGHTS[i] - 3,
                rash=not rash,
                weakness=not weak,
                cmas=52,
                catbm_activity=20,
            )
        )
        # Weight recorded 30 days before the index date for some, on the index date for
        # others: the baseline is the latest date on which *that* measure is recorded.
        early_weight = i % 3 == 0
        if early_weight:
            visits.append(Visit(pid, index - timedelta(days=30), weight_kg=WEIGHTS[i]))
        visits.append(
            Visit(
                pid,
                index,
                weight_kg=None if early_weight else WEIGHTS[i],
                rash=rash,
                weakness=weak,
                cmas=cmas_base,
                catbm_activity=catbm_base,
            )
        )
        visits.append(
            Visit(
                pid, index + timedelta(days=60), rash=rash, weakness=weak, catbm_activity=catbm_base
            )
        )
        visits.append(
            Visit(
                pid,
                final_day,
                rash=False,
                weakness=False,
                cmas=cmas_final,
                catbm_activity=catbm_final,
            )
        )

        drug = "tofacitinib" if i in TOFACITINIB else "ruxolitinib"
        start_dose = 2.5 if i < N_UNDER_25KG else 5.0
        if rank == MAX_DOSE_RANK:
            courses.append(
                DrugCourse(
                    pid,
                    drug,
                    index,
                    index + timedelta(days=59),
                    dose=start_dose,
                    dose_unit="mg",
                    frequency="BID",
                )
            )
            courses.append(
                DrugCourse(
                    pid,
                    drug,
                    index + timedelta(days=60),
                    index + timedelta(days=119),
                    dose=5.0,
                    dose_unit="mg",
                    frequency="BID",
                )
            )
            courses.append(
                DrugCourse(
                    pid,
                    drug,
                    index + timedelta(days=120),
                    index + timedelta(days=548),
                    dose=7.5,
                    dose_unit="mg",
                    frequency="BID",
                    stop_reason="remission",
                )
            )
        elif rank == RELAPSE_RANK:
            courses.append(
                DrugCourse(
                    pid,
                    drug,
                    index,
                    index + timedelta(days=84),
                    dose=start_dose,
                    dose_unit="mg",
                    frequency="BID",
                    stop_reason="ineffective",
                )
            )
        else:
            courses.append(
                DrugCourse(pid, drug, index, dose=start_dose, dose_unit="mg", frequency="BID")
            )
        courses.append(
            DrugCourse(
                pid,
                "prednisolone",
                index - timedelta(days=400),
                dose=1,
                dose_unit="mg/kg",
                frequency="QD",
            )
        )

        if rash:
            events.append(
                Event(pid, index + timedelta(days=IMPROVING_DAYS[rank - 1]), "rash_improving")
            )
            events.append(Event(pid, index + timedelta(days=MARKED_DAYS[rank - 1]), "rash_marked"))
            if rank >= 9:
                events.append(
                    Event(pid, index + timedelta(days=RESOLVED_DAYS[rank - 9]), "rash_resolved")
                )
        if rank == RELAPSE_RANK:
            events.append(Event(pid, index + timedelta(days=84), "relapse"))
        if rank in GC_STOPPED_RANKS:
            events.append(Event(pid, final_day - timedelta(days=30), "gc_stopped"))

        if i in ENZYMES or i in NORMAL_ENZYMES:
            ldh_b, ldh_f, ldh_ref, ck_b, ck_f, ck_ref = ENZYMES.get(i) or NORMAL_ENZYMES[i]
            if i == 3:
                labs.append(_ldh_in_microkatal(pid, index, ldh_b / 60, ldh_ref / 60))
            else:
                labs.append(_lab(pid, index - timedelta(days=7), "LDH", ldh_b, ldh_ref))
            labs.append(_lab(pid, index - timedelta(days=7), "CK", ck_b, ck_ref))
            labs.append(_lab(pid, final_day, "LDH", ldh_f, ldh_ref))
            labs.append(_lab(pid, final_day, "CK", ck_f, ck_ref))
            # Older results outside the baseline window, far above the limits: ignored.
            labs.append(_lab(pid, index - timedelta(days=200), "CK", 5000, ck_ref))

    # Infections outside the window (before the index date; after the last visit) and
    # a thromboembolism after the cut-off: none of them may be counted.
    events.append(Event("S05", date(2017, 1, 10), "infection", detail="EBV"))
    events.append(Event("S06", LAST_VISIT + timedelta(days=5), "infection", detail="vzv"))
    events.append(Event("S07", CUTOFF + timedelta(days=20), "thromboembolism"))

    # Two patients who are not in the case series.
    patients.append(Patient("X01", "F", date(2010, 5, 1), "JDM", refractory="no"))
    visits.append(Visit("X01", date(2019, 1, 1), rash=True))
    patients.append(Patient("X02", "M", date(2009, 5, 1), "JDM", refractory="no"))
    courses.append(
        DrugCourse(
            "X02", "baricitinib", CUTOFF + timedelta(days=1), dose=2, dose_unit="mg", frequency="QD"
        )
    )
    return Cohort(
        patients=tuple(patients),
        visits=tuple(visits),
        labs=tuple(labs),
        courses=tuple(courses),
        events=tuple(events),
        cutoff_date=CUTOFF,
    )


def f1(x: float | None) -> str:
    return format_number(x, 1)


def f0(x: float | None) -> str:
    return format_number(x, 0)


def mqq(d: dict[str, Any]) -> str:
    """median (q1–q3), as the seed prints."""
    return f"{f1(d['median'])} ({f1(d['q1'])}–{f1(d['q3'])})"


def pct(c: dict[str, Any]) -> str:
    return f"{f0(c['pct'])}% ({c['n']}/{c['denominator']})"


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return case_series(seed_cohort(), quantiles="type6")


def test_the_fictional_data_are_coherent() -> None:
    cohort = seed_cohort()
    for p in cohort.patients[:N]:
        assert p.onset_date is not None and p.diagnosis_date is not None
        assert p.birth_date < p.onset_date <= p.diagnosis_date
    for t in patient_timelines(cohort):
        assert date(2017, 11, 1) <= t.index_date <= date(2019, 5, 31)  # "Nov 2017 – May 2019"
        weight = t.baseline["weight_kg"]
        assert weight is not None and (weight < 25) == (t.weight_band == "lt25")
        for event, day in t.first_events.items():
            assert t.index_date < day <= t.follow_up_end, event
        if "rash_resolved" in t.first_events:
            assert (
                t.first_events["rash_improving"]
                <= t.first_events["rash_marked"]
                <= t.first_events["rash_resolved"]
            )


def test_patients_and_exclusions(report: dict[str, Any]) -> None:
    assert report["n_patients"] == 25
    assert report["n_excluded"] == 2
    assert report["excluded_reasons"] == {"no_jak_inhibitor": 1, "index_after_cutoff": 1}
    assert report["methods"]["quantile_type"] == "type6"
    assert report["methods"]["cutoff_date"].startswith("2019-08")  # "August 2019"
    assert report["warnings"] == []


def test_demographics(report: dict[str, Any]) -> None:
    assert pct(report["female"]) == "44% (11/25)"
    onset, index = report["age_onset_years"], report["age_index_years"]
    assert f"{f1(onset['mean'])}±{f1(onset['sd'])}" == "4.6±3.3"
    assert f"{f1(index['mean'])}±{f1(index['sd'])}" == "7.2±4.0"
    duration = report["disease_duration_months"]
    # the seed says "mean ... (range)"; the spec's describe gives the median: both hold
    assert f1(duration["mean"]) == "21.0"
    assert f1(duration["median"]) == "21.0"
    assert f"{f1(duration['min'])}–{f1(duration['max'])}" == "14.0–36.5"


def test_refractory_agents_and_doses(report: dict[str, Any]) -> None:
    refractory = report["refractory"]
    assert pct(refractory["ineffective"]) == "32% (8/25)"
    assert pct(refractory["gc_dependent"]) == "68% (17/25)"
    assert refractory["no"]["n"] == 0 and refractory["not_recorded"]["n"] == 0
    assert pct(report["jaki_agent"]["tofacitinib"]) == "28% (7/25)"
    assert pct(report["jaki_agent"]["ruxolitinib"]) == "72% (18/25)"
    lt25, ge25 = report["weight_band"]["lt25"], report["weight_band"]["ge25"]
    assert lt25["n"] == 11 and ge25["n"] == 14 and report["weight_band"]["unknown"]["n"] == 0
    assert {(d["dose_mg"], d["frequency"]) for d in lt25["starting_doses"]} == {(2.5, "BID")}
    assert {(d["dose_mg"], d["frequency"]) for d in ge25["starting_doses"]} == {(5.0, "BID")}
    top = max(report["max_dose"], key=lambda r: r["dose_mg"])
    assert (top["dose_mg"], top["frequency"], top["n"]) == (7.5, "BID", 1)
    assert sum(r["n"] for r in report["max_dose"] if r["dose_mg"] == 7.5) == 1
    exposure = report["jaki_exposure_months"]
    assert f"{f0(exposure['min'])}–{f0(exposure['max'])}" == "3–18"


def test_follow_up(report: dict[str, Any]) -> None:
    fu = report["follow_up_months"]
    assert f1(fu["median"]) == "7.0"
    assert f"{f0(fu['min'])}–{f0(fu['max'])}" == "3–21"


def test_rash(report: dict[str, Any]) -> None:
    assert pct(report["rash_baseline"]) == "96% (24/25)"
    assert report["rash_improved"]["n"] == report["rash_improved"]["denominator"] == 24
    resolved = report["rash_resolved"]
    assert f"{f1(resolved['pct'])}% ({resolved['n']}/{resolved['denominator']})" == "66.7% (16/24)"
    assert mqq(report["weeks_to_rash_improving"]) == "1.0 (0.6–2.0)"
    assert mqq(report["weeks_to_rash_marked"]) == "2.5 (2.0–4.0)"
    assert mqq(report["weeks_to_rash_resolved"]) == "12.0 (8.0–24.0)"
    catbm = report["catbm_activity"]
    assert catbm["n"] == 24
    assert mqq(catbm["baseline"]) == "7.0 (3.0–10.0)"
    assert mqq(catbm["final"]) == "0.0 (0.0–1.0)"
    assert format_p(catbm["p"]) == "<0.001"
    assert catbm["p_method"] == "normal_approx"  # tied differences


def test_glucocorticoids_and_relapse(report: dict[str, Any]) -> None:
    assert pct(report["gc_stopped"]) == "28% (7/25)"
    assert report["relapse"]["n"] == 1


def test_muscle(report: dict[str, Any]) -> None:
    weakness = report["weakness_baseline"]
    assert f"{weakness['n']}/{weakness['denominator']} ({f0(weakness['pct'])}%)" == "10/25 (40%)"
    cmas = report["cmas"]
    improved = cmas["improved"]
    assert improved["n"] == cmas["n_improved"] == 7
    assert f"{f1(improved['baseline']['mean'])}±{f1(improved['baseline']['sd'])}" == "18.6±15.0"
    assert f"{f1(improved['final']['mean'])}±{f1(improved['final']['sd'])}" == "35.7±6.3"
    assert format_p(improved["p"]) == "0.018"
    assert improved["p_method"] == "paired_t"
    assert cmas["n_unchanged"] == 2 and cmas["n_worse"] == 0
    assert weakness["n"] - cmas["n"] == 1  # one unevaluable at baseline
    timelines = {t.patient_id: t for t in patient_timelines(seed_cohort())}
    unchanged = [
        t
        for t in timelines.values()
        if t.baseline["cmas"] is not None
        and t.baseline["cmas"] == t.final["cmas"]
        and t.baseline["weakness"]
    ]
    assert [(t.baseline["cmas"], t.final["cmas"]) for t in unchanged] == [(47, 47), (47, 47)]


def test_enzymes(report: dict[str, Any]) -> None:
    enzymes = report["enzymes"]
    assert enzymes["n"] == 12
    ldh = enzymes["LDH"]
    assert ldh["n"] == 12
    assert (
        f"{mqq(ldh['baseline'])} U/L to {mqq(ldh['final'])} U/L"
        == "361.5 (306.3–463.3) U/L to 291.0 (275.8–394.8) U/L"
    )
    assert format_p(ldh["p"]) == "0.034"
    assert ldh["p_method"] == "exact"
    assert ldh["n_rose"] == 2
    rose = sorted(
        (t.baseline["LDH"], t.final["LDH"])
        for t in patient_timelines(seed_cohort())
        if t.baseline["LDH"] is not None
        and t.final["LDH"] is not None
        and t.final["LDH"] > t.baseline["LDH"]
    )
    assert [(f0(b), f0(f)) for b, f in rose] == [("307", "420"), ("340", "395")]
    final = report["enzymes_abnormal_final"]
    assert pct(final) == "4% (1/25)"


def test_no_infections_or_thromboembolism(report: dict[str, Any]) -> None:
    assert report["infections"]["n"] == 0
    assert report["infections"]["by_detail"] == {}
    assert report["thromboembolism"]["n"] == 0


def test_type7_differs_where_the_quantile_type_matters() -> None:
    """The printed LDH quartiles are those of type 6 (SPSS); type 7 gives others."""
    report7 = case_series(seed_cohort(), quantiles="type7")
    assert mqq(report7["enzymes"]["LDH"]["baseline"]) != "361.5 (306.3–463.3)"
    assert report7["methods"]["quantile_type"] == "type7"


def test_no_published_number_is_in_the_analysis_code() -> None:
    """The report computes the seed's figures; it never holds them."""
    import myotrack.analysis as analysis

    package = Path(analysis.__file__).parent
    published = [
        "361.5",
        "306.3",
        "463.3",
        "291.0",
        "275.8",
        "394.8",
        "18.6",
        "15.0",
        "35.7",
        "6.3",
        "0.018",
        "0.034",
        "66.7",
        "21.0",
        "36.5",
        "4.6",
        "3.3",
        "7.2",
    ]
    for source in package.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        for number in published:
            assert number not in text, f"{source.name} contains {number}"
