"""HL7 FHIR R4 (4.0.1) export and import of a cohort (issue 12; docs/exchange.md).

    files = dict(export_texts(cohort, "bundle"))   # {"cohort.fhir.json": "..."}
    cohort, issues = read_fhir(files, today=date.today())

Modules, one concept each: `codes` (the one code table and the myotrack CodeSystems),
`ids` (stable resource ids, references), `elements` (coded elements built once per code;
the mapping's small tables), `writer` (Cohort -> resources, the statement of the
mapping), `lines` (the same resources as JSON text, fast), `questionnaires` (instruments
as Questionnaire/QuestionnaireResponse), `layout` (the file layouts, recognising FHIR
files), `bundle` (collection/transaction Bundle, NDJSON; reading files back), `reader`
(files -> Cohort through the cohort folder's validation) with `importing` (rows, cells,
places of problems) and one module per family of resources read (`read_patient`,
`read_observation`, `read_course_event`), `code_systems` (the myotrack CodeSystem
resources). Pure: no files, network or clock.

The conversion modules load on first use, so that `myotrack` commands which do not
exchange data do not pay for the instrument definitions at start-up.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from myotrack.exchange.fhir.layout import LAYOUTS, Layout, looks_like_fhir

if TYPE_CHECKING:
    from myotrack.exchange.fhir.bundle import export_files
    from myotrack.exchange.fhir.code_systems import code_system_resources
    from myotrack.exchange.fhir.reader import read_fhir
    from myotrack.exchange.fhir.writer import cohort_resources

_LAZY = {
    "export_files": "myotrack.exchange.fhir.bundle",
    "code_system_resources": "myotrack.exchange.fhir.code_systems",
    "read_fhir": "myotrack.exchange.fhir.reader",
    "cohort_resources": "myotrack.exchange.fhir.writer",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


__all__ = [
    "LAYOUTS",
    "Layout",
    "code_system_resources",
    "cohort_resources",
    "export_files",
    "looks_like_fhir",
    "read_fhir",
]
