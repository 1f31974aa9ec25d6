"""The one table of visit measures (domain.vocab.VISIT_MEASURE_TABLE) agrees with the
instrument definitions: each instrument total or subscore that fills a visit column has
exactly the column's range, and every measure has its words and a source."""

from __future__ import annotations

from myotrack.domain.vocab import MEASURES, VISIT_MEASURE_TABLE, VISIT_MEASURES
from myotrack.instruments import INSTRUMENTS


def test_instrument_ranges_equal_the_visit_columns() -> None:
    seen = set()
    for defn in INSTRUMENTS.values():
        for column, key in defn.visit_columns().items():
            measure = MEASURES[column]
            low, high = (
                (defn.total_min, defn.total_max)
                if key == "total"
                else next((s.min, s.max) for s in defn.subscores if s.id == key)
            )
            assert (measure.min, measure.max) == (low, high), (defn.name, column)
            seen.add(column)
    # every score column is filled by an instrument; weight and height are not scores
    assert seen == {m.name for m in VISIT_MEASURE_TABLE if m.unit is None}


def test_catbm_maxima_are_the_instruments() -> None:
    """Issue 16: the CAT-BM maximum was 17 in the instrument and none in the visit table."""
    assert MEASURES["catbm_activity"].max == 17
    assert MEASURES["catbm_damage"].max == 11


def test_every_measure_has_words_and_source() -> None:
    for m in VISIT_MEASURE_TABLE:
        assert m.label and m.short_label and m.source
        assert VISIT_MEASURES[m.name] == (m.min, m.max, m.whole)
