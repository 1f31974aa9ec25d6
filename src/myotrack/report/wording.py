"""Words the report uses for tests, methods and categories (one place, so the tables,
the methods paragraph and the figures say the same thing)."""

from __future__ import annotations

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

QUANTILE_TYPES = {
    "type7": "Hyndman & Fan type 7 (the default of R and NumPy)",
    "type6": "Hyndman & Fan type 6 (the definition of SPSS and Minitab)",
}

REFRACTORY_LABELS = {
    "ineffective": "ineffective standard therapy",
    "gc_dependent": "glucocorticoid-dependent",
    "no": "not refractory",
    "not_recorded": "not recorded",
}

WEIGHT_BAND_LABELS = {"lt25": "< 25 kg", "ge25": "≥ 25 kg", "unknown": "weight not recorded"}

EXCLUSION_LABELS = {
    "no_jak_inhibitor": "never given a JAK inhibitor",
    "index_after_cutoff": "first JAK inhibitor started after the cut-off date",
}


def p_method_short(method: str) -> str:
    return P_METHOD_SHORT.get(method, method)
