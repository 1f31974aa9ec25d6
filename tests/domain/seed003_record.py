"""The child of the second seed paper as version 2 domain objects, at the precision the paper
gives (most dates are months), with every fact that has a structured home in it.

Strauss T, Günther C, Schnabel A, Wolf C, Hahn G, Lee-Kirsch MA, Brück N. Rapid and
sustained response to JAK inhibition in a child with severe MDA5+ juvenile dermatomyositis.
Pediatr Rheumatol 2023;21:105 (shared/seeds/003_516a45afa75ace88.txt).

Three lists document the fixture (the test reads them):
* `DERIVED`: values computed from the paper's words (not printed as such);
* `INVENTED`: what the version 1 record needs and the paper does not give;
* `FREE_TEXT_KEPT`: every free text of the record, with why it has no structured home.
Facts the paper does not give are left empty, never guessed (e.g. the route of ruxolitinib,
the frequency of methotrexate, ampicillin/sulbactam's schedule).
"""

from __future__ import annotations

from datetime import date
from typing import Final

from myotrack.domain.background import AnaResult, AntibodyTest, FamilyHistory, PatientBackground
from myotrack.domain.investigations_lung import (
    BronchoalveolarLavage,
    ChestHrct,
    OrganismFinding,
    OxygenNeed,
)
from myotrack.domain.investigations_muscle import MuscleMri, MuscleUltrasound
from myotrack.domain.investigations_other import Capillaroscopy
from myotrack.domain.involvement import OrganInvolvement
from myotrack.domain.model import Patient, PatientRecord
from myotrack.domain.partial_date import PartialDate
from myotrack.domain.record_events import ClinicalEvent, InfectionDetail, TreatmentDecision
from myotrack.domain.reported import ReportedLab, ReportedVisit
from myotrack.domain.treatment_detail import Strength, TreatmentCourse
from myotrack.domain.whole_record import WholeRecord

PID: Final = "MDA5-case"
SEP_2021: Final = PartialDate(2021, 9)  # "initial diagnosis in september 2021" (Fig. 3)
OCT_2021: Final = PartialDate(2021, 10)  # ruxolitinib "since October 2021"
NOV_2021: Final = PartialDate(2021, 11)  # CT after therapy (Fig. 2)
JAN_2023: Final = PartialDate(2023, 1)  # "CMAS January 2023 47/52"
Y2021: Final = PartialDate(2021)  # before the transfer, month not given
CUTOFF: Final = date(2023, 1, 31)

# Values computed from the paper's words.
DERIVED: Final[dict[str, str]] = {
    "background.onset": "2021-05: symptoms 'over the past 4 months' before the September 2021"
    " referral",
    "prednisolone.end": "2022-03: 'stopped after six months', counted from September 2021",
    "ivig.duration_months": "13: 'IVIGs were also stopped after 13 months of therapy'",
    "ruxolitinib.dose": "5 mg BID: '2x5 mg/day'",
    "antibodies.date / ana.date": "2021-09: measured at the admission work-up",
}
# What the version 1 record requires and the paper does not give.
INVENTED: Final[dict[str, str]] = {
    "patient.birth_date": "2017-05-15, the demo cohort's invented date (the paper: a 4-year-old"
    " boy in September 2021); version 1 needs a whole birth date",
}
# Every free text in the record and why it stays free text.
FREE_TEXT_KEPT: Final[dict[str, str]] = {
    "hrct_2021_09": "location words ('ventral'; 'pleural round spot between middle lobe and"
    " upper lobe'): the CT record has lobes and findings, no anterior/posterior distribution"
    " and no fissure location",
    "hrct_2021_11": "'minor interstitial drawing proliferation' (increased interstitial"
    " markings): a radiological description the finding list does not name",
    "oxygen_2021_09": "'tachydyspnoea', 'bilateral moist rales': examination findings, no field",
    "external_admission": "the admitting hospital ('external clinic'): institutions are not coded",
    "prednisolone": "'continuously tapered': the taper steps are not reported",
    "skin_ulceration": "'minor remaining scarring': a damage finding without an MDI assessment",
    "remission": "'sustained stable remission' is stated 'as of today' (2023), not dated",
}

# Facts of the paper that are neither a field nor free text in the record, and why.
NOT_RECORDED: Final[dict[str, str]] = {
    "skin lesions (heliotrope, Gottron papules, palmar erythema, cheek macules)": "held as"
    " the CDASI totals the paper gives (activity 14, damage 2); CDASI items not reported",
    "reduced exercise tolerance, fatigue, cough, subfebrile temperature": "symptoms: no"
    " symptom list in the design (open item B16 of docs/jdm-dataset-coverage.md)",
    "working diagnoses (JIA with vasculitic component; MTX-induced pneumonitis)": "earlier"
    " and differential diagnoses have no field",
    "therapy options discussed (cyclophosphamide, rituximab)": "options discussed but not"
    " given; only the JAK-inhibitor decision is a record kind",
    "interferon score and CMAS course after admission (Fig. 3)": "shown only as a figure"
    " without numbers",
    "parents' consent to publication (24 Jan 2023)": "about the publication, not the record",
}

_PAPER: Final = "Strauss 2023"


def seed003_record() -> WholeRecord:
    patient = Patient(
        patient_id=PID,
        sex="M",
        birth_date=date(2017, 5, 15),  # INVENTED
        diagnosis="JDM",
        antibodies=("MDA5", "RO52", "ANA"),
        features=("ILD", "calcinosis", "skin_ulceration", "arthritis"),
        site="Demo Centre C",
    )
    background = PatientBackground(
        patient_id=PID,
        onset=PartialDate(2021, 5),  # DERIVED
        diagnosed=SEP_2021,
        subtype="hypomyopathic",
        family_history=(FamilyHistory(relative="father", condition="psoriatic_arthritis"),),
        ana=(AnaResult(date=SEP_2021, result="positive", titre=160),),
        antibody_tests=(
            AntibodyTest(date=SEP_2021, antibody="MDA5", result="positive"),
            AntibodyTest(date=SEP_2021, antibody="RO52", result="positive"),
        ),
        first_specialist_contact=SEP_2021,
    )
    investigations = (
        ChestHrct(
            patient_id=PID,
            date=SEP_2021,
            findings=("ground_glass_opacity", "other"),
            pattern="not_classified",  # "interstitial pneumonitis", no pattern named
            change="first_study",
            free_text="ventral; pleural round spot between middle lobe and upper lobe",
        ),
        ChestHrct(
            patient_id=PID,
            date=NOV_2021,
            findings=("ground_glass_opacity",),
            lobes=("right_middle", "right_upper"),
            change="near_complete_resolution",
            free_text="minor interstitial drawing proliferation",
        ),
        OxygenNeed(
            patient_id=PID,
            date=SEP_2021,
            support="supplemental_not_stated",
            free_text="acute respiratory insufficiency; tachydyspnoea, bilateral moist rales",
        ),
        BronchoalveolarLavage(
            patient_id=PID,
            date=SEP_2021,
            cytology="lymphocytic",
            organisms=(OrganismFinding("pneumocystis_jirovecii"),),
        ),
        MuscleMri(
            patient_id=PID,
            date=SEP_2021,
            regions=("lower_extremities", "pelvis"),
            atrophy=True,  # "hypotrophic musculature"
            consistent_with_myositis=False,  # "without typical signs of myositis"
        ),
        MuscleUltrasound(
            patient_id=PID,
            date=SEP_2021,
            regions=("lower_extremities", "pelvis"),
            atrophy=True,
            consistent_with_myositis=False,
        ),
        Capillaroscopy(patient_id=PID, date=SEP_2021, result="normal"),  # "unremarkable"
    )
    involvement = (
        OrganInvolvement(
            patient_id=PID,
            organ="ILD",
            onset=SEP_2021,
            certainty="suspected",  # "high-grade suspicion of interstitial lung involvement"
        ),
        OrganInvolvement(
            patient_id=PID,
            organ="calcinosis",
            onset=SEP_2021,
            resolved=True,  # "without relapse or clinical signs of calcinosis"
            sites=("elbows",),
        ),
        OrganInvolvement(
            patient_id=PID,
            organ="skin_ulceration",
            onset=Y2021,
            resolved=True,  # "regular wound healing", "completely resolved"
            sites=("elbows",),
            free_text="minor remaining scarring",
        ),
        OrganInvolvement(
            patient_id=PID,
            organ="arthritis",
            onset=Y2021,
            sites=("hands_pip", "hands_mcp", "knees", "elbows"),
        ),
    )
    courses = (
        TreatmentCourse(
            patient_id=PID,
            drug="prednisolone",
            start=Y2021,
            end=PartialDate(2022, 3),  # DERIVED
            status="stopped",
            dose=1,
            dose_unit="mg/kg",
            stop_reason="taper",
            prescribed_elsewhere=True,
            free_text="continuously tapered",
        ),
        TreatmentCourse(
            patient_id=PID,
            drug="methotrexate",
            start=Y2021,
            dose=12.5,
            dose_unit="mg/m2",
            prescribed_elsewhere=True,
        ),
        TreatmentCourse(
            patient_id=PID,
            drug="adalimumab",
            start=Y2021,
            dose=20,
            dose_unit="mg",
            prescribed_elsewhere=True,
        ),
        TreatmentCourse(
            patient_id=PID,
            drug="ampicillin/sulbactam",
            start=Y2021,
            indication="empirical",  # "calculated antibiotic therapy"
            prescribed_elsewhere=True,
        ),
        TreatmentCourse(
            patient_id=PID,
            drug="cotrimoxazole",
            start=SEP_2021,
            route="iv",
            indication="treatment",  # for Pneumocystis pneumonia
        ),
        TreatmentCourse(
            patient_id=PID,
            drug="ivig",
            start=SEP_2021,
            status="stopped",
            duration_months=13,  # DERIVED
            route="iv",
        ),
        TreatmentCourse(
            patient_id=PID,
            drug="hydroxychloroquine",
            start=SEP_2021,
            dose=200,
            dose_unit="mg/day",
        ),
        TreatmentCourse(
            patient_id=PID,
            drug="mometasone furoate",
            start=SEP_2021,
            status="stopped",  # "changed to topical 0.1% tacrolimus ointment"
            route="topical",
            sites_excluded=("face",),  # "all cutaneous lesions except the face"
        ),
        TreatmentCourse(
            patient_id=PID,
            drug="tacrolimus",
            start=None,  # "during the course of therapy": no date
            route="topical",
            formulation="ointment",
            strength=Strength(0.1, "%"),
        ),
        TreatmentCourse(
            patient_id=PID,
            drug="ruxolitinib",
            start=OCT_2021,
            status="ongoing",
            dose=5,
            dose_unit="mg",
            frequency="BID",  # DERIVED from "2x5 mg/day"
            indication="treatment",
        ),
    )
    events = (
        ClinicalEvent(
            patient_id=PID, date=Y2021, event="hospital_admission", free_text="external clinic"
        ),
        ClinicalEvent(patient_id=PID, date=SEP_2021, event="hospital_admission"),
        ClinicalEvent(patient_id=PID, date=SEP_2021, event="ild_diagnosed"),
        ClinicalEvent(
            patient_id=PID,
            date=PartialDate(2023),
            event="remission",
            free_text="sustained stable remission 'as of today'",
        ),
    )
    infections = (
        InfectionDetail(
            patient_id=PID,
            date=SEP_2021,
            organism="pneumocystis_jirovecii",
            specimen="bronchoalveolar lavage",
        ),
    )
    decisions = (
        TreatmentDecision(
            patient_id=PID,
            decided_on=OCT_2021,
            decision="jak_start_planned",
            drug="ruxolitinib",
            status="done",
        ),
    )
    visits = (
        ReportedVisit(
            patient_id=PID,
            date=SEP_2021,
            measures={"cmas": 20, "cdasi_activity": 14, "cdasi_damage": 2},
            flags={"rash": True, "weakness": True},
            instrument_totals={"cmas9": 9},  # "cMAS9 score of 9 out of 37"
        ),
        ReportedVisit(patient_id=PID, date=JAN_2023, measures={"cmas": 47}),
    )
    # Admission laboratory values in the units printed (µmol/(s*L) = µkat/L).
    labs = (
        ReportedLab(PID, SEP_2021, "CK", 0.26, "µmol/(s*L)", ref_high=3.17),
        ReportedLab(PID, SEP_2021, "aldolase", 0.22, "µmol/(s*L)", ref_high=0.2),
        ReportedLab(PID, SEP_2021, "LDH", 5.37, "µmol/(s*L)", ref_low=2.0, ref_high=5.0),
        ReportedLab(PID, SEP_2021, "AST", 0.54, "µmol/(s*L)", ref_high=0.88),
        ReportedLab(PID, SEP_2021, "IFN_score", 4124, "score", ref_high=12.49),
    )
    return WholeRecord(
        base=PatientRecord(patient=patient),
        background=background,
        investigations=investigations,
        involvement=involvement,
        treatment_courses=courses,
        clinical_events=events,
        infections=infections,
        decisions=decisions,
        reported_visits=visits,
        reported_labs=labs,
    )
