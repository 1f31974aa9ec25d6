"""Edges of the whole-record checks (therapy.whole_record_checks), as worked examples:
the LIVE_VACCINE_WEEKS window (4 weeks = 28 days, LOCAL POLICY), the
PREGNANCY_TEST_VALID_DAYS window (30 days, LOCAL POLICY) and PREGNANCY_TEST_FROM_AGE
(12.0 years, LOCAL POLICY, age = days / 365.25), each on its last day in and first day out;
and a history that exists only after the start, which must not read as "nothing blocks"."""

from __future__ import annotations

from datetime import date, timedelta

from myotrack.domain import (
    PartialDate,
    Patient,
    PatientRecord,
    PregnancyTest,
    Vaccination,
    WholeRecord,
)
from myotrack.therapy.whole_record_checks import (
    LIVE_VACCINE_WEEKS,
    PREGNANCY_TEST_FROM_AGE,
    PREGNANCY_TEST_VALID_DAYS,
    live_vaccine_checks,
    pregnancy_checks,
)

START = date(2024, 3, 1)  # 2024 is a leap year: 2024-02-02 is 28 days before


def _whole(sex: str = "F", born: date = date(2010, 1, 1), **parts: object) -> WholeRecord:
    patient = Patient("E1", sex, born, "JDM")
    return WholeRecord(base=PatientRecord(patient=patient), **parts)  # type: ignore[arg-type]


def _mmr(day: date) -> Vaccination:
    return Vaccination("E1", PartialDate(day.year, day.month, day.day), "mmr")


# ------------------------------------------------------------------ live vaccines: 4 weeks


def test_the_settings_are_the_documented_local_policy_values() -> None:
    assert LIVE_VACCINE_WEEKS == 4
    assert PREGNANCY_TEST_VALID_DAYS == 30
    assert PREGNANCY_TEST_FROM_AGE == 12.0


def test_a_live_vaccine_exactly_28_days_before_the_start_is_in_the_window() -> None:
    day = START - timedelta(days=7 * LIVE_VACCINE_WEEKS)
    assert day == date(2024, 2, 2)
    (check,) = live_vaccine_checks(_whole(vaccinations=(_mmr(day),)), START, ("baricitinib",))
    assert check.status == "blocks"
    assert "mmr on 2024-02-02" in check.message


def test_a_live_vaccine_29_days_before_the_start_is_outside_the_window() -> None:
    day = START - timedelta(days=7 * LIVE_VACCINE_WEEKS + 1)  # 2024-02-01
    (check,) = live_vaccine_checks(_whole(vaccinations=(_mmr(day),)), START, ("baricitinib",))
    assert check.status == "nothing_blocks"
    assert "(1 vaccinations on record)" in check.message


def test_a_live_vaccine_on_the_start_day_itself_counts() -> None:
    (check,) = live_vaccine_checks(_whole(vaccinations=(_mmr(START),)), START, ("baricitinib",))
    assert check.status == "blocks"


def test_a_month_only_vaccine_wholly_before_the_window_does_not_count() -> None:
    # January 2024 ends on 2024-01-31, before the window's first day 2024-02-02.
    jan = Vaccination("E1", PartialDate(2024, 1), "varicella")
    (check,) = live_vaccine_checks(_whole(vaccinations=(jan,)), START, ("baricitinib",))
    assert check.status == "nothing_blocks"


def test_vaccinations_recorded_only_after_the_start_are_no_history() -> None:
    # Before the fix this read "nothing blocks (0 vaccinations on record)": a green with no
    # history at all. Only vaccinations on or before the start are used.
    after = _mmr(START + timedelta(days=10))
    (check,) = live_vaccine_checks(_whole(vaccinations=(after,)), START, ("baricitinib",))
    assert check.status == "cannot_assess"
    assert [n.name for n in check.needs] == ["vaccination history"]
    assert "0 vaccinations on record" not in check.message


# ------------------------------------------------------------------ pregnancy test: 30 days


def test_a_negative_test_exactly_30_days_before_is_still_valid() -> None:
    day = START - timedelta(days=PREGNANCY_TEST_VALID_DAYS)  # 2024-01-31
    girl = _whole(pregnancy_tests=(PregnancyTest("E1", day, "negative"),))
    (check,) = pregnancy_checks(girl, START, ("baricitinib",), before_start=True)
    assert check.status == "nothing_blocks"
    assert "Negative pregnancy test on 2024-01-31" in check.message


def test_a_negative_test_31_days_before_is_out_of_its_window() -> None:
    day = START - timedelta(days=PREGNANCY_TEST_VALID_DAYS + 1)  # 2024-01-30
    girl = _whole(pregnancy_tests=(PregnancyTest("E1", day, "negative"),))
    (check,) = pregnancy_checks(girl, START, ("baricitinib",), before_start=True)
    assert check.status == "cannot_assess"
    assert check.needs[0].problem == "out_of_window"


def test_a_test_dated_after_the_start_is_not_used() -> None:
    later = PregnancyTest("E1", START + timedelta(days=1), "negative")
    (check,) = pregnancy_checks(
        _whole(pregnancy_tests=(later,)), START, ("baricitinib",), before_start=True
    )
    assert check.status == "cannot_assess"
    assert check.needs[0].problem == "missing"


def test_an_old_negative_test_behind_a_newer_indeterminate_one_does_not_pass() -> None:
    tests = (
        PregnancyTest("E1", START - timedelta(days=5), "negative"),
        PregnancyTest("E1", START - timedelta(days=1), "indeterminate"),
    )
    (check,) = pregnancy_checks(
        _whole(pregnancy_tests=tests), START, ("baricitinib",), before_start=True
    )
    assert check.status == "cannot_assess"
    assert check.needs[0].problem == "indeterminate"


# ------------------------------------------------------------------ pregnancy test: age 12.0


def test_a_girl_of_exactly_12_0_years_is_checked_and_one_day_younger_is_not() -> None:
    # age = days / 365.25; 12.0 years = 4383 days.
    born = START - timedelta(days=4383)
    assert _whole(born=born).base.patient.age_years(START) == PREGNANCY_TEST_FROM_AGE
    (check,) = pregnancy_checks(_whole(born=born), START, ("baricitinib",), before_start=True)
    assert check.status == "cannot_assess"  # no test recorded: never green
    younger = _whole(born=born + timedelta(days=1))
    assert pregnancy_checks(younger, START, ("baricitinib",), before_start=True) == []


def test_on_treatment_only_a_positive_test_is_a_finding() -> None:
    old_negative = PregnancyTest("E1", START - timedelta(days=200), "negative")
    girl = _whole(pregnancy_tests=(old_negative,))
    assert pregnancy_checks(girl, START, ("baricitinib",), before_start=False) == []
    positive = _whole(pregnancy_tests=(PregnancyTest("E1", START, "positive"),))
    (check,) = pregnancy_checks(positive, START, ("baricitinib",), before_start=False)
    assert check.status == "blocks"
