"""The DDL of OMOP CDM 5.4 for SQLite and PostgreSQL, generated from OHDSI's field-level
specification (`omop.cdm`): every table with its columns in order, NOT NULL where the
field is required, its primary key, and its foreign keys.

As OHDSI's own DDL does, the foreign keys come apart from the tables for PostgreSQL
(`foreign_keys`, run after loading: the vocabulary tables refer to each other in a
circle); SQLite cannot add a constraint to a table, so there they are written inside
each CREATE TABLE and checked after loading with `PRAGMA foreign_key_check`. A foreign
key is declared only where it points at its table's primary key (the others are
checked by `omop.checks`).
"""

from __future__ import annotations

from typing import Final, Literal

from myotrack.exchange.omop.cdm import CdmField, cdm_tables

Dialect = Literal["sqlite", "postgresql"]
DIALECTS: Final[tuple[Dialect, ...]] = ("sqlite", "postgresql")

_TYPES: Final[dict[Dialect, dict[str, str]]] = {
    "sqlite": {
        "integer": "INTEGER",
        "bigint": "BIGINT",
        "float": "REAL",
        "date": "DATE",
        "datetime": "DATETIME",
    },
    "postgresql": {
        "integer": "INTEGER",
        "bigint": "BIGINT",
        "float": "NUMERIC",
        "date": "DATE",
        "datetime": "TIMESTAMP",
    },
}


def column_type(field: CdmField, dialect: Dialect) -> str:
    if field.datatype.startswith("varchar"):
        length = field.max_length
        return "TEXT" if length is None else f"VARCHAR({length})"
    return _TYPES[dialect][field.datatype]


def _primary_key(table: str) -> str | None:
    keys = [f.name for f in cdm_tables()[table] if f.primary_key]
    return keys[0] if len(keys) == 1 else None


def _references(field: CdmField) -> tuple[str, str] | None:
    """(table, field) a field's foreign key points at, when that is the table's key."""
    if field.fk_table is None or field.fk_field is None:
        return None
    if field.fk_table not in cdm_tables() or _primary_key(field.fk_table) != field.fk_field:
        return None
    return field.fk_table, field.fk_field


def create_table(table: str, dialect: Dialect) -> str:
    fields = cdm_tables()[table]
    lines = []
    for f in fields:
        line = f"  {f.name} {column_type(f, dialect)}"
        if f.required:
            line += " NOT NULL"
        if f.primary_key:
            line += " PRIMARY KEY"
        lines.append(line)
    if dialect == "sqlite":
        for f in fields:
            target = _references(f)
            if target is not None:
                lines.append(f"  FOREIGN KEY ({f.name}) REFERENCES {target[0]} ({target[1]})")
    return f"CREATE TABLE {table} (\n" + ",\n".join(lines) + "\n);"


def foreign_keys(table: str) -> list[str]:
    """PostgreSQL: the foreign keys of a table, to add once the data are loaded."""
    statements = []
    for f in cdm_tables()[table]:
        target = _references(f)
        if target is not None:
            statements.append(
                f"ALTER TABLE {table} ADD CONSTRAINT fpk_{table}_{f.name} "
                f"FOREIGN KEY ({f.name}) REFERENCES {target[0]} ({target[1]});"
            )
    return statements


def create_tables(dialect: Dialect, tables: tuple[str, ...] | None = None) -> list[str]:
    """CREATE TABLE statements of `tables` (default: every table of CDM 5.4)."""
    return [create_table(t, dialect) for t in tables or tuple(cdm_tables())]


def ddl_script(dialect: Dialect) -> str:
    """The whole DDL as one SQL script (PostgreSQL: tables, then foreign keys)."""
    statements = create_tables(dialect)
    if dialect == "postgresql":
        statements += [s for t in cdm_tables() for s in foreign_keys(t)]
    return "\n\n".join(statements) + "\n"
