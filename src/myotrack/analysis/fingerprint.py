"""A fingerprint of a cohort: the SHA-256 of a normalised, order-independent serialisation.

Every row of every table becomes one canonical JSON line (keys sorted, dates ISO 8601,
numbers as the shortest repr of their float value, mappings sorted, None as null) tagged
with its table; the lines are sorted, so the same data in any row order give the same fingerprint.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from datetime import date
from typing import Any

from myotrack.domain.model import Cohort


def _normalise(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return repr(float(value))  # exact; 5 and 5.0 (folder vs database) are one value
    if isinstance(value, Mapping):
        return {str(k): _normalise(v) for k, v in sorted(value.items())}
    if isinstance(value, tuple | list):
        return [_normalise(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _normalise(getattr(value, f.name)) for f in fields(value)}
    return value


def cohort_fingerprint(cohort: Cohort) -> str:
    """Hex SHA-256 of the cohort's normalised rows and cut-off date."""
    lines: list[str] = []
    for table in ("patients", "visits", "labs", "courses", "events", "assessments"):
        for row in getattr(cohort, table):
            lines.append(
                json.dumps(
                    [table, _normalise(row)],
                    sort_keys=True,
                    ensure_ascii=False,
                    separators=(",", ":"),
                )
            )
    lines.sort()
    digest = hashlib.sha256()
    digest.update(json.dumps(["cutoff_date", _normalise(cohort.cutoff_date)]).encode())
    for line in lines:
        digest.update(b"\n")
        digest.update(line.encode("utf-8"))
    return digest.hexdigest()
