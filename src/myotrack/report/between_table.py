"""The between-group table of a subgroup report (Table 3): for each outcome of Table 2,
the two groups side by side and the between-group test (docs/case-series-report.md,
"Subgroups"), built from `subgroups.between` of the JSON report."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from myotrack.analysis import SMALL_SUBGROUP_N, shown_count
from myotrack.domain.vocab import MEASURES
from myotrack.report.formatting import MISSING, fmt_count, fmt_median_iqr, fmt_p
from myotrack.report.table2 import DESCRIPTIVE
from myotrack.report.tables import Row, Table, upper_first
from myotrack.report.wording import test_short

BETWEEN_LABELS: tuple[tuple[str, str], ...] = (
    *((m, f"{MEASURES[m].short_label}, change, median (IQR)") for m in ("catbm_activity", "cmas")),
    ("LDH", "LDH, U/L, change, median (IQR)"),
    ("CK", "CK, U/L, change, median (IQR)"),
    ("rash_improved", "Rash improved, n/N (%)"),
    ("rash_resolved", "Rash resolved, n/N (%)"),
    ("gc_stopped", "Glucocorticoids stopped, n/N (%)"),
    ("relapse", "Relapse, n/N (%)"),
    ("infections", "Infection, n/N (%)"),
    ("thromboembolism", "Thromboembolism, n/N (%)"),
)


def between_p_cell(block: Mapping[str, Any]) -> str:
    test = block.get("test") or {}
    if block.get("p") is None:
        if block.get("suppressed"):
            return f"{MISSING} (withheld: small-cell suppression)"
        return f"{MISSING} (not computed: a group has no value)"
    label = test_short(str(test.get("test")), str(block.get("p_method")))
    if block.get("descriptive"):
        label += f"; {DESCRIPTIVE}"
    return f"{fmt_p(block['p'])} ({label})"


def _between_group_cell(block: Mapping[str, Any], i: int) -> str:
    if block["outcome"] == "change":
        return f"{fmt_median_iqr(block['change'][i])}, n = {shown_count(block['n'][i])}"
    return fmt_count({"n": block["n"][i], "denominator": block["denominator"][i], "pct": None})


def between_table(
    between: Mapping[str, Any], group_names: tuple[str, str], number: int, by_title: str
) -> Table:
    """The between-group tests of a subgroup report with exactly two tested groups."""
    first, second = group_names
    rows = [
        Row(
            label,
            (
                _between_group_cell(between["tests"][key], 0),
                _between_group_cell(between["tests"][key], 1),
                between_p_cell(between["tests"][key]),
            ),
            source=f"subgroups.between.tests.{key}",
            shape="between_change"
            if between["tests"][key]["outcome"] == "change"
            else "between_count",
        )
        for key, label in BETWEEN_LABELS
    ]
    return Table(
        key="between",
        title=f"Table {number}. {upper_first(by_title)}: {first} compared with {second}",
        columns=("Outcome", first, second, "p (test)"),
        rows=tuple(rows),
        notes=(
            "Change: final − baseline among the patients of each group with both values, in the "
            "subgroup that Table 2 names for that outcome; counts as in Table 2. Continuous "
            "changes are compared with the two-sided Wilcoxon rank-sum (Mann–Whitney) test, "
            "counts with the two-sided Fisher's exact test. The comparisons are exploratory: "
            "not pre-specified, not adjusted for multiple comparisons, and not adjusted for "
            "differences between the groups at baseline."
            + (
                f" A group has fewer than {SMALL_SUBGROUP_N} patients: the p values are "
                "descriptive only."
                if any(b.get("descriptive") for b in between["tests"].values())
                else ""
            ),
        ),
    )
