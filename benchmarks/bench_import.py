"""How fast `myotrack import` stores a cohort folder in SQLite, against a plain sqlite3
executemany of the same rows, in the same run.

    python benchmarks/bench_import.py [--patients 10000] [--visits 30] [--labs 100]

Generates a synthetic cohort (`myotrack synth`), writes it as a folder, then times
1. raw: the CSV rows inserted with sqlite3 `executemany` into tables with the same
   columns (no parsing into types, no validation, no constraints), one transaction;
2. myotrack: read_folder (parse + every validation rule) and registry.import_cohort into
   a fresh registry, one transaction — what `myotrack import` does.
Prints rows/second of both and their ratio (target: myotrack ≥ 0.25 × raw).
"""

from __future__ import annotations

import argparse
import csv
import sqlite3
import tempfile
import time
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
    engine = registry.connect(f"sqlite:///{database}")
    registry.upgrade(engine)
    with registry.transaction(engine) as session:
        summary = registry.import_cohort(session, cohort, actor="bench", reason="benchmark")
    engine.dispose()
    return summary.total_rows


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
        print(f"generated and wrote the cohort in {time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        raw_rows = raw_insert(work / "cohort", work / "raw.db")
        raw_seconds = time.perf_counter() - started

        started = time.perf_counter()
        our_rows = myotrack_import(work / "cohort", work / "registry.db")
        our_seconds = time.perf_counter() - started

    raw_rate, our_rate = raw_rows / raw_seconds, our_rows / our_seconds
    print(f"patients: {args.patients}, rows: {raw_rows}")
    print(f"raw sqlite3 executemany: {raw_seconds:8.2f} s  {raw_rate:12,.0f} rows/s")
    print(
        f"myotrack import:         {our_seconds:8.2f} s  {our_rate:12,.0f} rows/s "
        f"({our_rows} rows stored, validation on)"
    )
    print(f"ratio myotrack/raw: {our_rate / raw_rate:.2f} (target ≥ 0.25)")


if __name__ == "__main__":
    main()
