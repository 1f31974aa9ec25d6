"""Every exporter applies the tier through the one implementation (issue 12): for each
format, layout and de-identified tier, an identifier planted in every free field (the
`x_` columns of every record kind, the event detail), the site, the registry patient id
and (safe-harbor) every exact calendar date never appear in the files written by the
edge the CLI and the web share (`exchange.edge.export_cohort`), nor in the report's
per-patient supplement of the same tier.

Oracle: the planted strings themselves; the dates of the cohort before the tier.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from myotrack.cohort.deidentify import Tier, apply_tier
from myotrack.domain import Cohort
from myotrack.exchange import FORMATS
from myotrack.exchange.edge import export_cohort

KEY = b"tier test key"
PLANTED_ID = "PLANTEDID4711"
PLANTED_SITE = "Planted Site Zed"
PLANTED_TEXT = "Jane Plantedname 555-0199"
DEIDENTIFIED = (Tier.PSEUDONYMISED, Tier.SAFE_HARBOR)


@pytest.fixture(scope="module")
def planted(demo_cohort: Cohort) -> Cohort:
    """Three demo patients with an identifier in every free field, a planted site and id."""
    keep = [p.patient_id for p in demo_cohort.patients[:3]]
    ids = {pid: f"{PLANTED_ID}{n}" for n, pid in enumerate(keep)}
    note = {"x_note": PLANTED_TEXT}

    def pick(rows: tuple[Any, ...], **changes: Any) -> tuple[Any, ...]:
        return tuple(
            replace(r, patient_id=ids[r.patient_id], **changes) for r in rows if r.patient_id in ids
        )

    return Cohort(
        patients=pick(demo_cohort.patients, site=PLANTED_SITE, extra=note),
        visits=pick(demo_cohort.visits, extra=note),
        labs=pick(demo_cohort.labs, extra=note),
        courses=pick(demo_cohort.courses, extra=note),
        events=pick(demo_cohort.events, detail=PLANTED_TEXT, extra=note),
        assessments=pick(demo_cohort.assessments),
        cutoff_date=demo_cohort.cutoff_date,
    )


def _dates(cohort: Cohort) -> set[date]:
    found: set[date] = set()
    for rows in (cohort.patients, cohort.visits, cohort.labs, cohort.courses, cohort.events):
        for row in rows:
            for value in vars(row).values() if hasattr(row, "__dict__") else _slots(row):
                if isinstance(value, date):
                    found.add(value)
    found |= {a.date for a in cohort.assessments}
    return found


def _slots(row: object) -> list[object]:
    return [getattr(row, name) for name in getattr(row, "__dataclass_fields__", {})]


def _written(cohort: Cohort, folder: Path, fmt_name: str, layout: str, tier: Tier) -> str:
    _, names = export_cohort(cohort, folder, FORMATS[fmt_name], tier=tier, key=KEY, layout=layout)
    assert names
    return "\n".join((folder / name).read_text(encoding="utf-8") for name in names)


CASES = [(f.name, layout) for f in FORMATS.values() for layout in f.layouts]


@pytest.mark.parametrize("tier", DEIDENTIFIED, ids=str)
@pytest.mark.parametrize(("fmt_name", "layout"), CASES)
def test_no_planted_identifier_in_any_export(
    planted: Cohort, tmp_path: Path, fmt_name: str, layout: str, tier: Tier
) -> None:
    identified = _written(planted, tmp_path / "identified", fmt_name, layout, Tier.IDENTIFIED)
    assert PLANTED_ID in identified  # the plant is there when nothing is removed
    assert PLANTED_SITE in identified or fmt_name == "omop"  # OMOP: a care-site id
    text = _written(planted, tmp_path / "tier", fmt_name, layout, tier)
    assert PLANTED_ID not in text
    assert PLANTED_SITE not in text
    assert "Plantedname" not in text and "555-0199" not in text
    if tier is Tier.SAFE_HARBOR:
        shown = _dates(apply_tier(planted, tier, key=KEY))
        # a true date that happens to equal a reduced date is not a leak of the true one
        exact = _dates(planted) - shown
        assert len(exact) > 0.9 * len(_dates(planted))
        assert any(d.isoformat() in identified for d in exact)  # dates are written as ISO
        leaked = sorted(d for d in exact if d.isoformat() in text)
        assert leaked == [], leaked[:5]


@pytest.mark.parametrize("tier", DEIDENTIFIED, ids=str)
def test_the_supplement_of_a_tier_holds_no_planted_identifier(planted: Cohort, tier: Tier) -> None:
    from myotrack.report import render_supplement

    text = render_supplement(apply_tier(planted, tier, key=KEY), fmt="csv").decode("utf-8")
    assert "Patient" in text  # the header, so the supplement was written
    for planted_text in (PLANTED_ID, PLANTED_SITE, "Plantedname", "555-0199"):
        assert planted_text not in text
