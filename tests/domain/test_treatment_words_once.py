"""The words of each treatment code are written once, in the domain's treatment tables
(`FREQUENCY_TABLE`, `DOSE_UNIT_TABLE`, `ROUTE_TABLE`): `domain.labels` reads them there, so
the pages, the report and the checks' messages say 'twice daily' from one row."""

from __future__ import annotations

from typing import Any

from myotrack.domain import labels, vocab
from myotrack.domain.treatment_detail import DOSE_UNIT_TABLE, FREQUENCY_TABLE, ROUTE_TABLE


def test_labels_are_the_table_rows() -> None:
    tables: tuple[tuple[labels.Kind, Any], ...] = (
        ("frequency", FREQUENCY_TABLE),
        ("dose_unit", DOSE_UNIT_TABLE),
        ("route", ROUTE_TABLE),
    )
    for kind, table in tables:
        assert labels.LABELS[kind] == {row.code: row.label for row in table}, kind


def test_version_1_codes_are_the_v1_rows() -> None:
    assert tuple(f.code for f in FREQUENCY_TABLE if f.v1) == vocab.FREQUENCIES
    assert tuple(u.code for u in DOSE_UNIT_TABLE if u.v1) == vocab.DOSE_UNITS
    assert tuple(r.code for r in ROUTE_TABLE if r.v1) == vocab.ROUTES
