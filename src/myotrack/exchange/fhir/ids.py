"""Resource ids and references of the FHIR export.

Every resource id is a name-based UUID (version 3: MD5 of the resource's natural key, as
`uuid.uuid3` forms it), so the same cohort always gives the same ids: posting an export
again as a transaction Bundle (PUT) updates the same resources instead of adding copies,
and a de-identified export (whose keys are pseudonyms) shares no id with the identified
one. MD5 is used as a name hash here, not for security.

References are `urn:uuid:<id>` inside a Bundle and `<Type>/<id>` in NDJSON files (where
there is no Bundle to resolve a URN in); the import accepts both, and absolute URLs that
end in `<Type>/<id>`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Final, Literal

References = Literal["urn", "relative"]

_SEPARATOR: Final = "\x1f"  # never in a key part written by the cohort format


def resource_id(*key: str) -> str:
    """The id of the resource with this natural key (e.g. "Patient", patient_id)."""
    h = hashlib.md5(_SEPARATOR.join(key).encode("utf-8"), usedforsecurity=False).hexdigest()
    variant = "89ab"[int(h[16], 16) & 3]  # RFC 4122 variant bits 10xx
    return f"{h[:8]}-{h[8:12]}-3{h[13:16]}-{variant}{h[17:20]}-{h[20:32]}"


def referencer(style: References) -> Callable[[str, str], dict[str, str]]:
    """A function (resource type, id) -> the Reference element in this style."""
    if style == "urn":
        return lambda _rtype, rid: {"reference": f"urn:uuid:{rid}"}
    return lambda rtype, rid: {"reference": f"{rtype}/{rid}"}


def referenced_id(reference: str) -> str:
    """The id a reference points at: the part after `urn:uuid:` or after the last '/'."""
    if reference.startswith("urn:uuid:"):
        return reference[len("urn:uuid:") :]
    return reference.rsplit("/", 1)[-1]
