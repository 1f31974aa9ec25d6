"""Every instrument definition, by name. One module per instrument; this table is what the
engine, the `myotrack calc` command and the web forms read."""

from __future__ import annotations

from myotrack.instruments.definitions.catbm import CATBM
from myotrack.instruments.definitions.cdasi import CDASI, CDASI_GOTTRON_PRESUMMED
from myotrack.instruments.definitions.chaq import CHAQ
from myotrack.instruments.definitions.cmas import CMAS, CMAS9, CMAS_0_51
from myotrack.instruments.definitions.das import DAS
from myotrack.instruments.definitions.globals_ import GLOBALS
from myotrack.instruments.definitions.mdi import MDI
from myotrack.instruments.definitions.mmt8 import MMT8, MMT8_BILATERAL
from myotrack.instruments.definitions.myoact import MYOACT
from myotrack.instruments.model import InstrumentDefinition

DEFINITIONS: dict[str, InstrumentDefinition] = {
    d.name: d
    for d in (
        CMAS,
        CMAS_0_51,
        CMAS9,
        MMT8,
        MMT8_BILATERAL,
        CATBM,
        CDASI,
        CDASI_GOTTRON_PRESUMMED,
        DAS,
        MYOACT,
        CHAQ,
        GLOBALS,
        MDI,
    )
}

# Options that select another definition: name -> (option, {value: definition name}).
VARIANTS: dict[str, tuple[str, dict[str, str]]] = {
    "cmas": ("version", {"0-52": "cmas", "0-51": "cmas_0_51"}),
    "cmas_0_51": ("version", {"0-52": "cmas", "0-51": "cmas_0_51"}),
    "mmt8": ("laterality", {"unilateral": "mmt8", "bilateral": "mmt8_bilateral"}),
    "mmt8_bilateral": ("laterality", {"unilateral": "mmt8", "bilateral": "mmt8_bilateral"}),
    # CDASI stored before the December 2026 errata (Gottron's hands pre-summed): readable only.
    "cdasi": ("version", {"v2": "cdasi", "v2-gottron-presummed": "cdasi_gottron_presummed"}),
    "cdasi_gottron_presummed": (
        "version",
        {"v2": "cdasi", "v2-gottron-presummed": "cdasi_gottron_presummed"},
    ),
}

# The item-level instruments the visit form offers (default variant of each). The MDI fills
# no visit column: it is stored as an item-level assessment only (web/forms.py offers it).
INSTRUMENTS: dict[str, InstrumentDefinition] = {
    d.name: d for d in (CMAS, MMT8, MMT8_BILATERAL, CATBM, CDASI, DAS, MYOACT, CHAQ, GLOBALS, MDI)
}

__all__ = ["DEFINITIONS", "INSTRUMENTS", "VARIANTS"]
