"""Table 2 (outcomes on treatment) of the whole series or of one subgroup, as rows of
printed text built from the case-series dict. Only the printing rule of `formatting`
rounds; every number comes from the dict."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from myotrack.analysis import SMALL_SUBGROUP_N, is_suppressed, shown_count
from myotrack.domain.vocab import MEASURES
from myotrack.report.formatting import (
    MISSING,
    fmt_ci,
    fmt_count,
    fmt_meansd,
    fmt_median_iqr,
    fmt_num,
    fmt_p,
)
from myotrack.report.tables import Row, Summary, Table, ci_cell
from myotrack.report.wording import p_method_short

CMAS = MEASURES["cmas"].short_label  # the measure table's words

DESCRIPTIVE = "descriptive"


def _p_cell(block: Mapping[str, Any], descriptive: bool = False) -> str:
    if block.get("p") is None:
        if is_suppressed(block.get("n")):
            return f"{MISSING} (withheld: small-cell suppression)"
        n = int(block.get("n", 0))
        reason = "fewer than 2 pairs" if n < 2 else "no variation in the differences"
        return f"{MISSING} (not computed: {reason})"
    label = p_method_short(str(block.get("p_method")))
    if descriptive:
        label += f"; {DESCRIPTIVE}"
    return f"{fmt_p(block['p'])} ({label})"


def _count_row(label: str, source: str, count: Mapping[str, Any], level: int = 0) -> Row:
    return Row(
        label,
        (fmt_count(count), "", "", ci_cell(count), ""),
        level=level,
        source=source,
        shape="count",
    )


def km_text(block: Mapping[str, Any]) -> str:
    km_median = block.get("km_median")
    km = "not reached" if km_median is None else fmt_num(km_median)
    ci = fmt_ci(block.get("km_median_ci95"))
    return f"KM median {km}" + (f" (95% CI {ci})" if ci else "")


def _weeks_row(label: str, source: str, block: Mapping[str, Any]) -> list[Row]:
    return [
        Row(
            label,
            (shown_count(block.get("n", 0)), "", "", fmt_median_iqr(block), ""),
            source=source,
            shape="describe",
        ),
        Row(
            "Kaplan–Meier, all with rash at baseline",
            (
                f"{shown_count(block.get('km_events', MISSING))} events / "
                f"{shown_count(block.get('km_n', MISSING))}",
                "",
                "",
                km_text(block),
                "",
            ),
            level=1,
            source=source,
            shape="km",
        ),
    ]


def _paired_rows(
    label: str, source: str, block: Mapping[str, Any], *, means: bool, descriptive: bool
) -> Row:
    show = fmt_meansd if means else fmt_median_iqr
    effect = ""
    if means and block.get("mean_difference") is not None:
        ci = fmt_ci(block.get("mean_difference_ci95"))
        effect = f"mean change {fmt_num(block['mean_difference'])}"
        effect += f" (95% CI {ci})" if ci else ""
    return Row(
        label,
        (
            shown_count(block["n"]),
            show(block["baseline"]),
            show(block["final"]),
            effect,
            _p_cell(block, descriptive),
        ),
        source=source,
        shape="paired_meansd" if means else "paired_describe",
    )


def table2(summary: Summary, *, title: str | None = None) -> Table:
    """Table 2 of the case series, or of one subgroup (`summary["subgroup"]`: its p values
    are labelled descriptive when the subgroup is small)."""
    rash_n = shown_count(summary["rash_baseline"]["n"])
    cmas = summary["cmas"]
    enzymes = summary["enzymes"]
    subgroup = summary.get("subgroup")
    small = bool(subgroup and subgroup.get("small"))
    rows: list[Row] = [
        Row(f"Skin (patients with rash at baseline, n = {rash_n})", section=True),
        _count_row("Rash improved, n/N (%)", "rash_improved", summary["rash_improved"]),
        _count_row("Rash resolved, n/N (%)", "rash_resolved", summary["rash_resolved"]),
        *_weeks_row(
            "Weeks to rash improving, median (IQR)",
            "weeks_to_rash_improving",
            summary["weeks_to_rash_improving"],
        ),
        *_weeks_row(
            "Weeks to marked improvement, median (IQR)",
            "weeks_to_rash_marked",
            summary["weeks_to_rash_marked"],
        ),
        *_weeks_row(
            "Weeks to resolution, median (IQR)",
            "weeks_to_rash_resolved",
            summary["weeks_to_rash_resolved"],
        ),
        _paired_rows(
            f"{MEASURES['catbm_activity'].short_label}, median (IQR)",
            "catbm_activity",
            summary["catbm_activity"],
            means=False,
            descriptive=small,
        ),
        Row(
            "Muscle (patients with weakness at baseline, n = "
            f"{shown_count(summary['weakness_baseline']['n'])})",
            section=True,
        ),
        _paired_rows(f"{CMAS}, mean ± SD", "cmas", cmas, means=True, descriptive=small),
        *(
            _count_row(f"{change}, n/N (%)", f"cmas.changes.{change}", block, level=1)
            for change, block in cmas["changes"].items()
        ),
        _paired_rows(
            f"{CMAS} of those who improved, mean ± SD",
            "cmas.improved",
            cmas["improved"],
            means=True,
            descriptive=small,
        ),
        Row(
            f"Muscle enzymes (baseline CK or LDH above the upper reference limit, n = "
            f"{shown_count(enzymes['n'])})",
            section=True,
        ),
    ]
    for analyte in ("LDH", "CK"):
        block = enzymes[analyte]
        rows.append(
            _paired_rows(
                f"{analyte}, {enzymes.get('unit', 'U/L')}, median (IQR)",
                f"enzymes.{analyte}",
                block,
                means=False,
                descriptive=small,
            )
        )
        rows.append(
            _count_row("rose from baseline, n/N (%)", f"enzymes.{analyte}.rose", block["rose"], 1)
        )
    rows.append(Row("Safety and course (all patients)", section=True))
    rows.append(
        _count_row(
            "CK or LDH above the upper limit at final, n/N (%)",
            "enzymes_abnormal_final",
            summary["enzymes_abnormal_final"],
        )
    )
    rows.append(_count_row("Glucocorticoids stopped, n/N (%)", "gc_stopped", summary["gc_stopped"]))
    rows.append(_count_row("Relapse, n/N (%)", "relapse", summary["relapse"]))
    infections = summary["infections"]
    rows.append(_count_row("Infection, n/N (%)", "infections", infections))
    for organism, count in infections.get("by_detail_counts", {}).items():
        rows.append(_count_row(organism, f"infections.by_detail_counts.{organism}", count, level=1))
    rows.append(
        _count_row("Thromboembolism, n/N (%)", "thromboembolism", summary["thromboembolism"])
    )
    notes = [
        "n: patients with both a baseline and a final value (paired rows) or with the "
        "event (count rows); N: the denominator named in the section heading. Final: the "
        "latest recorded value after the JAK-inhibitor start up to the end of follow-up. "
        "Counts are given with Wilson 95% confidence intervals; Kaplan–Meier medians with "
        "log-log (Greenwood) 95% confidence intervals; NE: not estimable.",
        "Tests are two-sided; the test used is named next to each p value.",
    ]
    if subgroup:
        notes.append(
            "Subgroup analysis with the definitions of the whole series; its tests are "
            "exploratory (not pre-specified, not adjusted for multiple comparisons)."
            + (
                f" This subgroup has fewer than {SMALL_SUBGROUP_N} patients: its p values "
                "are descriptive only."
                if small
                else ""
            )
        )
    return Table(
        key="table2",
        title=title or "Table 2. Outcomes on treatment",
        columns=("Outcome", "n", "Baseline", "Final", "Estimate (95% CI)", "p (test)"),
        rows=tuple(rows),
        notes=tuple(notes),
    )
