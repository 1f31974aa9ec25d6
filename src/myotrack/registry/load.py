"""Reading the registry back as domain objects (lossless: what `import_cohort`
stored, `load_cohort` returns field by field, the cohort format version 2 records in
`Cohort.v2_rows` by kind). Retired rows, and every row of a
retired patient, are left out. Rows come in the order they were stored (surrogate
id), so a cohort imported into an empty registry comes back in its own order.
"""

from __future__ import annotations

import gc
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from myotrack.cohort import whole_records
from myotrack.domain import Cohort, Patient, PatientRecord, WholeRecord
from myotrack.registry.fast import fetch_all
from myotrack.registry.kinds import CHILD_KINDS, PATIENT, Kind
from myotrack.registry.kinds_v2 import V2_KINDS
from myotrack.registry.settings import CUTOFF_DATE, read_setting
from myotrack.registry.tables import PATIENT_TABLE

_IN_LIMIT = 500


def _patients(
    conn: Connection,
    sites: Collection[str] | None,
    patient_ids: Collection[str] | None,
) -> tuple[list[Patient], dict[int, str], bool]:
    """Active patients (filtered), their pk -> patient_id, and whether that is all."""
    p = PATIENT_TABLE
    cols = [p.c.id, p.c.patient_id, *(p.c[c] for c in PATIENT.value_columns)]
    stmt = select(*cols).where(p.c.retired_at.is_(None)).order_by(p.c.id)
    if patient_ids is not None and len(patient_ids) <= _IN_LIMIT:
        stmt = stmt.where(p.c.patient_id.in_(list(patient_ids)))
    wanted_ids = set(patient_ids) if patient_ids is not None else None
    wanted_sites = set(sites) if sites is not None else None
    patients: list[Patient] = []
    pid_of: dict[int, str] = {}
    for row in fetch_all(conn, stmt):
        pid = row[1]
        if wanted_ids is not None and pid not in wanted_ids:
            continue
        values = tuple(row[2:])
        patient = PATIENT.build(pid, (), values)
        if wanted_sites is not None and patient.site not in wanted_sites:
            continue
        patients.append(patient)
        pid_of[row[0]] = pid
    return patients, pid_of, sites is None and patient_ids is None


def _children(conn: Connection, kind: Kind, pid_of: dict[int, str], everyone: bool) -> list[Any]:
    t = kind.table
    nk = len(kind.key_columns)
    cols = [t.c.patient_pk, *(t.c[c] for c in kind.key_columns)]
    cols += [t.c[c] for c in kind.value_columns]
    base = select(*cols).where(t.c.retired_at.is_(None)).order_by(t.c.id)
    if everyone or len(pid_of) > _IN_LIMIT:
        statements = [base]
    elif not pid_of:
        return []
    else:
        statements = [base.where(t.c.patient_pk.in_(list(pid_of)))]
    build = kind.build
    out: list[Any] = []
    for stmt in statements:
        for row in fetch_all(conn, stmt):
            pid = pid_of.get(row[0])
            if pid is None:  # a retired or filtered-out patient
                continue
            out.append(build(pid, row[1 : 1 + nk], row[1 + nk :]))
    return out


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Loading makes a million small objects and no reference cycles: the cyclic garbage
    collector, run again and again meanwhile, would walk them all for nothing (about
    40 % of a whole registry's load; benchmarks/report_parts.py)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_cohort(
    session: Session,
    *,
    sites: Collection[str] | None = None,
    patient_ids: Collection[str] | None = None,
) -> Cohort:
    """The registry (or the patients of `sites` / with `patient_ids`) as a Cohort."""
    conn = session.connection()
    with _collector_paused():
        patients, pid_of, everyone = _patients(conn, sites, patient_ids)
        visits, labs, courses, events, assessments = (
            tuple(_children(conn, kind, pid_of, everyone)) for kind in CHILD_KINDS
        )
    v2_rows = tuple(row for kind in V2_KINDS for row in _children(conn, kind, pid_of, everyone))
    cutoff = read_setting(conn, CUTOFF_DATE)
    return Cohort(
        patients=tuple(patients),
        visits=visits,
        labs=labs,
        courses=courses,
        events=events,
        assessments=assessments,
        cutoff_date=date.fromisoformat(cutoff) if cutoff else None,
        v2_rows=v2_rows,
    )


def load_record(session: Session, patient_id: str) -> PatientRecord | None:
    """Everything known of one patient (lists sorted by date), or None."""
    return load_cohort(session, patient_ids=[patient_id]).records().get(patient_id)


def list_patients(session: Session, *, sites: Collection[str] | None = None) -> list[Patient]:
    """Active patients (of `sites` if given), sorted by patient_id."""
    patients, _, _ = _patients(session.connection(), sites, None)
    return sorted(patients, key=lambda p: p.patient_id)


def load_whole_record(session: Session, patient_id: str) -> WholeRecord | None:
    """Everything known of one patient, version 2 records included (`cohort.whole`), or
    None. Decision support and the patient page read this."""
    cohort = load_cohort(session, patient_ids=[patient_id])
    return whole_records(cohort).get(patient_id)
