"""Human labels of every coded value: what the clinic reads instead of the code.

One table for pages, report, audit and messages: `label("refractory", "gc_dependent")`
gives "glucocorticoid-dependent". Every value of every vocabulary in `domain/vocab.py`
(and every unit spelling of `domain/units.py`) has a label here (tested); a code that is
not in the table (a free "other drug" name, an `x_` value) is shown as written.

    >>> label("frequency", "every_2_weeks")
    'every 2 weeks'
    >>> label("frequency", "BID")
    'twice daily'
"""

from __future__ import annotations

from typing import Final, Literal, get_args

from myotrack.domain import drugs, units, vocab
from myotrack.domain.treatment_detail import DOSE_UNIT_TABLE, FREQUENCY_TABLE, ROUTE_TABLE

Kind = Literal[
    "sex",
    "diagnosis",
    "bohan_peter",
    "antibody",
    "refractory",
    "feature",
    "yes_no",
    "analyte",
    "result",
    "drug",
    "dose_unit",
    "frequency",
    "route",
    "stop_reason",
    "event",
    "measure",
    "flag",
    "unit",
    "field",
]
KINDS: Final[tuple[Kind, ...]] = get_args(Kind)

_ANTIBODIES: Final = {
    "TIF1G": "anti-TIF1-γ",
    "NXP2": "anti-NXP2",
    "MDA5": "anti-MDA5",
    "MI2": "anti-Mi-2",
    "SAE": "anti-SAE",
    "SRP": "anti-SRP",
    "HMGCR": "anti-HMGCR",
    "JO1": "anti-Jo-1",
    "PL7": "anti-PL-7",
    "PL12": "anti-PL-12",
    "EJ": "anti-EJ",
    "OJ": "anti-OJ",
    "PMSCL": "anti-PM/Scl",
    "RO52": "anti-Ro52",
    "RO60": "anti-Ro60",
    "LA": "anti-La",
    "U1RNP": "anti-U1-RNP",
    "KU": "anti-Ku",
    "ANA": "antinuclear antibodies (ANA)",
    "none": "none found",
}

_ANALYTES: Final = {
    "CK": "creatine kinase (CK)",
    "LDH": "lactate dehydrogenase (LDH)",
    "AST": "aspartate aminotransferase (AST)",
    "ALT": "alanine aminotransferase (ALT)",
    "aldolase": "aldolase",
    "IFN_score": "interferon score",
    "lymphocytes": "lymphocyte count",
    "neutrophils": "neutrophil count",
    "hemoglobin": "haemoglobin",
    "platelets": "platelet count",
    "CRP": "C-reactive protein (CRP)",
    "ESR": "erythrocyte sedimentation rate (ESR)",
    "ferritin": "ferritin",
    "KL6": "KL-6",
    "total_cholesterol": "total cholesterol",
    "LDL": "LDL cholesterol",
    "triglycerides": "triglycerides",
    "creatinine": "creatinine",
    "eGFR": "estimated glomerular filtration rate (eGFR)",
    "TB_IGRA": "tuberculosis interferon-γ release assay (IGRA)",
    "TB_skin_test": "tuberculin skin test",
    "HBsAg": "hepatitis B surface antigen (HBsAg)",
    "anti_HBc": "hepatitis B core antibody (anti-HBc)",
    "HCV_Ab": "hepatitis C antibody",
    "VZV_IgG": "varicella-zoster virus IgG",
    "EBV_PCR": "Epstein-Barr virus PCR",
    "CMV_PCR": "cytomegalovirus PCR",
}

_DRUGS: Final = {
    "tofacitinib": "tofacitinib",
    "ruxolitinib": "ruxolitinib",
    "baricitinib": "baricitinib",
    "upadacitinib": "upadacitinib",
    "filgotinib": "filgotinib",
    "prednisolone": "prednisolone",
    "prednisone": "prednisone",
    "methylprednisolone": "methylprednisolone",
    "methotrexate": "methotrexate",
    "hydroxychloroquine": "hydroxychloroquine",
    "mycophenolate": "mycophenolate",
    "azathioprine": "azathioprine",
    "ciclosporin": "ciclosporin",
    "tacrolimus": "tacrolimus",
    "cyclophosphamide": "cyclophosphamide",
    "rituximab": "rituximab",
    "ivig": "intravenous immunoglobulin (IVIG)",
    "adalimumab": "adalimumab",
    "infliximab": "infliximab",
    "cotrimoxazole": "co-trimoxazole (sulfamethoxazole/trimethoprim)",
    "dexamethasone": "dexamethasone",
    "hydrocortisone": "hydrocortisone",
}

_UNITS: Final = {
    "U/L": "U/L",
    "ukat/L": "µkat/L",
    "µkat/L": "µkat/L",
    "μkat/L": "µkat/L",
    "umol/(s*L)": "µkat/L",
    "µmol/(s*L)": "µkat/L",
    "μmol/(s*L)": "µkat/L",
    "10^9/L": "×10⁹/L",
    "g/dL": "g/dL",
    "g/L": "g/L",
    "mmol/L": "mmol/L",
    "mg/dL": "mg/dL",
    "mg/L": "mg/L",
    "mm/h": "mm/h",
    "ug/L": "µg/L",
    "µg/L": "µg/L",
    "ng/mL": "ng/mL",
    "U/mL": "U/mL",
    "score": "score",
    "umol/L": "µmol/L",
    "µmol/L": "µmol/L",
    "μmol/L": "µmol/L",
    "mL/min/1.73m2": "mL/min/1.73 m²",
    "mL/min/1.73m²": "mL/min/1.73 m²",
    "mL/min/1.73 m2": "mL/min/1.73 m²",
    "mL/min/1.73 m²": "mL/min/1.73 m²",
    # dose units
    "mg": "mg",
    "mg/kg": "mg/kg",
    "g/kg": "g/kg",
    "mg/m2": "mg/m²",
    # visit measure units
    "kg": "kg",
    "cm": "cm",
}

# Column names of the cohort format and the API, as a clinician calls them.
_FIELDS: Final = {
    "patient_id": "patient ID",
    "sex": "sex",
    "birth_date": "date of birth",
    "onset_date": "date of first symptom",
    "diagnosis_date": "date of diagnosis",
    "diagnosis": "diagnosis",
    "bohan_peter": "Bohan & Peter classification",
    "antibodies": "myositis antibodies",
    "refractory": "refractory disease",
    "features": "disease features",
    "site": "centre",
    "date": "date",
    "rash": "active rash",
    "weakness": "muscle weakness",
    "analyte": "test",
    "value": "value",
    "result": "result",
    "unit": "unit",
    "ref_high": "upper reference limit",
    "ref_low": "lower reference limit",
    "drug": "drug",
    "dose": "dose",
    "dose_unit": "dose unit",
    "frequency": "frequency",
    "route": "route",
    "start_date": "start date",
    "end_date": "end date",
    "stop_reason": "reason for stopping",
    "event": "event",
    "detail": "detail",
    "grade": "CTCAE grade",
    "confirm_implausible": "confirmation of an unusual value",  # web forms and API only
    **{m.name: m.label for m in vocab.VISIT_MEASURE_TABLE},
    # Version 2 columns (cohort format version 2: investigations, involvement, background,
    # treatment detail): abbreviations in capitals, units in brackets.
    "fvc_percent_predicted": "FVC (% predicted)",
    "fev1_percent_predicted": "FEV1 (% predicted)",
    "dlco_percent_predicted": "DLCO (% predicted)",
    "dlco_corrected_for_haemoglobin": "DLCO corrected for haemoglobin",
    "tlc_percent_predicted": "TLC (% predicted)",
    "flow_l_per_min": "oxygen flow (L/min)",
    "fio2_percent": "FiO2 (%)",
    "spo2_percent": "SpO2 (%)",
    "spo2_on_room_air": "SpO2 measured on room air",
    "mhc_class_i_overexpression": "MHC class I overexpression",
    "lv_ejection_fraction_percent": "LV ejection fraction (%)",
    "duration_months": "duration",
    "first_specialist_contact": "first contact with the specialist centre",
    "family_history_none": "no autoimmune disease in the family",
    "antibody": "antibody",
    "method": "method",
    "relative": "relative",
    "condition": "condition",
    "organ": "organ",
    "severity": "severity",
    "sites": "sites",
    "lobes": "lobes",
    "lymphocytes_percent": "lymphocytes (%)",
    "neutrophils_percent": "neutrophils (%)",
    "regions": "regions",
    "muscle_oedema": "muscle oedema",
    "oedema_extent": "oedema extent",
    "fascial_oedema": "fascial oedema",
    "subcutaneous_oedema": "subcutaneous oedema",
    "fatty_replacement": "fatty replacement",
    "atrophy": "atrophy",
    "consistent_with_myositis": "consistent with myositis",
    "increased_echogenicity": "increased echogenicity",
    "oedema_pattern": "oedema pattern",
    "doppler_hyperaemia": "Doppler hyperaemia",
    "consistent_with_jdm": "consistent with JDM",
    "perifascicular_atrophy": "perifascicular atrophy",
    "findings": "findings",
    "kind": "kind",
    "feeding": "feeding",
    "dose_number": "dose number",
    "decision": "decision",
    "formulation": "formulation",
    "strength_unit": "strength unit",
}

LABELS: Final[dict[Kind, dict[str, str]]] = {
    "sex": {"F": "female", "M": "male"},
    "diagnosis": {
        "JDM": "juvenile dermatomyositis",
        "DM": "dermatomyositis",
        "ADM": "amyopathic/hypomyopathic dermatomyositis",
        "other": "other diagnosis",
    },
    "bohan_peter": {"definite": "definite", "probable": "probable", "possible": "possible"},
    "antibody": _ANTIBODIES,
    "refractory": {
        "ineffective": "ineffective standard therapy",
        "gc_dependent": "glucocorticoid-dependent",
        "no": "not refractory",
    },
    "feature": {
        "ILD": "interstitial lung disease",
        "calcinosis": "calcinosis",
        "skin_ulceration": "skin ulceration",
        "arthritis": "arthritis",
        "lipodystrophy": "lipodystrophy",
        "dysphagia": "dysphagia",
        "none": "none",
    },
    "yes_no": {"yes": "yes", "no": "no"},
    "analyte": _ANALYTES,
    "result": {"positive": "positive", "negative": "negative", "indeterminate": "indeterminate"},
    "drug": _DRUGS,
    # Treatment codes: their words are columns of the domain's treatment tables.
    "dose_unit": {u.code: u.label for u in DOSE_UNIT_TABLE},
    "frequency": {f.code: f.label for f in FREQUENCY_TABLE},
    "route": {r.code: r.label for r in ROUTE_TABLE},
    "stop_reason": {
        "taper": "tapered off",
        "ineffective": "ineffective",
        "adverse_event": "adverse event",
        "remission": "remission",
        "other": "other reason",
    },
    "event": {
        "rash_improving": "rash improving",
        "rash_marked": "rash markedly improved",
        "rash_resolved": "rash resolved",
        "relapse": "relapse",
        "gc_stopped": "glucocorticoids stopped",
        "infection": "infection",
        "thromboembolism": "thromboembolism",
        "adverse_event": "adverse event",
        "death": "death",
        "lost_to_follow_up": "lost to follow-up",
    },
    "measure": {m.name: m.label for m in vocab.VISIT_MEASURE_TABLE},
    "flag": {"rash": "active rash", "weakness": "muscle weakness"},
    "unit": _UNITS,
    "field": _FIELDS,
}

# Which vocabulary each kind labels (the test checks every value has a label).
VOCABULARIES: Final[dict[Kind, tuple[str, ...]]] = {
    "sex": vocab.SEXES,
    "diagnosis": vocab.DIAGNOSES,
    "bohan_peter": vocab.BOHAN_PETER,
    "antibody": vocab.ANTIBODIES,
    "refractory": vocab.REFRACTORY,
    "feature": vocab.FEATURES,
    "yes_no": vocab.YES_NO,
    "analyte": vocab.ANALYTES,
    "result": vocab.QUALITATIVE_RESULTS,
    "drug": drugs.CATALOGUED_DRUGS,
    "dose_unit": vocab.DOSE_UNITS,
    "frequency": vocab.FREQUENCIES,
    "route": vocab.ROUTES,
    "stop_reason": vocab.STOP_REASONS,
    "event": vocab.EVENTS,
    "measure": tuple(vocab.MEASURES),
    "flag": vocab.VISIT_FLAGS,
    "unit": tuple(
        dict.fromkeys(
            [u for analyte in vocab.QUANTITATIVE_ANALYTES for u in units.accepted_units(analyte)]
            + list(vocab.DOSE_UNITS)
            + [m.unit for m in vocab.VISIT_MEASURE_TABLE if m.unit]
        )
    ),
    "field": tuple(_FIELDS),
}


OTHER_DRUG: Final = "other drug"  # a name not in the drug catalogue (domain.drugs)


def label(kind: Kind, code: str) -> str:
    """The clinic's words for a coded value; a code without a label is shown as written,
    and a drug that is not in the catalogue is marked: 'mometasone furoate (other drug)'."""
    shown = LABELS[kind].get(code)
    if shown is not None:
        return shown
    if kind == "drug":
        return f"{code} ({OTHER_DRUG})"
    return code


def labels_of(kind: Kind, codes: tuple[str, ...] | list[str]) -> str:
    """Several codes of one kind as one text: ('ILD', 'calcinosis') -> 'interstitial lung
    disease, calcinosis'."""
    return ", ".join(label(kind, c) for c in codes)
