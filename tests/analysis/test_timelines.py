"""The patient timeline: exclusions, cut-off, follow-up end, baseline/final windows per
measure, events window, weight bands, µkat/L labs."""

from __future__ import annotations

from datetime import date, timedelta

from myotrack.analysis import case_series, patient_timelines
from myotrack.domain import Cohort, DrugCourse, Event, LabResult, Patient, Visit

INDEX = date(2019, 1, 10)


def patient(pid: str = "P1", **kw: object) -> Patient:
    return Patient(pid, "F", date(2010, 1, 1), "JDM", **kw)  # type: ignore[arg-type]


def jaki(pid: str = "P1", start: date = INDEX, **kw: object) -> DrugCourse:
    return DrugCourse(pid, "ruxolitinib", start, dose=5, dose_unit="mg", frequency="BID", **kw)  # type: ignore[arg-type]


def cohort(
    visits: list[Visit],
    labs: list[LabResult] | None = None,
    events: list[Event] | None = None,
    courses: list[DrugCourse] | None = None,
    patients: list[Patient] | None = None,
    cutoff: date | None = None,
) -> Cohort:
    return Cohort(
        patients=tuple(patients or [patient()]),
        visits=tuple(visits),
        labs=tuple(labs or ()),
        courses=tuple(courses if courses is not None else [jaki()]),
        events=tuple(events or ()),
        cutoff_date=cutoff,
    )


def test_baseline_window_is_90_days_inclusive_per_measure() -> None:
    c = cohort(
        [
            Visit("P1", INDEX - timedelta(days=91), cmas=10, weight_kg=30),  # outside
            Visit("P1", INDEX - timedelta(days=90), cmas=20),  # inside, on the edge
            Visit("P1", INDEX - timedelta(days=5), rash=True),  # cmas not recorded here
            Visit("P1", INDEX, catbm_activity=6),
            Visit("P1", INDEX + timedelta(days=30), cmas=40, catbm_activity=2),
            Visit("P1", INDEX + timedelta(days=60), rash=False),
        ]
    )
    (t,) = patient_timelines(c)
    assert t.baseline["cmas"] == 20  # an empty cell does not count as recorded
    assert t.baseline["rash"] is True
    assert t.baseline["catbm_activity"] == 6  # index date is in the baseline window
    assert t.baseline["weight_kg"] is None and t.weight_band == "unknown"
    assert t.final["cmas"] == 40 and t.final["rash"] is False
    assert t.follow_up_end == INDEX + timedelta(days=60)


def test_final_excludes_the_index_date_and_visits_after_follow_up_end() -> None:
    c = cohort(
        [
            Visit("P1", INDEX, cmas=30),
            Visit("P1", INDEX + timedelta(days=40), cmas=35),
            Visit("P1", INDEX + timedelta(days=100), cmas=50),  # after the cut-off
        ],
        cutoff=INDEX + timedelta(days=70),
    )
    (t,) = patient_timelines(c)
    assert t.follow_up_end == INDEX + timedelta(days=70)  # cut-off before the last visit
    assert t.final["cmas"] == 35
    (t2,) = patient_timelines(c, cutoff=INDEX + timedelta(days=200))  # override
    assert t2.follow_up_end == INDEX + timedelta(days=100) and t2.final["cmas"] == 50


def test_only_baseline_visit_gives_no_final_but_no_warning() -> None:
    c = cohort([Visit("P1", INDEX, cmas=30)])
    (t,) = patient_timelines(c)
    assert t.follow_up_days == 0 and t.final["cmas"] is None
    assert case_series(c)["warnings"] == []


def test_no_visit_on_or_after_index_is_warned() -> None:
    c = cohort(
        [Visit("P1", INDEX - timedelta(days=3), cmas=30)],
        events=[Event("P1", INDEX + timedelta(days=5), "rash_improving")],
    )
    (t,) = patient_timelines(c)
    assert t.follow_up_end == INDEX and t.follow_up_months == 0
    assert t.first_events == {}  # nothing can be after the index and ≤ follow-up end
    report = case_series(c)
    assert len(report["warnings"]) == 1 and "P1" in report["warnings"][0]
    assert "no visit on or after the index date" in report["warnings"][0]


def test_events_window_excludes_index_day_and_after_follow_up_end() -> None:
    c = cohort(
        [Visit("P1", INDEX, rash=True), Visit("P1", INDEX + timedelta(days=50))],
        events=[
            Event("P1", INDEX, "gc_stopped"),  # on the index date: not after it
            Event("P1", INDEX - timedelta(days=10), "infection", detail="EBV"),
            Event("P1", INDEX + timedelta(days=14), "rash_improving"),
            Event("P1", INDEX + timedelta(days=21), "rash_improving"),  # second: not first
            Event("P1", INDEX + timedelta(days=50), "relapse"),  # on follow-up end: counts
            Event("P1", INDEX + timedelta(days=51), "thromboembolism"),
        ],
    )
    (t,) = patient_timelines(c)
    assert t.first_events == {
        "rash_improving": INDEX + timedelta(days=14),
        "relapse": INDEX + timedelta(days=50),
    }
    assert t.event_weeks["rash_improving"] == 2.0
    report = case_series(c)
    assert report["gc_stopped"]["n"] == 0 and report["infections"]["n"] == 0
    assert report["relapse"]["n"] == 1 and report["thromboembolism"]["n"] == 0


def test_exclusions_and_index_on_the_cutoff() -> None:
    c = cohort(
        [Visit("P1", INDEX), Visit("P2", INDEX), Visit("P3", INDEX)],
        courses=[
            jaki("P1"),
            DrugCourse("P2", "methotrexate", INDEX - timedelta(days=300)),
            jaki("P3", start=INDEX + timedelta(days=1)),
        ],
        patients=[patient("P1"), patient("P2"), patient("P3")],
        cutoff=INDEX,
    )
    report = case_series(c)
    assert report["n_patients"] == 1  # an index date on the cut-off is not after it
    assert report["n_excluded"] == 2
    assert report["excluded_reasons"] == {"no_jak_inhibitor": 1, "index_after_cutoff": 1}
    assert [t.patient_id for t in patient_timelines(c)] == ["P1"]


def test_default_cutoff_is_the_latest_visit_lab_or_event() -> None:
    c = cohort(
        [Visit("P1", INDEX), Visit("P1", INDEX + timedelta(days=20))],
        events=[Event("P1", INDEX + timedelta(days=40), "relapse")],
    )
    report = case_series(c)
    assert report["methods"]["cutoff_date"] == (INDEX + timedelta(days=40)).isoformat()


def test_index_is_the_first_jak_inhibitor_course_of_any_agent() -> None:
    c = cohort(
        [Visit("P1", INDEX), Visit("P1", INDEX + timedelta(days=200))],
        courses=[
            DrugCourse(
                "P1",
                "baricitinib",
                INDEX + timedelta(days=90),
                dose=4,
                dose_unit="mg",
                frequency="QD",
            ),
            jaki("P1", end_date=INDEX + timedelta(days=89)),
        ],
    )
    (t,) = patient_timelines(c)
    assert t.index_date == INDEX and t.first_jak_drug == "ruxolitinib"
    assert [x.drug for x in t.jak_courses] == ["ruxolitinib", "baricitinib"]


def test_microkatal_labs_are_in_units_per_litre() -> None:
    """A result still in µkat/L (the importer normally converts it) is ×60, rounded to 1e-6
    U/L, reference limit included."""
    c = cohort(
        [Visit("P1", INDEX), Visit("P1", INDEX + timedelta(days=30))],
        labs=[
            LabResult("P1", INDEX, "CK", value=3.3333333, unit="µkat/L", ref_high=2.5),
            LabResult(
                "P1", INDEX + timedelta(days=30), "CK", value=120.0, unit="U/L", ref_high=150.0
            ),
        ],
    )
    (t,) = patient_timelines(c)
    assert t.baseline["CK"] == 199.999998
    assert t.baseline_ref_high["CK"] == 150.0
    assert t.final["CK"] == 120.0
    report = case_series(c)
    assert report["enzymes"]["n"] == 1 and report["enzymes"]["CK"]["n_rose"] == 0


def test_weight_band_boundary() -> None:
    c = cohort(
        [Visit("P1", INDEX, weight_kg=25.0), Visit("P2", INDEX, weight_kg=24.9)],
        courses=[jaki("P1"), jaki("P2")],
        patients=[patient("P1"), patient("P2")],
    )
    bands = {t.patient_id: t.weight_band for t in patient_timelines(c)}
    assert bands == {"P1": "ge25", "P2": "lt25"}


def test_two_values_on_one_date_use_the_larger_and_warn() -> None:
    c = cohort(
        [
            Visit("P1", INDEX, cmas=20),
            Visit("P1", INDEX, cmas=25),
            Visit("P1", INDEX + timedelta(days=9)),
        ]
    )
    (t,) = patient_timelines(c)
    assert t.baseline["cmas"] == 25
    reversed_order = cohort(
        [
            Visit("P1", INDEX, cmas=25),
            Visit("P1", INDEX, cmas=20),
            Visit("P1", INDEX + timedelta(days=9)),
        ]
    )
    assert patient_timelines(reversed_order)[0].baseline["cmas"] == 25
    assert any("larger" in w for w in case_series(c)["warnings"])
