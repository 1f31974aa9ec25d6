"""How fast the OMOP CDM 5.4 export writes a cohort, against writing the same cohort as a
cohort folder, in the same run (issue 12: target within 2x).

    python benchmarks/bench_exchange_omop.py [--patients 10000] [--visits 30] [--labs 100]

Generates a synthetic cohort (`myotrack synth`: fictional patients, with visits, labs,
courses and events), then times, each into a fresh temporary folder:
1. folder: `cohort.write_folder` (what `myotrack export` writes by default);
2. OMOP: the OMOP export written to files, as `myotrack export --format omop` does (every
   CDM table's rows, one CSV per table, with the concept subset).
Prints the rows of each, seconds (CPU time of this process and wall time) and the ratio
OMOP/folder. On a shared machine CPU time is the fairer measure. The OMOP export writes
more rows than the folder (each visit's scores are one MEASUREMENT row each), so rows per
second are printed too.
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from myotrack.cli.exchange_commands import write_export
from myotrack.cohort import write_folder
from myotrack.cohort.synth import synthesize
from myotrack.domain import Cohort
from myotrack.exchange import format_named


def _timed(action: Callable[[Path], None]) -> tuple[float, float, int]:
    """(cpu seconds, wall seconds, data rows written) of one run into a fresh folder."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "out"
        gc.collect()
        cpu, wall = time.process_time(), time.perf_counter()
        action(folder)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        rows = 0
        for path in folder.iterdir():
            with path.open("rb") as handle:
                rows += max(0, sum(1 for _ in handle) - 1)
    return cpu, wall, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--visits", type=int, default=30)
    parser.add_argument("--labs", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    started = time.perf_counter()
    cohort: Cohort = synthesize(
        args.patients, seed=args.seed, visits_per_patient=args.visits, labs_per_patient=args.labs
    )
    gc.freeze()  # the cohort is long-lived, as in `myotrack export`
    print(
        f"synthetic cohort: {len(cohort.patients)} patients, {len(cohort.visits)} visits, "
        f"{len(cohort.labs)} labs ({time.perf_counter() - started:.1f} s to generate)"
    )
    omop = format_named("omop")

    def folder_write(folder: Path) -> None:
        write_folder(cohort, folder)

    def omop_write(folder: Path) -> None:
        write_export(cohort, folder, omop, "csv")

    folder_cpu, folder_wall, folder_rows = _timed(folder_write)
    omop_cpu, omop_wall, omop_rows = _timed(omop_write)
    for name, cpu, wall, rows in (
        ("folder", folder_cpu, folder_wall, folder_rows),
        ("OMOP", omop_cpu, omop_wall, omop_rows),
    ):
        print(
            f"{name:>6}: {rows:>9} rows  cpu {cpu:6.2f} s  wall {wall:6.2f} s  "
            f"({rows / cpu:,.0f} rows/s cpu)"
        )
    print(
        f"ratio OMOP/folder: cpu {omop_cpu / folder_cpu:.2f}x, wall {omop_wall / folder_wall:.2f}x "
        "(target: within 2x)"
    )


if __name__ == "__main__":
    main()
