"""Laboratory units: the accepted spellings and the conversion to the canonical unit.

Catalytic activity: 1 katal = 1 mol/s and 1 U = 1 µmol/min, so
1 µkat/L = 1 µmol/s/L = 60 µmol/min/L = 60 U/L.
Source: IFCC/IUPAC definition of the katal (Dybkaer R, Clin Chem Lab Med 2001;39:1216);
also shared/spec/criteria-therapy.md §8.1 (VERIFIED).
Haemoglobin: 1 g/dL = 10 g/L (definition of the decilitre).
Lipids: mmol/L ↔ mg/dL with molar masses — cholesterol 386.65 g/mol (×38.67),
triglycerides ×88.57 (the conventional factor 0.01129 mmol/L per mg/dL, close to
triolein 885.4 g/mol, which alone would give ×88.54); these are the factors used by
clinical chemistry (e.g. Rifai N, Tietz Textbook of Clinical Chemistry, 2018).
Creatinine: molar mass 113.12 g/mol (PubChem CID 588, C4H7N3O), so 1 mg/dL = 10 mg/L
= 10/113.12 mmol/L = 88.40 µmol/L; the conventional factor 88.4 is the one of the KDIGO 2012
CKD guideline's conversion table (Kidney Int Suppl 2013;3:1-150) and is used here.
eGFR: mL/min/1.73 m² (body-surface-normalised clearance); one unit, no conversion.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Final

KATAL_PER_UL: Final = Decimal(60)  # 1 µkat/L = 60 U/L (1 U = 1 µmol/min)

# A tuple, not a set: the order of accepted spellings is the same on every run.
_MICROKATAL_SPELLINGS: Final = (
    "ukat/L",
    "µkat/L",
    "μkat/L",
    "umol/(s*L)",
    "µmol/(s*L)",
    "μmol/(s*L)",
)

# analyte group -> (canonical unit, {accepted unit spelling: factor to canonical})
_ENZYME = ("U/L", {"U/L": Decimal(1), **{s: KATAL_PER_UL for s in _MICROKATAL_SPELLINGS}})
_COUNTS = ("10^9/L", {"10^9/L": Decimal(1)})
_CHOLESTEROL = ("mmol/L", {"mmol/L": Decimal(1), "mg/dL": Decimal(1) / Decimal("38.67")})
_TRIGLYCERIDES = ("mmol/L", {"mmol/L": Decimal(1), "mg/dL": Decimal(1) / Decimal("88.57")})
# 1 mg/dL creatinine = 88.4 µmol/L (molar mass 113.12 g/mol; KDIGO 2012 conversion table).
CREATININE_UMOL_PER_MG_DL: Final = Decimal("88.4")
_CREATININE = (
    "umol/L",
    {
        "umol/L": Decimal(1),
        "µmol/L": Decimal(1),
        "μmol/L": Decimal(1),
        "mg/dL": CREATININE_UMOL_PER_MG_DL,
    },
)
_EGFR = (
    "mL/min/1.73m2",
    {
        "mL/min/1.73m2": Decimal(1),
        "mL/min/1.73m²": Decimal(1),
        "mL/min/1.73 m2": Decimal(1),
        "mL/min/1.73 m²": Decimal(1),
    },
)

UNITS: Final[dict[str, tuple[str, dict[str, Decimal]]]] = {
    "CK": _ENZYME,
    "LDH": _ENZYME,
    "AST": _ENZYME,
    "ALT": _ENZYME,
    "aldolase": _ENZYME,
    "lymphocytes": _COUNTS,
    "neutrophils": _COUNTS,
    "platelets": _COUNTS,
    "hemoglobin": ("g/dL", {"g/dL": Decimal(1), "g/L": Decimal("0.1")}),
    "total_cholesterol": _CHOLESTEROL,
    "LDL": _CHOLESTEROL,
    "triglycerides": _TRIGLYCERIDES,
    "CRP": ("mg/L", {"mg/L": Decimal(1)}),
    "ESR": ("mm/h", {"mm/h": Decimal(1)}),
    "ferritin": ("ug/L", {"ug/L": Decimal(1), "µg/L": Decimal(1), "ng/mL": Decimal(1)}),
    "KL6": ("U/mL", {"U/mL": Decimal(1)}),
    "IFN_score": ("score", {"score": Decimal(1)}),
    "creatinine": _CREATININE,
    "eGFR": _EGFR,
}

# Which units are converted on import (the rest are stored as given, already canonical
# for their analyte, or one of its accepted alternatives).
CONVERTED_ON_IMPORT: Final = frozenset(_MICROKATAL_SPELLINGS)


# Alternative spellings of one unit (accepted on input, never offered twice in a picker):
# spelling -> the spelling offered. A unit not listed here is offered as written.
ALIASES: Final[dict[str, str]] = {
    **{s: "µkat/L" for s in _MICROKATAL_SPELLINGS},
    "ug/L": "µg/L",
    "umol/L": "µmol/L",
    "μmol/L": "µmol/L",
    "mL/min/1.73m2": "mL/min/1.73m²",
    "mL/min/1.73 m2": "mL/min/1.73m²",
    "mL/min/1.73 m²": "mL/min/1.73m²",
}


def accepted_units(analyte: str) -> tuple[str, ...]:
    """Unit spellings accepted for a quantitative analyte."""
    return tuple(UNITS[analyte][1])


def unit_choices(analyte: str) -> tuple[str, ...]:
    """The units a picker offers for an analyte: each unit once, in one spelling (the
    other spellings in `ALIASES` are still accepted when typed or imported)."""
    out: list[str] = []
    for spelling in UNITS[analyte][1]:
        shown = ALIASES.get(spelling, spelling)
        if shown not in out:
            out.append(shown)
    return tuple(out)


def canonical_unit(analyte: str) -> str:
    return UNITS[analyte][0]


def to_canonical(analyte: str, value: float, unit: str) -> float:
    """Convert a value in an accepted unit to the analyte's canonical unit.

    Raises KeyError for an analyte or unit not in the table.
    """
    factor = UNITS[analyte][1][unit]
    if factor == 1:
        return value
    return float(Decimal(repr(value)) * factor)


def import_conversion(analyte: str, value: float, unit: str) -> tuple[float, str]:
    """What the importer stores: µkat/L enzymes become U/L (rounded to 1e-6 U/L, as the
    case-series spec requires); every other accepted unit is kept as given."""
    if unit in CONVERTED_ON_IMPORT:
        converted = Decimal(repr(value)) * KATAL_PER_UL
        return float(round(converted, 6)), "U/L"
    return value, unit
