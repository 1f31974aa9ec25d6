"""Organ involvement as of a date, read through one function per organ so that the source can
change. Interstitial lung disease: with dated organ-involvement records (the whole record,
cohort format version 2) it is recorded on a day when `WholeRecord.organ_on("ILD", day)` is
not "no" — so an onset known only to the month counts in that month ("unknown" counts), a
suspected or probable ILD counts (the words say so), an excluded one never; without dated
records it is the patient's `features` value `ILD` (undated, so it counts on every date)."""

from __future__ import annotations

from datetime import date
from typing import Final

from myotrack.domain import PatientRecord, WholeRecord

ILD_FEATURE: Final = "ILD"


def _dated_ild(whole: WholeRecord | None) -> bool:
    return whole is not None and any(i.organ == ILD_FEATURE for i in whole.involvement)


def ild_recorded(record: PatientRecord, on: date, whole: WholeRecord | None = None) -> bool:
    """Whether interstitial lung disease is recorded for the patient as of `on`."""
    if whole is not None and _dated_ild(whole):
        return whole.organ_on(ILD_FEATURE, on) != "no"
    return ILD_FEATURE in record.patient.features


def ild_words(whole: WholeRecord | None, on: date) -> str | None:
    """How the dated ILD record reads on `on`: 'suspected ILD, onset 2021-09 (exact day not
    known)'; None without dated records or when none counts on that day."""
    if whole is None or not _dated_ild(whole):
        return None
    parts = []
    for inv in whole.involvement:
        if inv.organ != ILD_FEATURE or inv.active_on(on) == "no":
            continue
        text = "ILD" if inv.certainty == "confirmed" else f"{inv.certainty} ILD"
        if inv.onset is not None:
            text += f", onset {inv.onset.iso()}"
            if not inv.onset.is_exact:
                text += " (exact day not known)"
        else:  # counted as present on every day: say so, never silently
            text += ", onset not recorded"
        parts.append(text)
    return "; ".join(parts) or None
