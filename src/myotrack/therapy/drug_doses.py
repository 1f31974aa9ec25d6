"""Dose checks for the other drugs of a JDM clinic: published paediatric doses and maxima as
keyword rows, read by one small engine (the same shape as the JAK-inhibitor rules of
`therapy.dosing`: a frozen row with its source and evidence status).

Each row compares a running course with a published dose or maximum, in the row's basis:
- `mg/kg/day` and `mg/m2/week`: per administration x administrations per day / week;
- `mg/kg/dose`, `mg/m2/dose`: per administration;
- `g/kg/course` (IVIG): the administrations of one course row in its first 4 weeks
  (`COURSE_DAYS`), summed; a daily course needs its end date to be summed.
Doses given per kg use the ACTUAL body weight in force on the date (hydroxychloroquine: the
AAO limit is per kg of real weight); per m² uses the Mosteller BSA from that weight and the
latest height. A weight older than `WEIGHT_WINDOW_DAYS` (LOCAL-POLICY SETTING) is not used.

Verdicts as checks (`therapy.status`): above a published maximum -> blocks ("above the
maximum"); above a published dose that is not a maximum -> nothing blocks, with the words
"above the published dose" (a usual dose is not a stop rule); within -> nothing blocks; no
dose, frequency or current weight -> cannot assess, naming what is missing.

Which row decides (lead's decision, December 2026): where rows of different evidence status
apply to the same course, only the best-sourced rows (VERIFIED before SECONDARY before
UNVERIFIED) decide the state; a weaker row that would say more (e.g. the secondary SHARE
summary's 60 mg/day for prednisolone against Hinze's VERIFIED "max. 60-80 mg") is shown as a
note in the check's words, marked "note only", never as its own state.

Sources (rows cite them again):
- Bellutti Enders F et al. Ann Rheum Dis 2017;76:329-340 (SHARE), Table 3 (VERIFIED, PMC5284351):
  "MTX should be started at a dose of 15-20 mg/m2/week (max absolute dose of 40 mg/week)".
- Hinze CH et al. Pediatr Rheumatol 2018;16:40, Table 4 (VERIFIED, PMC6019723): IVMP
  "20-30 mg/kg (max. 1000 mg) daily x 3 days"; high-dose daily glucocorticoids "2 mg/kg
  (max. 60-80 mg)".
- SHARE doses as summarised by a secondary source (droracle, citing SHARE; SECONDARY): IV
  methylprednisolone 15-30 mg/kg/dose, maximum 1 g/day; prednisolone 1-2 mg/kg/day, maximum
  60 mg/day; cyclophosphamide 500-1000 mg/m² IV monthly.
- Marmor MF et al. Ophthalmology 2016;123:1386-1394 (AAO; VERIFIED via the author's editorial
  and reproductions): hydroxychloroquine "<= 5.0 mg/kg real weight" per day.
- Octagam 10% US prescribing information (label reproduction, octagamusa.com, read in the
  2026-12 review): dermatomyositis (adults) "2 g/kg divided in equal doses given over 2 to 5
  consecutive days every 4 weeks" - a maximum PER COURSE; juvenile IIM: "Maximum dose should
  not exceed 2 g/kg" (Ontario Regional Blood Coordinating Network IVIG guideline,
  SECONDARY).
- Co-trimoxazole Pneumocystis prophylaxis in children: trimethoprim 150 mg/m²/day with
  sulfamethoxazole 750 mg/m²/day, 3 days a week (AAP Pediatrics PCP-prophylaxis table,
  SECONDARY, HIV-exposed children); dose limit 320 mg trimethoprim/day (SickKids formulary,
  SECONDARY).

Not sourced, so NOT rows (reported as "no sourced dose rule"): mycophenolate, ciclosporin,
tacrolimus, rituximab, azathioprine (no paediatric JDM dose or maximum found in a reachable
source this wave).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from fractions import Fraction
from typing import Final, Literal

from myotrack.domain import DrugCourse, PatientRecord
from myotrack.therapy.body import bsa_mosteller, height_on, weight_on
from myotrack.therapy.schedule import INTERVAL_DAYS, PER_DAY, administrations_on, course_mg
from myotrack.therapy.status import Check, CheckStatus, NeededInput

SECTION: Final = "other drug doses"
Basis = Literal["mg/kg/day", "mg/m2/week", "mg/kg/dose", "g/kg/course", "mg/m2/dose", "mg/m2/day"]
Limit = Literal["maximum", "published dose"]
Status = Literal["VERIFIED", "SECONDARY", "UNVERIFIED"]

# LOCAL-POLICY SETTING: a weight older than this is not used for a per-kg or per-m² check.
WEIGHT_WINDOW_DAYS: Final = 92
# NAMED OPTION (UNVERIFIED convention): a co-trimoxazole dose in the registry is read as the
# combined amount (sulfamethoxazole + trimethoprim in the fixed 5:1 ratio, e.g. 480 mg =
# 400 + 80), so its trimethoprim part is dose / 6.
COTRIMOXAZOLE_TMP_FRACTION: Final = Fraction(1, 6)
# Octagam 10% label: "given over 2 to 5 consecutive days every 4 weeks": one IVIG course is
# the administrations of a course row in its first 4 weeks (28 days).
COURSE_DAYS: Final = 28
# Which rows decide the state: the best evidence status present among a course's rows.
EVIDENCE_RANK: Final[dict[str, int]] = {"VERIFIED": 0, "SECONDARY": 1, "UNVERIFIED": 2}

ASSUMPTIONS: Final = (
    f"local-policy setting: per-kg and per-m² dose checks use a weight from the last "
    f"{WEIGHT_WINDOW_DAYS} days",
    "named option: a co-trimoxazole dose is read as the combined sulfamethoxazole + "
    "trimethoprim amount (5:1); its trimethoprim part is one sixth",
    "decision: where a VERIFIED and a SECONDARY source differ, the VERIFIED one decides the "
    "state; the other figure is shown as a note only",
    f"reading: an IVIG course is the doses of one course row in its first {COURSE_DAYS} days; "
    "separate course rows are not added together",
)
NOT_SOURCED: Final = ("mycophenolate", "ciclosporin", "tacrolimus", "rituximab", "azathioprine")

SHARE_T3: Final = "Bellutti Enders F et al. Ann Rheum Dis 2017;76:329-340 (SHARE) Table 3"
HINZE_T4: Final = "Hinze CH et al. Pediatr Rheumatol 2018;16:40 Table 4 (PMC6019723)"
SHARE_SECONDARY: Final = "SHARE 2017 doses as summarised by droracle.ai (secondary source)"
MARMOR_2016: Final = "Marmor MF et al. Ophthalmology 2016;123:1386-1394 (AAO recommendations)"
OCTAGAM: Final = "Octagam 10% US prescribing information, dermatomyositis (adults)"
ONTARIO_IVIG: Final = "Ontario Regional Blood Coordinating Network IVIG guideline, juvenile IIM"
AAP_PCP: Final = "AAP Pediatrics PCP-prophylaxis regimen table (HIV-exposed children)"
SICKKIDS: Final = "SickKids antimicrobial formulary (Firstline), co-trimoxazole prophylaxis"


@dataclass(frozen=True, slots=True)
class DoseRow:
    """One published dose or maximum of one drug, in one basis."""

    rule_id: str
    drugs: tuple[str, ...]
    basis: Basis
    limit: Limit
    amount: float  # in the basis (per kg, per m², per day/week/dose)
    source: str
    status: Status
    routes: tuple[str, ...] | None = None  # None: any route but topical
    absolute_max_mg: float | None = None  # an absolute cap in the same period (mg)
    component: Fraction = Fraction(1)  # the part of the recorded dose the row is about
    words: str = ""


ROWS: Final[tuple[DoseRow, ...]] = (
    # SHARE Table 3 (VERIFIED): MTX 15-20 mg/m²/week, max absolute 40 mg/week.
    DoseRow(
        rule_id="share_mtx",
        drugs=("methotrexate",),
        basis="mg/m2/week",
        limit="published dose",
        amount=20.0,
        absolute_max_mg=40.0,
        source=SHARE_T3,
        status="VERIFIED",
        words="15-20 mg/m²/week (max absolute 40 mg/week)",
    ),
    # Hinze 2018 Table 4 (VERIFIED): high-dose daily glucocorticoids 2 mg/kg (max 60-80 mg).
    DoseRow(
        rule_id="hinze_gc_daily",
        drugs=("prednisolone", "prednisone"),
        basis="mg/kg/day",
        limit="published dose",
        amount=2.0,
        absolute_max_mg=80.0,
        source=HINZE_T4,
        status="VERIFIED",
        words="2 mg/kg/day (max 60-80 mg/day; the upper end is checked here)",
    ),
    # SHARE via secondary source: prednisolone 1-2 mg/kg/day, maximum 60 mg/day. A NOTE only:
    # the VERIFIED Hinze row above (up to 80 mg/day) decides the state (lead, 2026-12).
    DoseRow(
        rule_id="share_pred_secondary",
        drugs=("prednisolone", "prednisone"),
        basis="mg/kg/day",
        limit="published dose",
        amount=2.0,
        absolute_max_mg=60.0,
        source=SHARE_SECONDARY,
        status="SECONDARY",
        words="1-2 mg/kg/day (max 60 mg/day)",
    ),
    # Hinze 2018 Table 4 (VERIFIED): IVMP 20-30 mg/kg (max 1000 mg) daily x 3 days.
    DoseRow(
        rule_id="hinze_ivmp",
        drugs=("methylprednisolone",),
        routes=("iv",),
        basis="mg/kg/dose",
        limit="published dose",
        amount=30.0,
        absolute_max_mg=1000.0,
        source=HINZE_T4,
        status="VERIFIED",
        words="20-30 mg/kg (max 1000 mg) daily x 3 days",
    ),
    # SHARE via secondary source: IVMP 15-30 mg/kg/dose, maximum 1 g/day. A note only beside
    # the VERIFIED Hinze row (same figures today).
    DoseRow(
        rule_id="share_ivmp_secondary",
        drugs=("methylprednisolone",),
        routes=("iv",),
        basis="mg/kg/dose",
        limit="published dose",
        amount=30.0,
        absolute_max_mg=1000.0,
        source=SHARE_SECONDARY,
        status="SECONDARY",
        words="15-30 mg/kg/dose (max 1 g/day) for 3 days",
    ),
    # Marmor 2016 (AAO): hydroxychloroquine <= 5.0 mg/kg/day of real (actual) body weight.
    DoseRow(
        rule_id="aao_hcq",
        drugs=("hydroxychloroquine",),
        basis="mg/kg/day",
        limit="maximum",
        amount=5.0,
        source=MARMOR_2016,
        status="VERIFIED",
        words="<= 5.0 mg/kg/day of actual body weight (retinal toxicity)",
    ),
    # Octagam 10% label (adult DM): "2 g/kg divided in equal doses given over 2 to 5
    # consecutive days every 4 weeks"; Ontario guideline for juvenile IIM: "Maximum dose
    # should not exceed 2 g/kg". Per COURSE (the label divides the 2 g/kg over the days), so
    # the doses of a course are summed (until 2026-12 the check was per recorded dose).
    DoseRow(
        rule_id="ivig_2g",
        drugs=("ivig",),
        basis="g/kg/course",
        limit="maximum",
        amount=2.0,
        source=f"{OCTAGAM}; {ONTARIO_IVIG}",
        status="SECONDARY",
        words='maximum 2 g/kg per course (Octagam: "2 g/kg divided in equal doses given over '
        '2 to 5 consecutive days every 4 weeks"; Ontario: "Maximum dose should not exceed '
        '2 g/kg")',
    ),
    # SHARE via secondary source: cyclophosphamide 500-1000 mg/m² IV monthly.
    DoseRow(
        rule_id="share_cyc_secondary",
        drugs=("cyclophosphamide",),
        routes=("iv",),
        basis="mg/m2/dose",
        limit="published dose",
        amount=1000.0,
        source=SHARE_SECONDARY,
        status="SECONDARY",
        words="500-1000 mg/m² IV monthly",
    ),
    # AAP (Pediatrics PCP-prophylaxis table): trimethoprim 150 mg/m² per day with
    # sulfamethoxazole 750 mg/m² per day, "twice daily for 3 days per wk ... Alternatives:
    # once daily for 3 days per wk or twice daily for 7 days per wk"; SickKids: "150mg
    # TMP/m2/day ... as a single daily dose or divided BID on 2-3 consecutive days/week.
    # Dose limit: 320 mg TMP/day". A per-DAY row (h13 review, 2026-12): a per-dose row
    # (75 mg/m², 160 mg) would wrongly flag the once-daily regimen both sources allow.
    DoseRow(
        rule_id="pcp_prophylaxis_tmp",
        drugs=("cotrimoxazole",),
        routes=("oral",),
        basis="mg/m2/day",
        limit="published dose",
        amount=150.0,
        absolute_max_mg=320.0,
        component=COTRIMOXAZOLE_TMP_FRACTION,
        source=f"{AAP_PCP}; {SICKKIDS}",
        status="SECONDARY",
        words="trimethoprim 150 mg/m²/day, once daily or in two doses, 3 days a week; limit "
        "320 mg trimethoprim/day",
    ),
)
DRUGS_WITH_ROWS: Final = frozenset(d for row in ROWS for d in row.drugs)


@dataclass(frozen=True, slots=True)
class Body:
    weight_kg: float | None
    bsa_m2: float | None
    needs: tuple[NeededInput, ...]


def _body(record: PatientRecord, on: date) -> Body:
    needs: list[NeededInput] = []
    window = f"a weight from the last {WEIGHT_WINDOW_DAYS} days (local policy)"
    w = weight_on(record, on)
    weight: float | None = None
    if w is None:
        needs.append(NeededInput("weight", "missing", window))
    elif (on - w.on).days > WEIGHT_WINDOW_DAYS:
        needs.append(NeededInput("weight", "out_of_window", window, latest=w.on))
    else:
        weight = w.value
    h = height_on(record, on)
    bsa = None
    if weight is not None and h is not None:
        bsa = bsa_mosteller(h.value, weight)
    return Body(weight, bsa, tuple(needs))


def _per_administration_mg(course: DrugCourse, body: Body) -> tuple[float | None, str | None]:
    """The dose of one administration in mg (g/kg doses in mg too), or what is missing."""
    mg = course_mg(course, weight_kg=body.weight_kg, bsa_m2=body.bsa_m2)
    if mg.per_administration is not None:
        return mg.per_administration, None
    return None, {
        "dose": "dose",
        "weight": "weight",
        "bsa": "height and weight (for BSA)",
        "unit": f"a usable dose unit (not {course.dose_unit})",
    }[mg.missing or "dose"]


def _per_period(course: DrugCourse, basis: Basis) -> tuple[float | None, NeededInput | None]:
    """Administrations per day (per-day bases), per week (per-week bases), 1 per dose, or
    per course (the first `COURSE_DAYS` days of the course row); else what is missing."""
    if basis.endswith("/dose"):
        return 1.0, None
    freq = course.frequency
    no_freq = NeededInput("frequency", "missing", f"a frequency that gives a {basis} dose")
    if freq is None:
        return None, no_freq
    if basis.endswith("/course"):
        if freq in PER_DAY and course.end_date is None:
            return None, NeededInput(
                "end date",
                "missing",
                "the last day of a daily course, to add its doses up (the maximum is per course)",
            )
        days = (course.start_date + timedelta(days=k) for k in range(COURSE_DAYS))
        counts = [administrations_on(course, d) for d in days]
        if any(n is None for n in counts):
            return None, no_freq
        return float(sum(n for n in counts if n is not None)), None
    if basis.endswith("/day"):
        return (float(PER_DAY[freq]), None) if freq in PER_DAY else (None, no_freq)
    if freq in PER_DAY:
        return 7.0 * PER_DAY[freq], None
    if freq in INTERVAL_DAYS:
        return 7.0 / INTERVAL_DAYS[freq], None
    return None, no_freq


def _fmt(x: float) -> str:
    return f"{x:.3g}" if x < 100 else f"{x:.0f}"


@dataclass(frozen=True, slots=True)
class _Verdict:
    """What one row says of one course it could assess."""

    status: CheckStatus
    words: tuple[str, ...]  # empty: within the published dose
    evidence: str


def _verdict(row: DoseRow, course: DrugCourse, body: Body) -> _Verdict | tuple[NeededInput, ...]:
    """One row against one course: its verdict, or the inputs it needs."""
    per_admin, missing = _per_administration_mg(course, body)
    per_period, period_need = _per_period(course, row.basis)
    needs: list[NeededInput] = []
    if missing is not None:
        needs.append(NeededInput(missing, "missing", f"to check {row.words}"))
    if period_need is not None:
        needs.append(period_need)
    per_kg_basis = "/kg/" in row.basis
    if per_kg_basis and body.weight_kg is None:
        needs.extend(body.needs)
    if not per_kg_basis and body.bsa_m2 is None:
        needs.extend(n for n in body.needs if n not in needs)
        if not body.needs:
            needs.append(NeededInput("height", "missing", "a height for the BSA"))
    if needs or per_admin is None or per_period is None:
        return tuple(needs)
    mg = per_admin * float(row.component) * per_period  # mg per day / week / dose / course
    divisor = body.weight_kg if per_kg_basis else body.bsa_m2
    assert divisor is not None
    given = mg / divisor / (1000.0 if row.basis.startswith("g/") else 1.0)
    unit = row.basis
    amount = f"{_fmt(mg / 1000)} g" if row.basis.startswith("g/") else f"{_fmt(mg)} mg"
    evidence = f"{_fmt(given)} {unit} ({amount}"
    evidence += ")" if row.component == 1 else " trimethoprim)"
    status: CheckStatus = "nothing_blocks"
    words: list[str] = []
    above_amount = given > row.amount + 1e-9
    if above_amount and row.limit == "maximum":
        status = "blocks"
        words.append(f"above the maximum {_fmt(row.amount)} {unit}")
    elif above_amount:
        words.append(f"above the published dose {_fmt(row.amount)} {unit}")
    if row.absolute_max_mg is not None and mg > row.absolute_max_mg + 1e-9:
        status = "blocks"
        period = unit.rsplit("/", 1)[1]
        words.append(f"above the maximum {_fmt(row.absolute_max_mg)} mg per {period}")
    return _Verdict(status, tuple(words), evidence)


def check_course(row: DoseRow, course: DrugCourse, body: Body) -> Check:
    """One row against one course."""
    name = f"{course.drug} dose ({row.rule_id})"
    found = _verdict(row, course, body)
    if not isinstance(found, _Verdict):
        return Check(
            SECTION,
            name,
            "cannot_assess",
            f"cannot check {course.drug} against {row.words}: "
            + "; ".join(n.message for n in found),
            row.source,
            needs=found,
            drug=course.drug,
            label=row.status,
        )
    verdict = "; ".join(found.words) if found.words else "within the published dose"
    return Check(
        SECTION,
        name,
        found.status,
        f"{course.drug} {found.evidence}: {verdict} ({row.words}; {row.status})",
        row.source,
        drug=course.drug,
        label=row.status,
        action="above maximum" if found.status == "blocks" else None,
        evidence=found.evidence,
    )


def _with_notes(check: Check, notes: list[DoseRow], course: DrugCourse, body: Body) -> Check:
    """The governing row's check with what each weaker-sourced row says beyond it, as a note
    that does not change the state."""
    said: list[str] = []
    sources: list[str] = []
    for row in notes:
        found = _verdict(row, course, body)
        if not isinstance(found, _Verdict):
            continue
        extra = [w for w in found.words if w not in check.message]
        if extra:
            said.append(
                f"note only, does not decide the state: a {row.status} source gives "
                f"{row.words} - {'; '.join(extra)}"
            )
            sources.append(row.source)
    if not said:
        return check
    return replace(
        check,
        message=f"{check.message}. " + ". ".join(said),
        source="; ".join([check.source, *(f"note: {s}" for s in sources)]),
    )


def _applies(row: DoseRow, course: DrugCourse) -> bool:
    if course.drug not in row.drugs or course.route == "topical":
        return False
    return row.routes is None or course.route in row.routes or course.route is None


def dose_checks(record: PatientRecord, on: date) -> list[Check]:
    """Every dose row against every course running on `on` (systemic routes); only the
    best-sourced rows of a course decide its state, weaker ones add notes; a running drug
    of the clinic without a sourced row is reported as such (cannot assess)."""
    body = _body(record, on)
    out: list[Check] = []
    for course in record.courses:
        if not course.running_on(on) or course.route == "topical" or course.is_jak_inhibitor:
            continue
        rows = [r for r in ROWS if _applies(r, course)]
        best = min((EVIDENCE_RANK[r.status] for r in rows), default=0)
        notes = [r for r in rows if EVIDENCE_RANK[r.status] > best]
        for row in rows:
            if row not in notes:
                out.append(_with_notes(check_course(row, course, body), notes, course, body))
        if not rows and course.drug in NOT_SOURCED:
            out.append(
                Check(
                    SECTION,
                    f"{course.drug} dose",
                    "cannot_assess",
                    f"no sourced paediatric dose rule for {course.drug}: check against the "
                    "label and the local protocol",
                    "myotrack therapy.drug_doses (no reachable published paediatric dose)",
                    needs=(
                        NeededInput(
                            f"a sourced dose rule for {course.drug}", "missing", "a local rule"
                        ),
                    ),
                    drug=course.drug,
                    label="UNVERIFIED",
                )
            )
    return out
