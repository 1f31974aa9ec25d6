"""The version 2 design document names only vocabularies and tables that exist in code, so
the implementer builds the field table from real tuples (docs/dev/cohort-format-v2-design.md)."""

from __future__ import annotations

import re
from pathlib import Path

from myotrack.domain import prevention, record_vocab, treatment_detail, vocab
from myotrack.domain.investigations_muscle import BIOPSY_DOMAINS

DESIGN = Path(__file__).resolve().parents[2] / "docs" / "dev" / "cohort-format-v2-design.md"


def test_every_vocabulary_the_design_reads_exists() -> None:
    text = DESIGN.read_text(encoding="utf-8")
    literals = set(re.findall(r"codes\((\w+)\)", text))
    assert literals, "the design names its vocabularies as codes(Literal)"
    missing = [name for name in sorted(literals) if not hasattr(record_vocab, name)]
    assert not missing, f"not in domain/record_vocab.py: {missing}"
    for name in re.findall(r"`vocab\.([A-Z_]+)", text):
        assert hasattr(vocab, name), name
    for name in ("DOSE_UNITS_V2", "FREQUENCIES", "ROUTES_V2"):
        assert name in text and hasattr(treatment_detail, name)
    assert "VACCINES" in text and hasattr(prevention, "VACCINES")
    assert "BIOPSY_DOMAINS" in text and BIOPSY_DOMAINS


def test_the_biopsy_ranges_in_the_design_are_the_code_ranges() -> None:
    text = DESIGN.read_text(encoding="utf-8")
    for domain in BIOPSY_DOMAINS:
        if domain.max is not None:
            assert f"0–{domain.max:g}" in text, domain.id
