"""Shared fixtures: small cohort folders written from text (fixture `folder_maker`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

GOOD = {
    "patients.csv": (
        "patient_id,sex,birth_date,onset_date,diagnosis_date,diagnosis,antibodies,refractory,x_note\n"
        "P01,F,2012-03-15,2016-01-10,2016-03-01,JDM,NXP2,gc_dependent,kept\n"
        "P02,M,2017-06-15,2021-05-01,2021-09-10,ADM,MDA5;RO52,ineffective,\n"
    ),
    "visits.csv": (
        "patient_id,date,weight_kg,rash,weakness,cmas,catbm_activity\n"
        "P01,2018-01-05,22.5,yes,yes,30,7\n"
        "P01,2018-04-05,23,no,no,45,1\n"
        "P02,2021-09-20,16,yes,yes,20,\n"
    ),
    "labs.csv": (
        "patient_id,date,analyte,value,result,unit,ref_high,ref_low\n"
        "P01,2018-01-05,LDH,400,,U/L,300,\n"
        "P02,2021-09-20,CK,0.26,,µmol/(s*L),3.17,\n"
        "P02,2021-09-20,LDH,5.37,,ukat/L,5.0,2.0\n"
        "P02,2021-09-20,TB_IGRA,,negative,,,\n"
    ),
    "treatments.csv": (
        "patient_id,drug,dose,dose_unit,frequency,route,start_date,end_date,stop_reason\n"
        "P01,ruxolitinib,2.5,mg,BID,oral,2018-01-06,2018-03-01,other\n"
        "P01,ruxolitinib,5,mg,BID,oral,2018-03-02,,\n"
        "P02,prednisolone,1,mg/kg,QD,oral,2021-09-10,2022-03-10,taper\n"
    ),
    "events.csv": (
        "patient_id,date,event,detail,grade\n"
        "P01,2018-01-20,rash_improving,,\n"
        "P02,2021-09-15,infection,PJP,3\n"
    ),
    "cohort.toml": "cutoff_date = 2022-12-31\n",
}


def make_folder(root: Path, **changes: str | None) -> Path:
    """Write GOOD with some files replaced (text) or removed (None). Keys use '_' for '.'."""
    files = dict(GOOD)
    for key, text in changes.items():
        name = key.replace("_csv", ".csv").replace("_toml", ".toml")
        if text is None:
            files.pop(name, None)
        else:
            files[name] = text
    root.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def folder_maker() -> Callable[..., Path]:
    return make_folder


# The JSON keys of the case-series report, as listed in docs/case-series-report.md.
CASE_SERIES_KEYS = frozenset(
    {
        "n_patients",
        "n_excluded",
        "excluded_reasons",
        "methods",
        "warnings",
        "female",
        "age_onset_years",
        "age_index_years",
        "disease_duration_months",
        "weakness_baseline",
        "refractory",
        "jaki_agent",
        "weight_band",
        "max_dose",
        "jaki_exposure_months",
        "follow_up_months",
        "rash_baseline",
        "rash_improved",
        "rash_resolved",
        "weeks_to_rash_improving",
        "weeks_to_rash_marked",
        "weeks_to_rash_resolved",
        "catbm_activity",
        "cmas",
        "enzymes",
        "enzymes_abnormal_final",
        "gc_stopped",
        "relapse",
        "infections",
        "thromboembolism",
    }
)


@pytest.fixture
def case_series_keys() -> frozenset[str]:
    return CASE_SERIES_KEYS
