"""Make the bundled demo cohort (src/myotrack/data/demo/). Run once; the CSVs are checked in.

    .venv/bin/python tools/make_demo_cohort.py [OUT_FOLDER]

Everything here is FICTIONAL. Patients DEMO-01 .. DEMO-25 are shaped like the 25-patient
case series of Ding Y et al., Ann Rheum Dis 2021;80:543 (shared/seeds/000): their summary
figures (counts, means, medians) were aimed at, no real patient is described. Patient
MDA5-case follows the case report of Strauss T et al., Pediatr Rheumatol 2023;21:105
(shared/seeds/003): the values printed there are used exactly; everything the paper does not
give is invented (src/myotrack/data/demo/README.md lists which).

The script is deterministic (random.Random(SEED)) and validates its output with
myotrack.cohort.read_folder before it finishes.
"""

from __future__ import annotations

import csv
import random
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from myotrack.cohort.columns_v2 import FILES_V2

SEED = 2019
DAYS_PER_MONTH = 30.4375  # case-series spec: months = days / 30.4375
DAYS_PER_YEAR = 365.25
LAST_FOLLOW_UP = date(2019, 8, 31)  # Ding 2021: "up to the last follow-up in August 2019"
CUTOFF = date(2023, 1, 31)  # after the MDA5 child's last visit (January 2023)

Row = dict[str, object]

# --- the 25 case-series children, indexed k = 0..24 in order of age at the JAKi start ---
# fmt: off
# Ages at the JAKi start (years): mean 7.4, SD 3.7 (Ding: 7.2 ± 4.0).
AGES_AT_INDEX = [
    2.3, 2.5, 2.8, 3.1, 3.5, 3.9, 4.3, 4.7, 5.2, 5.7, 6.2, 7.0, 7.3, 7.6, 7.9, 8.3, 8.7, 9.1,
    9.6, 10.2, 10.9, 11.7, 12.7, 13.9, 15.5,
]
# Diagnosis to JAKi start (months): mean 21.0, range 14.0-36.5 (Ding: 21.0, 14.0-36.5).
DURATIONS = [
    14.0, 14.5, 15.0, 15.5, 16.0, 16.5, 17.0, 17.5, 18.0, 18.5, 19.0, 19.5, 20.0, 20.5, 21.0,
    21.5, 22.0, 23.0, 24.0, 25.0, 26.0, 27.0, 28.0, 30.0, 36.5,
]
UNDER_25_KG = 11  # the 11 youngest weigh < 25 kg at the JAKi start (Ding: n = 11)
FEMALE = {1, 3, 4, 7, 9, 12, 14, 16, 18, 21, 23}  # 11/25 (Ding: 44 %)
TOFACITINIB = {2, 5, 8, 11, 15, 19, 22}  # 7/25; the other 18 ruxolitinib
INEFFECTIVE = {0, 3, 6, 10, 13, 17, 20, 24}  # 8/25; the other 17 gc_dependent
PROBABLE = {3, 10, 14, 19, 23}  # Bohan & Peter probable; the others definite
SITE_B = {3, 10, 14, 18, 23}  # "Demo Centre B": enzymes in ukat/L, Hb in g/dL, lipids in mg/dL
# Weak at the JAKi start (10/25). CMAS baseline -> final for the 7 who improved
# (mean 18.6 -> 35.7, paired t p = 0.018; Ding: 18.6 ± 15.0 -> 35.7 ± 6.3, p = 0.018),
# two unchanged at 47, one unevaluable.
CMAS_IMPROVED = {2: (3, 40), 4: (6, 30), 9: (10, 38), 11: (14, 36), 13: (22, 27),
                 19: (31, 33), 22: (44, 46)}
CMAS_UNCHANGED = {7: 47, 17: 47}
CMAS_UNEVALUABLE = 24  # joint contractures before the JAKi start
NO_RASH = 13  # 24/25 had a rash at the JAKi start
NOT_RESOLVED = {0, 3, 6, 10, 15, 19, 20, 24}  # rash improved, not resolved: 16/24 resolved
RELAPSE = 5  # rash gone at week 8, back at week 12, JAKi stopped at week 12
GC_STOPPED = {1, 8, 12, 16, 18, 21, 23}  # 7/25 stopped glucocorticoids
ESCALATED = 16  # the girl escalated to 7.5 mg twice daily (Ding, figure 1)
LONGEST = 21  # followed 21 months, JAKi stopped after 18
# LDH (U/L) at baseline -> final for the 12 with CK and/or LDH above the limit:
# medians 361.5 -> 291.0 (Ding: 361.5 (306.3-463.3) -> 291.0 (275.8-394.8)); two rose
# (340 -> 395, 307 -> 420); Wilcoxon exact p = 0.034 as published; one (k = 24) with
# persistently high muscle enzymes.
LDH_ABNORMAL = {0: (288, 248), 2: (298, 262), 4: (306, 275), 6: (340, 395), 9: (333, 277),
                11: (383, 284), 13: (405, 288), 17: (455, 294), 19: (479, 310),
                20: (307, 420), 22: (512, 394), 24: (560, 471)}
CK_ABNORMAL = {0: (412, 150), 2: (265, 120), 24: (1850, 960)}  # U/L
ANTIBODIES = [
    "NXP2", "TIF1G;ANA", "NXP2", "MDA5;RO52", "none", "TIF1G", "NXP2", "ANA", "MDA5",
    "MI2;ANA", "TIF1G", "none", "TIF1G", "NXP2", "", "MDA5", "TIF1G;ANA", "NXP2;ANA", "none",
    "SAE", "TIF1G", "MDA5;ANA", "NXP2", "TIF1G", "NXP2",
]
FEATURES = {0: "calcinosis", 3: "arthritis;ILD", 6: "calcinosis", 8: "arthritis",
            20: "lipodystrophy", 21: "skin_ulceration;arthritis", 24: "calcinosis;dysphagia"}
# Follow-up (months); median 7, range 3-21 (Ding: 7.0, 3-21).
FOLLOW_UP_SHORT = [3, 3, 4, 5, 5, 6, 6, 6, 7]  # the 8 unresolved and the one without rash
FOLLOW_UP_LONG = [7, 7, 7, 7, 8, 8, 9, 10, 11, 12, 13, 14, 16]  # the other resolved ones
FOLLOW_UP_FIXED = {RELAPSE: 4, ESCALATED: 18, LONGEST: 21}
# Days from the JAKi start to rash events (Ding: improving 1.0 (0.6-2.0) weeks,
# marked 2.5 (2.0-4.0) weeks, resolved 12.0 (8.0-24.0) weeks).
IMPROVING_DAYS = [4, 5, 5, 6, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 8, 9, 10, 10, 11, 12, 13, 14, 14]
MARKED_DAYS = [14, 14, 14, 15, 15, 16, 16, 17, 17, 17, 17, 17, 18, 18, 19, 20, 21, 21, 24, 24,
               25, 26, 28, 28]
# the other resolved rashes (plus the relapse at day 56 and the escalated girl at day 168)
RESOLVED_DAYS = [56, 63, 63, 70, 77, 84, 84, 84, 84, 98, 112, 126, 140, 168]
# CAT-BM activity at the JAKi start, median 7 (IQR 3-10) (Ding: 7.0 (3.0-10.0) -> 0.0 (0.0-1.0)).
CATBM_BASELINE = [1, 2, 2, 3, 3, 3, 3, 4, 5, 6, 7, 7, 7, 7, 8, 9, 10, 10, 10, 10, 10, 11, 12, 14]
CATBM_FINAL_UNRESOLVED = [1, 1, 1, 1, 2, 2, 3, 4]
# fmt: on

# Standard-care doses used for the fictional histories (SHARE consensus recommendations:
# Bellutti Enders F et al., Ann Rheum Dis 2017;76:329): oral prednisolone 2 mg/kg/day,
# IV methylprednisolone pulses 30 mg/kg, methotrexate 15 mg/m2 weekly, IVIG 2 g/kg monthly.
PRED_START_MG_KG = 2.0
MP_PULSE_MG_KG = 30.0
MTX_MG_M2 = 15.0
IVIG_G_KG = 2.0


@dataclass
class Demo:
    patients: list[Row]
    visits: list[Row]
    labs: list[Row]
    treatments: list[Row]
    events: list[Row]


def days(n: float) -> timedelta:
    return timedelta(days=round(n))


def fifteenth(day: date) -> date:
    return day.replace(day=15)


def weight_for_age(age: float) -> float:
    """A rough weight-for-age curve (kg) for fictional children; not a clinical formula."""
    return 8.0 + 2.1 * age + 0.06 * age * age


def height_for_age(age: float) -> float:
    """A rough height-for-age curve (cm) for fictional children; not a clinical formula."""
    return 78.0 + 6.3 * age


def step(value: float, unit: float) -> float:
    return round(round(value / unit) * unit, 3)


def case_series(rng: random.Random) -> Demo:
    demo = Demo([], [], [], [], [])
    order = list(range(25))
    rng.shuffle(order)  # patient numbers do not follow age
    number = {k: i + 1 for i, k in enumerate(order)}

    short, long_ = FOLLOW_UP_SHORT[:], FOLLOW_UP_LONG[:]
    rng.shuffle(short)
    rng.shuffle(long_)
    follow_up: dict[int, int] = {}
    for k in range(25):
        if k in FOLLOW_UP_FIXED:
            follow_up[k] = FOLLOW_UP_FIXED[k]
        elif k in NOT_RESOLVED or k == NO_RASH:
            follow_up[k] = short.pop()
        else:
            follow_up[k] = long_.pop()

    rash_patients = [k for k in range(25) if k != NO_RASH]
    pairs = sorted(zip(sorted(IMPROVING_DAYS), sorted(MARKED_DAYS), strict=True))
    rng.shuffle(pairs)
    rash_days = dict(zip(rash_patients, pairs, strict=True))
    resolved_days = RESOLVED_DAYS[:]
    rng.shuffle(resolved_days)
    resolved: dict[int, int] = {RELAPSE: 56, ESCALATED: 168}
    for k in rash_patients:
        if k not in NOT_RESOLVED and k not in resolved:
            resolved[k] = resolved_days.pop()
    catbm_start = {ESCALATED: 12, RELAPSE: 10}  # the two stubborn rashes
    catbm_rest = CATBM_BASELINE[:]
    for value in catbm_start.values():
        catbm_rest.remove(value)
    rng.shuffle(catbm_rest)
    catbm_start.update(
        zip([k for k in rash_patients if k not in catbm_start], catbm_rest, strict=True)
    )
    unresolved = CATBM_FINAL_UNRESOLVED[:]
    rng.shuffle(unresolved)
    catbm_end = dict(zip(sorted(NOT_RESOLVED), unresolved, strict=True))

    durations = DURATIONS[:]
    for chunk in range(5, 25, 5):  # keep short durations for the youngest (onset after 1 y)
        part = durations[chunk : chunk + 5]
        rng.shuffle(part)
        durations[chunk : chunk + 5] = part

    for k in range(25):
        pid = f"DEMO-{number[k]:02d}"
        site = "Demo Centre B" if k in SITE_B else "Demo Centre A"
        fu_days = round(follow_up[k] * DAYS_PER_MONTH)
        last = date(2019, 5, 25) + days(rng.randint(0, 97))
        if k == LONGEST:
            last = date(2019, 8, 20)
        index = last - timedelta(days=fu_days)
        age = AGES_AT_INDEX[k]
        birth = index - days(age * DAYS_PER_YEAR)
        if site == "Demo Centre A":
            birth = fifteenth(birth)  # centre A rounds birth dates to the 15th
        diagnosis = index - days(durations[k] * DAYS_PER_MONTH)
        delay_months = max(1.0, 1.4 * age)
        onset = diagnosis - days(delay_months * DAYS_PER_MONTH)
        assert (onset - birth).days > 300, pid
        demo.patients.append(
            {
                "patient_id": pid,
                "sex": "F" if k in FEMALE else "M",
                "birth_date": birth,
                "onset_date": onset,
                "diagnosis_date": diagnosis,
                "diagnosis": "JDM",
                "bohan_peter": "probable" if k in PROBABLE else "definite",
                "antibodies": ANTIBODIES[k],
                "refractory": "ineffective" if k in INEFFECTIVE else "gc_dependent",
                "features": FEATURES.get(k, "none" if k % 3 else ""),
                "site": site,
            }
        )
        w0 = weight_for_age(age) + rng.uniform(-1.0, 2.5)  # some steroid weight gain
        if k < UNDER_25_KG:
            w0 = min(w0, 24.6 - rng.uniform(0, 1.5))
        else:
            w0 = max(w0, 25.4 + rng.uniform(0, 1))
        w0 = round(w0, 1)
        child = _Child(k, pid, site, birth, index, fu_days, diagnosis, w0, rng)
        child.rash_days = rash_days.get(k)
        child.resolved_day = resolved.get(k)
        child.catbm = (catbm_start.get(k, 0), catbm_end.get(k, 0))
        child.add_visits(demo)
        child.add_labs(demo)
        child.add_treatments(demo)
        child.add_events(demo)
    return demo


class _Child:
    """The fictional course of one case-series child around the JAKi start (day 0)."""

    def __init__(
        self,
        k: int,
        pid: str,
        site: str,
        birth: date,
        index: date,
        fu_days: int,
        diagnosis: date,
        weight: float,
        rng: random.Random,
    ) -> None:
        self.k, self.pid, self.site, self.birth = k, pid, site, birth
        self.index, self.fu_days, self.diagnosis = index, fu_days, diagnosis
        self.weight, self.rng = weight, rng
        self.rash_days: tuple[int, int] | None = None
        self.resolved_day: int | None = None
        self.catbm = (0, 0)
        self.gc_stop_day = rng.randint(100, min(fu_days - 21, 330)) if k in GC_STOPPED else None
        self.catbm_damage = rng.choice([0, 0, 1, 1, 2, 3])
        self.phga = (step(rng.uniform(3.5, 7.0), 0.5), step(rng.uniform(0.0, 2.0), 0.5))
        self.chaq = k % 2 == 0 and site == "Demo Centre A"
        self.site_b = site == "Demo Centre B"
        self.cdasi = (rng.randint(8, 24), rng.randint(1, 4))

    def day(self, d: date) -> int:
        return (d - self.index).days

    def on(self, day: int) -> date:
        return self.index + timedelta(days=day)

    def weight_at(self, day: int) -> float:
        return round(self.weight + 2.3 * day / DAYS_PER_YEAR, 1)

    def age_at(self, day: int) -> float:
        return (self.on(day) - self.birth).days / DAYS_PER_YEAR

    # --- visits ---
    def visit_days(self) -> list[int]:
        rng = self.rng
        out = [self.day(self.diagnosis)]
        pre = -rng.randint(120, 200)
        if pre > out[0] + 30:
            out.append(pre)
        out.append(0)
        follow = [7, 14, 28, 56, 84] if self.k % 2 else [14, 28, 56, 84]
        follow = [
            d if d == 7 or (d == 56 and self.k == ESCALATED) else d + rng.randint(-2, 2)
            for d in follow
        ]
        d = 84
        while True:
            d += rng.randint(56, 91)
            if d >= self.fu_days - 20:
                break
            follow.append(d)
        out += [d for d in follow if d < self.fu_days - 7]
        out.append(self.fu_days)
        return out

    def rash_on(self, day: int) -> bool:
        if self.k == NO_RASH:
            return False
        if day < 0 or self.resolved_day is None or day < self.resolved_day:
            return True
        return self.k == RELAPSE and day >= 84

    def catbm_on(self, day: int) -> int:
        start, end = self.catbm
        if self.k == NO_RASH:
            return 0
        if day <= 0:
            return start if day == 0 else max(1, start + self.rng.randint(-2, 2))
        if not self.rash_on(day):
            return 0
        if self.k == RELAPSE and day >= 84:
            return 3
        if self.resolved_day is not None:
            return max(1, round(start * (1 - day / self.resolved_day)))
        return max(end, round(start + (end - start) * min(1.0, day / 84)))

    def cmas_on(self, day: int) -> int | None:
        k, final = self.k, day == self.fu_days
        if k in CMAS_IMPROVED:
            start, end = CMAS_IMPROVED[k]
        elif k in CMAS_UNCHANGED:
            start = end = CMAS_UNCHANGED[k]
        elif k == CMAS_UNEVALUABLE:
            if day <= 0:
                return None
            start, end = 30, 38
        else:
            return None
        if day == 0 or final:
            return start if day == 0 else end
        if day < 0:
            return max(0, min(52, start + self.rng.randint(-2, 4)))
        value = start + (end - start) * min(1.0, day / 180) + self.rng.randint(-1, 1)
        return max(0, min(52, round(value)))

    def add_visits(self, demo: Demo) -> None:
        rng, k = self.rng, self.k
        weak = k in CMAS_IMPROVED or k in CMAS_UNCHANGED or k == CMAS_UNEVALUABLE
        for day in self.visit_days():
            at_diagnosis = self.on(day) == self.diagnosis
            final = day == self.fu_days
            key = day in (0, self.fu_days)
            cmas = self.cmas_on(day)
            if weak:
                weakness: bool | None = day <= 0 or cmas is None or cmas < 48
            else:
                weakness = at_diagnosis and rng.random() < 0.8
            frac = min(1.0, max(0.0, day / max(self.fu_days, 1)))
            phga = step(self.phga[0] + (self.phga[1] - self.phga[0]) * frac, 0.5)
            row: Row = {
                "patient_id": self.pid,
                "date": self.on(day),
                "weight_kg": self.weight if day == 0 else self.weight_at(day + rng.randint(-5, 5)),
                "height_cm": step(height_for_age(self.age_at(day)), 0.5)
                if key or rng.random() < 0.7
                else None,
                "rash": self.rash_on(day),
                "weakness": weakness,
                "cmas": cmas,
                "catbm_activity": self.catbm_on(day) if not at_diagnosis else None,
                "catbm_damage": self.catbm_damage if key or rng.random() < 0.85 else None,
                "phga": phga if key or rng.random() < 0.8 else None,
            }
            if not at_diagnosis and day > 0 and not final and rng.random() < 0.1:
                row["weight_kg"] = None  # not weighed that day
            if weak and k != CMAS_UNEVALUABLE and key and k % 3 != 1:
                row["mmt8"] = min(80, round(38 + 0.75 * (cmas or 0)))
            if self.chaq and not at_diagnosis:
                base = 1.25 if weak else 0.5
                row["chaq"] = step(max(0.0, base - base * frac + rng.uniform(-0.2, 0.2)), 0.125)
            if self.site_b and not at_diagnosis:
                act, dmg = self.cdasi
                row["cdasi_activity"] = (
                    0
                    if not row["rash"]
                    else max(1, round(act * (1 - min(1.0, max(0.0, day) / 120))))
                )
                row["cdasi_damage"] = dmg
            if k == CMAS_UNEVALUABLE and day <= 0 and not at_diagnosis:
                row["x_note"] = "CMAS not assessable: joint contractures"
            if k == ESCALATED and day == 56:
                row["x_note"] = "ruxolitinib increased to 7.5 mg twice daily"
            demo.visits.append(row)

    # --- labs ---
    def add_labs(self, demo: Demo) -> None:
        rng, k = self.rng, self.k
        lab_days = [-rng.randint(0, 3), 28 + rng.randint(-3, 3), 84 + rng.randint(-3, 3)]
        d = lab_days[-1]
        while True:
            d += rng.randint(80, 100)
            if d >= self.fu_days - 14:
                break
            lab_days.append(d)
        lab_days = [d for d in lab_days if d < self.fu_days - 7] + [self.fu_days]
        screening = -rng.randint(5, 14)
        for analyte, result in (
            ("TB_IGRA", "negative"),
            ("HBsAg", "negative"),
            ("VZV_IgG", "positive" if rng.random() < 0.8 else "negative"),
        ):
            if k == 12 and analyte == "TB_IGRA":
                result = "indeterminate"
            demo.labs.append(
                {
                    "patient_id": self.pid,
                    "date": self.on(screening),
                    "analyte": analyte,
                    "result": result,
                }
            )
        if k == 12:  # repeated after an indeterminate result
            demo.labs.append(
                {
                    "patient_id": self.pid,
                    "date": self.on(screening + 4),
                    "analyte": "TB_IGRA",
                    "result": "negative",
                }
            )
        ldh = LDH_ABNORMAL.get(k, (rng.randint(190, 285), rng.randint(170, 280)))
        ck = CK_ABNORMAL.get(
            k,
            (
                rng.randint(50, 240) if k in LDH_ABNORMAL else rng.randint(45, 160),
                rng.randint(40, 150),
            ),
        )
        lipids = k % 2 == 1
        lymph = rng.uniform(1.4, 3.6)
        neut = rng.uniform(2.0, 6.0)
        hb = rng.uniform(112, 136)
        plt = rng.uniform(190, 410)
        last = lab_days[-1]
        for n, day in enumerate(lab_days):
            frac = 1.0 if day == last else min(1.0, max(0.0, day / last))
            when = self.on(day)
            self.enzyme(demo, when, "CK", self.trend(ck, frac, 0.08), 170)
            self.enzyme(demo, when, "LDH", self.trend(ldh, frac, 0.05), 300)
            if n == 0 or day == last or rng.random() < 0.5:
                self.enzyme(
                    demo,
                    when,
                    "AST",
                    rng.randint(22, 38) + (25 if ldh[0] > 300 and n == 0 else 0),
                    40,
                )
                self.enzyme(demo, when, "ALT", rng.randint(10, 32), 40 if n != 1 else None)
            jak_effect = 0.9 if day > 0 else 1.0
            low_lymph = k == 10 and n == 2
            self.quant(
                demo,
                when,
                "lymphocytes",
                0.8 if low_lymph else round(lymph * jak_effect * rng.uniform(0.9, 1.1), 2),
                "10^9/L",
                1.1,
                4.5,
            )
            self.quant(
                demo,
                when,
                "neutrophils",
                round(neut * rng.uniform(0.85, 1.15), 2),
                "10^9/L",
                1.5,
                7.5,
            )
            hb_g_l = hb * rng.uniform(0.96, 1.04)
            if self.site_b:
                self.quant(demo, when, "hemoglobin", round(hb_g_l / 10, 1), "g/dL", 11.0, 15.0)
            else:
                self.quant(demo, when, "hemoglobin", round(hb_g_l), "g/L", 110, 150)
            self.quant(
                demo, when, "platelets", round(plt * rng.uniform(0.9, 1.1)), "10^9/L", 150, 450
            )
            if n == 0 and rng.random() < 0.6:
                self.quant(demo, when, "CRP", round(rng.uniform(0.5, 6.0), 1), "mg/L", None, 8)
                self.quant(demo, when, "ESR", rng.randint(4, 26), "mm/h", None, 20)
            if lipids and n in (0, 2):
                tc, ldl, tg = rng.uniform(3.6, 5.6), rng.uniform(1.8, 3.6), rng.uniform(0.6, 2.0)
                if self.site_b:
                    self.quant(
                        demo, when, "total_cholesterol", round(tc * 38.67), "mg/dL", None, 200
                    )
                    self.quant(demo, when, "LDL", round(ldl * 38.67), "mg/dL", None, 130)
                    self.quant(demo, when, "triglycerides", round(tg * 88.57), "mg/dL", None, 150)
                else:
                    self.quant(demo, when, "total_cholesterol", round(tc, 2), "mmol/L", None, 5.2)
                    self.quant(demo, when, "LDL", round(ldl, 2), "mmol/L", None, 3.4)
                    self.quant(demo, when, "triglycerides", round(tg, 2), "mmol/L", None, 1.7)

    def trend(self, pair: tuple[int, int], frac: float, noise: float) -> float:
        start, end = pair
        if frac == 0.0:
            return float(start)
        if frac == 1.0:
            return float(end)
        return round((start + (end - start) * frac) * self.rng.uniform(1 - noise, 1 + noise))

    def enzyme(
        self, demo: Demo, when: date, analyte: str, value: float, ref_high: float | None
    ) -> None:
        if self.site_b:  # centre B reports catalytic activity in ukat/L (1 ukat/L = 60 U/L)
            demo.labs.append(
                {
                    "patient_id": self.pid,
                    "date": when,
                    "analyte": analyte,
                    "value": round(value / 60, 2),
                    "unit": "ukat/L",
                    "ref_high": None if ref_high is None else round(ref_high / 60, 2),
                }
            )
        else:
            self.quant(demo, when, analyte, value, "U/L", None, ref_high)

    def quant(
        self,
        demo: Demo,
        when: date,
        analyte: str,
        value: float,
        unit: str,
        ref_low: float | None,
        ref_high: float | None,
    ) -> None:
        demo.labs.append(
            {
                "patient_id": self.pid,
                "date": when,
                "analyte": analyte,
                "value": value,
                "unit": unit,
                "ref_low": ref_low,
                "ref_high": ref_high,
            }
        )

    # --- treatments ---
    def add_treatments(self, demo: Demo) -> None:
        rng, k = self.rng, self.k
        dx = self.day(self.diagnosis)

        def course(
            drug: str,
            dose: float | None,
            unit: str | None,
            freq: str | None,
            route: str | None,
            start: int,
            end: int | None,
            reason: str | None = None,
        ) -> None:
            demo.treatments.append(
                {
                    "patient_id": self.pid,
                    "drug": drug,
                    "dose": dose,
                    "dose_unit": unit,
                    "frequency": freq,
                    "route": route,
                    "start_date": self.on(start),
                    "end_date": None if end is None else self.on(end),
                    "stop_reason": reason,
                }
            )

        pulse = k in INEFFECTIVE or k % 4 == 0
        if pulse:
            course("methylprednisolone", MP_PULSE_MG_KG, "mg/kg", "QD", "iv", dx, dx + 2)
        p0 = dx + (3 if pulse else 0)
        course("prednisolone", PRED_START_MG_KG, "mg/kg", "QD", "oral", p0, dx + 42, "taper")
        course("prednisolone", 1.0, "mg/kg", "QD", "oral", dx + 43, dx + 120, "taper")
        at_index = max(5.0, step(0.4 * self.weight, 2.5))  # flares below this dose
        taper_day = rng.randint(45, 75)
        course("prednisolone", at_index, "mg", "QD", "oral", dx + 121, taper_day - 1, "taper")
        lower = max(2.5, step(at_index / 2, 2.5))
        if self.gc_stop_day is not None:
            course("prednisolone", lower, "mg", "QD", "oral", taper_day, self.gc_stop_day, "taper")
        else:
            course("prednisolone", lower, "mg", "QD", "oral", taper_day, None)
        bsa_route = "sc" if k % 3 else "oral"
        if k in (0, 6, 13, 17, 24):
            stop = -rng.randint(60, 200)
            course(
                "methotrexate", MTX_MG_M2, "mg/m2", "weekly", bsa_route, dx + 7, stop, "ineffective"
            )
            course("mycophenolate", 600, "mg/m2", "BID", "oral", stop + 1, None)
        else:
            course("methotrexate", MTX_MG_M2, "mg/m2", "weekly", bsa_route, dx + 7, None)
        if k in (3, 10, 20):
            start = dx + rng.randint(150, 250)
            course(
                "ciclosporin",
                2.5,
                "mg/kg",
                "BID",
                "oral",
                start,
                min(-30, start + 180),
                "ineffective",
            )
        if k in INEFFECTIVE:
            course(
                "ivig",
                IVIG_G_KG if k % 2 == 0 else 1.0,
                "g/kg",
                "monthly",
                "iv",
                -rng.randint(120, 240),
                None,
            )
        if k % 3 == 0:
            course(
                "hydroxychloroquine",
                100 if k < UNDER_25_KG else 200,
                "mg",
                "QD",
                "oral",
                dx + 30,
                None,
            )
        drug = "tofacitinib" if k in TOFACITINIB else "ruxolitinib"
        dose = 2.5 if k < UNDER_25_KG else 5.0  # Ding: < 25 kg 2.5 mg, >= 25 kg 5 mg twice daily
        if k == ESCALATED:
            course(drug, dose, "mg", "BID", "oral", 0, 55)
            course(drug, 7.5, "mg", "BID", "oral", 56, None)
        elif k == RELAPSE:
            course(drug, dose, "mg", "BID", "oral", 0, 84, "ineffective")
        elif k == LONGEST:
            course(drug, dose, "mg", "BID", "oral", 0, round(18 * DAYS_PER_MONTH), "remission")
        else:
            course(drug, dose, "mg", "BID", "oral", 0, None)

    # --- events ---
    def add_events(self, demo: Demo) -> None:
        def event(day: int, name: str, detail: str | None = None) -> None:
            demo.events.append(
                {"patient_id": self.pid, "date": self.on(day), "event": name, "detail": detail}
            )

        if self.rash_days is not None:
            improving, marked = self.rash_days
            event(improving, "rash_improving")
            event(marked, "rash_marked")
        if self.resolved_day is not None:
            event(self.resolved_day, "rash_resolved")
        if self.k == RELAPSE:
            event(84, "relapse", "rash recurred 4 weeks after resolving")
        if self.gc_stop_day is not None:
            event(self.gc_stop_day, "gc_stopped")


# --- the child of Strauss et al. 2023 (seed 003) ---
MDA5_ID = "MDA5-case"


def mda5_case() -> Demo:
    pid = MDA5_ID
    patient: Row = {
        "patient_id": pid,
        "sex": "M",
        "birth_date": date(2017, 5, 15),  # invented: "4-year-old" in September 2021
        "onset_date": date(2021, 5, 15),  # "over the past 4 months" before admission
        "diagnosis_date": date(2021, 9, 20),  # invented day in September 2021
        "diagnosis": "ADM",  # "hypomyopathic MDA5-positive jDM"
        "bohan_peter": None,  # not given in the paper
        "antibodies": "MDA5;RO52;ANA",  # MDA5 and Ro52 positive, ANA 1:160
        "refractory": None,  # not given in the paper
        "features": "ILD;calcinosis;skin_ulceration;arthritis",
        "site": "Demo Centre C",
    }
    visits: list[Row] = []
    # date, weight, height, rash, weakness, CMAS, cDASI activity, cDASI damage
    # Printed: CMAS 20/52 at admission and 47/52 in January 2023; cDASI 14/2 at admission.
    # Everything else invented (plausible trend).
    course = [
        (date(2021, 9, 13), 17.0, 106.0, True, True, 20, 14, 2),
        (date(2021, 10, 5), 17.4, None, True, True, 22, 12, 2),
        (date(2021, 11, 16), 18.1, 107.5, True, True, 31, 7, 2),
        (date(2022, 1, 11), 18.6, None, True, True, 37, 4, 2),
        (date(2022, 3, 15), 18.9, 110.0, True, True, 41, 2, 2),
        (date(2022, 6, 14), 19.4, 112.0, False, True, 44, 0, 2),
        (date(2022, 9, 13), 19.8, 113.5, False, False, 45, 0, 2),
        (date(2022, 11, 15), 20.1, None, False, False, 46, 0, 2),
        (date(2023, 1, 17), 20.6, 116.0, False, False, 47, 0, 2),
    ]
    for when, weight, height, rash, weak, cmas, act, dmg in course:
        visits.append(
            {
                "patient_id": pid,
                "date": when,
                "weight_kg": weight,
                "height_cm": height,
                "rash": rash,
                "weakness": weak,
                "cmas": cmas,
                "cdasi_activity": act,
                "cdasi_damage": dmg,
            }
        )
    visits[0]["x_note"] = "admission; CMAS 20/52 and cDASI 14/2 as published"
    visits[-1]["x_note"] = "CMAS 47/52 as published (January 2023)"

    labs: list[Row] = []

    def lab(
        when: date, analyte: str, value: float, unit: str, low: float | None, high: float | None
    ) -> None:
        labs.append(
            {
                "patient_id": pid,
                "date": when,
                "analyte": analyte,
                "value": value,
                "unit": unit,
                "ref_low": low,
                "ref_high": high,
            }
        )

    admission = date(2021, 9, 13)
    printed = "µmol/(s*L)"  # as printed in the paper
    lab(admission, "CK", 0.26, printed, None, 3.17)
    lab(admission, "aldolase", 0.22, printed, None, 0.2)
    lab(admission, "LDH", 5.37, printed, 2.0, 5.0)
    lab(admission, "AST", 0.54, printed, None, 0.88)
    lab(admission, "IFN_score", 4124, "score", None, 12.49)
    # invented follow-up values (the paper shows the IFN score falling, figure 3)
    for when, ifn, ldh, ck, unit in (
        (date(2021, 11, 16), 980, 4.6, 0.31, "µkat/L"),
        (date(2022, 1, 11), 310, 4.1, 0.35, "µkat/L"),
        (date(2022, 3, 15), 96, 3.8, 0.40, "ukat/L"),
        (date(2022, 6, 14), 41, 3.6, 0.38, "ukat/L"),
        (date(2022, 9, 13), 23, 3.5, 0.41, "µkat/L"),
        (date(2023, 1, 17), 9.8, 3.4, 0.39, "µkat/L"),
    ):
        lab(when, "IFN_score", ifn, "score", None, 12.49)
        lab(when, "LDH", ldh, unit, 2.0, 5.0)
        lab(when, "CK", ck, unit, None, 3.17)
    lab(date(2021, 11, 16), "aldolase", 0.14, "µkat/L", None, 0.2)
    for when, lymph, neut, hb, plt in (
        (admission, 1.2, 5.9, 108, 389),
        (date(2021, 11, 16), 1.6, 4.1, 115, 341),
        (date(2022, 3, 15), 1.9, 3.5, 121, 302),
        (date(2023, 1, 17), 2.4, 3.1, 126, 287),
    ):
        lab(when, "lymphocytes", lymph, "10^9/L", 1.5, 7.0)
        lab(when, "neutrophils", neut, "10^9/L", 1.5, 8.0)
        lab(when, "hemoglobin", hb, "g/L", 110, 140)
        lab(when, "platelets", plt, "10^9/L", 150, 450)
    screening = date(2021, 10, 1)
    for analyte, result in (
        ("TB_IGRA", "negative"),
        ("HBsAg", "negative"),
        ("anti_HBc", "negative"),
        ("VZV_IgG", "positive"),
    ):
        labs.append({"patient_id": pid, "date": screening, "analyte": analyte, "result": result})

    treatments: list[Row] = []

    def course_(
        drug: str,
        dose: float | None,
        unit: str | None,
        freq: str | None,
        route: str | None,
        start: date,
        end: date | None,
        reason: str | None = None,
    ) -> None:
        treatments.append(
            {
                "patient_id": pid,
                "drug": drug,
                "dose": dose,
                "dose_unit": unit,
                "frequency": freq,
                "route": route,
                "start_date": start,
                "end_date": end,
                "stop_reason": reason,
            }
        )

    # Printed: prednisolone 1 mg/kg, MTX 12.5 mg/m2 and adalimumab 20 mg started at the
    # external clinic; prednisolone tapered and stopped after six months; IVIG stopped after
    # 13 months; hydroxychloroquine 200 mg/day; ruxolitinib 5 mg twice daily from October
    # 2021; cotrimoxazole for PJP. Dates, taper steps, IVIG dose and the rest invented.
    course_(
        "prednisolone", 1.0, "mg/kg", "QD", "oral", date(2021, 8, 23), date(2021, 11, 15), "taper"
    )
    course_(
        "prednisolone", 0.5, "mg/kg", "QD", "oral", date(2021, 11, 16), date(2022, 1, 10), "taper"
    )
    course_(
        "prednisolone", 0.2, "mg/kg", "QD", "oral", date(2022, 1, 11), date(2022, 3, 14), "taper"
    )
    course_(
        "methotrexate",
        12.5,
        "mg/m2",
        "weekly",
        None,
        date(2021, 8, 23),
        date(2021, 9, 13),
        "adverse_event",
    )  # suspected MTX pneumonitis on transfer
    course_("adalimumab", 20, "mg", None, "sc", date(2021, 8, 23), date(2021, 9, 13), "other")
    course_("cotrimoxazole", None, None, None, "iv", date(2021, 9, 17), date(2021, 10, 7), "other")
    course_("cotrimoxazole", None, None, None, "oral", date(2021, 10, 8), None)  # prophylaxis
    course_("ivig", 2.0, "g/kg", "monthly", "iv", date(2021, 9, 15), date(2022, 10, 15))
    course_("hydroxychloroquine", 200, "mg", "QD", "oral", date(2021, 9, 15), None)
    course_(
        "mometasone", None, None, None, "topical", date(2021, 9, 15), date(2021, 12, 14), "other"
    )
    course_(
        "tacrolimus",
        None,
        None,
        None,
        "topical",
        date(2021, 12, 15),
        date(2022, 6, 14),
        "remission",
    )
    course_("ruxolitinib", 5, "mg", "BID", "oral", date(2021, 10, 5), None)

    events: list[Row] = [
        {"patient_id": pid, "date": date(2021, 9, 17), "event": "infection", "detail": "PJP"},
        {"patient_id": pid, "date": date(2021, 10, 19), "event": "rash_improving"},
        {"patient_id": pid, "date": date(2021, 11, 16), "event": "rash_marked"},
        {"patient_id": pid, "date": date(2022, 3, 14), "event": "gc_stopped"},
        {"patient_id": pid, "date": date(2022, 6, 14), "event": "rash_resolved"},
    ]
    return Demo([patient], visits, labs, treatments, events)


# --- the child of Strauss et al. 2023 in format version 2 (tests/domain/seed003_record.py is
# the truth: every fact at the precision the paper gives, "2021-09" for September 2021) ---
SEP_2021 = "2021-09"


def mda5_case_v2(demo: Demo) -> dict[str, list[Row]]:
    """The version 2 rows of the child: his background, antibody tests with the ANA titre,
    family history, dated organ involvement, investigations, the course detail the paper
    gives (formulation, strength, indication, where applied, given elsewhere), the courses
    and events known only to the month or year, and the decision to start ruxolitinib.
    The version 1 rows above stay as they are (their invented days are listed in the
    README); version 2 adds what the paper says and version 1 could not hold."""
    pid = MDA5_ID
    demo.patients[0].update(subtype="hypomyopathic", first_specialist_contact=SEP_2021)

    def detail(drug: str, start: date, **cells: object) -> None:
        for row in demo.treatments:
            if row["drug"] == drug and row["start_date"] == start:
                row.update(cells)
                return
        raise AssertionError(f"no {drug} course starting {start}")

    elsewhere = "yes"  # "initiated at the external clinic"
    detail(
        "prednisolone",
        date(2021, 8, 23),
        prescribed_elsewhere=elsewhere,
        free_text="continuously tapered",
    )
    detail("methotrexate", date(2021, 8, 23), prescribed_elsewhere=elsewhere)
    detail("adalimumab", date(2021, 8, 23), prescribed_elsewhere=elsewhere)
    detail("cotrimoxazole", date(2021, 9, 17), indication="treatment")  # for PJP pneumonia
    detail("cotrimoxazole", date(2021, 10, 8), indication="prophylaxis")
    detail("ivig", date(2021, 9, 15), status="stopped")  # "stopped after 13 months"
    detail("mometasone", date(2021, 9, 15), sites_excluded="face", status="stopped")
    detail(
        "tacrolimus", date(2021, 12, 15), formulation="ointment", strength=0.1, strength_unit="%"
    )  # "topical 0.1% tacrolimus ointment"
    detail("ruxolitinib", date(2021, 10, 5), indication="treatment", status="ongoing")
    # Known only to the year: the empirical antibiotic at the external clinic.
    demo.treatments.append(
        {
            "patient_id": pid,
            "drug": "ampicillin/sulbactam",
            "start_date": "2021",
            "indication": "empirical",
            "prescribed_elsewhere": elsewhere,
        }
    )
    for row in demo.events:
        if row["event"] == "infection":
            row.update(organism="pneumocystis_jirovecii", specimen="bronchoalveolar lavage")
    demo.events += [
        {
            "patient_id": pid,
            "date": "2021",
            "event": "hospital_admission",
            "detail": "external clinic",
        },
        {"patient_id": pid, "date": SEP_2021, "event": "hospital_admission"},
        {"patient_id": pid, "date": SEP_2021, "event": "ild_diagnosed"},
        {
            "patient_id": pid,
            "date": "2023",
            "event": "remission",
            "detail": "sustained stable remission 'as of today'",
        },
    ]
    return {
        "antibody_tests.csv": [
            {
                "patient_id": pid,
                "date": SEP_2021,
                "antibody": "ANA",
                "result": "positive",
                "titre": 160,
            },
            {"patient_id": pid, "date": SEP_2021, "antibody": "MDA5", "result": "positive"},
            {"patient_id": pid, "date": SEP_2021, "antibody": "RO52", "result": "positive"},
        ],
        "family_history.csv": [
            {"patient_id": pid, "relative": "father", "condition": "psoriatic_arthritis"},
        ],
        "organ_involvement.csv": [
            {"patient_id": pid, "organ": "ILD", "onset_date": SEP_2021, "certainty": "suspected"},
            {
                "patient_id": pid,
                "organ": "calcinosis",
                "onset_date": SEP_2021,
                "resolved": "yes",
                "sites": "elbows",
            },
            {
                "patient_id": pid,
                "organ": "skin_ulceration",
                "onset_date": "2021",
                "resolved": "yes",
                "sites": "elbows",
                "free_text": "minor remaining scarring",
            },
            {
                "patient_id": pid,
                "organ": "arthritis",
                "onset_date": "2021",
                "sites": "hands_pip;hands_mcp;knees;elbows",
            },
        ],
        "chest_ct.csv": [
            {
                "patient_id": pid,
                "date": SEP_2021,
                "findings": "ground_glass_opacity;other",
                "pattern": "not_classified",
                "change": "first_study",
                "free_text": "ventral; pleural round spot between middle lobe and upper lobe",
            },
            {
                "patient_id": pid,
                "date": "2021-11",
                "findings": "ground_glass_opacity",
                "lobes": "right_middle;right_upper",
                "change": "near_complete_resolution",
                "free_text": "minor interstitial drawing proliferation",
            },
        ],
        "oxygen.csv": [
            {
                "patient_id": pid,
                "date": SEP_2021,
                "support": "supplemental_not_stated",
                "free_text": (
                    "acute respiratory insufficiency; tachydyspnoea, bilateral moist rales"
                ),
            },
        ],
        "bal.csv": [
            {
                "patient_id": pid,
                "date": SEP_2021,
                "cytology": "lymphocytic",
                "organisms": "pneumocystis_jirovecii",
            },
        ],
        "muscle_mri.csv": [
            {
                "patient_id": pid,
                "date": SEP_2021,
                "regions": "lower_extremities;pelvis",
                "atrophy": "yes",
                "consistent_with_myositis": "no",
            },
        ],
        "muscle_ultrasound.csv": [
            {
                "patient_id": pid,
                "date": SEP_2021,
                "regions": "lower_extremities;pelvis",
                "atrophy": "yes",
                "consistent_with_myositis": "no",
            },
        ],
        "capillaroscopy.csv": [
            {"patient_id": pid, "date": SEP_2021, "result": "normal"},
        ],
        "decisions.csv": [
            {
                "patient_id": pid,
                "decided_on": "2021-10",
                "decision": "jak_start_planned",
                "drug": "ruxolitinib",
                "status": "done",
            },
        ],
    }


# --- writing ---
COLUMNS = {
    "patients.csv": [
        "patient_id",
        "sex",
        "birth_date",
        "onset_date",
        "diagnosis_date",
        "diagnosis",
        "bohan_peter",
        "antibodies",
        "refractory",
        "features",
        "site",
    ],
    "visits.csv": [
        "patient_id",
        "date",
        "weight_kg",
        "height_cm",
        "rash",
        "weakness",
        "cmas",
        "mmt8",
        "catbm_activity",
        "catbm_damage",
        "cdasi_activity",
        "cdasi_damage",
        "phga",
        "chaq",
        "x_note",
    ],
    "labs.csv": ["patient_id", "date", "analyte", "value", "result", "unit", "ref_low", "ref_high"],
    "treatments.csv": [
        "patient_id",
        "drug",
        "dose",
        "dose_unit",
        "frequency",
        "route",
        "start_date",
        "end_date",
        "stop_reason",
    ],
    "events.csv": ["patient_id", "date", "event", "detail", "grade"],
}


def _columns(name: str, rows: list[Row]) -> list[str]:
    """The version 1 columns, then the version 2 columns some row fills (FILES_V2 order)."""
    used = {c for row in rows for c in row}
    extra = [c.name for c in FILES_V2[name] if c.name in used and c.name not in COLUMNS[name]]
    return (
        COLUMNS[name][: len(COLUMNS[name]) - (name == "visits.csv")]
        + extra
        + (["x_note"] if name == "visits.csv" else [])
    )


def text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.10g}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write(path: Path, columns: list[str], rows: Iterable[Row]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            unknown = set(row) - set(columns)
            assert not unknown, unknown
            writer.writerow([text(row.get(c)) for c in columns])


def main(out: Path) -> None:
    rng = random.Random(SEED)
    series = case_series(rng)
    child = mda5_case()
    new_files = mda5_case_v2(child)
    out.mkdir(parents=True, exist_ok=True)
    key = {"patients.csv": lambda r: str(r["patient_id"])}
    tables = {
        "patients.csv": series.patients + child.patients,
        "visits.csv": series.visits + child.visits,
        "labs.csv": series.labs + child.labs,
        "treatments.csv": series.treatments + child.treatments,
        "events.csv": series.events + child.events,
    }
    for name, rows in tables.items():
        if name in key:
            rows = sorted(rows, key=key[name])
        elif name == "treatments.csv":
            rows = sorted(
                rows, key=lambda r: (str(r["patient_id"]), str(r["start_date"]), str(r["drug"]))
            )
        else:
            rows = sorted(
                rows,
                key=lambda r: (
                    str(r["patient_id"]),
                    str(r["date"]),
                    str(r.get("analyte", r.get("event", ""))),
                ),
            )
        write(out / name, _columns(name, rows), rows)
    for name, rows in new_files.items():
        write(out / name, [c.name for c in FILES_V2[name]], rows)
    (out / "cohort.toml").write_text(
        f"format_version = 2\ncutoff_date = {CUTOFF.isoformat()}\n", encoding="utf-8"
    )

    from myotrack.cohort import read_folder

    cohort, issues = read_folder(out)
    for issue in issues:
        print(issue)
    assert cohort is not None and not issues
    print(f"{len(cohort.v2_rows)} format version 2 records")
    print(
        f"{out}: {len(cohort.patients)} patients, {len(cohort.visits)} visits, "
        f"{len(cohort.labs)} lab results, {len(cohort.courses)} drug courses, "
        f"{len(cohort.events)} events"
    )


if __name__ == "__main__":
    default = Path(__file__).resolve().parents[1] / "src" / "myotrack" / "data" / "demo"
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
