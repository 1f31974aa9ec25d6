"""Load test of the web app against PostgreSQL: bounded, loopback only.

50 concurrent clients (httpx, asyncio; `--clients`) log in as one clinician-admin session
and, for a fixed number of requests or until the time limit, read patient pages (HTML and
JSON), post visits, and call /health, all in the same run. Prints p50/p95/p99 latency and
errors per request kind, and the ratio of the patient page's p95 to /health's p95 (issue
13's target: within 3, with zero errors); the results go to benchmarks/results/web_load.json.

    python benchmarks/bench_load.py --database postgresql://USER:PASS@127.0.0.1/DB

The database gets the demo cohort (idempotent) and, per run, a few new BENCH-... patients
that receive the posted visits (so runs never collide). The server is `myotrack`'s app on
uvicorn in a subprocess bound to 127.0.0.1 on a free port; nothing listens elsewhere.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import socket
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlsplit

import httpx
import numpy as np
from measure import save

LOOPBACK = {"127.0.0.1", "localhost", "::1", ""}
TARGET_RATIO = 3.0
PASSWORD = "bench-" + secrets.token_hex(8)


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    examples: dict[str, str] = field(default_factory=dict)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(url: str, run_id: str, n_bench: int) -> list[str]:
    """Migrate, load the demo cohort, add this run's BENCH patients and the bench user;
    returns the patient ids to read."""
    from myotrack import registry
    from myotrack.cohort import DEMO_FOLDER, read_folder
    from myotrack.domain import Patient
    from myotrack.web.passwords import hash_password

    engine = registry.connect(url)
    registry.upgrade(engine)
    cohort, issues = read_folder(DEMO_FOLDER)
    assert cohort is not None and not issues, issues
    with registry.transaction(engine) as session:
        registry.import_cohort(session, cohort, actor="bench", reason="load test")
        for i in range(n_bench):
            registry.save_patient(
                session,
                Patient(
                    patient_id=f"BENCH-{run_id}-{i:02d}",
                    sex="F",
                    birth_date=date(2014, 1, 1),
                    diagnosis="JDM",
                    site="Demo Centre A",
                ),
                expected_version=None,
                actor="bench",
                reason="load test",
            )
        name = f"bench_{run_id}"
        registry.create_user(
            session,
            name,
            password_hash=hash_password(PASSWORD),
            role="admin",
            site=None,
            actor="bench",
        )
        ids = [
            p.patient_id
            for p in registry.list_patients(session)
            if p.patient_id.startswith("DEMO-")
        ]
    engine.dispose()
    return ids


def start_server(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "MYOTRACK_DATABASE_URL": url, "MYOTRACK_SECRET_KEY": "bench"}
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "myotrack.web.app:app_from_environment",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        env=env,
    )


def wait_up(base: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit("the server did not start")


async def run_load(
    base: str,
    user: str,
    patients: list[str],
    bench: list[str],
    *,
    clients: int,
    total: int,
    time_limit: float,
) -> tuple[Stats, float, int]:
    stats = Stats()
    counter = {"next": 0}
    visit_day = {pid: 0 for pid in bench}
    deadline = time.monotonic() + time_limit
    # idle connections are dropped before the server drops them (uvicorn: after 5 s), so a
    # request never goes out on a connection the server is just closing
    limits = httpx.Limits(
        max_connections=clients, max_keepalive_connections=clients, keepalive_expiry=2.0
    )
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        r = await client.post("/api/session", json={"username": user, "password": PASSWORD})
        r.raise_for_status()
        client.headers["X-CSRF-Token"] = r.json()["csrf_token"]

        async def one(i: int) -> None:
            kind = (
                "page",
                "page",
                "page",
                "page",
                "api_patient",
                "health",
                "health",
                "post_visit",
                "page",
                "health",
            )[i % 10]
            pid = patients[(i * 7) % len(patients)]
            start = time.perf_counter()
            try:
                if kind == "page":
                    resp = await client.get(f"/patients/{pid}")
                elif kind == "api_patient":
                    resp = await client.get(f"/api/patients/{pid}")
                elif kind == "health":
                    resp = await client.get("/health")
                else:
                    target = bench[i % len(bench)]
                    visit_day[target] += 1
                    on = date(2020, 1, 1) + timedelta(days=visit_day[target])
                    resp = await client.post(
                        f"/api/patients/{target}/visits",
                        json={
                            "date": on.isoformat(),
                            "weight_kg": 25,
                            "instruments": {"globals": {"phga": 1.5}},
                        },
                    )
                ok = resp.status_code == 200
            except httpx.HTTPError as exc:
                ok, resp = False, None
                stats.examples.setdefault(kind, repr(exc))
            elapsed = time.perf_counter() - start
            stats.latencies[kind].append(elapsed)
            if not ok:
                stats.errors[kind] += 1
                if resp is not None:
                    stats.examples.setdefault(kind, f"{resp.status_code} {resp.text[:200]}")

        async def worker() -> None:
            while time.monotonic() < deadline:
                i = counter["next"]
                if i >= total:
                    return
                counter["next"] = i + 1
                await one(i)

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        wall = time.perf_counter() - began
    return stats, wall, counter["next"]


def report(stats: Stats, wall: float, done: int, total: int) -> dict[str, float]:
    print(f"\n{done} of {total} requests in {wall:.1f} s ({done / wall:.0f} req/s)")
    print(f"{'kind':<12} {'n':>6} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    p95: dict[str, float] = {}
    for kind in ("health", "page", "api_patient", "post_visit"):
        values = np.array(stats.latencies.get(kind, [])) * 1000
        if values.size == 0:
            continue
        p50, p95k, p99 = np.percentile(values, [50, 95, 99])
        p95[kind] = float(p95k)
        print(
            f"{kind:<12} {values.size:>6} {stats.errors.get(kind, 0):>7} {p50:>8.1f} "
            f"{p95k:>8.1f} {p99:>8.1f}"
        )
    for kind, example in stats.examples.items():
        print(f"  first {kind} error: {example}")
    if "health" in p95 and "page" in p95:
        ratio = p95["page"] / p95["health"]
        verdict = "meets" if ratio <= TARGET_RATIO else "misses"
        print(
            f"p95(patient page) / p95(/health) = {ratio:.2f}  "
            f"({verdict} the within-{TARGET_RATIO:g} target)"
        )
    errors = sum(stats.errors.values())
    print(f"errors: {errors}")
    return p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database",
        default=os.environ.get("MYOTRACK_BENCH_DATABASE_URL"),
        help="PostgreSQL URL on this machine (or $MYOTRACK_BENCH_DATABASE_URL)",
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=3000, help="total requests (fixed)")
    parser.add_argument("--time-limit", type=float, default=120.0, help="seconds (at most)")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    args = parser.parse_args()
    if not args.database:
        raise SystemExit("give --database postgresql://... (or MYOTRACK_BENCH_DATABASE_URL)")
    host = urlsplit(args.database.replace("+psycopg", "")).hostname or ""
    if host not in LOOPBACK:
        raise SystemExit(f"loopback only: the database host is {host!r}")
    if args.clients < 1 or args.requests < 1 or args.time_limit <= 0:
        raise SystemExit("--clients, --requests and --time-limit must be positive")
    run_id = secrets.token_hex(3)
    patients = prepare(args.database, run_id, n_bench=args.clients)
    bench = [f"BENCH-{run_id}-{i:02d}" for i in range(args.clients)]
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(args.database, port, args.workers)
    try:
        wait_up(base)
        stats, wall, done = asyncio.run(
            run_load(
                base,
                f"bench_{run_id}",
                patients,
                bench,
                clients=args.clients,
                total=args.requests,
                time_limit=args.time_limit,
            )
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(
        f"database: {urlsplit(args.database).scheme}://…@{host}; clients: {args.clients}; "
        f"server workers: {args.workers}; run {run_id}"
    )
    p95 = report(stats, wall, done, args.requests)
    save(
        "web_load",
        {
            "clients": args.clients,
            "workers": args.workers,
            "requests": done,
            "seconds": wall,
            "p95_ms": p95,
            "errors": dict(stats.errors),
            "ratio_page_to_health_p95": p95["page"] / p95["health"] if "health" in p95 else None,
            "target": TARGET_RATIO,
        },
    )


if __name__ == "__main__":
    main()
