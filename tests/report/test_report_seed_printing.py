"""End to end through the printing rule: the fictional cohort built by the analysis
tests to reproduce seed 000 (Ding et al., Ann Rheum Dis 2021, 25 JAKi-treated JDM
children), rendered as Markdown with --quantiles type6, prints each figure the seed
prints, at the seed's precision. The numbers below are the seed's text; the report
computes them from the data and hard-codes none of them."""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime
from pathlib import Path

import pytest

from myotrack.report import render_report

SEED_TEST = Path(__file__).parents[1] / "analysis" / "test_seed_reproduction.py"


@pytest.fixture(scope="module")
def seed_markdown() -> str:
    if not SEED_TEST.exists():
        pytest.skip("the seed-reproduction cohort of tests/analysis is not there")
    spec = importlib.util.spec_from_file_location("seed_reproduction", SEED_TEST)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    cohort = module.seed_cohort()
    generated = datetime(2026, 11, 23, tzinfo=UTC)
    return render_report(cohort, fmt="md", quantiles="type6", generated_at=generated).decode()


@pytest.mark.parametrize(
    "printed",
    [
        "11/25 (44.0%)",  # female, 44% (11/25)
        "| 4.6 ± 3.3 |",  # age at onset 4.6±3.3 years
        "| 7.2 ± 4.0 |",  # age at JAKi start 7.2±4.0 years
        "| 21.0 (",  # disease duration 21.0 months (median)
        "| 14.0–36.5 |",  # disease duration range 14.0–36.5 months
        "8/25 (32.0%)",  # ineffective
        "17/25 (68.0%)",  # glucocorticoid-dependent
        "7/25 (28.0%)",  # tofacitinib; glucocorticoids stopped
        "18/25 (72.0%)",  # ruxolitinib
        "Follow-up, months, median (IQR) | 7.0 (",  # followed for a median of 7.0 months
        "| 3.0–21.0 |",  # follow-up range 3–21 months
        "24/25 (96.0%)",  # rash at baseline
        "16/24 (66.7%)",  # rash resolved
        "| 1.0 (0.6–2.0) |",  # weeks to rash improving
        "| 2.5 (2.0–4.0) |",  # weeks to marked improvement
        "| 12.0 (8.0–24.0) |",  # weeks to resolution
        "7.0 (3.0–10.0) | 0.0 (0.0–1.0) |",  # CAT-BM activity
        "<0.001 (Wilcoxon",  # its p
        "10/25 (40.0%)",  # weakness at baseline
        "18.6 ± 15.0 | 35.7 ± 6.3 |",  # CMAS of those who improved
        "0.018 (paired t-test)",
        "361.5 (306.3–463.3) | 291.0 (275.8–394.8) |",  # LDH, U/L
        "0.034 (Wilcoxon",
        "1/25 (4.0%)",  # relapse; enzymes abnormal at final
    ],
)
def test_the_report_prints_what_the_seed_prints(seed_markdown: str, printed: str) -> None:
    assert printed in seed_markdown
