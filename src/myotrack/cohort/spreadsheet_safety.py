"""Text cells that a spreadsheet cannot mistake for a formula (CSV formula injection).

A spreadsheet opening a CSV treats a cell beginning with `=`, `+`, `-` or `@` as a formula
(and some treat a leading tab or carriage return the same way once the cell is edited),
so a detail typed as `=HYPERLINK(...)` could run when a clinician opens an export. The
OWASP advice is to prefix such cells with a single quote, which spreadsheets show as
text and hide (https://owasp.org/www-community/attacks/CSV_Injection).

The scheme, a bijection on text so that every export reads back exactly:
- `escape(text)`: text starting with one of `= + - @ TAB CR` or with the escape
  character `'` itself gets one `'` in front; any other text is unchanged;
- `unescape(text)`: text starting with `'` loses that first character; any other text is
  unchanged.
So `unescape(escape(t)) == t` for every text t, and `escape` is injective: an escaped cell
always starts with `'`, an unescaped one never does.

Only text is escaped: numbers (negative ones included), dates and yes/no are written as
they are, so a numeric column stays numeric in the spreadsheet.

Every CSV myotrack writes passes its text cells through `escape` (the cohort folder
writer; the worklist and the report supplement can call `escape_row`), and the cohort
reader passes every cell through `unescape_row`.
"""

from __future__ import annotations

from collections.abc import Iterable

ESCAPE = "'"
# Characters that make a spreadsheet read a cell as a formula (OWASP CSV injection list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NEEDS_ESCAPE = (*FORMULA_STARTS, ESCAPE)
_ESCAPED_CELL = "\x00" + ESCAPE  # an escaped cell after the first, in a NUL-joined row


def escape(text: str) -> str:
    """The cell text to write for `text` (see the module docstring)."""
    return ESCAPE + text if text.startswith(_NEEDS_ESCAPE) else text


def unescape(text: str) -> str:
    """The text a written cell stands for: the inverse of `escape`."""
    return text[1:] if text.startswith(ESCAPE) else text


def escape_row(values: Iterable[object]) -> list[object]:
    """A row for `csv.writer`: text values escaped, every other value as it is (numbers
    stay numbers)."""
    return [escape(v) if isinstance(v, str) else v for v in values]


def unescape_row(cells: list[str]) -> list[str]:
    """A row as read by `csv.reader` with every cell unescaped. Rows without an escaped
    cell (nearly all) are returned as they are, found with one C-level search."""
    joined = "\x00".join(cells)
    if not joined.startswith(ESCAPE) and _ESCAPED_CELL not in joined:
        return cells
    return [unescape(c) for c in cells]


__all__ = ["ESCAPE", "FORMULA_STARTS", "escape", "escape_row", "unescape", "unescape_row"]
