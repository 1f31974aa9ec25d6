"""De-identified exports keep every interval and drop what could identify a child."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from myotrack.cohort import read_folder
from myotrack.cohort.deidentify import (
    MAX_SHIFT_DAYS,
    SAFE_HARBOR_AGE_CAP,
    TIERS,
    Tier,
    apply_tier,
    apply_tier_to_record,
    deidentify,
    organism_code,
    pseudonym,
    shift_days,
)
from myotrack.domain import Cohort, DrugCourse, Event, Patient, Visit

FolderMaker = Callable[..., Path]
KEY = b"centre secret"


def test_intervals_kept_and_identifiers_dropped(tmp_path: Path, folder_maker: FolderMaker) -> None:
    cohort, _ = read_folder(folder_maker(tmp_path))
    assert cohort is not None
    shared = deidentify(cohort, key=KEY)
    before, after = cohort.records(), shared.records()
    assert set(after) == {pseudonym(KEY, pid) for pid in before}
    for pid, record in before.items():
        other = after[pseudonym(KEY, pid)]
        birth, birth2 = record.patient.birth_date, other.patient.birth_date
        assert birth2 != birth or shift_days(KEY, pid) == 0
        assert [(v.date - birth).days for v in record.visits] == [
            (v.date - birth2).days for v in other.visits
        ]
        assert [(c.start_date - birth).days for c in record.courses] == [
            (c.start_date - birth2).days for c in other.courses
        ]
        assert other.patient.extra == {} and other.patient.site is None
    assert shared.cutoff_date is None
    # an organism code survives, so infections can still be counted by organism
    assert any(e.detail == "PJP" for e in shared.events)


def test_data_after_the_cutoff_are_not_shared(tmp_path: Path, folder_maker: FolderMaker) -> None:
    cohort, _ = read_folder(folder_maker(tmp_path, cohort_toml="cutoff_date = 2018-02-01\n"))
    assert cohort is not None
    shared = deidentify(cohort, key=KEY)
    assert len(shared.visits) == len([v for v in cohort.visits if v.date <= date(2018, 2, 1)])
    # the course ending after the cut-off is open-ended in the copy, with no stop reason
    p01 = [c for c in shared.courses if c.patient_id == pseudonym(KEY, "P01")]
    assert [c.end_date for c in p01] == [None]


@given(st.text(min_size=1, max_size=64), st.binary(min_size=1, max_size=32))
def test_shift_is_bounded_and_stable(patient_id: str, key: bytes) -> None:
    days = shift_days(key, patient_id)
    assert -MAX_SHIFT_DAYS <= days <= MAX_SHIFT_DAYS
    assert days == shift_days(key, patient_id)
    assert pseudonym(key, patient_id) == pseudonym(key, patient_id)


# ------------------------------------------------------------------ tiers


NAME_AND_PHONE = "Astrid Karlsson, tel 070-123 45 67"


def _cohort(birth: date = date(2012, 5, 20)) -> Cohort:
    return Cohort(
        patients=(
            Patient(
                patient_id="REG-1",
                sex="F",
                birth_date=birth,
                diagnosis="JDM",
                onset_date=date(2019, 3, 1),
                site="Lund",
                extra={"x_name": "Astrid"},
            ),
        ),
        visits=(
            Visit(patient_id="REG-1", date=date(2020, 8, 3), cmas=30.0, extra={"x_n": "a"}),
            Visit(patient_id="REG-1", date=date(2021, 2, 1), cmas=45.0),
        ),
        courses=(
            DrugCourse(
                patient_id="REG-1", drug="ruxolitinib", start_date=date(2020, 8, 10), dose=5.0
            ),
        ),
        events=(
            Event(patient_id="REG-1", date=date(2020, 9, 1), event="infection", detail="pjp"),
            Event(
                patient_id="REG-1", date=date(2020, 10, 1), event="relapse", detail=NAME_AND_PHONE
            ),
        ),
    )


def test_identified_is_the_data_as_stored() -> None:
    cohort = _cohort()
    assert apply_tier(cohort, Tier.IDENTIFIED, key=KEY) is cohort


def test_no_free_text_survives_a_de_identified_tier() -> None:
    for tier in (Tier.PSEUDONYMISED, Tier.SAFE_HARBOR):
        shared = apply_tier(_cohort(), tier, key=KEY)
        text = repr(shared)
        for identifying in ("Astrid", "Karlsson", "070-123", "Lund", "REG-1"):
            assert identifying not in text, (tier, identifying)
        assert [e.detail for e in shared.events] == ["PJP", None]
        assert KEY.decode() not in text


def test_organism_codes_only() -> None:
    assert organism_code(" ebv ") == "EBV"
    assert organism_code("SARS-CoV-2") == "SARS-CoV-2"
    assert organism_code("Astrid") is None
    assert organism_code("KARLSSON") is None
    assert organism_code("0701234567") is None
    assert organism_code(None) is None


def test_safe_harbor_keeps_only_the_year_of_the_index_date() -> None:
    cohort = _cohort()
    shared = apply_tier(cohort, Tier.SAFE_HARBOR, key=KEY)
    (record,) = shared.records().values()
    index = record.index_date
    assert index == date(2020, 1, 1)  # the true index date is 2020-08-10: its year only
    original = next(iter(cohort.records().values()))
    assert original.index_date is not None
    # every interval and age is exact
    assert [(v.date - index).days for v in record.visits] == [
        (v.date - original.index_date).days for v in original.visits
    ]
    assert (index - record.patient.birth_date) == (
        original.index_date - original.patient.birth_date
    )
    assert shared.cutoff_date is None


def test_safe_harbor_groups_ages_of_90_and_over() -> None:
    old = _cohort(birth=date(1925, 1, 1))  # 95 at the index date
    (record,) = apply_tier(old, Tier.SAFE_HARBOR, key=KEY).records().values()
    assert record.index_date is not None
    assert record.patient.age_years(record.index_date) == pytest.approx(
        SAFE_HARBOR_AGE_CAP, abs=0.01
    )
    young = apply_tier(_cohort(), Tier.SAFE_HARBOR, key=KEY).records()
    (kept,) = young.values()
    assert kept.index_date is not None and kept.patient.age_years(kept.index_date) < 90


def test_a_record_is_shown_as_in_the_cohort() -> None:
    cohort = replace(_cohort(), cutoff_date=date(2020, 12, 31))
    whole = apply_tier(cohort, Tier.PSEUDONYMISED, key=KEY).records()
    (original,) = cohort.records().values()
    single = apply_tier_to_record(
        original, Tier.PSEUDONYMISED, key=KEY, cutoff_date=cohort.cutoff_date
    )
    assert whole == {single.patient.patient_id: single}


def test_every_tier_says_what_it_promises_and_what_not() -> None:
    assert set(TIERS) == set(Tier)
    for promise in TIERS.values():
        assert promise.promises and promise.does_not


@given(
    offsets=st.lists(st.integers(0, 2000), min_size=1, max_size=6, unique=True),
    key=st.binary(min_size=1, max_size=16),
    tier=st.sampled_from([Tier.PSEUDONYMISED, Tier.SAFE_HARBOR]),
)
def test_intervals_are_kept_in_every_tier(offsets: list[int], key: bytes, tier: Tier) -> None:
    start = date(2015, 6, 15)
    visits = tuple(
        Visit(patient_id="P", date=start + timedelta(days=d), cmas=10.0) for d in offsets
    )
    cohort = Cohort(
        patients=(Patient(patient_id="P", sex="M", birth_date=date(2010, 2, 3), diagnosis="JDM"),),
        visits=visits,
    )
    (record,) = apply_tier(cohort, tier, key=key).records().values()
    birth = record.patient.birth_date
    assert sorted((v.date - birth).days for v in record.visits) == sorted(
        (v.date - date(2010, 2, 3)).days for v in visits
    )
    if tier is Tier.SAFE_HARBOR:
        first = min(v.date for v in record.visits)
        assert (first.month, first.day) == (1, 1)  # no calendar date finer than the year
