"""The registry tables of the cohort format version 2 record kinds, built from the one field
table (`cohort.columns_v2.RECORD_KINDS`): one table per kind, one column per field.

Every table is patient-owned and tracked like the version 1 tables (`row_version`,
`retired_at`, `extra` — unused, `created_by_audit_id`) and unique on (`patient_pk`,
`record_key`): the kind's natural key as one text (`columns_v2.record_key`, e.g.
'2021-09 | ANA | '), so a key with empty parts (an involvement without onset, a course with
no start) is one value, not NULLs that never clash.

Stored forms: a partial date as its first day (`<name>`, Date) and its precision
(`<name>_precision`: year, month or day), so date order and SQL date filters keep working
and the precision is never lost; lists (`choices`) as JSON lists in order; yes/no as the
words `yes`/`no`; numbers Double, integers Integer, codes String(64), text Text.

Migration v0006_whole_record creates these tables (a frozen copy: change a kind's columns
only with a new migration).
"""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy import (
    JSON,
    Column,
    Date,
    DateTime,
    Double,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeEngine

from myotrack.cohort import RECORD_KINDS, RecordKind, columns
from myotrack.registry.tables import Base, JsonOrNull

KEY_LENGTH: Final = 200
PRECISION_LENGTH: Final = 8


def stored_columns(field: columns.Column) -> tuple[tuple[str, TypeEngine[Any]], ...]:
    """The table column(s) of one field: (name, type) pairs."""
    kind = field.kind
    if kind == "partial_date":
        return ((field.name, Date()), (f"{field.name}_precision", String(PRECISION_LENGTH)))
    if kind == "date":
        return ((field.name, Date()),)
    if kind == "choices":
        return ((field.name, JSON(none_as_null=True)),)
    if kind == "number":
        return ((field.name, Double()),)
    if kind == "integer":
        return ((field.name, Integer()),)
    if kind == "text":
        return ((field.name, Text()),)
    return ((field.name, String(64)),)  # choice, drug


def value_column_names(kind: RecordKind) -> tuple[str, ...]:
    """The stored columns of a kind after `patient_pk` and `record_key`, in order."""
    return tuple(name for field in kind.columns[1:] for name, _ in stored_columns(field))


def _table(kind: RecordKind) -> Table:
    columns: list[Column[Any]] = [
        Column("id", Integer, primary_key=True),
        Column("patient_pk", Integer, ForeignKey("patient.id"), nullable=False),
        Column("record_key", String(KEY_LENGTH), nullable=False),
    ]
    for field in kind.columns[1:]:
        for name, type_ in stored_columns(field):
            columns.append(Column(name, type_, nullable=not field.required))
    columns += [
        Column("row_version", Integer, nullable=False, default=1),
        Column("retired_at", DateTime(timezone=True)),
        Column("extra", JsonOrNull),
        Column("created_by_audit_id", Integer, ForeignKey("audit_event.id")),
    ]
    return Table(
        kind.name,
        Base.metadata,
        *columns,
        UniqueConstraint("patient_pk", "record_key"),
    )


V2_TABLES: Final[dict[str, Table]] = {kind.name: _table(kind) for kind in RECORD_KINDS}
