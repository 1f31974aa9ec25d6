"""User names that look alike: `demo` and `demо` (the last letter Cyrillic), `Nurse` and
`nurse`, `ｎｕｒｓｅ` (full width) and `nurse` must not name two accounts, or an admin
can be fooled into granting the wrong one.

Two names clash when their *skeletons* are equal. The skeleton follows Unicode
Technical Standard #39 ("Unicode Security Mechanisms", section 4, "Confusable
Detection"): the name is normalised (NFKC), case-folded, decomposed (NFD), and every
character is replaced by one representative of its class of look-alikes. The classes
come from the Unicode confusables data as shipped by the `confusable-homoglyphs`
package (confusables.json, from Unicode's confusables.txt); a class joins every
single-character look-alike pair transitively, so the check errs on refusing
(`l`, `1` and `I` are one class). Multi-character look-alikes (`rn` / `m`) are not
covered.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache

_MARKS = "\u200e\u200f"  # direction marks the data wraps right-to-left characters in


@lru_cache(maxsize=1)
def _representatives() -> dict[str, str]:
    from confusable_homoglyphs import confusables

    parent: dict[str, str] = {}

    def find(c: str) -> str:
        root = c
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(c, c) != root:  # path compression
            parent[c], c = root, parent[c]
        return root

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            # Prefer the ASCII (then the lowest) code point as the class's face.
            keep, drop = sorted((ra, rb), key=lambda ch: (not ch.isascii(), ord(ch)))
            parent[drop] = keep

    for char, glyphs in confusables.confusables_data.items():
        char = char.strip(_MARKS)
        if len(char) != 1:
            continue
        for glyph in glyphs:
            other = str(glyph["c"]).strip(_MARKS)
            if len(other) == 1:
                union(char, other)
    return {c: find(c) for c in parent}


def skeleton(name: str) -> str:
    """The name as it looks: equal skeletons mean names a reader cannot tell apart."""
    reps = _representatives()
    folded = unicodedata.normalize("NFKC", name).casefold()
    decomposed = unicodedata.normalize("NFD", folded)
    mapped = "".join(reps.get(c, c) for c in decomposed)
    return unicodedata.normalize("NFD", mapped)


def confusable_with(name: str, existing: Iterable[str]) -> str | None:
    """The first of `existing` that looks like `name` (but is not exactly it), or None."""
    wanted = skeleton(name)
    for other in existing:
        if other != name and skeleton(other) == wanted:
            return other
    return None


def unprintable(name: str) -> bool:
    """Whether the name holds invisible or control characters (format, control,
    unassigned, private use, separators other than the plain space)."""
    return any(
        unicodedata.category(c) in ("Cc", "Cf", "Cn", "Co", "Cs", "Zl", "Zp")
        or (unicodedata.category(c) == "Zs" and c != " ")
        for c in name
    )
