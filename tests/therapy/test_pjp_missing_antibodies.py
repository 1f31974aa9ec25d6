"""PJP prophylaxis with no myositis antibody result (therapy.pjp): anti-MDA5 (Sabbagh 2021,
OR 12.5) is a risk factor, so "no published risk factor recorded" says in words that no
antibody result is on record; with "none" (tested, none found) it does not. The state stays
as before (a design decision for the lead: see the review report)."""

from __future__ import annotations

from datetime import date

from myotrack.domain.model import Patient, PatientRecord
from myotrack.therapy.pjp import NO_ANTIBODY_WORDS, pjp_prophylaxis

ON = date(2024, 6, 1)


def _record(antibodies: tuple[str, ...]) -> PatientRecord:
    return PatientRecord(patient=Patient("A1", "M", date(2016, 1, 1), "JDM", antibodies=antibodies))


def test_no_antibody_result_is_named_in_the_words() -> None:
    found = pjp_prophylaxis(_record(()), ON)
    assert found.level == "no_recorded_factor"
    assert NO_ANTIBODY_WORDS in found.not_in_data
    assert "anti-MDA5 (OR 12.5): no myositis antibody result recorded" in found.message
    assert [n.name for n in found.missing] == ["myositis antibodies"]


def test_antibodies_tested_and_none_found_are_not_missing() -> None:
    found = pjp_prophylaxis(_record(("none",)), ON)
    assert NO_ANTIBODY_WORDS not in found.not_in_data
    assert found.missing == ()
    assert NO_ANTIBODY_WORDS not in pjp_prophylaxis(_record(("TIF1G",)), ON).message
