"""Whole commands as a user runs them (issue 13): `myotrack validate`, `import` and
`report` on synthetic cohorts, each against its baseline in the same run.

    python benchmarks/bench_commands.py [--sizes 1000,10000] [--repeat 3] [--repeat-large 1]
        [--formats json,html,pdf] [--work /tmp/myotrack-bench] [--seed 1]

For each size (patients; `myotrack synth` writes about 140 rows per patient) it runs, in
subprocesses, `--repeat` times each:

- baseline: the CSV rows stored with `csv` + `sqlite3.executemany` (benchmarks/raw_load.py);
- `myotrack validate FOLDER`;
- `myotrack import FOLDER` into a fresh SQLite registry;
- `myotrack report --format F` from that registry, for each format;

then, in one process (benchmarks/report_parts.py), the inner parts of the report: loading
the registry, the fingerprint, the statistics and the JSON rendering.

The ratios of issue 13 (medians of CPU time of the child processes; wall time beside):
report / validate (JSON within 1.5, HTML and PDF within 2), import rows per second /
baseline rows per second (at least 0.4), the fingerprint's share of the JSON report
command (under 10 %), and the peak memory of an import relative to the smallest size
measured at 10,000 patients or more (100,000 within 1.5 x 10,000). Results go to
benchmarks/results/commands.json; `write_benchmarks_doc.py` turns them into
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from measure import (
    MYOTRACK,
    ROOT,
    Summary,
    count_rows,
    repeated,
    run_command,
    save,
    synthetic_folder,
)

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable


def bench_size(
    work: Path, patients: int, seed: int, repeat: int, formats: list[str], reports: bool = True
) -> dict[str, Any]:
    print(f"\n{patients} patients", flush=True)
    folder = synthetic_folder(work, patients, seed)
    rows = count_rows(folder)
    raw_db = work / f"raw-{patients}.db"
    registry_db = work / f"registry-{patients}.db"
    url = f"sqlite:///{registry_db}"

    def fresh(path: Path) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)

    results: dict[str, Summary] = {}
    results["baseline"] = repeated(
        "baseline csv + sqlite3",
        [PYTHON, str(HERE / "raw_load.py"), str(folder), str(raw_db)],
        repeat,
        before=lambda: fresh(raw_db),
    )
    results["validate"] = repeated("myotrack validate", [MYOTRACK, "validate", str(folder)], repeat)
    results["import"] = repeated(
        "myotrack import",
        [MYOTRACK, "import", str(folder), "--database", url],
        repeat,
        before=lambda: fresh(registry_db),
    )
    # The same folder again into the registry that now holds it: "Nothing changed" (the
    # streamed merge path reads the folder twice more and compares each chunk).
    results["reimport"] = repeated(
        "myotrack import again (unchanged)",
        [MYOTRACK, "import", str(folder), "--database", url],
        repeat,
    )
    if not reports:  # `--only-import`: the import's goals, no report
        fresh(raw_db)
        return {"patients": patients, "rows": rows, "commands": results, "inner": {}}
    for fmt in formats:
        out = work / f"report-{patients}.{fmt}"
        results[f"report_{fmt}"] = repeated(
            f"myotrack report --format {fmt}",
            [MYOTRACK, "report", "--format", fmt, "--database", url, "--out", str(out)],
            repeat,
        )
    parts_out = subprocess.run(
        [PYTHON, str(HERE / "report_parts.py"), url, "--repeat", str(max(2, repeat))],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    parts: dict[str, float] = json.loads(parts_out.strip().splitlines()[-1])
    print("  inner (CPU s, best of runs): " + ", ".join(f"{k} {v:.2f}" for k, v in parts.items()))
    fresh(raw_db)
    return {"patients": patients, "rows": rows, "commands": results, "inner": parts}


def ratios(size: dict[str, Any]) -> dict[str, float]:
    c: dict[str, Summary] = size["commands"]
    out: dict[str, float] = {}
    for measure in ("cpu", "wall"):
        base = getattr(c["validate"], measure)
        for key in c:
            if key.startswith("report_"):
                out[f"{key}/validate ({measure})"] = getattr(c[key], measure) / base
        # rows per second of the import over rows per second of the baseline
        out[f"import/baseline rows per s ({measure})"] = getattr(c["baseline"], measure) / getattr(
            c["import"], measure
        )
    if "report_json" in c:
        out["fingerprint share of report json (cpu)"] = size["inner"]["fingerprint"] / (
            c["report_json"].cpu
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="patients, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--repeat-large", type=int, default=1, help="runs at 10,000 patients or more"
    )
    parser.add_argument("--formats", default="json,html,pdf")
    parser.add_argument(
        "--pdf-max",
        type=int,
        default=1000,
        help="largest cohort whose PDF report is timed (the PDF of 10,000 patients prints "
        "a per-patient supplement of thousands of pages)",
    )
    parser.add_argument("--work", type=Path, default=Path("/tmp/myotrack-bench"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--only-import",
        action="store_true",
        help="only the baseline, validate and import (results/import.json; the doc shows "
        "them beside the report's results/commands.json)",
    )
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    run_command([MYOTRACK, "--help"])  # imports compiled once, outside the timings
    sizes = [int(s) for s in args.sizes.split(",") if s]
    formats = [f for f in args.formats.split(",") if f]
    measured = [
        bench_size(
            args.work,
            n,
            args.seed,
            args.repeat if n < 10_000 else args.repeat_large,
            [f for f in formats if f != "pdf" or n <= args.pdf_max],
            reports=not args.only_import,
        )
        for n in sizes
    ]
    for size in measured:
        size["ratios"] = ratios(size)
        print(f"\nratios at {size['patients']} patients:")
        for name, value in size["ratios"].items():
            print(f"  {name:<48} {value:6.2f}")
    # the peak memory of an import against the smallest import measured
    memory: dict[str, float] = {}
    if measured:
        base = measured[0]
        for s in measured[1:]:
            times = s["patients"] / base["patients"]
            name = f"import peak {s['patients']} / {base['patients']} ({times:g}x the patients)"
            memory[name] = s["commands"]["import"].peak_mib / base["commands"]["import"].peak_mib
    for name, value in memory.items():
        print(f"  {name:<48} {value:6.2f}")
    save(
        "import" if args.only_import else "commands",
        {
            "command": " ".join(sys.argv),
            "repeat": args.repeat,
            "repeat_large": args.repeat_large,
            "sizes": measured,
            "memory_ratios": memory,
            "root": str(ROOT),
        },
    )


if __name__ == "__main__":
    main()
