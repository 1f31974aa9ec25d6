"""Organ involvement whose onset precision is unknown (therapy.organ_involvement): an ILD
with no onset date, or one known only to the month, counts as present (the safe reading for
the MDA5/ILD flag) and the words say how little is known, never silently."""

from __future__ import annotations

from datetime import date

from myotrack.domain import OrganInvolvement, PartialDate, Patient, PatientRecord, WholeRecord
from myotrack.therapy.organ_involvement import ild_recorded, ild_words

ON = date(2024, 6, 1)


def _whole(ild: OrganInvolvement) -> WholeRecord:
    patient = Patient("O1", "F", date(2012, 1, 1), "JDM", antibodies=("MDA5",))
    return WholeRecord(base=PatientRecord(patient=patient), involvement=(ild,))


def test_an_ild_without_an_onset_counts_and_says_the_onset_is_not_recorded() -> None:
    whole = _whole(OrganInvolvement("O1", "ILD"))
    assert ild_recorded(whole.base, ON, whole) is True
    assert ild_words(whole, ON) == "ILD, onset not recorded"


def test_an_ild_known_only_to_the_month_counts_from_the_first_day_of_it() -> None:
    whole = _whole(OrganInvolvement("O1", "ILD", onset=PartialDate(2024, 6)))
    assert ild_recorded(whole.base, date(2024, 5, 31), whole) is False
    assert ild_recorded(whole.base, ON, whole) is True  # 1 June: "unknown" counts
    assert ild_words(whole, ON) == "ILD, onset 2024-06 (exact day not known)"


def test_an_excluded_ild_without_an_onset_never_counts() -> None:
    whole = _whole(OrganInvolvement("O1", "ILD", certainty="excluded"))
    assert ild_recorded(whole.base, ON, whole) is False
    assert ild_words(whole, ON) is None
