"""How long the clinic worklist takes for a synthetic registry, as a ratio to loading the
same patients' records, in the same run (target: worklist < 3 x load).

    python benchmarks/bench_worklist.py [--patients 10000] [--visits 30] [--labs 100]

Generates a synthetic cohort (`myotrack synth`), imports it into a fresh SQLite registry in
a temporary folder, then times, in this process:
1. load: `registry.load_cohort` + `Cohort.records()` — what `myotrack due` and the worklist
   page do before computing;
2. worklist: `therapy.worklist.worklist(records, on)` on the cohort's latest date.
Each is run `--repeat` times; the best CPU time (and wall time) of each is reported with
their ratio. Nothing listens on the network; the registry is deleted afterwards.
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from myotrack import registry
from myotrack.cohort.synth import synthesize
from myotrack.therapy.worklist import worklist

T = TypeVar("T")
TARGET_RATIO = 3.0


def _timed(run: Callable[[], T], repeat: int) -> tuple[T, float, float]:
    """(result, best CPU seconds, best wall seconds)."""
    best_cpu = best_wall = float("inf")
    result: T | None = None
    for _ in range(repeat):
        gc.collect()
        cpu0, wall0 = time.process_time(), time.perf_counter()
        result = run()
        best_cpu = min(best_cpu, time.process_time() - cpu0)
        best_wall = min(best_wall, time.perf_counter() - wall0)
    assert result is not None
    return result, best_cpu, best_wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--visits", type=int, default=30)
    parser.add_argument("--labs", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    cohort = synthesize(
        args.patients, seed=args.seed, visits_per_patient=args.visits, labs_per_patient=args.labs
    )
    on = cohort.effective_cutoff()
    assert on is not None
    with tempfile.TemporaryDirectory() as tmp:
        engine = registry.connect(f"sqlite:///{Path(tmp) / 'bench.db'}")
        registry.upgrade(engine)
        started = time.perf_counter()
        with registry.transaction(engine) as session:
            registry.import_cohort(session, cohort, actor="bench", reason="bench_worklist")
        print(f"imported {args.patients} patients in {time.perf_counter() - started:.1f} s")
        del cohort

        def load() -> dict[str, object]:
            with registry.transaction(engine) as session:
                return dict(registry.load_cohort(session).records())

        records, load_cpu, load_wall = _timed(load, args.repeat)
        result, wl_cpu, wl_wall = _timed(
            lambda: worklist(records.values(), on),  # type: ignore[arg-type]
            args.repeat,
        )
        engine.dispose()
    ratio = wl_cpu / load_cpu
    on_jak = sum(
        1
        for r in records.values()
        if any(c.running_on(on) for c in r.jak_courses)  # type: ignore[attr-defined]
    )
    print(
        f"worklist on {on}: {len(result.lines)} lines for {result.patients} patients "
        f"({on_jak} on a JAK inhibitor that day)"
    )
    print(f"load records : {load_cpu:7.2f} s CPU  {load_wall:7.2f} s wall")
    print(f"worklist     : {wl_cpu:7.2f} s CPU  {wl_wall:7.2f} s wall")
    print(
        f"ratio worklist / load: {ratio:.2f} (CPU), {wl_wall / load_wall:.2f} (wall); "
        f"target < {TARGET_RATIO:g}: {'met' if ratio < TARGET_RATIO else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
