"""Table 1 (baseline characteristics) and Table 2 (outcomes on treatment) as rows of
printed text, built from the case-series dict (myotrack.analysis.case_series). Only
the printing rule of `formatting` rounds; every number comes from the dict."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from myotrack.report.formatting import (
    MISSING,
    fmt_ci,
    fmt_count,
    fmt_meansd,
    fmt_median_iqr,
    fmt_num,
    fmt_p,
    fmt_range,
)
from myotrack.report.wording import REFRACTORY_LABELS, WEIGHT_BAND_LABELS, p_method_short

Summary = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    cells: tuple[str, ...] = ()
    level: int = 0  # 0: a variable; 1: a category under it
    section: bool = False  # a heading row spanning the table


@dataclass(frozen=True, slots=True)
class Table:
    title: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    notes: tuple[str, ...] = field(default=())


def _n_of(shape: Mapping[str, Any] | None) -> str:
    if not shape:
        return MISSING
    return str(shape.get("n", MISSING))


def _dose(row: Mapping[str, Any]) -> str:
    dose = row.get("dose")
    unit = row.get("dose_unit") or ""
    amount = MISSING if dose is None else f"{float(dose):g} {unit}".strip()
    frequency = row.get("frequency") or ""
    return f"{row['drug']} {amount} {frequency}".strip()


def table1(summary: Summary) -> Table:
    n = int(summary["n_patients"])
    rows: list[Row] = [
        Row("Female, n/N (%)", (fmt_count(summary["female"]), str(n))),
        Row(
            "Age at onset, years, mean ± SD",
            (fmt_meansd(summary["age_onset_years"]), _n_of(summary["age_onset_years"])),
        ),
        Row(
            "Age at JAK-inhibitor start, years, mean ± SD",
            (fmt_meansd(summary["age_index_years"]), _n_of(summary["age_index_years"])),
        ),
        Row(
            "Disease duration before JAK inhibitor, months, median (IQR)",
            (
                fmt_median_iqr(summary["disease_duration_months"]),
                _n_of(summary["disease_duration_months"]),
            ),
        ),
        Row("range", (fmt_range(summary["disease_duration_months"]), ""), level=1),
        Row("Refractory disease, n/N (%)", section=True),
    ]
    for value, count in summary["refractory"].items():
        rows.append(Row(REFRACTORY_LABELS.get(value, value), (fmt_count(count), ""), level=1))
    rows.append(
        Row("Weakness at baseline, n/N (%)", (fmt_count(summary["weakness_baseline"]), str(n)))
    )
    rows.append(Row("Rash at baseline, n/N (%)", (fmt_count(summary["rash_baseline"]), str(n))))
    rows.append(Row("First JAK inhibitor, n/N (%)", section=True))
    for drug, count in summary["jaki_agent"].items():
        rows.append(Row(drug, (fmt_count(count), ""), level=1))
    rows.append(Row("Starting dose by baseline weight, n", section=True))
    for band, block in summary["weight_band"].items():
        doses = "; ".join(f"{_dose(d)} ({d['n']})" for d in block["starting_doses"]) or MISSING
        rows.append(Row(WEIGHT_BAND_LABELS.get(band, band), (doses, str(block["n"])), level=1))
    rows.append(Row("Highest dose of the first JAK inhibitor, n", section=True))
    for dose_row in summary["max_dose"]:
        rows.append(Row(_dose(dose_row), (str(dose_row["n"]), ""), level=1))
    rows.append(
        Row(
            "JAK-inhibitor exposure, months, median (IQR)",
            (
                fmt_median_iqr(summary["jaki_exposure_months"]),
                _n_of(summary["jaki_exposure_months"]),
            ),
        )
    )
    rows.append(Row("range", (fmt_range(summary["jaki_exposure_months"]), ""), level=1))
    rows.append(
        Row(
            "Follow-up, months, median (IQR)",
            (fmt_median_iqr(summary["follow_up_months"]), _n_of(summary["follow_up_months"])),
        )
    )
    rows.append(Row("range", (fmt_range(summary["follow_up_months"]), ""), level=1))
    return Table(
        title=f"Table 1. Baseline characteristics (N = {n})",
        columns=("Characteristic", "Value", "n with data"),
        rows=tuple(rows),
        notes=(
            "Percentages are of all patients in the case series unless a subgroup is named. "
            "Baseline: the latest recorded value within 90 days before and including the "
            "JAK-inhibitor start. Ranges are minimum–maximum.",
        ),
    )


def _p_cell(block: Mapping[str, Any]) -> str:
    if block.get("p") is None:
        n = int(block.get("n", 0))
        reason = "fewer than 2 pairs" if n < 2 else "no variation in the differences"
        return f"{MISSING} (not computed: {reason})"
    return f"{fmt_p(block['p'])} ({p_method_short(str(block.get('p_method')))})"


def _count_row(label: str, count: Mapping[str, Any], level: int = 0) -> Row:
    ci = fmt_ci(count.get("ci95"))
    return Row(label, (fmt_count(count), "", "", f"{ci}%" if ci else "", ""), level=level)


def _weeks_row(label: str, block: Mapping[str, Any]) -> list[Row]:
    km_median = block.get("km_median")
    km = "not reached" if km_median is None else fmt_num(km_median)
    ci = fmt_ci(block.get("km_median_ci95"))
    km_text = f"KM median {km}" + (f" (95% CI {ci})" if ci else "")
    return [
        Row(label, (str(block.get("n", 0)), "", "", fmt_median_iqr(block), "")),
        Row(
            "Kaplan–Meier, all with rash at baseline",
            (
                f"{block.get('km_events', MISSING)} events / {block.get('km_n', MISSING)}",
                "",
                "",
                km_text,
                "",
            ),
            level=1,
        ),
    ]


def _paired_rows(label: str, block: Mapping[str, Any], *, means: bool) -> Row:
    show = fmt_meansd if means else fmt_median_iqr
    effect = ""
    if means and block.get("mean_difference") is not None:
        ci = fmt_ci(block.get("mean_difference_ci95"))
        effect = f"mean change {fmt_num(block['mean_difference'])}"
        effect += f" (95% CI {ci})" if ci else ""
    return Row(
        label,
        (str(block["n"]), show(block["baseline"]), show(block["final"]), effect, _p_cell(block)),
    )


def table2(summary: Summary) -> Table:
    rash_n = summary["rash_baseline"]["n"]
    cmas = summary["cmas"]
    enzymes = summary["enzymes"]
    rows: list[Row] = [
        Row(f"Skin (patients with rash at baseline, n = {rash_n})", section=True),
        _count_row("Rash improved, n/N (%)", summary["rash_improved"]),
        _count_row("Rash resolved, n/N (%)", summary["rash_resolved"]),
        *_weeks_row("Weeks to rash improving, median (IQR)", summary["weeks_to_rash_improving"]),
        *_weeks_row("Weeks to marked improvement, median (IQR)", summary["weeks_to_rash_marked"]),
        *_weeks_row("Weeks to resolution, median (IQR)", summary["weeks_to_rash_resolved"]),
        _paired_rows("CAT-BM activity, median (IQR)", summary["catbm_activity"], means=False),
        Row(
            f"Muscle (patients with weakness at baseline, n = {summary['weakness_baseline']['n']})",
            section=True,
        ),
        _paired_rows("CMAS, mean ± SD", cmas, means=True),
        Row(
            "improved / unchanged / worse",
            (f"{cmas['n_improved']} / {cmas['n_unchanged']} / {cmas['n_worse']}", "", "", "", ""),
            level=1,
        ),
        _paired_rows("CMAS of those who improved, mean ± SD", cmas["improved"], means=True),
        Row(
            f"Muscle enzymes (baseline CK or LDH above the upper reference limit, n = "
            f"{enzymes['n']})",
            section=True,
        ),
    ]
    for analyte in ("LDH", "CK"):
        block = enzymes[analyte]
        rows.append(
            _paired_rows(
                f"{analyte}, {enzymes.get('unit', 'U/L')}, median (IQR)", block, means=False
            )
        )
        rows.append(
            Row(
                "rose from baseline, n",
                (str(block.get("n_rose", MISSING)), "", "", "", ""),
                level=1,
            )
        )
    rows.append(Row("Safety and course (all patients)", section=True))
    rows.append(
        _count_row(
            "CK or LDH above the upper limit at final, n/N (%)", summary["enzymes_abnormal_final"]
        )
    )
    rows.append(_count_row("Glucocorticoids stopped, n/N (%)", summary["gc_stopped"]))
    rows.append(_count_row("Relapse, n/N (%)", summary["relapse"]))
    infections = summary["infections"]
    rows.append(
        Row(
            "Infection, n/N (%)",
            (
                fmt_count(
                    {"n": infections["n"], "denominator": infections["denominator"], "pct": None}
                ),
                "",
                "",
                "",
                "",
            ),
        )
    )
    for organism, k in infections.get("by_detail", {}).items():
        rows.append(Row(organism, (str(k), "", "", "", ""), level=1))
    rows.append(_count_row("Thromboembolism, n/N (%)", summary["thromboembolism"]))
    return Table(
        title="Table 2. Outcomes on treatment",
        columns=("Outcome", "n", "Baseline", "Final", "Estimate (95% CI)", "p (test)"),
        rows=tuple(rows),
        notes=(
            "n: patients with both a baseline and a final value (paired rows) or with the "
            "event (count rows); N: the denominator named in the section heading. Final: the "
            "latest recorded value after the JAK-inhibitor start up to the end of follow-up. "
            "Counts are given with Wilson 95% confidence intervals; Kaplan–Meier medians with "
            "log-log (Greenwood) 95% confidence intervals; NE: not estimable.",
            "Tests are two-sided; the test used is named next to each p value.",
        ),
    )


def markdown_table(table: Table) -> str:
    """A GitHub-flavoured Markdown table; categories indented with non-breaking spaces."""
    width = len(table.columns)
    lines = [
        f"**{table.title}**",
        "",
        "| " + " | ".join(table.columns) + " |",
        "|" + "|".join(["---"] * width) + "|",
    ]
    for row in table.rows:
        label = row.label.replace("|", "\\|")
        if row.section:
            lines.append(f"| **{label}** |" + " |" * (width - 1))
            continue
        indent = "\u00a0\u00a0\u00a0\u00a0" * row.level
        cells = [c.replace("|", "\\|") for c in row.cells]
        cells += [""] * (width - 1 - len(cells))
        lines.append(f"| {indent}{label} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.extend(f"_{note}_" for note in table.notes)
    return "\n".join(lines)
