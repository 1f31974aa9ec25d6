"""HL7 FHIR R4 (4.0.1) export and import of a cohort (issue 12; docs/exchange.md).

    files = dict(export_texts(cohort, "bundle"))   # {"cohort.fhir.json": "..."}
    cohort, issues = read_fhir(files, today=date.today())

Modules, one concept each: `codes` (the one code table and the myotrack CodeSystems),
`ids` (stable resource ids, references), `writer` (Cohort -> resources),
`questionnaires` (instruments as Questionnaire/QuestionnaireResponse), `bundle` (files:
collection/transaction Bundle, NDJSON; reading files back), `reader` (resources ->
Cohort through the cohort folder's validation), `code_systems` (the myotrack
CodeSystem resources). Pure: no files, network or clock.
"""

from myotrack.exchange.fhir.bundle import LAYOUTS, Layout, export_files, looks_like_fhir
from myotrack.exchange.fhir.code_systems import code_system_resources
from myotrack.exchange.fhir.reader import read_fhir
from myotrack.exchange.fhir.writer import cohort_resources

__all__ = [
    "LAYOUTS",
    "Layout",
    "code_system_resources",
    "cohort_resources",
    "export_files",
    "looks_like_fhir",
    "read_fhir",
]
