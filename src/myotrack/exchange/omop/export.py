"""A Cohort as OMOP CDM 5.4 tables (write-only), one CSV per table. Pure: rows out, no
files; `export_files` yields each table's CSV text in pieces (a large cohort is never held
as text at once).

What goes where (docs/exchange.md, OMOP section; interop.md §4.1):

* PERSON per patient (`person_id` 1, 2, … in cohort order; `person_source_value` the
  patient id of the tier; race and ethnicity 0: not recorded); CARE_SITE per site.
* OBSERVATION_PERIOD per patient: from the first to the last date recorded for the
  patient (onset, diagnosis, visits, labs, courses and their ends, events), type Registry.
* VISIT_OCCURRENCE per visit: outpatient, start = end = the visit date.
* CONDITION_OCCURRENCE: the diagnosis (dated by the diagnosis date, else the onset, else
  the first recorded date) and each disease feature (same date).
* MEASUREMENT: every lab result (value as stored — µkat/L enzymes in U/L, the reported
  value kept in `value_source_value`; screening results as value concepts), every visit
  measure and score, each myositis antibody (Positive; `none` without a value).
* DRUG_EXPOSURE per course: the end date is the recorded end, or for a course still running
  the cohort's cut-off (`verbatim_end_date` empty), never before the start; dose,
  unit, frequency and route in `sig` (CDM 5.4 has no dose columns).
* OBSERVATION: rash and weakness at visits, Bohan & Peter and refractory disease, "no
  feature", and every event (grade in `value_as_number`, detail in `value_as_string`).
* DEATH: the first death event. PROCEDURE_OCCURRENCE: the investigations of cohort format
  version 2.
* The records of cohort format version 2 (investigations, organ involvement, background,
  treatment detail, vaccinations, …) after the version 1 rows of each table: `omop.whole`.
* CDM_SOURCE and METADATA: the cut-off, the concept subset version, and what OMOP
  cannot carry (`LOSSY`). CONCEPT, VOCABULARY, DOMAIN, CONCEPT_CLASS: the shipped subset.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import Any, Final

from myotrack.cohort import cell
from myotrack.domain import Cohort, PatientRecord
from myotrack.domain.vocab import QUALITATIVE_ANALYTES, VISIT_FLAGS, VISIT_MEASURE_TABLE
from myotrack.exchange.omop.cdm import CDM_VERSION, field_names
from myotrack.exchange.omop.concepts import NO_MATCH, concept_id, concept_ids, vocabulary_rows
from myotrack.exchange.omop.whole import Whole, anchored, whole_facts

REGISTRY: Final = "32879"  # type concept Registry (interop.md §4.2, VERIFIED)
OUTPATIENT: Final = "9202"  # visit concept Outpatient Visit (interop.md §4.2, VERIFIED)
VOCABULARY_VERSION: Final = "myotrack 2026-12"  # varchar(20)

# What OMOP CDM 5.4 cannot carry from a myotrack cohort (also in CDM_SOURCE and METADATA).
LOSSY: Final[tuple[str, ...]] = (
    "doses per kg or per m2, frequencies and routes: CDM 5.4 has no dose columns; each "
    "course's dose, unit, frequency and route are in drug_exposure.sig",
    "courses running at the cut-off end on the cut-off date (drug_exposure_end_date is "
    "required); their verbatim_end_date is empty",
    "item-level instrument assessments are not exported (their totals are, as visit measures)",
    "scores, antibodies, features, events and every code without a verified standard "
    "concept use local concepts of vocabulary myotrack (ids from 2,000,000,000)",
    "event details longer than 60 characters are cut to 60 (observation.value_as_string), "
    "patient ids and drug names longer than 50 to 50 (the *_source_value columns)",
    "x_ columns of the cohort folder are not exported",
    "records of cohort format version 2: dates known only to the month or year are imputed "
    "(the 15th of the month, 1 July of the year, never after the cut-off) and kept as "
    "written only in a course's sig; their free text and an antibody test's laboratory are "
    "not exported; a course without any start date is left out (drug_exposure needs one); "
    "their codes have no verified concept (concept 0 with the source value "
    "<record>.<column>, except antibodies, drugs, events and features with a myotrack "
    "concept)",
)

# The tables written, in the order a loader fills them (foreign keys point backwards).
TABLES: Final = (
    "care_site",
    "person",
    "observation_period",
    "visit_occurrence",
    "condition_occurrence",
    "drug_exposure",
    "procedure_occurrence",
    "measurement",
    "observation",
    "death",
    "cdm_source",
    "metadata",
    "concept",
    "vocabulary",
    "domain",
    "concept_class",
)
_CHUNK: Final = 20_000  # rows per piece of text


def file_name(table: str) -> str:
    return f"{table.upper()}.csv"


class _Row:
    """Builds rows of one table as lists in the specification's column order."""

    def __init__(self, table: str) -> None:
        self.names = field_names(table)
        self.index = {n: i for i, n in enumerate(self.names)}
        self.width = len(self.names)

    def __call__(self, **values: Any) -> list[str]:
        row = [""] * self.width
        index = self.index
        for name, value in values.items():
            if value is not None:
                row[index[name]] = _text(value)
        return row


def _text(value: Any) -> str:
    shown = _FORMATS.get(type(value))
    return shown(value) if shown is not None else cell(value)


# A cohort repeats the same few numbers (scores, limits) and dates (a visit's date on each
# of its measures) many times: each is formatted once.
@functools.lru_cache(maxsize=1 << 16)
def _number(value: float) -> str:
    return cell(value)


@functools.lru_cache(maxsize=1 << 16)
def _day(value: date) -> str:
    return value.isoformat()


_FORMATS: Final[dict[type, Callable[[Any], str]]] = {
    str: str,
    int: str,
    bool: lambda value: "1" if value else "0",
    float: _number,
    date: _day,
}


class _Ids:
    """The integer ids of the export: persons, visits and each event table's rows."""

    def __init__(self, cohort: Cohort) -> None:
        self.person = {p.patient_id: n for n, p in enumerate(cohort.patients, start=1)}
        self.visit: dict[tuple[str, date], int] = {}
        for n, v in enumerate(cohort.visits, start=1):
            self.visit.setdefault((v.patient_id, v.date), n)
        sites = dict.fromkeys(p.site for p in cohort.patients if p.site)
        self.care_site = {site: n for n, site in enumerate(sites, start=1)}


def _anchor(record: PatientRecord, start: date, whole: Whole | None = None) -> date:
    """The date of a patient-level fact: the diagnosis date, else the onset (either known
    only to the month or year: imputed), else the start of the patient's observation
    period."""
    p = record.patient
    found = p.diagnosis_date or p.onset_date
    if found is None and whole is not None:
        found = whole.anchor(p.patient_id)
    return found or start


def _period(record: PatientRecord, cutoff: date | None, whole: Whole | None) -> tuple[date, date]:
    p = record.patient
    dates = [d for d in (p.onset_date, p.diagnosis_date) if d is not None]
    if whole is not None:
        dates += whole.dates(p.patient_id)
        anchor = whole.anchor(p.patient_id)
        dates += [anchor] if anchor is not None else []
    dates += [v.date for v in record.visits] + [r.date for r in record.labs]
    dates += [e.date for e in record.events]
    for c in record.courses:
        dates.append(c.start_date)
        dates.append(_course_end(c.start_date, c.end_date, cutoff))
    if not dates:
        return p.birth_date, p.birth_date
    return min(dates), max(dates)


def _course_end(start: date, end: date | None, cutoff: date | None) -> date:
    if end is not None:
        return end
    return max(start, cutoff) if cutoff is not None else start


def _sig(dose: float | None, unit: str | None, frequency: str | None, route: str | None) -> str:
    parts = [cell(dose) if dose is not None else "", unit or "", frequency or "", route or ""]
    return " ".join(p for p in parts if p)


def table_rows(cohort: Cohort) -> dict[str, Iterable[Sequence[str]]]:
    """Each table's rows (lists of cell texts in the specification's column order)."""
    ids = _Ids(cohort)
    records = cohort.records()
    cutoff = cohort.effective_cutoff()
    whole = whole_facts(cohort) if cohort.v2_rows else None
    periods = {pid: _period(r, cutoff, whole) for pid, r in records.items()}
    anchors = {pid: _anchor(r, periods[pid][0], whole) for pid, r in records.items()}
    return {
        "care_site": _care_sites(ids),
        "person": _persons(cohort, ids, whole),
        "observation_period": _periods(ids, periods),
        "visit_occurrence": _visits(cohort, ids),
        "condition_occurrence": _conditions(records, ids, anchors, whole),
        "drug_exposure": _drugs(cohort, ids, cutoff, whole),
        "procedure_occurrence": _procedures(ids, whole),
        "measurement": _measurements(cohort, records, ids, anchors, whole),
        "observation": _observations(cohort, records, ids, anchors, whole),
        "death": _deaths(records, ids),
        "cdm_source": _cdm_source(cohort),
        "metadata": _metadata(cohort),
        **vocabulary_rows(),
    }


def _care_sites(ids: _Ids) -> Iterator[list[str]]:
    row = _Row("care_site")
    for site, n in ids.care_site.items():
        yield row(care_site_id=n, care_site_name=site, care_site_source_value=site[:50])


def _persons(cohort: Cohort, ids: _Ids, whole: Whole | None) -> Iterator[list[str]]:
    row = _Row("person")
    for p in cohort.patients:
        background = whole.person_values(p.patient_id) if whole is not None else {}
        yield row(
            **background,
            person_id=ids.person[p.patient_id],
            gender_concept_id=concept_id("gender", p.sex),
            year_of_birth=p.birth_date.year,
            month_of_birth=p.birth_date.month,
            day_of_birth=p.birth_date.day,
            race_concept_id=NO_MATCH,
            ethnicity_concept_id=NO_MATCH,
            care_site_id=ids.care_site.get(p.site) if p.site else None,
            person_source_value=p.patient_id[:50],
            gender_source_value=p.sex,
        )


def _periods(ids: _Ids, periods: dict[str, tuple[date, date]]) -> Iterator[list[str]]:
    row = _Row("observation_period")
    for pid, (start, end) in periods.items():
        n = ids.person[pid]
        yield row(
            observation_period_id=n,
            person_id=n,
            observation_period_start_date=start,
            observation_period_end_date=end,
            period_type_concept_id=REGISTRY,
        )


def _visits(cohort: Cohort, ids: _Ids) -> Iterator[list[str]]:
    row = _Row("visit_occurrence")
    for n, v in enumerate(cohort.visits, start=1):
        yield row(
            visit_occurrence_id=n,
            person_id=ids.person[v.patient_id],
            visit_concept_id=OUTPATIENT,
            visit_start_date=v.date,
            visit_end_date=v.date,
            visit_type_concept_id=REGISTRY,
        )


def _conditions(
    records: dict[str, PatientRecord],
    ids: _Ids,
    anchors: dict[str, date],
    whole: Whole | None,
) -> Iterator[list[str]]:
    row = _Row("condition_occurrence")
    n = 0
    for pid, record in records.items():
        p = record.patient
        when = anchors[pid]
        for kind, code in [("diagnosis", p.diagnosis)] + [("feature", f) for f in p.features]:
            if code == "none":
                continue
            n += 1
            yield row(
                condition_occurrence_id=n,
                person_id=ids.person[pid],
                condition_concept_id=concept_id(kind, code),
                condition_start_date=when,
                condition_type_concept_id=REGISTRY,
                condition_source_value=code,
            )
    for c in whole.conditions if whole is not None else ():
        n += 1
        start = c.start or anchors[c.patient_id]
        yield row(
            condition_occurrence_id=n,
            person_id=ids.person[c.patient_id],
            condition_concept_id=c.concept,
            condition_start_date=start,
            condition_end_date=max(c.end, start) if c.end is not None else None,
            condition_type_concept_id=REGISTRY,
            condition_status_source_value=c.status,
            condition_source_value=c.source[:50],
        )


def _procedures(ids: _Ids, whole: Whole | None) -> Iterator[list[str]]:
    row = _Row("procedure_occurrence")
    for n, p in enumerate(whole.procedures if whole is not None else (), start=1):
        yield row(
            procedure_occurrence_id=n,
            person_id=ids.person[p.patient_id],
            procedure_concept_id=NO_MATCH,
            procedure_date=p.day,
            procedure_type_concept_id=REGISTRY,
            visit_occurrence_id=ids.visit.get((p.patient_id, p.day)),
            procedure_source_value=p.kind,
        )


def _drugs(
    cohort: Cohort, ids: _Ids, cutoff: date | None, whole: Whole | None
) -> Iterator[list[str]]:
    row = _Row("drug_exposure")
    n = 0
    for n, c in enumerate(cohort.courses, start=1):
        sig = _sig(c.dose, c.dose_unit, c.frequency, c.route)
        if whole is not None:
            sig = f"{sig} {whole.course_sig(c.patient_id, c.drug, c.start_date)}".strip()
        yield row(
            drug_exposure_id=n,
            person_id=ids.person[c.patient_id],
            drug_concept_id=concept_id("drug", c.drug),
            drug_exposure_start_date=c.start_date,
            drug_exposure_end_date=_course_end(c.start_date, c.end_date, cutoff),
            verbatim_end_date=c.end_date,
            drug_type_concept_id=REGISTRY,
            stop_reason=c.stop_reason,
            sig=f"{c.drug} {sig}".strip(),
            route_concept_id=concept_id("route", c.route) if c.route else None,
            drug_source_value=c.drug[:50],
            route_source_value=c.route,
            dose_unit_source_value=c.dose_unit,
        )
    for d in whole.drugs if whole is not None else ():
        n += 1
        yield row(
            drug_exposure_id=n,
            person_id=ids.person[d.patient_id],
            drug_concept_id=d.concept,
            drug_exposure_start_date=d.start,
            drug_exposure_end_date=d.end or _course_end(d.start, None, cutoff),
            verbatim_end_date=d.verbatim_end,
            drug_type_concept_id=REGISTRY,
            stop_reason=d.stop_reason,
            sig=d.sig,
            route_concept_id=concept_id("route", d.route) if d.route else None,
            drug_source_value=d.drug[:50],
            route_source_value=d.route,
            dose_unit_source_value=d.dose_unit,
        )


def _measurements(
    cohort: Cohort,
    records: dict[str, PatientRecord],
    ids: _Ids,
    anchors: dict[str, date],
    whole: Whole | None,
) -> Iterator[list[str]]:
    names = field_names("measurement")
    at = {name: i for i, name in enumerate(names)}
    width = len(names)
    # the hot loop of a big export: positions looked up once, constant cells shared
    i_id, i_person, i_concept = at["measurement_id"], at["person_id"], at["measurement_concept_id"]
    i_date, i_type, i_number = (
        at["measurement_date"],
        at["measurement_type_concept_id"],
        at["value_as_number"],
    )
    i_value_concept, i_unit, i_low, i_high = (
        at["value_as_concept_id"],
        at["unit_concept_id"],
        at["range_low"],
        at["range_high"],
    )
    i_visit, i_source, i_unit_source, i_value_source = (
        at["visit_occurrence_id"],
        at["measurement_source_value"],
        at["unit_source_value"],
        at["value_source_value"],
    )
    known = concept_ids()
    persons = {pid: str(n) for pid, n in ids.person.items()}
    visits = ids.visit
    n = 0

    def start(pid: str, day: date, concept: int, source: str) -> list[str]:
        row = [""] * width
        row[i_id] = str(n)
        row[i_person] = persons[pid]
        row[i_concept] = str(concept)
        row[i_date] = _day(day)
        row[i_type] = REGISTRY
        row[i_source] = source
        visit = visits.get((pid, day))
        if visit is not None:
            row[i_visit] = str(visit)
        return row

    for r in cohort.labs:
        n += 1
        row = start(r.patient_id, r.date, known.get(f"analyte:{r.analyte}", 0), r.analyte)
        if r.analyte in QUALITATIVE_ANALYTES:
            if r.result is not None:
                row[i_value_concept] = str(known.get(f"result:{r.result}", 0))
                row[i_value_source] = r.result
        else:
            if r.value is not None:
                row[i_number] = _number(r.value)
            if r.unit is not None:
                row[i_unit] = str(known.get(f"unit:{r.unit}", 0))
                row[i_unit_source] = r.unit
            if r.ref_low is not None:
                row[i_low] = _number(r.ref_low)
            if r.ref_high is not None:
                row[i_high] = _number(r.ref_high)
            if r.reported is not None:
                row[i_value_source] = f"{cell(r.reported.value)} {r.reported.unit}"[:50]
        yield row
    measures = [
        (m.name, known[f"measure:{m.name}"], m.unit, known.get(f"unit:{m.unit}", 0))
        for m in VISIT_MEASURE_TABLE
    ]
    for v in cohort.visits:
        for name, concept, unit, unit_concept in measures:
            value = getattr(v, name)
            if value is None:
                continue
            n += 1
            row = start(v.patient_id, v.date, concept, name)
            row[i_number] = _number(value)
            if unit is not None:
                row[i_unit] = str(unit_concept)
                row[i_unit_source] = unit
            yield row
    for pid, record in records.items():
        when = anchors[pid]
        for code in record.patient.antibodies:
            n += 1
            row = start(pid, when, known[f"antibody:{code}"], code)
            if code != "none":
                row[i_value_concept] = str(known["result:positive"])
                row[i_value_source] = "positive"
            yield row
    for f in whole.measurements if whole is not None else ():
        n += 1
        row = start(f.patient_id, f.day, f.concept, f.source[:50])
        if f.number is not None:
            row[i_number] = _number(f.number)
        if f.unit is not None:
            row[i_unit] = str(known.get(f"unit:{f.unit}", 0))
            row[i_unit_source] = f.unit
        if f.value_concept is not None:
            row[i_value_concept] = str(f.value_concept)
        if f.value_source is not None:
            row[i_value_source] = f.value_source[:50]
        yield row


def _observations(
    cohort: Cohort,
    records: dict[str, PatientRecord],
    ids: _Ids,
    anchors: dict[str, date],
    whole: Whole | None,
) -> Iterator[list[str]]:
    row = _Row("observation")
    n = 0

    def observation(pid: str, day: date, kind: str, code: str, **values: Any) -> list[str]:
        nonlocal n
        n += 1
        return row(
            observation_id=n,
            person_id=ids.person[pid],
            observation_concept_id=concept_id(kind, code),
            observation_date=day,
            observation_type_concept_id=REGISTRY,
            visit_occurrence_id=ids.visit.get((pid, day)),
            observation_source_value=code,
            **values,
        )

    for v in cohort.visits:
        for flag in VISIT_FLAGS:
            value = getattr(v, flag)
            if value is not None:
                shown = "yes" if value else "no"
                yield observation(v.patient_id, v.date, "flag", flag, value_as_string=shown)
    for pid, record in records.items():
        p = record.patient
        when = anchors[pid]
        if p.bohan_peter is not None:
            yield observation(
                pid, when, "observation", "bohan_peter", value_as_string=p.bohan_peter
            )
        if p.refractory is not None:
            yield observation(pid, when, "observation", "refractory", value_as_string=p.refractory)
        if "none" in p.features:
            yield observation(pid, when, "feature", "none")
    for e in cohort.events:
        yield observation(
            e.patient_id,
            e.date,
            "event",
            e.event,
            value_as_number=e.grade,
            value_as_string=e.detail[:60] if e.detail else None,
        )
    if whole is None:
        return
    for f in (*whole.observations, *anchored(whole, anchors)):
        n += 1
        yield row(
            observation_id=n,
            person_id=ids.person[f.patient_id],
            observation_concept_id=f.concept,
            observation_date=f.day,
            observation_type_concept_id=REGISTRY,
            visit_occurrence_id=ids.visit.get((f.patient_id, f.day)),
            observation_source_value=f.source[:50],
            value_as_number=f.number,
            value_as_string=f.text,
            unit_source_value=f.unit,
        )


def _deaths(records: dict[str, PatientRecord], ids: _Ids) -> Iterator[list[str]]:
    row = _Row("death")
    for pid, record in records.items():
        deaths = [e.date for e in record.events if e.event == "death"]
        if deaths:
            yield row(
                person_id=ids.person[pid],
                death_date=min(deaths),
                death_type_concept_id=REGISTRY,
            )


def _release(cohort: Cohort) -> date:
    return cohort.effective_cutoff() or date(1970, 1, 1)


def _cdm_source(cohort: Cohort) -> list[list[str]]:
    row = _Row("cdm_source")
    cutoff = cohort.cutoff_date
    description = (
        "A myotrack registry cohort (juvenile dermatomyositis treated with JAK inhibitors)"
        + (f", cut-off {cutoff.isoformat()}" if cutoff else "")
        + ". Not carried by OMOP CDM 5.4: "
        + "; ".join(LOSSY)
        + "."
    )
    return [
        row(
            cdm_source_name="myotrack registry export",
            cdm_source_abbreviation="myotrack",
            cdm_holder="the centre that keeps the myotrack registry",
            source_description=description,
            source_documentation_reference="myotrack docs/exchange.md (OMOP CDM 5.4)",
            source_release_date=_release(cohort),
            cdm_release_date=_release(cohort),
            cdm_version=CDM_VERSION,
            cdm_version_concept_id=NO_MATCH,  # the 5.4 concept id is UNVERIFIED (§9)
            vocabulary_version=VOCABULARY_VERSION,
        )
    ]


def _metadata(cohort: Cohort) -> list[list[str]]:
    row = _Row("metadata")
    items: list[tuple[str, str]] = []
    if cohort.cutoff_date is not None:
        items.append(("myotrack cut-off date", cohort.cutoff_date.isoformat()))
    items.append(("myotrack concept subset", VOCABULARY_VERSION))
    items += [("not carried by OMOP CDM 5.4", text[:250]) for text in LOSSY]
    return [
        row(
            metadata_id=n,
            metadata_concept_id=NO_MATCH,
            metadata_type_concept_id=NO_MATCH,
            name=name,
            value_as_string=value,
            metadata_date=_release(cohort),
        )
        for n, (name, value) in enumerate(items, start=1)
    ]


def _chunks(header: Sequence[str], rows: Iterable[Sequence[str]]) -> Iterator[str]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
        if count == _CHUNK:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
            count = 0
    yield out.getvalue()


def export_files(cohort: Cohort, layout: str = "csv") -> Iterator[tuple[str, str]]:
    """(file name, piece of text) of every table's CSV, pieces of a file in order."""
    if layout != "csv":
        raise ValueError(f"unknown OMOP layout {layout!r}; use csv")
    tables = table_rows(cohort)
    for table in TABLES:
        for piece in _chunks(field_names(table), tables[table]):
            yield file_name(table), piece


def export_texts(cohort: Cohort) -> dict[str, str]:
    """Every table's CSV text, whole (for tests and small cohorts)."""
    texts: dict[str, str] = {}
    for name, piece in export_files(cohort):
        texts[name] = texts.get(name, "") + piece
    return texts
