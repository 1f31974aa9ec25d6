"""CDASI v2 — Cutaneous Dermatomyositis Disease Area and Severity Index, modified version
(higher = worse). Activity and damage are reported separately.

Sources: Yassaee M, Fiorentino D, Okawa J, et al. Br J Dermatol 2010;162(3):669–73 (CDASI v2:
3 activity and 2 damage measures); Anyanwu CO et al. Br J Dermatol 2015;173(4):969–74
(interpretation). Item layout from a secondary reproduction of the UPenn form (spec §4
[S18 f]) as resolved by the December 2026 errata (shared/spec/errata-2026-12.md §1):

* 15 locations: erythema 0–3, scale 0–2, erosion/ulceration 0–1 (activity); poikiloderma
  0–1 and calcinosis 0–1 (damage). Poikiloderma is 0–1, not the 0–2 the secondary form
  offers: only 0–1 gives the damage maximum 32 (errata §1).
* Gottron's papules on the hands, its own block (form: "double score if papules are
  present"): erythema 0–3, doubled when papules are present, plus ulceration 0–1 — activity
  0–7, every whole number reachable; damage 0 absent / 1 dyspigmentation / 2 scarring.
  The raw inputs (erythema grade, papules yes/no, ulceration) are stored, and the block's
  score is a derived item read by the engine, so it can be re-derived if the official form
  differs.
* Periungual 0–2; alopecia (recent hair loss, last 30 days, patient-reported) 0–1.

The maxima 100/32 are the commonly quoted ranges; the official form was not reached, so
they stay UNVERIFIED (arithmetic check beside ACTIVITY_MAX / DAMAGE_MAX and in the tests).

Assessments stored before the errata held the Gottron's-hands activity pre-summed (one
0–7 number): they are read with `CDASI_GOTTRON_PRESUMMED` (version LEGACY_VERSION, set by
the registry migration v0003_cdasi_gottron_presummed) and say so in their assumptions.
"""

from __future__ import annotations

from myotrack.instruments.definitions._build import graded
from myotrack.instruments.model import (
    DerivedItem,
    InstrumentDefinition,
    Item,
    OptionSpec,
    Subscore,
    Term,
)

LOCATIONS: tuple[tuple[str, str], ...] = (
    ("scalp", "Scalp"),
    ("malar", "Malar area"),
    ("periorbital", "Periorbital"),
    ("rest_of_face", "Rest of face"),
    ("v_neck_front", "V-area of neck (front)"),
    ("posterior_neck", "Posterior neck"),
    ("upper_back_shoulders", "Upper back & shoulders"),
    ("rest_back_buttocks", "Rest of back & buttocks"),
    ("abdomen", "Abdomen"),
    ("lateral_upper_thigh", "Lateral upper thigh"),
    ("rest_leg_feet", "Rest of leg & feet"),
    ("arm", "Arm"),
    ("mechanics_hand", "Mechanic's hand"),
    ("dorsum_hands_not_joints", "Dorsum of hands (not over joints)"),
    ("gottron_not_on_hands", "Gottron's — not on hands"),
)

# Per-location measures: (suffix, label, levels). Erythema 0–3, scale 0–2, erosion/
# ulceration 0–1 (activity); poikiloderma 0–1, calcinosis 0–1 (damage) (errata §1).
ERYTHEMA = ("absent", "pink; faint erythema", "red", "dark red; violaceous; dusky")
SCALE = ("absent", "scale", "hyperkeratosis / crust")
PRESENT = ("absent", "present")
ACTIVITY_MEASURES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("erythema", "erythema", ERYTHEMA),
    ("scale", "scale", SCALE),
    ("erosion_ulceration", "erosion/ulceration", PRESENT),
)
DAMAGE_MEASURES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("poikiloderma", "poikiloderma (dyspigmentation or telangiectasia)", PRESENT),
    ("calcinosis", "calcinosis", PRESENT),
)

# Gottron's papules on the hands (errata §1): erythema 0–3 x 2 when papules are present,
# + ulceration 0–1; damage 0 absent / 1 dyspigmentation / 2 scarring.
GOTTRON_ERYTHEMA = ("absent", "pink; faint erythema", "red erythema", "dark red")
GOTTRON_PAPULES_FACTOR = 2  # "double score if papules are present" (errata §1, form text)
GOTTRON_DAMAGE = ("absent", "dyspigmentation", "scarring")
GOTTRON_HANDS_ACTIVITY_MAX = (len(GOTTRON_ERYTHEMA) - 1) * GOTTRON_PAPULES_FACTOR + 1  # 3x2+1 = 7
GOTTRON_HANDS_DAMAGE_MAX = len(GOTTRON_DAMAGE) - 1  # 2

# UNVERIFIED maxima (commonly quoted; the official CDASI v2 form was not reached). Arithmetic
# check (DERIVED, errata §1): activity = 15 x (3 + 2 + 1) = 90 + Gottron's hands 7 +
# periungual 2 + alopecia 1 = 100; damage = 15 x (poikiloderma 1 + calcinosis 1) = 30 +
# Gottron's hands damage 2 = 32 (with poikiloderma 0–2 it would be 47, so 0–1 it is).
ACTIVITY_MAX = 100
DAMAGE_MAX = 32
assert len(LOCATIONS) * (3 + 2 + 1) + GOTTRON_HANDS_ACTIVITY_MAX + 2 + 1 == ACTIVITY_MAX
assert len(LOCATIONS) * (1 + 1) + GOTTRON_HANDS_DAMAGE_MAX == DAMAGE_MAX

VERSION = "v2 (modified)"
# The version text of assessments stored before the errata (Gottron's hands pre-summed).
# Frozen: the registry migration v0003_cdasi_gottron_presummed writes exactly this text.
LEGACY_VERSION = "v2 (modified), Gottron's hands pre-summed (before 2026-12)"
SOURCE = "Yassaee M et al., Br J Dermatol 2010;162:669 (CDASI v2)"

GOTTRON_RULE = (
    "Gottron's hands activity = erythema (0–3) x 2 when papules are present, + ulceration "
    "(0–1): 0–7 (errata 2026-12 §1; form: 'double score if papules are present')"
)
REST_ITEM = "rest_set_to_zero"


def _location_items(
    measures: tuple[tuple[str, str, tuple[str, ...]], ...], section: str
) -> list[Item]:
    return [
        graded(f"{lid}_{suffix}", f"{label}: {what}", levels, section=section)
        for lid, label in LOCATIONS
        for suffix, what, levels in measures
    ]


def _gottron_raw_items() -> list[Item]:
    return [
        graded(
            "gottron_hands_erythema",
            "Gottron's papules on hands: erythema",
            GOTTRON_ERYTHEMA,
            section="activity",
            help=GOTTRON_RULE,
        ),
        graded(
            "gottron_hands_papules",
            "Gottron's papules on hands: papules present",
            ("no", "yes (erythema score doubled)"),
            section="activity",
            help=GOTTRON_RULE,
        ),
        graded(
            "gottron_hands_ulceration",
            "Gottron's papules on hands: ulceration",
            PRESENT,
            section="activity",
            help=GOTTRON_RULE,
        ),
    ]


def _gottron_presummed_item() -> Item:
    return Item(
        id="gottron_hands_activity",
        label="Gottron's papules on hands: activity (pre-summed, before the 2026-12 errata)",
        min=0,
        max=GOTTRON_HANDS_ACTIVITY_MAX,
        step=1,
        section="activity",
        help="Stored as one number before the December 2026 errata; new assessments store "
        "erythema, papules and ulceration instead.",
    )


def _tail_activity_items() -> list[Item]:
    return [
        graded(
            "periungual",
            "Periungual changes",
            (
                "absent",
                "pink/red erythema or microscopic telangiectasia",
                "visible telangiectasia",
            ),
            section="activity",
        ),
        graded(
            "alopecia_recent_hair_loss",
            "Alopecia: recent hair loss (last 30 days, patient-reported)",
            PRESENT,
            section="activity",
        ),
    ]


def _gottron_damage_item() -> Item:
    return graded(
        "gottron_hands_damage",
        "Gottron's papules on hands: damage",
        GOTTRON_DAMAGE,
        section="damage",
    )


def _scored_items(gottron_activity: list[Item]) -> list[Item]:
    return [
        *_location_items(ACTIVITY_MEASURES, "activity"),
        *gottron_activity,
        *_tail_activity_items(),
        *_location_items(DAMAGE_MEASURES, "damage"),
        _gottron_damage_item(),
    ]


_SCORED = _scored_items(_gottron_raw_items())
# "The rest are 0" (issue 9): an explicit action of the entry grid that fills every item not
# yet entered with 0. It is recorded with the items (how many it filled) and printed with
# every result of that assessment.
REST_SET_TO_ZERO = Item(
    id=REST_ITEM,
    label="Items set to 0 by the explicit action 'the rest are 0'",
    min=0,
    max=len(_SCORED),
    step=1,
    section="entry",
    help="Filled in by the entry grid's 'The rest are 0' button; leave empty otherwise.",
    required=False,
    scored=False,
    note_when_set="{value} CDASI item(s) were entered as 0 by the explicit action 'the rest "
    "are 0' (recorded at entry), not typed one by one.",
)
_ITEMS = (*_SCORED, REST_SET_TO_ZERO)

GOTTRON_HANDS_ACTIVITY = DerivedItem(
    id="gottron_hands_activity",
    label="Gottron's papules on hands: activity (derived)",
    terms=(
        Term("gottron_hands_erythema", factor=GOTTRON_PAPULES_FACTOR, when="gottron_hands_papules"),
        Term("gottron_hands_ulceration"),
    ),
    min=0,
    max=GOTTRON_HANDS_ACTIVITY_MAX,
    section="activity",
    rule_text=GOTTRON_RULE,
    source="shared/spec/errata-2026-12.md §1 (secondary form, UNVERIFIED against the official "
    "CDASI v2 form)",
)

_VERSION_OPTION = OptionSpec(
    name="version",
    description="Shape of the stored CDASI: 'v2' (current: Gottron's hands as raw inputs) or "
    "'v2-gottron-presummed' (assessments stored before the December 2026 errata).",
    default=None,
    allowed=("v2", "v2-gottron-presummed"),
)

_ASSUMPTION = (
    "CDASI v2 item levels are from a secondary reproduction of the form (errata 2026-12 §1); "
    "the maxima activity 100 / damage 32 are UNVERIFIED against the official form "
    "(arithmetic: 15 x 6 + Gottron's hands 7 + periungual 2 + alopecia 1 = 100; "
    "15 x 2 + Gottron's hands damage 2 = 32)."
)
_MISSING_RULE = (
    "Activity and damage each need all their items; a missing item leaves that score empty "
    "(no published rule found). 'The rest are 0' is an explicit, recorded action."
)
_NOTES = (
    "A 4-point (UPenn) or 5-point (Stanford) change in activity is a minimal clinically "
    "significant response; activity ≤ 14 mild (Stanford), 19 separates mild from "
    "moderate/severe (UPenn) (Anyanwu CO et al., Br J Dermatol 2015).",
)


def _subscores(items: tuple[Item, ...], derived: tuple[DerivedItem, ...]) -> tuple[Subscore, ...]:
    consumed = {i for d in derived for i in d.inputs}

    def units(section: str) -> tuple[str, ...]:
        ids = [i.id for i in items if i.section == section and i.scored and i.id not in consumed]
        ids += [d.id for d in derived if d.section == section]
        return tuple(ids)

    return (
        Subscore(
            "activity",
            "CDASI activity",
            units("activity"),
            0,
            ACTIVITY_MAX,
            visit_column="cdasi_activity",
        ),
        Subscore(
            "damage", "CDASI damage", units("damage"), 0, DAMAGE_MAX, visit_column="cdasi_damage"
        ),
    )


CDASI = InstrumentDefinition(
    name="cdasi",
    title="CDASI v2 (Cutaneous Dermatomyositis Disease Area and Severity Index)",
    version=VERSION,
    source=SOURCE,
    items=_ITEMS,
    derived=(GOTTRON_HANDS_ACTIVITY,),
    subscores=_subscores(_ITEMS, (GOTTRON_HANDS_ACTIVITY,)),
    total_rule="subscore:activity",
    total_label="activity",
    total_min=0,
    total_max=ACTIVITY_MAX,
    visit_column="cdasi_activity",
    higher_is="worse",
    missing_rule=_MISSING_RULE,
    options=(_VERSION_OPTION,),
    assumptions=(_ASSUMPTION, GOTTRON_RULE + "; UNVERIFIED against the official form."),
    notes=_NOTES,
)

_LEGACY_ITEMS = tuple(_scored_items([_gottron_presummed_item()]))

# Assessments stored before the December 2026 errata: the Gottron's-hands activity was one
# pre-summed number 0–7. Readable, never offered for new entries (not in INSTRUMENTS).
CDASI_GOTTRON_PRESUMMED = InstrumentDefinition(
    name="cdasi_gottron_presummed",
    title="CDASI v2, stored before the December 2026 errata (Gottron's hands pre-summed)",
    version=LEGACY_VERSION,
    source=SOURCE,
    items=_LEGACY_ITEMS,
    subscores=_subscores(_LEGACY_ITEMS, ()),
    total_rule="subscore:activity",
    total_label="activity",
    total_min=0,
    total_max=ACTIVITY_MAX,
    visit_column="cdasi_activity",
    higher_is="worse",
    missing_rule=_MISSING_RULE,
    options=(_VERSION_OPTION,),
    assumptions=(
        _ASSUMPTION,
        "Entered before the December 2026 errata: the Gottron's-hands activity was stored as "
        "one pre-summed number (0–7); its raw inputs (erythema, papules, ulceration) are not "
        "known, so it cannot be re-derived. Re-enter them to update this assessment.",
    ),
    notes=_NOTES,
)
