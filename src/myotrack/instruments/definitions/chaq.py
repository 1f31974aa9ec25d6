"""CHAQ — Childhood Health Assessment Questionnaire, disability index (higher = worse).

Sources: Singh G, Athreya BH, Fries JF, Goldsmith DP. Arthritis Rheum 1994;37:1761–9
(30 items in 8 domains, 0–3 each); NINDS Common Data Elements CHAQ page (domain score =
worst answered item; DI = sum of domain scores / number of domains answered);
Ruperto N et al. Ann Rheum Dis 2010;69:82–7 (simplified C-HAQ without aids/help).
"""

from __future__ import annotations

from dataclasses import replace

from myotrack.instruments.definitions._build import graded
from myotrack.instruments.model import (
    NOT_APPLICABLE,
    InstrumentDefinition,
    Item,
    OptionSpec,
    Subscore,
)

# Response scale of every item (Singh 1994).
RESPONSES = (
    "without any difficulty",
    "with some difficulty",
    "with much difficulty",
    "unable to do",
)
_NA = ((NOT_APPLICABLE, "not applicable (e.g. too young)"),)

# Domains and their items (item wording paraphrased from the CHAQ; 4+2+3+2+5+4+5+5 = 30).
DOMAINS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "dressing_grooming",
        "Dressing & grooming",
        (
            ("dress", "Dress, including tying shoelaces and doing buttons"),
            ("shampoo_hair", "Shampoo hair"),
            ("remove_socks", "Remove socks"),
            ("cut_fingernails", "Cut fingernails"),
        ),
    ),
    (
        "arising",
        "Arising",
        (
            ("stand_from_low_chair", "Stand up from a low chair or floor"),
            ("in_out_of_bed", "Get in and out of bed or stand up in crib"),
        ),
    ),
    (
        "eating",
        "Eating",
        (
            ("cut_meat", "Cut own meat"),
            ("lift_cup", "Lift a cup or glass to mouth"),
            ("open_cereal_box", "Open a new cereal box"),
        ),
    ),
    (
        "walking",
        "Walking",
        (
            ("walk_outdoors", "Walk outdoors on flat ground"),
            ("climb_steps", "Climb up five steps"),
        ),
    ),
    (
        "hygiene",
        "Hygiene",
        (
            ("wash_dry_body", "Wash and dry entire body"),
            ("tub_bath", "Take a tub bath (get in and out of tub)"),
            ("toilet", "Get on and off the toilet or potty chair"),
            ("brush_teeth", "Brush teeth"),
            ("comb_hair", "Comb/brush hair"),
        ),
    ),
    (
        "reach",
        "Reach",
        (
            ("reach_heavy_object", "Reach and get down a heavy object from above head"),
            ("pick_up_clothing", "Bend down to pick up clothing or paper from the floor"),
            ("pull_on_sweater", "Pull on a sweater over head"),
            ("turn_neck", "Turn neck to look back over shoulder"),
        ),
    ),
    (
        "grip",
        "Grip",
        (
            ("write", "Write or scribble with pen or pencil"),
            ("open_car_doors", "Open car doors"),
            ("open_jars", "Open jars which have been previously opened"),
            ("turn_faucets", "Turn faucets on and off"),
            ("push_open_door", "Push open a door when turning a door knob"),
        ),
    ),
    (
        "activities",
        "Activities",
        (
            ("run_errands", "Run errands and shop"),
            ("in_out_of_car", "Get in and out of a car, toy car or school bus"),
            ("ride_bike", "Ride bike or tricycle"),
            ("household_chores", "Do household chores"),
            ("run_and_play", "Run and play"),
        ),
    ),
)


def _items() -> tuple[Item, ...]:
    items: list[Item] = []
    for did, _dlabel, questions in DOMAINS:
        for qid, qlabel in questions:
            items.append(graded(qid, qlabel, RESPONSES, section=did, codes=_NA))
    for did, dlabel, _ in DOMAINS:
        items.append(
            graded(
                f"aids_or_help_{did}",
                f"{dlabel}: aids/devices or help from another person used",
                ("no", "yes"),
                section="aids_or_help",
                help="Only used by the original scoring (method='original').",
            )
        )
    items[-len(DOMAINS) :] = [replace(it, required=False) for it in items[-len(DOMAINS) :]]
    return tuple(items)


CHAQ = InstrumentDefinition(
    name="chaq",
    title="CHAQ disability index",
    version="Singh 1994 (30 items, 8 domains)",
    source="Singh G et al., Arthritis Rheum 1994;37:1761 (CHAQ); NINDS CDE CHAQ scoring; "
    "Ruperto N et al., Ann Rheum Dis 2010;69:82 (simplified)",
    items=_items(),
    subscores=tuple(
        Subscore(did, dlabel, tuple(q for q, _ in questions), 0, 3, method="max_answered")
        for did, dlabel, questions in DOMAINS
    ),
    total_rule="mean_answered_subscores",
    total_label="disability_index",
    total_min=0,
    total_max=3,  # DI range 0–3 (Singh 1994)
    visit_column="chaq",
    higher_is="worse",
    missing_rule="Domain score = worst answered item ('NA'/empty items skipped); DI = sum of "
    "domain scores / domains answered (NINDS CDE); no DI below min_domains answered domains.",
    options=(
        OptionSpec(
            name="method",
            description="'original': a domain with aids/devices or help is raised to at least 2 "
            "(HAQ convention; UNVERIFIED for the CHAQ); 'simplified': no aids/help adjustment "
            "(Ruperto 2010).",
            default="original",
            allowed=("original", "simplified"),
        ),
        OptionSpec(
            name="min_domains",
            description="Fewest answered domains that give a DI (default 6 of 8: HAQ convention, "
            "UNVERIFIED for the CHAQ).",
            default=6,
        ),
    ),
)
