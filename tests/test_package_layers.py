"""The house draws: no package of myotrack imports upward and no two packages import each
other, directly or round a longer loop.

The table is read from docs/architecture.md (the "may import" column); the test reads every
`import` of every module under src/myotrack (top-level ones, ones inside functions and ones
under `if TYPE_CHECKING:`) with `ast`, so a lazy import inside a function cannot hide an
upward edge. The one documented exception is a module, not a package: the point-of-care
view `therapy.decision_support` also reads `criteria` (inactive disease, response).
"""

from __future__ import annotations

import ast
import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import myotrack

SRC = Path(myotrack.__file__).parent

DOCS = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"


def _docs_table() -> tuple[dict[str, frozenset[str]], dict[str, frozenset[str]]]:
    """The "may import" column of the package table in docs/architecture.md, the only copy
    of the rule: package -> the packages in backticks before any `;`, and after it one
    module's exception (the dotted module in backticks, then the packages it may also
    import)."""
    rows: dict[str, frozenset[str]] = {}
    exceptions: dict[str, frozenset[str]] = {}
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or not re.fullmatch(r"`[a-z_]+`", cells[0]):
            continue
        allowed, _, exception = cells[2].partition(";")
        rows[cells[0].strip("`")] = frozenset(re.findall(r"`([a-z_]+)`", allowed))
        if exception:
            (module,) = re.findall(r"`([a-z_]+\.[a-z_.]+)`", exception)
            exceptions[f"myotrack.{module}"] = frozenset(re.findall(r"`([a-z_]+)`", exception))
    return rows, exceptions


# package -> the packages of ours it may import; module -> the packages it may import beyond
# its package's row (documented exceptions).
MAY_IMPORT, EXCEPTIONS = _docs_table()


def _modules() -> Iterator[tuple[str, str, Path]]:
    """(package, dotted module name, file) of every module inside a package of myotrack."""
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        if len(rel.parts) < 2:
            continue  # myotrack/__init__.py, myotrack/__main__.py
        parts = rel.with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield rel.parts[0], "myotrack." + ".".join(parts), path


def _imported_packages(module: str, path: Path) -> Iterator[tuple[str, int]]:
    """(package of ours, line) for every import in the file, relative ones resolved."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if not isinstance(node, ast.Import | ast.ImportFrom):
            continue
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            if node.level:
                base = module.split(".")
                is_package = path.name == "__init__.py"
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                names = [".".join([*base, *([node.module] if node.module else [])])]
            elif node.module:
                names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "myotrack" and len(parts) > 1:
                yield parts[1], node.lineno


def _edges() -> list[tuple[str, str, str, int]]:
    """(package, imported package, module, line) for every import across packages."""
    return [
        (package, imported, module, line)
        for package, module, path in _modules()
        for imported, line in _imported_packages(module, path)
        if imported != package and (SRC / imported).is_dir()
    ]


def test_the_docs_table_reads_as_written() -> None:
    """A few rows as docs/architecture.md writes them, so a table that no longer parses (a
    row in words without backticks) fails here rather than allowing nothing or everything."""
    assert MAY_IMPORT["domain"] == frozenset()
    assert MAY_IMPORT["criteria"] == {"domain", "instruments"}
    assert MAY_IMPORT["media"] == {"domain", "cohort", "registry"}
    assert MAY_IMPORT["cli"] == MAY_IMPORT["web"] | {"web"}
    exception = {"myotrack.therapy.decision_support": frozenset({"criteria"})}
    assert exception == EXCEPTIONS


def test_every_package_has_a_row() -> None:
    packages = {p.name for p in SRC.iterdir() if (p / "__init__.py").is_file()}
    assert packages - {"data"} == set(MAY_IMPORT), (
        "a package is missing from MAY_IMPORT (and from docs/architecture.md) or a row names "
        "a package that no longer exists"
    )


def test_no_package_imports_upward() -> None:
    upward = [
        f"{module}:{line} imports myotrack.{imported}"
        for package, imported, module, line in _edges()
        if imported not in MAY_IMPORT[package] | EXCEPTIONS.get(module, frozenset())
    ]
    assert upward == [], "imports against the table of docs/architecture.md:\n" + "\n".join(upward)


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a path (first node repeated at the end), or None."""
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)) is not None:
                return found
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)) is not None:
            return found
    return None


def test_no_import_cycle_between_packages() -> None:
    graph: dict[str, set[str]] = {}
    where: dict[tuple[str, str], str] = {}
    for package, imported, module, line in _edges():
        graph.setdefault(package, set()).add(imported)
        where.setdefault((package, imported), f"{module}:{line}")
    cycle = _cycle(graph)
    assert cycle is None, (
        "packages import each other: "
        + " -> ".join(cycle)
        + "\n"
        + "\n".join(where[(a, b)] for a, b in itertools.pairwise(cycle))
    )


def test_the_table_is_acyclic_and_ordered() -> None:
    """The allowed table itself draws a house: no loop among the rows."""
    graph = {package: set(allowed) for package, allowed in MAY_IMPORT.items()}
    assert _cycle(graph) is None


@pytest.mark.parametrize(
    ("graph", "has_cycle"),
    [
        ({"a": {"b"}, "b": {"c"}}, False),
        ({"a": {"b"}, "b": {"a"}}, True),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, True),
    ],
)
def test_cycle_finder(graph: dict[str, set[str]], has_cycle: bool) -> None:
    assert (_cycle(graph) is not None) is has_cycle
