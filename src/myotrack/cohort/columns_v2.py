"""Cohort format version 2 as data: the columns it adds to the version 1 files, its new
files, and the record kinds the registry stores them as — rows of the same `Column` table
as version 1 (`cohort.columns`), so every entry path (folder, registry, JSON API, web forms)
reads one rule per field. Design: docs/dev/cohort-format-v2-design.md; described for users
in docs/cohort-format.md.

Vocabularies are never restated: each column names the tuple of `domain.record_vocab`,
`domain.treatment_detail` or `domain.prevention` it reads.

How a version 2 folder becomes records (`cohort.whole`):

* the version 1 files keep their version 1 columns and meaning; a row that version 1 can
  hold (whole dates, version 1 codes) is a version 1 object as before, and its version 2
  columns, when filled, are a *detail* record beside it (`course_detail`, `event_detail`,
  `patient_background`);
* a row version 1 cannot hold (a date known only to the month or year, a course without a
  start, a version 2 code) is a record of its own (`treatment_course`, `clinical_event`);
* each new file's row is one record of its kind.

Every record kind is one registry table (`registry.tables_v2`) with the kind's columns, a
partial date stored as its first day plus its precision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from myotrack.cohort.columns import FILES, Column
from myotrack.domain import (
    BIOPSY_DOMAIN_BY_ID,
    DOSE_UNIT_TABLE,
    FREQUENCY_TABLE,
    ROUTE_TABLE,
    VACCINE_TABLE,
    PartialDate,
    vocab,
)
from myotrack.domain import record_vocab as rv

FORMAT_VERSIONS: Final = (1, 2)
FREE_TEXT_LIMIT: Final = 500


def _pid() -> Column:
    return Column("patient_id", "id", required=True)


def _pdate(name: str, *, required: bool = False, help: str = "") -> Column:
    """A record date known to the day, the month or the year: not after today (the whole
    period), not before the patient's birth (the whole period)."""
    return Column(
        name, "partial_date", required=required, not_future=True, not_before_birth=True, help=help
    )


def _wdate(name: str, *, required: bool = False, help: str = "") -> Column:
    return Column(
        name, "date", required=required, not_future=True, not_before_birth=True, help=help
    )


def _choice(name: str, kind: Any, *, required: bool = False, help: str = "") -> Column:
    return Column(name, "choice", required=required, choices=rv.codes(kind), help=help)


def _choices(name: str, kind: Any, *, help: str = "") -> Column:
    return Column(name, "choices", choices=rv.codes(kind), help=help)


def _yes_no(name: str, help: str = "") -> Column:
    return Column(name, "choice", choices=vocab.YES_NO, help=help)


def _percent(name: str, help: str = "") -> Column:
    return Column(name, "number", min=0, max=100, unit="%", help=help)


def _predicted(name: str, help: str) -> Column:
    # 10-200 % predicted: a format plausibility limit (no source; values outside are typing
    # errors in practice), as version 1's weight limits.
    return Column(name, "number", min=10, max=200, unit="% predicted", help=help)


def _free_text() -> Column:
    return Column(
        "free_text",
        "text",
        max_length=FREE_TEXT_LIMIT,
        help="what the fields cannot say (the last resort: nothing with a field goes here)",
    )


# ------------------------------------------------------------------ version 1 files
# Version 1 date columns that accept a partial date in version 2.
PARTIAL_IN_V1: Final[dict[str, frozenset[str]]] = {
    "patients.csv": frozenset({"onset_date", "diagnosis_date"}),
    "treatments.csv": frozenset({"start_date", "end_date"}),
    "events.csv": frozenset({"date"}),
}
# Version 1 choice columns whose vocabulary version 2 widens (the version 1 codes stay).
WIDER_IN_V2: Final[dict[str, dict[str, tuple[str, ...]]]] = {
    "treatments.csv": {
        "dose_unit": tuple(u.code for u in DOSE_UNIT_TABLE),
        "frequency": tuple(f.code for f in FREQUENCY_TABLE),
        "route": tuple(r.code for r in ROUTE_TABLE),
    },
    "events.csv": {"event": (*vocab.EVENTS, *rv.codes(rv.RecordEvent))},
}

PATIENT_V2_COLUMNS: Final = (
    _choice("subtype", rv.DiseaseSubtype, help="clinical subtype (hypomyopathic, amyopathic, ...)"),
    _choice("ethnicity", rv.Ethnicity, help="as IMACS Form 01A codes it"),
    _choices("race", rv.Race, help="check all that apply (IMACS Form 01A); ';'-separated"),
    _yes_no("family_history_none", "'no autoimmune disease in the family' was stated"),
    _pdate("first_specialist_contact", help="first contact with the specialist centre"),
    _yes_no("consent_to_contact", "the patient agrees to be contacted (ERDRI-CDS element 12)"),
    _yes_no("consent_to_reuse", "the patient agrees to reuse of the data (ERDRI-CDS element 13)"),
)
COURSE_DETAIL_COLUMNS: Final = (
    _yes_no("start_unknown", "yes when the report gives no start date at all"),
    Column(
        "duration_months",
        "integer",
        min=1,
        max=600,
        unit="months",
        help="an end reported as a duration ('stopped after 13 months')",
    ),
    _choice("status", rv.CourseStatus, help="ongoing, stopped or not reported"),
    _choice("formulation", rv.Formulation),
    Column("strength", "number", min=0, min_exclusive=True, help="0.1 for a 0.1 % ointment"),
    _choice("strength_unit", rv.StrengthUnit),
    _choice("indication", rv.Indication, help="treatment, empirical treatment or prophylaxis"),
    _choices("sites", rv.BodySite, help="where a topical drug was applied"),
    _choices("sites_excluded", rv.BodySite, help="'all lesions except the face'"),
    _yes_no("prescribed_elsewhere", "started at another centre"),
    _free_text(),
)
EVENT_DETAIL_COLUMNS: Final = (
    _choice("organism", rv.Organism, help="for an infection: the organism found"),
    _choice("detection_method", rv.DetectionMethod, help="with the organism only"),
    Column("specimen", "text", max_length=60, help="e.g. bronchoalveolar lavage"),
)
V2_COLUMNS_OF_V1: Final[dict[str, tuple[Column, ...]]] = {
    "patients.csv": PATIENT_V2_COLUMNS,
    "visits.csv": (),
    "labs.csv": (),
    "treatments.csv": COURSE_DETAIL_COLUMNS,
    "events.csv": EVENT_DETAIL_COLUMNS,
}


def _widened(file: str, column: Column) -> Column:
    """A version 1 column as version 2 reads it."""
    from dataclasses import replace

    if column.name in PARTIAL_IN_V1.get(file, ()):
        column = replace(column, kind="partial_date")
    if file == "treatments.csv" and column.name == "start_date":
        column = replace(column, required=False)  # or start_unknown = yes (rule)
    wider = WIDER_IN_V2.get(file, {}).get(column.name)
    if wider is not None:
        column = replace(column, choices=wider)
    return column


V1_FILES_IN_V2: Final[dict[str, tuple[Column, ...]]] = {
    file: (*(_widened(file, c) for c in columns), *V2_COLUMNS_OF_V1[file])
    for file, columns in FILES.items()
}

# ------------------------------------------------------------------ new files
ANTIBODY_TESTS: Final = (
    _pid(),
    _pdate("date", required=True),
    Column(
        "antibody",
        "choice",
        required=True,
        choices=tuple(a for a in vocab.ANTIBODIES if a != "none"),
    ),
    _choice("result", rv.AntibodyResult, required=True),
    Column(
        "titre",
        "integer",
        min=1,
        max=1_000_000,
        help="the denominator of the titre: 160 for 1:160 (ANA only)",
    ),
    _choice("pattern", rv.AnaPattern, help="immunofluorescence pattern (ANA only)"),
    _choice("method", rv.AntibodyMethod),
    Column("laboratory", "text", max_length=100, help="not for ANA"),
)
FAMILY_HISTORY: Final = (
    _pid(),
    _choice("relative", rv.Relative, required=True),
    _choice("condition", rv.FamilyCondition, required=True),
    _free_text(),
)
ORGAN_INVOLVEMENT: Final = (
    _pid(),
    _choice("organ", rv.Organ, required=True),
    _pdate("onset_date", help="as precisely as known"),
    _pdate("resolution_date", help="not before the onset"),
    _yes_no("resolved", "yes with no resolution date: resolved, date not known"),
    _choice("severity", rv.Severity),
    _choice("certainty", rv.Certainty, help="empty = confirmed"),
    _choices("sites", rv.BodySite),
    _free_text(),
)
CHEST_CT: Final = (
    _pid(),
    _pdate("date", required=True),
    _choices("findings", rv.HrctFinding, help="Fleischner Society glossary terms"),
    _choice("pattern", rv.HrctPattern, help="ATS/ERS classification (Travis 2013)"),
    _percent("extent_percent", "lung volume affected, the radiologist's estimate"),
    _choices("lobes", rv.LungLobe),
    _choice("change", rv.HrctChange, help="compared with the previous study"),
    _yes_no("high_resolution", "no: a conventional chest CT"),
    _free_text(),
)
LUNG_FUNCTION: Final = (
    _pid(),
    _pdate("date", required=True),
    _predicted("fvc_percent_predicted", "forced vital capacity, % predicted"),
    _predicted("fev1_percent_predicted", "FEV1, % predicted"),
    _predicted("dlco_percent_predicted", "transfer factor (DLCO), % predicted"),
    _yes_no("dlco_corrected_for_haemoglobin"),
    _predicted("tlc_percent_predicted", "total lung capacity, % predicted"),
    _choice("reference_equation", rv.ReferenceEquation, help="required with any % predicted value"),
    _choice("not_done", rv.LungFunctionNotDone, help="why no values"),
    _free_text(),
)
OXYGEN: Final = (
    _pid(),
    _pdate("date", required=True),
    _choice("support", rv.OxygenSupport, required=True, help="none = room air"),
    Column("flow_l_per_min", "number", min=0, min_exclusive=True, max=60, unit="L/min"),
    Column("fio2_percent", "number", min=21, max=100, unit="%"),
    Column("spo2_percent", "number", min=50, max=100, unit="%"),
    _yes_no("spo2_on_room_air"),
    _free_text(),
)
BAL: Final = (
    _pid(),
    _pdate("date", required=True),
    _choice("cytology", rv.BalCytology, help="predominant cell type"),
    _percent("lymphocytes_percent"),
    _percent("neutrophils_percent"),
    _choices("organisms", rv.Organism, help="none_found alone, or the organisms found"),
    _choice("detection_method", rv.DetectionMethod, help="one method a row"),
    _free_text(),
)
MUSCLE_MRI: Final = (
    _pid(),
    _pdate("date", required=True),
    _choices("regions", rv.MuscleRegion),
    _choice("muscle_oedema", rv.Grade4),
    _choice("oedema_extent", rv.OedemaExtent),
    _yes_no("fascial_oedema"),
    _yes_no("subcutaneous_oedema"),
    _choice("fatty_replacement", rv.Grade4),
    _yes_no("atrophy"),
    _yes_no("consistent_with_myositis"),
    _free_text(),
)
MUSCLE_ULTRASOUND: Final = (
    _pid(),
    _pdate("date", required=True),
    _choices("regions", rv.MuscleRegion),
    _yes_no("increased_echogenicity"),
    _yes_no("oedema_pattern"),
    _yes_no("atrophy"),
    _yes_no("doppler_hyperaemia"),
    _yes_no("consistent_with_myositis"),
    _free_text(),
)


def _score(domain: str) -> Column:
    d = BIOPSY_DOMAIN_BY_ID[domain]  # ranges read from the table, never restated
    return Column(f"score_{domain}", "number", min=0, max=d.max, help=f"{d.label} ({d.status})")


MUSCLE_BIOPSIES: Final = (
    _pid(),
    _pdate("date", required=True),
    _choice("site", rv.BiopsySite),
    _yes_no("consistent_with_jdm"),
    _yes_no("perifascicular_atrophy"),
    _yes_no("mhc_class_i_overexpression"),
    *(_score(d) for d in ("inflammatory", "vascular", "muscle_fibre", "connective_tissue")),
    _score("overall_vas"),
    Column("score_tool_version", "text", max_length=40, help="empty = Wedderburn 2007"),
    _free_text(),
)
CAPILLAROSCOPY: Final = (
    _pid(),
    _pdate("date", required=True),
    _choice("result", rv.NormalAbnormal, required=True),
    _choice("method", rv.CapillaroscopyMethod),
    _choices("findings", rv.CapillaroscopyFinding),
    Column("capillaries_per_mm", "number", min=0, max=20, unit="loops/mm", help="format limit"),
    _free_text(),
)
CARDIAC_TESTS: Final = (
    _pid(),
    _pdate("date", required=True),
    _choice("kind", rv.CardiacTestKind, required=True),
    _choice("result", rv.NormalAbnormal, required=True),
    _choices("findings", rv.CardiacFinding),
    Column("lv_ejection_fraction_percent", "number", min=5, max=95, unit="%"),
    _free_text(),
)
SWALLOW: Final = (
    _pid(),
    _pdate("date", required=True),
    _choice("method", rv.SwallowMethod, required=True),
    _choice("result", rv.SwallowResult, required=True),
    _choice("feeding", rv.Feeding),
    _free_text(),
)
VACCINATIONS: Final = (
    _pid(),
    _pdate("date", required=True),
    Column(
        "vaccine",
        "choice",
        required=True,
        choices=tuple(v.code for v in VACCINE_TABLE),
        help="whether it is live is read from the vaccine table",
    ),
    Column("dose_number", "integer", min=1, max=10),
    _free_text(),
)
PREGNANCY_TESTS: Final = (
    _pid(),
    _wdate("date", required=True, help="a whole date"),
    _choice("result", rv.TestResult, required=True),
    _choice("method", rv.PregnancyTestMethod),
)
DECISIONS: Final = (
    _pid(),
    _pdate("decided_on", required=True, help="the day the decision was made"),
    _choice("decision", rv.DecisionKind, required=True),
    Column("drug", "choice", choices=vocab.JAK_INHIBITORS, help="the JAK inhibitor planned"),
    _choice("status", rv.DecisionStatus, help="empty = open"),
    _free_text(),
)

NEW_FILES: Final[dict[str, tuple[Column, ...]]] = {
    "antibody_tests.csv": ANTIBODY_TESTS,
    "family_history.csv": FAMILY_HISTORY,
    "organ_involvement.csv": ORGAN_INVOLVEMENT,
    "chest_ct.csv": CHEST_CT,
    "lung_function.csv": LUNG_FUNCTION,
    "oxygen.csv": OXYGEN,
    "bal.csv": BAL,
    "muscle_mri.csv": MUSCLE_MRI,
    "muscle_ultrasound.csv": MUSCLE_ULTRASOUND,
    "muscle_biopsies.csv": MUSCLE_BIOPSIES,
    "capillaroscopy.csv": CAPILLAROSCOPY,
    "cardiac_tests.csv": CARDIAC_TESTS,
    "swallow.csv": SWALLOW,
    "vaccinations.csv": VACCINATIONS,
    "pregnancy_tests.csv": PREGNANCY_TESTS,
    "decisions.csv": DECISIONS,
}
FILES_V2: Final[dict[str, tuple[Column, ...]]] = {**V1_FILES_IN_V2, **NEW_FILES}
COLUMNS_V2: Final[dict[str, dict[str, Column]]] = {
    name: {c.name: c for c in table} for name, table in FILES_V2.items()
}


def files_for(version: int) -> dict[str, tuple[Column, ...]]:
    """The files and columns of a format version."""
    return dict(FILES_V2) if version == 2 else dict(FILES)


def v2_only_column(file: str, name: str) -> bool:
    """True for a column that version 2 adds to a version 1 file."""
    return any(c.name == name for c in V2_COLUMNS_OF_V1.get(file, ()))


# ------------------------------------------------------------------ record kinds


@dataclass(frozen=True, slots=True)
class RecordKind:
    """One kind of version 2 record: the file it comes from, its columns (patient_id
    first) and its natural key (columns after patient_id; an empty key: one a patient).
    The registry keeps each kind in the table `name`."""

    name: str
    file: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    label: str

    @property
    def column(self) -> dict[str, Column]:
        return {c.name: c for c in self.columns}


def _pick(file: str, names: tuple[str, ...]) -> tuple[Column, ...]:
    by_name = COLUMNS_V2[file]
    return tuple(by_name[n] for n in names)


_COURSE_KEY_COLUMNS: Final = ("patient_id", "drug")
_V1_COURSE_DATES: Final = (
    Column("start_date", "date", required=True, not_future=True, not_before_birth=True),
)
_V1_EVENT_KEY: Final = (
    Column("date", "date", required=True, not_future=True, not_before_birth=True),
    COLUMNS_V2["events.csv"]["event"],
    COLUMNS_V2["events.csv"]["detail"],
)

RECORD_KINDS: Final[tuple[RecordKind, ...]] = (
    RecordKind(
        "patient_background",
        "patients.csv",
        (
            _pid(),
            *_pick("patients.csv", ("onset_date", "diagnosis_date")),
            *PATIENT_V2_COLUMNS,
        ),
        (),
        "background (subtype, ethnicity, consent; onset/diagnosis known to the month or year)",
    ),
    RecordKind(
        "antibody_test",
        "antibody_tests.csv",
        ANTIBODY_TESTS,
        ("date", "antibody", "method"),
        "antibody test",
    ),
    RecordKind(
        "family_history",
        "family_history.csv",
        FAMILY_HISTORY,
        ("relative", "condition"),
        "family history",
    ),
    RecordKind(
        "organ_involvement",
        "organ_involvement.csv",
        ORGAN_INVOLVEMENT,
        ("organ", "onset_date"),
        "organ involvement",
    ),
    RecordKind("chest_ct", "chest_ct.csv", CHEST_CT, ("date",), "chest CT"),
    RecordKind("lung_function", "lung_function.csv", LUNG_FUNCTION, ("date",), "lung function"),
    RecordKind("oxygen_need", "oxygen.csv", OXYGEN, ("date",), "oxygen need"),
    RecordKind("bal", "bal.csv", BAL, ("date",), "bronchoalveolar lavage"),
    RecordKind("muscle_mri", "muscle_mri.csv", MUSCLE_MRI, ("date",), "muscle MRI"),
    RecordKind(
        "muscle_ultrasound",
        "muscle_ultrasound.csv",
        MUSCLE_ULTRASOUND,
        ("date",),
        "muscle ultrasound",
    ),
    RecordKind("muscle_biopsy", "muscle_biopsies.csv", MUSCLE_BIOPSIES, ("date",), "muscle biopsy"),
    RecordKind(
        "capillaroscopy",
        "capillaroscopy.csv",
        CAPILLAROSCOPY,
        ("date",),
        "nailfold capillaroscopy",
    ),
    RecordKind(
        "cardiac_test", "cardiac_tests.csv", CARDIAC_TESTS, ("date", "kind"), "cardiac test"
    ),
    RecordKind("swallow_assessment", "swallow.csv", SWALLOW, ("date",), "swallow assessment"),
    RecordKind("vaccination", "vaccinations.csv", VACCINATIONS, ("date", "vaccine"), "vaccination"),
    RecordKind(
        "pregnancy_test", "pregnancy_tests.csv", PREGNANCY_TESTS, ("date",), "pregnancy test"
    ),
    RecordKind(
        "treatment_decision",
        "decisions.csv",
        DECISIONS,
        ("decided_on", "decision"),
        "treatment decision",
    ),
    RecordKind(
        "treatment_course",
        "treatments.csv",
        V1_FILES_IN_V2["treatments.csv"],
        ("drug", "start_date"),
        "treatment course (a date known to the month or year, no start, or a version 2 code)",
    ),
    RecordKind(
        "course_detail",
        "treatments.csv",
        (
            *_pick("treatments.csv", _COURSE_KEY_COLUMNS),
            *_V1_COURSE_DATES,
            *COURSE_DETAIL_COLUMNS,
        ),
        ("drug", "start_date"),
        "detail of a version 1 course (formulation, strength, indication, sites, ...)",
    ),
    RecordKind(
        "clinical_event",
        "events.csv",
        V1_FILES_IN_V2["events.csv"],
        ("date", "event", "detail"),
        "event (a version 2 event or a date known to the month or year)",
    ),
    RecordKind(
        "event_detail",
        "events.csv",
        (_pid(), *_V1_EVENT_KEY, *EVENT_DETAIL_COLUMNS),
        ("date", "event", "detail"),
        "detail of a version 1 event (organism, detection method, specimen)",
    ),
)
RECORD_KIND: Final[dict[str, RecordKind]] = {k.name: k for k in RECORD_KINDS}
KIND_OF_FILE: Final[dict[str, RecordKind]] = {
    k.file: k for k in RECORD_KINDS if k.file in NEW_FILES
}


def key_part(value: Any) -> str:
    """One part of a natural key as text: dates ISO at their precision, empty for None."""
    if value is None:
        return ""
    if isinstance(value, PartialDate | date):
        return value.isoformat() if isinstance(value, date) else value.iso()
    return str(value)


def record_key(kind: RecordKind, values: dict[str, Any] | Any) -> str:
    """The natural key of a record after its patient, as one text ('' for a background):
    '2021-09 | ANA | not_stated'. A course without a start has the key part 'unknown'."""
    parts = []
    for name in kind.key:
        value = values.get(name)
        if value is None and kind.name == "treatment_course" and name == "start_date":
            parts.append("unknown")
        else:
            parts.append(key_part(value))
    return " | ".join(parts)
