"""The shape of the report's tables: a `Table` of `Row`s of printed text, each row naming
the figure of the summary it prints (`source`, `shape`) so the JSON report can be checked
row by row; the cell helpers the tables share; and Markdown output. The tables themselves:
`table1`, `table2`, `between_table`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from myotrack.analysis import shown_count
from myotrack.domain.labels import label
from myotrack.report.formatting import (
    MISSING,
    fmt_ci,
)

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


def n_of(shape: Mapping[str, Any] | None) -> str:
    if not shape:
        return MISSING
    n = shape.get("n", MISSING)
    return MISSING if n == MISSING else shown_count(n)


def upper_first(text: str) -> str:
    """'first JAK inhibitor' -> 'First JAK inhibitor' (str.capitalize would lower the rest)."""
    return text[:1].upper() + text[1:]


def label_drug(drug: str) -> str:
    return label("drug", drug)


def dose_row_text(row: Mapping[str, Any]) -> str:
    """'ruxolitinib 5 mg twice daily' (units and frequencies in the clinic's words)."""
    dose = row.get("dose")
    unit = label("dose_unit", row["dose_unit"]) if row.get("dose_unit") else ""
    amount = MISSING if dose is None else f"{float(dose):g} {unit}".strip()
    frequency = label("frequency", row["frequency"]) if row.get("frequency") else ""
    return f"{label_drug(row['drug'])} {amount} {frequency}".strip()


def ci_cell(count: Mapping[str, Any]) -> str:
    ci = fmt_ci(count.get("ci95"))
    return f"{ci}%" if ci else MISSING


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
