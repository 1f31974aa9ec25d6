"""The REDCap data dictionary (metadata) CSV of the myotrack project.

The 18 columns, in order and with the header texts REDCap writes (interop.md §2.1), one
row per field of `exchange.redcap.project` (checkbox fields are one row; REDCap makes
the `field___code` columns). Upload it in REDCap (Project Setup -> Data Dictionary) to
create the forms; then mark the repeating forms as repeating instruments (Project Setup
-> Repeating instruments and events): every form but `patient` repeats. The dictionary
itself cannot carry that setting (REDCap keeps it apart, interop.md §2.1);
`repeating_forms_csv` writes the file REDCap's repeating-instruments upload takes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping, Sequence
from typing import Final

from myotrack.exchange.redcap.fields import (
    Field,
    Project,
)
from myotrack.exchange.redcap.project import (
    build_project,
)

HEADER: Final[tuple[str, ...]] = (
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
)


def _choices_text(field: Field) -> str:
    if field.type == "calc":
        return field.calculation
    if field.type in ("radio", "dropdown", "checkbox"):
        # REDCap separates choices with '|' and code from label with ','; neither may be
        # part of a code, and a '|' in a label would split it.
        return " | ".join(f"{code}, {text.replace('|', '/')}" for code, text in field.choices)
    return ""


def dictionary_row(field: Field, section: str) -> tuple[str, ...]:
    """One field as the 18 cells of its dictionary row."""
    return (
        field.name,
        field.form,
        section,
        field.type,
        field.label,
        _choices_text(field),
        field.note,
        field.validation,
        field.min,
        field.max,
        "y" if field.identifier else "",
        field.branching,
        "y" if field.required else "",
        "",
        "",
        field.matrix_group,
        "",
        field.annotation,
    )


def dictionary_rows(project: Project) -> Iterator[tuple[str, ...]]:
    """Every field in project order; a section header where an instrument's section
    changes."""
    for form in project.forms:
        current = ""
        for field in form.fields:
            section = field.section if field.section != current else ""
            current = field.section or current
            yield dictionary_row(field, section)


def dictionary_csv(extra_columns: Mapping[str, Sequence[str]] | None = None) -> str:
    """The data dictionary as CSV text (header + one row per field)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(dictionary_rows(build_project(extra_columns)))
    return out.getvalue()


def repeating_forms_csv(project: Project | None = None) -> str:
    """The repeating-instruments settings as REDCap's upload takes them
    (`form_name,custom_form_label`), for a classic (non-longitudinal) project."""
    shown = project or build_project()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("form_name", "custom_form_label"))
    for form in shown.forms:
        if form.repeating:  # instances labelled by their first field, e.g. "[visit_date]"
            writer.writerow((form.name, f"[{form.fields[0].name}]"))
    return out.getvalue()
