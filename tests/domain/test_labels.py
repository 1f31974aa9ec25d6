"""Every coded value of every vocabulary has a human label (domain/labels.py)."""

from __future__ import annotations

import pytest

from myotrack.cohort.columns import FILES
from myotrack.domain import vocab
from myotrack.domain.labels import KINDS, LABELS, VOCABULARIES, Kind, label, labels_of


@pytest.mark.parametrize("kind", KINDS)
def test_every_vocabulary_value_has_a_label(kind: Kind) -> None:
    missing = [code for code in VOCABULARIES[kind] if code not in LABELS[kind]]
    assert not missing, f"{kind}: no label for {missing}"
    for code in VOCABULARIES[kind]:
        assert LABELS[kind][code].strip()


def test_vocabularies_cover_every_kind() -> None:
    assert set(VOCABULARIES) == set(KINDS) == set(LABELS)


def test_every_cohort_column_has_a_field_label() -> None:
    columns = {c.name for table in FILES.values() for c in table}
    assert columns <= set(LABELS["field"])


def test_every_catalogued_drug_has_a_label() -> None:
    assert set(vocab.KNOWN_DRUGS) | set(vocab.JAK_INHIBITORS) <= set(LABELS["drug"])


def test_clinic_words() -> None:
    assert label("feature", "skin_ulceration") == "skin ulceration"
    assert label("refractory", "gc_dependent") == "glucocorticoid-dependent"
    assert label("frequency", "every_2_weeks") == "every 2 weeks"
    assert label("frequency", "BID") == "twice daily"
    assert label("unit", "umol/(s*L)") == "µkat/L"
    assert label("measure", "cmas").startswith("Childhood Myositis Assessment Scale")
    assert labels_of("feature", ("ILD", "calcinosis")) == "interstitial lung disease, calcinosis"


def test_unknown_code_is_shown_as_written() -> None:
    assert label("event", "x_custom") == "x_custom"


def test_other_drug_is_marked() -> None:
    assert label("drug", "mometasone furoate") == "mometasone furoate (other drug)"
    assert label("drug", "cotrimoxazole").startswith("co-trimoxazole")
