"""MDI — Myositis Damage Index (IMACS), the yearly damage form (form C of the JDM dataset;
higher = more damage).

Structure: for each organ system, damage items scored present (1) or absent (0) or "NA"
(not applicable / cannot be assessed), and a 10 cm VAS of the severity of damage in that
system. Two scores, no single total:
* `damage_count`: the number of damage items present ("extent of damage"); "NA" items are
  left out; an empty item gives no score.
* `damage_vas_sum`: the sum of the organ-system damage VAS ("severity of damage", 0-110 =
  11 systems x 10 cm); an "NA" system is left out; an empty system gives no score.
The two names follow the retrieved J Rheumatol table ("Total Extent of Damage score, 0-38;
Total Severity of Damage score, 0-110"; "<System> Severity of Damage, 0-10 cm VAS"); some
texts use the words the other way round, so the labels say what each number is.

Sources: Isenberg DA, Allen E, Farewell V, et al. Rheumatology 2004;43:49-54 (MDI
development); Rider LG, Lachenbruch PA, Monroe JB, et al. Arthritis Rheum 2009;60:3425-35
(MDI validated in juvenile and adult myositis); IMACS Form 08, Myositis Damage Index 2001
(retrieved copy: https://docest.com/doc/274068/imacs-form-08-myositis-damage-index-mdi-2001,
items 1-13: muscle, skeletal, the start of cutaneous); score ranges from a J Rheumatol table
of 20 JDM patients (https://www.jrheum.org/highwire/markup/37676/expansion, SECONDARY).

What could NOT be verified (every result says so, and each item's status is in `MDI_ITEMS`):
items 14 onwards (the rest of the cutaneous system, gastrointestinal, pulmonary,
cardiovascular, peripheral vascular, endocrine, ocular, infection, malignancy) were written
from the published organ-system structure without the form's text; and this itemisation has
more items than the published juvenile extent range (0-38), so `damage_count` is not
comparable with published MDI extent scores until the item list is checked against the IMACS
form (IMACS also asks users to seek permission for its instruments).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from myotrack.instruments.definitions._build import VAS_UNIT_OPTION, vas
from myotrack.instruments.model import NOT_APPLICABLE, InstrumentDefinition, Item, Subscore

Evidence = Literal["VERIFIED", "SECONDARY", "UNVERIFIED"]

FORM_08: Final = "IMACS Form 08, Myositis Damage Index 2001 (retrieved copy, items 1-13)"
NOT_RETRIEVED: Final = (
    "organ-system structure of the MDI (Isenberg 2004; Rider 2009); item text not retrieved"
)

_NA: Final = ((NOT_APPLICABLE, "not applicable / cannot be assessed"),)
_PRESENCE: Final = ((0.0, "absent"), (1.0, "present"))


@dataclass(frozen=True, slots=True)
class MdiSystem:
    id: str
    label: str
    status: Evidence
    source: str


# The 11 organ systems (11 x 10 cm = the published 0-110 VAS range; J Rheumatol table names
# muscle, skeletal, endocrine and pulmonary; Form 08 shows muscle, skeletal, cutaneous).
MDI_SYSTEMS: Final[tuple[MdiSystem, ...]] = (
    MdiSystem("muscle", "Muscle", "VERIFIED", FORM_08),
    MdiSystem("skeletal", "Skeletal", "VERIFIED", FORM_08),
    MdiSystem("cutaneous", "Cutaneous", "VERIFIED", FORM_08),
    MdiSystem("gastrointestinal", "Gastrointestinal", "UNVERIFIED", NOT_RETRIEVED),
    MdiSystem("pulmonary", "Pulmonary", "SECONDARY", "J Rheumatol table (pulmonary VAS)"),
    MdiSystem("cardiovascular", "Cardiovascular", "UNVERIFIED", NOT_RETRIEVED),
    MdiSystem("peripheral_vascular", "Peripheral vascular", "UNVERIFIED", NOT_RETRIEVED),
    MdiSystem("endocrine", "Endocrine", "SECONDARY", "J Rheumatol table (endocrine VAS)"),
    MdiSystem("ocular", "Ocular", "UNVERIFIED", NOT_RETRIEVED),
    MdiSystem("infection", "Infection", "UNVERIFIED", NOT_RETRIEVED),
    MdiSystem("malignancy", "Malignancy", "UNVERIFIED", NOT_RETRIEVED),
)


@dataclass(frozen=True, slots=True)
class MdiItem:
    """One damage item: its form number (None when not retrieved), system, label, whether it
    counts in `damage_count` (False: a descriptive detail of another item), status, source."""

    id: str
    number: str | None
    system: str
    label: str
    status: Evidence
    counted: bool = True


def _v(id_: str, number: str, system: str, label: str, counted: bool = True) -> MdiItem:
    return MdiItem(id_, number, system, label, "VERIFIED", counted)


def _u(id_: str, system: str, label: str) -> MdiItem:
    return MdiItem(id_, None, system, label, "UNVERIFIED")


MDI_ITEMS: Final[tuple[MdiItem, ...]] = (
    # Muscle (Form 08 items 1-5)
    _v("muscle_atrophy_clinical", "1", "muscle", "Muscle atrophy (clinical)"),
    _v("muscle_weakness", "2", "muscle", "Muscle weakness not attributable to active disease"),
    _v("muscle_dysfunction", "3", "muscle", "Muscle dysfunction: decreased aerobic capacity"),
    _v("muscle_atrophy_imaging", "4", "muscle", "Muscle atrophy assessed by imaging"),
    _v("low_serum_creatinine", "5", "muscle", "Low serum creatinine"),
    # Skeletal (Form 08 items 6-11)
    _v("joint_contractures", "6", "skeletal", "Joint contractures"),
    _v(
        "osteoporosis_fracture", "7", "skeletal", "Osteoporosis with fracture or vertebral collapse"
    ),
    _v("avascular_necrosis", "8", "skeletal", "Avascular necrosis"),
    _v("deforming_arthropathy", "9", "skeletal", "Deforming arthropathy"),
    _v("osteoporosis_treated", "10", "skeletal", "Osteoporosis without fracture, treated"),
    _v("limitation_of_motion", "11", "skeletal", "Limitation of passive joint motion (any joint)"),
    _v("rom_elbow_extension", "11a", "skeletal", "Limited elbow extension", counted=False),
    _v("rom_hip_flexion", "11b", "skeletal", "Limited hip flexion", counted=False),
    _v("rom_knee_extension", "11c", "skeletal", "Limited knee extension", counted=False),
    _v("rom_ankle_dorsiflexion", "11d", "skeletal", "Limited ankle dorsiflexion", counted=False),
    # Cutaneous (Form 08 items 12-13; the rest not retrieved)
    _v("calcinosis", "12", "cutaneous", "Calcinosis"),
    _v(
        "calcinosis_superficial",
        "12a",
        "cutaneous",
        "Calcinosis: superficial plaques or nodules",
        False,
    ),
    _v("calcinosis_tumoral", "12b", "cutaneous", "Calcinosis: tumoral", counted=False),
    _v("calcinosis_planar", "12c", "cutaneous", "Calcinosis: planar", counted=False),
    _v(
        "calcinosis_exoskeleton", "12d", "cutaneous", "Calcinosis: exoskeleton / universalis", False
    ),
    _v("alopecia", "13", "cutaneous", "Alopecia"),
    _u("cutaneous_scarring", "cutaneous", "Cutaneous scarring or atrophy"),
    _u("poikiloderma", "cutaneous", "Poikiloderma"),
    _u("lipodystrophy", "cutaneous", "Lipodystrophy"),
    # Gastrointestinal
    _u("dysphagia", "gastrointestinal", "Dysphagia (persistent)"),
    _u("gi_dysmotility", "gastrointestinal", "Gastrointestinal dysmotility"),
    _u("bowel_infarction_resection", "gastrointestinal", "Infarction or resection of bowel"),
    # Pulmonary
    _u("dysphonia", "pulmonary", "Dysphonia (persistent)"),
    _u("impaired_lung_function", "pulmonary", "Impaired lung function"),
    _u("pulmonary_fibrosis", "pulmonary", "Pulmonary fibrosis"),
    _u("pulmonary_hypertension", "pulmonary", "Pulmonary hypertension"),
    # Cardiovascular
    _u("hypertension", "cardiovascular", "Hypertension requiring treatment"),
    _u("ventricular_dysfunction", "cardiovascular", "Ventricular dysfunction"),
    _u("angina_coronary_disease", "cardiovascular", "Angina or coronary artery disease"),
    _u("myocardial_infarction", "cardiovascular", "Myocardial infarction"),
    # Peripheral vascular
    _u("tissue_pulp_loss", "peripheral_vascular", "Tissue or pulp loss"),
    _u("digit_limb_loss", "peripheral_vascular", "Digit or limb loss"),
    _u("venous_thrombosis", "peripheral_vascular", "Venous thrombosis with swelling or ulcer"),
    _u("claudication", "peripheral_vascular", "Claudication"),
    # Endocrine
    _u("growth_failure", "endocrine", "Growth failure"),
    _u("delayed_puberty", "endocrine", "Delay in secondary sexual characteristics"),
    _u("hirsutism", "endocrine", "Hirsutism"),
    _u("irregular_menses", "endocrine", "Irregular menses"),
    _u("amenorrhoea", "endocrine", "Primary or secondary amenorrhoea"),
    _u("diabetes", "endocrine", "Diabetes mellitus"),
    _u("infertility", "endocrine", "Infertility"),
    _u("sexual_dysfunction", "endocrine", "Sexual dysfunction"),
    # Ocular
    _u("cataract", "ocular", "Cataract"),
    _u("visual_loss", "ocular", "Visual loss"),
    # Infection
    _u("chronic_infection", "infection", "Chronic infection"),
    _u("multiple_infections", "infection", "Multiple infections requiring hospital care"),
    # Malignancy
    _u("malignancy", "malignancy", "Malignancy"),
)
ITEM_BY_ID: Final = {i.id: i for i in MDI_ITEMS}
SYSTEM_BY_ID: Final = {s.id: s for s in MDI_SYSTEMS}


def _presence_item(row: MdiItem) -> Item:
    number = f"{row.number}. " if row.number else ""
    notes = []
    if not row.counted:
        notes.append("a recorded detail of the item above; not counted")
    if row.status != "VERIFIED":
        notes.append(f"{row.status}: item text not retrieved")
    return Item(
        id=row.id,
        label=f"{number}{row.label}",
        min=0,
        max=1,
        step=1,
        choices=_PRESENCE,
        section=row.system,
        help="; ".join(notes) or None,
        codes=_NA,
        required=row.counted,
        scored=row.counted,
    )


def _vas_item(system: MdiSystem) -> Item:
    item = vas(
        f"{system.id}_vas",
        f"{system.label}: severity of damage VAS",
        section=system.id,
        help="0 = no damage, 10 = extreme damage; 'NA' if the system cannot be assessed.",
        codes=_NA,
    )
    return item


_PRESENCE_ITEMS: Final = tuple(_presence_item(r) for r in MDI_ITEMS)
_VAS_ITEMS: Final = tuple(_vas_item(s) for s in MDI_SYSTEMS)
COUNTED_IDS: Final = tuple(r.id for r in MDI_ITEMS if r.counted)

# The published juvenile maxima (J Rheumatol table, SECONDARY): extent 0-38, severity 0-110.
PUBLISHED_JUVENILE_COUNT_MAX: Final = 38
VAS_SUM_MAX: Final = 10 * len(MDI_SYSTEMS)  # 110

UNVERIFIED_ITEMS: Final = tuple(r.id for r in MDI_ITEMS if r.status != "VERIFIED")

MDI = InstrumentDefinition(
    name="mdi",
    title="Myositis Damage Index (MDI)",
    version="IMACS Form 08 (2001) structure; items 14+ UNVERIFIED",
    source=(
        "Isenberg DA et al., Rheumatology 2004;43:49 (MDI); Rider LG et al., Arthritis Rheum "
        "2009;60:3425 (juvenile and adult validation); IMACS Form 08 (MDI 2001)"
    ),
    items=_PRESENCE_ITEMS + _VAS_ITEMS,
    subscores=(
        Subscore(
            id="damage_count",
            label="number of damage items present (extent of damage)",
            items=COUNTED_IDS,
            min=0,
            max=len(COUNTED_IDS),
            method="sum_assessed",
        ),
        Subscore(
            id="damage_vas_sum",
            label="sum of the organ-system damage VAS (severity of damage, 0-110)",
            items=tuple(i.id for i in _VAS_ITEMS),
            min=0,
            max=VAS_SUM_MAX,
            method="sum_assessed",
        ),
    ),
    total_rule="none",
    total_label="no single total (two scores)",
    total_min=0,
    total_max=VAS_SUM_MAX,
    visit_column=None,
    higher_is="worse",
    missing_rule=(
        "An item or system marked 'NA' is left out of its score; an item or system left empty "
        "gives no score for its part (never counted as absent)."
    ),
    options=(VAS_UNIT_OPTION,),
    assumptions=(
        f"MDI items 14 onwards ({len(UNVERIFIED_ITEMS)} items) and the names of 6 organ "
        "systems are UNVERIFIED: written from the published structure, not from the IMACS "
        "form's text (items 1-13 are from IMACS Form 08, 2001).",
        f"damage_count counts {len(COUNTED_IDS)} items; the published juvenile extent range is "
        f"0-{PUBLISHED_JUVENILE_COUNT_MAX} (SECONDARY), so this count is not comparable with "
        "published MDI extent scores until the item list is confirmed.",
        "'NA' items and systems are left out of the scores (no published rule for 'NA' was "
        "retrieved).",
        "Limitation of motion (11) counts once when any joint is limited; 11a-11d and the "
        "calcinosis types 12a-12d are recorded details, not counted.",
    ),
    notes=(
        "Form C of the JDM consensus dataset (McCann LJ et al. Ann Rheum Dis 2018;77:241): "
        "at baseline and yearly.",
    ),
)
