"""Table 1 (baseline characteristics) and Table 2 (outcomes on treatment) as rows of
printed text, built from the case-series dict (myotrack.analysis.case_series). Only
the printing rule of `formatting` rounds; every number comes from the dict."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from myotrack.analysis.case_series import WEIGHT_BAND_LABELS
from myotrack.analysis.subgroups import SMALL_SUBGROUP_N
from myotrack.domain.labels import label
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
from myotrack.report.wording import REFRACTORY_LABELS, p_method_short, test_short

Summary = Mapping[str, Any]

# What a row prints from its source in the summary (the consistency test reads these):
# count: n/N (%) and its 95% CI; meansd: mean ± SD; describe: median (IQR); range:
# min–max; paired_meansd / paired_describe: baseline and final as mean ± SD or median
# (IQR) and the test; km: the Kaplan–Meier median; doses: patients per dose.
RowShape = Literal[
    "section",
    "count",
    "meansd",
    "describe",
    "range",
    "paired_meansd",
    "paired_describe",
    "km",
    "doses",
    "between_change",
    "between_count",
]


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    cells: tuple[str, ...] = ()
    level: int = 0  # 0: a variable; 1: a category under it
    section: bool = False  # a heading row spanning the table
    source: str = ""  # dotted path of the figure in the summary ("enzymes.LDH")
    shape: RowShape = "section"

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "cells": list(self.cells),
            "level": self.level,
            "section": self.section,
            "source": self.source or None,
            "shape": self.shape,
        }


@dataclass(frozen=True, slots=True)
class Table:
    title: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    notes: tuple[str, ...] = field(default=())
    key: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "title": self.title,
            "columns": list(self.columns),
            "rows": [r.to_dict() for r in self.rows],
            "notes": list(self.notes),
        }


def resolve(summary: Summary, source: str) -> Any:
    """The figure at a dotted path of the summary ('enzymes.LDH', 'refractory.no')."""
    node: Any = summary
    for key in source.split("."):
        node = node[key]
    return node


def _n_of(shape: Mapping[str, Any] | None) -> str:
    if not shape:
        return MISSING
    return str(shape.get("n", MISSING))


def upper_first(text: str) -> str:
    """'first JAK inhibitor' -> 'First JAK inhibitor' (str.capitalize would lower the rest)."""
    return text[:1].upper() + text[1:]


def label_drug(drug: str) -> str:
    return label("drug", drug)


def _dose(row: Mapping[str, Any]) -> str:
    """'ruxolitinib 5 mg twice daily' (units and frequencies in the clinic's words)."""
    dose = row.get("dose")
    unit = label("dose_unit", row["dose_unit"]) if row.get("dose_unit") else ""
    amount = MISSING if dose is None else f"{float(dose):g} {unit}".strip()
    frequency = label("frequency", row["frequency"]) if row.get("frequency") else ""
    return f"{label_drug(row['drug'])} {amount} {frequency}".strip()


def _ci_cell(count: Mapping[str, Any]) -> str:
    ci = fmt_ci(count.get("ci95"))
    return f"{ci}%" if ci else MISSING


def _t1_count(label: str, source: str, count: Mapping[str, Any], n: str, level: int = 0) -> Row:
    return Row(label, (fmt_count(count), n, _ci_cell(count)), level, source=source, shape="count")


def table1(summary: Summary, *, title: str | None = None) -> Table:
    n = int(summary["n_patients"])
    rows: list[Row] = [
        _t1_count("Female, n/N (%)", "female", summary["female"], str(n)),
        Row(
            "Age at onset, years, mean ± SD",
            (fmt_meansd(summary["age_onset_years"]), _n_of(summary["age_onset_years"])),
            source="age_onset_years",
            shape="meansd",
        ),
        Row(
            "Age at JAK-inhibitor start, years, mean ± SD",
            (fmt_meansd(summary["age_index_years"]), _n_of(summary["age_index_years"])),
            source="age_index_years",
            shape="meansd",
        ),
        Row(
            "Disease duration before JAK inhibitor, months, median (IQR)",
            (
                fmt_median_iqr(summary["disease_duration_months"]),
                _n_of(summary["disease_duration_months"]),
            ),
            source="disease_duration_months",
            shape="describe",
        ),
        Row(
            "range",
            (fmt_range(summary["disease_duration_months"]), ""),
            level=1,
            source="disease_duration_months",
            shape="range",
        ),
        Row("Refractory disease, n/N (%)", section=True),
    ]
    for value, count in summary["refractory"].items():
        label = REFRACTORY_LABELS.get(value, value)
        rows.append(_t1_count(label, f"refractory.{value}", count, "", level=1))
    rows.append(
        _t1_count(
            "Weakness at baseline, n/N (%)",
            "weakness_baseline",
            summary["weakness_baseline"],
            str(n),
        )
    )
    rows.append(
        _t1_count("Rash at baseline, n/N (%)", "rash_baseline", summary["rash_baseline"], str(n))
    )
    rows.append(Row("First JAK inhibitor, n/N (%)", section=True))
    for drug, count in summary["jaki_agent"].items():
        rows.append(_t1_count(label_drug(drug), f"jaki_agent.{drug}", count, "", level=1))
    rows.append(Row("Starting dose by baseline weight, n", section=True))
    for band, block in summary["weight_band"].items():
        doses = "; ".join(f"{_dose(d)} ({d['n']})" for d in block["starting_doses"]) or MISSING
        rows.append(
            Row(
                WEIGHT_BAND_LABELS.get(band, band),
                (doses, str(block["n"])),
                level=1,
                source=f"weight_band.{band}",
                shape="doses",
            )
        )
    rows.append(Row("Highest dose of the first JAK inhibitor, n", section=True))
    for i, dose_row in enumerate(summary["max_dose"]):
        rows.append(
            Row(
                _dose(dose_row),
                (str(dose_row["n"]), ""),
                level=1,
                source=f"max_dose.{i}",
                shape="doses",
            )
        )
    for label, key in (
        ("JAK-inhibitor exposure, months, median (IQR)", "jaki_exposure_months"),
        ("Follow-up, months, median (IQR)", "follow_up_months"),
    ):
        rows.append(
            Row(
                label,
                (fmt_median_iqr(summary[key]), _n_of(summary[key])),
                source=key,
                shape="describe",
            )
        )
        rows.append(Row("range", (fmt_range(summary[key]), ""), level=1, source=key, shape="range"))
    return Table(
        key="table1",
        title=title or f"Table 1. Baseline characteristics (N = {n})",
        columns=("Characteristic", "Value", "n with data", "95% CI"),
        rows=tuple(rows),
        notes=(
            "Percentages are of all patients in the case series unless a subgroup is named, "
            "with Wilson 95% confidence intervals. "
            "Baseline: the latest recorded value within 90 days before and including the "
            "JAK-inhibitor start. Ranges are minimum–maximum.",
        ),
    )


DESCRIPTIVE = "descriptive"


def _p_cell(block: Mapping[str, Any], descriptive: bool = False) -> str:
    if block.get("p") is None:
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
        (fmt_count(count), "", "", _ci_cell(count), ""),
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
            (str(block.get("n", 0)), "", "", fmt_median_iqr(block), ""),
            source=source,
            shape="describe",
        ),
        Row(
            "Kaplan–Meier, all with rash at baseline",
            (
                f"{block.get('km_events', MISSING)} events / {block.get('km_n', MISSING)}",
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
            str(block["n"]),
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
    rash_n = summary["rash_baseline"]["n"]
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
            "CAT-BM activity, median (IQR)",
            "catbm_activity",
            summary["catbm_activity"],
            means=False,
            descriptive=small,
        ),
        Row(
            f"Muscle (patients with weakness at baseline, n = {summary['weakness_baseline']['n']})",
            section=True,
        ),
        _paired_rows("CMAS, mean ± SD", "cmas", cmas, means=True, descriptive=small),
        *(
            _count_row(f"{change}, n/N (%)", f"cmas.changes.{change}", block, level=1)
            for change, block in cmas["changes"].items()
        ),
        _paired_rows(
            "CMAS of those who improved, mean ± SD",
            "cmas.improved",
            cmas["improved"],
            means=True,
            descriptive=small,
        ),
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


BETWEEN_LABELS: tuple[tuple[str, str], ...] = (
    ("catbm_activity", "CAT-BM activity, change, median (IQR)"),
    ("cmas", "CMAS, change, median (IQR)"),
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
        return f"{MISSING} (not computed: a group has no value)"
    label = test_short(str(test.get("test")), str(block.get("p_method")))
    if block.get("descriptive"):
        label += f"; {DESCRIPTIVE}"
    return f"{fmt_p(block['p'])} ({label})"


def _between_group_cell(block: Mapping[str, Any], i: int) -> str:
    if block["outcome"] == "change":
        return f"{fmt_median_iqr(block['change'][i])}, n = {block['n'][i]}"
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
