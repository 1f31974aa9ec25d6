"""Each visit measure's words and range are written once, in `domain.vocab.VISIT_MEASURE_TABLE`.

Pages, figures, the report and the CLI read them from the table (`Measure.label`,
`short_label`, `titled`, `scale`, `out_of`); this test reads every string literal of
`src/myotrack` (docstrings aside) and every template, and fails on a copy: a measure's label,
its short label, its label with the range or unit ('CMAS (0–52)', 'Weight (kg)') or a bare
'/52'. The instrument definitions (`myotrack.instruments`) are the instruments' own published
texts; `tests/domain/test_visit_measure_table.py` checks the table against them.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import myotrack
from myotrack.domain.vocab import MEASURES, VISIT_MEASURE_TABLE, Measure

SRC = Path(myotrack.__file__).parent
THE_TABLE = SRC / "domain" / "vocab.py"
INSTRUMENTS = SRC / "instruments"


def _copies(m: Measure) -> set[str]:
    """The texts that restate measure `m` (case-sensitive)."""
    texts = {m.label, m.short_label, m.titled, f"{m.short_label} ({m.scale})"}
    texts.add(f"{m.short_label}{m.out_of}")
    if m.unit is None and m.max is not None:
        texts |= {f"/{m.max:g}", f"{m.short_label} ({m.min:g}-{m.max:g})"}
    else:
        texts |= {f"{m.short_label.capitalize()} {m.unit}", f"{m.short_label} {m.unit}"}
    # An everyday word such as 'weight' or 'height' names many things; it is not a copy.
    return {t for t in texts if not re.fullmatch(r"[a-z]+", t)}


COPIES: dict[str, str] = {text: m.name for m in VISIT_MEASURE_TABLE for text in _copies(m)}


def _python_literals(path: Path) -> Iterator[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
        ):
            yield node.lineno, node.value


def _restated_in_python() -> list[str]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path == THE_TABLE or INSTRUMENTS in path.parents:
            continue
        for line, text in _python_literals(path):
            name = COPIES.get(text.strip())
            if name is not None:
                found.append(f"{path.relative_to(SRC)}:{line}: {text!r} restates {name}")
    return found


def _template_pattern() -> re.Pattern[str]:
    # In page text, the long labels and the labelled-with-scale forms ('Weight (kg)',
    # 'Weight kg', 'CMAS (0–52)'); a bare short label in a sentence ('CMAS and the IFN score
    # over time') is prose about the figure, not a restated label.
    texts = [
        t
        for m in VISIT_MEASURE_TABLE
        for t in (m.label, m.titled, f"{m.short_label} ({m.scale})", f"{m.short_label}{m.out_of}")
        if t != m.short_label
    ]
    return re.compile("|".join(rf"(?<![\w-]){re.escape(t)}(?![\w-])" for t in texts), re.I)


def _restated_in_templates() -> list[str]:
    pattern = _template_pattern()
    found = []
    for path in sorted([*SRC.rglob("*.html"), *SRC.rglob("*.j2")]):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in pattern.finditer(line):
                found.append(f"{path.relative_to(SRC)}:{number}: {match.group(0)!r}")
    return found


def test_no_measure_label_or_range_is_restated_in_the_code() -> None:
    found = _restated_in_python()
    assert found == [], "read these from domain.vocab.MEASURES instead:\n" + "\n".join(found)


def test_no_measure_label_or_range_is_restated_in_a_template() -> None:
    found = _restated_in_templates()
    assert found == [], "use the `measures` template global instead:\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ('x = "CMAS (0–52)"', True),
        ('x = "CAT-BM activity"', True),
        ('x = "/80"', True),
        ('x = "weight"', False),  # an everyday word, and the name of many things
        ("x = f\"{MEASURES['cmas'].short_label}, mean ± SD\"", False),
    ],
)
def test_the_scan_finds_a_copy(text: str, found: bool, tmp_path: Path) -> None:
    """The scan itself: a restated label is found, a read from the table is not."""
    module = tmp_path / "module.py"
    module.write_text(text + "\n", encoding="utf-8")
    hits = [t for _, t in _python_literals(module) if t.strip() in COPIES]
    assert bool(hits) is found


def test_the_words_derive_from_the_row() -> None:
    assert MEASURES["cmas"].titled == "CMAS (0–52)"
    assert MEASURES["weight_kg"].titled == "Weight (kg)"
    assert MEASURES["mmt8"].out_of == "/80"
    assert MEASURES["height_cm"].out_of == " cm"
    assert MEASURES["phga"].scale == "0–10"
