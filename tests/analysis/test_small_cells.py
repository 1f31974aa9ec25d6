"""Small-cell suppression of the report's aggregate figures (analysis.small_cells).

Oracles: the threshold rule itself (no count of 1..k-1 is left anywhere a count is
stored); a brute-force enumeration of every value a hidden cell could take given the
shown total and the other cells (independent of the module's interval check); and hand
counts for one partition.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from myotrack.analysis import (
    SmallCells,
    build_timelines,
    case_series_of,
    count,
    is_suppressed,
    shown_count,
    subgroup_report,
    suppress_subgroups,
    suppress_summary,
)
from myotrack.cohort.synth import synthesize

COUNT_KEYS = ("n", "denominator", "km_n", "km_events")


def _counts(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """Every stored count of patients: (path, value)."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key in ("methods", "small_subgroup_n"):
                continue
            where = f"{path}.{key}"
            if key in ("by_detail", "excluded_reasons") and isinstance(value, Mapping):
                yield from ((f"{where}.{k}", v) for k, v in value.items())
            elif (key in COUNT_KEYS or key.startswith("n_")) and key != "n_patients":
                if isinstance(value, list):
                    yield from ((f"{where}[{i}]", v) for i, v in enumerate(value))
                elif not isinstance(value, Mapping):
                    yield where, value
            if isinstance(value, Mapping | list):
                yield from _counts(value, where)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _counts(value, f"{path}[{i}]")


def _summary(n: int, seed: int) -> dict[str, Any]:
    return case_series_of(build_timelines(synthesize(n, seed=seed, labs_per_patient=10), None))


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    n=st.integers(min_value=1, max_value=40),
    seed=st.integers(0, 10_000),
    k=st.sampled_from([3, 5, 11]),
)
def test_no_count_below_the_threshold_and_no_figure_of_few_patients(
    n: int, seed: int, k: int
) -> None:
    raw = _summary(n, seed)
    shown = suppress_summary(raw, k)
    small = [(p, v) for p, v in _counts(shown) if isinstance(v, int) and 0 < v < k]
    assert small == []
    assert any(v == -k for _, v in _counts(shown)) == any(
        isinstance(v, int) and 0 < v < k for _, v in _counts(raw)
    )
    for path, block in _blocks(shown):
        if block.get("suppressed"):
            for key in ("pct", "median", "mean", "sd", "min", "max", "p", "q1", "q3"):
                assert block.get(key) is None, (path, key)
    assert shown["n_patients"] == raw["n_patients"]  # N is always shown


def _blocks(node: Any, path: str = "") -> Iterator[tuple[str, Mapping[str, Any]]]:
    if isinstance(node, Mapping):
        if "n" in node:
            yield path, node
        for key, value in node.items():
            yield from _blocks(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _blocks(value, f"{path}[{i}]")


def _possible(cells: list[Any], total: int, k: int, reported: list[int]) -> list[set[int]]:
    """Brute force: for each cell, every value it can take given what is shown (the total,
    the shown cells, '<k' = 1..k-1, 'hidden' = 0..total) — the oracle of rule 3."""
    options: list[range | list[int]] = []
    for value in cells:
        if value is None:
            options.append(range(0, total + 1))
        elif value < 0:
            options.append(range(1, k))
        else:
            options.append([value])
    seen: list[set[int]] = [set() for _ in cells]
    for combo in itertools.product(*options):
        if sum(combo) == total:
            for i, v in enumerate(combo):
                seen[i].add(v)
    assert all(reported[i] in seen[i] for i in range(len(cells)))  # the truth is possible
    return seen


@settings(max_examples=150, deadline=None)
@given(
    cells=st.lists(st.integers(min_value=0, max_value=14), min_size=2, max_size=5),
    k=st.sampled_from([3, 5]),
)
def test_no_hidden_cell_can_be_worked_out_from_the_total(cells: list[int], k: int) -> None:
    total = sum(cells)
    names = [f"g{i}" for i in range(len(cells))]
    summary = {
        "n_patients": total,
        "n_excluded": 0,
        "refractory": {name: count(c, total) for name, c in zip(names, cells, strict=True)},
    }
    shown = suppress_summary(summary, k)["refractory"]
    values = [shown[name]["n"] for name in names]
    possible = _possible(values, total, k, cells)
    for name, value, options in zip(names, values, possible, strict=True):
        if is_suppressed(value):
            assert len(options) >= 2, (name, cells, values)
        else:
            assert value == cells[names.index(name)]


def test_one_small_group_hides_the_smallest_other_by_hand() -> None:
    # 2 + 17 + 0 + 7 = 26: the 2 is '<5'; alone it would be 26 - 17 - 0 - 7, so the
    # smallest other non-zero cell (7) is hidden too; 17 and 0 stay.
    counts = {"ineffective": 2, "gc_dependent": 17, "no": 0, "not_recorded": 7}
    summary = {"n_patients": 26, "refractory": {g: count(c, 26) for g, c in counts.items()}}
    shown = suppress_summary(summary, 5)["refractory"]
    assert [shown_count(shown[g]["n"]) for g in counts] == ["<5", "17", "0", "hidden"]
    assert shown["not_recorded"]["pct"] is None and shown["not_recorded"]["ci95"] is None
    assert shown["gc_dependent"]["pct"] == pytest.approx(100 * 17 / 26)


def test_weakness_is_hidden_when_it_would_give_away_the_missing_cmas() -> None:
    # 11 with weakness = 9 with both CMAS values + 2 missing one: '<5' missing alone would
    # be 11 - 9, so the 11 is hidden (by hand)
    summary = {
        "n_patients": 26,
        "weakness_baseline": count(11, 26),
        "cmas": {"n": 9, "n_missing": 2, "changes": {}},
    }
    shown = suppress_summary(summary, 5)
    assert shown["cmas"]["n_missing"] == -5 and shown["cmas"]["n"] == 9
    assert shown["weakness_baseline"]["n"] is None and shown["weakness_baseline"]["pct"] is None
    summary["cmas"] = {"n": 6, "n_missing": 5, "changes": {}}
    assert suppress_summary(summary, 5)["weakness_baseline"]["n"] == 11


def test_the_input_is_not_changed() -> None:
    raw = _summary(12, 3)
    before = repr(raw)
    suppress_summary(raw, 5)
    assert repr(raw) == before


def test_subgroups_whose_size_is_hidden_are_left_out() -> None:
    timelines = build_timelines(synthesize(30, seed=7, labs_per_patient=10), None)
    report = subgroup_report(timelines, "weight_band")
    sizes = {g: s["n_patients"] for g, s in report["groups"].items()}
    shown = suppress_subgroups(report, len(timelines.included), 5)
    assert set(shown["groups"]) <= set(sizes)
    assert all(sizes[g] >= 5 for g in shown["groups"])
    assert shown["groups_not_shown"] == len(sizes) - len(shown["groups"])
    hidden = [g for g in sizes if g not in shown["groups"]]
    assert not any(0 < sizes[g] < 5 for g in shown["groups"])
    if len(hidden) == 1:  # one left out must not be a total minus the others
        assert sizes[hidden[0]] >= 5 or len(sizes) - len(shown["groups"]) >= 2


def test_the_threshold_is_at_least_two() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        SmallCells(1)
    assert SmallCells().min_cell_count == 5  # OHDSI's default
    assert SmallCells(11).to_dict()["min_cell_count"] == 11
