"""The JAK-inhibitor products a child can actually be given, and a suggested dose rounded to
what they allow.

Products (each row cites where its strength was read):
* tofacitinib — Xeljanz 5 mg immediate-release tablet (US prescribing information section 3,
  "XELJANZ is provided as 5 mg tofacitinib ... tablets", 120ty.net label copy); Xeljanz
  1 mg/mL oral solution (US label pcJIA dosing "3.2 mL of the 1 mg/mL oral solution", empr.com
  and Pfizer medical information; criteria-therapy.md §4.3). Xeljanz XR 11 mg is not
  interchangeable with the oral solution (US label 2.1) and has no paediatric dose: not
  listed. A 10 mg tablet exists for ulcerative colitis in adults but its listing was not
  read: UNVERIFIED, off by default.
* baricitinib — Olumiant 1 mg, 2 mg and 4 mg film-coated tablets (EC community register SmPC
  18-Oct-2023; errata 2026-12 §8a); the EU leaflet allows dispersing tablets in 5-10 mL of
  water for children who cannot swallow them (errata §8a). No marketed oral solution (the
  JUVE-BASIS suspension was a trial product).
* ruxolitinib — Jakavi 5/10/15/20 mg tablets (EC community register SmPC 29-Apr-2022,
  anx_155500) and Jakafi 25 mg (US, openFDA NDC listing of Jakafi 5/10/15/20/25 mg);
  Jakavi 5 mg/mL oral solution (EMA SmPC 2025 as reproduced by rxreasoner: "10 mg/2 ml
  twice daily").

Rounding (LOCAL POLICY, named settings): tablets are given whole (no product above is known
to be scored for halving — UNVERIFIED, so `SPLIT_TABLETS` is off) in combinations of at most
`MAX_TABLETS_PER_DOSE`; oral solutions are measured in steps of `SOLUTION_STEP_ML`
(0.1 mL: the tofacitinib label itself doses 3.2 mL; the ruxolitinib syringe step is
UNVERIFIED); a suggestion is rounded DOWN to the nearest dose that can be given
(`ROUND_DOWN`), never above it, and the difference is shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from itertools import combinations_with_replacement
from typing import Any, Final, Literal

Form = Literal["tablet", "oral_solution"]

SOLUTION_STEP_ML: Final = Decimal("0.1")  # LOCAL POLICY / UNVERIFIED for ruxolitinib
MAX_TABLETS_PER_DOSE: Final = 3  # LOCAL POLICY
SPLIT_TABLETS: Final = False  # UNVERIFIED whether any JAK-inhibitor tablet is scored
ROUND_DOWN: Final = True  # LOCAL POLICY: never round a suggestion up

ASSUMPTIONS: Final = (
    "doses are rounded down to what the products allow: whole tablets (at most "
    f"{MAX_TABLETS_PER_DOSE} per dose; splitting UNVERIFIED, off), oral solutions in "
    f"{SOLUTION_STEP_ML} mL steps (ruxolitinib syringe step UNVERIFIED) — local policy",
)


@dataclass(frozen=True, slots=True)
class Formulation:
    drug: str
    form: Form
    strength_mg: float  # per tablet, or per mL of an oral solution
    name: str
    source: str
    status: str  # VERIFIED or UNVERIFIED
    enabled: bool = True  # UNVERIFIED products are listed but off by default
    note: str | None = None

    @property
    def strength_text(self) -> str:
        unit = "mg/mL" if self.form == "oral_solution" else "mg"
        return f"{self.strength_mg:g} {unit}"


_XELJANZ_TABLET: Final = "Xeljanz US prescribing information section 3 (120ty.net label copy)"
_XELJANZ_SOLUTION: Final = (
    "Xeljanz US prescribing information, pcJIA dosing (empr.com; Pfizer medical information)"
)
_OLUMIANT: Final = "Olumiant EU SmPC, EC community register 18-Oct-2023 (errata 2026-12 §8a)"
_JAKAVI: Final = "Jakavi EU SmPC, EC community register 29-Apr-2022 (anx_155500)"
_JAKAFI: Final = "Jakafi US NDC listing (openFDA): 5, 10, 15, 20, 25 mg tablets"
_JAKAVI_SOLUTION: Final = "Jakavi oral solution EU SmPC 2025 (rxreasoner reproduction of EMA text)"

FORMULATIONS: Final[tuple[Formulation, ...]] = (
    Formulation(
        drug="tofacitinib",
        form="tablet",
        strength_mg=5,
        name="Xeljanz 5 mg tablet",
        source=_XELJANZ_TABLET,
        status="VERIFIED",
    ),
    Formulation(
        drug="tofacitinib",
        form="tablet",
        strength_mg=10,
        name="Xeljanz 10 mg tablet",
        source="adult ulcerative colitis dosing; product listing not read",
        status="UNVERIFIED",
        enabled=False,
    ),
    Formulation(
        drug="tofacitinib",
        form="oral_solution",
        strength_mg=1,
        name="Xeljanz 1 mg/mL oral solution",
        source=_XELJANZ_SOLUTION,
        status="VERIFIED",
    ),
    *(
        Formulation(
            drug="baricitinib",
            form="tablet",
            strength_mg=s,
            name=f"Olumiant {s:g} mg tablet",
            source=_OLUMIANT,
            status="VERIFIED",
            note="may be dispersed in 5-10 mL of water (EU leaflet)",
        )
        for s in (1.0, 2.0, 4.0)
    ),
    *(
        Formulation(
            drug="ruxolitinib",
            form="tablet",
            strength_mg=s,
            name=f"Jakavi/Jakafi {s:g} mg tablet",
            source=_JAKAVI + "; " + _JAKAFI,
            status="VERIFIED",
        )
        for s in (5.0, 10.0, 15.0, 20.0)
    ),
    Formulation(
        drug="ruxolitinib",
        form="tablet",
        strength_mg=25,
        name="Jakafi 25 mg tablet (US)",
        source=_JAKAFI,
        status="VERIFIED",
    ),
    Formulation(
        drug="ruxolitinib",
        form="oral_solution",
        strength_mg=5,
        name="Jakavi 5 mg/mL oral solution",
        source=_JAKAVI_SOLUTION,
        status="VERIFIED",
    ),
)


@dataclass(frozen=True, slots=True)
class Givable:
    """A suggested dose as one form of the drug allows it (or why it cannot)."""

    drug: str
    form: Form
    products: tuple[str, ...]
    suggested_mg: float
    dose_mg: float | None  # None: this form cannot give the dose
    text: str
    source: str
    status: str

    @property
    def exact(self) -> bool:
        return self.dose_mg is not None and abs(self.dose_mg - self.suggested_mg) < 1e-9

    @property
    def difference_pct(self) -> float | None:
        if self.dose_mg is None or self.suggested_mg == 0:
            return None
        return round(100.0 * (self.dose_mg - self.suggested_mg) / self.suggested_mg, 1)

    def to_dict(self) -> dict[str, Any]:
        return {
            "drug": self.drug,
            "form": self.form,
            "products": list(self.products),
            "suggested_mg": self.suggested_mg,
            "dose_mg": self.dose_mg,
            "exact": self.exact,
            "difference_pct": self.difference_pct,
            "text": self.text,
            "source": self.source,
            "status": self.status,
        }


def available(drug: str) -> tuple[Formulation, ...]:
    return tuple(f for f in FORMULATIONS if f.drug == drug and f.enabled)


def _tablets(drug: str, dose_mg: float, tablets: tuple[Formulation, ...]) -> Givable:
    strengths = sorted({t.strength_mg for t in tablets})
    best: tuple[float, tuple[float, ...]] | None = None
    for n in range(1, MAX_TABLETS_PER_DOSE + 1):
        for combo in combinations_with_replacement(strengths, n):
            total = sum(combo)
            if total > dose_mg + 1e-9:
                continue
            if (
                best is None
                or total > best[0] + 1e-9
                or (abs(total - best[0]) < 1e-9 and len(combo) < len(best[1]))
            ):
                best = (total, combo)
    names = tuple(t.name for t in tablets)
    source = "; ".join(sorted({t.source for t in tablets}))
    status = "VERIFIED" if all(t.status == "VERIFIED" for t in tablets) else "UNVERIFIED"
    if best is None:
        return Givable(
            drug=drug,
            form="tablet",
            products=names,
            suggested_mg=dose_mg,
            dose_mg=None,
            text=f"cannot be given as tablets: the smallest tablet is {strengths[0]:g} mg",
            source=source,
            status=status,
        )
    total, combo = best
    parts = " + ".join(f"{s:g} mg" for s in combo)
    word = "tablet" if len(combo) == 1 else "tablets"
    text = f"{total:g} mg as {len(combo)} {word} ({parts})"
    return Givable(
        drug=drug,
        form="tablet",
        products=names,
        suggested_mg=dose_mg,
        dose_mg=total,
        text=text,
        source=source,
        status=status,
    )


def _solution(drug: str, dose_mg: float, solution: Formulation) -> Givable:
    per_ml = Decimal(repr(solution.strength_mg))
    volume = (Decimal(repr(dose_mg)) / per_ml / SOLUTION_STEP_ML).to_integral_value(
        rounding=ROUND_FLOOR
    ) * SOLUTION_STEP_ML
    mg = float(volume * per_ml)
    if volume <= 0:
        return Givable(
            drug=drug,
            form="oral_solution",
            products=(solution.name,),
            suggested_mg=dose_mg,
            dose_mg=None,
            text=f"below the smallest measurable volume ({SOLUTION_STEP_ML} mL)",
            source=solution.source,
            status=solution.status,
        )
    return Givable(
        drug=drug,
        form="oral_solution",
        products=(solution.name,),
        suggested_mg=dose_mg,
        dose_mg=mg,
        text=f"{mg:g} mg = {volume.normalize():f} mL of the {solution.strength_text} oral solution",
        source=solution.source,
        status=solution.status,
    )


def givable(drug: str, dose_mg: float) -> tuple[Givable, ...]:
    """The suggested `dose_mg` (per administration) as each available form of `drug` allows
    it, rounded down: one entry for tablets, one per oral solution."""
    forms = available(drug)
    out: list[Givable] = []
    tablets = tuple(f for f in forms if f.form == "tablet")
    if tablets:
        out.append(_tablets(drug, dose_mg, tablets))
    out.extend(_solution(drug, dose_mg, f) for f in forms if f.form == "oral_solution")
    return tuple(out)
