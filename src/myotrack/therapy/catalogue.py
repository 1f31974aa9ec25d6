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
            "tofacitinib",
            JAK_INHIBITOR,
            "L04AF01",
            "L04AA29",
            "repos (old->new map) + WHOCC page L04AA29",
            "1357536",
            _RXNAV_TABLE,
        ),
        Drug(
            "ruxolitinib",
            JAK_INHIBITOR,
            "L01EJ01",
            "L01XE18",
            "Danish KIP FHIR ATC CodeSystem; repos",
            "1193326",
            _RXNAV_TABLE,
        ),
        Drug(
            "baricitinib",
            JAK_INHIBITOR,
            "L04AF02",
            "L04AA37",
            "repos; myhealthbox (L04AA37)",
            "2047232",
            _RXNAV_TABLE,
        ),
        Drug(
            "upadacitinib",
            JAK_INHIBITOR,
            "L04AF03",
            "L04AA44",
            "repos (SECONDARY, several ATC tables)",
            None,
            _UNVERIFIED,
        ),
        Drug(
            "filgotinib",
            JAK_INHIBITOR,
            "L04AF04",
            None,
            "repos (SECONDARY, several ATC tables)",
            None,
            _UNVERIFIED,
        ),
        Drug(
            "prednisolone",
            GLUCOCORTICOID,
            "H02AB06",
            None,
            "repos",
            "8638",
            "HL7 PDDI-CDS valueset-prednisolone.xml",
        ),
        Drug(
            "prednisone",
            GLUCOCORTICOID,
            "H02AB07",
            None,
            "repos (SECONDARY; two repos mislabel H02AB06 as prednisone)",
            "8640",
            "HL7 PDDI-CDS",
        ),
        Drug(
            "methylprednisolone",
            GLUCOCORTICOID,
            "H02AB04",
            None,
            "HAS transparency opinion (Solumedrol); repos",
            "6902",
            "HL7 PDDI-CDS",
        ),
        Drug(
            "dexamethasone",
            GLUCOCORTICOID,
            "H02AB02",
            None,
            "UNVERIFIED in the spec (commonly listed)",
            "3264",
            "HL7 PDDI-CDS",
        ),
        Drug(
            "hydrocortisone",
            GLUCOCORTICOID,
            "H02AB09",
            None,
            "UNVERIFIED in the spec (commonly listed)",
            "5492",
            "HL7 PDDI-CDS",
        ),
        Drug(
            "methotrexate",
            "csDMARD (antimetabolite)",
            "L04AX03",
            None,
            "repos (L01BA01 is the oncology code)",
            "6851",
            "CPIC drug.sql",
        ),
        Drug(
            "hydroxychloroquine", "antimalarial", "P01BA02", None, "repos", "5521", "CPIC drug.sql"
        ),
        Drug(
            "mycophenolate",
            "antimetabolite immunosuppressant",
            "L04AA06",
            None,
            "repos (mycophenolic acid incl. mycophenolate mofetil)",
            None,
            "UNVERIFIED for mycophenolate mofetil (CPIC lists mycophenolic acid = 7145)",
        ),
        Drug(
            "azathioprine",
            "antimetabolite immunosuppressant",
            "L04AX01",
            None,
            "repos; CPIC drug table with ATC",
            "1256",
            "CPIC drug.sql (one public repo wrongly uses 6387, lidocaine)",
        ),
        Drug(
            "ciclosporin",
            "calcineurin inhibitor",
            "L04AD01",
            None,
            "repos",
            "3008",
            "CPIC drug.sql (cyclosporine)",
        ),
        Drug(
            "tacrolimus",
            "calcineurin inhibitor",
            "L04AD02",
            None,
            "repos",
            "42316",
            "CPIC drug.sql",
        ),
        Drug(
            "cyclophosphamide",
            "alkylating agent",
            "L01AA01",
            None,
            "Danish KIP FHIR ATC CodeSystem",
            "3002",
            "CPIC drug.sql",
        ),
        Drug(
            "rituximab",
            "anti-CD20 monoclonal antibody",
            "L01FA01",
            "L01XC02",
            "Danish KIP FHIR ATC CodeSystem",
            "121191",
            "CPIC drug.sql",
        ),
        Drug(
            "ivig",
            "immunoglobulin (normal human, intravascular)",
            "J06BA02",
            None,
            "repos",
            None,
            _UNVERIFIED,
        ),
        Drug(
            "adalimumab",
            "TNF inhibitor",
            "L04AB04",
            None,
            "repos",
            "327361",
            "SECONDARY (one public RxCUI-keyed interaction table)",
        ),
        Drug(
            "infliximab",
            "TNF inhibitor",
            "L04AB02",
            None,
            "repos",
            "191831",
            "SECONDARY (one public RxCUI-keyed interaction table)",
        ),
        Drug(
            "cotrimoxazole",
            "antibiotic (sulfamethoxazole/trimethoprim)",
            "J01EE01",
            None,
            "repos",
            "10831",
            "CPIC drug.sql (multi-ingredient)",
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
