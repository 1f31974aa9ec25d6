"""Published interpretation anchors for change in an instrument score."""

from __future__ import annotations

from typing import Any

# CMAS minimum clinically important difference 1.5–3.0 points on the 0–52 scale
# (Huber AM et al., Arthritis Rheum 2004;50:1595).
CMAS_MID_LOW = 1.5
CMAS_MID_HIGH = 3.0
# CDASI activity: a 4-point (UPenn) or 5-point (Stanford) decrease is a minimal clinically
# significant response (Anyanwu CO et al., Br J Dermatol 2015;173:969).
CDASI_MCID_UPENN = 4.0
CDASI_MCID_STANFORD = 5.0


def cmas_change(baseline: float, followup: float) -> dict[str, Any]:
    """CMAS change (follow-up − baseline; higher = better) against the published MID."""
    change = followup - baseline
    return {
        "change": change,
        "within_or_above_published_MID_range_1.5_to_3.0": change >= CMAS_MID_LOW,
        "above_upper_MID_3.0": change >= CMAS_MID_HIGH,
        "source": "Huber AM et al., Arthritis Rheum 2004;50:1595",
    }


def cdasi_activity_change(baseline: float, followup: float) -> dict[str, Any]:
    """CDASI activity change (follow-up − baseline; lower = better) against the MCIDs."""
    change = followup - baseline
    return {
        "change": change,
        "meets_mcid_upenn_4": -change >= CDASI_MCID_UPENN,
        "meets_mcid_stanford_5": -change >= CDASI_MCID_STANFORD,
        "source": "Anyanwu CO et al., Br J Dermatol 2015;173:969",
    }
