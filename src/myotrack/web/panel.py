"""Shaping the decision-support data (DecisionSupport.to_dict()) for the patient page: the
laboratory gating grouped by analyte and verdict, most serious first, so that the panel stays
short at the point of care. Nothing is dropped: every rule stays listed in its group."""

from __future__ import annotations

from typing import Any

# Most serious first (the verdicts of myotrack.therapy.lab_gating).
SEVERITY = ("do_not_start", "discontinue", "interrupt", "reduce_dose", "missing", "ok")
VERDICT_TEXT = {
    "do_not_start": "do not start",
    "discontinue": "discontinue",
    "interrupt": "interrupt",
    "reduce_dose": "reduce dose",
    "missing": "no result",
    "ok": "ok",
}
DANGER = frozenset({"do_not_start", "discontinue", "interrupt"})


def gating_groups(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows grouped by (verdict, analyte), most serious verdict first."""
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        verdict = str(row.get("verdict", ""))
        analyte = str(row.get("analyte", ""))
        group = groups.setdefault(
            (verdict, analyte),
            {
                "verdict": verdict,
                "verdict_text": VERDICT_TEXT.get(verdict, verdict.replace("_", " ")),
                "danger": verdict in DANGER,
                "analyte": analyte,
                "value": row.get("value"),
                "unit": row.get("unit"),
                "date": row.get("date"),
                "stale": row.get("stale"),
                "drugs": [],
                "rules": [],
            },
        )
        drug = str(row.get("drug", ""))
        if drug not in group["drugs"]:
            group["drugs"].append(drug)
        group["rules"].append(row)
    order = {v: i for i, v in enumerate(SEVERITY)}
    return sorted(
        groups.values(), key=lambda g: (order.get(g["verdict"], len(order)), g["analyte"])
    )
