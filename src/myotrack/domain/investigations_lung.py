"""Lung investigations of the whole JDM record: chest HRCT, lung function, oxygen need and
bronchoalveolar lavage. Each is dated (a `PartialDate`: the month is enough when that is all
that is known), holds its result as structured fields, and keeps the report's own words in
`free_text` for what has no structured home.

Why these fields: interstitial lung disease is the organ involvement that changes treatment
in anti-MDA5 JDM (second seed paper; Sabbagh SE et al. Rheumatology 2021;60:829 for PJP risk),
and the issue asks for the CT pattern, extent and change, FVC and DLCO % predicted with the
reference equation, the oxygen need, and BAL cytology and organisms.
"""

from __future__ import annotations

from dataclasses import dataclass

from myotrack.domain.partial_date import PartialDate
from myotrack.domain.record_vocab import (
    BalCytology,
    DetectionMethod,
    HrctChange,
    HrctFinding,
    HrctPattern,
    LungFunctionNotDone,
    LungLobe,
    Organism,
    OxygenSupport,
    ReferenceEquation,
)


@dataclass(frozen=True, slots=True)
class ChestHrct:
    """Chest (high-resolution) CT. `extent_percent` is the radiologist's estimate of the
    lung volume affected (0-100), when given; `lobes` the lobes with changes; `change` the
    comparison with the previous study."""

    patient_id: str
    date: PartialDate
    findings: tuple[HrctFinding, ...] = ()
    pattern: HrctPattern | None = None
    extent_percent: float | None = None
    lobes: tuple[LungLobe, ...] = ()
    change: HrctChange | None = None
    high_resolution: bool | None = None  # False: conventional chest CT
    free_text: str | None = None


@dataclass(frozen=True, slots=True)
class LungFunction:
    """Spirometry and transfer factor as % predicted, with the reference equation that gives
    "predicted" (the same value differs between equations); or why it was not done (young
    children cannot perform it)."""

    patient_id: str
    date: PartialDate
    fvc_percent_predicted: float | None = None
    fev1_percent_predicted: float | None = None
    dlco_percent_predicted: float | None = None
    dlco_corrected_for_haemoglobin: bool | None = None
    tlc_percent_predicted: float | None = None
    reference_equation: ReferenceEquation | None = None
    not_done: LungFunctionNotDone | None = None
    free_text: str | None = None


@dataclass(frozen=True, slots=True)
class OxygenNeed:
    """The respiratory support on a date: none (room air) up to ECMO; the flow or FiO2 and
    the saturation when given. `support="supplemental_not_stated"` records "oxygen demand"
    when the report does not say how it was given."""

    patient_id: str
    date: PartialDate
    support: OxygenSupport
    flow_l_per_min: float | None = None
    fio2_percent: float | None = None
    spo2_percent: float | None = None
    spo2_on_room_air: bool | None = None
    free_text: str | None = None

    @property
    def needs_oxygen(self) -> bool:
        return self.support != "none"


@dataclass(frozen=True, slots=True)
class OrganismFinding:
    """An organism found (or `none_found`) and how."""

    organism: Organism
    method: DetectionMethod = "not_stated"


@dataclass(frozen=True, slots=True)
class BronchoalveolarLavage:
    """Bronchoscopy with lavage: the cell differential (predominant cell type and the
    lymphocyte share when counted) and the organisms found."""

    patient_id: str
    date: PartialDate
    cytology: BalCytology | None = None
    lymphocytes_percent: float | None = None
    neutrophils_percent: float | None = None
    organisms: tuple[OrganismFinding, ...] = ()
    free_text: str | None = None

    def found(self, organism: Organism) -> bool:
        return any(o.organism == organism for o in self.organisms)
