"""CMAS — Childhood Myositis Assessment Scale (14 manoeuvres, higher = better).

Sources: Lovell DJ, Lindsley CB, Rennebohm RM, et al. Arthritis Rheum 1999;42:2213–19
(development, potential range 0–51); Huber AM, Feldman BM, Rennebohm RM, et al.
Arthritis Rheum 2004;50:1595–1603 (validation on the 0–52 scale). Item levels: IMACS/Lovell
CMAS scoring sheet (spec §1.1 [S10]); items 8–14 from the IMACS Form 05c CMAS scoring sheet
as transcribed in the openEHR archetype openEHR-EHR-OBSERVATION.cmas_score.v0 (Clinical
Models UK, 2016), agreeing level by level with the "LOVELL ET AL" sheet transcription [S11]
(shared/spec/errata-2026-12.md §2).

Top time bands: the official form says "more than 2 min" (items 1, 3) and "more than 60 sec"
(item 8). Read strictly, exactly 120 s (and exactly 60 s for item 8) would fall in no band,
because the bands below are whole seconds and contiguous (60–119 s, 30–59 s). The only
reading without a gap is used: 120 s -> 5 and 119 s -> 4; 60 s -> 4 for item 8 (errata §2).
Results say so in their assumptions (TOP_BAND_ASSUMPTION).
"""

from __future__ import annotations

from myotrack.instruments.definitions._build import graded
from myotrack.instruments.model import InstrumentDefinition, Item, OptionSpec

SOURCE = (
    "Lovell DJ et al., Arthritis Rheum 1999;42:2213 (CMAS development); "
    "Huber AM et al., Arthritis Rheum 2004;50:1595 (validation, 0-52)"
)

# Time bands of the timed items, in seconds held: (lowest seconds, score).
# Items 1 and 3: unable 0; 1–9 s 1; 10–29 s 2; 30–59 s 3; 60–119 s 4; 120 s or more 5
# (Lovell et al. CMAS scoring sheet [S10 a]; IMACS Form 05c). The form prints "> 2 min"
# ("more than 2 min"); a strict ">" would leave exactly 120 s in no band (the band below
# ends at 119 s), so 120 s -> 5 is the only gap-free reading (errata 2026-12 §2; the
# UpToDate copy prints "≥ 2 minutes").
HEAD_LEG_BANDS: tuple[tuple[float, int], ...] = ((1, 1), (10, 2), (30, 3), (60, 4), (120, 5))
# Item 8 (arm raise / duration): unable 0; 1–9 s 1; 10–29 s 2; 30–59 s 3; 60 s or more 4
# (IMACS Form 05c transcription + [S11]). The form prints "> 60 s"; 60 s -> 4 is the only
# reading without a gap after 30–59 s (errata 2026-12 §2).
ARM_BANDS: tuple[tuple[float, int], ...] = ((1, 1), (10, 2), (30, 3), (60, 4))
TOP_BAND_ASSUMPTION = (
    "CMAS top time bands: the official form says '> 2 min' (items 1 and 3) and '> 60 s' "
    "(item 8); exactly 120 s is scored 5 (119 s is 4) and exactly 60 s on item 8 is scored 4, "
    "the only reading that leaves no second between bands (errata 2026-12 §2)."
)

_TIMED_1_3 = (
    "unable",
    "1–9 seconds",
    "10–29 seconds",
    "30–59 seconds",
    "60–119 seconds",
    "2 minutes or more (form: '> 2 min'; 120 s scores 5)",
)
_TIMED_8 = (
    "unable",
    "1–9 seconds",
    "10–29 seconds",
    "30–59 seconds",
    "60 seconds or more (form: '> 60 s'; 60 s scores 4)",
)

# Item 5: six sit-up variants, each 0 (unable) / 1 (able); item score = their sum (0–6)
# (Lovell et al. CMAS scoring sheet [S10]).
SIT_UP_VARIANTS: tuple[tuple[str, str], ...] = (
    ("thighs_cb", "hands on thighs, with counterbalance (feet held)"),
    ("chest_cb", "arms across chest, with counterbalance"),
    ("head_cb", "hands behind head, with counterbalance"),
    ("thighs_nocb", "hands on thighs, without counterbalance"),
    ("chest_nocb", "arms across chest, without counterbalance"),
    ("head_nocb", "hands behind head, without counterbalance"),
)

_SUPINE_TO_PRONE_0_52 = (
    "unable; barely able to turn onto side",
    "turns onto side fairly easily but cannot free arms / not fully prone",
    "turns over easily, some difficulty freeing arms, becomes fully prone",
    "turns over and frees arms with no difficulty",
)


def _items(supine_to_prone: tuple[str, ...]) -> tuple[Item, ...]:
    return (
        graded(
            "head_elevation",
            "1. Head elevation (neck flexion, supine)",
            _TIMED_1_3,
            help="Timed: enter the score, or the seconds held via the cmas_timed_item helper.",
        ),
        graded(
            "leg_raise",
            "2. Leg raise / touch object",
            (
                "cannot lift leg off table",
                "clears table but cannot touch object",
                "lifts leg and touches object",
            ),
        ),
        graded(
            "straight_leg_lift",
            "3. Straight leg lift / duration",
            _TIMED_1_3,
            help="Timed: same bands as head elevation.",
        ),
        graded("supine_to_prone", "4. Supine to prone", supine_to_prone),
        graded(
            "sit_ups",
            "5. Sit-ups (number of the 6 variants done)",
            tuple(f"{n} of 6 variants" for n in range(7)),
            help="Sum of six variants scored 0/1: " + "; ".join(t for _, t in SIT_UP_VARIANTS),
        ),
        graded(
            "supine_to_sit",
            "6. Supine to sit",
            (
                "unable by self",
                "much difficulty",
                "some difficulty",
                "no difficulty",
            ),
        ),
        graded(
            "arm_raise_straighten",
            "7. Arm raise / straighten",
            (
                "cannot raise wrists",
                "wrists to acromioclavicular level, not above top of head",
                "wrists above top of head, elbows not fully extended",
                "arms straight above head, elbows fully extended",
            ),
        ),
        graded(
            "arm_raise_duration",
            "8. Arm raise / duration (wrists above top of head)",
            _TIMED_8,
            help="Timed: unable 0; 1–9 s 1; 10–29 s 2; 30–59 s 3; 60 s or more 4 (form: '> 60 s').",
        ),
        graded(
            "floor_sit",
            "9. Floor sit (standing to sitting on floor)",
            (
                "unable, afraid to try even with a chair for support",
                "much difficulty, needs to hold a chair during descent",
                "some difficulty, no chair but slow/apprehensive descent",
                "no difficulty, no compensatory manoeuvre",
            ),
        ),
        graded(
            "all_fours",
            "10. All-fours manoeuvre",
            (
                "unable to go from prone to all-fours",
                "barely able to assume/maintain all-fours, cannot raise head to look ahead",
                "maintains all-fours with straight back and head raised, cannot crawl",
                "maintains all-fours, looks ahead and crawls forward",
                "maintains balance while lifting and extending one leg",
            ),
        ),
        graded(
            "floor_rise",
            "11. Floor rise (kneeling to standing)",
            (
                "unable even with a chair",
                "much difficulty, needs a chair",
                "moderate difficulty, no chair but hands on thighs/knees/floor",
                "mild difficulty, no hands",
                "no difficulty",
            ),
        ),
        graded(
            "chair_rise",
            "12. Chair rise",
            (
                "unable even with hands on the sides of the chair",
                "much difficulty, needs hands on the sides of the seat",
                "moderate difficulty, hands on knees/thighs",
                "mild difficulty, no hands",
                "no difficulty",
            ),
        ),
        graded(
            "stool_step",
            "13. Stool step",
            (
                "unable",
                "much difficulty, one hand on examination table or examiner's hand",
                "some difficulty, hand on knee/thigh",
                "able without table or hand support",
            ),
        ),
        graded(
            "pick_up",
            "14. Pick-up (pencil from floor)",
            (
                "unable to bend over and pick up a pencil from the floor",
                "much difficulty, relies heavily on hands on knees/thighs",
                "some difficulty, minimal/brief hand support, somewhat slow",
                "no difficulty, no compensatory manoeuvre",
            ),
        ),
    )


_VERSION_OPTION = OptionSpec(
    name="version",
    description="CMAS version: '0-52' (Huber 2004, default) or '0-51' (Lovell 1999 range).",
    default=None,
    allowed=("0-52", "0-51"),
)

CMAS = InstrumentDefinition(
    name="cmas",
    title="CMAS (Childhood Myositis Assessment Scale)",
    version="0-52",
    source=SOURCE,
    items=_items(_SUPINE_TO_PRONE_0_52),
    total_min=0,
    total_max=52,  # sum of item maxima 5+2+5+3+6+3+3+4+3+4+4+4+3+3 (Huber 2004: 0–52)
    visit_column="cmas",
    higher_is="better",
    options=(_VERSION_OPTION,),
    assumptions=(TOP_BAND_ASSUMPTION,),
    notes=(
        "MID 1.5–3.0 points; CMAS 48/45/39/30 ~ no/mild/mild-moderate/moderate disability "
        "(Huber AM et al., Arthritis Rheum 2004).",
        "CMAS ≥ 48 is a PRINTO inactive-disease criterion "
        "(Lazarevic D et al., Ann Rheum Dis 2013).",
    ),
)

# 0–51 version (Lovell 1999 potential range). Public sheet copies show supine-to-prone with
# levels 0–2 only; that this is the one difference is an inference (spec §1.3, UNVERIFIED).
CMAS_0_51 = InstrumentDefinition(
    name="cmas_0_51",
    title="CMAS (Childhood Myositis Assessment Scale), 0–51 version",
    version="0-51",
    source="Lovell DJ et al., Arthritis Rheum 1999;42:2213 (potential range 0-51)",
    items=_items(_SUPINE_TO_PRONE_0_52[:3]),
    total_min=0,
    total_max=51,
    visit_column=None,  # visits.csv 'cmas' holds the 0–52 version
    higher_is="better",
    options=(_VERSION_OPTION,),
    assumptions=(
        TOP_BAND_ASSUMPTION,
        "CMAS 0–51: assumed to differ from 0–52 only by supine-to-prone scored 0–2 (scoring-sheet "
        "copies; UNVERIFIED against Lovell 1999).",
    ),
)

# CMAS-9: the nine manoeuvres with normal values in healthy children aged 4–9 (Rennebohm RM
# et al., Arthritis Rheum 2004;51:365–70). Summing their 0–52 maxima gives 37 (DERIVED);
# a validated instrument of that name is UNVERIFIED.
CMAS9_ITEMS = (
    "head_elevation",
    "straight_leg_lift",
    "supine_to_prone",
    "sit_ups",
    "supine_to_sit",
    "arm_raise_duration",
    "floor_sit",
    "floor_rise",
    "chair_rise",
)
CMAS9 = InstrumentDefinition(
    name="cmas9",
    title="CMAS-9 (nine Rennebohm manoeuvres; derived sub-score)",
    version="9-item, 0-37 (derived)",
    source="Rennebohm RM et al., Arthritis Rheum 2004;51:365 (nine CMAS manoeuvres)",
    items=tuple(it for it in CMAS.items if it.id in CMAS9_ITEMS),
    total_min=0,
    total_max=37,  # 5+5+3+6+3+4+3+4+4 (DERIVED from the 0–52 item maxima)
    visit_column=None,
    higher_is="better",
    assumptions=(
        TOP_BAND_ASSUMPTION,
        "CMAS-9 is the sum of the nine manoeuvres of Rennebohm 2004 on the 0–52 item scales "
        "(max 37, DERIVED); not a validated instrument (UNVERIFIED).",
    ),
)
