"""Case-series statistics (shared/spec/case-series-report.md): patient timelines,
descriptive statistics, paired tests, Kaplan–Meier. Pure code: no I/O, no clock."""

from myotrack.analysis.case_series import case_series
from myotrack.analysis.describe import count, describe, meansd, quantile, wilson_ci
from myotrack.analysis.fingerprint import cohort_fingerprint
from myotrack.analysis.paired import TestResult, paired_t, wilcoxon_signed_rank
from myotrack.analysis.printing import format_number, format_p, round_half_away
from myotrack.analysis.survival import EventRow, KaplanMeier, kaplan_meier
from myotrack.analysis.timeline import PatientTimeline, patient_timelines

__all__ = [
    "EventRow",
    "KaplanMeier",
    "PatientTimeline",
    "TestResult",
    "case_series",
    "cohort_fingerprint",
    "count",
    "describe",
    "format_number",
    "format_p",
    "kaplan_meier",
    "meansd",
    "paired_t",
    "patient_timelines",
    "quantile",
    "round_half_away",
    "wilcoxon_signed_rank",
    "wilson_ci",
]
