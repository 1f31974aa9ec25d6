"""The web report of a registry (issue 13): computed once per cohort fingerprint and cut-off,
then served from the cache, without holding up other users' pages meanwhile.

    python benchmarks/bench_web_report.py [--patients 1000] [--database URL] [--opens 5]

Builds a registry of a synthetic cohort (`myotrack synth` + `myotrack import`; a temporary
SQLite file, or the PostgreSQL database given, loopback only, whose `public` schema is
dropped first), starts the app under uvicorn on 127.0.0.1 and, as an admin:

1. times /health and a patient page while the server is idle (the baseline);
2. opens /report.json and /report.html for the first time: the time until the report
   arrives (a 503 "being prepared" is retried after a second, as a browser following
   Retry-After would), while a second client keeps opening /health and patient pages:
   their latencies during the computation show whether it holds anyone up;
3. opens each report `--opens` more times: the cache's answer time (target < 0.2 s).

Results go to benchmarks/results/web_report.json.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import numpy as np
from measure import MYOTRACK, run_command, save, synthetic_folder

LOOPBACK = {"127.0.0.1", "localhost", "::1", ""}
PASSWORD = "bench-" + secrets.token_hex(8)
SECOND_OPEN_TARGET = 0.2


def prepare(url: str, folder: Path) -> list[str]:
    from myotrack import registry
    from myotrack.web.passwords import hash_password

    engine = registry.connect(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()
    run_command([MYOTRACK, "import", str(folder), "--database", url])
    engine = registry.connect(url)
    with registry.transaction(engine) as session:
        registry.create_user(
            session,
            "bench_admin",
            password_hash=hash_password(PASSWORD),
            role="admin",
            site=None,
            actor="bench",
        )
        ids = [p.patient_id for p in registry.list_patients(session)][:50]
    engine.dispose()
    return ids


def start_server(url: str, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    env = {**os.environ, "MYOTRACK_DATABASE_URL": url, "MYOTRACK_SECRET_KEY": "bench" * 8}
    command = [sys.executable, "-m", "uvicorn", "myotrack.web.app:app_from_environment"]
    command += ["--factory", "--workers", str(workers), "--port", str(port)]
    command += ["--host", "127.0.0.1", "--log-level", "warning"]
    proc = subprocess.Popen(command, env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(base + "/health", timeout=2).status_code == 200:
                return proc, base
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start")


async def login(client: httpx.AsyncClient) -> None:
    r = await client.post("/api/session", json={"username": "bench_admin", "password": PASSWORD})
    r.raise_for_status()
    client.headers["X-CSRF-Token"] = r.json()["csrf_token"]


async def timed_get(client: httpx.AsyncClient, path: str) -> tuple[float, int]:
    began = time.perf_counter()
    r = await client.get(path)
    return time.perf_counter() - began, r.status_code


async def probe(client: httpx.AsyncClient, patients: list[str], stop: asyncio.Event) -> Any:
    """/health and patient pages, one after another, until `stop`."""
    health: list[float] = []
    pages: list[float] = []
    errors = 0
    i = 0
    while not stop.is_set():
        t, status = await timed_get(client, "/health")
        health.append(t)
        t2, status2 = await timed_get(client, f"/patients/{patients[i % len(patients)]}")
        pages.append(t2)
        errors += (status != 200) + (status2 != 200)
        i += 1
        await asyncio.sleep(0.05)
    return {"health": health, "page": pages, "errors": errors}


def quantiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"n": 0}
    p50, p95 = np.percentile(np.array(values) * 1000, [50, 95])
    return {"n": len(values), "p50_ms": float(p50), "p95_ms": float(p95)}


async def first_open(
    base: str, path: str, patients: list[str]
) -> tuple[float, int, dict[str, Any]]:
    """Seconds until the report came, how many 503 answers came before it, and the
    probes' latencies meanwhile."""
    async with (
        httpx.AsyncClient(base_url=base, timeout=600) as reader,
        httpx.AsyncClient(base_url=base, timeout=60) as other,
    ):
        await login(reader)
        await login(other)
        stop = asyncio.Event()
        probing = asyncio.create_task(probe(other, patients, stop))
        began = time.perf_counter()
        busy = 0
        while True:
            r = await reader.get(path)
            if r.status_code == 200:
                break
            if r.status_code != 503:
                raise SystemExit(f"{path}: {r.status_code} {r.text[:300]}")
            busy += 1
            await asyncio.sleep(1.0)
        elapsed = time.perf_counter() - began
        stop.set()
        probes = await probing
    during = {
        "health": quantiles(probes["health"]),
        "page": quantiles(probes["page"]),
        "errors": probes["errors"],
    }
    return elapsed, busy, during


async def run(base: str, patients: list[str], opens: int) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        await login(client)
        idle_health = [(await timed_get(client, "/health"))[0] for _ in range(30)]
        idle_page = [
            (await timed_get(client, f"/patients/{patients[i % len(patients)]}"))[0]
            for i in range(30)
        ]
    out: dict[str, Any] = {"idle": {"health": quantiles(idle_health), "page": quantiles(idle_page)}}
    for fmt in ("json", "html"):
        path = f"/report.{fmt}"
        elapsed, busy, during = await first_open(base, path, patients)
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            await login(client)
            again = []
            for _ in range(opens):
                t, status = await timed_get(client, path)
                assert status == 200, status
                again.append(t)
        out[fmt] = {
            "first_open_s": elapsed,
            "answers_503_before": busy,
            "during_computation": during,
            "second_open_s": statistics.median(again),
            "second_open_all_s": again,
        }
        print(
            f"{path}: first open {elapsed:.1f} s ({busy} x 503 before), then "
            f"{statistics.median(again) * 1000:.0f} ms (median of {opens}); during the first: "
            f"/health p95 {during['health'].get('p95_ms', 0):.0f} ms, patient page p95 "
            f"{during['page'].get('p95_ms', 0):.0f} ms, {during['errors']} errors",
            flush=True,
        )
    print(
        f"idle: /health p95 {out['idle']['health']['p95_ms']:.0f} ms, patient page p95 "
        f"{out['idle']['page']['p95_ms']:.0f} ms"
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", help="PostgreSQL URL on this machine (default: SQLite)")
    parser.add_argument("--opens", type=int, default=5)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("/tmp/myotrack-bench"))
    args = parser.parse_args()
    if args.database:
        host = urlsplit(args.database.replace("+psycopg", "")).hostname or ""
        if host not in LOOPBACK:
            raise SystemExit(f"loopback only: the database host is {host!r}")
    args.work.mkdir(parents=True, exist_ok=True)
    folder = synthetic_folder(args.work, args.patients, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database or f"sqlite:///{Path(tmp) / 'web.db'}"
        patients = prepare(url, folder)
        proc, base = start_server(url, args.workers)
        try:
            result = asyncio.run(run(base, patients, args.opens))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    backend = urlsplit(url).scheme.split("+")[0]
    for fmt in ("json", "html"):
        second = result[fmt]["second_open_s"]
        verdict = "met" if second < SECOND_OPEN_TARGET else "NOT met"
        print(f"second open of /report.{fmt}: {second:.3f} s (target < 0.2 s: {verdict})")
    save(
        "web_report",
        {"patients": args.patients, "database": backend, "workers": args.workers, **result},
    )


if __name__ == "__main__":
    main()
