"""The inner parts of `myotrack report` on a registry, timed in one process: loading the
cohort, its fingerprint, the case-series statistics and the whole JSON rendering (which
includes the fingerprint and the statistics). CPU seconds of this process, the best of
`--repeat` runs each; printed as one JSON object.

    python benchmarks/report_parts.py DATABASE_URL [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from myotrack import registry
from myotrack.analysis import case_series, cohort_fingerprint
from myotrack.domain import Cohort
from myotrack.report import render_report


def best_cpu(action: Callable[[], Any], repeat: int) -> tuple[Any, float]:
    best = float("inf")
    result: Any = None
    for _ in range(repeat):
        gc.collect()
        started = time.process_time()
        result = action()
        best = min(best, time.process_time() - started)
    return result, best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    engine = registry.connect(args.database)

    def load() -> Cohort:
        with registry.transaction(engine) as session:
            return registry.load_cohort(session)

    cohort, load_cpu = best_cpu(load, args.repeat)
    _, fingerprint_cpu = best_cpu(lambda: cohort_fingerprint(cohort), args.repeat)
    _, statistics_cpu = best_cpu(lambda: case_series(cohort), args.repeat)
    _, render_cpu = best_cpu(
        lambda: render_report(cohort, fmt="json", generated_at=datetime.now(UTC)), args.repeat
    )
    rows = sum(
        len(getattr(cohort, t))
        for t in ("patients", "visits", "labs", "courses", "events", "assessments")
    )
    print(
        json.dumps(
            {
                "rows": rows,
                "load_cohort": load_cpu,
                "fingerprint": fingerprint_cpu,
                "case_series": statistics_cpu,
                "render_json": render_cpu,
            }
        )
    )


if __name__ == "__main__":
    main()
