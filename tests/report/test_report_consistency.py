"""A reader must never have to reconcile a figure with its table: this walks every row and
every figure of the JSON report and checks that they agree.

- every row that prints a figure of the summary names it (`source`); its printed cells are
  that figure by the report's printing rule;
- every count row carries its 95% interval;
- every figure marks the summary its table row gives (the same kind: mean ± SD or median
  (IQR) or Kaplan–Meier median) with the same printed value and the same n, or states
  plainly why it marks none.

Run on the bundled demo cohort (the issue's "done when"), with and without subgroups, and
on the small hand-built cohort of conftest.py.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import pytest

from myotrack.cohort import DEMO_FOLDER, read_folder
from myotrack.domain import Cohort
from myotrack.report import render_report
from myotrack.report.formatting import (
    MISSING,
    between,
    fmt_ci,
    fmt_count,
    fmt_meansd,
    fmt_median_iqr,
    fmt_num,
    fmt_p,
    fmt_range,
)

GENERATED = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _resolve(document: Mapping[str, Any], root: str, source: str) -> Any:
    node: Any = document
    for key in [k for k in (root.split(".") if root else [])] + source.split("."):
        node = node[int(key)] if isinstance(node, list) else node[key]
    return node


def _check_row(row: Mapping[str, Any], columns: list[str], block: Any) -> None:
    cells = row["cells"]
    shape = row["shape"]
    where = f"{row['label']!r} ({row['source']})"
    if shape == "count":
        assert fmt_count(block) in cells, where
        if block["denominator"] == 0:  # no one to count: no interval, printed as a dash
            assert block["ci95"] is None and MISSING in cells, where
            return
        ci = fmt_ci(block["ci95"])
        assert ci, f"count row without an interval: {where}"
        assert f"{ci}%" in cells, where
    elif shape == "meansd":
        assert cells[0] == fmt_meansd(block), where
        assert cells[1] == str(block["n"]), where
    elif shape == "describe":
        assert fmt_median_iqr(block) in cells, where
        assert str(block["n"]) in cells, where
    elif shape == "range":
        assert cells[0] == fmt_range(block), where
    elif shape in ("paired_meansd", "paired_describe"):
        show = fmt_meansd if shape == "paired_meansd" else fmt_median_iqr
        assert cells[0] == str(block["n"]), where
        assert cells[1] == show(block["baseline"]) and cells[2] == show(block["final"]), where
        if block["p"] is not None:
            assert cells[4].startswith(fmt_p(block["p"]) + " ("), where
        # the label names the summary the row prints
        assert ("mean ± SD" in row["label"]) == (shape == "paired_meansd"), where
    elif shape == "km":
        median = block["km_median"]
        assert f"KM median {'not reached' if median is None else fmt_num(median)}" in cells[3]
        assert cells[0] == f"{block['km_events']} events / {block['km_n']}", where
    elif shape == "doses":
        assert str(block["n"]) in cells, where
    elif shape == "between_change":
        for i in (0, 1):
            assert cells[i] == f"{fmt_median_iqr(block['change'][i])}, n = {block['n'][i]}"
        assert cells[2].startswith(fmt_p(block["p"])), where
        assert ("descriptive" in cells[2]) == block["descriptive"], where
    elif shape == "between_count":
        for i in (0, 1):
            k, n = block["n"][i], block["denominator"][i]
            assert cells[i].startswith(f"{k}/{n}"), where
        assert cells[2].startswith(fmt_p(block["p"])), where
        assert ("descriptive" in cells[2]) == block["descriptive"], where
    else:
        pytest.fail(f"row shape {shape!r} is not checked: {where}")


def check_tables(document: Mapping[str, Any]) -> int:
    checked = 0
    for table in document["tables"]:
        for row in table["rows"]:
            if row["section"]:
                assert row["shape"] == "section"
                continue
            assert row["source"], f"row {row['label']!r} of {table['key']} names no source"
            block = _resolve(document, table["root"], row["source"])
            _check_row(row, table["columns"], block)
            if row["shape"].startswith("paired_") and block["p"] is not None:
                # p values of a small subgroup are labelled descriptive, and only those
                small = table["root"].startswith("subgroups.groups.") and _resolve(
                    document, table["root"], "subgroup.small"
                )
                assert ("descriptive" in row["cells"][4]) == small, (table["key"], row["label"])
            checked += 1
    return checked


def _row_of(document: Mapping[str, Any], source: str, shapes: tuple[str, ...]) -> dict[str, Any]:
    """The row of the whole-series tables that prints `source`."""
    for table in document["tables"]:
        if table["root"]:
            continue
        for row in table["rows"]:
            if row["source"] == source and row["shape"] in shapes:
                return dict(row)
    raise AssertionError(f"no table row prints {source}")


def check_figures(document: Mapping[str, Any]) -> int:
    checked = 0
    kinds = {"median_iqr": "paired_describe", "mean_sd": "paired_meansd"}
    for figure in document["figures"]:
        if not figure["marks"] or figure["no_summary"]:
            # a figure that marks no summary says so, in its caption too
            assert figure["no_summary"], figure["key"]
            if figure["drawn"]:
                assert figure["no_summary"] in figure["caption"]
        for mark in figure["marks"]:
            block = _resolve(document, "", mark["source"])
            if mark["summary"] in kinds:
                row = _row_of(document, mark["source"], ("paired_describe", "paired_meansd"))
                # the same kind of summary as the table row
                assert row["shape"] == kinds[mark["summary"]], (figure["key"], mark["panel"])
                assert mark["n"] == block["n"] == int(row["cells"][0])
                for side, cell in (("baseline", 1), ("final", 2)):
                    marked = mark[side]
                    if marked is None:
                        assert block["n"] == 0
                        continue
                    centre = fmt_num(marked["centre"])
                    assert row["cells"][cell].startswith(centre + " "), (mark["panel"], side)
                    if mark["summary"] == "median_iqr":
                        spread = f"({between(fmt_num(marked['low']), fmt_num(marked['high']))})"
                        assert row["cells"][cell].endswith(spread), (mark["panel"], side)
                    elif marked["high"] is not None:
                        sd = fmt_num(marked["high"] - marked["centre"])
                        assert row["cells"][cell] == f"{centre} ± {sd}", (mark["panel"], side)
                assert (
                    mark["test_text"].endswith(fmt_p(block["p"]).lstrip("<")) or block["p"] is None
                )
            elif mark["summary"] == "km_median":
                row = _row_of(document, mark["source"], ("km",))
                median = mark["km_median"]
                assert median == block["km_median"]
                printed = "not reached" if median is None else fmt_num(median)
                assert f"KM median {printed}" in row["cells"][3]
                assert mark["n"] == block["km_n"]
            elif mark["summary"] == "lanes":
                assert mark["source"] == "n_patients"
            else:
                pytest.fail(f"figure mark {mark['summary']!r} is not checked")
            checked += 1
    lanes = sum(m["n"] for f in document["figures"] for m in f["marks"] if m["summary"] == "lanes")
    if any(m["summary"] == "lanes" for f in document["figures"] for m in f["marks"]):
        assert lanes == document["n_patients"]  # one lane per patient, over all parts
    return checked


def _document(cohort: Cohort, **options: Any) -> dict[str, Any]:
    data = render_report(cohort, fmt="json", generated_at=GENERATED, **options)
    document: dict[str, Any] = json.loads(data)
    return document


@pytest.fixture(scope="module")
def demo() -> Cohort:
    if not (DEMO_FOLDER / "patients.csv").exists():
        pytest.skip("no demo cohort")
    cohort, issues = read_folder(DEMO_FOLDER)
    assert cohort is not None, issues
    return cohort


def test_demo_report_rows_and_figures_agree(demo: Cohort) -> None:
    document = _document(demo)
    rows = check_tables(document)
    marks = check_figures(document)
    assert rows > 40 and marks >= 6


@pytest.mark.parametrize("by", ["drug", "weight_band", "antibody", "refractory"])
def test_demo_subgroup_report_rows_agree(demo: Cohort, by: str) -> None:
    document = _document(demo, by=by)
    assert document["subgroups"]["by"] == by
    keys = [t["key"] for t in document["tables"]]
    assert keys[:2] == ["table1", "table2"]
    assert len([k for k in keys if k.startswith("table2") and k != "table2"]) == len(
        document["subgroups"]["groups"]
    )
    assert ("between" in keys) == bool(document["subgroups"]["between"]["tests"])
    check_tables(document)
    check_figures(document)


def test_small_cohort_rows_and_figures_agree(cohort: Cohort) -> None:
    document = _document(cohort, quantiles="type6")
    check_tables(document)
    check_figures(document)


def test_the_infection_row_has_its_interval(demo: Cohort) -> None:
    document = _document(demo)
    table2 = next(t for t in document["tables"] if t["key"] == "table2")
    infection = next(r for r in table2["rows"] if r["source"] == "infections")
    thrombo = next(r for r in table2["rows"] if r["source"] == "thromboembolism")
    assert infection["cells"][0] == "0/26 (0.0%)"
    # Wilson upper bound for 0/26: z²/(n + z²) with z = 1.959964 -> 12.9%
    z2 = 1.959963984540054**2
    assert infection["cells"][3] == f"0.0 to {fmt_num(100 * z2 / (26 + z2))}%"
    assert infection["cells"][3] == thrombo["cells"][3]


def test_a_table_summary_that_the_figure_does_not_mark_is_caught(demo: Cohort) -> None:
    # the check itself fails when a panel marks medians while its row gives mean ± SD
    document = _document(demo)
    figure = next(f for f in document["figures"] if f["key"] == "paired")
    cmas = next(m for m in figure["marks"] if m["source"] == "cmas")
    cmas["summary"] = "median_iqr"
    with pytest.raises(AssertionError):
        check_figures(document)


def test_a_count_row_without_its_interval_is_caught(demo: Cohort) -> None:
    document = _document(demo)
    table2 = next(t for t in document["tables"] if t["key"] == "table2")
    infection = next(r for r in table2["rows"] if r["source"] == "infections")
    infection["cells"][3] = ""  # as the infection row was printed before this issue
    with pytest.raises(AssertionError):
        check_tables(document)
