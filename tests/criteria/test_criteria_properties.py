"""Property tests of the classification engines: adding a finding never lowers the score or
the category; scores stay within the table's range."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from myotrack.criteria import bohan_peter, eular_acr_2017

ORDER = {"not_IIM": 0, "possible": 1, "probable": 2, "definite": 3}
NON_AGE = [i for i in eular_acr_2017.WEIGHTS if i not in eular_acr_2017.AGE_ITEMS]
CLINICAL = [i for i in NON_AGE if i not in eular_acr_2017.BIOPSY_ITEMS]


@given(
    biopsy=st.booleans(),
    age=st.floats(min_value=0, max_value=90),
    items=st.sets(st.sampled_from(NON_AGE)),
    extra=st.sampled_from(NON_AGE),
)
def test_eular_acr_adding_an_item_never_lowers_score_or_category(
    biopsy: bool, age: float, items: set[str], extra: str
) -> None:
    if not biopsy:
        items = {i for i in items if i in CLINICAL}
        if extra not in CLINICAL:
            extra = "heliotrope"
    before = eular_acr_2017.classify(
        age_at_onset_years=age, muscle_biopsy_available=biopsy, items_present=items
    )
    after = eular_acr_2017.classify(
        age_at_onset_years=age, muscle_biopsy_available=biopsy, items_present=items | {extra}
    )
    assert after.total_score >= before.total_score
    assert ORDER[after.score_band] >= ORDER[before.score_band]
    # an added item never makes a classifiable patient unclassifiable (calculator rule)
    assert after.classifiable or not before.classifiable
    assert after.probability >= before.probability
    column = 1 if biopsy else 0
    maximum = sum(
        (
            w[column] or Decimal(0)
            for k, w in eular_acr_2017.WEIGHTS.items()
            if k != "age_18_to_lt40"
        ),
        Decimal(0),
    )
    assert Decimal(0) <= after.total_score <= maximum


LEVEL = {None: 0, "possible": 1, "probable": 2, "definite": 3}


@given(
    flags=st.lists(st.booleans(), min_size=4, max_size=4),
    which=st.integers(min_value=0, max_value=3),
    rash=st.booleans(),
)
def test_bohan_peter_adding_a_criterion_never_lowers_the_level(
    flags: list[bool], which: int, rash: bool
) -> None:
    names = bohan_peter.MUSCLE_CRITERIA
    kw = dict(zip(names, flags, strict=True))
    before = bohan_peter.classify(**kw, typical_dm_rash=rash, exclusion_present=False)
    kw[names[which]] = True
    after = bohan_peter.classify(**kw, typical_dm_rash=rash, exclusion_present=False)
    assert LEVEL[after.level] >= LEVEL[before.level]
