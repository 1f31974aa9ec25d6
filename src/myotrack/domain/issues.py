"""Validation problems as values with a place; the edges decide how to show them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ValidationIssue:
    file: str
    line: int | None
    field: str | None
    rule: str
    message: str

    def __str__(self) -> str:
        """`file:line: column: message`, the form the CLI prints."""
        place = self.file
        if self.line is not None:
            place += f":{self.line}"
        column = f" {self.field}:" if self.field else ""
        return f"{place}:{column} {self.message} [{self.rule}]"
