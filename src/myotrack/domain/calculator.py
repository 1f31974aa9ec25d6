"""The one shape every score, criterion and rule calculator has, so that the CLI
(`myotrack calc`), the web app and the exports can list, validate and run them alike."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel


@dataclass(frozen=True, slots=True)
class Calculator:
    name: str  # CLI name, e.g. "cmas", "eular_acr_2017"
    title: str  # what a clinician calls it
    version: str  # instrument/criteria version, e.g. "0-52", "2017"
    source: str  # author, journal, year
    kind: str  # "instrument", "criterion" or "therapy"
    input_model: type[BaseModel]
    # Takes a validated input model, returns JSON-ready output that includes at least
    # "name", "version", "source" and "assumptions" (a list of strings, may be empty).
    compute: Callable[[Any], Mapping[str, Any]]

    def input_schema(self) -> dict[str, Any]:
        return self.input_model.model_json_schema()
