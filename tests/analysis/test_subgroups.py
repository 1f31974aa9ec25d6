"""Subgroups of the case series (analysis.subgroups). Oracle: the same figures computed by
`case_series` on a cohort holding only that subgroup's patients, and the between-group
tests recomputed with scipy from changes taken straight from the cohort's rows."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from scipy.stats import fisher_exact as scipy_fisher

from myotrack.analysis import build_timelines, case_series, subgroup_report
from myotrack.analysis.subgroups import SMALL_SUBGROUP_N, antibody_group, split
from myotrack.cohort import DEMO_FOLDER, read_folder
from myotrack.domain import Cohort, Patient

pytestmark = pytest.mark.skipif(
    not (DEMO_FOLDER / "patients.csv").exists(), reason="no demo cohort"
)

TABLE2_KEYS = (
    "rash_baseline",
    "rash_improved",
    "rash_resolved",
    "weeks_to_rash_improving",
    "weeks_to_rash_resolved",
    "catbm_activity",
    "cmas",
    "enzymes",
    "enzymes_abnormal_final",
    "gc_stopped",
    "relapse",
    "infections",
    "thromboembolism",
)


@pytest.fixture(scope="module")
def demo() -> Cohort:
    cohort, issues = read_folder(DEMO_FOLDER)
    assert cohort is not None, issues
    return cohort


def _only(cohort: Cohort, ids: set[str]) -> Cohort:
    return replace(
        cohort,
        patients=tuple(p for p in cohort.patients if p.patient_id in ids),
        visits=tuple(v for v in cohort.visits if v.patient_id in ids),
        labs=tuple(r for r in cohort.labs if r.patient_id in ids),
        courses=tuple(c for c in cohort.courses if c.patient_id in ids),
        events=tuple(e for e in cohort.events if e.patient_id in ids),
        cutoff_date=cohort.effective_cutoff(),  # the whole series' cut-off
    )


def _first_jak(cohort: Cohort) -> dict[str, str]:
    first: dict[str, tuple[date, str]] = {}
    for c in cohort.courses:
        if c.is_jak_inhibitor and (
            c.patient_id not in first or c.start_date < first[c.patient_id][0]
        ):
            first[c.patient_id] = (c.start_date, c.drug)
    return {pid: drug for pid, (_, drug) in first.items()}


def test_by_drug_gives_table2_of_each_drug_as_if_alone(demo: Cohort) -> None:
    report = subgroup_report(build_timelines(demo), "drug")
    drugs = _first_jak(demo)
    assert set(report["groups"]) == set(drugs.values())
    for drug, summary in report["groups"].items():
        ids = {pid for pid, d in drugs.items() if d == drug}
        alone = case_series(_only(demo, ids))
        assert summary["n_patients"] == len(ids)
        for key in TABLE2_KEYS:
            assert summary[key] == alone[key], key
        assert summary["subgroup"]["small"] is (len(ids) < SMALL_SUBGROUP_N)


def test_groups_partition_the_series(demo: Cohort) -> None:
    timelines = build_timelines(demo)
    for by in ("drug", "weight_band", "antibody", "refractory"):
        parts = split(timelines, by)
        ids = [t.patient_id for part in parts.values() for t in part.included]
        assert sorted(ids) == sorted(t.patient_id for t in timelines.included), by


def test_antibody_groups() -> None:
    def patient(*antibodies: str) -> Patient:
        return Patient("X", "F", date(2012, 1, 1), "JDM", antibodies=antibodies)

    assert antibody_group(patient("MDA5", "RO52")) == "MDA5"  # Ro52 is myositis-associated
    assert antibody_group(patient("NXP2", "TIF1G")) == "several_msa"
    assert antibody_group(patient("ANA")) == "msa_negative"
    assert antibody_group(patient("none")) == "msa_negative"
    assert antibody_group(patient()) == "not_recorded"


def test_between_group_tests_by_drug_recomputed(demo: Cohort) -> None:
    report = subgroup_report(build_timelines(demo), "drug")
    between = report["between"]
    assert between["groups"] == ["tofacitinib", "ruxolitinib"]  # the vocabulary's order
    drugs = _first_jak(demo)
    groups = [{pid for pid, d in drugs.items() if d == g} for g in between["groups"]]
    # counts straight from events.csv rows: patients with gc_stopped after their index date
    index = {
        pid: min(c.start_date for c in demo.courses if c.patient_id == pid and c.is_jak_inhibitor)
        for pid in drugs
    }
    summaries = [report["groups"][g] for g in between["groups"]]
    had = []
    for ids, summary in zip(groups, summaries, strict=True):
        cutoff = date.fromisoformat(summary["methods"]["cutoff_date"])
        stopped = {
            e.patient_id
            for e in demo.events
            if e.event == "gc_stopped"
            and e.patient_id in ids
            and index[e.patient_id] < e.date <= cutoff
        }
        had.append(len(stopped))
    block = between["tests"]["gc_stopped"]
    assert block["n"] == had and block["denominator"] == [len(g) for g in groups]
    oracle = scipy_fisher([[had[0], len(groups[0]) - had[0]], [had[1], len(groups[1]) - had[1]]])
    assert block["p"] == pytest.approx(oracle.pvalue)
    # the CMAS change of each group: its n is the paired n of that group's Table 2
    assert between["tests"]["cmas"]["n"] == [s["cmas"]["n"] for s in summaries]
    # tofacitinib has fewer than SMALL_SUBGROUP_N patients: every test is descriptive
    assert len(groups[0]) < SMALL_SUBGROUP_N
    assert all(b["descriptive"] for b in between["tests"].values())


def test_cmas_change_compared_with_the_rank_sum(demo: Cohort) -> None:
    from scipy.stats import mannwhitneyu

    report = subgroup_report(build_timelines(demo), "weight_band")
    between = report["between"]
    assert between["groups"] == ["lt25", "ge25"]  # 'unknown' is never tested
    changes: list[list[float]] = []
    for band in between["groups"]:
        summary: dict[str, Any] = report["groups"][band]
        assert summary["n_patients"] >= SMALL_SUBGROUP_N
        changes.append([])
    block = between["tests"]["cmas"]
    # medians of the change as describe() gives them; the test recomputed by scipy from
    # the timelines' own pairs
    timelines = build_timelines(demo)
    for t in timelines.included:
        if (
            t.baseline["weakness"] is True
            and t.baseline["cmas"] is not None
            and t.final["cmas"] is not None
        ):
            changes[between["groups"].index(t.weight_band)].append(
                float(t.final["cmas"]) - float(t.baseline["cmas"])
            )
    assert block["n"] == [len(c) for c in changes]
    method = "exact" if block["p_method"] == "exact" else "asymptotic"
    oracle = mannwhitneyu(changes[0], changes[1], method=method, use_continuity=True)
    assert block["p"] == pytest.approx(oracle.pvalue)
    assert block["descriptive"] is False


def test_more_than_two_groups_get_no_between_group_test(demo: Cohort) -> None:
    report = subgroup_report(build_timelines(demo), "antibody")
    assert len(report["between"]["groups"]) > 2
    assert report["between"]["tests"] == {}
    assert "exactly two" in report["between"]["not_tested"]


def test_unknown_subgroup_is_refused(demo: Cohort) -> None:
    with pytest.raises(ValueError, match="unknown subgroup 'site'"):
        split(build_timelines(demo), "site")  # type: ignore[arg-type]
