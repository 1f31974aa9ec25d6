"""Body size of a patient at a date: the weight (and height) in force, and body surface
area for m²-based doses."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from myotrack.domain.model import PatientRecord


@dataclass(frozen=True, slots=True)
class Measured:
    value: float
    on: date  # the visit date it was measured


def weight_on(record: PatientRecord, day: date, *, lookahead_days: int = 0) -> Measured | None:
    """The latest recorded weight on or before `day` (the weight in force). With
    `lookahead_days`, when there is none, the first weight within that many days after."""
    found = [v for v in record.visits if v.weight_kg is not None and v.date <= day]
    if found:
        v = max(found, key=lambda v: v.date)
    else:
        later = [
            v
            for v in record.visits
            if v.weight_kg is not None and day < v.date <= day + timedelta(days=lookahead_days)
        ]
        if not later:
            return None
        v = min(later, key=lambda v: v.date)
    assert v.weight_kg is not None
    return Measured(v.weight_kg, v.date)


def height_on(record: PatientRecord, day: date) -> Measured | None:
    found = [v for v in record.visits if v.height_cm is not None and v.date <= day]
    if not found:
        return None
    v = max(found, key=lambda v: v.date)
    assert v.height_cm is not None
    return Measured(v.height_cm, v.date)


def bsa_mosteller(height_cm: float, weight_kg: float) -> float:
    """Body surface area in m²: sqrt(height_cm × weight_kg / 3600).
    Source: Mosteller RD. N Engl J Med 1987;317:1098 (citation not re-verified;
    criteria-therapy.md §4.4; test vector BSA-1: 105 cm, 17 kg -> 0.7042 m²)."""
    if height_cm <= 0 or weight_kg <= 0:
        raise ValueError("height and weight must be positive")
    return math.sqrt(height_cm * weight_kg / 3600.0)
