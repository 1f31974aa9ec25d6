"""Small-cell suppression of the case-series report's aggregate figures (issue 12): what a
researcher opens or exports never shows a count of 1 to k−1 patients, nor a figure from
which one can be worked out.

The threshold `min_cell_count` (k) follows OHDSI's `minCellCount` convention, default 5:
"if the minimum subject count is 5, and the actual count is 2, the value stored in the
data model will be -5, which could be represented as '<5' to the user. Note that the
value 0 is permissible, as it identifies no persons" (Schuemie MJ, CohortMethod results
schema, OHDSI, ohdsi.github.io/CohortMethod/articles/ResultsSchema.html). 5 is also the
default of PEDSnet and DARWIN EU; CMS asks 11 and PCORnet 11 (shared/spec/interop.md §7).
A centre with a stricter rule sets it (`--min-cell-count`, the web's setting).

The rules, applied to the JSON-ready summary (`analysis.case_series`) and subgroups
(`analysis.subgroups`), so that every format printed from them agrees:

1. **Primary**: every count of patients from 1 to k−1 is stored as −k (printed "<k");
   0 and counts of k or more are shown, and so is the number of patients the report
   (or a shown subgroup) is about, N: a report of fewer than k patients shows N and
   withholds everything else (rule 2), every count under N included, zeros too.
2. **Figures of few patients**: a figure computed from fewer than k patients (a block
   whose `n` or `denominator` is 1 to k−1: a percentage and its interval, a median,
   range, mean, SD, p value, Kaplan–Meier median of fewer than k events) is withheld
   (null): with so few patients it tells individual values.
3. **Complementary**: where counts add up to a total that is shown (the refractory
   groups, first JAK inhibitors, weight bands and their starting doses, the reasons for
   leaving a patient out, the CMAS changes, the subgroups), more cells are hidden (stored
   as null, printed "hidden"), smallest first, until no hidden cell can be worked out
   from the total and the bounds of the others: each hidden cell must have at least two
   possible values. A hidden total hides every cell under it; a hidden count hides the
   same count where the report repeats it (e.g. CMAS improved). Where a count shown
   elsewhere is the sum of two others (weakness at baseline = patients with both CMAS
   values + those missing one), it is hidden when one of the two is.
4. **Subgroups** whose size is hidden are left out whole (their Table 2 would show it),
   and the between-group tests when one of the two groups is left out.
5. The data warnings (which name and count patients) are left out.

Pure: dicts in, new dicts out (the input is not changed).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Final

# OHDSI's minCellCount default (see the module docstring for the source).
DEFAULT_MIN_CELL_COUNT: Final = 5
HIDDEN: Final = "hidden"  # how a complementary-suppressed count is printed

# Keys holding a count of patients whose smallness withholds the figures beside them.
_BLOCK_COUNTS: Final = ("n", "denominator", "km_n")
# Maps whose every value is a count of patients.
_COUNT_MAPS: Final = frozenset({"by_detail", "excluded_reasons"})
# Never touched: settings and texts, not counts.
_SKIP: Final = frozenset(
    {"methods", "warnings", "software", "small_subgroup_n", "subgroup", "reproducibility"}
)


@dataclass(frozen=True, slots=True)
class SmallCells:
    """The suppression applied to a report (None: not applied)."""

    min_cell_count: int = DEFAULT_MIN_CELL_COUNT

    def __post_init__(self) -> None:
        if self.min_cell_count < 2:
            raise ValueError("the small-cell threshold must be at least 2")

    def to_dict(self) -> dict[str, Any]:
        k = self.min_cell_count
        return {
            "applied": True,
            "min_cell_count": k,
            "rule": f"counts of 1 to {k - 1} patients shown as <{k}; figures of fewer than "
            f"{k} patients withheld; more counts hidden where a total would give one away",
            "source": "OHDSI minCellCount convention (CohortMethod results schema, Schuemie)",
        }


def shown_count(value: object) -> str:
    """A count as printed: '<k' when suppressed, 'hidden' when complementary."""
    if value is None:
        return HIDDEN
    if isinstance(value, int) and not isinstance(value, bool) and value < 0:
        return f"<{-value}"
    return str(value)


def is_suppressed(value: object) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool) and value < 0)


def _small(value: object, k: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < k


def _count_key(key: str) -> bool:
    return key in _BLOCK_COUNTS or key == "km_events" or key.startswith("n_")


def _withhold(node: Any, k: int) -> Any:
    """Every figure of a block of fewer than k patients: counts as cells, the rest null."""
    if isinstance(node, Mapping):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if _count_key(key) and isinstance(value, int) and not isinstance(value, bool):
                out[key] = -k if _small(value, k) else value
            elif _count_key(key) and isinstance(value, list):
                out[key] = [-k if _small(v, k) else v for v in value]
            elif isinstance(value, str | bool) or value is None:
                out[key] = value
            else:
                out[key] = _withhold(value, k)
        if "n" in node:  # a block (not a map of blocks, such as cmas.changes)
            out["suppressed"] = True
        return out
    if isinstance(node, list):
        return [None if isinstance(v, int | float) else _withhold(v, k) for v in node]
    return None if isinstance(node, int | float) and not isinstance(node, bool) else node


def _few(node: Mapping[str, Any], k: int) -> bool:
    for key in _BLOCK_COUNTS:
        value = node.get(key)
        if _small(value, k) or (isinstance(value, list) and any(_small(v, k) for v in value)):
            return True
    return False


def _primary(node: Any, k: int) -> Any:
    if isinstance(node, Mapping):
        if _few(node, k):
            return _withhold(node, k)
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in _SKIP:
                out[key] = copy.deepcopy(value)
            elif key in _COUNT_MAPS and isinstance(value, Mapping):
                out[key] = {name: -k if _small(c, k) else c for name, c in value.items()}
            elif key == "n_patients":  # the report's N: always shown (module docstring)
                out[key] = value
            elif _count_key(key) and isinstance(value, int) and not isinstance(value, bool):
                out[key] = -k if _small(value, k) else value
            else:
                out[key] = _primary(value, k)
        if out.get("km_events") is not None and is_suppressed(out.get("km_events")):
            for key in ("km_median", "km_median_ci95"):
                if key in out:
                    out[key] = None
        return out
    if isinstance(node, list):
        return [_primary(v, k) for v in node]
    return node


# ---------------------------------------------------------------- complementary

# A cell is (dict holding it, key). Its true value is kept aside while deciding.
Cell = tuple[dict[str, Any], str]


def _value(cell: Cell) -> Any:
    holder, key = cell
    return holder[key]


def _hide(cell: Cell, aliases: Callable[[Cell], Iterator[Cell]]) -> None:
    holder, key = cell
    holder[key] = None
    if key == "n":  # a count block: its percentage and interval would give it away
        for other in ("pct", "ci95", "mean", "sd", "median", "q1", "q3", "min", "max", "p"):
            if other in holder:
                holder[other] = None
        holder["suppressed"] = True
    for alias in aliases(cell):
        if alias[0].get(alias[1]) is not None:
            _hide(alias, aliases)


def _pinned(cells: list[Cell], true: dict[int, int], total: int, k: int) -> bool:
    """Whether a hidden cell's value follows from the total and the others' bounds."""
    shown = sum(v for v in (_value(c) for c in cells) if not is_suppressed(v))
    hidden = [i for i, c in enumerate(cells) if is_suppressed(_value(c))]
    if not hidden:
        return False
    rest = total - shown

    def bounds(i: int) -> tuple[int, int]:
        value = _value(cells[i])
        return (1, k - 1) if isinstance(value, int) else (k if true[i] >= k else 1, total)

    for i in hidden:
        lo = max(bounds(i)[0], rest - sum(bounds(j)[1] for j in hidden if j != i))
        hi = min(bounds(i)[1], rest - sum(bounds(j)[0] for j in hidden if j != i))
        if lo >= hi:
            return True
    return False


def _complement(
    cells: list[Cell],
    total: Any,
    true: dict[int, int],
    k: int,
    aliases: Callable[[Cell], Iterator[Cell]],
) -> None:
    """Hide cells of one partition until no hidden cell can be worked out (rule 3)."""
    if not cells:
        return
    if is_suppressed(total):
        for cell in cells:
            if not is_suppressed(_value(cell)) and _value(cell) != 0:
                _hide(cell, aliases)
        return
    if _small(total, k):  # N of fewer than k patients is shown: even a 0 would tell
        for cell in cells:
            if _value(cell) is not None:
                _hide(cell, aliases)
        return
    while _pinned(cells, true, int(total), k):
        candidates = [
            i for i, c in enumerate(cells) if not is_suppressed(_value(c)) and true[i] > 0
        ]
        if not candidates:  # only '<k' cells left to hide: say less of one ('hidden')
            candidates = [i for i, c in enumerate(cells) if _value(c) is not None]
            if not candidates:
                break
        smallest = min(candidates, key=lambda i: true[i])
        _hide(cells[smallest], aliases)


def _partition(holder: Mapping[str, Any], total: Any, k: int, aliases: Any) -> None:
    """The count blocks (or plain counts) of `holder` add up to `total`."""
    cells: list[Cell] = []
    true: dict[int, int] = {}
    for name, value in holder.items():
        if isinstance(value, dict) and "n" in value:
            cells.append((value, "n"))
        elif isinstance(value, int) and not isinstance(value, bool):
            cells.append((holder, name))  # type: ignore[arg-type]
        else:
            continue
        current = _value(cells[-1])
        true[len(cells) - 1] = 1 if is_suppressed(current) else int(current)
    _complement(cells, total, true, k, aliases)


def _cmas_aliases(cmas: dict[str, Any]) -> Callable[[Cell], Iterator[Cell]]:
    changes = cmas.get("changes", {})

    def aliases(cell: Cell) -> Iterator[Cell]:
        for change in ("improved", "unchanged", "worse"):
            if cell[0] is changes.get(change):
                yield cmas, f"n_{change}"
                if change == "improved" and isinstance(cmas.get("improved"), dict):
                    yield cmas["improved"], "n"

    return aliases


def _no_aliases(_cell: Cell) -> Iterator[Cell]:
    return iter(())


def suppress_summary(summary: Mapping[str, Any], k: int = DEFAULT_MIN_CELL_COUNT) -> dict[str, Any]:
    """The case-series summary with small cells suppressed (the module's rules 1–3)."""
    out: dict[str, Any] = _primary(summary, k)
    # data warnings name patients and count them: for the data managers, not shown here
    out["warnings"] = []
    total = out.get("n_patients")
    for key in ("refractory", "jaki_agent"):
        if isinstance(out.get(key), dict):
            _partition(out[key], total, k, _no_aliases)
    bands = out.get("weight_band")
    if isinstance(bands, dict):

        def band_doses(cell: Cell) -> Iterator[Cell]:
            for row in cell[0].get("starting_doses", []):
                yield row, "n"

        cells: list[Cell] = [(b, "n") for b in bands.values() if isinstance(b, dict)]
        true = {i: 1 if is_suppressed(c[0]["n"]) else int(c[0]["n"]) for i, c in enumerate(cells)}
        _complement(cells, total, true, k, band_doses)
        for band in bands.values():
            rows = band.get("starting_doses", [])
            row_cells: list[Cell] = [(r, "n") for r in rows]
            row_true = {i: 1 if is_suppressed(r["n"]) else int(r["n"]) for i, r in enumerate(rows)}
            _complement(row_cells, band.get("n"), row_true, k, _no_aliases)
    if isinstance(out.get("excluded_reasons"), dict):
        _partition(out["excluded_reasons"], out.get("n_excluded"), k, _no_aliases)
    cmas = out.get("cmas")
    if isinstance(cmas, dict) and isinstance(cmas.get("changes"), dict):
        for change in ("improved", "unchanged", "worse"):
            block = cmas["changes"].get(change)
            if isinstance(block, dict) and is_suppressed(block.get("n")):
                for alias in _cmas_aliases(cmas)((block, "n")):
                    if not is_suppressed(alias[0].get(alias[1])):
                        alias[0][alias[1]] = block["n"]
        _partition(cmas["changes"], cmas.get("n"), k, _cmas_aliases(cmas))
    weak = out.get("weakness_baseline")
    if isinstance(cmas, dict) and isinstance(weak, dict):
        # patients with weakness = those with both CMAS values + those missing one
        _link((weak, "n"), [(cmas, "n"), (cmas, "n_missing")])
    return out


def _link(total: Cell, parts: list[Cell]) -> None:
    """`total` is the sum of `parts` but no partition of its own (it is printed elsewhere):
    when exactly one part is hidden and the rest and the total are shown, the total is
    hidden instead of showing the part's value by a subtraction."""
    if total[0].get(total[1]) is None or is_suppressed(total[0][total[1]]):
        return
    hidden = [p for p in parts if p[1] in p[0] and is_suppressed(p[0][p[1]])]
    if len(hidden) == 1 and all(p[1] in p[0] for p in parts):
        _hide(total, _no_aliases)


def suppress_subgroups(subgroups: Mapping[str, Any], total: int, k: int) -> dict[str, Any]:
    """The subgroup report with small cells suppressed in every group, groups whose size
    is hidden left out (and the between-group tests that compare one), rule 4."""
    sizes = {g: int(s["n_patients"]) for g, s in subgroups["groups"].items()}
    holder: dict[str, Any] = {g: (-k if _small(n, k) else n) for g, n in sizes.items()}
    true = dict(enumerate(sizes.values()))
    cells: list[Cell] = [(holder, g) for g in sizes]
    _complement(cells, total, true, k, _no_aliases)
    shown = [g for g in sizes if not is_suppressed(holder[g])]
    out = {key: copy.deepcopy(value) for key, value in subgroups.items() if key != "groups"}
    out["groups"] = {g: suppress_summary(subgroups["groups"][g], k) for g in shown}
    out["groups_not_shown"] = len(sizes) - len(shown)
    between = out.get("between", {})
    if between.get("tests") and not all(g in shown for g in between.get("groups", [])):
        out["between"] = {
            "groups": between.get("groups", []),
            "tests": {},
            "not_tested": "a compared group is not shown (small-cell suppression)",
        }
    elif between.get("tests"):
        out["between"] = {**between, "tests": _primary(between["tests"], k)}
    return out


__all__ = [
    "DEFAULT_MIN_CELL_COUNT",
    "HIDDEN",
    "SmallCells",
    "is_suppressed",
    "shown_count",
    "suppress_subgroups",
    "suppress_summary",
]
