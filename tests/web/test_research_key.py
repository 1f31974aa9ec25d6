"""The research pseudonym key is made once per registry, also when several server
processes ask for it at the same moment, on SQLite and (with MYOTRACK_TEST_POSTGRES_URL)
PostgreSQL."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from myotrack import registry

PG_ENV = "MYOTRACK_TEST_POSTGRES_URL"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = registry.connect(f"sqlite:///{tmp_path / 'key.db'}")
    else:
        url = os.environ.get(PG_ENV)
        if not url:
            pytest.skip(f"no PostgreSQL server: set {PG_ENV} to run the PostgreSQL variant")
        engine = registry.connect(url)
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
    registry.upgrade(engine)
    yield engine
    engine.dispose()


def test_one_key_whoever_asks_first(fresh: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MYOTRACK_DEID_KEY", raising=False)
    keys: list[bytes] = []
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def ask() -> None:
        try:
            start.wait()
            with registry.transaction(fresh, write=True, wait=30) as session:
                keys.append(registry.research_key(session))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(keys) == 6 and len(set(keys)) == 1
    with registry.transaction(fresh) as session:
        assert registry.research_key(session) == keys[0]
        assert registry.verify_chain(session).intact
        created = [e for e in registry.audit_log(session) if e.record == "research_pseudonym_key"]
    assert len(created) == 1
