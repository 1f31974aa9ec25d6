"""The MDA5/ILD flag: 'screen for ILD' until ILD is recorded, then what applies to a child
with ILD (SHARE high risk, monitoring), risks stated neutrally with sources."""

from __future__ import annotations

from datetime import date

from myotrack.domain.model import Patient, PatientRecord
from myotrack.therapy.organ_involvement import ild_recorded
from myotrack.therapy.risk_flags import risk_flags

ON = date(2024, 6, 1)


def _rec(antibodies: tuple[str, ...], features: tuple[str, ...] = ()) -> PatientRecord:
    p = Patient("P1", "M", date(2017, 5, 15), "JDM", antibodies=antibodies, features=features)
    return PatientRecord(patient=p)


def test_mda5_without_ild_says_screen_with_sources() -> None:
    flags = {f.flag: f for f in risk_flags(_rec(("MDA5",)), ON)}
    flag = flags["MDA5: screen for interstitial lung disease"]
    assert "Tansley" in flag.source and "SHARE" in flag.source
    assert "4 of 21" in flag.why and "Japanese" in flag.why


def test_no_population_reassurance_in_any_flag() -> None:
    for features in ((), ("ILD",)):
        for f in risk_flags(_rec(("MDA5", "RO52"), features), ON):
            assert "mainly" not in f.why.lower()


def test_mda5_with_ild_switches_to_monitoring() -> None:
    rec = _rec(("MDA5",), ("ILD",))
    assert ild_recorded(rec, ON)
    names = [f.flag for f in risk_flags(rec, ON)]
    assert "MDA5: screen for interstitial lung disease" not in names
    (flag,) = [f for f in risk_flags(rec, ON) if "interstitial lung disease recorded" in f.flag]
    assert flag.flag.startswith("anti-MDA5 with interstitial lung disease recorded")
    assert "high-risk" in flag.why and "urgent referral" in flag.why
    assert "SHARE" in flag.source


def test_ild_without_mda5_also_switches_the_antisynthetase_flag() -> None:
    names = [f.flag for f in risk_flags(_rec(("JO1",), ("ILD",)), ON)]
    assert "anti-synthetase antibody: screen for interstitial lung disease" not in names
    assert any(n.startswith("interstitial lung disease recorded") for n in names)


def test_seed_003_child_has_ild_and_the_mda5_flag_changes() -> None:
    from myotrack.cohort import DEMO_FOLDER, read_folder

    cohort, issues = read_folder(DEMO_FOLDER)
    assert cohort is not None, issues
    rec = cohort.records()["MDA5-case"]
    assert ild_recorded(rec, date(2021, 10, 1))
    names = [f.flag for f in risk_flags(rec, date(2021, 10, 1))]
    assert "MDA5: screen for interstitial lung disease" not in names
    assert any(n.startswith("anti-MDA5 with interstitial lung disease recorded") for n in names)
