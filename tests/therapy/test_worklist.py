"""The clinic worklist: each kind of line with worked examples at its edges, the order (most
urgent first), the site filter and the seed-003 child."""

from __future__ import annotations

from datetime import date, timedelta

from myotrack.domain.model import DrugCourse, Event, LabResult, Patient, PatientRecord, Visit
from myotrack.therapy.worklist import DEFAULT_POLICY, planned_jak_start, worklist

ON = date(2024, 6, 1)


def _rec(
    pid: str = "P1",
    *,
    site: str = "A",
    courses: tuple[DrugCourse, ...] = (),
    visits: tuple[Visit, ...] = (),
    labs: tuple[LabResult, ...] = (),
    events: tuple[Event, ...] = (),
) -> PatientRecord:
    return PatientRecord(
        patient=Patient(pid, "F", date(2014, 1, 1), "JDM", site=site),
        courses=courses,
        visits=visits,
        labs=labs,
        events=events,
    )


def _c(drug: str, start: date, end: date | None = None, pid: str = "P1") -> DrugCourse:
    return DrugCourse(pid, drug, start, end, dose=5, dose_unit="mg", frequency="QD", route="oral")


def _kinds(rec: PatientRecord, on: date = ON) -> list[tuple[str, str, str]]:
    return [(line.kind, line.state, line.what) for line in worklist([rec], on).lines]


def test_tofacitinib_lipids_overdue_after_8_weeks() -> None:
    start = ON - timedelta(days=57)  # 8 weeks = 56 days: overdue from day 57
    rec = _rec(courses=(_c("tofacitinib", start),), visits=(Visit("P1", ON, weight_kg=30),))
    lines = [ln for ln in worklist([rec], ON).lines if ln.kind == "monitoring"]
    lipids = [ln for ln in lines if "lipids" in ln.what]
    assert lipids and lipids[0].state == "overdue"
    assert lipids[0].due_date == start + timedelta(days=56)
    assert "Xeljanz" in lipids[0].source
    # on day 56 exactly it is due, not overdue
    on56 = [ln for ln in worklist([rec], start + timedelta(days=56)).lines if "lipids" in ln.what]
    assert on56[0].state == "due"


def test_visit_interval_edges() -> None:
    last = ON - timedelta(days=DEFAULT_POLICY.visit_interval_days)
    rec = _rec(courses=(_c("methotrexate", ON - timedelta(days=400)),), visits=(Visit("P1", last),))
    assert ("visit", "due", "visit") in _kinds(rec)  # on the due date: due
    assert ("visit", "overdue", "visit") in _kinds(rec, ON + timedelta(days=1))
    soon = last + timedelta(days=DEFAULT_POLICY.visit_interval_days - 14)
    assert ("visit", "due", "visit") in _kinds(rec, soon)
    assert not [k for k in _kinds(rec, soon - timedelta(days=1)) if k[0] == "visit"]


def test_no_visit_at_all_in_follow_up_is_overdue_and_nobody_untreated_is_listed() -> None:
    rec = _rec(courses=(_c("methotrexate", ON - timedelta(days=10)),))
    assert ("visit", "overdue", "visit") in _kinds(rec)
    assert _kinds(_rec()) == []


def test_glucocorticoids_review_edge_and_runs_joined() -> None:
    start = ON - timedelta(days=365)
    first = _c("prednisolone", start, start + timedelta(days=99))
    second = _c("prednisolone", start + timedelta(days=100))  # next day: same run
    rec = _rec(courses=(first, second), visits=(Visit("P1", ON),))
    assert not [k for k in _kinds(rec) if k[0] == "glucocorticoids"]  # 365 days: not yet
    later = _kinds(rec, ON + timedelta(days=1))
    assert ("glucocorticoids", "overdue", "glucocorticoids still given") in later
    # a gap of more than a day starts a new run
    gap = _rec(
        courses=(first, _c("prednisolone", start + timedelta(days=102))),
        visits=(Visit("P1", ON),),
    )
    assert not [k for k in _kinds(gap, ON + timedelta(days=1)) if k[0] == "glucocorticoids"]


def test_topical_steroid_is_not_a_systemic_glucocorticoid() -> None:
    cream = DrugCourse("P1", "prednisolone", ON - timedelta(days=500), route="topical")
    assert _kinds(_rec(courses=(cream,))) == []


def test_planned_start_lists_screening_due_by_the_start_date() -> None:
    start = ON + timedelta(days=20)
    rec = _rec(courses=(_c("baricitinib", start),), visits=(Visit("P1", ON),))
    planned = planned_jak_start(rec, ON)
    assert planned is not None and planned.start_date == start
    lines = [ln for ln in worklist([rec], ON).lines if ln.kind == "screening"]
    assert lines and all(ln.due_date == start and ln.state == "due" for ln in lines)
    assert any("tuberculosis" in ln.what.lower() or "TB" in ln.what for ln in lines)
    # once started, it is no longer a planned start
    assert planned_jak_start(rec, start) is None


def test_open_checks_for_a_patient_on_a_jak_inhibitor() -> None:
    rec = _rec(
        courses=(_c("baricitinib", ON - timedelta(days=30)),),
        visits=(Visit("P1", ON),),
        events=(Event("P1", ON - timedelta(days=5), "infection", detail="sepsis", grade=4),),
    )
    checks = [ln for ln in worklist([rec], ON).lines if ln.kind == "check"]
    assert checks and checks[0].state == "blocks"
    assert "Olumiant" in checks[0].source


def test_order_most_urgent_first_and_site_filter() -> None:
    old = _rec(
        "P1",
        site="A",
        courses=(_c("methotrexate", date(2020, 1, 1), pid="P1"),),
        visits=(Visit("P1", ON - timedelta(days=300)),),
    )
    newer = _rec(
        "P2",
        site="B",
        courses=(_c("methotrexate", date(2020, 1, 1), pid="P2"),),
        visits=(Visit("P2", ON - timedelta(days=100)),),
    )
    due = _rec(
        "P3",
        site="A",
        courses=(_c("methotrexate", date(2020, 1, 1), pid="P3"),),
        visits=(Visit("P3", ON - timedelta(days=85)),),
    )
    wl = worklist([due, newer, old], ON)
    assert [(ln.patient_id, ln.state) for ln in wl.lines] == [
        ("P1", "overdue"),
        ("P2", "overdue"),
        ("P3", "due"),
    ]
    assert wl.lines[0].days_overdue(ON) > wl.lines[1].days_overdue(ON)
    only_a = worklist([due, newer, old], ON, sites=["A"])
    assert {ln.patient_id for ln in only_a.lines} == {"P1", "P3"} and only_a.patients == 2
    assert any("local-policy setting" in a for a in wl.assumptions)


def test_every_line_names_its_rule_and_source_on_the_demo_cohort() -> None:
    from myotrack.cohort import DEMO_FOLDER, read_folder

    cohort, issues = read_folder(DEMO_FOLDER)
    assert cohort is not None, issues
    records = cohort.records()
    wl = worklist(records.values(), date(2021, 10, 20))
    assert wl.lines
    assert all(ln.rule and ln.source for ln in wl.lines)
    # the seed-003 child on ruxolitinib since 5 Oct 2021: his blood counts are on the list
    mine = [ln for ln in wl.lines if ln.patient_id == "MDA5-case"]
    assert any(ln.kind == "monitoring" and "blood count" in ln.what for ln in mine)


def test_a_dose_above_a_published_maximum_is_an_open_check() -> None:
    # hydroxychloroquine 200 mg/day at 20 kg = 10 mg/kg/day > 5.0 (Marmor 2016, AAO)
    hcq = DrugCourse(
        "P1",
        "hydroxychloroquine",
        ON - timedelta(days=30),
        dose=200,
        dose_unit="mg",
        frequency="QD",
        route="oral",
    )
    rec = _rec(courses=(hcq,), visits=(Visit("P1", ON, weight_kg=20.0),))
    (line,) = [ln for ln in worklist([rec], ON).lines if ln.kind == "check"]
    assert line.state == "blocks" and "Marmor" in line.source
