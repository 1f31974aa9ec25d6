"""Drug names as clinicians write them: one rule for every entry path.

A drug name is read the same way by the cohort reader, the web forms and the JSON API:

1. It is tidied: lower case, blanks collapsed, `_` read as a blank (an older web form
   stored `mometasone_furoate`), blanks around `/` removed, typographic dashes read as `-`.
2. A name of the catalogue, or one of its synonyms, becomes the catalogue's generic name:
   "Co-trimoxazole" and "trimethoprim/sulfamethoxazole" are stored as `cotrimoxazole`,
   "cyclosporine" as `ciclosporin`, "IVMP" as `methylprednisolone`.
3. Any other name is an "other drug": kept as tidied ("mometasone furoate",
   "ampicillin/sulbactam"), if it is made of letters, digits, blanks and `-/+.()'` and
   starts with a letter or digit (so it is safe in a spreadsheet) — and if it is not one
   or two letters away from a catalogue name, which is almost always a typing mistake
   ("ruxolitnib": did you mean ruxolitinib?).

The stored name is a fixed point (tidying it again gives itself), so whatever is stored
exports and re-imports unchanged. Synonyms are international non-proprietary names and
their usual national or abbreviated variants, no brand names; the therapy catalogue
(`myotrack.therapy.catalogue`) holds the codes, where verified.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Final

from myotrack.domain.vocab import JAK_INHIBITORS, KNOWN_DRUGS

# Every drug the catalogue knows (the cohort format's list, every JAK inhibitor, and the
# glucocorticoids of the conversion table).
CATALOGUED_DRUGS: Final[tuple[str, ...]] = tuple(
    dict.fromkeys((*KNOWN_DRUGS, *JAK_INHIBITORS, "dexamethasone", "hydrocortisone"))
)

# synonym as tidied -> catalogue name
SYNONYMS: Final[dict[str, str]] = {
    "co-trimoxazole": "cotrimoxazole",
    "trimethoprim/sulfamethoxazole": "cotrimoxazole",
    "sulfamethoxazole/trimethoprim": "cotrimoxazole",
    "trimethoprim-sulfamethoxazole": "cotrimoxazole",
    "sulfamethoxazole-trimethoprim": "cotrimoxazole",
    "tmp/smx": "cotrimoxazole",
    "tmp-smx": "cotrimoxazole",
    "cyclosporine": "ciclosporin",
    "cyclosporin": "ciclosporin",
    "ciclosporin a": "ciclosporin",
    "cyclosporin a": "ciclosporin",
    "mycophenolate mofetil": "mycophenolate",
    "mycophenolic acid": "mycophenolate",
    "mycophenolate sodium": "mycophenolate",
    "mmf": "mycophenolate",
    "intravenous immunoglobulin": "ivig",
    "iv immunoglobulin": "ivig",
    "ivmp": "methylprednisolone",
    "iv methylprednisolone": "methylprednisolone",
    "hcq": "hydroxychloroquine",
    "hydroxychloroquine sulfate": "hydroxychloroquine",
    "hydroxychloroquine sulphate": "hydroxychloroquine",
    "mtx": "methotrexate",
    "tofacitinib citrate": "tofacitinib",
    "ruxolitinib phosphate": "ruxolitinib",
}

MAX_LENGTH: Final = 60
OTHER_DRUG_NAME: Final = re.compile(r"[a-z0-9][a-z0-9 ./+()'-]*")
_DASHES: Final = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-"})
_AROUND_SLASH: Final = re.compile(r"\s*/\s*")


class DrugNameError(ValueError):
    """A drug name that cannot be stored; `suggestion` is the catalogue name it is
    probably a misspelling of."""

    rule = "drug_name"

    def __init__(self, message: str, suggestion: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.suggestion = suggestion


@dataclass(frozen=True, slots=True)
class DrugName:
    name: str  # what is stored
    known: bool  # in the catalogue (else an "other drug")
    written: str  # as given


def tidy(text: str) -> str:
    """Lower case, blanks collapsed, `_` as a blank, no blanks around `/`."""
    text = text.translate(_DASHES).replace("_", " ").lower()
    text = " ".join(text.split())
    return _AROUND_SLASH.sub("/", text)


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, stopping early once it exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def near_miss(name: str) -> str | None:
    """The catalogue name `name` is one or two letters away from (names of 6+ letters)."""
    if len(name) < 6:
        return None
    for known in (*CATALOGUED_DRUGS, *SYNONYMS):
        if len(known) >= 6 and 0 < _distance(name, known, 2) <= 2:
            return SYNONYMS.get(known, known)
    return None


@functools.lru_cache(maxsize=4096)
def resolve(text: str) -> DrugName:
    """The stored name of a drug as written, or DrugNameError (rule `drug_name`)."""
    name = tidy(text)
    if name in SYNONYMS:
        return DrugName(SYNONYMS[name], True, text)
    if name in CATALOGUED_DRUGS:
        return DrugName(name, True, text)
    if not name:
        raise DrugNameError("give the drug's generic name, e.g. 'ruxolitinib'")
    if len(name) > MAX_LENGTH:
        raise DrugNameError(f"a drug name has at most {MAX_LENGTH} characters")
    if not OTHER_DRUG_NAME.fullmatch(name):
        raise DrugNameError(
            f"'{text}' is not a drug name: use letters, digits, blanks and - / + . ( ) ' "
            "and start with a letter or digit"
        )
    suggestion = near_miss(name)
    if suggestion is not None:
        raise DrugNameError(
            f"'{text}' is not in the drug catalogue: did you mean {suggestion}?", suggestion
        )
    return DrugName(name, False, text)


def is_catalogued(name: str) -> bool:
    return name in CATALOGUED_DRUGS


__all__ = [
    "CATALOGUED_DRUGS",
    "SYNONYMS",
    "DrugName",
    "DrugNameError",
    "is_catalogued",
    "resolve",
    "tidy",
]
