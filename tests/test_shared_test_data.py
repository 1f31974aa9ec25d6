"""Shared test data lives once, under tests/data/ (style-examples; issue 16): no data file
under tests/ is a byte-for-byte copy of another. Oracle: the files' SHA-256 digests."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path

TESTS = Path(__file__).resolve().parent
CODE_SUFFIXES = frozenset({".py", ".pyc"})


def test_no_data_file_is_kept_twice() -> None:
    by_digest: dict[str, list[str]] = defaultdict(list)
    for path in sorted(TESTS.rglob("*")):
        if not path.is_file() or path.suffix in CODE_SUFFIXES or "__pycache__" in path.parts:
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        by_digest[digest].append(str(path.relative_to(TESTS)))
    copies = [paths for paths in by_digest.values() if len(paths) > 1]
    assert not copies, f"keep one copy under tests/data/ and read it from there: {copies}"


def test_the_spec_test_vectors_are_under_tests_data() -> None:
    vectors = sorted(p.relative_to(TESTS) for p in TESTS.rglob("*-testvectors.json"))
    assert vectors == [
        Path("data/criteria-therapy-testvectors.json"),
        Path("data/instruments-testvectors.json"),
    ]
