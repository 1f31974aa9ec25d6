"""The CARE case-report checklist as data, and what a draft from the registry fills.

Source: Gagnier JJ, Kienle G, Altman DG, Moher D, Sox H, Riley D; the CARE Group. The
CARE guidelines: consensus-based clinical case reporting guideline development. Glob Adv
Health Med 2013;2(5):38–43 (also J Med Case Rep 2013;7:223, doi:10.1186/1752-1947-7-223),
and the 2013 CARE checklist (care-statement.org): 13 topics, items 1–13 with sub-items.
The item texts below are short paraphrases, not the checklist's wording; the numbering is
the checklist's.

Each item says what the draft does with it: `filled` (the record gives it, the section
named), `partly` (the record gives facts, the authors must add what only they know) or
`authors` (nothing in the record can give it: the authors must write it). Adding an item
or changing who fills it is a row here, not a branch in the renderer.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Final, Literal

CareStatus = Literal["filled", "partly", "authors"]
CARE_SOURCE: Final = (
    "Gagnier JJ, Kienle G, Altman DG, Moher D, Sox H, Riley D; the CARE Group. The CARE "
    "guidelines: consensus-based clinical case reporting guideline development. "
    "Glob Adv Health Med 2013;2(5):38–43."
)
STATUS_WORDS: Final[dict[CareStatus, str]] = {
    "filled": "filled from the record",
    "partly": "partly filled: authors complete",
    "authors": "authors must write",
}


@dataclass(frozen=True, slots=True)
class CareItem:
    number: str  # the checklist's numbering: "5a", "10d"
    topic: str
    item: str  # what the checklist asks for (paraphrased)
    status: CareStatus
    draft: str  # where the draft fills it, or what the authors must add


CARE_ITEMS: Final[tuple[CareItem, ...]] = (
    CareItem(
        number="1",
        topic="Title",
        item="Area of focus and the words 'case report'",
        status="partly",
        draft="A working title from diagnosis, antibodies and the JAK inhibitor; authors word it.",
    ),
    CareItem(
        number="2",
        topic="Key words",
        item="Two to five key words",
        status="authors",
        draft="Choose the key words (e.g. the diagnosis, the antibody, the drug).",
    ),
    CareItem(
        number="3a–d",
        topic="Abstract",
        item="What is unique; main symptoms and findings; diagnoses, interventions, "
        "outcomes; take-away lessons",
        status="authors",
        draft="Write the abstract from the sections below.",
    ),
    CareItem(
        number="4",
        topic="Introduction",
        item="Why the case is unique, with references",
        status="authors",
        draft="Write the introduction and its references.",
    ),
    CareItem(
        number="5a",
        topic="Patient information",
        item="De-identified demographics and other patient-specific information",
        status="filled",
        draft="Patient information: sex, ages (no birth date), diagnosis, antibodies, features.",
    ),
    CareItem(
        number="5b",
        topic="Patient information",
        item="Main concerns and symptoms",
        status="partly",
        draft="Rash and weakness at the first visit are listed; the family's concerns and "
        "the symptoms' history must be written.",
    ),
    CareItem(
        number="5c",
        topic="Patient information",
        item="Medical, family and psychosocial history, relevant genetics",
        status="authors",
        draft="Not in the registry: write the history, family history and any genetics.",
    ),
    CareItem(
        number="5d",
        topic="Patient information",
        item="Relevant past interventions and their outcomes",
        status="partly",
        draft="Treatments started before the JAK inhibitor are in the interventions table "
        "with their stop reasons; their effect must be described.",
    ),
    CareItem(
        number="6",
        topic="Clinical findings",
        item="Relevant physical examination and other findings",
        status="partly",
        draft="Scores of the first visit (CMAS, CDASI, global ratings) are given; describe "
        "the examination in words.",
    ),
    CareItem(
        number="7",
        topic="Timeline",
        item="Timeline of the history and this episode of care (figure or table)",
        status="filled",
        draft="Figure 1 (drugs, doses, CMAS and the interferon score) and the timeline table.",
    ),
    CareItem(
        number="8a",
        topic="Diagnostic assessment",
        item="Diagnostic methods (examination, laboratory, imaging)",
        status="filled",
        draft="Laboratory values as reported, antibodies, investigations and images.",
    ),
    CareItem(
        number="8b",
        topic="Diagnostic assessment",
        item="Diagnostic challenges",
        status="authors",
        draft="Describe what made the diagnosis difficult.",
    ),
    CareItem(
        number="8c",
        topic="Diagnostic assessment",
        item="Diagnostic reasoning, differential diagnosis",
        status="authors",
        draft="Describe the reasoning and the diagnoses considered.",
    ),
    CareItem(
        number="8d",
        topic="Diagnostic assessment",
        item="Prognostic characteristics where applicable",
        status="partly",
        draft="Antibodies and recorded features (e.g. ILD) are listed; their prognostic "
        "meaning must be discussed.",
    ),
    CareItem(
        number="9a",
        topic="Therapeutic intervention",
        item="Types of intervention",
        status="filled",
        draft="Interventions table: every drug course.",
    ),
    CareItem(
        number="9b",
        topic="Therapeutic intervention",
        item="Administration: dosage, strength, duration",
        status="filled",
        draft="Interventions table: dose, unit, frequency, route, start, end, weeks.",
    ),
    CareItem(
        number="9c",
        topic="Therapeutic intervention",
        item="Changes in intervention, with rationale",
        status="partly",
        draft="Dose changes and stop reasons are listed; the rationale must be written.",
    ),
    CareItem(
        number="10a",
        topic="Follow-up and outcomes",
        item="Clinician- and patient-assessed outcomes",
        status="filled",
        draft="Outcomes table: scores at the JAK-inhibitor start and at the last visit; "
        "dated outcome events.",
    ),
    CareItem(
        number="10b",
        topic="Follow-up and outcomes",
        item="Important follow-up test results",
        status="filled",
        draft="Laboratory table over time (interferon score included), follow-up images.",
    ),
    CareItem(
        number="10c",
        topic="Follow-up and outcomes",
        item="Adherence and tolerability, and how they were assessed",
        status="authors",
        draft="Not in the registry: describe adherence and how it was assessed.",
    ),
    CareItem(
        number="10d",
        topic="Follow-up and outcomes",
        item="Adverse and unanticipated events",
        status="partly",
        draft="Recorded events (infections, thromboses, ...) are listed; say whether there "
        "were others and how they were looked for.",
    ),
    CareItem(
        number="11",
        topic="Discussion",
        item="Strengths and limitations, literature, rationale for conclusions, lessons",
        status="authors",
        draft="Write the discussion.",
    ),
    CareItem(
        number="12",
        topic="Patient perspective",
        item="The patient's (or family's) perspective on the treatment",
        status="authors",
        draft="Ask the family and write their perspective, if they wish to share it.",
    ),
    CareItem(
        number="13",
        topic="Informed consent",
        item="Informed consent of the patient (or family)",
        status="partly",
        draft="The registry records publication consent per image; written consent to "
        "publish the case report itself must be obtained and stated.",
    ),
)


# Items the record fills further when it holds certain facts (cohort format version 2):
# item number -> (the fact, the status and the draft text then).
WHEN_RECORDED: Final[dict[str, tuple[str, CareStatus, str]]] = {
    "5c": (
        "family_history",
        "partly",
        "The family history the record holds is in Table 1; the authors write the medical "
        "and psychosocial history and any genetics.",
    ),
}


def care_items(recorded: frozenset[str] = frozenset()) -> tuple[CareItem, ...]:
    """The checklist for a record holding the facts named in `recorded` (e.g.
    'family_history'): the items of `WHEN_RECORDED` whose fact is there take its status."""
    out = []
    for item in CARE_ITEMS:
        upgrade = WHEN_RECORDED.get(item.number)
        if upgrade is not None and upgrade[0] in recorded:
            item = CareItem(item.number, item.topic, item.item, upgrade[1], upgrade[2])
        out.append(item)
    return tuple(out)


def to_write_text(care: tuple[CareItem, ...]) -> str:
    """The items of `care` the authors must write, in one line: '2 (key words), 8b
    (diagnostic challenges), ...' (the topic, or the item where a topic has several)."""
    topics = Counter(i.topic for i in care)
    return ", ".join(
        f"{i.number} ({(i.topic if topics[i.topic] == 1 else i.item).lower()})"
        for i in care
        if i.status == "authors"
    )


def items_with(status: CareStatus) -> tuple[CareItem, ...]:
    return tuple(i for i in CARE_ITEMS if i.status == status)


__all__ = [
    "CARE_ITEMS",
    "CARE_SOURCE",
    "STATUS_WORDS",
    "WHEN_RECORDED",
    "CareItem",
    "CareStatus",
    "care_items",
    "items_with",
    "to_write_text",
]
