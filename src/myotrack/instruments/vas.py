"""Visual analogue scales (VAS): stored in cm on a 0–10 cm line with 0.1 cm resolution,
because published cut-offs are in cm (e.g. PRINTO inactive disease: PhGA ≤ 0.2 cm,
Lazarevic D et al., Ann Rheum Dis 2013). Values captured in mm are divided by 10."""

from __future__ import annotations

from typing import Final

MM_PER_CM: Final = 10.0  # definition of the millimetre
VAS_MAX_CM: Final = 10.0  # 10-cm line (Rider LG et al., Arthritis Care Res 2011;63 Suppl 11)
VAS_STEP_CM: Final = 0.1  # 1 mm resolution


def mm_to_cm(value_mm: float) -> float:
    """A VAS reading in mm as cm (÷10), rounded to the 0.1 cm grid's float."""
    return round(value_mm / MM_PER_CM, 10) + 0.0


def cm_to_mm(value_cm: float) -> float:
    return round(value_cm * MM_PER_CM, 10) + 0.0
