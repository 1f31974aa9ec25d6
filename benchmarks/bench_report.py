"""How the case-series statistics scale: `case_series` on synthetic cohorts of 1k, 10k and
100k patients, next to a plain pandas computation of three of the same figures in the
same run.

    python benchmarks/bench_report.py [--sizes 1000,10000,100000] [--visits 8] [--labs 6]

For each size it prints
- case_series: wall and CPU time, peak memory (tracemalloc, measured in a second run so that
  tracing does not slow the timed run) and time per patient;
- pandas: the same cohort turned into DataFrames (timed separately) and three figures
  computed from them by the spec's definitions: female % of the case series, median
  follow-up in months, rash at baseline %. The benchmark checks that both give the same
  numbers, and prints the ratio case_series / pandas;
- whether cost grows no worse than linearly: CPU time per patient at each size relative
  to the smallest size (near 1 when linear; a quadratic step would multiply it by 10).
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc
from collections.abc import Callable
from typing import Any, TypeVar

import pandas as pd

from myotrack.analysis import case_series
from myotrack.cohort.synth import synthesize
from myotrack.domain import Cohort
from myotrack.domain.vocab import JAK_INHIBITORS

T = TypeVar("T")


def timed(fn: Callable[[], T]) -> tuple[T, float, float]:
    """Result, wall seconds and CPU seconds of this process (the CPU time is what the
    growth check uses: on a shared machine wall time also measures the neighbours)."""
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - start, time.process_time() - cpu


def peak_mib(fn: Callable[[], Any]) -> float:
    gc.collect()
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def frames(cohort: Cohort) -> dict[str, pd.DataFrame]:
    return {
        "patients": pd.DataFrame(
            {
                "patient_id": [p.patient_id for p in cohort.patients],
                "sex": [p.sex for p in cohort.patients],
            }
        ),
        "courses": pd.DataFrame(
            {
                "patient_id": [c.patient_id for c in cohort.courses],
                "drug": [c.drug for c in cohort.courses],
                "start_date": pd.to_datetime([c.start_date for c in cohort.courses]),
            }
        ),
        "visits": pd.DataFrame(
            {
                "patient_id": [v.patient_id for v in cohort.visits],
                "date": pd.to_datetime([v.date for v in cohort.visits]),
                "rash": pd.array([v.rash for v in cohort.visits], dtype="boolean"),
            }
        ),
    }


def pandas_figures(df: dict[str, pd.DataFrame], cutoff: pd.Timestamp) -> dict[str, float]:
    """female %, median follow-up (months), rash at baseline % — by the spec's rules."""
    courses = df["courses"]
    index = (
        courses[courses["drug"].isin(JAK_INHIBITORS)]
        .groupby("patient_id")["start_date"]
        .min()
        .rename("index_date")
    )
    index = index[index <= cutoff]
    patients = df["patients"].merge(index, left_on="patient_id", right_index=True)
    visits = df["visits"].merge(index, left_on="patient_id", right_index=True)
    after = visits[visits["date"] >= visits["index_date"]]
    last = after.groupby("patient_id")["date"].max().clip(upper=cutoff)
    end = patients.set_index("patient_id")["index_date"].to_frame().join(last.rename("last"))
    end["last"] = end["last"].fillna(end["index_date"])
    follow_up = (end["last"] - end["index_date"]).dt.days / 30.4375
    window = visits[
        (visits["date"] >= visits["index_date"] - pd.Timedelta(days=90))
        & (visits["date"] <= visits["index_date"])
        & visits["rash"].notna()
    ]
    baseline_rash = window.sort_values("date").groupby("patient_id")["rash"].last()
    n = len(patients)
    return {
        "female_pct": 100 * float((patients["sex"] == "F").sum()) / n,
        "follow_up_median": float(follow_up.quantile(0.5)),  # type 7, as case_series default
        "rash_baseline_pct": 100 * float(baseline_rash.sum()) / n,
    }


def ours(report: dict[str, Any]) -> dict[str, float]:
    return {
        "female_pct": report["female"]["pct"],
        "follow_up_median": report["follow_up_months"]["median"],
        "rash_baseline_pct": report["rash_baseline"]["pct"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="1000,10000,100000", help="comma-separated numbers of patients"
    )
    parser.add_argument("--visits", type=int, default=8, help="visits per patient")
    parser.add_argument("--labs", type=int, default=6, help="lab results per patient")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    header = (
        f"{'patients':>9} {'rows':>9} {'case_series s':>13} {'cpu s':>6} {'peak MiB':>9} "
        f"{'cpu µs/pt':>9} {'pandas frames s':>15} {'pandas figs s':>13} "
        f"{'pandas MiB':>10} {'ratio':>6} {'agree':>5}"
    )
    print(header)
    per_patient: list[float] = []
    for n in sizes:
        cohort = synthesize(
            n, seed=args.seed, visits_per_patient=args.visits, labs_per_patient=args.labs
        )
        rows = (
            len(cohort.patients)
            + len(cohort.visits)
            + len(cohort.labs)
            + len(cohort.courses)
            + len(cohort.events)
        )
        cutoff = cohort.effective_cutoff()
        assert cutoff is not None
        report, t_ours, cpu_ours = timed(lambda c=cohort: case_series(c))
        mem_ours = peak_mib(lambda c=cohort: case_series(c))
        dfs, t_frames, _ = timed(lambda c=cohort: frames(c))
        stamp = pd.Timestamp(cutoff)
        figs, t_pandas, _ = timed(lambda d=dfs, s=stamp: pandas_figures(d, s))
        mem_pandas = peak_mib(lambda c=cohort, s=stamp: pandas_figures(frames(c), s))
        mine = ours(report)
        agree = all(abs(mine[k] - figs[k]) < 1e-9 for k in figs)
        us = 1e6 * cpu_ours / n
        per_patient.append(us)
        ratio = t_ours / (t_frames + t_pandas)
        print(
            f"{n:>9} {rows:>9} {t_ours:>13.2f} {cpu_ours:>6.2f} {mem_ours:>9.1f} {us:>9.1f} "
            f"{t_frames:>15.2f} {t_pandas:>13.2f} {mem_pandas:>10.1f} {ratio:>6.1f} "
            f"{'yes' if agree else 'NO':>5}"
        )
        if not agree:
            print("   case_series:", mine, "\n   pandas:     ", figs)
        del cohort, report, dfs
    growth = [p / per_patient[0] for p in per_patient]
    print(
        "CPU time per patient relative to the smallest size:",
        ", ".join(f"{n}: {g:.2f}" for n, g in zip(sizes, growth, strict=True)),
    )
    # Linear cost keeps this near 1 (cache and garbage-collector effects move it by a few
    # tenths); a quadratic step would multiply it by the size ratio (10 per step here).
    print(
        "cost grows no worse than linearly:",
        "yes" if all(g < 2.0 for g in growth) else "NO (per-patient cost rises)",
    )


if __name__ == "__main__":
    main()
