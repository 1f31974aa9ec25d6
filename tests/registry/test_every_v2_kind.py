"""One row of EVERY cohort format version 2 record kind, every column filled (and a second
row with only the required ones): the folder reads it, writes it back unchanged, the
registry stores and loads it field for field (precisions kept), and a re-import of the
registry's export changes nothing. Builds whole records of every kind too."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from myotrack.cohort import read_folder, whole_records, write_folder
from myotrack.domain import Cohort
from myotrack.registry import import_cohort, load_cohort, transaction

PATIENTS = (
    "patient_id,sex,birth_date,onset_date,diagnosis_date,diagnosis,antibodies,features,"
    "subtype,ethnicity,race,family_history_none,first_specialist_contact,consent_to_contact,"
    "consent_to_reuse\n"
    "P1,F,2008-03-15,2019-05,2019,JDM,MDA5;ANA,ILD;calcinosis,hypomyopathic,"
    "not_hispanic_or_latino,asian_or_pacific_islander;white,no,2019-06,yes,no\n"
    "P2,M,2010-01-01,,,JDM,,,,,,,,,\n"
)
TREATMENTS = (
    "patient_id,drug,dose,dose_unit,frequency,route,start_date,end_date,stop_reason,"
    "start_unknown,duration_months,status,formulation,strength,strength_unit,indication,"
    "sites,sites_excluded,prescribed_elsewhere,free_text\n"
    "P1,ruxolitinib,5,mg,BID,oral,2020-01-10,,,,,ongoing,tablet,5,mg,treatment,,,no,x\n"
    "P1,tacrolimus,,,,topical,,,,yes,,,ointment,0.1,%,treatment,face;elbows,,,\n"
    "P1,ivig,2,g/kg,every_3_weeks,iv,2019-07,,,,13,stopped,infusion,,,treatment,,,,\n"
    "P1,prednisolone,1,mg/kg/day,QD,oral,2019-06,2019-12,taper,,,,,,,,,,yes,\n"
)
EVENTS = (
    "patient_id,date,event,detail,grade,organism,detection_method,specimen\n"
    "P1,2020-02-03,infection,PJP,3,pneumocystis_jirovecii,pcr,bronchoalveolar lavage\n"
    "P1,2019-06,hospital_admission,ward 3,,,,\n"
    "P1,2019-08,infection,,2,cytomegalovirus,pcr,blood\n"
    "P1,2020-03-01,rash_improving,,,,,\n"
)
NEW = {
    "antibody_tests.csv": "patient_id,date,antibody,result,titre,pattern,method,laboratory\n"
    "P1,2019-05,ANA,positive,160,speckled,indirect_immunofluorescence,\n"
    "P1,2019-05-20,MDA5,positive,,,line_immunoassay,Central lab\n",
    "family_history.csv": "patient_id,relative,condition,free_text\n"
    "P1,mother,type1_diabetes,insulin since childhood\n",
    "organ_involvement.csv": "patient_id,organ,onset_date,resolution_date,resolved,severity,"
    "certainty,sites,free_text\n"
    "P1,ILD,2019-05,,,severe,confirmed,,\n"
    "P1,calcinosis,2019,2020-01,,mild,probable,elbows;knees,small\n"
    "P1,digital_infarcts,,,yes,,suspected,fingers,\n",
    "chest_ct.csv": "patient_id,date,findings,pattern,extent_percent,lobes,change,"
    "high_resolution,free_text\n"
    "P1,2019-05-21,ground_glass_opacity;reticulation,nsip,35.5,right_lower;left_lower,"
    "first_study,yes,basal\n",
    "lung_function.csv": "patient_id,date,fvc_percent_predicted,fev1_percent_predicted,"
    "dlco_percent_predicted,dlco_corrected_for_haemoglobin,tlc_percent_predicted,"
    "reference_equation,not_done,free_text\n"
    "P1,2019-06,68,71.5,52,yes,70,gli_2012,,\n"
    "P2,2019-06,,,,,,,too_young,\n",
    "oxygen.csv": "patient_id,date,support,flow_l_per_min,fio2_percent,spo2_percent,"
    "spo2_on_room_air,free_text\n"
    "P1,2019-05-21,low_flow,2,,91,yes,\n",
    "bal.csv": "patient_id,date,cytology,lymphocytes_percent,neutrophils_percent,organisms,"
    "detection_method,free_text\n"
    "P1,2019-05-22,lymphocytic,45,5,pneumocystis_jirovecii;cytomegalovirus,pcr,\n",
    "muscle_mri.csv": "patient_id,date,regions,muscle_oedema,oedema_extent,fascial_oedema,"
    "subcutaneous_oedema,fatty_replacement,atrophy,consistent_with_myositis,free_text\n"
    "P1,2019-05,thighs;pelvis,moderate,diffuse,yes,no,mild,no,yes,\n",
    "muscle_ultrasound.csv": "patient_id,date,regions,increased_echogenicity,oedema_pattern,"
    "atrophy,doppler_hyperaemia,consistent_with_myositis,free_text\n"
    "P1,2019-05,thighs,yes,yes,no,yes,yes,\n",
    "muscle_biopsies.csv": "patient_id,date,site,consistent_with_jdm,perifascicular_atrophy,"
    "mhc_class_i_overexpression,score_inflammatory,score_vascular,score_muscle_fibre,"
    "score_connective_tissue,score_overall_vas,score_tool_version,free_text\n"
    "P1,2019-05-25,quadriceps,yes,yes,yes,6,2,4,1,6.5,Wedderburn 2007,\n",
    "capillaroscopy.csv": "patient_id,date,result,method,findings,capillaries_per_mm,free_text\n"
    "P1,2019-06,abnormal,videocapillaroscopy,capillary_dropout;dilated_loops,5.5,\n",
    "cardiac_tests.csv": "patient_id,date,kind,result,findings,lv_ejection_fraction_percent,"
    "free_text\n"
    "P1,2019-06,echocardiogram,normal,,62,\n"
    "P1,2019-06,ecg,abnormal,repolarisation_change,,\n",
    "swallow.csv": "patient_id,date,method,result,feeding,free_text\n"
    "P1,2019-05,videofluoroscopy,penetration,oral_modified,\n",
    "vaccinations.csv": "patient_id,date,vaccine,dose_number,free_text\n"
    "P1,2019-09-01,influenza_inactivated,1,\n"
    "P1,2015,mmr,2,\n",
    "pregnancy_tests.csv": "patient_id,date,result,method\nP1,2020-01-05,negative,urine\n",
    "decisions.csv": "patient_id,decided_on,decision,drug,status,free_text\n"
    "P1,2019-12-20,jak_start_planned,ruxolitinib,done,\n",
}


def _folder(root: Path) -> Path:
    root.mkdir(parents=True)
    (root / "cohort.toml").write_text("format_version = 2\n", encoding="utf-8")
    (root / "patients.csv").write_text(PATIENTS, encoding="utf-8")
    (root / "treatments.csv").write_text(TREATMENTS, encoding="utf-8")
    (root / "events.csv").write_text(EVENTS, encoding="utf-8")
    for name, text in NEW.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def _read(folder: Path) -> Cohort:
    cohort, issues = read_folder(folder)
    assert issues == [], [str(i) for i in issues]
    assert cohort is not None
    return cohort


def test_every_kind_round_trips_through_folder_and_registry(engine: Engine, tmp_path: Path) -> None:
    cohort = _read(_folder(tmp_path / "in"))
    kinds = {r.kind for r in cohort.v2_rows}
    from myotrack.cohort import RECORD_KINDS

    assert kinds == {k.name for k in RECORD_KINDS}  # every kind is exercised
    write_folder(cohort, tmp_path / "out")
    assert _read(tmp_path / "out") == cohort
    with transaction(engine) as s:
        import_cohort(s, cohort, actor="dm", reason="all kinds")
    with transaction(engine) as s:
        loaded = load_cohort(s)
    assert loaded == cohort
    write_folder(loaded, tmp_path / "export")
    with transaction(engine) as s:
        summary = import_cohort(s, _read(tmp_path / "export"), actor="dm", reason="again")
    assert not summary.changed


def test_every_kind_builds_its_domain_object(tmp_path: Path) -> None:
    whole = whole_records(_read(_folder(tmp_path / "in")))["P1"]
    assert len(whole.investigations) == 11  # P1: 10 kinds, two cardiac tests
    assert whole.background is not None and whole.background.race == (
        "asian_or_pacific_islander",
        "white",
    )
    assert whole.background.ana[0].titre_text == "1:160"
    assert whole.background.antibody_tests[0].laboratory == "Central lab"
    assert whole.background.family_history[0].condition == "type1_diabetes"
    assert [v.live for v in whole.vaccinations] == [False, True]
    assert whole.pregnancy_tests[0].result == "negative"
    assert whole.decisions[0].drug == "ruxolitinib"
    biopsy = next(i for i in whole.investigations if type(i).__name__ == "MuscleBiopsy")
    assert biopsy.score is not None and biopsy.score.problems() == ()  # type: ignore[union-attr]
    ivig = next(c for c in whole.treatment_courses if c.drug == "ivig")
    assert ivig.end_estimate() is not None and ivig.end_estimate().iso() == "2020-08"  # type: ignore[union-attr]
    assert {i.organism for i in whole.infections} == {"pneumocystis_jirovecii", "cytomegalovirus"}
    assert [e.event for e in whole.clinical_events] == ["hospital_admission"]
