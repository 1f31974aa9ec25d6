"""Bulk reads and writes on SQLite through the driver, for speed.

SQLAlchemy's per-row parameter and result handling costs more than SQLite's own
work when a cohort of a million rows goes in or out. Here the statements are still
built by SQLAlchemy from the tables, but the rows pass straight through the sqlite3
driver, and the column types' conversions are applied column by column. Dates are
ISO text, exactly as SQLAlchemy's SQLite DATE type stores and reads them. Other
databases take the ordinary Core path, except that PostgreSQL (psycopg) bulk inserts
use COPY.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Double, Integer, Select, String, Table, insert
from sqlalchemy.engine import Connection
from sqlalchemy.types import TypeEngine

Row = tuple[Any, ...]
RowWriter = Callable[[list[Row]], None]


def _driver(conn: Connection) -> Any:
    driver = conn.connection.driver_connection
    assert driver is not None
    return driver


def _convert_column(column: Sequence[Any], convert: Callable[[Any], Any]) -> Sequence[Any]:
    if column.count(None):
        return tuple(None if v is None else convert(v) for v in column)
    return tuple(map(convert, column))


def row_writer(
    conn: Connection, table: Table, columns: Sequence[str], constants: dict[str, int]
) -> RowWriter:
    """A function that inserts rows given as tuples in `columns` order, each row also
    getting the integer `constants` (e.g. row_version=1).

    On SQLite, per chunk, columns that are empty in every row are left out of the
    INSERT (binding NULLs is most of SQLite's cost for our wide, sparse rows) and the
    constants are written into the statement. PostgreSQL with psycopg: COPY. Elsewhere:
    Core `insert()` executemany of plain dicts."""
    dialect = conn.dialect
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        return _copy_writer(conn, table, columns, constants)
    if dialect.name != "sqlite":
        stmt = insert(table)

        def write_dicts(rows: list[Row]) -> None:
            conn.execute(
                stmt, [{**dict(zip(columns, row, strict=True)), **constants} for row in rows]
            )

        return write_dicts
    quote = dialect.identifier_preparer.quote
    converters: dict[int, Callable[[Any], Any]] = {}
    for position, name in enumerate(columns):
        column_type = table.c[name].type
        if isinstance(column_type, Date):
            converters[position] = date.isoformat
        elif isinstance(column_type, (Boolean, Double, Integer, String)):
            continue  # sqlite3 stores bool, float, int and str as they are
        else:
            convert = column_type.dialect_impl(dialect).bind_processor(dialect)
            if convert is not None:
                converters[position] = convert
    constant_names = [quote(c) for c in constants]
    constant_values = [str(int(v)) for v in constants.values()]
    statements: dict[tuple[int, ...], str] = {}
    driver = _driver(conn)

    def statement(present: tuple[int, ...]) -> str:
        sql = statements.get(present)
        if sql is None:
            names = [quote(columns[i]) for i in present] + constant_names
            marks = ["?" for _ in present] + constant_values
            sql = (
                f"INSERT INTO {quote(table.name)} ({', '.join(names)}) VALUES ({', '.join(marks)})"
            )
            statements[present] = sql
        return sql

    def write_columns(rows: list[Row]) -> None:
        by_column = list(zip(*rows, strict=True))
        n = len(rows)
        present = tuple(i for i, col in enumerate(by_column) if col.count(None) != n)
        data: list[Sequence[Any]] = []
        for i in present:
            convert = converters.get(i)
            data.append(by_column[i] if convert is None else _convert_column(by_column[i], convert))
        driver.executemany(statement(present), zip(*data, strict=True))

    return write_columns


def _copy_writer(
    conn: Connection, table: Table, columns: Sequence[str], constants: dict[str, int]
) -> RowWriter:
    """PostgreSQL: `COPY table (columns) FROM STDIN` through psycopg, which adapts
    dates, numbers, booleans and text itself; JSON columns are serialised here."""
    quote = conn.dialect.identifier_preparer.quote
    names = [*columns, *constants]
    sql = f"COPY {quote(table.name)} ({', '.join(quote(c) for c in names)}) FROM STDIN"
    json_positions = [i for i, name in enumerate(columns) if isinstance(table.c[name].type, JSON)]
    tail = tuple(constants.values())
    driver = _driver(conn)

    def write_copy(rows: list[Row]) -> None:
        with driver.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                if json_positions:
                    cells = list(row)
                    for i in json_positions:
                        if cells[i] is not None:
                            cells[i] = json.dumps(cells[i])
                    copy.write_row((*cells, *tail))
                else:
                    copy.write_row((*row, *tail))

    return write_copy


def _result_converter(
    column_type: TypeEngine[Any], conn: Connection
) -> Callable[[Any], Any] | None:
    dialect = conn.dialect
    if isinstance(column_type, Date):
        return date.fromisoformat
    if isinstance(column_type, Boolean):
        return bool
    if isinstance(column_type, (Double, Integer, String)):
        return None
    convert: Callable[[Any], Any] | None = column_type.dialect_impl(dialect).result_processor(
        dialect, None
    )
    return convert


def fetch_all(conn: Connection, stmt: Select[Any]) -> list[Row]:
    """All rows of `stmt` as plain tuples. The statement's parameters must be plain
    ints or strings (they are passed to the driver as they are)."""
    dialect = conn.dialect
    if dialect.name != "sqlite":
        return [tuple(row) for row in conn.execute(stmt)]
    compiled = stmt.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    args = [params[name] for name in compiled.positiontup or ()]
    rows: list[Row] = _driver(conn).execute(str(compiled), args).fetchall()
    converters = [
        (i, convert)
        for i, column in enumerate(stmt.selected_columns)
        if (convert := _result_converter(column.type, conn)) is not None
    ]
    if not rows or not converters:
        return rows
    by_column: list[Sequence[Any]] = list(zip(*rows, strict=True))
    for i, convert in converters:
        by_column[i] = _convert_column(by_column[i], convert)
    return list(zip(*by_column, strict=True))
