"""Organ involvement as of a date, read through one function per organ so that the source can
change: today interstitial lung disease is the patient's `features` value `ILD` (undated, so
it counts on every date); a dated organ-involvement record can replace it here alone."""

from __future__ import annotations

from datetime import date
from typing import Final

from myotrack.domain import PatientRecord

ILD_FEATURE: Final = "ILD"


def ild_recorded(record: PatientRecord, on: date) -> bool:
    """Whether interstitial lung disease is recorded for the patient as of `on`."""
    del on  # the features column is undated today
    return ILD_FEATURE in record.patient.features
