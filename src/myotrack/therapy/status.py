"""The three honest states of every decision-support check, and of their summary.

A check is green ("nothing blocks") only when every input each applicable rule needs is
present, plausible and within its window on the chosen date. Anything it cannot see makes it
amber ("cannot assess"), naming each missing, implausible or out-of-window input and the
window it needs. A rule that says do not start, interrupt or stop makes it red ("blocks").
The summary of several checks is the worst of them; no checks at all is "cannot assess",
never green.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Final, Literal

CheckStatus = Literal["blocks", "cannot_assess", "nothing_blocks"]
InputProblem = Literal["missing", "implausible", "out_of_window", "indeterminate", "needs_review"]

# Worst first when sorting by -ORDER: blocks > cannot_assess > nothing_blocks.
STATUS_ORDER: Final[dict[CheckStatus, int]] = {
    "nothing_blocks": 0,
    "cannot_assess": 1,
    "blocks": 2,
}
STATUS_WORDS: Final[dict[CheckStatus, str]] = {
    "blocks": "blocks",
    "cannot_assess": "cannot assess",
    "nothing_blocks": "nothing blocks",
}
PROBLEM_WORDS: Final[dict[InputProblem, str]] = {
    "missing": "missing",
    "implausible": "implausible",
    "out_of_window": "too old",
    "indeterminate": "indeterminate",
    "needs_review": "needs a clinician's review",
}


@dataclass(frozen=True, slots=True)
class NeededInput:
    """One input a rule needs and cannot use: what, why not, and the window it needs."""

    name: str
    problem: InputProblem
    window: str
    latest: date | None = None

    @property
    def message(self) -> str:
        text = f"{self.name}: {PROBLEM_WORDS[self.problem]}"
        if self.latest is not None:
            text += f" (latest {self.latest.isoformat()})"
        return f"{text}; needs {self.window}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "problem": self.problem,
            "window": self.window,
            "latest": None if self.latest is None else self.latest.isoformat(),
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class Check:
    """One check of the decision-support view with its state, its words and its source."""

    section: str
    name: str
    status: CheckStatus
    message: str
    source: str
    needs: tuple[NeededInput, ...] = ()
    drug: str | None = None
    # Optional detail (added with defaults): the label or rule family ("US", "EU", "Ding
    # 2021"), what the rule says to do in its own words ("interrupt"), and the value the
    # check looked at with its date ("ANC 0.8 x10^9/L on 2024-05-01").
    label: str | None = None
    action: str | None = None
    evidence: str | None = None

    @property
    def status_words(self) -> str:
        return STATUS_WORDS[self.status]

    def to_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "name": self.name,
            "status": self.status,
            "message": self.message,
            "source": self.source,
            "needs": [n.to_dict() for n in self.needs],
            "drug": self.drug,
            "label": self.label,
            "action": self.action,
            "evidence": self.evidence,
        }


def worst(statuses: Iterable[CheckStatus]) -> CheckStatus:
    """The summary state: the worst of `statuses`; none at all cannot be assessed."""
    found = list(statuses)
    if not found:
        return "cannot_assess"
    return max(found, key=lambda s: STATUS_ORDER[s])


def summarise(checks: Iterable[Check]) -> CheckStatus:
    return worst(c.status for c in checks)
