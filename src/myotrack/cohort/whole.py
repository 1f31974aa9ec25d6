"""Cohort format version 2 rows and the whole JDM record: how a row of a version 1 file is
split into its version 1 object and its version 2 record (`split_row`), how the version 2
records of a cohort become `WholeRecord`s (`whole_records`), and the version 1 view the
analyses read, with a warning for every date they had to impute (`v1_view`).

Rules (docs/cohort-format.md, "Version 2"):

* a treatments.csv row with whole dates and version 1 codes is a version 1 course; its
  version 2 columns, when filled, are a `course_detail` record beside it. Any other row
  (start or end known only to the month or year, no start at all, a version 2 dose unit,
  frequency or route) is a `treatment_course` record;
* an events.csv row with a whole date and a version 1 event is a version 1 event; its
  organism columns are an `event_detail` record. A version 2 event, or an infection known
  to the month or year, is a `clinical_event` record;
* a patients.csv row is a version 1 patient; an onset or diagnosis date known only to the
  month or year and the version 2 columns are its `patient_background` record.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, Final

from myotrack.cohort.columns import FILES
from myotrack.cohort.columns_v2 import (
    COURSE_DETAIL_COLUMNS,
    EVENT_DETAIL_COLUMNS,
    KIND_OF_FILE,
    PATIENT_V2_COLUMNS,
    RECORD_KIND,
)
from myotrack.domain import (
    AnaResult,
    AntibodyTest,
    BiopsyScore,
    BronchoalveolarLavage,
    Capillaroscopy,
    CardiacTest,
    ChestHrct,
    ClinicalEvent,
    Cohort,
    FamilyHistory,
    InfectionDetail,
    LungFunction,
    MuscleBiopsy,
    MuscleMri,
    MuscleUltrasound,
    OrganInvolvement,
    OrganismFinding,
    OxygenNeed,
    PartialDate,
    PatientBackground,
    PatientRecord,
    PregnancyTest,
    RecordRow,
    SwallowAssessment,
    TreatmentDecision,
    Vaccination,
    WholeRecord,
    treatment_course,
    vocab,
)
from myotrack.domain.record_vocab import RecordEvent, codes

Values = dict[str, Any]

_COURSE_DETAIL: Final = tuple(c.name for c in COURSE_DETAIL_COLUMNS)
_EVENT_DETAIL: Final = tuple(c.name for c in EVENT_DETAIL_COLUMNS)
_PATIENT_V2: Final = tuple(c.name for c in PATIENT_V2_COLUMNS)
_V1_NAMES: Final = {file: tuple(c.name for c in cols) for file, cols in FILES.items()}
_V1_CODES: Final = {
    "dose_unit": frozenset(vocab.DOSE_UNITS),
    "frequency": frozenset(vocab.FREQUENCIES),
    "route": frozenset(vocab.ROUTES),
}
V2_EVENTS: Final = frozenset(codes(RecordEvent))


def _exact(value: Any) -> date | None:
    """A whole date of a partial-date cell (None when not known to the day)."""
    if isinstance(value, PartialDate):
        return value.as_date()
    return value if isinstance(value, date) else None


def _filled(values: Mapping[str, Any]) -> Values:
    """The filled cells of a record (its patient is the RecordRow's own field)."""
    return {k: v for k, v in values.items() if v is not None and k != "patient_id"}


def _v1_part(file: str, values: Mapping[str, Any]) -> Values:
    out: Values = {}
    for name in _V1_NAMES[file]:
        value = values.get(name)
        out[name] = _exact(value) if isinstance(value, PartialDate) else value
    return out


# ------------------------------------------------------------------ splitting rows


def course_is_v1(values: Mapping[str, Any]) -> bool:
    """A treatments.csv row version 1 can hold: whole start (and end), version 1 codes."""
    start, end = values.get("start_date"), values.get("end_date")
    if _exact(start) is None or (end is not None and _exact(end) is None):
        return False
    if values.get("start_unknown") == "yes":
        return False
    return all(values.get(c) is None or values[c] in ok for c, ok in _V1_CODES.items())


def event_is_v1(values: Mapping[str, Any]) -> bool:
    return _exact(values.get("date")) is not None and values.get("event") in vocab.EVENTS


def split_row(file: str, values: Mapping[str, Any]) -> tuple[Values | None, RecordRow | None]:
    """A row of a version 1 file read as version 2: its version 1 values (None when
    version 1 cannot hold it; dates as whole dates) and its version 2 record (or None)."""
    pid = values.get("patient_id")
    assert isinstance(pid, str)
    if file == "treatments.csv":
        if not course_is_v1(values):
            return None, RecordRow("treatment_course", pid, _filled(values))
        v1 = _v1_part(file, values)
        detail = _filled({n: values.get(n) for n in _COURSE_DETAIL})
        if not detail:
            return v1, None
        key = {"drug": v1["drug"], "start_date": v1["start_date"]}
        return v1, RecordRow("course_detail", pid, {**key, **detail})
    if file == "events.csv":
        if not event_is_v1(values):
            return None, RecordRow("clinical_event", pid, _filled(values))
        v1 = _v1_part(file, values)
        detail = _filled({n: values.get(n) for n in _EVENT_DETAIL})
        if not detail:
            return v1, None
        key = _filled({"date": v1["date"], "event": v1["event"], "detail": v1.get("detail")})
        return v1, RecordRow("event_detail", pid, {**key, **detail})
    if file == "patients.csv":
        v1 = _v1_part(file, values)
        background = _filled({n: values.get(n) for n in _PATIENT_V2})
        for name in ("onset_date", "diagnosis_date"):
            value = values.get(name)
            if isinstance(value, PartialDate) and not value.is_exact:
                background[name] = value
        return v1, (RecordRow("patient_background", pid, background) if background else None)
    return dict(values), None


def new_file_row(file: str, values: Mapping[str, Any]) -> RecordRow:
    pid = values["patient_id"]
    return RecordRow(KIND_OF_FILE[file].name, pid, _filled(values))


# ------------------------------------------------------------------ joining rows (writer)


def file_rows(cohort: Cohort) -> dict[str, list[Values]]:
    """The version 2 rows of each file of a cohort, each as its column values: detail
    records merged into the row of their version 1 course/event/patient (`rows_v1_merge`),
    full records as rows of their own. Keys: file names; the version 1 objects' rows are
    added by the writer."""
    out: dict[str, list[Values]] = {}
    for row in cohort.v2_rows:
        kind = RECORD_KIND[row.kind]
        if kind.name in ("course_detail", "event_detail", "patient_background"):
            continue
        out.setdefault(kind.file, []).append({"patient_id": row.patient_id, **row.values})
    return out


def details(cohort: Cohort) -> dict[tuple[str, tuple[Any, ...]], Values]:
    """Detail records by (kind, key): ('course_detail', (pid, drug, start)),
    ('event_detail', (pid, date, event, detail)), ('patient_background', (pid,))."""
    out: dict[tuple[str, tuple[Any, ...]], Values] = {}
    for row in cohort.v2_rows:
        v = row.values
        if row.kind == "course_detail":
            out[(row.kind, (row.patient_id, v["drug"], v["start_date"]))] = dict(v)
        elif row.kind == "event_detail":
            key = (row.patient_id, v["date"], v["event"], v.get("detail"))
            out[(row.kind, key)] = dict(v)
        elif row.kind == "patient_background":
            out[(row.kind, (row.patient_id,))] = dict(v)
    return out


# ------------------------------------------------------------------ domain objects


def _yes(value: Any) -> bool | None:
    return None if value is None else value == "yes"


def _int(value: Any) -> int | None:
    return None if value is None else int(value)


def _tuple(value: Any) -> Any:
    """A choices cell (checked against its vocabulary) as the domain's tuple."""
    return tuple(value) if value else ()


def _same_names(cls: type, pid: str, v: Mapping[str, Any]) -> Any:
    """An investigation whose fields are named as its columns (yes/no as booleans)."""
    args: dict[str, Any] = {"patient_id": pid}
    for f in dataclasses.fields(cls):
        if f.name == "patient_id" or f.name not in v:
            continue
        value = v[f.name]
        if value in ("yes", "no") and f.name not in ("result",):
            value = value == "yes"
        args[f.name] = value
    return cls(**args)


_INVESTIGATIONS: Final[dict[str, type]] = {
    "chest_ct": ChestHrct,
    "lung_function": LungFunction,
    "oxygen_need": OxygenNeed,
    "muscle_mri": MuscleMri,
    "muscle_ultrasound": MuscleUltrasound,
    "capillaroscopy": Capillaroscopy,
    "cardiac_test": CardiacTest,
    "swallow_assessment": SwallowAssessment,
}


def _bal(pid: str, v: Mapping[str, Any]) -> BronchoalveolarLavage:
    method = v.get("detection_method", "not_stated")
    return BronchoalveolarLavage(
        patient_id=pid,
        date=v["date"],
        cytology=v.get("cytology"),
        lymphocytes_percent=v.get("lymphocytes_percent"),
        neutrophils_percent=v.get("neutrophils_percent"),
        organisms=tuple(OrganismFinding(o, method) for o in v.get("organisms") or ()),
        free_text=v.get("free_text"),
    )


def _biopsy(pid: str, v: Mapping[str, Any]) -> MuscleBiopsy:
    scores = {d: v.get(f"score_{d}") for d in BIOPSY_FIELDS}
    score = None
    if any(s is not None for s in scores.values()) or "score_tool_version" in v:
        score = BiopsyScore(**scores, tool_version=v.get("score_tool_version", "Wedderburn 2007"))
    return MuscleBiopsy(
        patient_id=pid,
        date=v["date"],
        site=v.get("site"),
        consistent_with_jdm=_yes(v.get("consistent_with_jdm")),
        perifascicular_atrophy=_yes(v.get("perifascicular_atrophy")),
        mhc_class_i_overexpression=_yes(v.get("mhc_class_i_overexpression")),
        score=score,
        free_text=v.get("free_text"),
    )


BIOPSY_FIELDS: Final = (
    "inflammatory",
    "vascular",
    "muscle_fibre",
    "connective_tissue",
    "overall_vas",
)


def _event_record(pid: str, v: Mapping[str, Any], grade: int | None = None) -> Any:
    when = v["date"]
    if not isinstance(when, PartialDate):
        when = PartialDate.of(when)
    if v.get("organism") is not None:
        return InfectionDetail(
            patient_id=pid,
            date=when,
            organism=v["organism"],
            method=v.get("detection_method", "not_stated"),
            specimen=v.get("specimen"),
            grade=_int(v.get("grade", grade)),
            free_text=v.get("detail"),
        )
    return ClinicalEvent(patient_id=pid, date=when, event=v["event"], free_text=v.get("detail"))


def whole_records(cohort: Cohort) -> dict[str, WholeRecord]:
    """Every patient's whole record: the version 1 record (`Cohort.records()`) with the
    version 2 records of the cohort as domain objects."""
    records = cohort.records()
    parts: dict[str, dict[str, list[Any]]] = {pid: {} for pid in records}
    backgrounds: dict[str, Values] = {}
    course_of = {(c.patient_id, c.drug, c.start_date): c for c in cohort.courses}
    event_grade: dict[tuple[Any, ...], int | None] = {
        (e.patient_id, e.date, e.event, e.detail): e.grade for e in cohort.events
    }
    for row in cohort.v2_rows:
        pid, v = row.patient_id, row.values
        if pid not in parts:
            continue
        add = parts[pid].setdefault
        if row.kind == "patient_background":
            backgrounds[pid] = dict(v)
        elif row.kind == "antibody_test":
            if v["antibody"] == "ANA":
                add("ana", []).append(
                    AnaResult(
                        date=v["date"],
                        result=v["result"],
                        titre=_int(v.get("titre")),
                        pattern=v.get("pattern"),
                        method=v.get("method", "indirect_immunofluorescence"),
                    )
                )
            else:
                add("antibody_tests", []).append(
                    AntibodyTest(
                        date=v["date"],
                        antibody=v["antibody"],
                        result=v["result"],
                        method=v.get("method", "not_stated"),
                        laboratory=v.get("laboratory"),
                    )
                )
        elif row.kind == "family_history":
            add("family_history", []).append(
                FamilyHistory(v["relative"], v["condition"], v.get("free_text"))
            )
        elif row.kind == "organ_involvement":
            add("involvement", []).append(
                OrganInvolvement(
                    patient_id=pid,
                    organ=v["organ"],
                    onset=v.get("onset_date"),
                    resolution=v.get("resolution_date"),
                    resolved=_yes(v.get("resolved")),
                    severity=v.get("severity"),
                    certainty=v.get("certainty", "confirmed"),
                    sites=_tuple(v.get("sites")),
                    free_text=v.get("free_text"),
                )
            )
        elif row.kind in _INVESTIGATIONS:
            add("investigations", []).append(_same_names(_INVESTIGATIONS[row.kind], pid, v))
        elif row.kind == "bal":
            add("investigations", []).append(_bal(pid, v))
        elif row.kind == "muscle_biopsy":
            add("investigations", []).append(_biopsy(pid, v))
        elif row.kind == "vaccination":
            add("vaccinations", []).append(
                Vaccination(
                    pid, v["date"], v["vaccine"], _int(v.get("dose_number")), v.get("free_text")
                )
            )
        elif row.kind == "pregnancy_test":
            add("pregnancy_tests", []).append(
                PregnancyTest(pid, v["date"], v["result"], v.get("method"))
            )
        elif row.kind == "treatment_decision":
            add("decisions", []).append(
                TreatmentDecision(
                    patient_id=pid,
                    decided_on=v["decided_on"],
                    decision=v["decision"],
                    drug=v.get("drug"),
                    status=v.get("status", "open"),
                    free_text=v.get("free_text"),
                )
            )
        elif row.kind == "treatment_course":
            add("treatment_courses", []).append(treatment_course(pid, v))
        elif row.kind == "course_detail":
            base = course_of.get((pid, v["drug"], v["start_date"]))
            if base is not None:
                add("treatment_courses", []).append(treatment_course(pid, v, base))
        elif row.kind in ("clinical_event", "event_detail"):
            grade = event_grade.get((pid, v.get("date"), v.get("event"), v.get("detail")))
            record = _event_record(pid, v, grade)
            name = "infections" if isinstance(record, InfectionDetail) else "clinical_events"
            add(name, []).append(record)
    out: dict[str, WholeRecord] = {}
    for pid, record in records.items():
        p = parts[pid]
        out[pid] = WholeRecord(
            base=record,
            background=_background(record, backgrounds.get(pid), p),
            investigations=tuple(p.get("investigations", ())),
            involvement=tuple(p.get("involvement", ())),
            treatment_courses=tuple(p.get("treatment_courses", ())),
            clinical_events=tuple(p.get("clinical_events", ())),
            infections=tuple(p.get("infections", ())),
            vaccinations=tuple(p.get("vaccinations", ())),
            pregnancy_tests=tuple(p.get("pregnancy_tests", ())),
            decisions=tuple(p.get("decisions", ())),
        )
    return out


def _background(
    record: PatientRecord, v: Values | None, parts: Mapping[str, list[Any]]
) -> PatientBackground | None:
    if v is None and not any(parts.get(n) for n in ("ana", "antibody_tests", "family_history")):
        return None
    v = v or {}
    patient = record.patient
    onset = v.get("onset_date") or (
        None if patient.onset_date is None else PartialDate.of(patient.onset_date)
    )
    diagnosed = v.get("diagnosis_date") or (
        None if patient.diagnosis_date is None else PartialDate.of(patient.diagnosis_date)
    )
    return PatientBackground(
        patient_id=patient.patient_id,
        onset=onset,
        diagnosed=diagnosed,
        ethnicity=v.get("ethnicity"),
        race=_tuple(v.get("race")),
        family_history=tuple(parts.get("family_history", ())),
        family_history_none=v.get("family_history_none") == "yes",
        subtype=v.get("subtype"),
        ana=tuple(parts.get("ana", ())),
        antibody_tests=tuple(parts.get("antibody_tests", ())),
        first_specialist_contact=v.get("first_specialist_contact"),
        consent_to_contact=_yes(v.get("consent_to_contact")),
        consent_to_reuse=_yes(v.get("consent_to_reuse")),
    )


def rows_of_kind(rows: Iterable[RecordRow], kind: str) -> list[RecordRow]:
    return [r for r in rows if r.kind == kind]


__all__ = [
    "course_is_v1",
    "details",
    "event_is_v1",
    "file_rows",
    "new_file_row",
    "rows_of_kind",
    "split_row",
    "whole_records",
]
