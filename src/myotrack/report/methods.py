"""The methods paragraph, generated from what the statistics actually used: the
definitions and windows, the quantile type, which Wilcoxon variant each p value came
from and why, the Kaplan–Meier and interval methods, and the software versions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from myotrack.analysis import is_suppressed, shown_count
from myotrack.domain.vocab import JAK_INHIBITORS, MEASURES
from myotrack.report.tables import upper_first
from myotrack.report.wording import (
    EXCLUSION_LABELS,
    P_METHOD_LONG,
    QUANTILE_TYPES,
    SUBGROUP_TITLES,
    TEST_LONG,
    group_label,
)

Summary = Mapping[str, Any]

# (label, path into the summary) of every paired comparison the report prints
PAIRED_OUTCOMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (MEASURES["catbm_activity"].short_label, ("catbm_activity",)),
    (MEASURES["cmas"].short_label, ("cmas",)),
    (f"{MEASURES['cmas'].short_label} of those who improved", ("cmas", "improved")),
    ("LDH", ("enzymes", "LDH")),
    ("CK", ("enzymes", "CK")),
)


def _block(summary: Summary, path: tuple[str, ...]) -> Mapping[str, Any]:
    node: Any = summary
    for key in path:
        node = node[key]
    result: Mapping[str, Any] = node
    return result


def _join(items: list[str], conjunction: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def describe_test(block: Mapping[str, Any]) -> str:
    """Which test gave this p value, and (for Wilcoxon) why that variant."""
    if is_suppressed(block.get("n", 0)):
        return f"withheld (n = {shown_count(block.get('n'))}, small-cell suppression)"
    n = int(block.get("n", 0))
    if block.get("p") is None:
        if n < 2:
            return f"no test (n = {n}, fewer than 2 pairs)"
        return f"no test (n = {n}, the differences do not vary)"
    method = str(block.get("p_method"))
    test = block.get("test") or {}
    text = f"{P_METHOD_LONG.get(method, method)} (n = {n}"
    if method == "paired_t" and test.get("df") is not None:
        text += f", t = {float(test['statistic']):.3f}, df = {test['df']}"
    elif test.get("statistic_name") == "V" and test.get("statistic") is not None:
        used = shown_count(test.get("n_used", n))
        text += f", V = {float(test['statistic']):g}, {used} non-zero pairs"
    text += ")"
    if method == "normal_approx":
        reasons = []
        if test.get("n_zero") and is_suppressed(test["n_zero"]):
            reasons.append(f"{shown_count(test['n_zero'])} zero differences dropped")
        elif test.get("n_zero"):
            zeros = int(test["n_zero"])
            reasons.append(f"{zeros} zero difference{'s' if zeros != 1 else ''} dropped")
        if test.get("ties"):
            reasons.append("tied absolute differences")
        if int(test.get("n_used") or 0) >= 50:
            reasons.append("50 or more non-zero pairs")
        if reasons:
            text += f", because of {_join(reasons)}"
    return text


def _patients(k: int | None) -> str:
    if is_suppressed(k):
        return f"{shown_count(k)} patients were"
    return "1 patient was" if k == 1 else f"{k} patients were"


def subgroup_paragraph(subgroups: Summary) -> str:
    """How the subgroups were formed and compared (docs/case-series-report.md, Subgroups)."""
    by = subgroups["by"]
    small = subgroups["small_subgroup_n"]
    between = subgroups["between"]
    names = [group_label(by, g) for g in subgroups["groups"]]
    text = (
        f"Subgroups. Table 2 was repeated for each subgroup by {SUBGROUP_TITLES[by]} "
        f"({_join(names)}) with the same definitions and tests as for the whole series. "
        f"Within a subgroup of fewer than {small} patients the p values are labelled "
        "descriptive. "
    )
    if between["tests"]:
        first, second = (group_label(by, g) for g in between["groups"])
        text += (
            f"{upper_first(first)} and {second} were compared: the change from baseline of "
            f"each paired outcome with the {TEST_LONG['wilcoxon_rank_sum']} (Wilcoxon 1945; "
            "Mann and Whitney 1947), and each count with the "
            f"{TEST_LONG['fisher_exact']} (Fisher 1922; Agresti 2013). When either group has "
            f"fewer than {small} patients these p values are descriptive only. "
        )
    else:
        text += f"No between-group test was made: {between['not_tested']}. "
    text += (
        "Subgroup analyses were not pre-specified and are not adjusted for multiple "
        "comparisons or for differences between the groups; they are exploratory."
    )
    return text


def methods_paragraphs(summary: Summary, subgroups: Summary | None = None) -> list[str]:
    methods = summary["methods"]
    quantile = QUANTILE_TYPES.get(methods["quantile_type"], methods["quantile_type"])
    window = methods.get("baseline_window_days", 90)
    n = summary["n_patients"]
    excluded = [
        f"{shown_count(k)} {EXCLUSION_LABELS.get(reason, reason)}"
        for reason, k in summary["excluded_reasons"].items()
        if k != 0
    ]
    cutoff = methods.get("cutoff_date") or "none (no dated records)"
    paragraphs = [
        f"Patients. The case series comprises the {n} patients whose first JAK-inhibitor "
        f"course ({_join(list(JAK_INHIBITORS), 'or')}) started on or before the cut-off date "
        f"({cutoff}); the start of that course is the index date. "
        + (
            f"{_patients(summary['n_excluded'])} left out: {_join(excluded)}. "
            if excluded
            else "No patient was left out. "
        )
        + "Follow-up runs from the index date to the earlier of the cut-off date and the "
        "patient's last visit on or after the index date (the index date itself when there "
        "is no such visit).",
        f"Definitions. The baseline value of a measure is its value on the latest date within "
        f"{window} days before and including the index date on which that measure was "
        "recorded; the final value is its value on the latest date after the index date up "
        "to the end of follow-up on which it was recorded. An event counts when it falls "
        "after the index date and no later than the end of follow-up. Ages are in years "
        "(days / 365.25), durations in months (days / 30.4375) and times to events in weeks "
        "(days / 7). Enzymes reported in µkat/L were converted to U/L (1 µkat/L = 60 U/L) "
        "and rounded to 1e-6 U/L. The weakness and rash subgroups are the patients with "
        "weakness or rash recorded as present at baseline; the enzyme subgroup is the "
        "patients whose baseline CK or LDH was above its upper reference limit.",
        f"Statistics. Continuous variables are summarised as mean ± SD (SD with n − 1) or "
        f"median (IQR); quantiles follow {quantile}. Proportions are given with Wilson score "
        "95% confidence intervals. CMAS before and after was compared with the two-sided "
        "paired t-test, with a 95% confidence interval of the mean change from the t "
        "distribution. CAT-BM activity, LDH and CK were compared with the two-sided Wilcoxon "
        "signed-rank test as R's wilcox.test (paired = TRUE, R up to 4.5) computes it: "
        "differences rounded to 1e-9, zero differences dropped, the exact p value when "
        "fewer than 50 non-zero pairs remain with no tied absolute differences and no zero "
        "differences, and otherwise the normal approximation with tie and continuity "
        "correction. Other programs choose differently (scipy uses a permutation test for "
        "small samples with ties or zeros; R 4.6 changed its default for ties), so their p "
        "values may differ.",
        "Tests used in this report: "
        + "; ".join(
            f"{label}: {describe_test(_block(summary, path))}" for label, path in PAIRED_OUTCOMES
        )
        + ".",
        "Time to event. Times from the index date to the first rash improving, rash "
        "markedly improved and rash resolved event were estimated with the Kaplan–Meier "
        "product-limit method among the patients with rash at baseline, censored at the "
        "end of follow-up. The median is the smallest time at which the estimate is at or "
        "below 0.5, or the midpoint of an interval over which it equals 0.5, as R's "
        "survival package reports it; 'not reached' when it stays above 0.5. Its 95% "
        f"confidence interval uses the {methods.get('km_ci_method', 'log-log')} band. "
        "Medians (IQR) of the observed times among patients with the event are also given.",
        *([subgroup_paragraph(subgroups)] if subgroups is not None else []),
        "Printing. Numbers are rounded half away from zero on their decimal value (as SPSS "
        "prints them) to one decimal for summaries and percentages; p values to three "
        "decimals, and below 0.001 as <0.001. The JSON report holds the unrounded values.",
        "Software: "
        + ", ".join(f"{name} {version}" for name, version in methods.get("software", {}).items())
        + ".",
    ]
    return paragraphs


def split_lead(paragraph: str) -> tuple[str, str]:
    """('Patients.', 'The case series ...'): the paragraph's short lead-in, printed bold."""
    cut = min((i for i in (paragraph.find(". "), paragraph.find(": ")) if 0 < i <= 30), default=-1)
    if cut < 0:
        return "", paragraph
    return paragraph[: cut + 1], paragraph[cut + 2 :]
