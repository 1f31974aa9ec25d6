"""Body size of a patient at a date: the weight (and height) in force, and body surface
area for m²-based doses."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from myotrack.domain import PatientRecord
from myotrack.therapy.status import NeededInput


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


# LOCAL POLICY (no published interval): a weight older than this cannot be used for a
# weight-band dose ("needs a current weight"); about 3 months.
WEIGHT_VALID_DAYS: Final = 92
# LOCAL POLICY: a height older than this cannot be used for a body surface area.
HEIGHT_VALID_DAYS: Final = 365

BODY_ASSUMPTIONS: Final = (
    f"a weight older than {WEIGHT_VALID_DAYS} days is not used for weight-band doses "
    "(local policy)",
    f"a height older than {HEIGHT_VALID_DAYS} days is not used for body surface area "
    "(local policy)",
)


@dataclass(frozen=True, slots=True)
class Body:
    """Weight, height, age and body surface area of a patient as of one date. A measure
    older than its window is kept (for display) but not `usable`."""

    on: date
    age_years: float
    weight: Measured | None
    height: Measured | None
    # domain.plausibility's message when the weight/height is implausible for age and sex
    # (CDC 2000 growth reference) or impossible; such a value is not used.
    weight_doubt: str = ""
    height_doubt: str = ""

    @property
    def weight_usable(self) -> bool:
        return (
            self.weight is not None
            and not self.weight_doubt
            and (self.on - self.weight.on).days <= WEIGHT_VALID_DAYS
        )

    @property
    def height_usable(self) -> bool:
        return (
            self.height is not None
            and not self.height_doubt
            and (self.on - self.height.on).days <= HEIGHT_VALID_DAYS
        )

    @property
    def weight_kg(self) -> float | None:
        """The weight, only when current (within WEIGHT_VALID_DAYS)."""
        return self.weight.value if self.weight is not None and self.weight_usable else None

    @property
    def bsa_m2(self) -> float | None:
        """Mosteller BSA from a current weight and height, else None."""
        if self.weight is None or self.height is None:
            return None
        if not (self.weight_usable and self.height_usable):
            return None
        return bsa_mosteller(self.height.value, self.weight.value)

    def needs(self, *, height: bool = False) -> tuple[NeededInput, ...]:
        """What is missing or too old for a weight-band (and, with `height`, an m²) dose."""
        out: list[NeededInput] = []
        if self.weight is None:
            out.append(NeededInput("weight", "missing", f"within {WEIGHT_VALID_DAYS} days"))
        elif self.weight_doubt:
            out.append(
                NeededInput(
                    f"weight ({self.weight_doubt})",
                    "implausible",
                    f"a plausible weight within {WEIGHT_VALID_DAYS} days",
                    latest=self.weight.on,
                )
            )
        elif not self.weight_usable:
            out.append(
                NeededInput(
                    "weight",
                    "out_of_window",
                    f"within {WEIGHT_VALID_DAYS} days",
                    latest=self.weight.on,
                )
            )
        if height:
            if self.height is None:
                out.append(NeededInput("height", "missing", f"within {HEIGHT_VALID_DAYS} days"))
            elif self.height_doubt:
                out.append(
                    NeededInput(
                        f"height ({self.height_doubt})",
                        "implausible",
                        f"a plausible height within {HEIGHT_VALID_DAYS} days",
                        latest=self.height.on,
                    )
                )
            elif not self.height_usable:
                out.append(
                    NeededInput(
                        "height",
                        "out_of_window",
                        f"within {HEIGHT_VALID_DAYS} days",
                        latest=self.height.on,
                    )
                )
        return tuple(out)


def body_on(record: PatientRecord, on: date) -> Body:
    """The body of the patient as of `on`: the latest weight and height on or before it,
    each judged for age and sex by `domain.plausibility.judge_measure`."""
    from myotrack.domain import judge_measure

    p = record.patient
    weight, height = weight_on(record, on), height_on(record, on)

    def doubt(measure: str, m: Measured | None) -> str:
        if m is None:
            return ""
        judged = judge_measure(measure, m.value, sex=p.sex, birth_date=p.birth_date, on=m.on)
        return "" if judged.ok else judged.message

    return Body(
        on=on,
        age_years=p.age_years(on),
        weight=weight,
        height=height,
        weight_doubt=doubt("weight_kg", weight),
        height_doubt=doubt("height_cm", height),
    )
