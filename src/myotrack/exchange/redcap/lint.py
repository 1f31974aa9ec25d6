"""The structural rules a REDCap data dictionary must meet before REDCap accepts it.

No REDCap server runs here, so these rules are the written ones (interop.md §2.1 and §8,
from the LinkML schema of the dictionary, linkml/linkml-redcap, and REDCap's
documentation of the columns): the 18 headers in order; the first field is the record
id and a text field; every form's fields are contiguous rows; variable and form names
are `^[a-z][a-z0-9_]*$`, variable names unique; one of the 12 field types; choices
written `code, label | code, label` with unique codes (checkbox codes `[a-z0-9_]`);
calculations only in calc fields and referring to known fields; validation types from
REDCap's list, their min/max readable; y/blank flags; alignments LV/LH/RV/RH; matrix
groups contiguous with identical choices; branching logic referring to known fields.

`lint_dictionary(text)` returns every problem found, each with its line and column.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import Final

from myotrack.domain import ValidationIssue
from myotrack.exchange.redcap.dictionary import HEADER
from myotrack.exchange.redcap.fields import (
    VARIABLE_NAME,
)

FILE: Final = "data dictionary"

FIELD_TYPES: Final = frozenset(
    (
        "text",
        "notes",
        "dropdown",
        "radio",
        "checkbox",
        "yesno",
        "truefalse",
        "calc",
        "file",
        "slider",
        "descriptive",
        "sql",
    )
)
VALIDATION_TYPES: Final = frozenset(
    (
        "date_ymd",
        "date_mdy",
        "date_dmy",
        "datetime_ymd",
        "datetime_mdy",
        "datetime_dmy",
        "datetime_seconds_ymd",
        "datetime_seconds_mdy",
        "datetime_seconds_dmy",
        "time",
        "time_mm_ss",
        "integer",
        "number",
        "number_1dp",
        "number_2dp",
        "number_3dp",
        "number_4dp",
        "number_comma_decimal",
        "number_1dp_comma_decimal",
        "number_2dp_comma_decimal",
        "phone",
        "email",
        "zipcode",
        "alpha_only",
    )
)
_NUMERIC_VALIDATION: Final = frozenset(("integer", "number", "number_1dp", "number_2dp"))
_CHOICE_TYPES: Final = frozenset(("radio", "dropdown", "checkbox"))
ALIGNMENTS: Final = frozenset(("", "LV", "LH", "RV", "RH"))
_CHECKBOX_CODE: Final = re.compile(r"[a-z0-9_]+")
# REDCap evaluates branching logic and calculations as JavaScript, so a variable may not be
# a JavaScript reserved word (ECMAScript's list); and `redcap_` names are REDCap's own
# columns; `event` and `record` are kept free out of caution (REDCap speaks of events and
# records in its own logic). REDCap's complete list of refused names was not found: an
# ASSUMPTION.
RESERVED: Final = frozenset(
    [
        "break",
        "case",
        "catch",
        "class",
        "const",
        "continue",
        "debugger",
        "default",
        "delete",
        "do",
        "else",
        "enum",
        "export",
        "extends",
        "false",
        "finally",
        "for",
        "function",
        "if",
        "import",
        "in",
        "instanceof",
        "new",
        "null",
        "return",
        "super",
        "switch",
        "this",
        "throw",
        "true",
        "try",
        "typeof",
        "var",
        "void",
        "while",
        "with",
        "yield",
        "let",
        "static",
        "implements",
        "interface",
        "package",
        "private",
        "protected",
        "public",
        "await",
        "event",
        "record",
    ]
)
_REFERENCE: Final = re.compile(r"\[([a-z][a-z0-9_]*)(?:\(([^)]*)\))?\]")


def parse_choices(text: str) -> list[tuple[str, str]]:
    """`code, label | code, label` as pairs; ValueError when a choice has no comma."""
    pairs = []
    for part in text.split("|"):
        code, comma, shown = part.partition(",")
        if not comma:
            raise ValueError(f"choice '{part.strip()}' is not written 'code, label'")
        pairs.append((code.strip(), shown.strip()))
    return pairs


def lint_dictionary(text: str) -> list[ValidationIssue]:
    """Every structural problem of a data dictionary CSV (empty: REDCap can take it)."""
    issues: list[ValidationIssue] = []
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows or tuple(rows[0]) != HEADER:
        issues.append(
            ValidationIssue(FILE, 1, None, "header", "the 18 REDCap headers are not in order")
        )
        return issues
    body = [(n, r) for n, r in enumerate(rows[1:], start=2) if any(c.strip() for c in r)]
    if not body:
        issues.append(ValidationIssue(FILE, 2, None, "empty", "the dictionary has no fields"))
        return issues
    names = [r[0] for _, r in body if len(r) == len(HEADER)]
    known = set(names)
    checkbox_codes: dict[str, set[str]] = {}
    seen_forms: list[str] = []
    seen_names: set[str] = set()
    matrix: dict[str, tuple[int, str]] = {}  # group -> (last line, choices)
    previous_group = ""
    for number, row in body:
        if len(row) != len(HEADER):
            issues.append(
                ValidationIssue(FILE, number, None, "row_length", f"{len(row)} cells, not 18")
            )
            continue
        name, form, _section, ftype, flabel, choices, _note, validation = row[:8]
        low, high, identifier, branching, required, align, _q, group, ranking, _a = row[8:]

        def problem(
            column: str, rule: str, message: str, line: int = number, name: str = name
        ) -> None:
            issues.append(ValidationIssue(FILE, line, column, rule, f"{name}: {message}"))

        if not VARIABLE_NAME.fullmatch(name):
            problem(HEADER[0], "name", "variable names are a-z, 0-9, _ and start with a letter")
        if name in seen_names:
            problem(HEADER[0], "unique", "variable name used twice")
        if name in RESERVED or name.startswith("redcap_"):
            problem(HEADER[0], "reserved", "a reserved name (JavaScript or REDCap's own)")
        seen_names.add(name)
        if not VARIABLE_NAME.fullmatch(form):
            problem(HEADER[1], "name", f"form name '{form}' is not a-z, 0-9, _")
        if not seen_forms or seen_forms[-1] != form:
            if form in seen_forms:
                problem(HEADER[1], "contiguous", f"the fields of form '{form}' are not together")
            seen_forms.append(form)
        if ftype not in FIELD_TYPES:
            problem(HEADER[3], "field_type", f"'{ftype}' is not a REDCap field type")
        if number == body[0][0] and ftype != "text":
            problem(HEADER[3], "record_id", "the first field (the record id) must be text")
        if not flabel.strip():
            problem(HEADER[4], "label", "every field needs a label")
        if ftype in _CHOICE_TYPES:
            try:
                pairs = parse_choices(choices)
            except ValueError as err:
                problem(HEADER[5], "choices", str(err))
                pairs = []
            codes = [c for c, _ in pairs]
            if not pairs:
                problem(HEADER[5], "choices", "a choice field needs choices")
            if len(set(codes)) != len(codes):
                problem(HEADER[5], "choices", "a choice code is used twice")
            if ftype == "checkbox":
                checkbox_codes[name] = set(codes)
                for code in codes:
                    if not _CHECKBOX_CODE.fullmatch(code):
                        problem(
                            HEADER[5], "checkbox_code", f"checkbox code '{code}' is not a-z0-9_"
                        )
        elif ftype == "calc":
            if not choices.strip():
                problem(HEADER[5], "calculation", "a calc field needs its calculation")
            for ref, _ in _REFERENCE.findall(choices):
                if ref not in known:
                    problem(HEADER[5], "calculation", f"the calculation uses unknown [{ref}]")
        elif ftype != "slider" and choices.strip():
            problem(HEADER[5], "choices", f"a {ftype} field has no choices or calculation")
        if validation:
            if ftype != "text":
                problem(HEADER[7], "validation", "only text fields take a validation type")
            elif validation not in VALIDATION_TYPES:
                problem(HEADER[7], "validation", f"'{validation}' is not a validation type")
        for column, bound in ((HEADER[8], low), (HEADER[9], high)):
            if bound and not _bound_ok(validation, bound):
                problem(column, "validation_bound", f"'{bound}' is not a {validation} value")
        for column, flag in (
            (HEADER[10], identifier),
            (HEADER[12], required),
            (HEADER[16], ranking),
        ):
            if flag not in ("", "y"):
                problem(column, "flag", f"'{flag}' must be y or blank")
        if align not in ALIGNMENTS:
            problem(HEADER[13], "alignment", f"'{align}' is not LV, LH, RV or RH")
        for ref, _code in _REFERENCE.findall(branching):
            if ref not in known:
                problem(HEADER[11], "branching", f"the branching logic uses unknown [{ref}]")
        if group:
            if ftype not in ("radio", "checkbox"):
                problem(HEADER[15], "matrix", "matrix fields are radio or checkbox fields")
            if group in matrix and (previous_group != group or matrix[group][1] != choices):
                problem(HEADER[15], "matrix", "a matrix group is contiguous, one set of choices")
            matrix[group] = (number, choices)
        previous_group = group
    for number, row in body:
        if len(row) != len(HEADER):
            continue
        for ref, code in _REFERENCE.findall(row[11]):
            if code and ref in checkbox_codes and code not in checkbox_codes[ref]:
                issues.append(
                    ValidationIssue(
                        FILE,
                        number,
                        HEADER[11],
                        "branching",
                        f"{row[0]}: [{ref}({code})] is not a choice of {ref}",
                    )
                )
    return issues


def _bound_ok(validation: str, bound: str) -> bool:
    if validation in _NUMERIC_VALIDATION:
        try:
            value = float(bound)
        except ValueError:
            return False
        return value.is_integer() if validation == "integer" else True
    if validation == "date_ymd":
        try:
            date.fromisoformat(bound)
        except ValueError:
            return False
        return True
    return True
