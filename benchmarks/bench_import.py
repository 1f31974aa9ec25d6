"""How fast `myotrack import` stores a cohort folder in SQLite, against a plain sqlite3
executemany of the same rows, in the same run.

    python benchmarks/bench_import.py [--patients 10000] [--visits 30] [--labs 100]

Generates a synthetic cohort (`myotrack synth`), writes it as a folder, then times
1. raw: the CSV rows inserted with sqlite3 `executemany` into tables with the same
   columns (no parsing into types, no validation, no constraints), one transaction;
2. myotrack: read_folder (parse + every validation rule) and registry.import_cohort into
   a fresh registry, one transaction — what `myotrack import` does.
Prints rows/second of both and their ratio (target: myotrack ≥ 0.25 × raw), by CPU time
of this process (both runs are in-process; on a shared machine wall time also measures
the neighbours) and by wall time.
"""

from __future__ import annotations

import argparse
import csv
import gc
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from myotrack import registry
from myotrack.cohort import read_folder, write_folder
from myotrack.cohort.columns import FILES
from myotrack.cohort.synth import synthesize


def raw_insert(folder: Path, database: Path) -> int:
    connection = sqlite3.connect(database)
    rows_total = 0
    with connection:
        for name in FILES:
            with (folder / name).open(encoding="utf-8", newline="") as handle:
                reader = csv.reader(handle)
                header = next(reader)
                table = name.removesuffix(".csv")
                columns = ", ".join(f'"{h}"' for h in header)
                connection.execute(f"CREATE TABLE {table} ({columns})")
                marks = ", ".join("?" for _ in header)
                rows = list(reader)
                connection.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
                rows_total += len(rows)
    connection.close()
    return rows_total


def myotrack_import(folder: Path, database: Path) -> int:
    cohort, issues = read_folder(folder)
    if cohort is None:
        raise SystemExit(f"synthetic cohort did not validate: {issues[:5]}")
    gc.freeze()  # as `myotrack import` does: the cohort read is long-lived
    engine = registry.connect(f"sqlite:///{database}")
    registry.upgrade(engine)
    with registry.transaction(engine) as session:
        summary = registry.import_cohort(session, cohort, actor="bench", reason="benchmark")
    engine.dispose()
    return summary.total_rows


def timed(function: Callable[[Path, Path], int], *args: Path) -> tuple[int, float, float]:
    """(rows, CPU seconds of this process, wall seconds)."""
    cpu, wall = time.process_time(), time.perf_counter()
    rows = function(*args)
    return rows, time.process_time() - cpu, time.perf_counter() - wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--visits", type=int, default=30)
    parser.add_argument("--labs", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        cohort = synthesize(
            args.patients,
            seed=args.seed,
            visits_per_patient=args.visits,
            labs_per_patient=args.labs,
        )
        write_folder(cohort, work / "cohort")
        del cohort  # measure the import as `myotrack import` runs it, without it in memory
        gc.collect()
        print(f"generated and wrote the cohort in {time.perf_counter() - started:.1f} s")

        raw_rows, raw_cpu, raw_wall = timed(raw_insert, work / "cohort", work / "raw.db")
        our_rows, our_cpu, our_wall = timed(myotrack_import, work / "cohort", work / "registry.db")

    print(f"patients: {args.patients}, rows: {raw_rows} ({our_rows} stored by myotrack)")
    print(f"{'':26}{'CPU s':>8}{'rows/s (CPU)':>16}{'wall s':>9}{'rows/s (wall)':>16}")
    for label, rows, cpu, wall in (
        ("raw sqlite3 executemany", raw_rows, raw_cpu, raw_wall),
        ("myotrack import", our_rows, our_cpu, our_wall),
    ):
        print(f"{label:26}{cpu:8.2f}{rows / cpu:16,.0f}{wall:9.2f}{rows / wall:16,.0f}")
    ratio_cpu = (our_rows / our_cpu) / (raw_rows / raw_cpu)
    ratio_wall = (our_rows / our_wall) / (raw_rows / raw_wall)
    print(
        f"ratio myotrack/raw: {ratio_cpu:.2f} by CPU time, {ratio_wall:.2f} by wall time "
        "(target ≥ 0.25, validation on)"
    )


if __name__ == "__main__":
    main()
