"""Clinical review: the change anchors of CMAS and CDASI at their boundaries.

* CMAS minimum clinically important difference 1.5-3.0 points on the 0-52 scale (Huber AM et
  al. Arthritis Rheum 2004;50:1595; shared/spec/instruments.md §1.4).
* CDASI activity: a 4-point (UPenn) or 5-point (Stanford) decrease is a minimal clinically
  significant response (Anyanwu CO et al. Br J Dermatol 2015;173:969 — abstract re-read during
  this review, PMC4878996).
"""

from __future__ import annotations

from myotrack.instruments.anchors import cdasi_activity_change, cmas_change


def test_cmas_mid_range_1_5_to_3() -> None:
    """CMAS 40 -> 41.4 (+1.4) below the MID range; -> 41.5 (+1.5) within it; -> 42.9 (+2.9)
    not yet the upper bound; -> 43 (+3.0) reaches it."""
    low = "within_or_above_published_MID_range_1.5_to_3.0"
    assert not cmas_change(40, 41.4)[low]
    assert cmas_change(40, 41.5)[low]
    assert not cmas_change(40, 42.9)["above_upper_MID_3.0"]
    assert cmas_change(40, 43)["above_upper_MID_3.0"]


def test_cdasi_mcid_4_upenn_5_stanford() -> None:
    """CDASI activity 20 -> 16.1 (-3.9) meets neither; -> 16 (-4) UPenn only; -> 15 (-5)
    both; a rise never meets them."""
    r = cdasi_activity_change(20, 16.1)
    assert not r["meets_mcid_upenn_4"] and not r["meets_mcid_stanford_5"]
    r = cdasi_activity_change(20, 16)
    assert r["meets_mcid_upenn_4"] and not r["meets_mcid_stanford_5"]
    r = cdasi_activity_change(20, 15)
    assert r["meets_mcid_upenn_4"] and r["meets_mcid_stanford_5"]
    assert not cdasi_activity_change(10, 16)["meets_mcid_upenn_4"]
