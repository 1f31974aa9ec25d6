"""Words the report uses for tests, methods and categories (one place, so the tables,
the methods paragraph and the figures say the same thing). Coded values of the cohort
vocabularies are shown in the clinic's words of `myotrack.domain.labels`."""

from __future__ import annotations

from myotrack.analysis import (
    MSA_NEGATIVE,
    NOT_RECORDED,
    SEVERAL_MSA,
    SubgroupBy,
)
from myotrack.analysis.case_series import WEIGHT_BAND_LABELS
from myotrack.domain.labels import LABELS, label

P_METHOD_SHORT = {
    "exact": "Wilcoxon, exact",
    "normal_approx": "Wilcoxon, normal approx.",
    "paired_t": "paired t-test",
}

P_METHOD_LONG = {
    "exact": "Wilcoxon signed-rank test with the exact null distribution",
    "normal_approx": (
        "Wilcoxon signed-rank test with the normal approximation (tie correction and "
        "continuity correction)"
    ),
    "paired_t": "two-sided paired t-test",
}

# between-group tests, by (test, p_method)
_TEST_SHORT = {
    ("wilcoxon_rank_sum", "exact"): "rank-sum, exact",
    ("wilcoxon_rank_sum", "normal_approx"): "rank-sum, normal approx.",
    ("fisher_exact", "exact"): "Fisher's exact",
}
TEST_LONG = {
    "wilcoxon_rank_sum": (
        "two-sided Wilcoxon rank-sum (Mann–Whitney) test, exact when both groups have "
        "fewer than 50 values and no value is tied, otherwise the normal approximation "
        "with tie and continuity correction (R wilcox.test up to 4.5)"
    ),
    "fisher_exact": "two-sided Fisher's exact test of the 2×2 table (R fisher.test)",
}

QUANTILE_TYPES = {
    "type7": "Hyndman & Fan type 7 (the default of R and NumPy)",
    "type6": "Hyndman & Fan type 6 (the definition of SPSS and Minitab)",
}

REFRACTORY_LABELS = {**LABELS["refractory"], NOT_RECORDED: "not recorded"}

EXCLUSION_LABELS = {
    "no_jak_inhibitor": "never given a JAK inhibitor",
    "index_after_cutoff": "first JAK inhibitor started after the cut-off date",
}

SUBGROUP_TITLES: dict[SubgroupBy, str] = {
    "drug": "first JAK inhibitor",
    "weight_band": "baseline weight",
    "antibody": "myositis-specific autoantibody",
    "refractory": "refractory disease",
}


def group_label(by: SubgroupBy, value: str) -> str:
    """A subgroup's name as printed: 'glucocorticoid-dependent', '< 25 kg', 'anti-MDA5'."""
    if by == "drug":
        return label("drug", value)
    if by == "weight_band":
        return WEIGHT_BAND_LABELS.get(value, value)
    if by == "refractory":
        return REFRACTORY_LABELS.get(value, value)
    special = {
        MSA_NEGATIVE: "no myositis-specific antibody",
        SEVERAL_MSA: "more than one myositis-specific antibody",
        NOT_RECORDED: "antibodies not recorded",
    }
    return special.get(value) or label("antibody", value)


def p_method_short(method: str) -> str:
    return P_METHOD_SHORT.get(method, method)


def test_short(test: str, method: str) -> str:
    return _TEST_SHORT.get((test, method), test)
