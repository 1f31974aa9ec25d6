"""The files of an OMOP export (light: the CLI reads this at start-up): one CSV per CDM
table, named after the table in capitals (`PERSON.csv`, `MEASUREMENT.csv`, …)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

LAYOUTS: Final = ("csv",)
PERSON_FILE: Final = "PERSON.csv"


def looks_like_omop(names: tuple[str, ...], _sample: Mapping[str, str]) -> bool:
    """Whether files are an OMOP export (myotrack does not import OMOP: the edge says so)."""
    return PERSON_FILE in names
