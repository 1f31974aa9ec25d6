"""Write docs/benchmarks.md from the results the benchmarks kept in benchmarks/results/
(`make bench` runs them and then this).

    python benchmarks/write_benchmarks_doc.py [--out docs/benchmarks.md]

Every goal of issue 13 is a row: its ratio as measured, the target, and met or not.
Benchmarks that were not run are listed as such, never invented.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from measure import RESULTS, ROOT

INTRO = """# Benchmarks

What a user waits for and how much memory it takes, for the whole commands of issue 13,
each measured against a baseline **in the same run** (absolute times on a shared machine
drift; ratios hold). Written by `make bench` (`benchmarks/write_benchmarks_doc.py`) from
the results in `benchmarks/results/`; every number below comes from those files.

How it is measured:

- Each command runs as a user runs it, `myotrack ...` in a subprocess, on a synthetic
  cohort (`myotrack synth OUT --patients N --seed 1`: about 140 rows per patient). Its
  CPU time (user + system) and peak memory (maximum resident set) come from `wait4`;
  wall time is shown beside. Ratios use CPU time, the fairer measure when the machine
  is shared; the median of the runs is taken.
- Baselines: for `import`, the same CSV rows stored with Python's `csv` and
  `sqlite3.executemany` in one transaction (`benchmarks/raw_load.py`: no types, no
  validation, no constraints); for `report`, `myotrack validate` of the same cohort as a
  folder.
- Inner parts (`benchmarks/report_parts.py`, one process, best of runs): loading the
  registry, the fingerprint, the statistics, the whole JSON rendering.
- Web (`benchmarks/bench_web_report.py`, `benchmarks/bench_load.py`): the app under
  uvicorn on 127.0.0.1, driven by httpx clients.
- Set-based loading is a test, not a timing:
  `tests/benchmarks/test_registry_loading_statements.py` counts the statements (SQLite
  and PostgreSQL) and finds the same number for 4 and 600 patients.
"""


def load(name: str) -> dict[str, Any] | None:
    path = RESULTS / f"{name}.json"
    if not path.is_file():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def verdict(value: float | None, target: float, *, at_most: bool = True) -> str:
    if value is None:
        return "not measured"
    ok = value <= target if at_most else value >= target
    return "met" if ok else "**not met**"


def fmt(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def machine_line(data: dict[str, Any]) -> str:
    m = data["machine"]
    return (
        f"{m['date']}; {m['cpu']}, {m['cores']} cores, {m['memory']}; "
        f"load average {', '.join(str(x) for x in m['load_average'])}; Python {m['python']}, "
        f"SQLite {m['sqlite']}, {m['system']}"
    )


def commands_section(data: dict[str, Any], *, imports: bool = True) -> list[str]:
    """The whole commands; `imports=False` leaves out the import's goals (measured on their
    own, `bench_commands.py --only-import`, in `import_section`)."""
    runs = (
        f"{data['repeat']} run(s) each below 10,000 patients, {data.get('repeat_large', 1)} above"
    )
    out = ["## Commands", "", f"Measured {machine_line(data)}; {runs}.", ""]
    out += [
        "| goal | patients | rows | measured (CPU) | wall | target | |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for size in data["sizes"]:
        r = size["ratios"]
        n, rows = size["patients"], size["rows"]
        for key, target, label, at_most in (
            ("report_json/validate", 1.5, "report JSON / validate", True),
            ("report_html/validate", 2.0, "report HTML / validate", True),
            ("report_pdf/validate", 2.0, "report PDF / validate", True),
            ("import/baseline rows per s", 0.4, "import rows/s ÷ baseline rows/s", False),
        ):
            cpu, wall = r.get(f"{key} (cpu)"), r.get(f"{key} (wall)")
            if cpu is None or (key.startswith("import") and not imports):
                continue
            sign = "≤" if at_most else "≥"
            out.append(
                f"| {label} | {n:,} | {rows:,} | {fmt(cpu)} | {fmt(wall)} | {sign} {target} | "
                f"{verdict(cpu, target, at_most=at_most)} |"
            )
        share = r.get("fingerprint share of report json (cpu)")
        if share is not None:
            out.append(
                f"| fingerprint ÷ report JSON command | {n:,} | {rows:,} | {share:.0%} | | "
                f"< 10 % | {verdict(share, 0.10)} |"
            )
    memory = (data.get("memory_ratios") or {}) if imports else {}
    for name, value in memory.items():
        out.append(f"| {name} (peak memory) | | | {fmt(value)} | | ≤ 1.5 | {verdict(value, 1.5)} |")
    out += ["", "Times and memory of each command (medians; CPU and wall in seconds):", ""]
    out += [
        "| patients | command | CPU s | wall s | peak MiB |",
        "|---:|---|---:|---:|---:|",
    ]
    for size in data["sizes"]:
        for summary in size["commands"].values():
            out.append(
                f"| {size['patients']:,} | {summary['label']} | {summary['cpu']:.2f} | "
                f"{summary['wall']:.2f} | {summary['peak_mib']:.0f} |"
            )
    out += ["", "Inner parts of the report (CPU s, one process, best of runs):", ""]
    out += [
        "| patients | load registry | fingerprint | statistics | JSON rendering |",
        "|---:|---:|---:|---:|---:|",
    ]
    for size in data["sizes"]:
        p = size["inner"]
        out.append(
            f"| {size['patients']:,} | {p['load_cohort']:.2f} | {p['fingerprint']:.2f} | "
            f"{p['case_series']:.2f} | {p['render_json']:.2f} |"
        )
    return [*out, ""]


def import_section(data: dict[str, Any]) -> list[str]:
    """`myotrack import` against its baseline, and its peak memory as the cohort grows."""
    runs = (
        f"{data['repeat']} run(s) each below 10,000 patients, {data.get('repeat_large', 1)} above"
    )
    out = ["## Import: throughput and bounded memory", ""]
    out += [f"Measured {machine_line(data)}; {runs}.", ""]
    out += [
        "| goal | patients | rows | measured (CPU) | wall | target | |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for size in data["sizes"]:
        r = size["ratios"]
        cpu, wall = (
            r.get("import/baseline rows per s (cpu)"),
            r.get("import/baseline rows per s (wall)"),
        )
        out.append(
            f"| import rows/s ÷ baseline rows/s | {size['patients']:,} | {size['rows']:,} | "
            f"{fmt(cpu)} | {fmt(wall)} | ≥ 0.4 | {verdict(cpu, 0.4, at_most=False)} |"
        )
    for name, value in (data.get("memory_ratios") or {}).items():
        out.append(f"| {name} (peak memory) | | | {fmt(value)} | | ≤ 1.5 | {verdict(value, 1.5)} |")
    out += ["", "Times and memory (medians; CPU and wall in seconds):", ""]
    out += ["| patients | command | CPU s | wall s | peak MiB |", "|---:|---|---:|---:|---:|"]
    for size in data["sizes"]:
        for summary in size["commands"].values():
            out.append(
                f"| {size['patients']:,} | {summary['label']} | {summary['cpu']:.2f} | "
                f"{summary['wall']:.2f} | {summary['peak_mib']:.0f} |"
            )
    return [*out, ""]


def web_report_section(data: dict[str, Any]) -> list[str]:
    out = [
        "## Web report: computed once, then from the cache",
        "",
        f"{data['patients']:,} patients, {data['database']}, {data['workers']} server "
        f"worker(s); measured {machine_line(data)}.",
        "",
        "| report | first open s | 503 before | second open s | target | | during the first "
        "open: /health p95 ms | patient page p95 ms | errors |",
        "|---|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for f in ("json", "html"):
        r = data[f]
        during = r["during_computation"]
        out.append(
            f"| /report.{f} | {r['first_open_s']:.1f} | {r['answers_503_before']} | "
            f"{r['second_open_s']:.3f} | < 0.2 | {verdict(r['second_open_s'], 0.2)} | "
            f"{during['health'].get('p95_ms', 0):.0f} | {during['page'].get('p95_ms', 0):.0f} | "
            f"{during['errors']} |"
        )
    idle = data["idle"]
    out += [
        "",
        f"Idle server, for comparison: /health p95 {idle['health']['p95_ms']:.0f} ms, patient "
        f"page p95 {idle['page']['p95_ms']:.0f} ms.",
        "",
    ]
    return out


def web_load_section(data: dict[str, Any]) -> list[str]:
    ratio = data.get("ratio_page_to_health_p95")
    errors = sum(data.get("errors", {}).values())
    p95 = data["p95_ms"]
    return [
        "## Web: patient pages under load",
        "",
        f"{data['clients']} concurrent clients, {data['requests']} requests in "
        f"{data['seconds']:.0f} s, PostgreSQL, {data['workers']} server worker(s); measured "
        f"{machine_line(data)}.",
        "",
        "| goal | measured | target | |",
        "|---|---:|---:|---|",
        f"| patient page p95 ÷ /health p95 | {fmt(ratio)} | ≤ {data['target']:g} | "
        f"{verdict(ratio, data['target'])} |",
        f"| errors | {errors} | 0 | {'met' if errors == 0 else '**not met**'} |",
        "",
        "p95 in ms: " + ", ".join(f"{k} {v:.0f}" for k, v in p95.items()) + ".",
        "",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument(
        "--notes",
        type=Path,
        default=ROOT / "benchmarks" / "notes.md",
        help="hand-written analysis appended to the tables (why a goal is not met)",
    )
    args = parser.parse_args()
    lines = [*INTRO.splitlines(), ""]
    imports = load("import")
    for name, section in (
        ("commands", lambda data: commands_section(data, imports=imports is None)),
        ("web_report", web_report_section),
        ("web_load", web_load_section),
    ):
        data = load(name)
        if data is None:
            lines += [f"## {name}", "", "Not run in this `make bench` (no results).", ""]
        else:
            lines += section(data)
        if name == "commands" and imports is not None:
            lines += import_section(imports)
    if args.notes.is_file():
        lines += args.notes.read_text(encoding="utf-8").splitlines()
    args.out.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
