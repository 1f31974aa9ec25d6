"""Vaccinations (live or not — live vaccines matter in the weeks before a JAK inhibitor) and
pregnancy tests of adolescents.

Whether a vaccine is live is a property of the vaccine, kept in one table (`VACCINES`). The
list of live attenuated vaccines follows the general immunisation guidance (CDC/ACIP General
Best Practice Guidelines for Immunization, "Altered Immunocompetence"; UK Green Book
chapter 6): MMR, varicella, live zoster, yellow fever, BCG, rotavirus, live attenuated
influenza (nasal), oral polio, oral typhoid. Status UNVERIFIED here: these sources were not
retrieved in this session; each row says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

from myotrack.domain.partial_date import PartialDate
from myotrack.domain.record_vocab import PregnancyTestMethod, TestResult

Evidence = Literal["VERIFIED", "SECONDARY", "UNVERIFIED"]
VaccineCode = Literal[
    "mmr",
    "mmrv",
    "varicella",
    "zoster_live",
    "zoster_recombinant",
    "yellow_fever",
    "bcg",
    "rotavirus",
    "influenza_live",
    "influenza_inactivated",
    "polio_oral",
    "polio_inactivated",
    "typhoid_oral",
    "pneumococcal_conjugate",
    "pneumococcal_polysaccharide",
    "hepatitis_b",
    "hepatitis_a",
    "hpv",
    "dtap_ipv_hib",
    "meningococcal",
    "covid19",
]
LIVE_SOURCE: Final = (
    "CDC/ACIP General Best Practice Guidelines for Immunization (Altered Immunocompetence); "
    "UK Green Book ch. 6 — not retrieved in this session"
)


@dataclass(frozen=True, slots=True)
class Vaccine:
    code: VaccineCode
    label: str
    live: bool
    status: Evidence = "UNVERIFIED"
    source: str = LIVE_SOURCE


VACCINE_TABLE: Final[tuple[Vaccine, ...]] = (
    Vaccine(code="mmr", label="measles, mumps, rubella (MMR)", live=True),
    Vaccine(code="mmrv", label="measles, mumps, rubella, varicella (MMRV)", live=True),
    Vaccine(code="varicella", label="varicella (chickenpox)", live=True),
    Vaccine(code="zoster_live", label="herpes zoster, live", live=True),
    Vaccine(code="zoster_recombinant", label="herpes zoster, recombinant", live=False),
    Vaccine(code="yellow_fever", label="yellow fever", live=True),
    Vaccine(code="bcg", label="BCG (tuberculosis)", live=True),
    Vaccine(code="rotavirus", label="rotavirus (oral)", live=True),
    Vaccine(code="influenza_live", label="influenza, live attenuated (nasal)", live=True),
    Vaccine(code="influenza_inactivated", label="influenza, inactivated", live=False),
    Vaccine(code="polio_oral", label="polio, oral (OPV)", live=True),
    Vaccine(code="polio_inactivated", label="polio, inactivated (IPV)", live=False),
    Vaccine(code="typhoid_oral", label="typhoid, oral", live=True),
    Vaccine(code="pneumococcal_conjugate", label="pneumococcal conjugate", live=False),
    Vaccine(code="pneumococcal_polysaccharide", label="pneumococcal polysaccharide", live=False),
    Vaccine(code="hepatitis_b", label="hepatitis B", live=False),
    Vaccine(code="hepatitis_a", label="hepatitis A", live=False),
    Vaccine(code="hpv", label="human papillomavirus (HPV)", live=False),
    Vaccine(code="dtap_ipv_hib", label="diphtheria, tetanus, pertussis (combinations)", live=False),
    Vaccine(code="meningococcal", label="meningococcal", live=False),
    Vaccine(code="covid19", label="COVID-19 (mRNA or protein)", live=False),
)
VACCINES: Final[dict[str, Vaccine]] = {v.code: v for v in VACCINE_TABLE}


@dataclass(frozen=True, slots=True)
class Vaccination:
    patient_id: str
    date: PartialDate
    vaccine: VaccineCode
    dose_number: int | None = None
    free_text: str | None = None

    @property
    def live(self) -> bool:
        return VACCINES[self.vaccine].live


@dataclass(frozen=True, slots=True)
class PregnancyTest:
    """A pregnancy test; its date is always a whole date (a test result is dated exactly)."""

    patient_id: str
    date: date
    result: TestResult
    method: PregnancyTestMethod | None = None


def live_vaccines_within(
    vaccinations: tuple[Vaccination, ...], start: date, weeks: int
) -> tuple[Vaccination, ...]:
    """Live vaccinations that may fall in the `weeks` before `start` (or after it): a partial
    date counts when any day of its period is in that window, so an uncertain one is shown."""
    window_first = date.fromordinal(start.toordinal() - 7 * weeks)
    return tuple(v for v in vaccinations if v.live and v.date.latest() >= window_first)
