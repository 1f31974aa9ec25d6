"""Clinical review: the time definitions of the case-series report (shared/spec/
case-series-report.md, "Time and baseline"): age in years = days / 365.25; the baseline
window is [index date - 90 days, index date], and the report states the window it used.
"""

from __future__ import annotations

from datetime import date

from myotrack.analysis import case_series
from myotrack.analysis.timeline import BASELINE_WINDOW_DAYS, DAYS_PER_MONTH
from myotrack.domain import Cohort, DrugCourse, Patient, Visit


def test_age_in_years_is_days_over_365_25() -> None:
    """Born 1 Jan 2010; on 10 Jan 2019: 9 x 365 + 2 leap days (2012, 2016) + 9 = 3296 days;
    3296 / 365.25 = 9.02396 years."""
    p = Patient("P1", "F", date(2010, 1, 1), "JDM")
    assert abs(p.age_years(date(2019, 1, 10)) - 3296 / 365.25) < 1e-12
    assert round(p.age_years(date(2019, 1, 10)), 5) == 9.02396


def test_month_is_a_twelfth_of_a_julian_year() -> None:
    assert DAYS_PER_MONTH == 365.25 / 12


def test_report_states_the_baseline_window_it_used() -> None:
    """The methods block of the report names the baseline window; it must be the one the
    timelines use (90 days)."""
    index = date(2019, 1, 10)
    cohort = Cohort(
        patients=(Patient("P1", "F", date(2010, 1, 1), "JDM"),),
        visits=(Visit("P1", index, cmas=30), Visit("P1", date(2019, 4, 10), cmas=40)),
        labs=(),
        courses=(DrugCourse("P1", "ruxolitinib", index, dose=5, dose_unit="mg", frequency="BID"),),
        events=(),
    )
    out = case_series(cohort)
    assert out["methods"]["baseline_window_days"] == BASELINE_WINDOW_DAYS == 90
