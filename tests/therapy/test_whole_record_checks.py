"""Decision support with the whole record (issue 11), as worked examples: ancestry in the
Pneumocystis risk factors, dated ILD and oxygen need in the MDA5/ILD flag, live vaccines in
the weeks before a JAK-inhibitor start and a pregnancy test — each check in its three
states, with the label's own words."""

from __future__ import annotations

from datetime import date

import pytest

from myotrack.cohort import DEMO_FOLDER, read_folder, whole_records
from myotrack.domain import (
    OrganInvolvement,
    PartialDate,
    Patient,
    PatientBackground,
    PatientRecord,
    PregnancyTest,
    Vaccination,
    WholeRecord,
)
from myotrack.therapy.decision_support import decision_support
from myotrack.therapy.organ_involvement import ild_recorded, ild_words
from myotrack.therapy.pjp import ASIAN_WORDS, pjp_prophylaxis
from myotrack.therapy.risk_flags import risk_flags
from myotrack.therapy.whole_record_checks import (
    LIVE_VACCINE_WEEKS,
    PREGNANCY_TEST_VALID_DAYS,
    live_vaccine_checks,
    pregnancy_checks,
)

START = date(2024, 3, 1)


def _whole(sex: str = "F", born: date = date(2010, 1, 1), **parts: object) -> WholeRecord:
    patient = Patient("W1", sex, born, "JDM", antibodies=("MDA5",))
    return WholeRecord(base=PatientRecord(patient=patient), **parts)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def demo_child() -> WholeRecord:
    cohort, issues = read_folder(DEMO_FOLDER)
    assert cohort is not None, issues
    return whole_records(cohort)["MDA5-case"]


# ------------------------------------------------------------------ Pneumocystis: ancestry


def test_asian_race_is_a_pneumocystis_risk_factor_in_its_own_words() -> None:
    whole = _whole(background=PatientBackground("W1", race=("asian_or_pacific_islander",)))
    found = pjp_prophylaxis(whole.base, START, whole=whole)
    assert ASIAN_WORDS in found.risk_factors
    assert "IMACS category; Sabbagh 2021 reports Asian ancestry" in found.message
    assert "Not recorded in the data: Asian ancestry" not in found.message


def test_without_race_ancestry_stays_not_recorded_and_race_is_named() -> None:
    whole = _whole(background=PatientBackground("W1", race=()))
    found = pjp_prophylaxis(whole.base, START, whole=whole)
    assert "Not recorded in the data: Asian ancestry (OR 8.7)" in found.message
    assert [n.name for n in found.missing] == ["race"]
    white = _whole(background=PatientBackground("W1", race=("white",)))
    assert pjp_prophylaxis(white.base, START, whole=white).missing == ()
    assert ASIAN_WORDS not in pjp_prophylaxis(white.base, START, whole=white).risk_factors


def test_race_recorded_only_as_unknown_is_not_read_as_not_asian() -> None:
    # IMACS "unknown / not reported" says nothing about ancestry: the factor stays "not in
    # the data" and race is asked for, exactly as when no race is recorded.
    unknown = _whole(background=PatientBackground("W1", race=("unknown",)))
    found = pjp_prophylaxis(unknown.base, START, whole=unknown)
    assert "Not recorded in the data: Asian ancestry (OR 8.7)" in found.message
    assert [n.name for n in found.missing] == ["race"]
    with_asian = _whole(
        background=PatientBackground("W1", race=("unknown", "asian_or_pacific_islander"))
    )
    assert ASIAN_WORDS in pjp_prophylaxis(with_asian.base, START, whole=with_asian).risk_factors


def test_digital_infarcts_on_the_date_count() -> None:
    infarcts = OrganInvolvement("W1", "digital_infarcts", onset=PartialDate(2024, 1))
    whole = _whole(involvement=(infarcts,))
    assert (
        "digital infarcts (OR 43.8)" in pjp_prophylaxis(whole.base, START, whole=whole).risk_factors
    )
    before = pjp_prophylaxis(whole.base, date(2023, 12, 1), whole=whole)
    assert "digital infarcts (OR 43.8)" not in before.risk_factors


# ------------------------------------------------------------------ ILD and oxygen


def test_dated_ild_counts_from_its_month_and_says_so(demo_child: WholeRecord) -> None:
    record = demo_child.base
    assert "ILD" in record.patient.features  # the undated summary: every date
    assert ild_recorded(record, date(2021, 8, 1)) is True
    assert ild_recorded(record, date(2021, 8, 1), demo_child) is False  # before the onset
    assert ild_recorded(record, date(2021, 9, 14), demo_child) is True  # 'unknown' counts
    assert ild_words(demo_child, date(2021, 9, 14)) == (
        "suspected ILD, onset 2021-09 (exact day not known)"
    )


def test_an_excluded_ild_never_counts() -> None:
    whole = _whole(
        involvement=(OrganInvolvement("W1", "ILD", onset=PartialDate(2020), certainty="excluded"),)
    )
    assert ild_recorded(whole.base, START, whole) is False


def test_the_mda5_flag_names_the_oxygen_need(demo_child: WholeRecord) -> None:
    flags = risk_flags(demo_child.base, date(2021, 9, 20), demo_child)
    lung = next(f for f in flags if "interstitial lung disease recorded" in f.flag)
    assert lung.flag.startswith("anti-MDA5 with interstitial lung disease recorded")
    assert "recorded as suspected ILD, onset 2021-09 (exact day not known)" in lung.why
    assert "needs oxygen (as of 2021-09)" in lung.why
    before = risk_flags(demo_child.base, date(2021, 8, 20), demo_child)
    assert any(f.flag == "MDA5: screen for interstitial lung disease" for f in before)


# ------------------------------------------------------------------ live vaccines


def _statuses(checks: list) -> dict[str, str]:  # type: ignore[type-arg]
    return {c.drug: c.status for c in checks}


def test_a_live_vaccine_two_weeks_before_a_baricitinib_start_blocks() -> None:
    mmr = Vaccination("W1", PartialDate(2024, 2, 15), "mmr")
    whole = _whole(vaccinations=(mmr,))
    checks = live_vaccine_checks(whole, START, ("baricitinib", "ruxolitinib"))
    assert _statuses(checks) == {"baricitinib": "blocks", "ruxolitinib": "cannot_assess"}
    bari = checks[0]
    assert "mmr on 2024-02-15" in bari.message
    assert (
        '"Use with live, attenuated vaccines during, or immediately prior to, baricitinib '
        'therapy is not recommended"' in bari.message
    )
    assert "not retrieved" in checks[1].message  # ruxolitinib: UNVERIFIED, a decision


def test_the_same_vaccine_outside_the_window_does_not_block() -> None:
    mmr = Vaccination("W1", PartialDate(2024, 2, 15), "mmr")
    later = date.fromordinal(date(2024, 2, 15).toordinal() + 7 * LIVE_VACCINE_WEEKS + 1)
    checks = live_vaccine_checks(_whole(vaccinations=(mmr,)), later, ("baricitinib",))
    assert _statuses(checks) == {"baricitinib": "nothing_blocks"}


def test_an_inactivated_vaccine_does_not_count_and_no_history_cannot_be_assessed() -> None:
    flu = Vaccination("W1", PartialDate(2024, 2, 20), "influenza_inactivated")
    assert _statuses(live_vaccine_checks(_whole(vaccinations=(flu,)), START, ("baricitinib",))) == {
        "baricitinib": "nothing_blocks"
    }
    (none,) = live_vaccine_checks(_whole(), START, ("baricitinib",))
    assert none.status == "cannot_assess"
    assert [n.name for n in none.needs] == ["vaccination history"]


def test_a_live_vaccine_known_only_to_the_month_cannot_be_assessed() -> None:
    varicella = Vaccination("W1", PartialDate(2024, 2), "varicella")  # may be 2024-02-01
    (check,) = live_vaccine_checks(_whole(vaccinations=(varicella,)), START, ("baricitinib",))
    assert check.status == "cannot_assess"
    assert "2024-02 (known only to the month)" in check.message


# ------------------------------------------------------------------ pregnancy test


def test_a_positive_test_blocks_where_the_label_says_contraindicated() -> None:
    girl = _whole(pregnancy_tests=(PregnancyTest("W1", date(2024, 2, 20), "positive"),))
    checks = pregnancy_checks(
        girl, START, ("baricitinib", "ruxolitinib", "tofacitinib"), before_start=True
    )
    assert _statuses(checks) == {
        "baricitinib": "blocks",
        "ruxolitinib": "blocks",
        "tofacitinib": "cannot_assess",
    }
    assert "the use of Jakavi during pregnancy is contraindicated" in checks[1].message
    assert "should not be used during pregnancy unless clearly necessary" in checks[2].message


def test_a_recent_negative_test_lets_the_start_go_ahead_and_an_old_one_does_not() -> None:
    recent = _whole(pregnancy_tests=(PregnancyTest("W1", date(2024, 2, 20), "negative"),))
    assert _statuses(pregnancy_checks(recent, START, ("baricitinib",), before_start=True)) == {
        "baricitinib": "nothing_blocks"
    }
    old_day = date.fromordinal(START.toordinal() - PREGNANCY_TEST_VALID_DAYS - 1)
    old = _whole(pregnancy_tests=(PregnancyTest("W1", old_day, "negative"),))
    (check,) = pregnancy_checks(old, START, ("baricitinib",), before_start=True)
    assert check.status == "cannot_assess" and check.needs[0].problem == "out_of_window"
    (none,) = pregnancy_checks(_whole(), START, ("baricitinib",), before_start=True)
    assert none.needs[0].problem == "missing"


def test_no_pregnancy_check_for_boys_and_younger_girls() -> None:
    assert pregnancy_checks(_whole(sex="M"), START, ("baricitinib",), before_start=True) == []
    young = _whole(born=date(2013, 6, 1))  # 10.7 years on START
    assert pregnancy_checks(young, START, ("baricitinib",), before_start=True) == []


# ------------------------------------------------------------------ the whole view


def test_decision_support_with_the_whole_record_of_the_demo_child(
    demo_child: WholeRecord,
) -> None:
    on = date(2021, 9, 20)  # before ruxolitinib (2021-10-05)
    plain = decision_support(demo_child.base, on)
    whole = decision_support(demo_child.base, on, whole=demo_child)
    names = {c.name for c in whole.checks} - {c.name for c in plain.checks}
    assert names == {"live vaccines before the start"}  # a boy: no pregnancy test
    assert all(c.status == "cannot_assess" for c in whole.checks if c.name in names)
    assert any(
        "ampicillin/sulbactam (start 2021, known only to the year)" in a for a in whole.assumptions
    )
    assert any("ILD onset 2021-09: known only to the month" in a for a in whole.assumptions)
