"""The OMOP Common Data Model 5.4, as OHDSI specifies it field by field.

Read from OHDSI's own machine-readable specification, `OMOP_CDMv5.4_Field_Level.csv`
(shipped in `myotrack/data/omop/` with its Apache-2.0 notice): every table, its fields in
order, whether each is required, its datatype, primary key, foreign key (table, field) and
the domain a concept id must have (`fkDomain`). The DDL (`omop.ddl`) and the checks
(`omop.checks`) are generated from this one table, never written by hand.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass
from importlib.resources import files
from typing import Final

SPEC_FILE: Final = "OMOP_CDMv5.4_Field_Level.csv"
CDM_VERSION: Final = "5.4"
_VARCHAR: Final = re.compile(r"varchar\((\d+|max)\)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class CdmField:
    table: str  # lower case, as in the specification
    name: str
    required: bool
    datatype: str  # integer, bigint, float, date, datetime, varchar(n), varchar(max)
    primary_key: bool
    fk_table: str | None  # lower case
    fk_field: str | None
    fk_domain: str | None

    @property
    def max_length(self) -> int | None:
        """The length limit of a varchar field (None: no limit or not text)."""
        match = _VARCHAR.fullmatch(self.datatype)
        if match is None or match.group(1).lower() == "max":
            return None
        return int(match.group(1))


def _optional(text: str) -> str | None:
    return None if text in ("", "NA") else text


def parse_spec(text: str) -> dict[str, tuple[CdmField, ...]]:
    """table -> its fields in order, from the text of the field-level CSV."""
    tables: dict[str, list[CdmField]] = {}
    for row in csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))):
        fk = row["isForeignKey"] == "Yes"
        field = CdmField(
            table=row["cdmTableName"].lower(),
            name=row["cdmFieldName"].lower(),
            required=row["isRequired"] == "Yes",
            datatype=row["cdmDatatype"].lower(),
            primary_key=row["isPrimaryKey"] == "Yes",
            fk_table=(_optional(row["fkTableName"]) or "").lower() or None if fk else None,
            fk_field=(_optional(row["fkFieldName"]) or "").lower() or None if fk else None,
            fk_domain=_optional(row["fkDomain"]) if fk else None,
        )
        tables.setdefault(field.table, []).append(field)
    return {name: tuple(fields) for name, fields in tables.items()}


@functools.cache
def cdm_tables() -> dict[str, tuple[CdmField, ...]]:
    """Every table of CDM 5.4 with its fields (the shipped specification)."""
    text = (files("myotrack") / "data" / "omop" / SPEC_FILE).read_text(encoding="utf-8")
    return parse_spec(text)


def field_names(table: str) -> tuple[str, ...]:
    return tuple(f.name for f in cdm_tables()[table])
