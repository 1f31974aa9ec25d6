"""Checks that run over every calculator, every rule table and every field (issue 16: "shared
checks that run over every calculator, rule table and field"), as scikit-learn's common
checks run over every estimator. A new calculator, rule row or field is checked here
without anyone writing a test for it; a check that cannot reach one fails.

- Every calculator of `myotrack calc --list` has a title, a version, a source, a JSON
  schema of its input, and scores its example below (the example table must name every
  calculator), returning the contract of `domain.Calculator`: its own name and version, a
  source and a list of assumptions, as JSON without NaN.
- Every rule row of the clinical rule tables (dose bands, lab rules, screening, monitoring,
  glucocorticoid factors, ...) carries a source and an evidence status.
- Every field of the field table (`cohort.columns`) has a label for the clinic.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import pkgutil
from typing import Any

import pytest

from myotrack.cli.calc import all_calculators
from myotrack.cohort import RECORD_KINDS, columns
from myotrack.domain import labels

CALCULATORS = all_calculators()

# One example input per calculator (hand-written, small, valid).
EXAMPLES: dict[str, dict[str, Any]] = {
    "cmas": {"items": {"head_elevation": 2, "leg_raise": 1}},
    "cmas9": {},
    "mmt8": {},
    "mmt8_bilateral": {},
    "catbm": {},
    "cdasi": {},
    "das": {},
    "myoact": {},
    "chaq": {},
    "globals": {},
    "cmas_timed_item": {"item": "head_elevation", "seconds": 35},
    "cmas_situps": {
        "variants": {
            "thighs_cb": 1,
            "chest_cb": 1,
            "head_cb": 1,
            "thighs_nocb": 1,
            "chest_nocb": 0,
            "head_nocb": 0,
        }
    },
    "cmas_change": {"baseline": 30, "followup": 33},
    "cdasi_change": {"baseline": 20, "followup": 15},
    "interferon_score": {
        "ddct": {
            "IFI27": 5.0,
            "IFI44L": 4.0,
            "IFIT1": 3.0,
            "ISG15": 2.0,
            "RSAD2": 4.5,
            "SIGLEC1": 3.5,
        }
    },
    "bohan_peter": {
        "symmetric_proximal_weakness": True,
        "elevated_muscle_enzymes": True,
        "myopathic_emg": False,
        "biopsy_consistent": False,
        "typical_dm_rash": True,
        "exclusion_present": False,
    },
    "eular_acr_2017": {
        "age_at_onset_years": 7.5,
        "muscle_biopsy_available": False,
        "items_present": ["heliotrope", "gottron_papules", "weak_prox_lower"],
    },
    "acr_eular_2016_response": {
        "percent_improvement": {
            "phga": 50,
            "parent_global": 40,
            "mmt_or_cmas": 20,
            "chaq": 30,
            "enzyme_or_chq_phs": 10,
            "extramuscular_or_das": 45,
        }
    },
    "printo_2010_response": {
        "phga": 50,
        "parent_wellbeing": 30,
        "cmas": 20,
        "chaq": 40,
        "das": 50,
        "chq_phs": 20,
    },
    "imacs_2004_improvement": {
        "phga": 40,
        "patient_global": 30,
        "mmt": 10,
        "chaq": 25,
        "enzymes": 0,
        "extramuscular": 30,
    },
    "printo_cid": {},
    "jdmai_state": {"score": 3.0},
    "jak_dose": {"drug": "baricitinib", "weight_kg": 30, "age_years": 9},
    "jak_lab_gating": {"drug": "tofacitinib", "phase": "start", "neutrophils": 1.5},
    "steroid_conversion": {"drug": "methylprednisolone", "dose_mg": 4},
    "convert": {"analyte": "CK", "value": 1.0, "from_unit": "µkat/L"},
}


def test_every_calculator_has_an_example() -> None:
    assert sorted(EXAMPLES) == sorted(CALCULATORS)


@pytest.mark.parametrize("name", sorted(CALCULATORS))
def test_calculator_describes_itself(name: str) -> None:
    calc = CALCULATORS[name]
    assert calc.name == name
    assert calc.title.strip() and calc.version.strip() and calc.source.strip()
    assert calc.kind in {"instrument", "criterion", "therapy", "unit"}
    schema = calc.input_schema()
    assert schema["type"] == "object" and "properties" in schema
    json.dumps(schema, allow_nan=False)


@pytest.mark.parametrize("name", sorted(CALCULATORS))
def test_calculator_scores_its_example(name: str) -> None:
    calc = CALCULATORS[name]
    result = calc.compute(calc.input_model.model_validate(EXAMPLES[name]))
    assert result["name"] == name
    assert result["version"] == calc.version
    assert isinstance(result["source"], str) and result["source"].strip()
    assert isinstance(result["assumptions"], list)
    assert all(isinstance(a, str) and a for a in result["assumptions"])
    json.dumps(result, allow_nan=False, default=str)


# --- rule tables ---------------------------------------------------------------------

# The evidence words a rule row's status starts with (style-examples, pattern 1, plus the
# two the therapy tables use: CONFIRMED by an erratum, LOCAL POLICY of the clinic).
EVIDENCE = ("VERIFIED", "SECONDARY", "UNVERIFIED", "DERIVED", "CONFIRMED", "LOCAL POLICY")
PURE_CORE = ("domain", "instruments", "criteria", "therapy")
# Row types that carry a source but no evidence status yet, with the reason.
NO_STATUS_YET = {
    "ScreenTest": "therapy/screening.py: screening rules become keyword rows (issue 16 A)",
    "Measure": "domain visit measures: one table of measures with ranges (issue 16 A)",
}


def _rule_tables() -> list[tuple[str, Any]]:
    """(place, row) of every row of every rule table of the pure core: a module-level
    tuple, list or dict of dataclass rows carrying a `source`, in the module defining the
    row type (a table imported elsewhere is counted once)."""
    rows: list[tuple[str, Any]] = []
    seen: set[int] = set()
    for package in PURE_CORE:
        top = importlib.import_module(f"myotrack.{package}")
        for info in pkgutil.walk_packages(top.__path__, f"myotrack.{package}."):
            module = importlib.import_module(info.name)
            for table_name, table in sorted(vars(module).items()):
                values = tuple(table.values()) if isinstance(table, dict) else table
                if not isinstance(values, tuple | list) or not values or id(table) in seen:
                    continue
                if not all(
                    dataclasses.is_dataclass(r) and not isinstance(r, type) and hasattr(r, "source")
                    for r in values
                ):
                    continue
                if type(values[0]).__module__ != module.__name__:
                    continue  # imported, or built from another module's rows
                seen.add(id(table))
                place = f"{module.__name__}.{table_name}"
                rows += [(f"{place}[{i}]", r) for i, r in enumerate(values)]
    return rows


RULE_ROWS = _rule_tables()


def test_the_rule_tables_are_found() -> None:
    tables = {place.rsplit("[", 1)[0] for place, _ in RULE_ROWS}
    for expected in (
        "myotrack.therapy.dosing.RULES",
        "myotrack.therapy.lab_gating.RULES",
        "myotrack.therapy.monitoring.SCHEDULE",
        "myotrack.domain.plausibility.LAB_LIMITS",
    ):
        assert expected in tables, sorted(tables)


def _status(row: Any) -> Any:
    return getattr(row, "status", getattr(row, "evidence", None))


@pytest.mark.parametrize(("where", "row"), RULE_ROWS, ids=[place for place, _ in RULE_ROWS])
def test_rule_row_has_a_source_and_a_status(where: str, row: Any) -> None:
    assert isinstance(row.source, str) and row.source.strip(), f"{where}: no source"
    status = _status(row)
    if status is None:
        assert type(row).__name__ in NO_STATUS_YET, f"{where}: no evidence status"
        return
    words = str(getattr(status, "value", status))
    assert words.startswith(EVIDENCE), f"{where}: status {words!r} is not an evidence word"


def test_rows_without_status_are_still_without_one() -> None:
    """The exceptions only shrink: a row type listed above that gained a status is removed."""
    without = {type(r).__name__ for _, r in RULE_ROWS if _status(r) is None}
    with_status = {type(r).__name__ for _, r in RULE_ROWS if _status(r) is not None}
    assert set(NO_STATUS_YET) == without
    assert not with_status & set(NO_STATUS_YET)


# --- the field table -----------------------------------------------------------------

FIELD_LABELS = labels.LABELS["field"]


@pytest.mark.parametrize(
    ("file", "field"),
    [(file, name) for file, cols in columns.COLUMNS.items() for name in cols],
)
def test_every_field_has_a_label(file: str, field: str) -> None:
    assert FIELD_LABELS.get(field, "").strip(), f"{file}: {field} has no label"


def _v2_fields() -> list[Any]:
    return [
        pytest.param(kind.name, column, id=f"{kind.name}:{column.name}")
        for kind in RECORD_KINDS
        for column in kind.columns
    ]


@pytest.mark.parametrize(("kind", "column"), _v2_fields())
def test_every_version_2_field_has_words(kind: str, column: Any) -> None:
    words = FIELD_LABELS.get(column.name, "") or column.help
    assert words.strip(), f"{kind}: {column.name} has neither a label nor a help text"
