"""Shared cohorts for the exchange tests: the demo cohort with item-level assessments
added (the folder carries none), and a cohort that uses every value of every vocabulary
(so that every code the FHIR writer can emit is emitted at least once)."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from myotrack.cohort import DEMO_FOLDER, read_folder
from myotrack.domain import (
    DOSE_UNIT_TABLE,
    FREQUENCY_TABLE,
    ROUTE_TABLE,
    Assessment,
    Cohort,
    DrugCourse,
    Event,
    LabResult,
    Patient,
    ReportedValue,
    Visit,
    vocab,
)
from myotrack.domain.plausibility import judge_lab
from myotrack.domain.units import CONVERTED_ON_IMPORT, accepted_units, import_conversion
from myotrack.instruments import DEFINITIONS, INSTRUMENTS, score


def item_values(instrument: str, pick: int) -> dict[str, float | int | str | None]:
    """Valid item values of an instrument: the `pick`-th allowed value of each item
    (wrapping), an item's code for some, every few a missing (None) item."""
    defn = DEFINITIONS[instrument]
    values: dict[str, float | int | str | None] = {}
    for n, it in enumerate(defn.items):
        k = pick + n
        if it.codes and k % 7 == 0:
            values[it.id] = it.codes[0][0]
            continue
        if k % 11 == 5:
            values[it.id] = None
            continue
        steps = round((it.max - it.min) / it.step)
        value = it.min + (k % (steps + 1)) * it.step
        values[it.id] = int(value) if float(value).is_integer() and it.step >= 1 else value
    return values


def assessment(patient_id: str, day: date, instrument: str, pick: int) -> Assessment:
    items = item_values(instrument, pick)
    result = score(instrument, {k: v for k, v in items.items() if v is not None})
    return Assessment(
        patient_id=patient_id,
        date=day,
        instrument=instrument,
        items=items,  # type: ignore[arg-type]
        version=result.version,
        total=result.total,
    )


def with_assessments(cohort: Cohort, per_patient: int = 2) -> Cohort:
    """The cohort with item-level assessments at the first visits of each patient."""
    names = sorted(INSTRUMENTS)
    added: list[Assessment] = []
    for n, record in enumerate(cohort.records().values()):
        for k, v in enumerate(record.visits[:per_patient]):
            added.append(assessment(v.patient_id, v.date, names[(n + k) % len(names)], n + k))
    return replace(cohort, assessments=tuple(added))


@pytest.fixture(scope="session")
def demo_cohort() -> Cohort:
    """The demo cohort with its cohort format version 2 records (the second seed's child:
    investigations, involvement, background, partial dates) and item-level assessments."""
    cohort, issues = read_folder(DEMO_FOLDER)
    assert cohort is not None, issues
    return with_assessments(cohort)


def _every_kind_texts() -> Any:
    """The folder of tests/registry/test_every_v2_kind.py (one row of every cohort format
    version 2 record kind, every column filled): one copy of that test data."""
    path = Path(__file__).parents[1] / "registry" / "test_every_v2_kind.py"
    spec = importlib.util.spec_from_file_location("every_v2_kind_rows", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def v2_catalogue(root: Path) -> Cohort:
    """Every record kind of cohort format version 2 (the every-kind folder) and courses
    using every version 2 dose unit, frequency and route, organ involvement with every
    certainty and resolution state: every version 2 code the writers can emit."""
    rows = _every_kind_texts()
    courses = []
    for n in range(max(len(DOSE_UNIT_TABLE), len(FREQUENCY_TABLE), len(ROUTE_TABLE))):
        unit = DOSE_UNIT_TABLE[n % len(DOSE_UNIT_TABLE)].code
        freq = FREQUENCY_TABLE[n % len(FREQUENCY_TABLE)].code
        route = ROUTE_TABLE[n % len(ROUTE_TABLE)].code
        start = f"{2016 + n // 12}-{n % 12 + 1:02d}"
        courses.append(f"P2,methotrexate,{n + 1},{unit},{freq},{route},{start}" + "," * 13)
    involvement = (
        "P2,arthritis,2018,,no,mild,excluded,knees,\n"
        "P1,calcinosis,2018-03-04,2019-01-02,yes,moderate,confirmed,,\n"
    )
    root.mkdir(parents=True, exist_ok=True)
    (root / "cohort.toml").write_text("format_version = 2\n", encoding="utf-8")
    (root / "patients.csv").write_text(rows.PATIENTS, encoding="utf-8")
    (root / "treatments.csv").write_text(
        rows.TREATMENTS + "\n".join(courses) + "\n", encoding="utf-8"
    )
    (root / "events.csv").write_text(rows.EVENTS, encoding="utf-8")
    for name, text in rows.NEW.items():
        if name == "organ_involvement.csv":
            text += involvement
        (root / name).write_text(text, encoding="utf-8")
    cohort, issues = read_folder(root)
    assert cohort is not None, [str(i) for i in issues]
    return cohort


def _catalogue_cohort() -> Cohort:
    birth = date(2010, 3, 1)
    day0 = date(2018, 1, 1)
    patients: list[Patient] = []
    visits: list[Visit] = []
    labs: list[LabResult] = []
    courses: list[DrugCourse] = []
    events: list[Event] = []
    for n, diagnosis in enumerate(vocab.DIAGNOSES):
        pid = f"CAT-{n}"
        patients.append(
            Patient(
                patient_id=pid,
                sex=vocab.SEXES[n % 2],
                birth_date=birth,
                diagnosis=diagnosis,
                onset_date=date(2016, 1, 1),
                diagnosis_date=date(2016, 2, 1),
                bohan_peter=vocab.BOHAN_PETER[n % 3],
                antibodies=("none",) if n == 3 else vocab.ANTIBODIES[n * 5 : n * 5 + 5],
                refractory=vocab.REFRACTORY[n % 3],
                features=("none",) if n == 3 else vocab.FEATURES[n * 2 : n * 2 + 2],
                site=f"Centre {n % 2}",
                extra={"x_note": f"note {n}"},
            )
        )
    pid = "CAT-0"
    for k in range(3):
        visits.append(
            Visit(
                patient_id=pid,
                date=day0 + timedelta(days=30 * k),
                weight_kg=30.5,
                height_cm=135,
                rash=k != 1,
                weakness=k == 1,
                **{m: 1.0 for m in vocab.VISIT_MEASURES if m not in ("weight_kg", "height_cm")},
                extra={"x_room": "3"} if k == 0 else {},
            )
        )
    k = 0
    for analyte in vocab.ANALYTES:
        if analyte in vocab.QUALITATIVE_ANALYTES:
            for result in vocab.QUALITATIVE_RESULTS:
                k += 1
                labs.append(LabResult(pid, day0 + timedelta(days=k), analyte, result=result))
            continue
        for unit in accepted_units(analyte):
            k += 1
            value = next(
                v for v in (1.5, 5.37, 44.0, 120.0) if judge_lab(analyte, v, unit).level == "ok"
            )
            if unit in CONVERTED_ON_IMPORT:  # held in U/L, the reported value kept
                stored, _ = import_conversion(analyte, value, unit)
                labs.append(
                    LabResult(
                        pid,
                        day0 + timedelta(days=k),
                        analyte,
                        value=stored,
                        unit="U/L",
                        reported=ReportedValue(value, unit),
                        extra={"x_lab": "A"},
                    )
                )
                continue
            labs.append(
                LabResult(
                    pid,
                    day0 + timedelta(days=k),
                    analyte,
                    value=value,
                    unit=unit,
                    ref_low=0.1,
                    ref_high=300.0,
                    extra={"x_lab": "A"},
                )
            )
    drugs = tuple(dict.fromkeys((*vocab.KNOWN_DRUGS, *vocab.JAK_INHIBITORS, "mometasone furoate")))
    for n, drug in enumerate(drugs):
        start = day0 + timedelta(days=n)
        courses.append(
            DrugCourse(
                patient_id=pid,
                drug=drug,
                start_date=start,
                end_date=None if n % 3 == 0 else start + timedelta(days=40),
                dose=2.5,
                dose_unit=vocab.DOSE_UNITS[n % len(vocab.DOSE_UNITS)],
                frequency=vocab.FREQUENCIES[n % len(vocab.FREQUENCIES)],
                route=vocab.ROUTES[n % len(vocab.ROUTES)],
                stop_reason=None if n % 3 == 0 else vocab.STOP_REASONS[n % 5],
                extra={"x_batch": "B7"} if n == 1 else {},
            )
        )
    for n, event in enumerate(vocab.EVENTS):
        events.append(
            Event(
                patient_id=pid,
                date=day0 + timedelta(days=10 + n),
                event=event,
                detail="VZV" if n % 2 else None,
                grade=(n % 5) + 1 if n % 3 else None,
                extra={"x_seen_by": "AB"} if n == 0 else {},
            )
        )
    cohort = Cohort(
        patients=tuple(patients),
        visits=tuple(visits),
        labs=tuple(labs),
        courses=tuple(courses),
        events=tuple(events),
        cutoff_date=date(2019, 12, 31),
    )
    names = sorted(DEFINITIONS)
    added = tuple(
        assessment(pid, day0 + timedelta(days=n), name, n) for n, name in enumerate(names)
    )
    return replace(cohort, assessments=added)


@pytest.fixture(scope="session")
def small_demo(demo_cohort: Cohort) -> Cohort:
    """Four demo patients with all their records (for tests that change one resource)."""
    return few(demo_cohort, 4)


@pytest.fixture(scope="session")
def catalogue_cohort(tmp_path_factory: pytest.TempPathFactory) -> Cohort:
    """Every value of every vocabulary: the version 1 catalogue and, for patients P1 and P2,
    every cohort format version 2 record kind and code (`v2_catalogue`)."""
    v1 = _catalogue_cohort()
    v2 = v2_catalogue(tmp_path_factory.mktemp("v2_catalogue"))
    return Cohort(
        patients=v1.patients + v2.patients,
        visits=v1.visits + v2.visits,
        labs=v1.labs + v2.labs,
        courses=v1.courses + v2.courses,
        events=v1.events + v2.events,
        assessments=v1.assessments + v2.assessments,
        cutoff_date=v1.cutoff_date,
        v2_rows=v2.v2_rows,
    )


def few(cohort: Cohort, n: int = 3) -> Cohort:
    """The first n patients of a cohort with all their records (FHIRPath is slow)."""
    keep = {p.patient_id for p in cohort.patients[:n]}
    return Cohort(
        patients=cohort.patients[:n],
        visits=tuple(v for v in cohort.visits if v.patient_id in keep),
        labs=tuple(r for r in cohort.labs if r.patient_id in keep),
        courses=tuple(c for c in cohort.courses if c.patient_id in keep),
        events=tuple(e for e in cohort.events if e.patient_id in keep),
        assessments=tuple(a for a in cohort.assessments if a.patient_id in keep),
        cutoff_date=cohort.cutoff_date,
        v2_rows=tuple(r for r in cohort.v2_rows if r.patient_id in keep),
    )


def canonical(cohort: Cohort) -> tuple[object, ...]:
    """A cohort's content independent of the order of its rows."""
    return (
        sorted(cohort.patients, key=lambda p: p.patient_id),
        sorted(cohort.visits, key=lambda v: (v.patient_id, v.date)),
        sorted(cohort.labs, key=lambda r: (r.patient_id, r.date, r.analyte)),
        sorted(cohort.courses, key=lambda c: (c.patient_id, c.drug, c.start_date)),
        sorted(cohort.events, key=lambda e: (e.patient_id, e.date, e.event, e.detail or "")),
        sorted(cohort.assessments, key=lambda a: (a.patient_id, a.date, a.instrument)),
        cohort.cutoff_date,
        sorted(
            cohort.v2_rows, key=lambda r: (r.kind, r.patient_id, repr(sorted(r.values.items())))
        ),
    )


def export_texts(cohort: Cohort, layout: str) -> dict[str, str]:
    from myotrack.exchange.fhir import export_files

    texts: dict[str, str] = {}
    for name, piece in export_files(cohort, layout):  # type: ignore[arg-type]
        texts[name] = texts.get(name, "") + piece
    return texts


@pytest.fixture
def texts_of() -> Callable[[Cohort, str], dict[str, str]]:
    return export_texts


@pytest.fixture
def canonical_of() -> Callable[[Cohort], tuple[object, ...]]:
    return canonical
