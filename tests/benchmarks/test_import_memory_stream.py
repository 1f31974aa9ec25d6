"""Bounded memory of the streamed check and import (issue 13), as a test rather than a
timing: the Python memory (tracemalloc's peak) of `scan_folder` and `import_folder` barely
grows when the cohort grows tenfold, while `read_folder`, which holds every row, grows with
it. (The whole commands' peak resident memory is measured by benchmarks/bench_commands.py.)
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from myotrack.cohort import read_folder, scan_folder, synthesize, write_folder
from myotrack.registry import connect, import_folder, transaction, upgrade

TODAY = date(2026, 12, 1)


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    root = tmp_path_factory.mktemp("sizes")
    out = {}
    for patients in (20, 200):
        folder = root / f"synth-{patients}"
        write_folder(
            synthesize(patients, seed=5, visits_per_patient=8, labs_per_patient=25), folder
        )
        out[patients] = folder
    return out


def _peak(run: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_streamed_check_does_not_hold_the_rows(folders: dict[int, Path]) -> None:
    def scan(n: int) -> Callable[[], object]:
        return lambda: scan_folder(folders[n], today=TODAY, accept_implausible=True)

    # warm the caches shared by both (parsed dates, compiled checks) outside the counts
    scan(200)()
    small, large = _peak(scan(20)), _peak(scan(200))
    whole = _peak(lambda: read_folder(folders[200], today=TODAY, accept_implausible=True))
    assert large < 2.5 * small, (small, large)
    assert large * 3 < whole, (large, whole)


def test_the_streamed_import_does_not_hold_the_cohort(
    folders: dict[int, Path], tmp_path: Path
) -> None:
    def stored(n: int) -> Callable[[], object]:
        def run() -> object:
            engine = connect(f"sqlite:///{tmp_path / f'r{n}.db'}")
            upgrade(engine)
            with transaction(engine) as session:
                outcome = import_folder(
                    session,
                    folders[n],
                    today=TODAY,
                    accept_implausible=True,
                    actor="dm",
                    reason="memory",
                )
            engine.dispose()
            assert outcome is not None and outcome[0].changed
            return outcome

        return run

    small, large = _peak(stored(20)), _peak(stored(200))
    assert large < 2.5 * small, (small, large)
