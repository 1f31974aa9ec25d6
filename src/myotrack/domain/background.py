"""The patient's background: ethnicity and race, family history of autoimmune disease, the
clinical subtype of the disease, the antinuclear antibody with titre and pattern, and each
myositis antibody test with its method and date.

Ethnicity and race follow IMACS Form 01A (see `domain.record_vocab`); whether a recorded race
is one of the Pneumocystis risk factors is decided in `therapy.pjp` (Sabbagh 2021 reports
"Asian" ancestry; the IMACS category "Asian or Asian American, Pacific Islander" is wider and
the decision support says so).
"""

from __future__ import annotations

from dataclasses import dataclass

from myotrack.domain.partial_date import PartialDate
from myotrack.domain.record_vocab import (
    AnaPattern,
    AntibodyMethod,
    AntibodyResult,
    DiseaseSubtype,
    Ethnicity,
    FamilyCondition,
    Race,
    Relative,
)


@dataclass(frozen=True, slots=True)
class FamilyHistory:
    relative: Relative
    condition: FamilyCondition
    free_text: str | None = None


@dataclass(frozen=True, slots=True)
class AnaResult:
    """Antinuclear antibodies: positive/negative, the titre as its denominator (1:160 -> 160)
    and the immunofluorescence pattern."""

    date: PartialDate
    result: AntibodyResult
    titre: int | None = None
    pattern: AnaPattern | None = None
    method: AntibodyMethod = "indirect_immunofluorescence"

    @property
    def titre_text(self) -> str | None:
        return None if self.titre is None else f"1:{self.titre}"


@dataclass(frozen=True, slots=True)
class AntibodyTest:
    """One myositis-specific or -associated antibody test (codes of `vocab.ANTIBODIES`)."""

    date: PartialDate
    antibody: str
    result: AntibodyResult
    method: AntibodyMethod = "not_stated"
    laboratory: str | None = None


@dataclass(frozen=True, slots=True)
class PatientBackground:
    """Baseline facts of one patient that version 1 has no field for."""

    patient_id: str
    onset: PartialDate | None = None  # first symptom, as precisely as known
    diagnosed: PartialDate | None = None
    ethnicity: Ethnicity | None = None
    race: tuple[Race, ...] = ()
    family_history: tuple[FamilyHistory, ...] = ()
    family_history_none: bool = False  # "no family history of autoimmunity" stated
    subtype: DiseaseSubtype | None = None
    ana: tuple[AnaResult, ...] = ()
    antibody_tests: tuple[AntibodyTest, ...] = ()
    first_specialist_contact: PartialDate | None = None
    consent_to_contact: bool | None = None  # ERDRI-CDS element 12
    consent_to_reuse: bool | None = None  # ERDRI-CDS element 13
    free_text: str | None = None

    def positive_antibodies(self) -> tuple[str, ...]:
        """The antibodies with a positive test, in test order, each once."""
        return tuple(
            dict.fromkeys(t.antibody for t in self.antibody_tests if t.result == "positive")
        )
