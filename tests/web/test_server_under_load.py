"""The real server under load, in a subprocess (`uvicorn --factory --workers N`, as
`myotrack serve --workers N` runs it), on SQLite and on PostgreSQL:

- 8 clinicians saving 15 visits each at once: no 500, no dropped connection, and every
  save answered 200 is in the registry afterwards;
- the same while a CLI import runs: the import finishes, the saves wait or answer 503;
- memory: the server's peak resident memory (VmHWM of the process) stays bounded under
  huge and length-less bodies, a zip bomb, a zip whose headers lie and a row bomb.

The figures (statuses, peak memory) are printed; run with `-s` to see them.
"""

from __future__ import annotations

import fcntl
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from myotrack import registry
from myotrack.cohort import write_folder
from myotrack.cohort.synth import synthesize
from myotrack.domain import Patient
from myotrack.registry.tables import PATIENT_TABLE, VISIT_TABLE
from myotrack.web.passwords import hash_password

PG_ENV = "MYOTRACK_TEST_POSTGRES_URL"
PASSWORD = "server load test pass phrase"
SITE = "Load Centre"
THREADS, SAVES = 8, 15
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _database(backend: str, tmp_path: Path) -> str:
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'server.db'}"
    else:
        found = os.environ.get(PG_ENV)
        if not found:
            pytest.skip(f"no PostgreSQL server: set {PG_ENV} to run the PostgreSQL variant")
        url = found
    engine = registry.connect(url)
    if backend != "sqlite":
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
    registry.upgrade(engine)
    hashed = hash_password(PASSWORD)
    with registry.transaction(engine) as session:
        for name, role, site in (("nurse", "clinician", SITE), ("boss", "admin", None)):
            registry.create_user(
                session, name, password_hash=hashed, role=role, site=site, actor="test"
            )
        for t in range(THREADS):
            registry.save_patient(
                session,
                Patient(
                    patient_id=f"LOAD-{t}",
                    sex="F",
                    birth_date=date(2012, 1, 1),
                    diagnosis="JDM",
                    site=SITE,
                ),
                expected_version=None,
                actor="test",
                reason="load test",
            )
    engine.dispose()
    return url


@dataclass
class Server:
    url: str
    proc: subprocess.Popen[bytes]

    def pids(self) -> list[int]:
        """The server process and its worker processes."""
        found = [self.proc.pid]
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.proc.pid:
                    found.append(int(entry.name))
        return found

    def memory_mb(self, field: str) -> float:
        """The largest `field` (VmRSS now, VmHWM peak) over the server's processes."""
        best = 0.0
        for pid in self.pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith(field + ":"):
                        best = max(best, int(line.split()[1]) / 1024)
            except OSError:
                continue
        return best


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(database_url: str, workers: int, log: Path) -> Iterator[Server]:
    port = _free_port()
    env = {
        **os.environ,
        "MYOTRACK_DATABASE_URL": database_url,
        "MYOTRACK_SECRET_KEY": "load-test-secret-key-0123456789",
    }
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "myotrack.web.app:app_from_environment",
        "--factory",
        "--workers",
        str(workers),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    with log.open("wb") as out:
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", proc)
    try:
        for _ in range(600):  # up to a minute to start on a busy machine
            if proc.poll() is not None:
                raise AssertionError(f"the server did not start:\n{log.read_text()}")
            try:
                if httpx.get(server.url + "/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        # every worker answers (each loads the app on its own)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _client(server: Server, username: str) -> httpx.Client:
    client = httpx.Client(base_url=server.url, timeout=120)
    for _ in range(20):
        r = client.post("/api/session", json={"username": username, "password": PASSWORD})
        if r.status_code == 200:
            client.headers["X-CSRF-Token"] = r.json()["csrf_token"]
            return client
        assert r.status_code == 503, r.text
        time.sleep(0.5)
    raise AssertionError("could not log in")


@dataclass
class Outcome:
    statuses: Counter[str]
    saved: set[tuple[str, date]]


def _save_visits(server: Server, first: date) -> Outcome:
    """8 clinicians, 15 visit saves each (weekly from `first`), all at once."""
    statuses: Counter[str] = Counter()
    saved: set[tuple[str, date]] = set()
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def clinician(t: int) -> None:
        client = _client(server, "nurse")
        try:
            start.wait()
            for i in range(SAVES):
                pid, on = f"LOAD-{t}", first + timedelta(days=7 * i)
                try:
                    r = client.post(
                        f"/api/patients/{pid}/visits",
                        json={"date": on.isoformat(), "totals": {"phga": 3}},
                    )
                    outcome = str(r.status_code)
                except httpx.TransportError as exc:
                    outcome = f"connection error {type(exc).__name__}"
                with lock:
                    statuses[outcome] += 1
                    if outcome == "200":
                        saved.add((pid, on))
        finally:
            client.close()

    with ThreadPoolExecutor(THREADS) as pool:
        for future in [pool.submit(clinician, t) for t in range(THREADS)]:
            future.result()
    return Outcome(statuses, saved)


def _stored_visits(database_url: str) -> set[tuple[str, date]]:
    engine = registry.connect(database_url)
    p, v = PATIENT_TABLE, VISIT_TABLE
    with engine.connect() as conn:
        rows = conn.execute(
            select(p.c.patient_id, v.c.date).join(p, p.c.id == v.c.patient_pk)
        ).all()
    engine.dispose()
    return {(str(pid), on) for pid, on in rows}


def _check(outcome: Outcome, database_url: str, what: str) -> None:
    print(f"\n{what}: {dict(outcome.statuses)}")
    assert set(outcome.statuses) <= {"200", "503"}, outcome.statuses  # no 500, no reset
    assert sum(outcome.statuses.values()) == THREADS * SAVES
    missing = outcome.saved - _stored_visits(database_url)
    assert not missing, f"acknowledged but lost: {sorted(missing)[:5]}"


IMPORTED = 400


def _import_lock_taken(database_url: str, importing: subprocess.Popen[str]) -> bool:
    """Wait until the import holds the import lock (it is then writing); False if it
    finished first."""
    engine = registry.connect(database_url)
    try:
        while importing.poll() is None:
            if engine.dialect.name == "sqlite":
                path = engine.url.database
                assert path is not None
                fd = os.open(os.path.abspath(path) + ".import-lock", os.O_RDWR | os.O_CREAT)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    return True
                finally:
                    os.close(fd)
            else:
                with engine.connect() as conn:
                    held = conn.exec_driver_sql(
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                    ).scalar_one()
                if held:
                    return True
            time.sleep(0.05)
        return False
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_concurrent_saves_alone_and_during_a_cli_import(backend: str, tmp_path: Path) -> None:
    url = _database(backend, tmp_path)
    folder = tmp_path / "cohort"
    write_folder(synthesize(IMPORTED, seed=7, visits_per_patient=20, labs_per_patient=40), folder)
    with serving(url, workers=2, log=tmp_path / "server.log") as server:
        alone = _save_visits(server, date(2020, 1, 6))
        importing = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from myotrack.cli import main; main()",
                "import",
                str(folder),
                "--database",
                url,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        if not _import_lock_taken(url, importing):
            output, _ = importing.communicate()
            raise AssertionError(f"the import ended before the saves began:\n{output}")
        during = _save_visits(server, date(2021, 1, 4))
        output, _ = importing.communicate(timeout=600)
    _check(alone, url, f"{backend}, 2 workers, {THREADS} x {SAVES} visit saves")
    assert importing.returncode == 0, output
    assert "Imported" in output and "Traceback" not in output
    _check(during, url, f"{backend}, the same during a CLI import of {IMPORTED} patients")
    engine = registry.connect(url)
    with registry.transaction(engine) as session:
        assert len(registry.list_patients(session)) == THREADS + IMPORTED
    engine.dispose()


# ------------------------------------------------------------------ memory


def _chunks(total: int, size: int = 1024 * 1024) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        yield b"x" * min(size, total - sent)
        sent += size


def _deflated_zip(path: Path, members: dict[str, Iterator[bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, pieces in members.items():
            with archive.open(name, "w", force_zip64=True) as out:
                for piece in pieces:
                    out.write(piece)
    return path


def _lying(path: Path) -> Path:
    """The zip bomb with its sizes rewritten to claim 1 KB (local and central headers,
    zip64 extras included): an unpacker that trusts them is fooled."""
    data = bytearray(path.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (at := data.find(signature, start)) != -1:
            data[at + offset : at + offset + 4] = (1024).to_bytes(4, "little")
            start = at + 4
    out = path.with_name("lying.zip")
    out.write_bytes(bytes(data))
    return out


def _zeros(total: int) -> Iterator[bytes]:
    block = b"\0" * (1024 * 1024)
    for _ in range(total // len(block)):
        yield block


def _rows(n: int) -> Iterator[bytes]:
    yield b"patient_id,sex,birth_date,diagnosis\n"
    for start in range(0, n, 10_000):
        yield b"".join(b"R%d,F,2014-01-01,JDM\n" % i for i in range(start, start + 10_000))


def _post_quietly(server: Server, path: str, **kwargs: object) -> str:
    try:
        r = httpx.post(server.url + path, timeout=300, **kwargs)  # type: ignore[arg-type]
        return str(r.status_code)
    except httpx.TransportError as exc:  # the server stopped reading after the limit
        return f"closed ({type(exc).__name__})"


def test_server_memory_stays_bounded_under_hostile_bodies(tmp_path: Path) -> None:
    url = _database("sqlite", tmp_path)
    work = Path(tempfile.mkdtemp(dir=tmp_path))
    bomb = _deflated_zip(
        work / "bomb.zip",
        {
            "cohort/patients.csv": iter([b"patient_id,sex,birth_date,diagnosis\n"]),
            "cohort/visits.csv": _zeros(1024 * 1024 * 1024),
        },
    )
    lying = _lying(bomb)
    rows = _deflated_zip(work / "rows.zip", {"cohort/patients.csv": _rows(3_000_000)})
    with serving(url, workers=1, log=tmp_path / "server.log") as server:
        admin = _client(server, "boss")
        baseline = server.memory_mb("VmRSS")
        answers: dict[str, list[str]] = {}
        # 900 MB to /login without a length, and 4 x 400 MB JSON at once
        answers["900 MB log-in form"] = [
            _post_quietly(
                server,
                "/login",
                content=_chunks(900 * 1024 * 1024),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
        ]
        with ThreadPoolExecutor(4) as pool:
            answers["4 x 400 MB JSON"] = list(
                pool.map(
                    lambda _: _post_quietly(
                        server,
                        "/api/session",
                        content=_chunks(400 * 1024 * 1024),
                        headers={"Content-Type": "application/json"},
                    ),
                    range(4),
                )
            )
        for name, zipped in (("zip bomb", bomb), ("lying zip", lying), ("row bomb", rows)):
            with zipped.open("rb") as upload:
                r = admin.post(
                    "/api/cohort/import", files={"file": ("c.zip", upload, "application/zip")}
                )
            answers[f"{name} ({zipped.stat().st_size // 1024} KB)"] = [
                f"{r.status_code} {r.json()['issues'][0]['message'][:60]}"
            ]
            assert r.status_code == 200 and r.json()["stored"] is False, r.text
        peak = server.memory_mb("VmHWM")
        again = _client(server, "boss")
        still = again.get("/api/session").status_code
        again.close()
        admin.close()
    print(f"\nserver memory: {baseline:.0f} MB after start, peak {peak:.0f} MB")
    for what, shown in answers.items():
        print(f"  {what}: {shown}")
    for got in answers["900 MB log-in form"] + answers["4 x 400 MB JSON"]:
        assert got == "413" or got.startswith("closed"), got
    assert still == 200
    assert peak - baseline < 200, f"peak {peak:.0f} MB vs {baseline:.0f} MB at start"
