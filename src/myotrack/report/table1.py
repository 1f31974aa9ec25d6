"""Table 1 (baseline characteristics) as rows of printed text, built from the case-series
dict (myotrack.analysis.case_series). Only the printing rule of `formatting` rounds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from myotrack.analysis import shown_count
from myotrack.analysis.case_series import WEIGHT_BAND_LABELS
from myotrack.report.formatting import MISSING, fmt_count, fmt_meansd, fmt_median_iqr, fmt_range
from myotrack.report.tables import Row, Summary, Table, ci_cell, dose_row_text, label_drug, n_of
from myotrack.report.wording import REFRACTORY_LABELS


def _t1_count(label: str, source: str, count: Mapping[str, Any], n: str, level: int = 0) -> Row:
    return Row(label, (fmt_count(count), n, ci_cell(count)), level, source=source, shape="count")


def table1(summary: Summary, *, title: str | None = None) -> Table:
    n = int(summary["n_patients"])
    rows: list[Row] = [
        _t1_count("Female, n/N (%)", "female", summary["female"], str(n)),
        Row(
            "Age at onset, years, mean ± SD",
            (fmt_meansd(summary["age_onset_years"]), n_of(summary["age_onset_years"])),
            source="age_onset_years",
            shape="meansd",
        ),
        Row(
            "Age at JAK-inhibitor start, years, mean ± SD",
            (fmt_meansd(summary["age_index_years"]), n_of(summary["age_index_years"])),
            source="age_index_years",
            shape="meansd",
        ),
        Row(
            "Disease duration before JAK inhibitor, months, median (IQR)",
            (
                fmt_median_iqr(summary["disease_duration_months"]),
                n_of(summary["disease_duration_months"]),
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
        doses = (
            "; ".join(
                f"{dose_row_text(d)} ({shown_count(d['n'])})" for d in block["starting_doses"]
            )
            or MISSING
        )
        rows.append(
            Row(
                WEIGHT_BAND_LABELS.get(band, band),
                (doses, shown_count(block["n"])),
                level=1,
                source=f"weight_band.{band}",
                shape="doses",
            )
        )
    rows.append(Row("Highest dose of the first JAK inhibitor, n", section=True))
    for i, dose_row in enumerate(summary["max_dose"]):
        rows.append(
            Row(
                dose_row_text(dose_row),
                (shown_count(dose_row["n"]), ""),
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
                (fmt_median_iqr(summary[key]), n_of(summary[key])),
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
