"""What every benchmark of issue 13 measures the same way: a command as a user runs it,
in a subprocess, with its CPU time, wall time and peak memory; medians of several runs;
the machine it ran on; results kept as JSON for `write_benchmarks_doc.py`.

CPU time (user + system of the child, from `os.wait4`) is the main measure: on a shared
machine wall time also measures the neighbours. Peak memory is the child's maximum
resident set size (`ru_maxrss`). A baseline is always measured in the same run as what it
is compared with, so a ratio of the two holds even when absolute times drift.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
BIN = Path(sys.executable).parent
MYOTRACK = str(BIN / "myotrack")


@dataclass(frozen=True, slots=True)
class Run:
    """One run of a command."""

    cpu: float  # seconds, user + system, of the child
    wall: float  # seconds
    peak_mib: float  # maximum resident set size of the child
    returncode: int


@dataclass(frozen=True, slots=True)
class Summary:
    """Medians of several runs (peak memory: the largest)."""

    label: str
    runs: int
    cpu: float
    wall: float
    peak_mib: float
    cpu_all: tuple[float, ...]
    wall_all: tuple[float, ...]


def run_command(
    args: Sequence[str], *, env: dict[str, str] | None = None, stdout: Any = subprocess.DEVNULL
) -> Run:
    """Run `args` to the end; its own CPU time and peak memory come from `wait4`."""
    started = time.perf_counter()
    proc = subprocess.Popen(list(args), env=env, stdout=stdout, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    errors = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{errors.decode()[-2000:]}")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(cpu=cpu, wall=wall, peak_mib=usage.ru_maxrss / 1024, returncode=proc.returncode)


def repeated(
    label: str,
    args: Sequence[str],
    repeat: int,
    *,
    before: Callable[[], None] | None = None,
    env: dict[str, str] | None = None,
) -> Summary:
    """`repeat` runs of `args` (`before` prepares each one, untimed)."""
    runs: list[Run] = []
    for _ in range(repeat):
        if before is not None:
            before()
        runs.append(run_command(args, env=env))
    summary = Summary(
        label=label,
        runs=len(runs),
        cpu=statistics.median(r.cpu for r in runs),
        wall=statistics.median(r.wall for r in runs),
        peak_mib=max(r.peak_mib for r in runs),
        cpu_all=tuple(round(r.cpu, 3) for r in runs),
        wall_all=tuple(round(r.wall, 3) for r in runs),
    )
    print(
        f"  {label:<34} CPU {summary.cpu:8.2f} s  wall {summary.wall:8.2f} s  "
        f"peak {summary.peak_mib:8.0f} MiB  ({summary.runs} runs)",
        flush=True,
    )
    return summary


def machine() -> dict[str, Any]:
    """The machine and the moment (the table of results says where it was measured)."""
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 2**20:.1f} GiB"
                break
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "load_average": [round(x, 1) for x in load],
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "sqlite": __import__("sqlite3").sqlite_version,
    }


def save(name: str, data: dict[str, Any]) -> Path:
    """Keep a benchmark's results (with the machine) for the documentation."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    payload = {"machine": machine(), **data}
    path.write_text(json.dumps(payload, indent=2, default=_plain) + "\n", encoding="utf-8")
    print(f"results: {path.relative_to(ROOT)}")
    return path


def _plain(value: Any) -> Any:
    if isinstance(value, Summary | Run):
        return asdict(value)
    raise TypeError(type(value))


def synthetic_folder(work: Path, patients: int, seed: int) -> Path:
    """A synthetic cohort folder (`myotrack synth`), made once and kept in `work`."""
    folder = work / f"synth-{patients}-seed{seed}"
    if not (folder / "patients.csv").is_file():
        if folder.exists():
            shutil.rmtree(folder)
        print(f"  writing a synthetic cohort of {patients} patients to {folder} ...", flush=True)
        args = [MYOTRACK, "synth", str(folder), "--patients", str(patients)]
        run_command([*args, "--seed", str(seed)])
    return folder


def count_rows(folder: Path) -> int:
    """Data rows of the cohort folder's CSV files (header lines not counted)."""
    total = 0
    for csv_file in sorted(folder.glob("*.csv")):
        with csv_file.open("rb") as handle:
            total += sum(1 for _ in handle) - 1
    return total
