"""Muscle investigations of the whole JDM record: MRI, ultrasound and biopsy (with the JDM
muscle biopsy score where the pathologist gives it).

The biopsy score tool: Wedderburn LR, Varsani H, Li CK, et al. International consensus on a
proposed score system for muscle biopsy evaluation in patients with juvenile
dermatomyositis. Arthritis Rheum 2007;57:1192-1201 (four domains — inflammatory, vascular,
muscle fibre, connective tissue — and an overall 10 cm VAS, 0-10); validated in Varsani H,
Charman SC, Li CK, et al. Ann Rheum Dis 2015;74:204-210 (PMC4283618). The domain maxima below
are where a source was retrieved (see `BIOPSY_DOMAINS`); the others are UNVERIFIED and
checked only as "not negative".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from myotrack.domain.partial_date import PartialDate
from myotrack.domain.record_vocab import BiopsySite, Grade4, MuscleRegion, OedemaExtent

Evidence = Literal["VERIFIED", "SECONDARY", "UNVERIFIED"]


@dataclass(frozen=True, slots=True)
class MuscleMri:
    """Muscle MRI (T2/STIR): muscle oedema and its extent, fascial and subcutaneous oedema,
    fatty replacement and atrophy, and the regions imaged."""

    patient_id: str
    date: PartialDate
    regions: tuple[MuscleRegion, ...] = ()
    muscle_oedema: Grade4 | None = None
    oedema_extent: OedemaExtent | None = None
    fascial_oedema: bool | None = None
    subcutaneous_oedema: bool | None = None
    fatty_replacement: Grade4 | None = None
    atrophy: bool | None = None
    consistent_with_myositis: bool | None = None
    free_text: str | None = None


@dataclass(frozen=True, slots=True)
class MuscleUltrasound:
    """Muscle ultrasound: echogenicity, oedema pattern, atrophy, Doppler hyperaemia."""

    patient_id: str
    date: PartialDate
    regions: tuple[MuscleRegion, ...] = ()
    increased_echogenicity: bool | None = None
    oedema_pattern: bool | None = None
    atrophy: bool | None = None
    doppler_hyperaemia: bool | None = None
    consistent_with_myositis: bool | None = None
    free_text: str | None = None


@dataclass(frozen=True, slots=True)
class BiopsyDomain:
    """One domain of the JDM biopsy score tool, with its maximum where a source gives it."""

    id: str
    label: str
    max: float | None
    source: str
    status: Evidence


BIOPSY_DOMAINS: Final[tuple[BiopsyDomain, ...]] = (
    BiopsyDomain(
        id="inflammatory",
        label="inflammatory domain",
        # 6 items (CD3+ and CD68+ endomysial, perimysial, perivascular), each 0-2: max 12
        max=12,
        source="Wedderburn 2007 tool as summarised by medicalalgorithms.com (retrieved page)",
        status="SECONDARY",
    ),
    BiopsyDomain(
        id="vascular",
        label="vascular domain",
        # capillary dropout, arterial abnormality, infarction: number present, max 3
        max=3,
        source="Wedderburn 2007 tool as summarised by medicalalgorithms.com (retrieved page)",
        status="SECONDARY",
    ),
    BiopsyDomain(
        id="muscle_fibre",
        label="muscle fibre domain",
        max=None,
        source="Wedderburn LR et al. Arthritis Rheum 2007;57:1192 (maximum not retrieved)",
        status="UNVERIFIED",
    ),
    BiopsyDomain(
        id="connective_tissue",
        label="connective tissue domain",
        max=None,
        source="Wedderburn LR et al. Arthritis Rheum 2007;57:1192 (maximum not retrieved)",
        status="UNVERIFIED",
    ),
    BiopsyDomain(
        id="overall_vas",
        label="overall abnormality, 10 cm VAS",
        max=10,  # "a global abnormality measure using a 10-cm visual analog score (VAS 0-10)"
        source="Wedderburn LR et al. Arthritis Rheum 2007;57:1192 (abstract)",
        status="VERIFIED",
    ),
)
BIOPSY_DOMAIN_BY_ID: Final = {d.id: d for d in BIOPSY_DOMAINS}


@dataclass(frozen=True, slots=True)
class BiopsyScore:
    """The JDM biopsy score as the pathologist gives it: any domain may be absent."""

    inflammatory: float | None = None
    vascular: float | None = None
    muscle_fibre: float | None = None
    connective_tissue: float | None = None
    overall_vas: float | None = None
    tool_version: str = "Wedderburn 2007"

    def problems(self) -> tuple[str, ...]:
        """Values outside a domain's range, in words (empty when all fit)."""
        out: list[str] = []
        for domain in BIOPSY_DOMAINS:
            value = getattr(self, domain.id)
            if value is None:
                continue
            if value < 0:
                out.append(f"{domain.label}: {value:g} is below 0")
            elif domain.max is not None and value > domain.max:
                out.append(f"{domain.label}: {value:g} is above its maximum {domain.max:g}")
        return tuple(out)


@dataclass(frozen=True, slots=True)
class MuscleBiopsy:
    patient_id: str
    date: PartialDate
    site: BiopsySite | None = None
    consistent_with_jdm: bool | None = None
    perifascicular_atrophy: bool | None = None
    mhc_class_i_overexpression: bool | None = None
    score: BiopsyScore | None = None
    free_text: str | None = None
