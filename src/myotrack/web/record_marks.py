"""The whole JDM record on the timelines (issue 11): investigations, dated organ involvement,
treatment courses and events known to the month or year as `TimelineMark`s, drawn by the
interactive timeline of the patient page (`web.timeline`) and by the figure
(`report.figures.timeline_figure`, downloadable from the page and `myotrack figure
timeline`). A date known only to the month or year is a mark over its whole period, never a
point; words come from the field table's labels (`web.record_fields`)."""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Sequence
from datetime import date
from typing import Any, Final

from myotrack.domain import PartialDate, RecordRow, vocab
from myotrack.domain.labels import label
from myotrack.report.figures import TimelineMark
from myotrack.web import record_fields
from myotrack.web.record_fields import KIND_GROUP

INVESTIGATIONS: Final = "investigations"
EVENTS: Final = "events"
_FACTS_SHOWN: Final = 3  # the first facts of an investigation in its mark's words


def _period(value: Any) -> tuple[date, date] | None:
    if isinstance(value, PartialDate):
        return value.earliest(), value.latest()
    if isinstance(value, date):
        return value, value
    return None


def _facts(row: RecordRow, skip: str) -> str:
    shown = record_fields.facts(row.kind, row.values, frozenset({skip, "free_text"}))
    return "; ".join(f"{words} {text}" for words, text in shown[:_FACTS_SHOWN])


def _investigation(row: RecordRow) -> TimelineMark | None:
    period = _period(row.values.get("date"))
    if period is None:
        return None
    title = record_fields.title(row.kind)
    when = record_fields.date_words(row.values["date"])
    facts = _facts(row, "date")
    return TimelineMark(
        lane=INVESTIGATIONS,
        kind="investigation",
        start=period[0],
        end=period[1],
        text=f"{title} ({when})" + (f": {facts}" if facts else ""),
    )


def _involvement(row: RecordRow) -> TimelineMark | None:
    onset = _period(row.values.get("onset_date"))
    if onset is None or row.values.get("certainty") == "excluded":
        return None  # an excluded organ is listed on the page, never drawn as involved
    spec = record_fields.kind_of(row.kind)
    organ = record_fields.value_words(spec.column["organ"], str(row.values["organ"]))
    resolution = _period(row.values.get("resolution_date"))
    said = row.values.get("resolved")
    resolved = resolution is not None or said == "yes"
    words = f"{organ}: from {record_fields.date_words(row.values['onset_date'])}"
    if resolution is not None:
        words += f" to {record_fields.date_words(row.values['resolution_date'])}"
    elif resolved:
        words += ", resolved (date not known)"
    elif said != "no":
        words += ", resolution not reported"
    for name in ("severity", "certainty"):
        if row.values.get(name) is not None:
            words += f", {record_fields.value_words(spec.column[name], str(row.values[name]))}"
    return TimelineMark(
        lane=organ,
        kind="involvement",
        start=onset[0],
        end=resolution[1] if resolution is not None else onset[1],
        text=words,
        ongoing=said == "no" and resolution is None,
        end_reported=resolved or said == "no",
    )


def _after_months(start: Any, months: int) -> tuple[date, date] | None:
    """The period `months` after a start: a day moves to the same day (the month's last where
    it is shorter), a month to that whole month; a start known only to the year gives none
    (as `TreatmentCourse.end_estimate`)."""
    if isinstance(start, date):
        start = PartialDate.of(start)
    if not isinstance(start, PartialDate) or start.month is None:
        return None
    index = start.year * 12 + start.month - 1 + months
    year, month = index // 12, index % 12 + 1
    if start.day is None:
        end = PartialDate(year, month)
        return end.earliest(), end.latest()
    day = date(year, month, min(start.day, monthrange(year, month)[1]))
    return day, day


def _course(row: RecordRow) -> TimelineMark | None:
    start = _period(row.values.get("start_date"))
    if start is None:
        return None  # a course without any start is listed, not drawn
    v = row.values
    drug = label("drug", str(v["drug"]))
    end = _period(v.get("end_date"))
    spec = record_fields.kind_of(row.kind)
    dose = " ".join(
        record_fields.shown_value(spec.column[n], v.get(n))
        for n in ("dose", "dose_unit", "frequency", "route")
        if v.get(n) is not None
    )
    words = f"{drug} {dose}".strip() + f" from {record_fields.date_words(v['start_date'])}"
    if end is not None:
        words += f" to {record_fields.date_words(v['end_date'])}"
    elif v.get("duration_months") is not None:  # "stopped after 13 months"
        months = int(v["duration_months"])
        end = _after_months(v["start_date"], months)
        words += f" for {months} months"
    elif v.get("status") == "stopped":
        words += ", stopped (date not reported)"
    elif v.get("status") != "ongoing":
        words += ", end not reported"
    ongoing = end is None and v.get("status") == "ongoing"
    return TimelineMark(
        lane=drug,
        kind="course",
        start=start[0],
        end=end[1] if end is not None else start[1],
        text=words,
        ongoing=ongoing,
        jak_inhibitor=v["drug"] in vocab.JAK_INHIBITORS,
        end_reported=end is not None or ongoing,
    )


def _event(row: RecordRow) -> TimelineMark | None:
    period = _period(row.values.get("date"))
    if period is None:
        return None
    spec = record_fields.kind_of(row.kind)
    words = record_fields.value_words(spec.column["event"], str(row.values["event"]))
    return TimelineMark(
        lane=EVENTS,
        kind="event",
        start=period[0],
        end=period[1],
        text=f"{words} ({record_fields.date_words(row.values['date'])})",
    )


def record_marks(rows: Sequence[RecordRow]) -> list[TimelineMark]:
    """The marks of a patient's version 2 records, in date order (investigations in one lane,
    each involved organ and each drug in its own)."""
    marks: list[TimelineMark] = []
    for row in rows:
        mark: TimelineMark | None = None
        if KIND_GROUP.get(row.kind) == "investigations":
            mark = _investigation(row)
        elif row.kind == "organ_involvement":
            mark = _involvement(row)
        elif row.kind == "treatment_course":
            mark = _course(row)
        elif row.kind == "clinical_event":
            mark = _event(row)
        if mark is not None:
            marks.append(mark)
    return sorted(marks, key=lambda m: (m.start, m.lane))


__all__ = ["EVENTS", "INVESTIGATIONS", "record_marks"]
