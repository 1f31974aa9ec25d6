"""Shaping the decision-support result for the patient page: the laboratory bands grouped by
state and analyte, most serious first, so that the panel stays short at the point of care.
Nothing is dropped: every label's band stays listed in its group.

The template reads attributes (`panel.start_status`, `g.status`); Jinja resolves them on the
typed result or on its `to_dict()` alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from myotrack.therapy import STATUS_ORDER, VERDICT_WORDS, CheckStatus

# The three honest states, worst first, with the badge class the panel shows; their words
# are the therapy's (STATUS_WORDS), as are the verdicts' (lab_gating.VERDICTS).
STATES: tuple[CheckStatus, ...] = tuple(sorted(STATUS_ORDER, key=lambda s: -STATUS_ORDER[s]))
STATE_BADGE: dict[str, str] = {
    "blocks": "danger",
    "cannot_assess": "warn",
    "nothing_blocks": "ok",
}


def _get(row: Any, key: str) -> Any:
    if isinstance(row, Mapping):
        return row.get(key)
    return getattr(row, key, None)


def gating_groups(rows: list[Any]) -> list[dict[str, Any]]:
    """Label bands grouped by (state, verdict, analyte), the worst state first."""
    groups: dict[tuple[str, str, str], dict[str, Any]] = {}
    for row in rows:
        status = str(_get(row, "status") or "cannot_assess")
        verdict = str(_get(row, "verdict") or "")
        analyte = str(_get(row, "analyte") or "")
        group = groups.setdefault(
            (status, verdict, analyte),
            {
                "status": status,
                "badge": STATE_BADGE.get(status, "warn"),
                "verdict": verdict,
                "verdict_text": VERDICT_WORDS.get(verdict, verdict.replace("_", " ")),
                "analyte": analyte,
                "value": _get(row, "value"),
                "unit": _get(row, "unit"),
                "date": _get(row, "date") or _get(row, "measured_on"),
                "stale": _get(row, "stale"),
                "drugs": [],
                "rules": [],
            },
        )
        drug = str(_get(row, "drug") or "")
        if drug not in group["drugs"]:
            group["drugs"].append(drug)
        group["rules"].append(row)
    order = {s: i for i, s in enumerate(STATES)}
    return sorted(
        groups.values(),
        key=lambda g: (order.get(g["status"], len(order)), g["verdict"], g["analyte"]),
    )
