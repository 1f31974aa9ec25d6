"""The whole JDM record on the patient page: the version 2 records of a patient grouped as
the page shows them (investigations with their structured result, organ involvement as dated
bars, background, treatment detail, events), each fact in the clinic's words and every date
at its precision ("Oct 2021"). Pure: it takes the records (already in the user's tier) and
returns what the template draws."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from myotrack.domain import PartialDate, PatientRecord, RecordRow
from myotrack.web import record_fields
from myotrack.web.record_fields import GROUP_TITLES, KIND_GROUP, Group
from myotrack.web.services.records import StoredRecord, stored_records


@dataclass(frozen=True, slots=True)
class RecordLine:
    """One record as a row of its kind's table."""

    kind: str
    key: str
    when: str  # its first date at its precision ('' when undated)
    facts: tuple[tuple[str, str], ...]  # (field words, value words) of the filled fields
    version: int | None


@dataclass(frozen=True, slots=True)
class KindBlock:
    kind: str
    title: str
    date_words: str  # the name of its date column ('date', 'decided on', 'onset', ...)
    lines: tuple[RecordLine, ...]
    dated: bool = True  # False for a kind without a date (family history): no date column


@dataclass(frozen=True, slots=True)
class GroupBlock:
    group: Group
    title: str
    kinds: tuple[KindBlock, ...]


@dataclass(frozen=True, slots=True)
class Bar:
    """One organ involvement as a dated bar across the page's time axis (percent)."""

    organ: str
    period: str  # 'Sep 2021 – Nov 2021', 'Sep 2021 – (not resolved)'
    left: float
    width: float
    ongoing: bool
    words: str  # severity and certainty


# Kinds listed without a date column: the background's onset and diagnosis dates are two of
# its facts (a whole onset date lives in the patient's own fields, so an empty column would
# wrongly say "not known").
_UNDATED: frozenset[str] = frozenset({"patient_background"})


def _date_column(kind: str) -> str | None:
    if kind in _UNDATED:
        return None
    for column in record_fields.kind_of(kind).columns[1:]:
        if column.kind in ("partial_date", "date"):
            return column.name
    return None


def _line(stored: StoredRecord) -> RecordLine:
    main = _date_column(stored.kind)
    facts = record_fields.facts(stored.kind, stored.values, frozenset({main or ""}))
    when = record_fields.start_words(stored.values, main) if main else ""
    return RecordLine(stored.kind, stored.key, when, tuple(facts), stored.version)


def groups(
    rows: Sequence[RecordRow], versions: Mapping[str, Mapping[tuple[Any, ...], int]]
) -> list[GroupBlock]:
    """The records grouped as the page shows them (groups and kinds in the field table's
    order; only those with records)."""
    stored = stored_records(rows, versions)
    by_kind: dict[str, list[RecordLine]] = {}
    for one in stored:
        by_kind.setdefault(one.kind, []).append(_line(one))
    out = []
    for group, title in GROUP_TITLES.items():
        blocks = [
            KindBlock(
                kind=kind,
                title=record_fields.title(kind),
                date_words=record_fields.field_words(_date_column(kind) or "date", kind),
                lines=tuple(by_kind[kind]),
                dated=_date_column(kind) is not None,
            )
            for kind in record_fields.KIND_NAMES
            if KIND_GROUP[kind] == group and kind in by_kind
        ]
        if blocks:
            out.append(GroupBlock(group, title, tuple(blocks)))
    return out


def offered(group: Group) -> list[tuple[str, str]]:
    """(kind, title) of the kinds a user may add in a group."""
    return [(k, record_fields.title(k)) for k in record_fields.KIND_NAMES if KIND_GROUP[k] == group]


def _earliest(value: Any) -> date | None:
    if isinstance(value, PartialDate):
        return value.earliest()
    return value if isinstance(value, date) else None


def _latest(value: Any) -> date | None:
    if isinstance(value, PartialDate):
        return value.latest()
    return value if isinstance(value, date) else None


def axis_end(
    record: PatientRecord, rows: Sequence[RecordRow], today: date, *, deidentified: bool
) -> date:
    """Where an involvement that has not resolved ends on the page: today; for a
    de-identified user (whose dates are moved) the latest date of their record."""
    if not deidentified:
        return today
    dates = [v.date for v in record.visits] + [lab.date for lab in record.labs]
    dates += [c.end_date or c.start_date for c in record.courses] + [e.date for e in record.events]
    for row in rows:
        dates += [d for d in map(_latest, row.values.values()) if d is not None]
    return max(dates, default=today)


def involvement_bars(rows: Sequence[RecordRow], end: date) -> tuple[list[Bar], list[str]]:
    """Organ involvement as bars from the first day of the onset to the last day of the
    resolution (to `end` when not resolved), on an axis from the first onset to `end`; and
    the axis's first and last labels. Involvement without an onset is not drawn (it is in
    the table)."""
    spec = record_fields.kind_of("organ_involvement")
    organ_column = spec.column["organ"]
    dated = [
        r
        for r in rows
        if r.kind == "organ_involvement"
        and r.values.get("onset_date") is not None
        and r.values.get("certainty") != "excluded"  # listed in the table, not drawn
    ]
    if not dated:
        return [], []
    starts = [_earliest(r.values["onset_date"]) for r in dated]
    first = min(d for d in starts if d is not None)
    ends = [_latest(r.values.get("resolution_date")) for r in dated]
    last = max([end, *(d for d in ends if d is not None)])
    span = max((last - first).days, 1)
    bars = []
    for row in sorted(dated, key=lambda r: r.values["onset_date"].sort_key()):
        onset = row.values["onset_date"]
        start = onset.earliest()
        resolution = row.values.get("resolution_date")
        said = row.values.get("resolved")
        resolved = resolution is not None or said == "yes"
        # resolved on an unknown date: drawn over its onset only, not on to today
        stop = _latest(resolution) or (onset.latest() if resolved else last)
        if resolution is not None:
            period_end = record_fields.date_words(resolution)
        elif resolved:
            period_end = "resolved, date not known"
        else:
            period_end = "not resolved" if said == "no" else "resolution not reported"
        words = ", ".join(
            record_fields.value_words(spec.column[n], str(row.values[n]))
            for n in ("severity", "certainty")
            if row.values.get(n) is not None
        )
        bars.append(
            Bar(
                organ=record_fields.value_words(organ_column, str(row.values["organ"])),
                period=f"{record_fields.date_words(onset)} – {period_end}",
                left=round((start - first).days / span * 100, 2),
                width=round(max((stop + timedelta(days=1) - start).days, 1) / span * 100, 2),
                ongoing=not resolved,
                words=words,
            )
        )
    return bars, [first.isoformat(), last.isoformat()]


__all__ = [
    "Bar",
    "GroupBlock",
    "KindBlock",
    "RecordLine",
    "axis_end",
    "groups",
    "involvement_bars",
    "offered",
]
