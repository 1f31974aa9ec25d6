"""What the pages and the JSON API do, once: reading patients (de-identified where the
policy says so) and saving what was entered, each save in the caller's one transaction."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, Literal

from sqlalchemy.orm import Session

from myotrack import registry
from myotrack.cohort import (
    CONFIRM_COLUMN,
    CONFIRMED,
    Context,
    Problem,
    check_course,
    check_event,
    check_jak_start,
    check_lab,
    check_patient,
    check_totals,
    check_visit,
    lab_result,
)
from myotrack.domain import (
    Assessment,
    DrugCourse,
    Event,
    LabResult,
    Patient,
    PatientRecord,
    Visit,
    WholeRecord,
)
from myotrack.domain.vocab import QUALITATIVE_ANALYTES, VISIT_MEASURES
from myotrack.web import research, schemas
from myotrack.web.errors import PSEUDONYM_TAKEN, Forbidden, Invalid, NotFound, PseudonymTaken
from myotrack.web.forms import ItemProblem, score_visit
from myotrack.web.listing import summaries
from myotrack.web.policy import Principal, may_write, site_for_new_patient, site_scope

log = logging.getLogger(__name__)

MEASURE_COLUMNS = tuple(c for c in VISIT_MEASURES if c not in ("weight_kg", "height_cm"))


class FormErrors(Invalid):
    """Field-level problems (shown beside the fields); `rules` names the rule each broke
    (field -> rule name, the same names as the cohort importer's)."""

    def __init__(self, errors: Mapping[str, str], rules: Mapping[str, str] | None = None) -> None:
        super().__init__("Not saved: " + "; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = dict(errors)
        self.rules = dict(rules or {})


def _today(today: date | None) -> date:
    """The web's clock, read once per save at this edge; tests pass `today`."""
    return date.today() if today is None else today


def _refuse(problems: Iterable[Problem], confirmed: bool = False) -> bool:
    """FormErrors for the record checks' problems (implausible values only when not
    `confirmed`); True when confirmed implausible values are being stored."""
    errors: dict[str, str] = {}
    rules: dict[str, str] = {}
    stored_implausible = False
    for p in problems:
        if p.needs_confirmation and confirmed:
            stored_implausible = True
            continue
        errors.setdefault(p.field, _sentence(p.message))
        rules.setdefault(p.field, p.rule)
    if errors:
        raise FormErrors(errors, rules)
    return stored_implausible


def _sentence(message: str) -> str:
    text = message[:1].upper() + message[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


# ------------------------------------------------------------------ reading


def _day(on: date | None, index: date | None) -> int | None:
    if on is None or index is None:
        return None
    return (on - index).days


def reference_date(record: PatientRecord) -> date | None:
    """Day 0 of relative days: the index date (first JAK-inhibitor start), else the first
    visit, lab or course (so de-identified views of untreated patients still have days)."""
    if record.index_date is not None:
        return record.index_date
    dates = [v.date for v in record.visits] + [lab.date for lab in record.labs]
    dates += [c.start_date for c in record.courses] + [e.date for e in record.events]
    return min(dates) if dates else None


def summary(record: PatientRecord, principal: Principal, today: date) -> schemas.PatientSummary:
    """One row of the patient list; for researchers `record` must already be de-identified
    (`research.shown_record`, as `detail` does), and no site is shown in any case."""
    p = record.patient
    deid = principal.deidentified
    index = record.index_date
    ref = reference_date(record)
    jak = sorted({c.drug for c in record.jak_courses})
    last = record.visits[-1].date if record.visits else None
    # The list's age column: at the latest visit (at the index date when de-identified).
    at = index if deid else last
    age = p.age_years(at) if at is not None else None
    return schemas.PatientSummary(
        patient_id=p.patient_id,
        site=None if deid else p.site,
        sex=p.sex,
        diagnosis=p.diagnosis,
        antibodies=list(p.antibodies),
        jak_inhibitors=jak,
        birth_date=None if deid else p.birth_date,
        age_years=round(age, 1) if age is not None else None,
        index_date=None if deid else index,
        n_visits=len(record.visits),
        last_visit_day=_day(last, ref),
    )


@dataclass(frozen=True, slots=True)
class PatientFilter:
    search: str = ""
    diagnosis: str = ""
    antibody: str = ""
    jak: str = ""  # "", "any", "none" or a drug
    site: str = ""
    sort: str = "patient_id"
    descending: bool = False


SORT_KEYS = (
    "patient_id",
    "site",
    "diagnosis",
    "age_years",
    "index_date",
    "n_visits",
    "last_visit_day",
)


def list_patients(
    session: Session, principal: Principal, flt: PatientFilter, today: date
) -> list[schemas.PatientSummary]:
    rows = summaries(session, principal, today)
    if principal.deidentified:
        # Research pseudonyms, no site; filtering or sorting by site would reveal it.
        research_key = research.key_of(session)
        rows = [
            row.model_copy(
                update={
                    "patient_id": research.shown_patient_id(
                        principal, research_key, row.patient_id
                    ),
                    "site": None,
                }
            )
            for row in rows
        ]
        flt = replace(flt, site="", sort="patient_id" if flt.sort == "site" else flt.sort)
    needle = flt.search.strip().lower()
    out = []
    for row in rows:
        if needle and needle not in row.patient_id.lower():
            continue
        if flt.diagnosis and row.diagnosis != flt.diagnosis:
            continue
        if flt.antibody and flt.antibody not in row.antibodies:
            continue
        if flt.site and (row.site or "") != flt.site:
            continue
        if flt.jak == "any" and not row.jak_inhibitors:
            continue
        if flt.jak == "none" and row.jak_inhibitors:
            continue
        if flt.jak not in ("", "any", "none") and flt.jak not in row.jak_inhibitors:
            continue
        out.append(row)
    key = flt.sort if flt.sort in SORT_KEYS else "patient_id"

    def sort_key(row: schemas.PatientSummary) -> tuple[bool, Any, str]:
        value = getattr(row, key)
        return (value is None, value if value is not None else 0, row.patient_id)

    present = sorted(
        (r for r in out if getattr(r, key) is not None), key=sort_key, reverse=flt.descending
    )
    absent = [r for r in out if getattr(r, key) is None]
    return present + sorted(absent, key=lambda r: r.patient_id)


def version_of(
    versions: Mapping[str, Mapping[tuple[Any, ...], int]], kind: str, key: tuple[Any, ...]
) -> int | None:
    """The row version of one record in `registry.row_versions` output (what a form sends
    back as expected_version), or None."""
    table = versions.get(kind, {})
    if key in table:
        return table[key]
    text_key = tuple("" if k is None else str(k) for k in key)
    for candidate, version in table.items():
        if tuple("" if k is None else str(k) for k in candidate) == text_key:
            return version
    return None


def _number(value: float | bool | None) -> float | None:
    return None if value is None or isinstance(value, bool) else float(value)


def lab_flag(lab: LabResult) -> Literal["high", "low", "abnormal", ""]:
    if lab.above_reference:
        return "high"
    if lab.below_reference:
        return "low"
    if lab.analyte in QUALITATIVE_ANALYTES:
        # Screening tests: a positive result needs attention, except VZV IgG, where
        # positive means immune and negative (not immune) is what needs attention.
        attention = "negative" if lab.analyte == "VZV_IgG" else "positive"
        if lab.result == attention:
            return "abnormal"
    return ""


def detail(
    session: Session,
    record: PatientRecord,
    principal: Principal,
    today: date,
    decision_support: dict[str, Any] | None,
) -> schemas.PatientDetail:
    deid = principal.deidentified
    record = research.shown_record(session, principal, record)  # the user's tier
    p = record.patient
    pid = p.patient_id
    ref = reference_date(record)
    versions = {} if deid else registry.row_versions(session, pid)

    def shown(d: date | None) -> date | None:
        return None if deid else d

    return schemas.PatientDetail(
        patient=summary(record, principal, today),
        onset_date=shown(p.onset_date),
        diagnosis_date=shown(p.diagnosis_date),
        bohan_peter=p.bohan_peter,
        refractory=p.refractory,
        features=list(p.features),
        version=version_of(versions, "patient", (pid,)),
        visits=[
            schemas.VisitOut(
                date=shown(v.date),
                day=_day(v.date, ref),
                weight_kg=v.weight_kg,
                height_cm=v.height_cm,
                rash=v.rash,
                weakness=v.weakness,
                measures={c: _number(v.measure(c)) for c in MEASURE_COLUMNS},
                version=version_of(versions, "visit", (pid, v.date)),
            )
            for v in record.visits
        ],
        labs=[
            schemas.LabOut(
                date=shown(lab.date),
                day=_day(lab.date, ref),
                analyte=lab.analyte,
                value=lab.value,
                unit=lab.unit,
                result=lab.result,
                ref_low=lab.ref_low,
                ref_high=lab.ref_high,
                flag=lab_flag(lab),
                reported=(
                    f"{lab.reported.value:g} {lab.reported.unit}"
                    if lab.reported is not None
                    else None
                ),
                version=version_of(versions, "lab", (pid, lab.date, lab.analyte)),
            )
            for lab in record.labs
        ],
        courses=[
            schemas.CourseOut(
                drug=c.drug,
                start_date=shown(c.start_date),
                start_day=_day(c.start_date, ref),
                end_date=shown(c.end_date),
                end_day=_day(c.end_date, ref),
                dose=c.dose,
                dose_unit=c.dose_unit,
                frequency=c.frequency,
                route=c.route,
                stop_reason=c.stop_reason,
                running=c.end_date is None,
                version=version_of(versions, "course", (pid, c.drug, c.start_date)),
            )
            for c in record.courses
        ],
        events=[
            schemas.EventOut(
                date=shown(e.date),
                day=_day(e.date, ref),
                event=e.event,
                detail=e.detail,
                grade=e.grade,
                version=version_of(versions, "event", (pid, e.date, e.event, e.detail)),
            )
            for e in record.events
        ],
        assessments=[
            schemas.AssessmentOut(
                date=shown(a.date),
                day=_day(a.date, ref),
                instrument=a.instrument,
                version=a.version,
                total=a.total,
                items={k: v for k, v in a.items.items()},
            )
            for a in record.assessments
        ],
        decision_support=None if deid else decision_support,
    )


def decision_support(
    record: PatientRecord,
    requested: date | None,
    today: date | None = None,
    whole: WholeRecord | None = None,
) -> tuple[dict[str, Any] | None, bool, str | None]:
    """The decision-support panel as data, whether it blocks a JAK-inhibitor start, and an
    error text if it could not be computed (shown, never hidden). With `today`, the date is
    `requested` or else the patient's latest record date when in the past (the panel says
    which); without it, `requested` is the date. `whole` (`registry.load_whole_record`)
    adds the checks that need the whole record (live vaccines, pregnancy test, ancestry,
    dated ILD, oxygen)."""
    try:
        from myotrack.therapy import decision_support as compute
        from myotrack.therapy.decision_support import as_of

        day = requested if requested is not None else today
        assert day is not None
        chosen = as_of(record, requested, today) if today is not None else None
        result = compute(
            record, day if chosen is None else chosen.on, as_of_date=chosen, whole=whole
        )
        return result.to_dict(), bool(result.blocks_jak_start), None
    except Exception as exc:  # shown to the clinician rather than breaking the page
        log.exception("decision support failed for %s", record.patient.patient_id)
        return None, False, f"Decision support could not be computed: {exc}"


# ------------------------------------------------------------------ writing


def _writable(session: Session, principal: Principal, patient_id: str) -> PatientRecord:
    record = registry.load_record(session, patient_id)
    if record is None or not may_write(principal, record.patient.site):
        raise NotFound(f"There is no patient {patient_id!r} that you can change.")
    return record


def create_patient(
    session: Session, principal: Principal, data: schemas.PatientIn, *, today: date | None = None
) -> int:
    """Add a patient, or with `expected_version` change one (a clinician keeps their own
    site; the pseudonym cannot change; `x_` columns the form does not show are kept)."""
    site = site_for_new_patient(principal, data.site)
    if not may_write(principal, site):
        raise Forbidden("You may only add patients of your own site.")
    extra: dict[str, str] = {}
    if data.expected_version is not None:
        extra = dict(_writable(session, principal, data.patient_id).patient.extra)
    _refuse(check_patient(data.model_dump(), Context(_today(today))))
    patient = Patient(
        patient_id=data.patient_id,
        sex=data.sex,
        birth_date=data.birth_date,
        diagnosis=data.diagnosis,
        onset_date=data.onset_date,
        diagnosis_date=data.diagnosis_date,
        bohan_peter=data.bohan_peter,
        antibodies=tuple(data.antibodies),
        refractory=data.refractory,
        features=tuple(data.features),
        site=site,
        extra=extra,
    )
    try:
        version = registry.save_patient(
            session,
            patient,
            expected_version=data.expected_version,
            actor=principal.username,
            reason=data.reason,
        )
    except registry.DuplicateError as exc:  # the same words whichever site holds it
        raise PseudonymTaken(PSEUDONYM_TAKEN) from exc
    return int(version)


def save_visit(
    session: Session,
    principal: Principal,
    patient_id: str,
    data: schemas.VisitIn,
    *,
    today: date | None = None,
) -> schemas.Saved:
    record = _writable(session, principal, patient_id)
    stored = next((v for v in record.visits if v.date == data.date), None)
    visit, assessments = visit_from(record, data, today=today)
    if data.expected_version is not None and stored is not None:
        # x_ columns the form does not show
        visit = replace(visit, extra={**stored.extra, **visit.extra})
    version = registry.save_visit(
        session,
        visit,
        expected_version=data.expected_version,
        actor=principal.username,
        reason=data.reason,
        assessments=assessments,
    )
    return schemas.Saved(
        kind="visit", key=[patient_id, data.date.isoformat()], version=int(version)
    )


def _context(record: PatientRecord, today: date | None) -> Context:
    p = record.patient
    return Context(_today(today), p.birth_date, p.sex)


def _confirmed(extra: Mapping[str, str], stored_implausible: bool) -> dict[str, str]:
    """The record's x_ columns, marked as confirmed when implausible values are stored
    (so the export re-imports without --accept-implausible)."""
    return {**extra, CONFIRM_COLUMN: CONFIRMED} if stored_implausible else dict(extra)


def _yes_no(flag: bool | None) -> str | None:
    return None if flag is None else ("yes" if flag else "no")


def visit_from(
    record: PatientRecord, data: schemas.VisitIn, *, today: date | None = None
) -> tuple[Visit, list[Assessment]]:
    """The visit and its item-level assessments as entered, checked (FormErrors): each
    typed total by its column's rule and against its items, then the record checks."""
    patient_id = record.patient.patient_id
    columns, assessments, problems = score_visit(patient_id, data.date, data.instruments)
    errors: dict[str, str] = {p.key: p.short for p in problems}
    rules: dict[str, str] = {p.key: "item" for p in problems}
    typed: dict[str, float | None] = {
        column: value for column, value in data.totals.model_dump().items() if value is not None
    }
    for p in check_totals(typed, columns):
        errors[f"totals.{p.field}"] = _sentence(p.message)
        rules[f"totals.{p.field}"] = p.rule
    if errors:
        raise FormErrors(errors, rules)
    scores = {**typed, **columns}
    values: dict[str, Any] = {
        "patient_id": patient_id,
        "date": data.date,
        "weight_kg": data.weight_kg,
        "height_cm": data.height_cm,
        "rash": _yes_no(data.rash),
        "weakness": _yes_no(data.weakness),
        **scores,
    }
    confirmed = _refuse(check_visit(values, _context(record, today)), data.confirm_implausible)
    visit = Visit(
        patient_id=patient_id,
        date=data.date,
        weight_kg=data.weight_kg,
        height_cm=data.height_cm,
        rash=data.rash,
        weakness=data.weakness,
        extra=_confirmed({}, confirmed),
        **scores,
    )
    return visit, assessments


def save_lab(
    session: Session,
    principal: Principal,
    patient_id: str,
    data: schemas.LabIn,
    *,
    today: date | None = None,
) -> schemas.Saved:
    record = _writable(session, principal, patient_id)
    lab = lab_from(record, data, today=today)
    if data.expected_version is not None:  # an edit keeps the x_ columns no form shows
        key = (data.date, data.analyte)
        stored = next((x for x in record.labs if (x.date, x.analyte) == key), None)
        lab = replace(lab, extra={**stored.extra, **lab.extra}) if stored is not None else lab
    version = registry.save_lab(
        session,
        lab,
        expected_version=data.expected_version,
        actor=principal.username,
        reason=data.reason,
    )
    return schemas.Saved(
        kind="lab", key=[patient_id, data.date.isoformat(), data.analyte], version=int(version)
    )


def lab_from(record: PatientRecord, data: schemas.LabIn, *, today: date | None = None) -> LabResult:
    """The lab result as entered, checked by the record checks (FormErrors) and stored as
    the importer stores it (`cohort.reader.lab_result`: µkat/L converted, the reported
    value kept)."""
    values: dict[str, Any] = {
        "patient_id": record.patient.patient_id,
        "date": data.date,
        "analyte": data.analyte,
        "value": data.value,
        "unit": data.unit,
        "result": data.result,
        "ref_low": data.ref_low,
        "ref_high": data.ref_high,
    }
    confirmed = _refuse(check_lab(values, _context(record, today)), data.confirm_implausible)
    return lab_result(values, _confirmed({}, confirmed))


def start_course(
    session: Session,
    principal: Principal,
    patient_id: str,
    data: schemas.CourseIn,
    *,
    today: date | None = None,
) -> schemas.Saved:
    record = _writable(session, principal, patient_id)
    course = course_from(record, data, today=today)
    version = registry.save_course(
        session, course, expected_version=None, actor=principal.username, reason=data.reason
    )
    return schemas.Saved(
        kind="course",
        key=[patient_id, data.drug, data.start_date.isoformat()],
        version=int(version),
    )


def course_from(
    record: PatientRecord, data: schemas.CourseIn, *, today: date | None = None
) -> DrugCourse:
    """The course as entered, checked (FormErrors). `record` holds the patient's other
    courses (for an edit: without the course being edited)."""
    course = DrugCourse(
        patient_id=record.patient.patient_id,
        drug=data.drug,
        start_date=data.start_date,
        dose=data.dose,
        dose_unit=data.dose_unit,
        frequency=data.frequency,
        route=data.route,
    )
    _check_course(record, course, today)
    return course


def _check_course(
    record: PatientRecord, course: DrugCourse, today: date | None, *, new: bool = True
) -> None:
    problems = check_course(_course_values(course), _context(record, today))
    if new:
        others = [c.start_date for c in record.courses if c.is_jak_inhibitor]
        clash = check_jak_start(course.drug, course.start_date, others)
        problems += [clash] if clash is not None else []
    _refuse(problems)


def _course_values(course: DrugCourse) -> dict[str, Any]:
    return {
        "patient_id": course.patient_id,
        "drug": course.drug,
        "dose": course.dose,
        "dose_unit": course.dose_unit,
        "frequency": course.frequency,
        "route": course.route,
        "start_date": course.start_date,
        "end_date": course.end_date,
        "stop_reason": course.stop_reason,
    }


def change_course(
    session: Session,
    principal: Principal,
    patient_id: str,
    data: schemas.CourseChange,
    *,
    today: date | None = None,
) -> schemas.Saved:
    """Change dose: end the running course the day before `on` and start the same drug at
    the new dose on `on` (cohort format: a dose change ends one row and starts the next).
    Stop: end the course on `on` with the stop reason."""
    record = _writable(session, principal, patient_id)
    course = next(
        (c for c in record.courses if c.drug == data.drug and c.start_date == data.start_date), None
    )
    if course is None:
        raise NotFound(f"No {data.drug} course starting {data.start_date} for {patient_id}.")
    if course.end_date is not None:
        raise FormErrors({"on": "This course has already ended."})
    if (data.new_dose is None) == (data.stop_reason is None):
        raise FormErrors({"new_dose": "Give either a new dose or a stop reason."})
    if data.new_dose is not None:
        if data.on <= course.start_date:
            raise FormErrors({"on": "A dose change must be after the course start."})
        ended = replace(course, end_date=data.on - timedelta(days=1))
        successor = replace(
            course, start_date=data.on, end_date=None, dose=data.new_dose, stop_reason=None
        )
        _check_course(record, ended, today, new=False)
        _check_course(record, successor, today)
        registry.save_course(
            session,
            ended,
            expected_version=data.expected_version,
            actor=principal.username,
            reason=data.reason,
        )
        version = registry.save_course(
            session, successor, expected_version=None, actor=principal.username, reason=data.reason
        )
        return schemas.Saved(
            kind="course", key=[patient_id, data.drug, data.on.isoformat()], version=int(version)
        )
    if data.on < course.start_date:
        raise FormErrors({"on": "The stop date is before the course start."})
    stopped = replace(course, end_date=data.on, stop_reason=data.stop_reason)
    _check_course(record, stopped, today, new=False)
    version = registry.save_course(
        session,
        stopped,
        expected_version=data.expected_version,
        actor=principal.username,
        reason=data.reason,
    )
    return schemas.Saved(
        kind="course",
        key=[patient_id, data.drug, data.start_date.isoformat()],
        version=int(version),
    )


def add_event(
    session: Session,
    principal: Principal,
    patient_id: str,
    data: schemas.EventIn,
    *,
    today: date | None = None,
) -> schemas.Saved:
    record = _writable(session, principal, patient_id)
    event = event_from(record, data, today=today)
    version = registry.save_event(
        session, event, expected_version=None, actor=principal.username, reason=data.reason
    )
    return schemas.Saved(
        kind="event", key=[patient_id, data.date.isoformat(), data.event], version=int(version)
    )


def event_from(record: PatientRecord, data: schemas.EventIn, *, today: date | None = None) -> Event:
    """The event as entered, checked (FormErrors)."""
    detail_text = (data.detail or "").strip() or None
    event = Event(
        patient_id=record.patient.patient_id,
        date=data.date,
        event=data.event,
        detail=detail_text,
        grade=data.grade,
    )
    values = {"patient_id": event.patient_id, "date": event.date, "event": event.event}
    _refuse(check_event(values, _context(record, today)))
    return event


def known_sites(session: Session, principal: Principal) -> list[str]:
    if principal.deidentified:
        return []  # researchers are not shown sites
    scope = site_scope(principal)
    if scope is not None:
        return sorted(scope)
    return sorted({p.site for p in registry.list_patients(session) if p.site})


def issues_out(issues: Iterable[Any]) -> list[schemas.IssueOut]:
    return [
        schemas.IssueOut(file=i.file, line=i.line, field=i.field, rule=i.rule, message=i.message)
        for i in issues
    ]


__all__ = ["FormErrors", "ItemProblem"]
