"""Closed sets of the whole JDM record (cohort format version 2) and their clinic words.

`domain/vocab.py` holds the version 1 vocabularies and `domain/labels.py` their labels; the
new record kinds (investigations, organ involvement, background, treatment detail, events,
vaccinations, decisions) have their vocabularies here, each a `Literal` type (so mypy checks
every use) whose values are read with `codes(Kind)`, and one label table read by
`record_label(kind, code)`. A test checks that every value has a label. When the cohort
format version 2 field table is built (docs/dev/cohort-format-v2-design.md), it reads these
tuples; `domain.labels` can then take `RECORD_LABELS` into its own table with one line.

Sources of the codes are named beside each set; where a set is a design choice of myotrack
(no published code list was retrieved), it says so.
"""

from __future__ import annotations

from typing import Any, Final, Literal, get_args

# --- shared ------------------------------------------------------------------------------
Certainty = Literal["confirmed", "probable", "suspected", "excluded"]
Severity = Literal["mild", "moderate", "severe", "life_threatening"]
Grade4 = Literal["none", "mild", "moderate", "severe"]
Laterality = Literal["left", "right", "bilateral"]
TestResult = Literal["positive", "negative", "indeterminate"]
NormalAbnormal = Literal["normal", "abnormal", "not_interpretable"]

# Body sites of organ involvement (arthritis, calcinosis, ulceration, lipodystrophy) and of
# topical application. myotrack design (regions a clinician names in notes).
BodySite = Literal[
    "face",
    "eyelids",
    "scalp",
    "neck",
    "trunk",
    "shoulders",
    "elbows",
    "wrists",
    "hands_mcp",
    "hands_pip",
    "hands_dip",
    "fingers",
    "hips",
    "buttocks",
    "thighs",
    "knees",
    "ankles",
    "feet",
    "other",
]

# Organisms found (BAL, infection events). myotrack design; the v1 infection event keeps the
# organism as free text, version 2 codes the ones that drive decision support.
Organism = Literal[
    "pneumocystis_jirovecii",
    "cytomegalovirus",
    "epstein_barr_virus",
    "varicella_zoster_virus",
    "herpes_simplex_virus",
    "influenza_virus",
    "sars_cov_2",
    "respiratory_syncytial_virus",
    "mycobacterium_tuberculosis",
    "nontuberculous_mycobacterium",
    "aspergillus",
    "candida",
    "staphylococcus_aureus",
    "streptococcus_pneumoniae",
    "haemophilus_influenzae",
    "pseudomonas_aeruginosa",
    "other_bacterium",
    "other_virus",
    "other_fungus",
    "none_found",
]
DetectionMethod = Literal[
    "pcr", "microscopy", "immunofluorescence", "culture", "antigen", "serology", "not_stated"
]

# --- lung --------------------------------------------------------------------------------
# HRCT findings: Fleischner Society glossary terms (Hansell DM et al. Radiology 2008;246:697).
HrctFinding = Literal[
    "ground_glass_opacity",
    "consolidation",
    "reticulation",
    "traction_bronchiectasis",
    "honeycombing",
    "nodules",
    "pleural_change",
    "pneumomediastinum",
    "other",
]
# HRCT pattern of interstitial lung disease: ATS/ERS idiopathic interstitial pneumonia
# classification (Travis WD et al. Am J Respir Crit Care Med 2013;188:733).
HrctPattern = Literal[
    "normal",
    "nsip",
    "organising_pneumonia",
    "nsip_with_organising_pneumonia",
    "uip",
    "diffuse_alveolar_damage",
    "indeterminate",
    "not_classified",
]
HrctChange = Literal[
    "first_study",
    "resolved",
    "near_complete_resolution",
    "improved",
    "stable",
    "progressed",
    "mixed",
]
LungLobe = Literal[
    "right_upper", "right_middle", "right_lower", "left_upper", "lingula", "left_lower"
]
# Reference equations for lung function % predicted: GLI spirometry (Quanjer PH et al. Eur
# Respir J 2012;40:1324), GLI transfer factor (Stanojevic S et al. Eur Respir J
# 2017;50:1700010), GLI global race-neutral (Bowerman C et al. Am J Respir Crit Care Med
# 2023;207:768), Zapletal (Zapletal A et al. Prog Respir Res 1987;22, children).
ReferenceEquation = Literal[
    "gli_2012", "gli_2017_tlco", "gli_global_2022", "zapletal_1987", "other", "not_stated"
]
LungFunctionNotDone = Literal["too_young", "unable_to_cooperate", "too_unwell", "not_available"]
OxygenSupport = Literal[
    "none",
    "supplemental_not_stated",
    "low_flow",
    "high_flow_nasal",
    "cpap",
    "non_invasive_ventilation",
    "invasive_ventilation",
    "ecmo",
]
BalCytology = Literal[
    "normal", "lymphocytic", "neutrophilic", "eosinophilic", "mixed", "haemorrhagic"
]

# --- muscle ------------------------------------------------------------------------------
MuscleRegion = Literal[
    "whole_body",
    "pelvis",
    "thighs",
    "lower_legs",
    "lower_extremities",
    "shoulders",
    "upper_arms",
    "other",
]
OedemaExtent = Literal["none", "focal", "patchy", "diffuse"]
BiopsySite = Literal["quadriceps", "biceps", "deltoid", "other"]

# --- nailfold, heart, swallow --------------------------------------------------------------
CapillaroscopyMethod = Literal["videocapillaroscopy", "dermatoscope", "ophthalmoscope", "other"]
# Capillary changes described in JDM (Manfredi A et al. Reumatismo 2015 review; myotrack list).
CapillaroscopyFinding = Literal[
    "capillary_dropout",
    "avascular_areas",
    "dilated_loops",
    "giant_loops",
    "haemorrhages",
    "bushy_or_ramified_loops",
    "tortuous_loops",
    "other",
]
CardiacTestKind = Literal["echocardiogram", "ecg", "holter", "cardiac_mri"]
CardiacFinding = Literal[
    "lv_systolic_dysfunction",
    "lv_diastolic_dysfunction",
    "pericardial_effusion",
    "pulmonary_hypertension",
    "myocarditis",
    "conduction_defect",
    "arrhythmia",
    "repolarisation_change",
    "other",
]
SwallowMethod = Literal["clinical", "videofluoroscopy", "fees", "other"]
SwallowResult = Literal["normal", "dysphagia_without_aspiration", "penetration", "aspiration"]
Feeding = Literal["oral_normal", "oral_modified", "nasogastric", "gastrostomy", "parenteral"]

# --- organ involvement ---------------------------------------------------------------------
# The features of v1 (ILD, calcinosis, skin_ulceration, arthritis, lipodystrophy, dysphagia)
# and the major organ involvement of the JDM management recommendations (Bellutti Enders F
# et al. Ann Rheum Dis 2017;76:329: gastrointestinal vasculitis, myocarditis, CNS disease,
# skin ulceration, parenchymal lung disease, dysphagia); digital infarcts, a Pneumocystis
# risk factor (Sabbagh SE et al. Rheumatology 2021;60:829, OR 43.8).
Organ = Literal[
    "ILD",
    "calcinosis",
    "skin_ulceration",
    "lipodystrophy",
    "gi_vasculopathy",
    "cardiac",
    "arthritis",
    "dysphagia",
    "dysphonia",
    "cns",
    "macrophage_activation_syndrome",
    "digital_infarcts",
    "other",
]

# --- patient background ----------------------------------------------------------------------
# Ethnicity and race as IMACS Form 01A (core patient data) codes them: ethnicity Hispanic or
# Latino / not / unknown; race "check all that apply" (retrieved copy of IMACS Form 01A,
# docest.com/doc/288831). The coding of the McCann 2018 JDM dataset could not be retrieved.
Ethnicity = Literal["hispanic_or_latino", "not_hispanic_or_latino", "unknown"]
Race = Literal[
    "white",
    "black_or_african_american",
    "asian_or_pacific_islander",
    "native_american_or_alaskan_native",
    "other",
    "unknown",
]
Relative = Literal["mother", "father", "sibling", "grandparent", "aunt_or_uncle", "cousin", "other"]
FamilyCondition = Literal[
    "juvenile_idiopathic_arthritis",
    "rheumatoid_arthritis",
    "psoriasis",
    "psoriatic_arthritis",
    "sle",
    "myositis",
    "type1_diabetes",
    "autoimmune_thyroid_disease",
    "coeliac_disease",
    "inflammatory_bowel_disease",
    "vitiligo",
    "other_autoimmune",
]
# Clinical subtype: classic JDM; hypomyopathic and amyopathic as Sontheimer defines them
# (Sontheimer RD. Expert Opin Pharmacother 2004;5:1083, quoted by the second seed paper);
# juvenile polymyositis; overlap myositis.
DiseaseSubtype = Literal[
    "classic", "hypomyopathic", "amyopathic", "juvenile_polymyositis", "overlap", "other"
]
AnaPattern = Literal[
    "homogeneous", "speckled", "nucleolar", "centromere", "cytoplasmic", "mixed", "other"
]
AntibodyMethod = Literal[
    "line_immunoassay",
    "immunoprecipitation",
    "elisa",
    "indirect_immunofluorescence",
    "other",
    "not_stated",
]
AntibodyResult = Literal["positive", "negative", "borderline", "indeterminate"]

# --- treatment detail ----------------------------------------------------------------------
Indication = Literal["treatment", "empirical", "prophylaxis"]
Formulation = Literal[
    "tablet",
    "capsule",
    "oral_solution",
    "oral_suspension",
    "injection",
    "infusion",
    "ointment",
    "cream",
    "gel",
    "lotion",
    "inhaler",
    "nebuliser_solution",
    "patch",
    "other",
]
StrengthUnit = Literal["%", "mg/g", "mg/mL", "mg", "g", "µg"]
CourseStatus = Literal["ongoing", "stopped", "not_reported"]

# --- events and decisions ------------------------------------------------------------------
RecordEvent = Literal[
    "hospital_admission",
    "hospital_discharge",
    "icu_admission",
    "icu_discharge",
    "ild_diagnosed",
    "ild_progressed",
    "ulcer_healed",
    "calcinosis_new",
    "calcinosis_resolved",
    "remission",
    "drug_holiday_start",
    "drug_holiday_end",
]
DecisionKind = Literal["jak_start_planned", "jak_start_declined", "jak_stop_planned"]
DecisionStatus = Literal["open", "done", "cancelled"]

# --- vaccinations and pregnancy tests ---------------------------------------------------------
PregnancyTestMethod = Literal["urine", "serum"]

LabelTable = dict[str, str]


def codes(kind: Any) -> tuple[str, ...]:
    """The values of a Literal type, in declaration order."""
    return tuple(str(v) for v in get_args(kind))


RECORD_LABELS: Final[dict[str, LabelTable]] = {
    "certainty": {
        "confirmed": "confirmed",
        "probable": "probable",
        "suspected": "suspected",
        "excluded": "excluded",
    },
    "severity": {
        "mild": "mild",
        "moderate": "moderate",
        "severe": "severe",
        "life_threatening": "life-threatening",
    },
    "grade4": {"none": "none", "mild": "mild", "moderate": "moderate", "severe": "severe"},
    "laterality": {"left": "left", "right": "right", "bilateral": "both sides"},
    "test_result": {
        "positive": "positive",
        "negative": "negative",
        "indeterminate": "indeterminate",
    },
    "normal_abnormal": {
        "normal": "normal",
        "abnormal": "abnormal",
        "not_interpretable": "not interpretable",
    },
    "body_site": {
        "face": "face",
        "eyelids": "eyelids",
        "scalp": "scalp",
        "neck": "neck",
        "trunk": "trunk",
        "shoulders": "shoulders",
        "elbows": "elbows",
        "wrists": "wrists",
        "hands_mcp": "metacarpophalangeal joints",
        "hands_pip": "proximal interphalangeal joints",
        "hands_dip": "distal interphalangeal joints",
        "fingers": "fingers",
        "hips": "hips",
        "buttocks": "buttocks",
        "thighs": "thighs",
        "knees": "knees",
        "ankles": "ankles",
        "feet": "feet",
        "other": "other site",
    },
    "organism": {
        "pneumocystis_jirovecii": "Pneumocystis jirovecii",
        "cytomegalovirus": "cytomegalovirus",
        "epstein_barr_virus": "Epstein-Barr virus",
        "varicella_zoster_virus": "varicella-zoster virus",
        "herpes_simplex_virus": "herpes simplex virus",
        "influenza_virus": "influenza virus",
        "sars_cov_2": "SARS-CoV-2",
        "respiratory_syncytial_virus": "respiratory syncytial virus",
        "mycobacterium_tuberculosis": "Mycobacterium tuberculosis",
        "nontuberculous_mycobacterium": "non-tuberculous mycobacterium",
        "aspergillus": "Aspergillus",
        "candida": "Candida",
        "staphylococcus_aureus": "Staphylococcus aureus",
        "streptococcus_pneumoniae": "Streptococcus pneumoniae",
        "haemophilus_influenzae": "Haemophilus influenzae",
        "pseudomonas_aeruginosa": "Pseudomonas aeruginosa",
        "other_bacterium": "other bacterium",
        "other_virus": "other virus",
        "other_fungus": "other fungus",
        "none_found": "no organism found",
    },
    "detection_method": {
        "pcr": "PCR",
        "microscopy": "microscopy",
        "immunofluorescence": "immunofluorescence",
        "culture": "culture",
        "antigen": "antigen test",
        "serology": "serology",
        "not_stated": "method not stated",
    },
    "hrct_finding": {
        "ground_glass_opacity": "ground-glass opacity",
        "consolidation": "consolidation",
        "reticulation": "reticulation",
        "traction_bronchiectasis": "traction bronchiectasis",
        "honeycombing": "honeycombing",
        "nodules": "nodules",
        "pleural_change": "pleural change",
        "pneumomediastinum": "pneumomediastinum",
        "other": "other finding",
    },
    "hrct_pattern": {
        "normal": "normal",
        "nsip": "non-specific interstitial pneumonia (NSIP)",
        "organising_pneumonia": "organising pneumonia (OP)",
        "nsip_with_organising_pneumonia": "NSIP with organising pneumonia",
        "uip": "usual interstitial pneumonia (UIP)",
        "diffuse_alveolar_damage": "diffuse alveolar damage",
        "indeterminate": "indeterminate pattern",
        "not_classified": "interstitial changes, pattern not classified",
    },
    "hrct_change": {
        "first_study": "first study",
        "resolved": "resolved",
        "near_complete_resolution": "almost complete resolution (minor residual changes)",
        "improved": "improved",
        "stable": "stable",
        "progressed": "progressed",
        "mixed": "mixed change",
    },
    "lung_lobe": {
        "right_upper": "right upper lobe",
        "right_middle": "right middle lobe",
        "right_lower": "right lower lobe",
        "left_upper": "left upper lobe",
        "lingula": "lingula",
        "left_lower": "left lower lobe",
    },
    "reference_equation": {
        "gli_2012": "GLI 2012 spirometry (Quanjer 2012)",
        "gli_2017_tlco": "GLI 2017 transfer factor (Stanojevic 2017)",
        "gli_global_2022": "GLI Global race-neutral (Bowerman 2023)",
        "zapletal_1987": "Zapletal 1987 (children)",
        "other": "other reference equation",
        "not_stated": "reference equation not stated",
    },
    "lung_function_not_done": {
        "too_young": "too young to perform lung function tests",
        "unable_to_cooperate": "unable to cooperate",
        "too_unwell": "too unwell",
        "not_available": "not available",
    },
    "oxygen_support": {
        "none": "room air",
        "supplemental_not_stated": "supplemental oxygen, modality not stated",
        "low_flow": "low-flow oxygen",
        "high_flow_nasal": "high-flow nasal oxygen",
        "cpap": "CPAP",
        "non_invasive_ventilation": "non-invasive ventilation",
        "invasive_ventilation": "invasive ventilation",
        "ecmo": "ECMO",
    },
    "bal_cytology": {
        "normal": "normal differential",
        "lymphocytic": "lymphocytic",
        "neutrophilic": "neutrophilic",
        "eosinophilic": "eosinophilic",
        "mixed": "mixed",
        "haemorrhagic": "haemorrhagic",
    },
    "muscle_region": {
        "whole_body": "whole body",
        "pelvis": "pelvis",
        "thighs": "thighs",
        "lower_legs": "lower legs",
        "lower_extremities": "lower extremities",
        "shoulders": "shoulder girdle",
        "upper_arms": "upper arms",
        "other": "other region",
    },
    "oedema_extent": {"none": "none", "focal": "focal", "patchy": "patchy", "diffuse": "diffuse"},
    "biopsy_site": {
        "quadriceps": "quadriceps",
        "biceps": "biceps",
        "deltoid": "deltoid",
        "other": "other muscle",
    },
    "capillaroscopy_method": {
        "videocapillaroscopy": "videocapillaroscopy",
        "dermatoscope": "dermatoscope",
        "ophthalmoscope": "ophthalmoscope",
        "other": "other method",
    },
    "capillaroscopy_finding": {
        "capillary_dropout": "capillary dropout",
        "avascular_areas": "avascular areas",
        "dilated_loops": "dilated loops",
        "giant_loops": "giant loops",
        "haemorrhages": "haemorrhages",
        "bushy_or_ramified_loops": "bushy or ramified loops",
        "tortuous_loops": "tortuous loops",
        "other": "other change",
    },
    "cardiac_test": {
        "echocardiogram": "echocardiogram",
        "ecg": "ECG",
        "holter": "Holter ECG",
        "cardiac_mri": "cardiac MRI",
    },
    "cardiac_finding": {
        "lv_systolic_dysfunction": "left ventricular systolic dysfunction",
        "lv_diastolic_dysfunction": "left ventricular diastolic dysfunction",
        "pericardial_effusion": "pericardial effusion",
        "pulmonary_hypertension": "pulmonary hypertension",
        "myocarditis": "myocarditis",
        "conduction_defect": "conduction defect",
        "arrhythmia": "arrhythmia",
        "repolarisation_change": "repolarisation change",
        "other": "other finding",
    },
    "swallow_method": {
        "clinical": "clinical swallow assessment",
        "videofluoroscopy": "videofluoroscopy",
        "fees": "fibre-optic endoscopic evaluation (FEES)",
        "other": "other method",
    },
    "swallow_result": {
        "normal": "normal swallow",
        "dysphagia_without_aspiration": "dysphagia without aspiration",
        "penetration": "laryngeal penetration",
        "aspiration": "aspiration",
    },
    "feeding": {
        "oral_normal": "normal oral diet",
        "oral_modified": "modified oral diet",
        "nasogastric": "nasogastric tube",
        "gastrostomy": "gastrostomy",
        "parenteral": "parenteral nutrition",
    },
    "organ": {
        "ILD": "interstitial lung disease",
        "calcinosis": "calcinosis",
        "skin_ulceration": "skin ulceration",
        "lipodystrophy": "lipodystrophy",
        "gi_vasculopathy": "gastrointestinal vasculopathy",
        "cardiac": "cardiac involvement",
        "arthritis": "arthritis",
        "dysphagia": "dysphagia",
        "dysphonia": "dysphonia",
        "cns": "central nervous system involvement",
        "macrophage_activation_syndrome": "macrophage activation syndrome",
        "digital_infarcts": "digital infarcts",
        "other": "other organ involvement",
    },
    "ethnicity": {
        "hispanic_or_latino": "Hispanic or Latino",
        "not_hispanic_or_latino": "not Hispanic or Latino",
        "unknown": "unknown / not reported",
    },
    "race": {
        "white": "White",
        "black_or_african_american": "Black or African American",
        "asian_or_pacific_islander": "Asian or Asian American, Pacific Islander",
        "native_american_or_alaskan_native": "Native American or Alaskan Native",
        "other": "other",
        "unknown": "unknown / not reported",
    },
    "relative": {
        "mother": "mother",
        "father": "father",
        "sibling": "sibling",
        "grandparent": "grandparent",
        "aunt_or_uncle": "aunt or uncle",
        "cousin": "cousin",
        "other": "other relative",
    },
    "family_condition": {
        "juvenile_idiopathic_arthritis": "juvenile idiopathic arthritis",
        "rheumatoid_arthritis": "rheumatoid arthritis",
        "psoriasis": "psoriasis",
        "psoriatic_arthritis": "psoriatic arthritis",
        "sle": "systemic lupus erythematosus",
        "myositis": "myositis",
        "type1_diabetes": "type 1 diabetes",
        "autoimmune_thyroid_disease": "autoimmune thyroid disease",
        "coeliac_disease": "coeliac disease",
        "inflammatory_bowel_disease": "inflammatory bowel disease",
        "vitiligo": "vitiligo",
        "other_autoimmune": "other autoimmune disease",
    },
    "disease_subtype": {
        "classic": "classic JDM",
        "hypomyopathic": "hypomyopathic",
        "amyopathic": "amyopathic",
        "juvenile_polymyositis": "juvenile polymyositis",
        "overlap": "overlap myositis",
        "other": "other subtype",
    },
    "ana_pattern": {
        "homogeneous": "homogeneous",
        "speckled": "speckled",
        "nucleolar": "nucleolar",
        "centromere": "centromere",
        "cytoplasmic": "cytoplasmic",
        "mixed": "mixed",
        "other": "other pattern",
    },
    "antibody_method": {
        "line_immunoassay": "line immunoassay (immunoblot)",
        "immunoprecipitation": "immunoprecipitation",
        "elisa": "ELISA",
        "indirect_immunofluorescence": "indirect immunofluorescence",
        "other": "other method",
        "not_stated": "method not stated",
    },
    "antibody_result": {
        "positive": "positive",
        "negative": "negative",
        "borderline": "borderline",
        "indeterminate": "indeterminate",
    },
    "indication": {
        "treatment": "treatment",
        "empirical": "empirical (calculated) treatment",
        "prophylaxis": "prophylaxis",
    },
    "formulation": {
        "tablet": "tablet",
        "capsule": "capsule",
        "oral_solution": "oral solution",
        "oral_suspension": "oral suspension",
        "injection": "injection",
        "infusion": "infusion",
        "ointment": "ointment",
        "cream": "cream",
        "gel": "gel",
        "lotion": "lotion",
        "inhaler": "inhaler",
        "nebuliser_solution": "nebuliser solution",
        "patch": "patch",
        "other": "other formulation",
    },
    "strength_unit": {"%": "%", "mg/g": "mg/g", "mg/mL": "mg/mL", "mg": "mg", "g": "g", "µg": "µg"},
    "course_status": {
        "ongoing": "ongoing",
        "stopped": "stopped",
        "not_reported": "not reported",
    },
    "record_event": {
        "hospital_admission": "hospital admission",
        "hospital_discharge": "hospital discharge",
        "icu_admission": "intensive care admission",
        "icu_discharge": "intensive care discharge",
        "ild_diagnosed": "interstitial lung disease diagnosed",
        "ild_progressed": "interstitial lung disease progressed",
        "ulcer_healed": "skin ulcer healed",
        "calcinosis_new": "new calcinosis",
        "calcinosis_resolved": "calcinosis resolved",
        "remission": "remission",
        "drug_holiday_start": "drug holiday started",
        "drug_holiday_end": "drug holiday ended",
    },
    "decision": {
        "jak_start_planned": "JAK-inhibitor start planned",
        "jak_start_declined": "JAK-inhibitor start decided against",
        "jak_stop_planned": "JAK-inhibitor stop planned",
    },
    "decision_status": {"open": "open", "done": "done", "cancelled": "cancelled"},
    "pregnancy_test_method": {"urine": "urine test", "serum": "serum hCG"},
}

# Which Literal each label table labels (the test checks every value has a label).
RECORD_VOCABULARIES: Final[dict[str, tuple[str, ...]]] = {
    "certainty": codes(Certainty),
    "severity": codes(Severity),
    "grade4": codes(Grade4),
    "laterality": codes(Laterality),
    "test_result": codes(TestResult),
    "normal_abnormal": codes(NormalAbnormal),
    "body_site": codes(BodySite),
    "organism": codes(Organism),
    "detection_method": codes(DetectionMethod),
    "hrct_finding": codes(HrctFinding),
    "hrct_pattern": codes(HrctPattern),
    "hrct_change": codes(HrctChange),
    "lung_lobe": codes(LungLobe),
    "reference_equation": codes(ReferenceEquation),
    "lung_function_not_done": codes(LungFunctionNotDone),
    "oxygen_support": codes(OxygenSupport),
    "bal_cytology": codes(BalCytology),
    "muscle_region": codes(MuscleRegion),
    "oedema_extent": codes(OedemaExtent),
    "biopsy_site": codes(BiopsySite),
    "capillaroscopy_method": codes(CapillaroscopyMethod),
    "capillaroscopy_finding": codes(CapillaroscopyFinding),
    "cardiac_test": codes(CardiacTestKind),
    "cardiac_finding": codes(CardiacFinding),
    "swallow_method": codes(SwallowMethod),
    "swallow_result": codes(SwallowResult),
    "feeding": codes(Feeding),
    "organ": codes(Organ),
    "ethnicity": codes(Ethnicity),
    "race": codes(Race),
    "relative": codes(Relative),
    "family_condition": codes(FamilyCondition),
    "disease_subtype": codes(DiseaseSubtype),
    "ana_pattern": codes(AnaPattern),
    "antibody_method": codes(AntibodyMethod),
    "antibody_result": codes(AntibodyResult),
    "indication": codes(Indication),
    "formulation": codes(Formulation),
    "strength_unit": codes(StrengthUnit),
    "course_status": codes(CourseStatus),
    "record_event": codes(RecordEvent),
    "decision": codes(DecisionKind),
    "decision_status": codes(DecisionStatus),
    "pregnancy_test_method": codes(PregnancyTestMethod),
}


def record_label(kind: str, code: str) -> str:
    """The clinic's words for a code of a version 2 vocabulary (a code without a label is
    shown as written)."""
    return RECORD_LABELS.get(kind, {}).get(code, code)
