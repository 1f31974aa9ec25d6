"""OMOP CDM 5.4: a cohort as one CSV per CDM table (write-only), the DDL and the checks of
an export, all generated from OHDSI's field-level specification (docs/exchange.md, OMOP).

    from myotrack.exchange.omop import export_texts, check_files, create_tables
    texts = export_texts(cohort)          # {"PERSON.csv": "...", "MEASUREMENT.csv": ...}
    problems = check_files(texts)          # [] when every check passes
    statements = create_tables("sqlite")   # CREATE TABLE of every CDM 5.4 table

Modules, one concept each: `cdm` (the specification, shipped in myotrack/data/omop),
`concepts` (the shipped concept subset: VERIFIED standard concepts and myotrack's LOCAL
ones), `export` (Cohort -> tables), `ddl` (SQLite/PostgreSQL DDL), `checks` (the field
checks of `myotrack omop check`), `layout` (file names). Pure: no files, network or clock.
The conversion modules load on first use (CLI start-up stays light).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from myotrack.exchange.omop.layout import LAYOUTS, looks_like_omop

if TYPE_CHECKING:
    from myotrack.exchange.omop.checks import check_files
    from myotrack.exchange.omop.concepts import concept_id, concept_subset
    from myotrack.exchange.omop.ddl import DIALECTS, create_tables, ddl_script, foreign_keys
    from myotrack.exchange.omop.export import LOSSY, TABLES, export_files, export_texts

_LAZY = {
    "DIALECTS": "ddl",
    "check_files": "checks",
    "concept_id": "concepts",
    "concept_subset": "concepts",
    "create_tables": "ddl",
    "ddl_script": "ddl",
    "foreign_keys": "ddl",
    "LOSSY": "export",
    "TABLES": "export",
    "export_files": "export",
    "export_texts": "export",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


__all__ = [
    "DIALECTS",
    "LAYOUTS",
    "LOSSY",
    "TABLES",
    "check_files",
    "concept_id",
    "concept_subset",
    "create_tables",
    "ddl_script",
    "export_files",
    "export_texts",
    "foreign_keys",
    "looks_like_omop",
]
