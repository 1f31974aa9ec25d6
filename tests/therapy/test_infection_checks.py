"""Infections as each JAK-inhibitor label words them: worked examples at each edge (grade 3,
the recent window, opportunistic organisms, before a start and on treatment)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from myotrack.domain.model import DrugCourse, Event, Patient, PatientRecord
from myotrack.therapy.infections import (
    LABELS,
    RECENT_INFECTION_DAYS,
    SERIOUS_GRADE,
    infection_checks,
    opportunistic_organism,
    read_infection,
)

PID = "P1"
ON = date(2024, 6, 1)


def _record(*events: Event, courses: tuple[DrugCourse, ...] = ()) -> PatientRecord:
    patient = Patient(PID, "F", date(2015, 1, 1), "JDM")
    return PatientRecord(patient=patient, events=events, courses=courses)


def _infection(day: date, detail: str | None = None, grade: int | None = None) -> Event:
    return Event(PID, day, "infection", detail=detail, grade=grade)


def _by_drug(record: PatientRecord, on: date = ON) -> dict[str | None, str]:
    return {c.drug: c.status for c in infection_checks(record, on)}


@pytest.mark.parametrize(
    ("detail", "organism"),
    [
        ("PJP", "Pneumocystis"),
        ("Pneumocystis jirovecii pneumonia", "Pneumocystis"),
        ("pcp", "Pneumocystis"),
        ("TB", "tuberculosis"),
        ("herpes zoster T4", "herpes zoster"),
        ("VZV", "herpes zoster"),
        ("CMV viraemia", "CMV"),
        ("EBV", "EBV"),
        ("otitis media", None),
        ("STBX", None),  # 'TB' inside a word is not tuberculosis
        (None, None),
    ],
)
def test_opportunistic_organisms_are_read_from_detail(
    detail: str | None, organism: str | None
) -> None:
    assert opportunistic_organism(detail) == organism


def test_serious_is_grade_3_or_more_ctcae() -> None:
    assert SERIOUS_GRADE == 3
    assert read_infection(_infection(ON, "cellulitis", 2)).serious is False
    assert read_infection(_infection(ON, "cellulitis", 3)).serious is True
    assert read_infection(_infection(ON, "cellulitis", None)).serious is None
    # opportunistic counts as serious whatever the grade
    assert read_infection(_infection(ON, "EBV", 1)).serious is True


def test_no_infection_recorded_nothing_blocks_for_each_label() -> None:
    assert _by_drug(_record()) == {d: "nothing_blocks" for d in LABELS}


def test_grade_3_infection_in_window_blocks_every_start() -> None:
    rec = _record(_infection(ON - timedelta(days=10), "pneumonia", 3))
    statuses = _by_drug(rec)
    assert statuses == {d: "blocks" for d in LABELS}
    (rux,) = [c for c in infection_checks(rec, ON) if c.drug == "ruxolitinib"]
    assert "Active serious infections should have resolved before starting" in rux.message
    assert "local-policy setting" in rux.message


def test_grade_2_blocks_only_tofacitinib_whose_eu_label_names_any_active_infection() -> None:
    rec = _record(_infection(ON - timedelta(days=10), "otitis", 2))
    assert _by_drug(rec) == {
        "tofacitinib": "blocks",
        "baricitinib": "nothing_blocks",
        "ruxolitinib": "nothing_blocks",
    }


def test_recent_window_edge() -> None:
    # exactly RECENT_INFECTION_DAYS before the date: still recent; one day older: history
    inside = _record(_infection(ON - timedelta(days=RECENT_INFECTION_DAYS), "sepsis", 4))
    outside = _record(_infection(ON - timedelta(days=RECENT_INFECTION_DAYS + 1), "sepsis", 4))
    assert set(_by_drug(inside).values()) == {"blocks"}
    assert set(_by_drug(outside).values()) == {"nothing_blocks"}
    (tofa,) = [c for c in infection_checks(outside, ON) if c.drug == "tofacitinib"]
    assert "risks and benefits" in tofa.message


def test_infection_after_the_date_is_not_used() -> None:
    rec = _record(_infection(ON + timedelta(days=1), "sepsis", 4))
    assert set(_by_drug(rec).values()) == {"nothing_blocks"}


def test_missing_grade_cannot_assess_and_names_the_grade() -> None:
    rec = _record(_infection(ON - timedelta(days=5), "pneumonia", None))
    checks = {c.drug: c for c in infection_checks(rec, ON)}
    assert checks["ruxolitinib"].status == "cannot_assess"
    assert checks["ruxolitinib"].needs[0].name.startswith("CTCAE grade of the infection")
    # tofacitinib EU: any active infection -> blocks even without a grade
    assert checks["tofacitinib"].status == "blocks"


def _course(drug: str, start: date) -> DrugCourse:
    return DrugCourse(PID, drug, start, dose=5, dose_unit="mg", frequency="BID")


def test_on_treatment_interrupt_for_tofacitinib_and_baricitinib() -> None:
    start = ON - timedelta(days=60)
    for drug in ("tofacitinib", "baricitinib"):
        rec = _record(
            _infection(ON - timedelta(days=3), "CMV", None), courses=(_course(drug, start),)
        )
        (check,) = infection_checks(rec, ON)
        assert check.drug == drug and check.status == "blocks"
        assert "interrupt" in check.message.lower()


def test_on_treatment_zoster_quotes_the_olumiant_zoster_rule() -> None:
    rec = _record(
        _infection(ON - timedelta(days=3), "herpes zoster", 2),
        courses=(_course("baricitinib", ON - timedelta(days=60)),),
    )
    (check,) = infection_checks(rec, ON)
    assert "until the episode resolves" in check.message


def test_on_ruxolitinib_the_label_has_no_interruption_rule() -> None:
    rec = _record(
        _infection(ON - timedelta(days=3), "sepsis", 4),
        courses=(_course("ruxolitinib", ON - timedelta(days=60)),),
    )
    (check,) = infection_checks(rec, ON)
    assert check.status == "cannot_assess"
    assert "no interruption rule" in check.message
    assert check.needs and "decision" in check.needs[0].name


def test_seed_003_child_pjp_taken_into_account() -> None:
    """Strauss 2023 (seed 003): Pneumocystis on BAL, 17 Sep 2021; ruxolitinib from Oct 2021."""
    from myotrack.cohort import DEMO_FOLDER, read_folder

    cohort, issues = read_folder(DEMO_FOLDER)
    assert cohort is not None, issues
    rec = cohort.records()["MDA5-case"]
    before_start = {c.drug: c for c in infection_checks(rec, date(2021, 10, 1))}
    assert before_start["ruxolitinib"].status == "blocks"
    assert "Pneumocystis" in before_start["ruxolitinib"].message
    on_rux = infection_checks(rec, date(2021, 10, 20))
    assert [c.drug for c in on_rux] == ["ruxolitinib"]
    assert on_rux[0].status == "cannot_assess"
