"""The bundled demo cohort: it reads without a single issue, and it has the shape its
README promises (the 25-patient case series of Ding et al. 2021 and the MDA5-positive
child of Strauss et al. 2023)."""

from __future__ import annotations

import statistics
from datetime import date, timedelta
from pathlib import Path

import pytest
from scipy import stats

from myotrack.cohort import DEMO_FOLDER, read_folder
from myotrack.domain import Cohort, LabResult, PatientRecord, Visit
from myotrack.domain.vocab import JAK_INHIBITORS

SERIES_SITES = ("Demo Centre A", "Demo Centre B")
MDA5_ID = "MDA5-case"


@pytest.fixture(scope="module")
def cohort() -> Cohort:
    folder = Path(DEMO_FOLDER)
    assert (folder / "README.md").is_file()
    result, issues = read_folder(folder)
    assert issues == []
    assert result is not None
    return result


@pytest.fixture(scope="module")
def records(cohort: Cohort) -> dict[str, PatientRecord]:
    return cohort.records()


@pytest.fixture(scope="module")
def series(records: dict[str, PatientRecord]) -> list[PatientRecord]:
    return [r for r in records.values() if r.patient.site in SERIES_SITES]


def _baseline(record: PatientRecord, measure: str) -> float | bool | None:
    """Case-series spec: latest value recorded in [index - 90 days, index]."""
    index = record.index_date
    assert index is not None
    found = [
        v.measure(measure)
        for v in record.visits
        if index - timedelta(days=90) <= v.date <= index and v.measure(measure) is not None
    ]
    return found[-1] if found else None


def _final_visit(record: PatientRecord) -> Visit:
    return record.visits[-1]


def _final(record: PatientRecord, measure: str) -> float | bool | None:
    index = record.index_date
    assert index is not None
    found = [
        v.measure(measure)
        for v in record.visits
        if v.date > index and v.measure(measure) is not None
    ]
    return found[-1] if found else None


def _events_after(record: PatientRecord, name: str) -> list[date]:
    index, end = record.index_date, _final_visit(record).date
    assert index is not None
    return [e.date for e in record.events if e.event == name and index < e.date <= end]


def test_demo_has_26_patients_all_on_a_jak_inhibitor(
    cohort: Cohort, records: dict[str, PatientRecord], series: list[PatientRecord]
) -> None:
    assert len(cohort.patients) == 26
    assert len(series) == 25
    assert MDA5_ID in records
    assert all(r.index_date is not None for r in records.values())
    assert cohort.cutoff_date == date(2023, 1, 31)


def test_series_is_shaped_like_ding_2021(series: list[PatientRecord]) -> None:
    assert sum(r.patient.sex == "F" for r in series) == 11
    assert all(r.patient.diagnosis == "JDM" for r in series)
    refractory = [r.patient.refractory for r in series]
    assert refractory.count("ineffective") == 8
    assert refractory.count("gc_dependent") == 17
    assert {r.patient.bohan_peter for r in series} == {"definite", "probable"}
    first_drug = [r.jak_courses[0].drug for r in series]
    assert first_drug.count("tofacitinib") == 7
    assert first_drug.count("ruxolitinib") == 18
    starts = [r.index_date for r in series]
    assert all(s is not None and date(2017, 11, 1) <= s <= date(2019, 5, 31) for s in starts)
    assert all(date(2019, 5, 1) <= _final_visit(r).date <= date(2019, 8, 31) for r in series)
    assert sum(r.patient.site == "Demo Centre B" for r in series) == 5


def test_ages_and_disease_duration_are_near_the_published_figures(
    series: list[PatientRecord],
) -> None:
    def years(a: date, b: date) -> float:
        return (b - a).days / 365.25

    onset = [
        years(r.patient.birth_date, r.patient.onset_date) for r in series if r.patient.onset_date
    ]
    at_index = [years(r.patient.birth_date, r.index_date) for r in series if r.index_date]
    duration = [
        (r.index_date - r.patient.diagnosis_date).days / 30.4375
        for r in series
        if r.index_date and r.patient.diagnosis_date
    ]
    # Ding 2021: onset 4.6 ± 3.3 y; JAKi start 7.2 ± 4.0 y; duration 21.0 (14.0-36.5) months
    assert len(onset) == len(at_index) == len(duration) == 25
    assert 3.8 <= statistics.mean(onset) <= 5.4
    assert min(onset) > 0.8
    assert 6.6 <= statistics.mean(at_index) <= 7.8
    assert 3.0 <= statistics.stdev(at_index) <= 4.5
    assert 20.0 <= statistics.mean(duration) <= 22.0
    assert min(duration) >= 13.5 and max(duration) <= 37.0


def test_starting_dose_follows_the_weight_band(series: list[PatientRecord]) -> None:
    bands = {"lt25": 0, "ge25": 0}
    for r in series:
        weight = _baseline(r, "weight_kg")
        assert isinstance(weight, float)
        first = r.jak_courses[0]
        assert (first.dose_unit, first.frequency) == ("mg", "BID")
        if weight < 25:
            bands["lt25"] += 1
            assert first.dose == 2.5
        else:
            bands["ge25"] += 1
            assert first.dose == 5.0
    assert bands == {"lt25": 11, "ge25": 14}


def test_one_escalation_to_seven_and_a_half_mg_as_a_dose_change(
    series: list[PatientRecord],
) -> None:
    escalated = [r for r in series if any(c.dose == 7.5 for c in r.jak_courses)]
    assert len(escalated) == 1
    girl = escalated[0]
    assert girl.patient.sex == "F"
    first, second = girl.jak_courses
    assert (first.dose, second.dose) == (5.0, 7.5)
    assert first.drug == second.drug
    assert first.end_date is not None and first.end_date + timedelta(days=1) == second.start_date
    assert _events_after(girl, "gc_stopped")


def test_rash_course_and_events(series: list[PatientRecord]) -> None:
    with_rash = [r for r in series if _baseline(r, "rash") is True]
    assert len(with_rash) == 24
    assert all(_events_after(r, "rash_improving") for r in with_rash)
    assert all(_events_after(r, "rash_marked") for r in with_rash)
    assert sum(bool(_events_after(r, "rash_resolved")) for r in with_rash) == 16

    def weeks(r: PatientRecord, name: str) -> float:
        assert r.index_date is not None
        return (_events_after(r, name)[0] - r.index_date).days / 7

    improving = [weeks(r, "rash_improving") for r in with_rash]
    marked = [weeks(r, "rash_marked") for r in with_rash]
    resolved = [weeks(r, "rash_resolved") for r in with_rash if _events_after(r, "rash_resolved")]
    # Ding 2021: 1.0 (0.6-2.0), 2.5 (2.0-4.0) and 12.0 (8.0-24.0) weeks
    assert statistics.median(improving) == 1.0
    assert min(improving) >= 0.5 and max(improving) <= 2.0
    assert statistics.median(marked) == 2.5
    assert min(marked) >= 2.0 and max(marked) <= 4.0
    assert statistics.median(resolved) == 12.0
    assert min(resolved) >= 8.0 and max(resolved) <= 24.0
    assert all(weeks(r, "rash_improving") < weeks(r, "rash_marked") for r in with_rash)


def test_catbm_activity_falls(series: list[PatientRecord]) -> None:
    pairs = [
        (_baseline(r, "catbm_activity"), _final(r, "catbm_activity"))
        for r in series
        if _baseline(r, "rash") is True
    ]
    baseline = [b for b, f in pairs if b is not None and f is not None]
    final = [f for b, f in pairs if b is not None and f is not None]
    assert len(baseline) == 24
    assert statistics.median(baseline) == 7  # Ding: 7.0 (3.0-10.0)
    assert statistics.median(final) == 0  # Ding: 0.0 (0.0-1.0)


def test_weakness_and_cmas(series: list[PatientRecord]) -> None:
    weak = [r for r in series if _baseline(r, "weakness") is True]
    assert len(weak) == 10
    paired = [(_baseline(r, "cmas"), _final(r, "cmas")) for r in weak]
    assert sum(b is None and f is not None for b, f in paired) == 1  # unevaluable before
    both = [(float(b), float(f)) for b, f in paired if b is not None and f is not None]
    assert len(both) == 9
    unchanged = [b for b, f in both if b == f]
    improved = [(b, f) for b, f in both if f > b]
    assert unchanged == [47.0, 47.0]
    assert len(improved) == 7
    # Ding 2021: 18.6 ± 15.0 -> 35.7 ± 6.3
    assert round(statistics.mean(b for b, _ in improved), 1) == 18.6
    assert round(statistics.mean(f for _, f in improved), 1) == 35.7
    # paired t-test, as the paper reports it (p = 0.018)
    t = stats.ttest_rel([f for _, f in improved], [b for b, _ in improved])
    assert round(float(t.pvalue), 3) == 0.018


def _lab_u_per_l(record: PatientRecord, analyte: str, when: str) -> LabResult:
    index = record.index_date
    assert index is not None
    labs = [lab for lab in record.labs if lab.analyte == analyte]
    if when == "baseline":
        chosen = [lab for lab in labs if index - timedelta(days=90) <= lab.date <= index]
    else:
        chosen = [lab for lab in labs if index < lab.date <= _final_visit(record).date]
    assert chosen
    assert chosen[-1].unit == "U/L"
    return chosen[-1]


def test_muscle_enzymes_like_the_paper(series: list[PatientRecord]) -> None:
    abnormal = []
    for r in series:
        ck, ldh = _lab_u_per_l(r, "CK", "baseline"), _lab_u_per_l(r, "LDH", "baseline")
        if ck.above_reference or ldh.above_reference:
            abnormal.append(r)
    assert len(abnormal) == 12  # Ding: CK and/or LDH abnormal in 12
    base = [_lab_u_per_l(r, "LDH", "baseline").value for r in abnormal]
    final = [_lab_u_per_l(r, "LDH", "final").value for r in abnormal]
    assert statistics.median(b for b in base if b is not None) == 361.5
    assert statistics.median(f for f in final if f is not None) == 291.0
    rose = sorted((b, f) for b, f in zip(base, final, strict=True) if b and f and f > b)
    assert rose == [(307.0, 420.0), (340.0, 395.0)]
    # Wilcoxon signed-rank, exact (12 pairs, no ties, no zeros), as published: p = 0.034
    w = stats.wilcoxon(base, final, method="exact")
    assert round(float(w.pvalue), 3) == 0.034


def test_site_b_reports_enzymes_in_microkatal(series: list[PatientRecord]) -> None:
    site_b = [r for r in series if r.patient.site == "Demo Centre B"]
    ck = [lab for r in site_b for lab in r.labs if lab.analyte == "CK"]
    assert ck
    for lab in ck:
        assert lab.reported is not None and lab.reported.unit == "ukat/L"
        assert lab.unit == "U/L"
        assert lab.value == pytest.approx(lab.reported.value * 60)


def test_glucocorticoids_stopped_relapse_and_no_infection(series: list[PatientRecord]) -> None:
    assert sum(bool(_events_after(r, "gc_stopped")) for r in series) == 7
    relapsed = [r for r in series if _events_after(r, "relapse")]
    assert len(relapsed) == 1
    r = relapsed[0]
    assert r.index_date is not None
    resolved = _events_after(r, "rash_resolved")[0]
    relapse = _events_after(r, "relapse")[0]
    assert (resolved - r.index_date).days == 8 * 7
    assert (relapse - resolved).days == 4 * 7
    (course,) = r.jak_courses
    assert course.end_date == r.index_date + timedelta(weeks=12)
    assert not any(_events_after(r, "infection") for r in series)
    assert not any(_events_after(r, "thromboembolism") for r in series)


def test_follow_up_months(series: list[PatientRecord]) -> None:
    months = [(_final_visit(r).date - r.index_date).days / 30.4375 for r in series if r.index_date]
    # Ding 2021: median 7.0 months (3-21)
    assert round(statistics.median(months), 1) == 7.0
    assert round(min(months)) == 3
    assert round(max(months)) == 21


def test_the_mda5_child_of_strauss_2023(records: dict[str, PatientRecord]) -> None:
    child = records[MDA5_ID]
    p = child.patient
    assert (p.sex, p.diagnosis) == ("M", "ADM")
    assert set(p.antibodies) == {"MDA5", "RO52", "ANA"}
    assert set(p.features) == {"ILD", "calcinosis", "skin_ulceration", "arthritis"}
    admission = child.visits[0]
    assert admission.date.isoformat().startswith("2021-09")
    assert int(p.age_years(admission.date)) == 4
    assert (admission.cmas, admission.cdasi_activity, admission.cdasi_damage) == (20, 14, 2)
    last = child.visits[-1]
    assert last.date.isoformat().startswith("2023-01")
    assert last.cmas == 47

    printed = {
        lab.analyte: lab for lab in child.labs if lab.date == admission.date and lab.reported
    }
    expected = {
        "CK": (0.26, None, 3.17),
        "aldolase": (0.22, None, 0.2),
        "LDH": (5.37, 2.0, 5.0),
        "AST": (0.54, None, 0.88),
    }
    for analyte, (value, low, high) in expected.items():
        reported = printed[analyte].reported
        assert reported is not None
        assert (reported.value, reported.unit) == (value, "µmol/(s*L)")
        assert (reported.ref_low, reported.ref_high) == (low, high)
        assert printed[analyte].unit == "U/L"
        assert printed[analyte].value == pytest.approx(value * 60)
    assert printed["aldolase"].above_reference is True
    assert printed["LDH"].above_reference is True
    assert printed["CK"].above_reference is False
    spellings = {lab.reported.unit for lab in child.labs if lab.reported}
    assert {"µmol/(s*L)", "µkat/L", "ukat/L"} <= spellings

    ifn = [lab for lab in child.labs if lab.analyte == "IFN_score"]
    assert (ifn[0].value, ifn[0].unit, ifn[0].ref_high) == (4124, "score", 12.49)
    values = [lab.value for lab in ifn if lab.value is not None]
    assert values == sorted(values, reverse=True)

    (rux,) = child.jak_courses
    assert (rux.drug, rux.dose, rux.dose_unit, rux.frequency) == ("ruxolitinib", 5, "mg", "BID")
    assert rux.start_date.isoformat().startswith("2021-10") and rux.end_date is None
    drugs = {c.drug for c in child.courses}
    assert {
        "prednisolone",
        "methotrexate",
        "adalimumab",
        "ivig",
        "hydroxychloroquine",
        "cotrimoxazole",
    } <= drugs
    pred = [c for c in child.courses if c.drug == "prednisolone"]
    assert pred[0].dose == 1.0 and pred[0].dose_unit == "mg/kg"
    pred_end = max(c.end_date for c in pred if c.end_date)
    # "finally stopped after six months" (counted from the start of treatment in September)
    assert round((pred_end - date(2021, 9, 13)).days / 30.4375) == 6
    (ivig,) = [c for c in child.courses if c.drug == "ivig"]
    assert ivig.end_date is not None
    assert round((ivig.end_date - ivig.start_date).days / 30.4375) == 13
    hcq = next(c for c in child.courses if c.drug == "hydroxychloroquine")
    assert (hcq.dose, hcq.dose_unit, hcq.frequency) == (200, "mg", "QD")
    events = {e.event: e for e in child.events}
    assert events["infection"].detail == "PJP"
    assert events["gc_stopped"].date == pred_end
    assert {"rash_improving", "rash_resolved"} <= set(events)


def test_readme_says_fictional() -> None:
    text = (Path(DEMO_FOLDER) / "README.md").read_text(encoding="utf-8").lower()
    assert "fictional" in text
    assert MDA5_ID.lower() in text


def test_jak_inhibitor_vocabulary_is_used(cohort: Cohort) -> None:
    drugs = {c.drug for c in cohort.courses if c.drug in JAK_INHIBITORS}
    assert drugs == {"tofacitinib", "ruxolitinib"}
