"""Synthetic cohorts: reproducible by seed, exact counts, every value inside the cohort
format's vocabularies and ranges, and accepted by the reader after writing."""

from __future__ import annotations

import random
import statistics
from collections import Counter
from dataclasses import fields
from datetime import timedelta
from pathlib import Path

import pytest

from myotrack.cohort import read_folder, write_folder
from myotrack.cohort.synth import MSA_FREQUENCIES, synthesize
from myotrack.domain import Cohort, Visit
from myotrack.domain.units import accepted_units, canonical_unit
from myotrack.domain.vocab import (
    ANALYTES,
    ANTIBODIES,
    BOHAN_PETER,
    DIAGNOSES,
    DOSE_UNITS,
    ENZYMES,
    EVENTS,
    FEATURES,
    FREQUENCIES,
    JAK_INHIBITORS,
    QUALITATIVE_ANALYTES,
    QUALITATIVE_RESULTS,
    REFRACTORY,
    ROUTES,
    SEXES,
    STOP_REASONS,
    VISIT_MEASURES,
)


@pytest.fixture(scope="module")
def cohort() -> Cohort:
    return synthesize(300, seed=11)


def test_same_seed_same_cohort_and_global_random_untouched() -> None:
    random.seed(5)
    expected = random.random()
    random.seed(5)
    first = synthesize(15, seed=3, visits_per_patient=8, labs_per_patient=20)
    assert random.random() == expected  # uses only its own generator
    assert first == synthesize(15, seed=3, visits_per_patient=8, labs_per_patient=20)


def test_different_seeds_give_different_cohorts() -> None:
    a, b = synthesize(15, seed=1), synthesize(15, seed=2)
    assert a != b
    assert [p.birth_date for p in a.patients] != [p.birth_date for p in b.patients]
    assert [v.cmas for v in a.visits] != [v.cmas for v in b.visits]


@pytest.mark.parametrize(
    ("n", "visits", "labs"), [(1, 1, 0), (7, 4, 6), (12, 30, 100), (3, 60, 250)]
)
def test_exact_counts(n: int, visits: int, labs: int) -> None:
    cohort = synthesize(n, seed=n, visits_per_patient=visits, labs_per_patient=labs)
    assert len(cohort.patients) == n
    assert len({p.patient_id for p in cohort.patients}) == n
    per_patient_visits = Counter(v.patient_id for v in cohort.visits)
    per_patient_labs = Counter(r.patient_id for r in cohort.labs)
    for p in cohort.patients:
        assert per_patient_visits[p.patient_id] == visits
        assert per_patient_labs[p.patient_id] == labs
    assert all(c.patient_id in per_patient_visits for c in cohort.courses)


def test_zero_patients_and_bad_arguments() -> None:
    assert synthesize(0).patients == ()
    with pytest.raises(ValueError):
        synthesize(-1)
    with pytest.raises(ValueError):
        synthesize(3, visits_per_patient=0)
    with pytest.raises(ValueError):
        synthesize(3, labs_per_patient=-1)


def test_patients_use_the_vocabularies(cohort: Cohort) -> None:
    for p in cohort.patients:
        assert p.sex in SEXES
        assert p.diagnosis in DIAGNOSES
        assert p.bohan_peter is None or p.bohan_peter in BOHAN_PETER
        assert p.refractory is None or p.refractory in REFRACTORY
        assert set(p.antibodies) <= set(ANTIBODIES)
        assert set(p.features) <= set(FEATURES)
        assert "none" not in p.antibodies or p.antibodies == ("none",)
        assert "none" not in p.features or p.features == ("none",)
        assert p.onset_date is not None and p.diagnosis_date is not None
        assert p.birth_date < p.onset_date <= p.diagnosis_date
    diagnoses = Counter(p.diagnosis for p in cohort.patients)
    assert diagnoses["JDM"] / len(cohort.patients) > 0.8


def test_antibodies_follow_msa_frequencies() -> None:
    cohort = synthesize(2000, seed=4, visits_per_patient=1, labs_per_patient=0)
    msa = {name for name, _ in MSA_FREQUENCIES}
    counts: Counter[str] = Counter()
    for p in cohort.patients:
        found = [a for a in p.antibodies if a in msa]
        assert len(found) <= 1  # myositis-specific antibodies are mutually exclusive
        counts.update(found)
    tested = sum(1 for p in cohort.patients if p.antibodies)
    for name, frequency in MSA_FREQUENCIES:
        assert abs(counts[name] / tested - frequency) < 0.03, name


def test_visits_are_in_range_and_on_distinct_dates(cohort: Cohort) -> None:
    births = {p.patient_id: p.birth_date for p in cohort.patients}
    seen = set()
    for v in cohort.visits:
        key = (v.patient_id, v.date)
        assert key not in seen
        seen.add(key)
        assert v.date > births[v.patient_id]
        for name, (low, high, whole) in VISIT_MEASURES.items():
            value = getattr(v, name)
            if value is None:
                continue
            assert low is None or value >= low, (name, value)
            assert high is None or value <= high, (name, value)
            if whole:
                assert float(value).is_integer(), (name, value)
        assert v.catbm_activity is None or v.catbm_activity <= 17
        assert v.catbm_damage is None or v.catbm_damage <= 11


def test_visit_field_order_is_what_synth_builds_positionally() -> None:
    names = [f.name for f in fields(Visit)]
    assert names[:6] == ["patient_id", "date", "weight_kg", "height_cm", "rash", "weakness"]


def test_some_cells_are_empty(cohort: Cohort) -> None:
    optional = ["weight_kg", "height_cm", "rash", "weakness", *VISIT_MEASURES]
    optional = list(dict.fromkeys(optional))
    cells = [getattr(v, name) for v in cohort.visits for name in optional]
    empty = sum(c is None for c in cells) / len(cells)
    assert 0.10 <= empty <= 0.20


def test_weight_grows_with_age(cohort: Cohort) -> None:
    grew = []
    for record in cohort.records().values():
        weights = [v.weight_kg for v in record.visits if v.weight_kg is not None]
        if len(weights) >= 2:
            grew.append(weights[-1] > weights[0])
    assert sum(grew) / len(grew) > 0.9


def test_labs_use_analytes_units_and_reference_limits(cohort: Cohort) -> None:
    births = {p.patient_id: p.birth_date for p in cohort.patients}
    keys = set()
    spellings: Counter[str] = Counter()
    for lab in cohort.labs:
        key = (lab.patient_id, lab.date, lab.analyte)
        assert key not in keys
        keys.add(key)
        assert lab.analyte in ANALYTES
        assert lab.date > births[lab.patient_id]
        if lab.analyte in QUALITATIVE_ANALYTES:
            assert lab.result in QUALITATIVE_RESULTS
            assert lab.value is None and lab.unit is None
            continue
        assert lab.result is None
        assert lab.value is not None and lab.value >= 0
        assert lab.unit in accepted_units(lab.analyte)
        assert lab.ref_high is not None
        assert lab.ref_low is None or lab.ref_low <= lab.ref_high
        if lab.reported is not None:
            assert lab.analyte in ENZYMES
            assert lab.unit == canonical_unit(lab.analyte) == "U/L"
            assert lab.reported.unit in accepted_units(lab.analyte)
            assert lab.value == pytest.approx(lab.reported.value * 60)
            assert lab.reported.ref_high is not None
            assert lab.ref_high == pytest.approx(lab.reported.ref_high * 60)
        spellings[lab.reported.unit if lab.reported else lab.unit] += 1
    assert spellings["µkat/L"] and spellings["ukat/L"] and spellings["U/L"]
    assert spellings["g/dL"] and spellings["g/L"] and spellings["mg/dL"]


def test_some_enzymes_are_above_their_limit(cohort: Cohort) -> None:
    ck = [lab for lab in cohort.labs if lab.analyte == "CK"]
    above = sum(bool(lab.above_reference) for lab in ck) / len(ck)
    assert 0.02 < above < 0.6


def test_treatments_are_well_formed(cohort: Cohort) -> None:
    starts = set()
    for c in cohort.courses:
        assert c.drug == c.drug.lower()
        assert c.dose_unit is None or c.dose_unit in DOSE_UNITS
        assert (c.dose is None) or (c.dose_unit is not None)
        assert c.frequency is None or c.frequency in FREQUENCIES
        assert c.route is None or c.route in ROUTES
        assert c.stop_reason is None or c.stop_reason in STOP_REASONS
        assert c.end_date is None or c.end_date >= c.start_date
        key = (c.patient_id, c.drug, c.start_date)
        assert key not in starts
        starts.add(key)


def test_most_patients_get_a_weight_banded_jak_inhibitor(cohort: Cohort) -> None:
    records = cohort.records()
    on_jaki = [r for r in records.values() if r.index_date is not None]
    assert 0.75 <= len(on_jaki) / len(records) <= 0.95
    for r in on_jaki:
        first = r.jak_courses[0]
        assert first.drug in JAK_INHIBITORS and first.frequency == "BID"
        if first.dose is None:
            continue
        start_visit = next(v for v in r.visits if v.date == r.index_date)
        assert start_visit.weight_kg is not None
        assert first.dose == (2.5 if start_visit.weight_kg < 25 else 5.0)
        # a dose change ends one course the day before the next starts
        for before, after in zip(r.jak_courses, r.jak_courses[1:], strict=False):
            assert before.end_date is not None
            assert before.end_date + timedelta(days=1) == after.start_date
        index = r.index_date
        assert index is not None
        assert any(
            c.drug in ("prednisolone", "methylprednisolone") and c.start_date < index
            for c in r.courses
        )


def test_scores_improve_after_the_jak_inhibitor(cohort: Cohort) -> None:
    before, after = [], []
    for r in cohort.records().values():
        if r.index_date is None:
            continue
        start = next(v for v in r.visits if v.date == r.index_date)
        last = r.visits[-1]
        if start.phga is not None and last.phga is not None and last.date > r.index_date:
            before.append(start.phga)
            after.append(last.phga)
    assert len(before) > 100
    assert statistics.mean(after) < statistics.mean(before) - 1


def test_events_follow_the_index_date_and_use_the_vocabulary(cohort: Cohort) -> None:
    records = cohort.records()
    for r in records.values():
        last = r.visits[-1].date
        for e in r.events:
            assert e.event in EVENTS
            assert e.grade is None or 1 <= e.grade <= 5
            assert e.date <= last
            if r.index_date is not None and e.event.startswith("rash_"):
                assert e.date > r.index_date
        names = [e.event for e in sorted(r.events, key=lambda e: e.date)]
        if "rash_resolved" in names:
            assert names.index("rash_improving") < names.index("rash_resolved")
    kinds = Counter(e.event for e in cohort.events)
    assert kinds["rash_improving"] and kinds["rash_resolved"] and kinds["gc_stopped"]
    assert cohort.cutoff_date is not None
    assert cohort.cutoff_date == cohort.latest_date()


def test_rash_flag_agrees_with_rash_events(cohort: Cohort) -> None:
    for r in cohort.records().values():
        resolved = [e.date for e in r.events if e.event == "rash_resolved"]
        relapse = [e.date for e in r.events if e.event == "relapse"]
        if not resolved:
            continue
        for v in r.visits:
            if v.rash is None or v.date < resolved[0]:
                continue
            if relapse and v.date >= relapse[0]:
                continue
            assert v.rash is False


@pytest.mark.parametrize(("visits", "labs"), [(30, 100), (3, 5)])
def test_written_folder_reads_back_without_issues(tmp_path: Path, visits: int, labs: int) -> None:
    cohort = synthesize(25, seed=9, visits_per_patient=visits, labs_per_patient=labs)
    write_folder(cohort, tmp_path)
    back, issues = read_folder(tmp_path)
    assert issues == []
    assert back == cohort


def test_most_but_not_all_rashes_clear(cohort: Cohort) -> None:
    improving = {e.patient_id for e in cohort.events if e.event == "rash_improving"}
    resolved = {e.patient_id for e in cohort.events if e.event == "rash_resolved"}
    assert resolved <= improving
    # Ding 2021: 16/24 rashes resolved on a JAK inhibitor
    assert 0.5 <= len(resolved) / len(improving) <= 0.9
