"""Subgroups of the case series (docs/case-series-report.md, "Subgroups"): Table 2 of
each subgroup with the same definitions, and between-group tests where the spec
defines them.

- `--by drug`: the first JAK inhibitor; `weight_band`: lt25 / ge25 / unknown;
  `refractory`: ineffective / gc_dependent / no / not_recorded; `antibody`: the
  patient's myositis-specific autoantibody (MSA), `msa_negative` when antibodies were
  tested and none is an MSA, `several_msa` when more than one MSA is recorded,
  `not_recorded` when no antibody result is recorded.
- A subgroup smaller than `SMALL_SUBGROUP_N` patients is *small*: its p values are
  computed by the same rules but labelled descriptive.
- Between-group tests only when exactly two groups of a recorded value have patients
  (unknown / not recorded groups are shown, never tested): the change final − baseline
  of each paired outcome by the Wilcoxon rank-sum test, each count outcome by Fisher's
  exact test (myotrack.analysis.two_groups). When either group is small, the test is
  labelled descriptive. No test is adjusted for multiplicity; all are exploratory.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any, Final, Literal, get_args

from myotrack.analysis.case_series import WEIGHT_BANDS, case_series_of, in_enzyme_subgroup
from myotrack.analysis.describe import QuantileType, describe
from myotrack.analysis.paired import rounded_differences
from myotrack.analysis.timeline import PatientTimeline, Timelines
from myotrack.analysis.two_groups import fisher_exact, rank_sum
from myotrack.domain import Patient
from myotrack.domain.vocab import JAK_INHIBITORS, REFRACTORY

SubgroupBy = Literal["drug", "weight_band", "antibody", "refractory"]
SUBGROUP_BY: Final[tuple[SubgroupBy, ...]] = get_args(SubgroupBy)

# A subgroup (or a group of a between-group test) with fewer patients than this is
# "small": its tests are labelled descriptive. A project convention, stated in the
# report and in docs/case-series-report.md (no published rule fixes this number).
SMALL_SUBGROUP_N: Final = 10

# Myositis-specific autoantibodies (MSA) of the cohort vocabulary, as grouped by
# Palterer B et al., Clin Mol Allergy 2018;16:5 (Table 1: MSAs — the anti-synthetases
# Jo-1, PL-7, PL-12, EJ, OJ; Mi-2, SAE, MDA5, TIF1-γ, NXP2, SRP, HMGCR); Ro52, Ro60,
# La, PM/Scl, U1-RNP and Ku are myositis-associated, ANA is not specific.
MYOSITIS_SPECIFIC: Final = (
    "TIF1G",
    "NXP2",
    "MDA5",
    "MI2",
    "SAE",
    "SRP",
    "HMGCR",
    "JO1",
    "PL7",
    "PL12",
    "EJ",
    "OJ",
)
NOT_RECORDED: Final = "not_recorded"
MSA_NEGATIVE: Final = "msa_negative"
SEVERAL_MSA: Final = "several_msa"
UNKNOWN_BAND: Final = "unknown"
# groups that say a value is missing: reported, never compared
UNTESTED_GROUPS: Final = frozenset({NOT_RECORDED, UNKNOWN_BAND})

GROUP_ORDER: Final[dict[SubgroupBy, tuple[str, ...]]] = {
    "drug": JAK_INHIBITORS,
    "weight_band": WEIGHT_BANDS,
    "refractory": (*REFRACTORY, NOT_RECORDED),
    "antibody": (*MYOSITIS_SPECIFIC, SEVERAL_MSA, MSA_NEGATIVE, NOT_RECORDED),
}

# (key, subgroup the change is compared in, measure) of every paired outcome of Table 2
PAIRED_CHANGES: Final[tuple[tuple[str, str, str], ...]] = (
    ("catbm_activity", "rash", "catbm_activity"),
    ("cmas", "weak", "cmas"),
    ("LDH", "enzymes", "LDH"),
    ("CK", "enzymes", "CK"),
)
# (key, subgroup that is the denominator, event) of every count outcome of Table 2
COUNT_OUTCOMES: Final[tuple[tuple[str, str, str], ...]] = (
    ("rash_improved", "rash", "rash_improving"),
    ("rash_resolved", "rash", "rash_resolved"),
    ("gc_stopped", "all", "gc_stopped"),
    ("relapse", "all", "relapse"),
    ("infections", "all", "infection"),
    ("thromboembolism", "all", "thromboembolism"),
)


def antibody_group(patient: Patient) -> str:
    """The antibody subgroup of a patient (see the module docstring)."""
    if not patient.antibodies:
        return NOT_RECORDED
    specific = [a for a in patient.antibodies if a in MYOSITIS_SPECIFIC]
    if len(specific) > 1:
        return SEVERAL_MSA
    return specific[0] if specific else MSA_NEGATIVE


def group_of(t: PatientTimeline, patient: Patient, by: SubgroupBy) -> str:
    if by == "drug":
        return t.first_jak_drug
    if by == "weight_band":
        return t.weight_band
    if by == "refractory":
        return patient.refractory if patient.refractory is not None else NOT_RECORDED
    return antibody_group(patient)


def split(timelines: Timelines, by: SubgroupBy) -> dict[str, Timelines]:
    """The case series split by `by`, groups in the vocabulary's order (values outside
    it last, sorted); only groups with patients. Exclusions stay with the whole series."""
    if by not in SUBGROUP_BY:
        raise ValueError(f"unknown subgroup {by!r}: use one of {', '.join(SUBGROUP_BY)}")
    groups: dict[str, list[PatientTimeline]] = {}
    for t in timelines.included:
        patient = timelines.records[t.patient_id].patient
        groups.setdefault(group_of(t, patient, by), []).append(t)
    order = GROUP_ORDER[by]
    ranked = sorted(groups, key=lambda g: (order.index(g) if g in order else len(order), g))
    return {g: replace(timelines, included=tuple(groups[g]), excluded=()) for g in ranked}


def members(timelines: Sequence[PatientTimeline], subgroup: str) -> list[PatientTimeline]:
    """The patients of one of the spec's outcome subgroups: `all`, `rash` (rash at
    baseline), `weak` (weakness at baseline), `enzymes` (baseline CK or LDH above its
    ref_high)."""
    tests: dict[str, Callable[[PatientTimeline], bool]] = {
        "all": lambda t: True,
        "rash": lambda t: t.baseline["rash"] is True,
        "weak": lambda t: t.baseline["weakness"] is True,
        "enzymes": in_enzyme_subgroup,
    }
    return [t for t in timelines if tests[subgroup](t)]


def changes(timelines: Sequence[PatientTimeline], subgroup: str, measure: str) -> list[float]:
    """final − baseline (rounded to 1e-9) of the subgroup's patients with both values."""
    baseline, final = [], []
    for t in members(timelines, subgroup):
        b, f = t.baseline.get(measure), t.final.get(measure)
        if b is not None and f is not None:
            baseline.append(float(b))
            final.append(float(f))
    return rounded_differences(baseline, final)


def _descriptive(sizes: Sequence[int]) -> str | None:
    small = [n for n in sizes if n < SMALL_SUBGROUP_N]
    if not small:
        return None
    return f"a group has fewer than {SMALL_SUBGROUP_N} patients (n = {min(small)})"


def compare(
    first: Sequence[PatientTimeline], second: Sequence[PatientTimeline], kind: QuantileType
) -> dict[str, Any]:
    """Between-group tests of Table 2's outcomes (first group vs second)."""
    reason = _descriptive((len(first), len(second)))
    out: dict[str, Any] = {}
    for key, subgroup, measure in PAIRED_CHANGES:
        a, b = changes(first, subgroup, measure), changes(second, subgroup, measure)
        test = rank_sum(a, b)
        out[key] = {
            "outcome": "change",
            "n": [len(a), len(b)],
            "change": [describe(a, kind), describe(b, kind)],
            "p": test.p,
            "p_method": test.p_method,
            "test": test.to_dict(),
            "descriptive": reason is not None,
            "descriptive_reason": reason,
        }
    for key, subgroup, event in COUNT_OUTCOMES:
        pair = (members(first, subgroup), members(second, subgroup))
        had = [sum(1 for t in group if event in t.first_events) for group in pair]
        totals = [len(group) for group in pair]
        test = fisher_exact(had[0], totals[0] - had[0], had[1], totals[1] - had[1])
        out[key] = {
            "outcome": "count",
            "n": had,
            "denominator": totals,
            "p": test.p,
            "p_method": test.p_method,
            "test": test.to_dict(),
            "descriptive": reason is not None,
            "descriptive_reason": reason,
        }
    return out


def subgroup_report(
    timelines: Timelines,
    by: SubgroupBy,
    *,
    quantiles: QuantileType = "type7",
    software: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Table 2's figures per subgroup, and the between-group tests the spec defines."""
    parts = split(timelines, by)
    groups: dict[str, Any] = {}
    for value, part in parts.items():
        summary = case_series_of(part, quantiles=quantiles, software=software)
        n = summary["n_patients"]
        summary["subgroup"] = {
            "by": by,
            "value": value,
            "n": n,
            "small": n < SMALL_SUBGROUP_N,
            "tests": "descriptive" if n < SMALL_SUBGROUP_N else "exploratory",
        }
        groups[value] = summary
    tested = [g for g in parts if g not in UNTESTED_GROUPS]
    between: dict[str, Any]
    if len(tested) == 2:
        first, second = tested
        between = {
            "groups": tested,
            "tests": compare(parts[first].included, parts[second].included, quantiles),
            "not_tested": None,
        }
    else:
        between = {
            "groups": tested,
            "tests": {},
            "not_tested": (
                f"{len(tested)} groups with a recorded value: a between-group test is defined "
                "only for exactly two"
            ),
        }
    return {
        "by": by,
        "small_subgroup_n": SMALL_SUBGROUP_N,
        "groups": groups,
        "between": between,
    }
