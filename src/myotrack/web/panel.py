"""Shaping the decision-support result for the patient page: the laboratory bands grouped by
state and analyte, most serious first, so that the panel stays short at the point of care.
Nothing is dropped: every label's band stays listed in its group.

The template reads attributes of the typed result (`panel.start_status`, the label bands'
`GateResult`s); `to_dict()` is only for the JSON API.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from myotrack.therapy import STATUS_ORDER, VERDICT_WORDS, CheckStatus, GateResult

# The three honest states, worst first, with the badge class the panel shows; their words
# are the therapy's (STATUS_WORDS), as are the verdicts' (lab_gating.VERDICTS).
STATES: tuple[CheckStatus, ...] = tuple(sorted(STATUS_ORDER, key=lambda s: -STATUS_ORDER[s]))
STATE_BADGE: dict[str, str] = {
    "blocks": "danger",
    "cannot_assess": "warn",
    "nothing_blocks": "ok",
}


@dataclass(slots=True)
class LabGroup:
    """Label bands of one state, verdict and analyte: what the panel shows as one line."""

    status: CheckStatus
    verdict: str
    analyte: str
    value: float | None
    unit: str | None
    date: date | None
    stale: bool
    drugs: list[str] = field(default_factory=list)
    rules: list[GateResult] = field(default_factory=list)

    @property
    def badge(self) -> str:
        return STATE_BADGE.get(self.status, "warn")

    @property
    def verdict_text(self) -> str:
        return VERDICT_WORDS.get(self.verdict, self.verdict.replace("_", " "))


def gating_groups(rows: Sequence[GateResult]) -> list[LabGroup]:
    """Label bands grouped by (state, verdict, analyte), the worst state first."""
    groups: dict[tuple[str, str, str], LabGroup] = {}
    for row in rows:
        key = (row.status, row.verdict, row.analyte)
        group = groups.setdefault(
            key,
            LabGroup(
                status=row.status,
                verdict=row.verdict,
                analyte=row.analyte,
                value=row.value,
                unit=row.unit,
                date=row.measured_on,
                stale=row.stale,
            ),
        )
        if row.drug not in group.drugs:
            group.drugs.append(row.drug)
        group.rules.append(row)
    order = {s: i for i, s in enumerate(STATES)}
    return sorted(
        groups.values(), key=lambda g: (order.get(g.status, len(order)), g.verdict, g.analyte)
    )
