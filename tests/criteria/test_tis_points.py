"""Clinical review: every cell of the 2016 ACR/EULAR myositis response points table and every
threshold, at the band edges (worked examples).

Source: Rider LG, Aggarwal R, et al. Arthritis Rheumatol 2017;69:911-923 / Ann Rheum Dis
2017;76:782-791, Table 3 (JDM; VERIFIED); adult thresholds Aggarwal R, Rider LG, et al.
Ann Rheum Dis 2017;76:792-801 — shared/spec/instruments.md §10.2-10.3. Band edges are read as
in the spec: the lowest band is "worsening to <= 5 %" (<= 2 % for MMT/CMAS); upper bounds are
inclusive (spec §10.2, edge behaviour UNVERIFIED, encoded in the shared test vectors).
The table below is typed from the spec, independently of the code's table.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from myotrack.criteria.response_2016 import category, points, total_improvement_score

GENERAL_EDGES = (5, 15, 25, 40)
MUSCLE_EDGES = (2, 10, 20, 30)
# measure -> (edges, points of the five bands: worsening..edge1, ..., > edge4)
SPEC_TABLE: dict[str, tuple[tuple[int, ...], tuple[str, ...]]] = {
    "phga": (GENERAL_EDGES, ("0", "7.5", "15", "17.5", "20")),
    "parent_global": (GENERAL_EDGES, ("0", "2.5", "5", "7.5", "10")),
    "chaq": (GENERAL_EDGES, ("0", "5", "7.5", "7.5", "10")),
    "enzyme_or_chq_phs": (GENERAL_EDGES, ("0", "2.5", "5", "7.5", "7.5")),
    "extramuscular_or_das": (GENERAL_EDGES, ("0", "7.5", "12.5", "15", "20")),
    "mmt_or_cmas": (MUSCLE_EDGES, ("0", "10", "20", "27.5", "32.5")),
}


def _cases() -> list[tuple[str, float, str]]:
    out: list[tuple[str, float, str]] = []
    for measure, (edges, pts) in SPEC_TABLE.items():
        out.append((measure, -50.0, pts[0]))  # any worsening scores 0
        for k, edge in enumerate(edges):
            out.append((measure, float(edge), pts[k]))  # the edge belongs to the band below
            out.append((measure, edge + 0.01, pts[k + 1]))  # just above it: next band
        out.append((measure, 100.0, pts[4]))
    return out


@pytest.mark.parametrize(("measure", "pct", "expected"), _cases())
def test_points_at_every_band_edge(measure: str, pct: float, expected: str) -> None:
    """E.g. physician global improved 15 % -> 7.5 points; 15.01 % -> 15 points."""
    assert points(measure, pct) == Decimal(expected)


def test_maximum_tis_is_100() -> None:
    """20 + 10 + 10 + 7.5 + 20 + 32.5 = 100 (spec §10.2, DERIVED)."""
    r = total_improvement_score({m: 100.0 for m in SPEC_TABLE})
    assert r.tis == Decimal(100)


@pytest.mark.parametrize(
    ("tis", "population", "expected"),
    [
        ("29.5", "jdm", "none"),
        ("30", "jdm", "minimal"),
        ("44.5", "jdm", "minimal"),
        ("45", "jdm", "moderate"),
        ("69.5", "jdm", "moderate"),
        ("70", "jdm", "major"),
        ("19.5", "adult", "none"),
        ("20", "adult", "minimal"),
        ("39.5", "adult", "minimal"),
        ("40", "adult", "moderate"),
        ("59.5", "adult", "moderate"),
        ("60", "adult", "major"),
    ],
)
def test_thresholds(tis: str, population: str, expected: str) -> None:
    """JDM: minimal >= 30, moderate >= 45, major >= 70; adult DM/PM: >= 20 / 40 / 60."""
    assert category(Decimal(tis), population) == expected
