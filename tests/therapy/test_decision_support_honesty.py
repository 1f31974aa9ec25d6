"""Property: removing or ageing any input never turns "blocks" or "cannot_assess" into
"nothing_blocks" (issue 8 §1). Green needs every input; taking one away or making it older
can only make the view less certain.

Records are generated with one result per input (one weight/height visit; one result per
analyte, plus — on treatment only — a haemoglobin before the start as the baseline of the
"fall" rule). With two results of the same analyte, removing the latest would rightly let the
earlier one decide; that is the label's "latest value" reading, not a loss of honesty.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from myotrack.domain.model import DrugCourse, LabResult, Patient, PatientRecord, Visit
from myotrack.therapy.decision_support import decision_support

PID = "H1"
ON = date(2024, 6, 1)
START = date(2024, 3, 1)

QUANT = {
    "lymphocytes": (0.2, 4.0, "10^9/L"),
    "neutrophils": (0.2, 6.0, "10^9/L"),
    "hemoglobin": (6.5, 14.0, "g/dL"),
    "platelets": (10.0, 450.0, "10^9/L"),
    "total_cholesterol": (2.5, 6.0, "mmol/L"),
    "eGFR": (20.0, 140.0, "mL/min/1.73m2"),
}
QUAL = ("TB_IGRA", "HBsAg", "anti_HBc", "HCV_Ab", "VZV_IgG")
days_back = st.integers(min_value=0, max_value=400)


@st.composite
def records(draw: st.DrawFn) -> PatientRecord:
    drug = draw(st.sampled_from([None, "tofacitinib", "baricitinib", "ruxolitinib"]))
    labs: list[LabResult] = []
    for analyte, (lo, hi, unit) in QUANT.items():
        if draw(st.booleans()) or draw(st.booleans()):
            value = draw(st.floats(min_value=lo, max_value=hi, allow_nan=False))
            day = ON - timedelta(days=draw(days_back))
            labs.append(LabResult(PID, day, analyte, round(value, 2), unit))
    for analyte in QUAL:
        if draw(st.booleans()) or draw(st.booleans()):
            result = draw(st.sampled_from(["negative", "negative", "positive", "indeterminate"]))
            labs.append(
                LabResult(PID, ON - timedelta(days=draw(days_back)), analyte, result=result)
            )
    courses: tuple[DrugCourse, ...] = ()
    if drug is not None:
        courses = (DrugCourse(PID, drug, START, None, dose=5, dose_unit="mg", frequency="BID"),)
        hb = [lab for lab in labs if lab.analyte == "hemoglobin"]
        if hb and hb[0].date > START and draw(st.booleans()):
            base = draw(st.floats(min_value=8.0, max_value=14.0, allow_nan=False))
            day = START - timedelta(days=draw(st.integers(min_value=0, max_value=60)))
            labs.append(LabResult(PID, day, "hemoglobin", round(base, 2), "g/dL"))
    visits: tuple[Visit, ...] = ()
    if draw(st.booleans()) or draw(st.booleans()):
        day = ON - timedelta(days=draw(st.integers(min_value=0, max_value=200)))
        weight = draw(st.floats(min_value=12, max_value=60, allow_nan=False))
        visits = (Visit(PID, day, weight_kg=round(weight, 1), height_cm=130.0),)
    return PatientRecord(
        patient=Patient(patient_id=PID, sex="F", birth_date=date(2014, 2, 1), diagnosis="JDM"),
        visits=visits,
        labs=tuple(sorted(labs, key=lambda r: (r.date, r.analyte))),
        courses=courses,
    )


def _mutations(rec: PatientRecord, ageing: int) -> list[PatientRecord]:
    out: list[PatientRecord] = []
    for i, lab in enumerate(rec.labs):
        rest = rec.labs[:i] + rec.labs[i + 1 :]
        out.append(replace(rec, labs=rest))
        older = replace(lab, date=lab.date - timedelta(days=ageing))
        out.append(replace(rec, labs=(*rest, older)))
    for i, visit in enumerate(rec.visits):
        rest_v = rec.visits[:i] + rec.visits[i + 1 :]
        out.append(replace(rec, visits=rest_v))
        out.append(
            replace(rec, visits=(*rest_v, replace(visit, date=visit.date - timedelta(days=ageing))))
        )
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rec=records(), ageing=st.integers(min_value=1, max_value=400))
def test_removing_or_ageing_an_input_never_turns_green(rec: PatientRecord, ageing: int) -> None:
    before = decision_support(rec, ON).start_status
    if before == "nothing_blocks":
        return
    for mutated in _mutations(rec, ageing):
        after = decision_support(mutated, ON)
        assert after.start_status != "nothing_blocks", (before, after.reasons)


def test_an_empty_record_is_never_green() -> None:
    rec = PatientRecord(
        patient=Patient(patient_id=PID, sex="F", birth_date=date(2014, 2, 1), diagnosis="JDM")
    )
    assert decision_support(rec, ON).start_status == "cannot_assess"


def test_a_complete_record_can_be_green() -> None:
    """The property above must not hold vacuously: a record with every input present, recent
    and unremarkable is green before a start of tofacitinib."""
    labs = [
        LabResult(PID, ON, "lymphocytes", 1.5, "10^9/L"),
        LabResult(PID, ON, "neutrophils", 3.0, "10^9/L"),
        LabResult(PID, ON, "hemoglobin", 12.0, "g/dL"),
        LabResult(PID, ON, "total_cholesterol", 4.0, "mmol/L"),
        *(LabResult(PID, ON, a, result="negative") for a in QUAL[:4]),
        LabResult(PID, ON, "VZV_IgG", result="positive"),
    ]
    rec = PatientRecord(
        patient=Patient(
            patient_id=PID,
            sex="F",
            birth_date=date(2014, 2, 1),
            diagnosis="JDM",
            antibodies=("none",),
        ),
        visits=(Visit(PID, ON, weight_kg=30.0, height_cm=135.0),),
        labs=tuple(labs),
    )
    ds = decision_support(rec, ON, drug="tofacitinib")
    assert ds.start_status == "nothing_blocks", ds.reasons
    assert "No safety check blocks" in ds.headline
    # without an antibody result anti-MDA5 (a Pneumocystis risk factor) is unknown: amber
    unknown = replace(rec, patient=replace(rec.patient, antibodies=()))
    assert decision_support(unknown, ON, drug="tofacitinib").start_status == "cannot_assess"


def test_another_drugs_block_is_named_not_blamed_on_the_jak_inhibitor() -> None:
    """The complete record above plus hydroxychloroquine 400 mg/day at 30 kg (13.3 mg/kg/day,
    above the other-drug dose table's maximum): the summary blocks, the headline names the
    hydroxychloroquine check, and no JAK-inhibitor rule is said to block a start."""
    labs = [
        LabResult(PID, ON, "lymphocytes", 1.5, "10^9/L"),
        LabResult(PID, ON, "neutrophils", 3.0, "10^9/L"),
        LabResult(PID, ON, "hemoglobin", 12.0, "g/dL"),
        LabResult(PID, ON, "total_cholesterol", 4.0, "mmol/L"),
        *(LabResult(PID, ON, a, result="negative") for a in QUAL[:4]),
        LabResult(PID, ON, "VZV_IgG", result="positive"),
    ]
    hcq = DrugCourse(PID, "hydroxychloroquine", date(2024, 5, 1), None, 400, "mg", "QD", "oral")
    rec = PatientRecord(
        patient=Patient(
            patient_id=PID,
            sex="F",
            birth_date=date(2014, 2, 1),
            diagnosis="JDM",
            antibodies=("none",),
        ),
        visits=(Visit(PID, ON, weight_kg=30.0, height_cm=135.0),),
        labs=tuple(labs),
        courses=(hcq,),
    )
    ds = decision_support(rec, ON, drug="tofacitinib")
    assert ds.start_status == "blocks"
    assert "hydroxychloroquine" in ds.headline and "not a rule of the JAK" in ds.headline
    assert not ds.blocks_jak_start
