"""Each package's public API is its `__init__` (style-examples: "A package's public API is
its `__init__`", "Only the registry touches the registry's tables"; issue 16).

Oracle: the source itself, read with `ast` (no import of the modules under scan), and the
`__all__` lists written out below, so a change to any package's API is a visible change
to this file.

- Every package `__init__` has an explicit `__all__`, equal to the list pinned here, and
  every name in it exists.
- Outside package P, code imports P only through a package `__init__` of P
  (`from myotrack.P import name`, `from myotrack.P.sub import name` for a subpackage
  `sub`) and only names in its `__all__`. A module listed in `__all__` (the controlled
  vocabularies `myotrack.domain.vocab`, `units`, `labels`, `record_vocab`) is a public
  namespace and may be imported as one.
- Nothing outside `myotrack.registry` imports a registry module, or builds SQL
  (`select`, `text`, `insert`, ... from SQLAlchemy; `exec_driver_sql`): the registry owns
  its tables and queries.
- A plain module's `__all__` lists names that module defines, never re-exported ones.
"""

from __future__ import annotations

import ast
import functools
import importlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "myotrack"

# The public API of every package, pinned. Adding or removing a name is an API change:
# change it here on purpose.
PUBLIC_API: dict[str, list[str]] = {
    "myotrack.analysis": [
        "DAYS_PER_MONTH",
        "DAYS_PER_WEEK",
        "DEFAULT_MIN_CELL_COUNT",
        "MSA_NEGATIVE",
        "NOT_RECORDED",
        "SEVERAL_MSA",
        "SMALL_SUBGROUP_N",
        "SUBGROUP_BY",
        "WEIGHT_BAND_LABELS",
        "Cell",
        "Column",
        "EventRow",
        "KaplanMeier",
        "PatientTimeline",
        "QuantileType",
        "SmallCells",
        "SubgroupBy",
        "Supplement",
        "TestResult",
        "Timelines",
        "build_timelines",
        "case_series",
        "case_series_of",
        "cohort_fingerprint",
        "count",
        "describe",
        "fisher_exact",
        "format_number",
        "format_p",
        "is_suppressed",
        "kaplan_meier",
        "meansd",
        "members",
        "paired_t",
        "patient_numbers",
        "patient_timelines",
        "quantile",
        "rank_sum",
        "round_half_away",
        "shown_count",
        "subgroup_report",
        "supplement",
        "suppress_subgroups",
        "suppress_summary",
        "wilcoxon_signed_rank",
        "wilson_ci",
    ],
    "myotrack.cli": [
        "app",
        "main",
    ],
    "myotrack.cohort": [
        "CONFIRMED",
        "CONFIRM_COLUMN",
        "DEMO_FOLDER",
        "FILES_V2",
        "PATIENT_ID",
        "RECORD_KINDS",
        "ROWS",
        "TIERS",
        "CellError",
        "FolderChangedError",
        "FolderScan",
        "Context",
        "Problem",
        "RecordKind",
        "Row",
        "Tier",
        "apply_tier",
        "apply_tier_to_record",
        "cell",
        "cell_parser",
        "check_course",
        "check_event",
        "check_jak_start",
        "check_lab",
        "check_patient",
        "check_record",
        "check_totals",
        "check_visit",
        "cohort_from_rows",
        "columns",
        "count_records",
        "csv_cell",
        "escape_row",
        "folder_cutoff_date",
        "lab_result",
        "parse_date",
        "parse_number",
        "pseudonym",
        "range_text",
        "read_folder",
        "record_key",
        "scan_folder",
        "streamable",
        "synthesize",
        "value_checker",
        "whole_records",
        "write_folder",
    ],
    "myotrack.criteria": [
        "CALCULATORS",
        "CidAtVisit",
        "ResponseSinceIndex",
        "cid_at_latest_visit",
        "response_since_index",
    ],
    "myotrack.domain": [
        "BIOPSY_DOMAIN_BY_ID",
        "BODY_SITES",
        "BODY_SITE_LABELS",
        "CAPTION_MAX",
        "DOSE_UNIT_TABLE",
        "FREQUENCY_TABLE",
        "IMAGE_KINDS",
        "IMAGE_KIND_LABELS",
        "PURPOSES",
        "PURPOSE_LABELS",
        "ROUTE_TABLE",
        "VACCINE_TABLE",
        "AnaResult",
        "AntibodyTest",
        "Assessment",
        "BiopsyScore",
        "BodySite",
        "BronchoalveolarLavage",
        "Calculator",
        "Capillaroscopy",
        "CardiacTest",
        "ChestHrct",
        "ClinicalEvent",
        "ClinicalImage",
        "Cohort",
        "Consent",
        "DrugCourse",
        "Event",
        "FamilyHistory",
        "ImageKind",
        "ImagePair",
        "InfectionDetail",
        "Investigation",
        "LabResult",
        "LungFunction",
        "MuscleBiopsy",
        "MuscleMri",
        "MuscleUltrasound",
        "OrganInvolvement",
        "OrganismFinding",
        "OxygenNeed",
        "PartialDate",
        "PartialDateError",
        "Patient",
        "PatientBackground",
        "PatientRecord",
        "Plausibility",
        "PregnancyTest",
        "Purpose",
        "RecordRow",
        "ReportedLab",
        "ReportedValue",
        "ReportedVisit",
        "Strength",
        "SwallowAssessment",
        "TreatmentCourse",
        "TreatmentDecision",
        "Vaccination",
        "ValidationIssue",
        "Visit",
        "WholeRecord",
        "before_after_pairs",
        "consented_for",
        "drugs",
        "images_for",
        "judge_lab",
        "judge_measure",
        "labels",
        "record_vocab",
        "treatment_course",
        "units",
        "v1_view",
        "vocab",
    ],
    "myotrack.exchange": [
        "EXPORT_FORMATS",
        "FOLDER_FILES",
        "FORMATS",
        "IMPORT_FORMATS",
        "ExchangeFormat",
        "detect_format",
        "export_cohort",
        "format_named",
        "read_source",
        "write_export",
    ],
    "myotrack.exchange.fhir": [
        "LAYOUTS",
        "Layout",
        "code_system_resources",
        "cohort_resources",
        "export_files",
        "looks_like_fhir",
        "read_fhir",
    ],
    "myotrack.exchange.omop": [
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
    ],
    "myotrack.exchange.redcap": [
        "HEADER",
        "LAYOUTS",
        "RECORDS_FILE",
        "Project",
        "RedcapApiError",
        "RedcapExportError",
        "build_project",
        "connect",
        "dag_name",
        "design_project",
        "dictionary_csv",
        "export_files",
        "extra_columns",
        "lint_dictionary",
        "looks_like_redcap",
        "project_for",
        "pull_records",
        "push_records",
        "read_files",
        "read_records",
        "records_csv",
        "redcap_code",
        "repeating_forms_csv",
    ],
    "myotrack.instruments": [
        "CALCULATORS",
        "DEFINITIONS",
        "INSTRUMENTS",
        "RICE_CUTOFF",
        "RICE_GENES",
        "DerivedItem",
        "InstrumentDefinition",
        "InstrumentResult",
        "InterferonResult",
        "Item",
        "ItemError",
        "OptionSpec",
        "Subscore",
        "Term",
        "cm_to_mm",
        "cmas_situps",
        "cmas_timed_item",
        "ddct_from_ct",
        "definition",
        "fold_change",
        "interferon_score",
        "mm_to_cm",
        "rice_positive",
        "score",
        "score_stored",
        "stored_definition",
        "validate_item",
        "visit_values",
    ],
    "myotrack.instruments.definitions": [
        "DEFINITIONS",
        "INSTRUMENTS",
        "VARIANTS",
    ],
    "myotrack.media": [
        "NOT_AN_IMAGE",
        "CleanImage",
        "ExportSummary",
        "ImageLimits",
        "ImageRejected",
        "ImageStore",
        "ImageUpload",
        "StoreError",
        "StoreReport",
        "add_demo_images",
        "attach_image",
        "check_store",
        "clean_image",
        "export_images",
        "image_dir_for",
        "remove_orphans",
        "sniff_format",
    ],
    "myotrack.registry": [
        "ROLES",
        "AuditEntry",
        "BackupCheck",
        "BackupError",
        "BusyError",
        "ChainReport",
        "DuplicateError",
        "FolderProblemsError",
        "ImportRunningError",
        "ImportSummary",
        "InvalidValueError",
        "LoginFailures",
        "NotFoundError",
        "PatientActivity",
        "RegistryError",
        "RetiredRecord",
        "StaleEditError",
        "TableCounts",
        "UnavailableError",
        "UserAccount",
        "WebSession",
        "add_image",
        "add_login_failure",
        "all_images",
        "audit_log",
        "backup_sqlite",
        "check_backup",
        "clear_login_failures",
        "connect",
        "create_user",
        "current_revision",
        "database_answers",
        "database_url",
        "end_session",
        "end_sessions_of",
        "end_stale_sessions",
        "find_session",
        "forget_old_login_failures",
        "get_image",
        "get_setting",
        "get_user",
        "hold_import_lock",
        "import_cohort",
        "import_folder",
        "latest_audit_id",
        "list_images",
        "list_patients",
        "list_users",
        "load_cohort",
        "load_record",
        "load_whole_record",
        "lock_login",
        "login_failures",
        "patient_activity",
        "patient_site",
        "postgres_guidance",
        "research_key",
        "restore",
        "restore_image",
        "restore_sqlite",
        "retire",
        "retired_records",
        "retract_image",
        "retracted_images",
        "row_versions",
        "save_course",
        "save_event",
        "save_lab",
        "save_patient",
        "save_record",
        "save_visit",
        "set_consent",
        "set_password_hash",
        "set_setting",
        "sqlite_path",
        "store_session",
        "stored_files",
        "touch_session",
        "transaction",
        "translate",
        "update_user",
        "upgrade",
        "verify_chain",
    ],
    "myotrack.report": [
        "CaseReport",
        "CaseReportFormat",
        "QuantileChoice",
        "ReportFormat",
        "SupplementFormat",
        "build_case_report",
        "figure_files",
        "pair_figure",
        "render_case_report",
        "render_report",
        "render_supplement",
        "timeline_figure",
    ],
    "myotrack.report.figures": [
        "DEFAULT_MEASURES",
        "INK",
        "TWO_COLUMNS_MM",
        "FigureFormat",
        "TimelineMark",
        "figure_bytes",
        "house_style",
        "mm",
        "new_figure",
        "timeline_figure",
    ],
    "myotrack.therapy": [
        "CALCULATORS",
        "JAK_DRUGS_WITH_RULES",
        "KIND_WORDS",
        "STATE_WORDS",
        "STATUS_ORDER",
        "STATUS_WORDS",
        "VERDICT_WORDS",
        "AsOf",
        "Check",
        "CheckStatus",
        "DecisionSupport",
        "DueItem",
        "GateResult",
        "NeededInput",
        "RiskFlag",
        "Worklist",
        "as_of",
        "decision_support",
        "due_items",
        "worklist",
    ],
    "myotrack.web": [
        "Role",
        "WebSettings",
        "create_app",
        "hash_password",
        "password_problem",
    ],
    "myotrack.web.routes": [],
    "myotrack.web.services": [
        "MEASURE_COLUMNS",
        "SORT_KEYS",
        "FormErrors",
        "ItemProblem",
        "PatientFilter",
        "add_event",
        "change_course",
        "course_from",
        "create_patient",
        "decision_support",
        "detail",
        "event_from",
        "issues_out",
        "known_sites",
        "lab_flag",
        "lab_from",
        "list_patients",
        "reference_date",
        "refuse_course_problems",
        "save_lab",
        "save_visit",
        "start_course",
        "summary",
        "version_of",
        "visit_from",
        "writable_record",
    ],
}

# SQLAlchemy names that build or run SQL; outside the registry none of them is imported.
SQL_BUILDERS = frozenset(
    {"select", "text", "insert", "update", "delete", "func", "table", "column", "literal"}
)


@dataclass(frozen=True)
class Import:
    file: str  # path under src/myotrack
    line: int
    module: str  # the module imported from (or imported)
    names: tuple[str, ...]  # names imported from it (empty for `import module`)


def _package_of(rel: Path) -> str:
    return rel.parts[0] if len(rel.parts) > 1 else ""


@functools.cache
def _parsed() -> tuple[tuple[Path, ast.Module], ...]:
    return tuple(
        (path.relative_to(SRC), ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        for path in sorted(SRC.rglob("*.py"))
        if path.relative_to(SRC).parts[:2] != ("registry", "migrations")
    )


def _modules() -> Iterator[tuple[Path, ast.Module]]:
    yield from _parsed()


def _imports(rel: Path, tree: ast.Module) -> Iterator[Import]:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = tuple(a.name for a in node.names)
            yield Import(str(rel), node.lineno, node.module, names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(str(rel), node.lineno, alias.name, ())


def _is_package(dotted: str) -> bool:
    return (SRC.parent / Path(*dotted.split(".")) / "__init__.py").exists()


def _is_module(dotted: str) -> bool:
    path = SRC.parent / Path(*dotted.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


@functools.cache
def _declared_all(dotted: str) -> list[str] | None:
    """The `__all__` a module or package declares (read from its source), or None."""
    path = SRC.parent / Path(*dotted.split("."))
    source = path / "__init__.py" if _is_package(dotted) else path.with_suffix(".py")
    tree = ast.parse(source.read_text(encoding="utf-8"))
    for node in tree.body:
        value: ast.expr | None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign):
            targets, value = [node.target], node.value
        else:
            continue
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            assert isinstance(value, ast.List | ast.Tuple), f"{source}: __all__ is not a list"
            return [ast.literal_eval(e) for e in value.elts]
    return None


def _public_namespace(dotted: str) -> bool:
    """A module is public if it is a package, or listed in its package's `__all__`."""
    if _is_package(dotted):
        return True
    parent, _, name = dotted.rpartition(".")
    return name in (_declared_all(parent) or [])


def _inner_import_problems(imp: Import) -> list[str]:
    parts = imp.module.split(".")
    if parts[0] != "myotrack" or len(parts) < 2:
        return []
    own = imp.file.split("/")[0] if "/" in imp.file else ""
    if parts[1] == own:
        return []
    place = f"{imp.file}:{imp.line}"
    if not _public_namespace(imp.module):
        return [f"{place} imports the inner module {imp.module}"]
    if not _is_package(imp.module):
        return []  # a public namespace module: its own names
    public = _declared_all(imp.module) or []
    return [
        f"{place} imports {name} from {imp.module}, which is not in its __all__"
        for name in imp.names
        if name not in public
    ]


def _packages() -> list[str]:
    return sorted(
        str(p.parent.relative_to(SRC.parent)).replace("/", ".")
        for p in SRC.rglob("__init__.py")
        if "migrations" not in p.parts and p.parent != SRC
    )


def test_every_package_is_pinned() -> None:
    assert sorted(PUBLIC_API) == _packages()


@pytest.mark.parametrize("package", sorted(PUBLIC_API))
def test_package_all_is_the_pinned_api(package: str) -> None:
    module = importlib.import_module(package)
    declared = _declared_all(package)
    assert declared is not None, f"{package}/__init__.py has no __all__"
    assert sorted(declared) == sorted(PUBLIC_API[package])
    missing = [name for name in declared if not hasattr(module, name)]
    assert not missing, f"{package}.__all__ names what it does not define: {missing}"
    assert len(set(declared)) == len(declared), f"{package}.__all__ repeats a name"


def test_other_packages_import_only_public_apis() -> None:
    problems = [
        problem
        for rel, tree in _modules()
        for imp in _imports(rel, tree)
        for problem in _inner_import_problems(imp)
    ]
    assert not problems, "\n".join(problems)


def test_only_the_registry_touches_its_tables() -> None:
    problems = []
    for rel, tree in _modules():
        if _package_of(rel) == "registry":
            continue
        for imp in _imports(rel, tree):
            if imp.module.startswith("myotrack.registry."):
                problems.append(f"{rel}:{imp.line} imports {imp.module}")
            if imp.module == "myotrack.registry":
                inner = [n for n in imp.names if _is_module(f"myotrack.registry.{n}")]
                problems += [f"{rel}:{imp.line} imports the registry module {n}" for n in inner]
            if imp.module.split(".")[0] == "sqlalchemy":
                sql = sorted(set(imp.names) & SQL_BUILDERS)
                problems += [f"{rel}:{imp.line} builds SQL ({', '.join(sql)})"] if sql else []
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "exec_driver_sql":
                problems.append(f"{rel}:{node.lineno} runs SQL (exec_driver_sql)")
    assert not problems, "\n".join(problems)


def _defined_names(tree: ast.Module) -> set[str]:
    """Names a module defines itself (functions, classes, assignments), not imports."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign | ast.AugAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
    return names


def _foreign_all(rel: Path, tree: ast.Module) -> list[str]:
    """Names a plain module's `__all__` lists that it does not define."""
    if rel.name == "__init__.py":
        return []
    declared = _declared_all("myotrack." + str(rel.with_suffix("")).replace("/", "."))
    return sorted(set(declared or []) - _defined_names(tree))


def test_a_module_all_lists_its_own_names() -> None:
    problems = [
        f"{rel}: __all__ lists names it does not define: {foreign}"
        for rel, tree in _modules()
        if (foreign := _foreign_all(rel, tree))
    ]
    assert not problems, "\n".join(problems)
