"""The drug catalogue: every drug of the cohort format (`KNOWN_DRUGS`), every JAK inhibitor
of the case-series spec, and the glucocorticoids the conversion table knows, each with its
class, ATC code and RxNorm ingredient code where one was found — with its source.

Sources (shared/spec/criteria-therapy.md §9.3 unless stated):
* "HL7 PDDI-CDS": HL7 PDDI-CDS implementation guide value sets (valueset-*.xml).
* "CPIC drug.sql": cpicpgx/cpic-schema drug.sql (RxNorm ingredient codes; read 2026).
* "repos": the code seen in >= 2 independent public code repositories with the matching
  name (SECONDARY; ATC codes of JAK inhibitors moved to L04AF in 2024, WHOCC).
A code that could not be confirmed is None and its status says "UNVERIFIED". Confirm every
code against RxNav and the WHOCC ATC index before exchanging data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from myotrack.domain.drugs import DrugNameError, resolve
from myotrack.domain.vocab import JAK_INHIBITORS, KNOWN_DRUGS

JAK_INHIBITOR: Final = "JAK inhibitor"
GLUCOCORTICOID: Final = "glucocorticoid"


@dataclass(frozen=True, slots=True)
class Drug:
    name: str  # generic name as in treatments.csv
    drug_class: str
    atc: str | None
    atc_previous: str | None
    atc_source: str
    rxnorm: str | None  # RxNorm ingredient RXCUI
    rxnorm_source: str

    @property
    def is_jak_inhibitor(self) -> bool:
        return self.drug_class == JAK_INHIBITOR

    @property
    def is_glucocorticoid(self) -> bool:
        return self.drug_class == GLUCOCORTICOID


_UNVERIFIED: Final = "UNVERIFIED (not found in a verified source)"
# A public repository's table of RxNorm ingredients (term type IN), each row with its NLM
# RxNav properties URL; read 2026. One source: SECONDARY until checked on RxNav.
_RXNAV_TABLE: Final = "SECONDARY: public RxNorm ingredient table citing NLM RxNav (term type IN)"

CATALOGUE: Final[dict[str, Drug]] = {
    d.name: d
    for d in (
        Drug(
            name="tofacitinib",
            drug_class=JAK_INHIBITOR,
            atc="L04AF01",
            atc_previous="L04AA29",
            atc_source="repos (old->new map) + WHOCC page L04AA29",
            rxnorm="1357536",
            rxnorm_source=_RXNAV_TABLE,
        ),
        Drug(
            name="ruxolitinib",
            drug_class=JAK_INHIBITOR,
            atc="L01EJ01",
            atc_previous="L01XE18",
            atc_source="Danish KIP FHIR ATC CodeSystem; repos",
            rxnorm="1193326",
            rxnorm_source=_RXNAV_TABLE,
        ),
        Drug(
            name="baricitinib",
            drug_class=JAK_INHIBITOR,
            atc="L04AF02",
            atc_previous="L04AA37",
            atc_source="repos; myhealthbox (L04AA37)",
            rxnorm="2047232",
            rxnorm_source=_RXNAV_TABLE,
        ),
        Drug(
            name="upadacitinib",
            drug_class=JAK_INHIBITOR,
            atc="L04AF03",
            atc_previous="L04AA44",
            atc_source="repos (SECONDARY, several ATC tables)",
            rxnorm=None,
            rxnorm_source=_UNVERIFIED,
        ),
        Drug(
            name="filgotinib",
            drug_class=JAK_INHIBITOR,
            atc="L04AF04",
            atc_previous=None,
            atc_source="repos (SECONDARY, several ATC tables)",
            rxnorm=None,
            rxnorm_source=_UNVERIFIED,
        ),
        Drug(
            name="prednisolone",
            drug_class=GLUCOCORTICOID,
            atc="H02AB06",
            atc_previous=None,
            atc_source="repos",
            rxnorm="8638",
            rxnorm_source="HL7 PDDI-CDS valueset-prednisolone.xml",
        ),
        Drug(
            name="prednisone",
            drug_class=GLUCOCORTICOID,
            atc="H02AB07",
            atc_previous=None,
            atc_source="repos (SECONDARY; two repos mislabel H02AB06 as prednisone)",
            rxnorm="8640",
            rxnorm_source="HL7 PDDI-CDS",
        ),
        Drug(
            name="methylprednisolone",
            drug_class=GLUCOCORTICOID,
            atc="H02AB04",
            atc_previous=None,
            atc_source="HAS transparency opinion (Solumedrol); repos",
            rxnorm="6902",
            rxnorm_source="HL7 PDDI-CDS",
        ),
        Drug(
            name="dexamethasone",
            drug_class=GLUCOCORTICOID,
            atc="H02AB02",
            atc_previous=None,
            atc_source="UNVERIFIED in the spec (commonly listed)",
            rxnorm="3264",
            rxnorm_source="HL7 PDDI-CDS",
        ),
        Drug(
            name="hydrocortisone",
            drug_class=GLUCOCORTICOID,
            atc="H02AB09",
            atc_previous=None,
            atc_source="UNVERIFIED in the spec (commonly listed)",
            rxnorm="5492",
            rxnorm_source="HL7 PDDI-CDS",
        ),
        Drug(
            name="methotrexate",
            drug_class="csDMARD (antimetabolite)",
            atc="L04AX03",
            atc_previous=None,
            atc_source="repos (L01BA01 is the oncology code)",
            rxnorm="6851",
            rxnorm_source="CPIC drug.sql",
        ),
        Drug(
            name="hydroxychloroquine",
            drug_class="antimalarial",
            atc="P01BA02",
            atc_previous=None,
            atc_source="repos",
            rxnorm="5521",
            rxnorm_source="CPIC drug.sql",
        ),
        Drug(
            name="mycophenolate",
            drug_class="antimetabolite immunosuppressant",
            atc="L04AA06",
            atc_previous=None,
            atc_source="repos (mycophenolic acid incl. mycophenolate mofetil)",
            rxnorm=None,
            rxnorm_source=(
                "UNVERIFIED for mycophenolate mofetil (CPIC lists mycophenolic acid = 7145)"
            ),
        ),
        Drug(
            name="azathioprine",
            drug_class="antimetabolite immunosuppressant",
            atc="L04AX01",
            atc_previous=None,
            atc_source="repos; CPIC drug table with ATC",
            rxnorm="1256",
            rxnorm_source="CPIC drug.sql (one public repo wrongly uses 6387, lidocaine)",
        ),
        Drug(
            name="ciclosporin",
            drug_class="calcineurin inhibitor",
            atc="L04AD01",
            atc_previous=None,
            atc_source="repos",
            rxnorm="3008",
            rxnorm_source="CPIC drug.sql (cyclosporine)",
        ),
        Drug(
            name="tacrolimus",
            drug_class="calcineurin inhibitor",
            atc="L04AD02",
            atc_previous=None,
            atc_source="repos",
            rxnorm="42316",
            rxnorm_source="CPIC drug.sql",
        ),
        Drug(
            name="cyclophosphamide",
            drug_class="alkylating agent",
            atc="L01AA01",
            atc_previous=None,
            atc_source="Danish KIP FHIR ATC CodeSystem",
            rxnorm="3002",
            rxnorm_source="CPIC drug.sql",
        ),
        Drug(
            name="rituximab",
            drug_class="anti-CD20 monoclonal antibody",
            atc="L01FA01",
            atc_previous="L01XC02",
            atc_source="Danish KIP FHIR ATC CodeSystem",
            rxnorm="121191",
            rxnorm_source="CPIC drug.sql",
        ),
        Drug(
            name="ivig",
            drug_class="immunoglobulin (normal human, intravascular)",
            atc="J06BA02",
            atc_previous=None,
            atc_source="repos",
            rxnorm=None,
            rxnorm_source=_UNVERIFIED,
        ),
        Drug(
            name="adalimumab",
            drug_class="TNF inhibitor",
            atc="L04AB04",
            atc_previous=None,
            atc_source="repos",
            rxnorm="327361",
            rxnorm_source="SECONDARY (one public RxCUI-keyed interaction table)",
        ),
        Drug(
            name="infliximab",
            drug_class="TNF inhibitor",
            atc="L04AB02",
            atc_previous=None,
            atc_source="repos",
            rxnorm="191831",
            rxnorm_source="SECONDARY (one public RxCUI-keyed interaction table)",
        ),
        Drug(
            name="cotrimoxazole",
            drug_class="antibiotic (sulfamethoxazole/trimethoprim)",
            atc="J01EE01",
            atc_previous=None,
            atc_source="repos",
            rxnorm="10831",
            rxnorm_source="CPIC drug.sql (multi-ingredient)",
        ),
    )
}

# Every drug of the cohort format and every JAK inhibitor must be catalogued, and the
# catalogue holds exactly the names domain.drugs accepts as known (tested).
REQUIRED: Final = frozenset(KNOWN_DRUGS) | frozenset(JAK_INHIBITORS)


def lookup(name: str) -> Drug | None:
    """The catalogue entry of a drug as a clinician writes it (generic name or a synonym
    of domain.drugs, any case: "Co-trimoxazole" -> cotrimoxazole), or None."""
    try:
        return CATALOGUE.get(resolve(name).name)
    except DrugNameError:
        return None
