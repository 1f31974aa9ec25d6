"""The registry `Kind` of every cohort format version 2 record kind: a `RecordRow` (checked
column values) to its table row and back, generically from the field table
(`cohort.columns_v2`), so bulk import, record-level saves, retraction, loading and the audit
log treat them as every other kind. The natural key is (patient_id, record_key)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Final

from myotrack.cohort import RECORD_KINDS, RecordKind, columns, record_key
from myotrack.domain import PartialDate, RecordRow
from myotrack.registry.kinds import KINDS, Kind, Values
from myotrack.registry.tables_v2 import V2_TABLES


def partial_date_of(first_day: date, precision: str) -> PartialDate:
    """A stored partial date (its first day and precision) as the PartialDate it was."""
    if precision == "year":
        return PartialDate(first_day.year)
    if precision == "month":
        return PartialDate(first_day.year, first_day.month)
    return PartialDate.of(first_day)


def _to_store(field: columns.Column) -> Callable[[Any], tuple[Any, ...]]:
    if field.kind == "partial_date":

        def partial(value: Any) -> tuple[Any, ...]:
            if value is None:
                return (None, None)
            if isinstance(value, date):
                value = PartialDate.of(value)
            return (value.earliest(), value.precision)

        return partial
    if field.kind == "choices":
        return lambda value: (None if value is None else list(value),)
    if field.kind == "integer":
        return lambda value: (None if value is None else int(value),)
    if field.kind == "number":
        return lambda value: (None if value is None else float(value),)
    return lambda value: (value,)


def _from_store(field: columns.Column) -> tuple[int, Callable[[tuple[Any, ...]], Any]]:
    """How many stored columns a field takes and how to read them back."""
    if field.kind == "partial_date":

        def partial(cells: tuple[Any, ...]) -> Any:
            first, precision = cells
            return None if first is None else partial_date_of(first, precision)

        return 2, partial
    if field.kind == "choices":
        return 1, lambda cells: None if cells[0] is None else tuple(cells[0])
    return 1, lambda cells: cells[0]


def _kind(spec: RecordKind) -> Kind:
    fields = spec.columns[1:]
    writers = [(f.name, _to_store(f)) for f in fields]
    readers = [(f.name, *_from_store(f)) for f in fields]
    name = spec.name

    def key(row: RecordRow) -> tuple[Any, ...]:
        return (row.patient_id, record_key(spec, row.values))

    def values(row: RecordRow) -> Values:
        out: list[Any] = []
        get = row.values.get
        for field_name, store in writers:
            out.extend(store(get(field_name)))
        return tuple(out)

    def build(patient_id: str, _rest: tuple[Any, ...], stored: Values) -> RecordRow:
        got: dict[str, Any] = {}
        at = 0
        for field_name, width, read in readers:
            value = read(tuple(stored[at : at + width]))
            at += width
            if value is not None:
                got[field_name] = value
        return RecordRow(name, patient_id, got)

    from myotrack.registry.tables_v2 import value_column_names

    return Kind(
        name=name,
        table=V2_TABLES[name],
        domain_type=RecordRow,
        key_fields=("patient_id", "record_key"),
        value_columns=value_column_names(spec),
        key=key,
        values=values,
        build=build,
    )


V2_KINDS: Final[tuple[Kind, ...]] = tuple(_kind(spec) for spec in RECORD_KINDS)
V2_KIND: Final[dict[str, Kind]] = {k.name: k for k in V2_KINDS}
KINDS.update(V2_KIND)  # record-level saves, retraction and row versions find them by name
