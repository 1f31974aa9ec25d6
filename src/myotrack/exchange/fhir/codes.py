"""The ONE code table of the FHIR export and import: every standard code myotrack emits,
each with its source, and the myotrack CodeSystems for everything else.

Rules (issue 12; /work/shared/spec/interop.md §3):
* A standard code (SNOMED CT, LOINC, RxNorm, UCUM, HL7 terminology) is emitted only if
  it is a row of `STANDARD` below, and a row exists only for a code marked VERIFIED in
  interop.md's tables (§3.2, §3.3, §3.5), or for a code of the FHIR R4 specification
  itself (the required codes of core elements), or — UCUM units only — a unit string
  that ucumvert 0.3.2 parsed here (interop.md's own definition of VERIFIED: "executed
  here"; tests/exchange re-parse every UCUM row when ucumvert is installed).
  `tests/exchange/test_fhir_codes.py` fails on any emitted (system, code) not in this
  table or in a myotrack CodeSystem.
* Everything else has a code in a myotrack CodeSystem, canonical URL
  `https://myotrack.org/fhir/CodeSystem/<name>` (`LOCAL`). The codes are the cohort
  format's own values (docs/cohort-format.md), so they never change meaning; a new value
  is a new code. Local codings are written beside a standard one too, so that a myotrack
  import never depends on a reverse mapping.

Adding a verified code is adding a row; nothing else changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Final

from myotrack.cohort import RECORD_KINDS
from myotrack.domain import (
    FREQUENCY_TABLE,
    ROUTE_TABLE,
    VACCINE_TABLE,
    labels,
    record_vocab,
    vocab,
)
from myotrack.domain.units import UNITS

SNOMED: Final = "http://snomed.info/sct"
LOINC: Final = "http://loinc.org"
UCUM: Final = "http://unitsofmeasure.org"
RXNORM: Final = "http://www.nlm.nih.gov/research/umls/rxnorm"
TIMING_ABBREVIATION: Final = "http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation"
OBSERVATION_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/observation-category"
ACT_CODE: Final = "http://terminology.hl7.org/CodeSystem/v3-ActCode"

# The canonical base of everything myotrack defines (CodeSystems, Questionnaires,
# extensions, identifier systems). Stable: never change it, since exported files carry it.
BASE: Final = "https://myotrack.org/fhir"


def code_system_url(name: str) -> str:
    return f"{BASE}/CodeSystem/{name}"


def extension_url(name: str) -> str:
    return f"{BASE}/StructureDefinition/{name}"


PATIENT_ID_SYSTEM: Final = f"{BASE}/NamingSystem/patient-id"
QUESTIONNAIRE_BASE: Final = f"{BASE}/Questionnaire/"

# Extensions defined by myotrack (documented in docs/exchange.md).
EXTRA_COLUMN: Final = extension_url("extra-column")  # an x_ column: name + value
CTCAE_GRADE: Final = extension_url("ctcae-grade")  # AdverseEvent/Observation, 1-5
ASSESSMENT_TOTAL: Final = extension_url("assessment-total")  # QuestionnaireResponse
COHORT_CUTOFF: Final = extension_url("cohort-cutoff")  # Bundle.meta, manifest
# A column of a cohort format version 2 record that no FHIR element of its resource holds:
# sub-extensions `name` (valueCode `<kind>.<column>`) and `value` (value[x] by the column).
RECORD_FIELD: Final = extension_url("record-field")

_INTEROP = "/work/shared/spec/interop.md"
_FHIR_CORE = "FHIR R4 4.0.1 specification"
_UCUM_RUN = "ucumvert 0.3.2 parsed it here (executed; re-checked by the tests)"


@dataclass(frozen=True, slots=True)
class Code:
    """One standard code myotrack emits, with where it was verified."""

    system: str
    code: str
    display: str
    source: str


# ---------------------------------------------------------------- standard codes

# Diagnosis (Condition.code). interop.md §3.2: OHDSI ATLAS concept-set export,
# ohdsi-studies/MyositisNetworkStudy:inst/cohorts/1787425.json@1b10aec (VERIFIED).
DIAGNOSIS: Final[dict[str, Code]] = {
    "JDM": Code(
        system=SNOMED,
        code="1212005",
        display="Childhood type dermatomyositis",
        source=f"{_INTEROP} §3.2, OHDSI ATLAS export (concept 4005037)",
    ),
    "DM": Code(
        system=SNOMED,
        code="396230008",
        display="Dermatomyositis",
        source=f"{_INTEROP} §3.2, OHDSI ATLAS export (concept 80182)",
    ),
    "ADM": Code(
        system=SNOMED,
        code="238935002",
        display="Dermatomyositis sine myositis",
        source=f"{_INTEROP} §3.2, OHDSI ATLAS export (concept 4081250); the fit to "
        "'amyopathic' awaits clinician sign-off",
    ),
}

# Features coded as Conditions. Only ILD is VERIFIED (interop.md §3.2, project spec §9.1);
# calcinosis, skin ulceration, arthritis, lipodystrophy, dysphagia: UNVERIFIED -> local.
FEATURES: Final[dict[str, Code]] = {
    "ILD": Code(
        system=SNOMED,
        code="233703007",
        display="Interstitial lung disease",
        source=f"{_INTEROP} §3.2 (project spec §9.1)",
    ),
}

# Qualitative values (antibodies, screening tests). interop.md §3.2/§3.3: VERIFIED;
# "indeterminate" UNVERIFIED -> local only.
QUALITATIVE: Final[dict[str, Code]] = {
    "positive": Code(
        system=SNOMED,
        code="10828004",
        display="Positive",
        source=f"{_INTEROP} §3.3 (FHIR Questionnaire answerOptions in two files; OMOP 9191)",
    ),
    "negative": Code(
        system=SNOMED,
        code="260385009",
        display="Negative",
        source=f"{_INTEROP} §3.3 (FHIR Questionnaire answerOptions in two files; OMOP 9189)",
    ),
}

# Vital signs (interop.md §3.2, FHIR core body weight/height profiles; VERIFIED).
VITAL_SIGNS: Final[dict[str, Code]] = {
    "weight_kg": Code(
        system=LOINC,
        code="29463-7",
        display="Body weight",
        source=f"{_INTEROP} §3.2 (FHIR core bodyweight)",
    ),
    "height_cm": Code(
        system=LOINC,
        code="8302-2",
        display="Body height",
        source=f"{_INTEROP} §3.2 (FHIR core bodyheight)",
    ),
}


@dataclass(frozen=True, slots=True)
class LabCode:
    """The LOINC code of an analyte in the units it covers (mass and molar concentrations
    are different LOINC codes: the code is picked by the unit stored)."""

    analyte: str
    units: tuple[str, ...]
    code: Code


def _loinc(code: str, display: str, note: str = "") -> Code:
    where = f"{_INTEROP} §3.3" + (f" ({note})" if note else "")
    return Code(system=LOINC, code=code, display=display, source=where)


_ENZYME_UNITS: Final = tuple(UNITS["CK"][1])  # U/L and every µkat/L spelling
_COUNT_UNITS: Final = tuple(UNITS["lymphocytes"][1])

# interop.md §3.3, rows marked VERIFIED; method-free codes (the registry does not know the
# analyser's method). Enzymes: one code covers U/L and µkat/L (catalytic activity/volume).
LAB_CODES: Final[tuple[LabCode, ...]] = (
    LabCode(
        analyte="CK",
        units=_ENZYME_UNITS,
        code=_loinc("2157-6", "Creatine kinase [Enzymatic activity/volume] in Serum or Plasma"),
    ),
    LabCode(
        analyte="LDH",
        units=_ENZYME_UNITS,
        code=_loinc(
            "2532-0", "Lactate dehydrogenase [Enzymatic activity/volume] in Serum or Plasma"
        ),
    ),
    LabCode(
        analyte="AST",
        units=_ENZYME_UNITS,
        code=_loinc(
            "1920-8",
            "Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma",
        ),
    ),
    LabCode(
        analyte="ALT",
        units=_ENZYME_UNITS,
        code=_loinc(
            "1742-6", "Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma"
        ),
    ),
    LabCode(
        analyte="aldolase",
        units=_ENZYME_UNITS,
        code=_loinc(
            "1761-6",
            "Aldolase [Enzymatic activity/volume] in Serum or Plasma",
            "1763-2 is aldosterone",
        ),
    ),
    LabCode(
        analyte="lymphocytes",
        units=_COUNT_UNITS,
        code=_loinc("26474-7", "Lymphocytes [#/volume] in Blood", "method-free"),
    ),
    LabCode(
        analyte="neutrophils",
        units=_COUNT_UNITS,
        code=_loinc("26499-4", "Neutrophils [#/volume] in Blood", "method-free"),
    ),
    LabCode(
        analyte="platelets",
        units=_COUNT_UNITS,
        code=_loinc("26515-7", "Platelets [#/volume] in Blood", "method-free"),
    ),
    LabCode(
        analyte="hemoglobin",
        units=("g/dL", "g/L"),
        code=_loinc("718-7", "Hemoglobin [Mass/volume] in Blood"),
    ),
    LabCode(
        analyte="CRP",
        units=("mg/L",),
        code=_loinc("1988-5", "C reactive protein [Mass/volume] in Serum or Plasma"),
    ),
    LabCode(
        analyte="ESR",
        units=("mm/h",),
        code=_loinc("30341-2", "Erythrocyte sedimentation rate", "method-free"),
    ),
    LabCode(
        analyte="ferritin",
        units=("ug/L", "µg/L", "ng/mL"),
        code=_loinc("2276-4", "Ferritin [Mass/volume] in Serum or Plasma"),
    ),
    LabCode(
        analyte="total_cholesterol",
        units=("mmol/L",),
        code=_loinc("14647-2", "Cholesterol [Moles/volume] in Serum or Plasma"),
    ),
    LabCode(
        analyte="total_cholesterol",
        units=("mg/dL",),
        code=_loinc("2093-3", "Cholesterol [Mass/volume] in Serum or Plasma"),
    ),
    # LDL in mmol/L (22748-8) is SECONDARY in interop.md: local code only.
    LabCode(
        analyte="LDL",
        units=("mg/dL",),
        code=_loinc("2089-1", "Cholesterol in LDL [Mass/volume] in Serum or Plasma"),
    ),
    LabCode(
        analyte="triglycerides",
        units=("mmol/L",),
        code=_loinc("14927-8", "Triglyceride [Moles/volume] in Serum or Plasma"),
    ),
    LabCode(
        analyte="triglycerides",
        units=("mg/dL",),
        code=_loinc("2571-8", "Triglyceride [Mass/volume] in Serum or Plasma"),
    ),
)
LAB_LOINC: Final[dict[tuple[str, str], Code]] = {
    (row.analyte, unit): row.code for row in LAB_CODES for unit in row.units
}


def _ucum(code: str, source: str = f"{_INTEROP} §3.3 (ucumvert 0.3.2)") -> Code:
    return Code(system=UCUM, code=code, display=code, source=source)


# The UCUM code of every unit spelling the registry stores (domain/units.py) and of the
# dose and body units. µkat/L spellings are one UCUM unit; 10^9/L is written 10*9/L.
UCUM_UNITS: Final[dict[str, Code]] = {
    "U/L": _ucum("U/L"),
    **{spelling: _ucum("ukat/L") for spelling in _ENZYME_UNITS if spelling != "U/L"},
    "10^9/L": _ucum("10*9/L"),
    "g/dL": _ucum("g/dL"),
    "g/L": _ucum("g/L"),
    "mmol/L": _ucum("mmol/L"),
    "mg/dL": _ucum("mg/dL"),
    "mg/L": _ucum("mg/L"),
    "mm/h": _ucum("mm/h"),
    "ug/L": _ucum("ug/L"),
    "µg/L": _ucum("ug/L"),
    "ng/mL": _ucum("ng/mL", _UCUM_RUN),
    "U/mL": _ucum("U/mL"),
    "score": _ucum("{score}"),
    "umol/L": _ucum("umol/L", _UCUM_RUN),
    "µmol/L": _ucum("umol/L", _UCUM_RUN),
    "μmol/L": _ucum("umol/L", _UCUM_RUN),
    **{
        spelling: _ucum("mL/min/{1.73_m2}", _UCUM_RUN)
        for spelling in UNITS["eGFR"][1]  # body-surface-normalised clearance
    },
    "kg": _ucum("kg"),
    "cm": _ucum("cm"),
    "mg": _ucum("mg"),
    "mg/kg": _ucum("mg/kg"),
    "mg/m2": _ucum("mg/m2"),
    "g/kg": _ucum("g/kg", _UCUM_RUN),
    # Cohort format version 2: dose units (domain.treatment_detail.DOSE_UNIT_TABLE, a dose
    # per day or per week in UCUM's `/d` and `/wk`) and the units of the
    # investigations' columns. Each parsed here with ucumvert 0.3.2 (re-checked by the tests).
    "g": _ucum("g", _UCUM_RUN),
    "ug": _ucum("ug", _UCUM_RUN),
    "mL": _ucum("mL", _UCUM_RUN),
    "IU": _ucum("[iU]", _UCUM_RUN),
    "application": _ucum("{application}", _UCUM_RUN),
    "puff": _ucum("{puff}", _UCUM_RUN),
    "mg/day": _ucum("mg/d", _UCUM_RUN),
    "mg/kg/day": _ucum("mg/kg/d", _UCUM_RUN),
    "mg/m2/day": _ucum("mg/m2/d", _UCUM_RUN),
    "mg/week": _ucum("mg/wk", _UCUM_RUN),
    "mg/kg/week": _ucum("mg/kg/wk", _UCUM_RUN),
    "mg/m2/week": _ucum("mg/m2/wk", _UCUM_RUN),
    "%": _ucum("%", _UCUM_RUN),
    "% predicted": _ucum("%", _UCUM_RUN),
    "L/min": _ucum("L/min", _UCUM_RUN),
    "loops/mm": _ucum("/mm", _UCUM_RUN),
    "months": _ucum("mo", _UCUM_RUN),
}

# Ingredients (MedicationStatement.medicationCodeableConcept). interop.md §3.5: the RxNorm
# codes re-checked against the OHDSI ATLAS export (VERIFIED or confirmed). Ruxolitinib and
# baricitinib are still SECONDARY there, prednisolone is not in the table: local only.
_ATLAS = f"{_INTEROP} §3.5 (OHDSI ATLAS export 1787425.json)"
RXNORM_DRUGS: Final[dict[str, Code]] = {
    name: Code(system=RXNORM, code=code, display=display, source=_ATLAS)
    for name, code, display in (
        ("tofacitinib", "1357536", "tofacitinib"),
        ("methotrexate", "6851", "methotrexate"),
        ("azathioprine", "1256", "azathioprine"),
        ("mycophenolate", "68149", "mycophenolate mofetil"),
        ("prednisone", "8640", "prednisone"),
        ("methylprednisolone", "6902", "methylprednisolone"),
        ("ivig", "5666", "immunoglobulin G"),
        ("tacrolimus", "42316", "tacrolimus"),
        ("ciclosporin", "3008", "cyclosporine"),
        ("cyclophosphamide", "3002", "cyclophosphamide"),
        ("rituximab", "121191", "rituximab"),
    )
}

# Routes (Dosage.route). interop.md §3.5: VERIFIED (>= 3 public files each).
_ROUTE_SOURCE = f"{_INTEROP} §3.5"
ROUTES: Final[dict[str, Code]] = {
    "oral": Code(system=SNOMED, code="26643006", display="Oral route", source=_ROUTE_SOURCE),
    "iv": Code(system=SNOMED, code="47625008", display="Intravenous route", source=_ROUTE_SOURCE),
    "sc": Code(system=SNOMED, code="34206005", display="Subcutaneous route", source=_ROUTE_SOURCE),
    "topical": Code(system=SNOMED, code="6064005", display="Topical route", source=_ROUTE_SOURCE),
}

# Timing codes (Dosage.timing.code). interop.md §3.5: QD/BID/TID VERIFIED; the other
# frequencies have only the local code and `timing.repeat`.
_GTS_SOURCE = f"{_INTEROP} §3.5 (several public FHIR examples)"
TIMING_CODES: Final[dict[str, Code]] = {
    freq: Code(system=TIMING_ABBREVIATION, code=freq, display=display, source=_GTS_SOURCE)
    for freq, display in (("QD", "QD"), ("BID", "BID"), ("TID", "TID"))
}

# Codes of the FHIR specification itself (categories and the encounter class).
CATEGORIES: Final[dict[str, Code]] = {
    name: Code(
        system=OBSERVATION_CATEGORY,
        code=name,
        display=display,
        source=f"{_FHIR_CORE}, observation-category value set",
    )
    for name, display in (
        ("laboratory", "Laboratory"),
        ("vital-signs", "Vital Signs"),
        ("exam", "Exam"),
        ("imaging", "Imaging"),
        ("procedure", "Procedure"),
        ("social-history", "Social History"),
        ("therapy", "Therapy"),
    )
}

# JDM subtype (cohort format version 2 `subtype`). interop.md §3.2: "JDM subtypes (optional)"
# VERIFIED (OHDSI ATLAS export); only hypomyopathic matches a myotrack subtype exactly
# (the overlap code names "JDM overlap syndrome", myotrack's `overlap` is any overlap).
SUBTYPES: Final[dict[str, Code]] = {
    "hypomyopathic": Code(
        system=SNOMED,
        code="1144977002",
        display="Hypomyopathic juvenile dermatomyositis",
        source=f"{_INTEROP} §3.2, OHDSI ATLAS export",
    ),
}

# Condition.clinicalStatus and verificationStatus (required bindings of FHIR R4 Condition):
# an organ involvement's resolution and certainty.
CONDITION_CLINICAL: Final = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION: Final = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CLINICAL_STATUS: Final[dict[str, Code]] = {
    name: Code(CONDITION_CLINICAL, name, name.capitalize(), f"{_FHIR_CORE}, condition-clinical")
    for name in ("active", "resolved")
}
# myotrack certainty -> FHIR verification status (one to one, so the import inverts it).
VERIFICATION_STATUS: Final[dict[str, Code]] = {
    certainty: Code(
        CONDITION_VERIFICATION, code, code.capitalize(), f"{_FHIR_CORE}, condition-ver-status"
    )
    for certainty, code in (
        ("confirmed", "confirmed"),
        ("probable", "provisional"),
        ("suspected", "unconfirmed"),
        ("excluded", "refuted"),
    )
}
AMBULATORY: Final = Code(
    system=ACT_CODE,
    code="AMB",
    display="ambulatory",
    source=f"{_FHIR_CORE}, Encounter.class (v3 ActEncounterCode)",
)

STANDARD: Final[tuple[Code, ...]] = (
    *DIAGNOSIS.values(),
    *FEATURES.values(),
    *QUALITATIVE.values(),
    *VITAL_SIGNS.values(),
    *(row.code for row in LAB_CODES),
    *UCUM_UNITS.values(),
    *RXNORM_DRUGS.values(),
    *ROUTES.values(),
    *TIMING_CODES.values(),
    *CATEGORIES.values(),
    *SUBTYPES.values(),
    *CLINICAL_STATUS.values(),
    *VERIFICATION_STATUS.values(),
    AMBULATORY,
)
STANDARD_KEYS: Final = frozenset((c.system, c.code) for c in STANDARD)


# ---------------------------------------------------------------- myotrack CodeSystems


@dataclass(frozen=True, slots=True)
class LocalCodeSystem:
    """A myotrack CodeSystem: its name (the last part of its URL), what it holds and its
    codes with their displays (the clinic's words, `domain.labels`)."""

    name: str
    title: str
    codes: tuple[str, ...]
    label_kind: labels.Kind | None
    record_vocabulary: str | None = None  # a `domain.record_vocab` label table

    @property
    def url(self) -> str:
        return code_system_url(self.name)

    def display(self, code: str) -> str:
        if self.record_vocabulary is not None:
            return record_vocab.record_label(self.record_vocabulary, code)
        return labels.label(self.label_kind, code) if self.label_kind else code


# Observation codes of the patient-level fields that have no standard code.
PATIENT_FIELDS: Final = (
    "bohan_peter",
    "refractory",
    "antibody_none",
    "features_none",
    "visit_scores",
)
_PATIENT_FIELD_WORDS: Final = {
    "bohan_peter": "Bohan and Peter classification",
    "refractory": "refractory to treatment",
    "antibody_none": "myositis antibodies: none found",
    "features_none": "none of the recorded JDM features",
    "visit_scores": "the scores and findings of a visit (one component each)",
}

_DRUGS: Final = tuple(dict.fromkeys((*vocab.KNOWN_DRUGS, *vocab.JAK_INHIBITORS)))
RECORD_KIND_NAMES: Final = tuple(k.name for k in RECORD_KINDS)
RECORD_FIELD_CODES: Final = tuple(
    dict.fromkeys(f"{k.name}.{c.name}" for k in RECORD_KINDS for c in k.columns)
)
_VACCINE_LABELS: Final[dict[str, str]] = {v.code: v.label for v in VACCINE_TABLE}
_RECORD_WORDS: Final = {
    **{k.name: k.label for k in RECORD_KINDS},
    **{
        f"{k.name}.{c.name}": f"{k.label}: {c.name.replace('_', ' ')}"
        for k in RECORD_KINDS
        for c in k.columns
    },
}

LOCAL_SYSTEMS: Final[dict[str, LocalCodeSystem]] = {
    s.name: s
    for s in (
        LocalCodeSystem("diagnosis", "Diagnosis", vocab.DIAGNOSES, "diagnosis"),
        LocalCodeSystem("features", "JDM features", vocab.FEATURES, "feature"),
        LocalCodeSystem("antibodies", "Myositis antibodies", vocab.ANTIBODIES, "antibody"),
        LocalCodeSystem("bohan-peter", "Bohan and Peter", vocab.BOHAN_PETER, "bohan_peter"),
        LocalCodeSystem("refractory", "Refractory", vocab.REFRACTORY, "refractory"),
        LocalCodeSystem("patient-fields", "Registry observations", PATIENT_FIELDS, None),
        LocalCodeSystem(
            "visit-measures",
            "Visit measures and scores",
            (*vocab.VISIT_MEASURES, *vocab.VISIT_FLAGS),
            "measure",
        ),
        LocalCodeSystem("analytes", "Laboratory analytes", vocab.ANALYTES, "analyte"),
        LocalCodeSystem(
            "qualitative-results", "Qualitative results", vocab.QUALITATIVE_RESULTS, "result"
        ),
        LocalCodeSystem("drugs", "Drugs", _DRUGS, "drug"),
        LocalCodeSystem(
            "frequencies",
            "Dosing frequencies",
            tuple(f.code for f in FREQUENCY_TABLE),
            "frequency",
        ),
        LocalCodeSystem(
            "stop-reasons", "Reasons a course stopped", vocab.STOP_REASONS, "stop_reason"
        ),
        LocalCodeSystem(
            "events",
            "Clinical events",
            (*vocab.EVENTS, *record_vocab.codes(record_vocab.RecordEvent)),
            "event",
        ),
        # Cohort format version 2 (issue 11): the routes without a VERIFIED SNOMED code, the
        # vaccines, the record kinds (an investigation's Procedure/Observation/
        # DiagnosticReport code) and their columns (`<kind>.<column>`: the code of an
        # Observation component or of a `record-field` extension), and every vocabulary of
        # `domain.record_vocab` under its own name (`hrct-pattern`, `organ`, ...).
        LocalCodeSystem("routes", "Routes", tuple(r.code for r in ROUTE_TABLE), "route"),
        LocalCodeSystem("vaccines", "Vaccines", tuple(v.code for v in VACCINE_TABLE), None),
        LocalCodeSystem(
            "record-kinds", "Records of the whole JDM record", tuple(RECORD_KIND_NAMES), None
        ),
        LocalCodeSystem("record-fields", "Fields of those records", RECORD_FIELD_CODES, None),
        *(
            LocalCodeSystem(
                name.replace("_", "-"), name.replace("_", " "), values, None, record_vocabulary=name
            )
            for name, values in record_vocab.RECORD_VOCABULARIES.items()
        ),
    )
}


def local_display(system: str, code: str) -> str:
    if system == "patient-fields":
        return _PATIENT_FIELD_WORDS[code]
    if system == "vaccines":
        return _VACCINE_LABELS[code]
    if system in ("record-kinds", "record-fields"):
        return _RECORD_WORDS[code]
    if system == "events" and code not in vocab.EVENTS:
        return record_vocab.record_label("record_event", code)
    return LOCAL_SYSTEMS[system].display(code)


@cache
def local_coding(system: str, code: str) -> dict[str, str]:
    """The coding of `code` in the myotrack CodeSystem `system` (KeyError if not one);
    one shared dict per code: never change it."""
    cs = LOCAL_SYSTEMS[system]
    if code not in cs.codes:
        raise KeyError(f"{code!r} is not a code of {cs.url}")
    return {"system": cs.url, "code": code, "display": local_display(system, code)}


@cache
def coding(code: Code) -> dict[str, str]:
    """The Coding of a standard code; one shared dict per code: never change it."""
    return {"system": code.system, "code": code.code, "display": code.display}


LOCAL_KEYS: Final = frozenset((cs.url, code) for cs in LOCAL_SYSTEMS.values() for code in cs.codes)
# Myotrack Questionnaire item codes are not codings; every emitted coding is in one of:
KNOWN_KEYS: Final = STANDARD_KEYS | LOCAL_KEYS

# Reverse index for the import: a standard (system, code) -> (local system, local code).
_REVERSE: dict[tuple[str, str], tuple[str, str]] = {}
for _name, _code in DIAGNOSIS.items():
    _REVERSE[(_code.system, _code.code)] = ("diagnosis", _name)
for _name, _code in FEATURES.items():
    _REVERSE[(_code.system, _code.code)] = ("features", _name)
for _name, _code in QUALITATIVE.items():
    _REVERSE[(_code.system, _code.code)] = ("qualitative-results", _name)
for _name, _code in VITAL_SIGNS.items():
    _REVERSE[(_code.system, _code.code)] = ("visit-measures", _name)
for _row in LAB_CODES:
    _REVERSE[(_row.code.system, _row.code.code)] = ("analytes", _row.analyte)
for _name, _code in RXNORM_DRUGS.items():
    _REVERSE[(_code.system, _code.code)] = ("drugs", _name)
for _name, _code in ROUTES.items():
    _REVERSE[(_code.system, _code.code)] = ("routes", _name)
for _name, _code in TIMING_CODES.items():
    _REVERSE[(_code.system, _code.code)] = ("frequencies", _name)
for _name, _code in SUBTYPES.items():
    _REVERSE[(_code.system, _code.code)] = ("disease-subtype", _name)
REVERSE: Final = _REVERSE
_BY_URL: Final = {cs.url: cs.name for cs in LOCAL_SYSTEMS.values()}


def meaning(system: object, code: object) -> tuple[str, str] | None:
    """What a coding means in myotrack's terms: (local system name, code), from a myotrack
    coding or from a standard code of the table; None when unknown."""
    if not isinstance(system, str) or not isinstance(code, str):
        return None
    name = _BY_URL.get(system)
    if name is not None:
        return (name, code) if code in LOCAL_SYSTEMS[name].codes else None
    return REVERSE.get((system, code))


def ucum_unit(unit: str) -> Code | None:
    """The UCUM code of a unit spelling myotrack stores, or None."""
    return UCUM_UNITS.get(unit)


__all__ = [
    "AMBULATORY",
    "ASSESSMENT_TOTAL",
    "BASE",
    "CATEGORIES",
    "CLINICAL_STATUS",
    "COHORT_CUTOFF",
    "CTCAE_GRADE",
    "DIAGNOSIS",
    "EXTRA_COLUMN",
    "FEATURES",
    "KNOWN_KEYS",
    "LAB_CODES",
    "LAB_LOINC",
    "LOCAL_SYSTEMS",
    "PATIENT_ID_SYSTEM",
    "QUALITATIVE",
    "QUESTIONNAIRE_BASE",
    "RECORD_FIELD",
    "RECORD_FIELD_CODES",
    "RECORD_KIND_NAMES",
    "ROUTES",
    "RXNORM_DRUGS",
    "STANDARD",
    "SUBTYPES",
    "TIMING_CODES",
    "UCUM_UNITS",
    "VERIFICATION_STATUS",
    "VITAL_SIGNS",
    "Code",
    "LabCode",
    "LocalCodeSystem",
    "coding",
    "local_coding",
    "meaning",
    "ucum_unit",
]
