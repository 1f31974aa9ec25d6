"""A Cohort as REDCap records: the flat CSV of a classic project with repeating
instruments (interop.md §2.2), raw codes, ready for REDCap's Data Import Tool or the API.

One row per patient (the `patient` form: `redcap_repeat_instrument` and
`redcap_repeat_instance` empty), then one row per visit, lab result, course, event and
item-level assessment (the repeating form's name, instances 1, 2, … per patient in the
cohort's order). Multi-choice fields are one 0/1 column per choice (`antibodies___mda5`);
yes/no fields 1/0; a patient's site is its data access group (`redcap_data_access_group`,
REDCap's group name of the site) and, as written, the `site` field. Lab results are
written as reported (µkat/L as µkat/L), as the cohort folder writes them. Calculated
fields are not written (REDCap computes them); every form a row fills is marked
Complete (`<form>_complete` = 2).

Pure: text in, text out; `cohort.deidentify` decides what a tier shows before this runs.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from myotrack.cohort import FILES_V2, ROWS, cell
from myotrack.cohort.columns import FILES
from myotrack.domain import Assessment, Cohort
from myotrack.exchange.redcap.core_forms import (
    CORE_FORMS,
)
from myotrack.exchange.redcap.fields import (
    ASSESSMENT_DATE,
    ASSESSMENT_VERSION,
    CHECKBOX_SEPARATOR,
    COMPLETE,
    COMPLETE_SUFFIX,
    DATA_ACCESS_GROUP,
    RECORD_ID,
    REPEAT_INSTANCE,
    REPEAT_INSTRUMENT,
    Field,
    Form,
    Project,
    dag_name,
    redcap_code,
    x_columns_allowed,
)
from myotrack.exchange.redcap.project import (
    build_project,
)
from myotrack.exchange.v2_rows import filled, v2_rows

# The columns cohort format version 2 adds to the version 1 files.
_V2_ONLY: Final = {
    file: frozenset(c.name for c in FILES_V2[file]) - {c.name for c in columns}
    for file, columns in FILES.items()
}


class RedcapExportError(ValueError):
    """Something in the cohort that the REDCap project cannot hold; `problems` lists each."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = tuple(problems)


@dataclass(frozen=True, slots=True)
class Column:
    """One column of the flat records file."""

    name: str
    field: Field | None  # None for REDCap's own columns
    code: str | None = None  # the choice of a checkbox column


def extra_columns(cohort: Cohort) -> dict[str, list[str]]:
    """The `x_` columns each folder file of `cohort` carries, in first-seen order."""
    objects: Mapping[str, Iterable[Any]] = {
        "patients.csv": cohort.patients,
        "visits.csv": cohort.visits,
        "labs.csv": cohort.labs,
        "treatments.csv": cohort.courses,
        "events.csv": cohort.events,
    }
    found: dict[str, list[str]] = {}
    for file, rows in objects.items():
        names: dict[str, None] = {}
        for obj in rows:
            for name in obj.extra:
                names.setdefault(name, None)
        if names:
            found[file] = list(names)
    return found


def project_for(cohort: Cohort) -> Project:
    """The project holding `cohort`: the standard forms plus the cohort's `x_` columns.
    Raises RedcapExportError for an `x_` column REDCap cannot name as written."""
    extra = extra_columns(cohort)
    bad = [
        f"{file}: {name}"
        for file, names in extra.items()
        for name in names
        if not x_columns_allowed(name)
    ]
    if bad:
        raise RedcapExportError(
            [
                f"column {b} cannot be a REDCap variable (use lower-case letters, digits "
                "and _ in the names of your own columns)"
                for b in bad
            ]
        )
    return build_project(extra)


def record_columns(
    project: Project,
    *,
    with_groups: bool,
    forms: frozenset[str] | None = None,
    version_2: bool = True,
) -> list[Column]:
    """The header of the flat file: REDCap's columns, then every field that holds data
    (checkbox fields as one column per choice), each form followed by its status; only
    the `forms` given (default: all), and the columns cohort format version 2 adds to the
    version 1 forms only with `version_2`. REDCap imports a file with some of the
    project's fields, so a cohort without item-level assessments or version 2 records
    needs none of their columns (its file is the one version 1 wrote)."""
    columns = [
        Column(RECORD_ID, None),
        Column(REPEAT_INSTRUMENT, None),
        Column(REPEAT_INSTANCE, None),
    ]
    if with_groups:
        columns.append(Column(DATA_ACCESS_GROUP, None))
    for form in project.forms:
        if forms is not None and form.name not in forms:
            continue
        for field in form.fields:
            if not _holds_data(field):
                continue
            if not version_2 and field.column in _V2_ONLY.get(form.file or "", ()):
                continue
            if field.type == "checkbox":
                columns.extend(
                    Column(f"{field.name}{CHECKBOX_SEPARATOR}{code}", field, code)
                    for code, _ in field.choices
                )
            else:
                columns.append(Column(field.name, field))
        columns.append(Column(form.name + COMPLETE_SUFFIX, None))
    return columns


def _holds_data(field: Field) -> bool:
    """Whether a field has a column of its own in the records file (not the record id,
    not REDCap's calculations, not a text shown on the form)."""
    return field.name != RECORD_ID and field.type not in ("calc", "descriptive")


def _value(field: Field, value: Any) -> str:
    """A myotrack value as the REDCap raw value of `field`."""
    if value is None:
        return ""
    if field.type == "yesno":
        return "1" if value in (True, "yes") else "0"
    if field.type in ("radio", "dropdown"):
        return redcap_code(value if isinstance(value, str) else cell(value))
    return cell(value)


class _Rows:
    """Builds rows of the flat file, one dict per row keyed by column name."""

    def __init__(self, project: Project, columns: list[Column]) -> None:
        self.project = project
        self.columns = columns
        self.checkbox_columns: dict[str, list[Column]] = {}
        for c in columns:
            if c.code is not None and c.field is not None:
                self.checkbox_columns.setdefault(c.field.name, []).append(c)

    def row(self, form: Form, values: Mapping[str, Any], head: Mapping[str, str]) -> list[str]:
        out: dict[str, str] = dict(head)
        for field in form.fields:
            if not _holds_data(field):
                continue
            value = values.get(field.column) if field.column is not None else None
            if field.type == "checkbox":
                chosen = {redcap_code(v) for v in value or ()}
                for column in self.checkbox_columns.get(field.name, ()):
                    out[column.name] = "1" if column.code in chosen else "0"
            else:
                out[field.name] = _value(field, value)
        out[form.name + COMPLETE_SUFFIX] = COMPLETE
        return [out.get(c.name, "") for c in self.columns]


def _assessment_values(form: Form, a: Assessment) -> dict[str, Any]:
    values: dict[str, Any] = dict(a.items)
    known = {f.column for f in form.fields}
    unknown = [k for k in values if k not in known]
    if unknown:
        raise RedcapExportError(
            [
                f"{a.patient_id} {a.date} {a.instrument} (version {a.version}): items "
                f"{', '.join(unknown)} have no field in the REDCap form {form.name}"
            ]
        )
    return values


def record_rows(
    cohort: Cohort, project: Project | None = None
) -> tuple[list[str], list[list[str]]]:
    """The header and rows of the flat records file of `cohort`."""
    shown = project or project_for(cohort)
    with_groups = any(p.site for p in cohort.patients)
    by_file = file_rows(cohort)
    used = {CORE_FORMS[0].name}
    used |= {core.name for core in CORE_FORMS[1:] if by_file[core.file]}
    used |= {a.instrument for a in cohort.assessments}
    columns = record_columns(
        shown, with_groups=with_groups, forms=frozenset(used), version_2=bool(cohort.v2_rows)
    )
    rows = _Rows(shown, columns)
    out: list[list[str]] = []
    per_patient: dict[str, list[list[str]]] = {p.patient_id: [] for p in cohort.patients}
    instances: dict[tuple[str, str], int] = {}
    patient_form = shown.form(CORE_FORMS[0].name)
    for patient_id, values in by_file[CORE_FORMS[0].file]:
        head = {RECORD_ID: patient_id}
        if with_groups:
            site = values.get("site")
            head[DATA_ACCESS_GROUP] = dag_name(site) if site else ""
        per_patient[patient_id].append(rows.row(patient_form, values, head))
    for core in CORE_FORMS[1:]:
        form = shown.form(core.name)
        for patient_id, values in by_file[core.file]:
            _append(per_patient, instances, rows, form, patient_id, values)
    for a in cohort.assessments:
        try:
            form = shown.form(a.instrument)
        except KeyError:
            raise RedcapExportError(
                [f"{a.patient_id} {a.date}: no REDCap form for instrument {a.instrument}"]
            ) from None
        values = _assessment_values(form, a)
        values[ASSESSMENT_DATE] = a.date
        values[ASSESSMENT_VERSION] = a.version
        _append(per_patient, instances, rows, form, a.patient_id, values)
    for patient_rows in per_patient.values():
        out.extend(patient_rows)
    return [c.name for c in columns], out


def file_rows(cohort: Cohort) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """(patient id, folder row) of every file of cohort format version 2, as the folder
    writes them: a version 1 object's row with its `x_` columns and the columns of its
    version 2 detail record, then the version 2 records that are rows of their own."""
    out: dict[str, list[tuple[str, dict[str, Any]]]] = {core.file: [] for core in CORE_FORMS}
    whole = v2_rows(cohort) if cohort.v2_rows else None
    for p in cohort.patients:
        values = {**ROWS["patients.csv"](p), **p.extra}
        if whole is not None:
            values.update(filled(whole.background(p.patient_id)))
        out["patients.csv"].append((p.patient_id, values))
    objects: dict[str, Sequence[Any]] = {
        "visits.csv": cohort.visits,
        "labs.csv": cohort.labs,
        "treatments.csv": cohort.courses,
        "events.csv": cohort.events,
    }
    for file, rows in objects.items():
        for obj in rows:
            values = {**ROWS[file](obj), **obj.extra}
            if whole is not None and file == "treatments.csv":
                values.update(whole.detail_of_course(obj.patient_id, obj.drug, obj.start_date))
            elif whole is not None and file == "events.csv":
                values.update(
                    whole.detail_of_event(obj.patient_id, obj.date, obj.event, obj.detail)
                )
            out[file].append((obj.patient_id, values))
    for kind, record in whole.own if whole is not None else ():
        out[kind.file].append((record.patient_id, filled(record.values)))
    return out


def _append(
    per_patient: dict[str, list[list[str]]],
    instances: dict[tuple[str, str], int],
    rows: _Rows,
    form: Form,
    patient_id: str,
    values: Mapping[str, Any],
) -> None:
    key = (patient_id, form.name)
    instances[key] = instances.get(key, 0) + 1
    head = {
        RECORD_ID: patient_id,
        REPEAT_INSTRUMENT: form.name,
        REPEAT_INSTANCE: str(instances[key]),
    }
    per_patient.setdefault(patient_id, []).append(rows.row(form, values, head))


def records_csv(cohort: Cohort, project: Project | None = None) -> str:
    """The flat records file of `cohort` as CSV text (REDCap's 'CSV raw' layout)."""
    header, rows = record_rows(cohort, project)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
