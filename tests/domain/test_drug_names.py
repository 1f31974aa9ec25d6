"""Drug names as clinicians write them (domain.drugs): catalogue names and synonyms become
the catalogue's name, other drugs are kept tidied, misspellings of known drugs are refused,
and every stored name is a fixed point (it re-imports as itself)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from myotrack.domain.drugs import CATALOGUED_DRUGS, SYNONYMS, DrugNameError, resolve, tidy
from myotrack.therapy.catalogue import CATALOGUE, lookup


@pytest.mark.parametrize(
    ("written", "stored", "known"),
    [
        ("mometasone furoate", "mometasone furoate", False),
        ("mometasone_furoate", "mometasone furoate", False),  # the old web form's spelling
        ("Mometasone  Furoate", "mometasone furoate", False),
        ("ampicillin/sulbactam", "ampicillin/sulbactam", False),
        ("ampicillin / sulbactam", "ampicillin/sulbactam", False),
        ("co-trimoxazole", "cotrimoxazole", True),
        ("Co–trimoxazole", "cotrimoxazole", True),  # en dash
        ("trimethoprim/sulfamethoxazole", "cotrimoxazole", True),
        ("cyclosporine", "ciclosporin", True),
        ("IVMP", "methylprednisolone", True),
        ("Ruxolitinib", "ruxolitinib", True),
        ("5-fluorouracil", "5-fluorouracil", False),
    ],
)
def test_names_as_written(written: str, stored: str, known: bool) -> None:
    name = resolve(written)
    assert (name.name, name.known) == (stored, known)


@pytest.mark.parametrize(
    ("written", "suggestion"),
    [("ruxolitnib", "ruxolitinib"), ("tofacitnib", "tofacitinib"), ("metotrexate", "methotrexate")],
)
def test_misspelt_known_drug_is_refused_with_the_name(written: str, suggestion: str) -> None:
    with pytest.raises(DrugNameError) as err:
        resolve(written)
    assert err.value.suggestion == suggestion
    assert f"did you mean {suggestion}?" in err.value.message
    assert err.value.rule == "drug_name"


@pytest.mark.parametrize("written", ["=HYPERLINK(x)", "+1", "-x", "@sum", "", "a" * 61])
def test_unsafe_or_empty_names_are_refused(written: str) -> None:
    with pytest.raises(DrugNameError):
        resolve(written)


def test_catalogue_and_domain_know_the_same_drugs() -> None:
    assert set(CATALOGUE) == set(CATALOGUED_DRUGS)
    assert set(SYNONYMS.values()) <= set(CATALOGUED_DRUGS)
    assert lookup("Co-trimoxazole") is CATALOGUE["cotrimoxazole"]
    assert lookup("mometasone furoate") is None


@given(st.text(max_size=40))
def test_stored_name_is_a_fixed_point(text: str) -> None:
    try:
        name = resolve(text)
    except DrugNameError:
        return
    again = resolve(name.name)
    assert again.name == name.name
    assert tidy(name.name) == name.name or name.known
