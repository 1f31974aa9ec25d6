"""Verdicts of the label bands and the three states are each one table: the verdicts'
order, state and words are rows of `lab_gating.VERDICTS`; the states' order and words are
`status.STATUS_ORDER`/`STATUS_WORDS`. The web panel and its template read them; none
restates them."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import myotrack
from myotrack.therapy import STATUS_ORDER, STATUS_WORDS
from myotrack.therapy.lab_gating import (
    SEVERITY,
    VERDICT_STATUS,
    VERDICT_WORDS,
    VERDICTS,
    GateResult,
    Verdict,
)


def test_every_verdict_has_one_row() -> None:
    names = [r.verdict for r in VERDICTS]
    assert sorted(names) == sorted(get_args(Verdict))
    assert len(set(names)) == len(names)
    assert set(SEVERITY) == set(VERDICT_STATUS) == set(VERDICT_WORDS) == set(names)


def test_a_more_serious_state_is_a_more_serious_verdict() -> None:
    """Severity never contradicts the state: every blocking verdict outranks every amber
    one, and those outrank 'ok' (so the worst verdict gives the worst state)."""
    for a in VERDICTS:
        for b in VERDICTS:
            if STATUS_ORDER[a.status] > STATUS_ORDER[b.status]:
                assert a.severity > b.severity, (a.verdict, b.verdict)


def test_the_web_reads_the_same_words() -> None:
    from myotrack.web.panel import gating_groups

    rows = [
        GateResult(
            drug="tofacitinib",
            label="US",
            phase="on_treatment",
            analyte="neutrophils",
            value=1.0,
            unit="10^9/L",
            measured_on=None,
            threshold="",
            verdict=v,
            rule="",
            source="",
        )
        for v in get_args(Verdict)
    ]
    shown = {g.verdict: g.verdict_text for g in gating_groups(rows)}
    assert shown == VERDICT_WORDS


def test_no_template_restates_the_state_words() -> None:
    templates = Path(myotrack.__file__).parent / "web" / "templates"
    for path in templates.glob("*.html"):
        text = path.read_text(encoding="utf-8")
        for state, words in STATUS_WORDS.items():
            assert f"'{state}': '{words}'" not in text, f"{path.name} restates {state}"
