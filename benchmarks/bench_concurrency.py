"""Many clinicians saving at once: statuses and save times of a real server.

    python benchmarks/bench_concurrency.py [--database URL] [--workers 2]
        [--clinicians 16] [--saves 30]

Builds a fresh registry (a temporary SQLite file, or the PostgreSQL database given with
--database, whose `public` schema is dropped first), starts `uvicorn --factory` with
`--workers` processes as `myotrack serve --workers N` does, logs in `--clinicians` users
and lets each save `--saves` visits as fast as it can, all at once. Prints how many saves
were answered 200 / 503 / 500 / dropped, whether every 200 is in the registry afterwards,
and the median and 95th-percentile save time (wall clock, including the wait for the
write lock). Issue 10 asks for no 500, no dropped connection and no lost save.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import httpx
from sqlalchemy import select

from myotrack import registry
from myotrack.domain import Patient
from myotrack.registry.tables import PATIENT_TABLE, VISIT_TABLE
from myotrack.web.passwords import hash_password

PASSWORD = "benchmark pass phrase of the load"
SITE = "Bench Centre"


def prepare(url: str, clinicians: int) -> None:
    engine = registry.connect(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
    registry.upgrade(engine)
    hashed = hash_password(PASSWORD)
    with registry.transaction(engine) as session:
        registry.create_user(
            session, "nurse", password_hash=hashed, role="clinician", site=SITE, actor="bench"
        )
        for c in range(clinicians):
            patient = Patient(
                patient_id=f"BENCH-{c}",
                sex="F",
                birth_date=date(2012, 1, 1),
                diagnosis="JDM",
                site=SITE,
            )
            registry.save_patient(
                session, patient, expected_version=None, actor="bench", reason="benchmark"
            )
    engine.dispose()


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


def run(
    base: str, clinicians: int, saves: int
) -> tuple[Counter[str], set[tuple[str, date]], list[float]]:
    statuses: Counter[str] = Counter()
    saved: set[tuple[str, date]] = set()
    times: list[float] = []
    lock = threading.Lock()
    start = threading.Barrier(clinicians)

    def clinician(c: int) -> None:
        client = httpx.Client(base_url=base, timeout=120)
        try:
            r = client.post("/api/session", json={"username": "nurse", "password": PASSWORD})
            r.raise_for_status()
            client.headers["X-CSRF-Token"] = r.json()["csrf_token"]
            start.wait()
            for i in range(saves):
                pid, on = f"BENCH-{c}", date(2019, 1, 7) + timedelta(days=7 * i)
                began = time.perf_counter()
                try:
                    answer = client.post(
                        f"/api/patients/{pid}/visits",
                        json={"date": on.isoformat(), "totals": {"phga": 2}},
                    )
                    outcome = str(answer.status_code)
                except httpx.TransportError as exc:
                    outcome = f"dropped ({type(exc).__name__})"
                with lock:
                    times.append(time.perf_counter() - began)
                    statuses[outcome] += 1
                    if outcome == "200":
                        saved.add((pid, on))
        finally:
            client.close()

    with ThreadPoolExecutor(clinicians) as pool:
        for future in [pool.submit(clinician, c) for c in range(clinicians)]:
            future.result()
    return statuses, saved, times


def stored(url: str) -> set[tuple[str, date]]:
    engine = registry.connect(url)
    p, v = PATIENT_TABLE, VISIT_TABLE
    with engine.connect() as conn:
        rows = conn.execute(select(p.c.patient_id, v.c.date).join(p, p.c.id == v.c.patient_pk))
        found = {(str(pid), on) for pid, on in rows}
    engine.dispose()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", help="PostgreSQL URL (default: a temporary SQLite file)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clinicians", type=int, default=16)
    parser.add_argument("--saves", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database or f"sqlite:///{Path(tmp) / 'bench.db'}"
        prepare(url, args.clinicians)
        proc, base = start_server(url, args.workers)
        try:
            statuses, saved, times = run(base, args.clinicians, args.saves)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        lost = saved - stored(url)
    shown = registry.database_url(url).split("://", 1)[0]
    print(f"{shown}, {args.workers} workers, {args.clinicians} clinicians x {args.saves} saves")
    print(f"  answers: {dict(statuses)}")
    print(f"  acknowledged but not stored: {len(lost)}")
    quantiles = statistics.quantiles(times, n=20)
    print(
        f"  save time: median {statistics.median(times) * 1000:.0f} ms, "
        f"95th percentile {quantiles[18] * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
