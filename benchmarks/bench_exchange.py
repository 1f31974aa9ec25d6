"""How fast the FHIR NDJSON export writes a cohort, against writing the same cohort as a
cohort folder, in the same run (issue 12: target within 2x).

    python benchmarks/bench_exchange.py [--patients 10000] [--visits 30] [--labs 100]

Generates a synthetic cohort (`myotrack synth`: fictional patients, with visits, labs,
courses and events), then times, each into a fresh temporary folder:
1. folder: `cohort.write_folder` (what `myotrack export` writes by default);
2. FHIR NDJSON: the FHIR export in the `ndjson` layout written to files, as
   `myotrack export --format fhir --layout ndjson` does (build the resources, serialise
   each as one JSON line, append it to its resource type's file).
Prints rows and resources, seconds (CPU time of this process and wall time) and the ratio
FHIR/folder. On a shared machine CPU time is the fairer measure.
"""

from __future__ import annotations

import argparse
import gc
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from myotrack.cli.exchange_commands import write_export
from myotrack.cohort import write_folder
from myotrack.cohort.synth import synthesize
from myotrack.domain import Cohort
from myotrack.exchange import format_named


def _timed(
    action: Callable[[Path], None], after: Callable[[Path], None] = lambda _: None
) -> tuple[float, float, int]:
    """(cpu seconds, wall seconds, bytes written) of one run into a fresh folder; `after`
    looks at the files, untimed."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "out"
        gc.collect()
        cpu, wall = time.process_time(), time.perf_counter()
        action(folder)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        size = sum(p.stat().st_size for p in folder.iterdir())
        after(folder)
    return cpu, wall, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
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
    rows = (
        len(cohort.patients)
        + len(cohort.visits)
        + len(cohort.labs)
        + len(cohort.courses)
        + len(cohort.events)
    )
    print(
        f"synthetic cohort: {len(cohort.patients)} patients, {rows} rows "
        f"({time.perf_counter() - started:.1f} s to generate)"
    )
    fhir = format_named("fhir")
    counted: dict[str, int] = {}

    def folder_write(folder: Path) -> None:
        write_folder(cohort, folder)

    def fhir_write(folder: Path) -> None:
        write_export(cohort, folder, fhir, "ndjson")

    def fhir_count(folder: Path) -> None:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        counted.update({o["type"]: o["count"] for o in manifest["output"]})

    folder_cpu, folder_wall, folder_bytes = _timed(folder_write)
    fhir_cpu, fhir_wall, fhir_bytes = _timed(fhir_write, fhir_count)
    resources = sum(counted.values())
    print(
        f"folder:      {folder_cpu:7.1f} s CPU {folder_wall:7.1f} s wall  "
        f"{folder_bytes / 1e6:8.1f} MB"
    )
    print(
        f"FHIR NDJSON: {fhir_cpu:7.1f} s CPU {fhir_wall:7.1f} s wall  {fhir_bytes / 1e6:8.1f} MB, "
        f"{resources} resources ({', '.join(f'{k} {v}' for k, v in sorted(counted.items()))})"
    )
    print(
        f"ratio FHIR/folder: {fhir_cpu / folder_cpu:.2f} x CPU, {fhir_wall / folder_wall:.2f} x "
        "wall (target: within 2 x)"
    )


if __name__ == "__main__":
    main()
