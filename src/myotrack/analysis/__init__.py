"""Case-series statistics (shared/spec/case-series-report.md): patient timelines,
descriptive statistics, paired tests, Kaplan–Meier. Pure code: no I/O, no clock."""

from myotrack.analysis.case_series import WEIGHT_BAND_LABELS, case_series, case_series_of
from myotrack.analysis.describe import QuantileType, count, describe, meansd, quantile, wilson_ci
from myotrack.analysis.fingerprint import cohort_fingerprint
from myotrack.analysis.paired import TestResult, paired_t, wilcoxon_signed_rank
from myotrack.analysis.printing import format_number, format_p, round_half_away
from myotrack.analysis.small_cells import (
    DEFAULT_MIN_CELL_COUNT,
    SmallCells,
    is_suppressed,
    shown_count,
    suppress_subgroups,
    suppress_summary,
)
from myotrack.analysis.subgroups import (
    MSA_NEGATIVE,
    NOT_RECORDED,
    SEVERAL_MSA,
    SMALL_SUBGROUP_N,
    SUBGROUP_BY,
    SubgroupBy,
    members,
    subgroup_report,
)
from myotrack.analysis.supplement import Cell, Column, Supplement, patient_numbers, supplement
from myotrack.analysis.survival import EventRow, KaplanMeier, kaplan_meier
from myotrack.analysis.timeline import (
    DAYS_PER_MONTH,
    DAYS_PER_WEEK,
    PatientTimeline,
    Timelines,
    build_timelines,
    patient_timelines,
)
from myotrack.analysis.two_groups import fisher_exact, rank_sum

__all__ = [
    "DAYS_PER_MONTH",
    "DAYS_PER_WEEK",
    "DEFAULT_MIN_CELL_COUNT",
    "MSA_NEGATIVE",
    "NOT_RECORDED",
    "SEVERAL_MSA",
    "SMALL_SUBGROUP_N",
    "SUBGROUP_BY",
    "WEIGHT_BAND_LABELS",
    "Cell",
    "Column",
    "EventRow",
    "KaplanMeier",
    "PatientTimeline",
    "QuantileType",
    "SmallCells",
    "SubgroupBy",
    "Supplement",
    "TestResult",
    "Timelines",
    "build_timelines",
    "case_series",
    "case_series_of",
    "cohort_fingerprint",
    "count",
    "describe",
    "fisher_exact",
    "format_number",
    "format_p",
    "is_suppressed",
    "kaplan_meier",
    "meansd",
    "members",
    "paired_t",
    "patient_numbers",
    "patient_timelines",
    "quantile",
    "rank_sum",
    "round_half_away",
    "shown_count",
    "subgroup_report",
    "supplement",
    "suppress_subgroups",
    "suppress_summary",
    "wilcoxon_signed_rank",
    "wilson_ci",
]
