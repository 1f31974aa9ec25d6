"""Visit measures and laboratory results whose date is known only to the month or year
("CMAS 47/52 in January 2023"), kept with that precision.

Version 1 `Visit` and `LabResult` need a whole date. A reported visit or lab result holds a
`PartialDate`; `to_visit`/`to_lab` give the version 1 object for analyses that need a day,
with the mid-period imputation of `domain.partial_date` and its warning (never silently).

Measures are keyed by the version 1 visit measure names (`vocab.MEASURES`, `vocab.VISIT_FLAGS`)
so their ranges stay in one table; instrument totals that are not visit columns (e.g. the
CMAS-9 total of the second seed paper, "9 out of 37") are keyed by the instrument's name and
checked against its definition's range by the caller that has the instruments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from myotrack.domain.model import LabResult, Visit
from myotrack.domain.partial_date import PartialDate
from myotrack.domain.vocab import MEASURES, VISIT_FLAGS


@dataclass(frozen=True, slots=True)
class ReportedVisit:
    patient_id: str
    date: PartialDate
    measures: Mapping[str, float] = field(default_factory=dict)
    flags: Mapping[str, bool] = field(default_factory=dict)  # rash, weakness
    instrument_totals: Mapping[str, float] = field(default_factory=dict)
    free_text: str | None = None

    def problems(self) -> tuple[str, ...]:
        """Unknown measure names and values outside their range, in words."""
        out: list[str] = []
        for name, value in self.measures.items():
            m = MEASURES.get(name)
            if m is None:
                out.append(f"{name}: not a visit measure")
            elif value < m.min or (m.max is not None and value > m.max):
                out.append(f"{m.label}: {value:g} outside {m.min:g}-{m.max:g}")
        out += [f"{name}: not a visit flag" for name in self.flags if name not in VISIT_FLAGS]
        return tuple(out)

    def to_visit(self, not_after: dt.date) -> tuple[Visit, str | None]:
        day = self.date.impute(not_after)
        values: dict[str, float | bool] = {**self.measures, **self.flags}
        visit = Visit(patient_id=self.patient_id, date=day.day, **values)  # type: ignore[arg-type]
        return visit, day.warning


@dataclass(frozen=True, slots=True)
class ReportedLab:
    patient_id: str
    date: PartialDate
    analyte: str
    value: float | None = None
    unit: str | None = None
    result: str | None = None
    ref_low: float | None = None
    ref_high: float | None = None

    def to_lab(self, not_after: dt.date) -> tuple[LabResult, str | None]:
        day = self.date.impute(not_after)
        lab = LabResult(
            patient_id=self.patient_id,
            date=day.day,
            analyte=self.analyte,
            value=self.value,
            unit=self.unit,
            result=self.result,
            ref_low=self.ref_low,
            ref_high=self.ref_high,
        )
        return lab, day.warning
