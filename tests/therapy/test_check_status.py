"""The summary of decision-support checks is the worst state, and never green when empty."""

from __future__ import annotations

from datetime import date

from myotrack.therapy.status import Check, NeededInput, summarise, worst


def _check(status: str) -> Check:
    return Check(section="lab_gating", name="x", status=status, message="m", source="s")  # type: ignore[arg-type]


def test_worst_of_states() -> None:
    assert worst(["nothing_blocks", "cannot_assess"]) == "cannot_assess"
    assert worst(["nothing_blocks", "blocks", "cannot_assess"]) == "blocks"
    assert worst(["nothing_blocks"]) == "nothing_blocks"


def test_no_checks_cannot_be_assessed() -> None:
    assert summarise([]) == "cannot_assess"
    assert summarise([_check("nothing_blocks")]) == "nothing_blocks"


def test_needed_input_names_problem_and_window() -> None:
    need = NeededInput("neutrophils", "out_of_window", "within 90 days", latest=date(2021, 1, 2))
    assert need.message == "neutrophils: too old (latest 2021-01-02); needs within 90 days"
