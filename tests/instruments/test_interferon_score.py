"""Rice 2017 interferon score: the vectors interferon_score_rice2017 of
shared/spec/criteria-therapy-testvectors.json (copied to tests/data/), plus an independent
computation of the median fold change."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from myotrack.instruments import (
    RICE_CUTOFF,
    RICE_GENES,
    ItemError,
    ddct_from_ct,
    fold_change,
    interferon_score,
    rice_positive,
)

DATA = Path(__file__).parents[1] / "data" / "criteria-therapy-testvectors.json"
VECTORS: list[dict[str, Any]] = json.loads(DATA.read_text(encoding="utf-8"))[
    "interferon_score_rice2017"
]


@pytest.mark.parametrize("case", VECTORS, ids=[c["id"] for c in VECTORS])
def test_rice_vector(case: dict[str, Any]) -> None:
    given_, expected = case["input"], case["expected"]
    if "ddCt_vs_median_of_healthy_controls" in given_:
        result = interferon_score(ddct=given_["ddCt_vs_median_of_healthy_controls"])
        for gene, fc in expected["fold_changes"].items():
            assert result.fold_changes[gene] == pytest.approx(fc, abs=5e-5)
        assert result.score == pytest.approx(expected["interferon_score"], abs=5e-5)
        assert result.positive is expected["positive_gt_2.466"]
    elif "raw" in given_:
        # "patient Ct(IFI27)=24.0, Ct(reference)=20.0 -> dCt=4.0; median control dCt=8.0"
        numbers = [float(x) for x in re.findall(r"=(\d+\.\d+)", given_["raw"])]
        ct_gene, ct_ref, _dct, control = numbers
        ddct = ddct_from_ct(ct_gene, ct_ref, control)
        assert ddct == expected["ddCt"]
        assert fold_change(ddct) == expected["fold_change"]
    else:
        # A score exactly at the cut-off is negative: "> 2.466" is strict (Rice 2017).
        value = given_["interferon_score"]
        assert rice_positive(value) is expected["positive"]
        assert rice_positive(value + 1e-9) is True


def test_exact_cutoff_is_negative_without_float_noise() -> None:
    # 2^-x for six identical ddCt gives the cut-off back only approximately; check the
    # comparison itself with a lab-given cut-off equal to the score.
    result = interferon_score(ddct=dict.fromkeys(RICE_GENES, -1.0), cutoff=2.0)
    assert result.score == 2.0
    assert result.positive is False
    assert result.assumptions  # a non-default cut-off is reported


def test_from_dct_equals_from_ddct() -> None:
    dct = {"IFI27": 4.0, "IFI44L": 6.0, "IFIT1": 5.5, "ISG15": 3.0, "RSAD2": 7.5, "SIGLEC1": 9.0}
    control = {
        "IFI27": 8.0,
        "IFI44L": 8.5,
        "IFIT1": 7.0,
        "ISG15": 5.0,
        "RSAD2": 9.0,
        "SIGLEC1": 9.5,
    }
    by_dct = interferon_score(
        dct=dct, control_median_dct=control, reference_range="< 2.466", lab="Lab A"
    )
    by_ddct = interferon_score(ddct={g: dct[g] - control[g] for g in RICE_GENES})
    assert by_dct.score == by_ddct.score
    assert by_dct.to_dict()["reference_range"] == "< 2.466"
    assert by_dct.to_dict()["lab"] == "Lab A"


@given(st.lists(st.floats(min_value=-12, max_value=12), min_size=6, max_size=6))
def test_score_is_median_of_fold_changes(values: list[float]) -> None:
    ddct = dict(zip(RICE_GENES, values, strict=True))
    result = interferon_score(ddct=ddct)
    ordered = sorted(2.0 ** (-v) for v in values)
    assert result.score == pytest.approx((ordered[2] + ordered[3]) / 2, rel=1e-12)
    assert result.positive is (result.score > RICE_CUTOFF)


def test_missing_or_unknown_gene_names_the_field() -> None:
    partial = dict.fromkeys(RICE_GENES[:5], 0.0)
    with pytest.raises(ItemError) as err:
        interferon_score(ddct=partial)
    assert err.value.field == "ddct.SIGLEC1"
    with pytest.raises(ItemError) as err:
        interferon_score(ddct={**dict.fromkeys(RICE_GENES, 0.0), "MX1": 1.0})
    assert err.value.field == "ddct.MX1"
    assert "IFI27" in err.value.allowed
    with pytest.raises(ItemError):
        interferon_score(dct=dict.fromkeys(RICE_GENES, 0.0))  # no control medians
