"""Nailfold capillaroscopy, cardiac tests (echocardiogram, ECG) and swallow assessment of
the whole JDM record, each dated with its structured result and the report's own words."""

from __future__ import annotations

from dataclasses import dataclass

from myotrack.domain.partial_date import PartialDate
from myotrack.domain.record_vocab import (
    CapillaroscopyFinding,
    CapillaroscopyMethod,
    CardiacFinding,
    CardiacTestKind,
    Feeding,
    NormalAbnormal,
    SwallowMethod,
    SwallowResult,
)


@dataclass(frozen=True, slots=True)
class Capillaroscopy:
    """Nailfold capillaroscopy: overall result, the changes seen, capillary density (loops
    per mm, when counted)."""

    patient_id: str
    date: PartialDate
    result: NormalAbnormal
    method: CapillaroscopyMethod | None = None
    findings: tuple[CapillaroscopyFinding, ...] = ()
    capillaries_per_mm: float | None = None
    free_text: str | None = None


@dataclass(frozen=True, slots=True)
class CardiacTest:
    """Echocardiogram, ECG, Holter or cardiac MRI: result, findings, LV ejection fraction."""

    patient_id: str
    date: PartialDate
    kind: CardiacTestKind
    result: NormalAbnormal
    findings: tuple[CardiacFinding, ...] = ()
    lv_ejection_fraction_percent: float | None = None
    free_text: str | None = None


@dataclass(frozen=True, slots=True)
class SwallowAssessment:
    patient_id: str
    date: PartialDate
    method: SwallowMethod
    result: SwallowResult
    feeding: Feeding | None = None
    free_text: str | None = None
