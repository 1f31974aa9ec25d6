"""De-identified exports keep every interval and drop what could identify a child."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from myotrack.cohort import read_folder
from myotrack.cohort.deidentify import MAX_SHIFT_DAYS, deidentify, pseudonym, shift_days

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
