"""Synthetic cohorts of fictional JDM patients, for trying myotrack on realistic volumes and
for benchmarks (`myotrack synth`).

`synthesize` is pure apart from its own `random.Random(seed)`: the same arguments give the
same Cohort, and every object obeys the cohort folder format (docs/cohort-format.md), so
`write_folder` followed by `read_folder` gives it back without a single issue.

Nothing here is a clinical rule. The courses are invented: a disease-activity curve per
patient (falling slowly on standard care, faster after a JAK inhibitor) from which the
visit scores, muscle enzymes, rash and rash events are derived, with about 13 % of visit
cells left empty. Frequencies and doses are chosen to look like published JDM cohorts;
where a figure comes from a publication, the comment says which. Reference limits are
those of a fictional laboratory.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from myotrack.domain import (
    Cohort,
    DrugCourse,
    Event,
    LabResult,
    Patient,
    ReportedValue,
    Visit,
)
from myotrack.domain.units import import_conversion

# Onsets fall in 2008-2017, so that even the longest synthetic follow-up (about 6.7 years
# after onset) ends before 2025: no record is dated after today (the importer refuses it).
FIRST_ONSET: Final = date(2008, 1, 1)
ONSET_WINDOW_DAYS: Final = 3650
DAYS_PER_YEAR: Final = 365.25
SITES: Final = 5

# Myositis-specific antibodies are essentially mutually exclusive (Tansley SL et al.,
# J Autoimmun 2017); about 55 % of JDM patients carry one. Frequencies in JDM from
# Curr Rheumatol Rep 2019;21:74 Table 1 and Rider LG et al., Medicine 2013 (see
# shared/spec/criteria-therapy.md §6.3): TIF1-γ 18-32 %, NXP2 15-23 %, MDA5 7-38 %,
# Mi-2 4-10 %, SAE ≈ 1 %, SRP ≈ 2 %, HMGCR ≈ 1 %, anti-synthetase 1-5 %.
MSA_FREQUENCIES: Final = (
    ("TIF1G", 0.22),
    ("NXP2", 0.18),
    ("MDA5", 0.07),
    ("MI2", 0.05),
    ("SAE", 0.01),
    ("SRP", 0.01),
    ("HMGCR", 0.01),
    ("JO1", 0.01),
)
RO52_FREQUENCY: Final = 0.14  # Ro52 in 14 % of JDM (42/302), criteria-therapy.md §6.3
NOT_TESTED: Final = 0.08  # antibodies cell left empty

# Starting JAK-inhibitor dose by weight: < 25 kg 2.5 mg, >= 25 kg 5 mg twice daily
# (Ding Y et al., Ann Rheum Dis 2021;80:543); one escalation step as observed there (7.5 mg).
JAK_WEIGHT_LIMIT_KG: Final = 25.0
JAK_DOSE_LIGHT_MG: Final = 2.5
JAK_DOSE_HEAVY_MG: Final = 5.0
JAK_DOSE_STEP_MG: Final = 2.5
# Standard care doses (SHARE recommendations, Bellutti Enders F et al., Ann Rheum Dis
# 2017;76:329): prednisolone 2 mg/kg/day, methylprednisolone pulses 30 mg/kg,
# methotrexate 15 mg/m2 weekly, IVIG 2 g/kg monthly. Source status (criteria-therapy.md
# §7.2): MTX 15-20 mg/m2/week is VERIFIED in SHARE Table 3; the prednisolone 1-2 mg/kg/day
# and methylprednisolone 15-30 mg/kg figures are SECONDARY (a summary of SHARE); the IVIG
# dose is illustrative. Synthetic data only, not dosing advice.
PRED_MG_KG: Final = 2.0
MP_PULSE_MG_KG: Final = 30.0
MTX_MG_M2: Final = 15.0
IVIG_G_KG: Final = 2.0

RASH_THRESHOLD: Final = 0.12  # skin activity above which a rash is visible (model)
MISSING: Final = 0.15  # chance that an optional visit cell is empty


@dataclass(frozen=True, slots=True)
class _Analyte:
    name: str
    unit: str
    ref_low: float | None
    ref_high: float | None
    digits: int


# The fictional laboratory: canonical unit, reference limits and printed decimals.
_LAB: Final = {
    "CK": _Analyte("CK", "U/L", None, 170.0, 0),
    "LDH": _Analyte("LDH", "U/L", 120.0, 300.0, 0),
    "AST": _Analyte("AST", "U/L", None, 40.0, 0),
    "ALT": _Analyte("ALT", "U/L", None, 40.0, 0),
    "aldolase": _Analyte("aldolase", "U/L", None, 7.6, 1),
    # "< 12.49": the reference printed in the MDA5+ case report (seed 003); its method is
    # UNVERIFIED and it is not the Rice 2017 cut-off 2.466 (criteria-therapy.md §3.2).
    "IFN_score": _Analyte("IFN_score", "score", None, 12.49, 1),
    "lymphocytes": _Analyte("lymphocytes", "10^9/L", 1.1, 4.5, 2),
    "neutrophils": _Analyte("neutrophils", "10^9/L", 1.5, 7.5, 2),
    "hemoglobin": _Analyte("hemoglobin", "g/L", 110.0, 150.0, 0),
    "platelets": _Analyte("platelets", "10^9/L", 150.0, 450.0, 0),
    "CRP": _Analyte("CRP", "mg/L", None, 5.0, 1),
    "ESR": _Analyte("ESR", "mm/h", None, 20.0, 0),
    "ferritin": _Analyte("ferritin", "ug/L", 10.0, 140.0, 0),
    "KL6": _Analyte("KL6", "U/mL", None, 500.0, 0),
    "total_cholesterol": _Analyte("total_cholesterol", "mmol/L", None, 5.2, 2),
    "LDL": _Analyte("LDL", "mmol/L", None, 3.4, 2),
    "triglycerides": _Analyte("triglycerides", "mmol/L", None, 1.7, 2),
}
CORE_PANEL: Final = (
    "CK",
    "LDH",
    "AST",
    "ALT",
    "lymphocytes",
    "neutrophils",
    "hemoglobin",
    "platelets",
)
EXTRA_PANEL: Final = (
    "aldolase",
    "IFN_score",
    "CRP",
    "ESR",
    "ferritin",
    "KL6",
    "total_cholesterol",
    "LDL",
    "triglycerides",
)
ENZYMES: Final = frozenset({"CK", "LDH", "AST", "ALT", "aldolase"})
# How each synthetic centre writes its units (to exercise the importer's conversions).
_ENZYME_UNIT: Final = ("U/L", "µkat/L", "U/L", "ukat/L", "U/L")
_HB_IN_G_DL: Final = (False, False, True, False, True)
_LIPIDS_IN_MG_DL: Final = (False, False, False, False, True)
# Definitional factors, as in myotrack.domain.units: cholesterol 38.67, triglycerides 88.57
_MG_DL_PER_MMOL: Final = {"total_cholesterol": 38.67, "LDL": 38.67, "triglycerides": 88.57}

_SCALE: Final = (1.0, 10.0, 100.0)  # 10 ** printed decimals


def synthesize(
    n_patients: int,
    *,
    seed: int = 0,
    visits_per_patient: int = 30,
    labs_per_patient: int = 100,
) -> Cohort:
    """A cohort of `n_patients` fictional patients, reproducible by `seed`.

    Each patient has exactly `visits_per_patient` visits (on distinct dates) and
    `labs_per_patient` lab results (unique by date and analyte), drug courses and events.
    """
    if n_patients < 0 or visits_per_patient < 1 or labs_per_patient < 0:
        raise ValueError(
            "n_patients and labs_per_patient must be 0 or more, visits_per_patient 1 or more"
        )
    rng = random.Random(seed)
    width = max(4, len(str(n_patients)))
    patients: list[Patient] = []
    visits: list[Visit] = []
    labs: list[LabResult] = []
    courses: list[DrugCourse] = []
    events: list[Event] = []
    latest: date | None = None
    for number in range(1, n_patients + 1):
        course = _Course(rng, f"SYN-{number:0{width}d}", visits_per_patient, labs_per_patient)
        patients.append(course.patient())
        course.add_visits(visits)
        course.add_labs(labs)
        course.add_courses(courses)
        course.add_events(events)
        latest = course.end if latest is None else max(latest, course.end)
    return Cohort(
        patients=tuple(patients),
        visits=tuple(visits),
        labs=tuple(labs),
        courses=tuple(courses),
        events=tuple(events),
        cutoff_date=latest,
    )


def _weight_kg(age: float) -> float:
    """A rough weight-for-age curve of the model (not a growth reference)."""
    return 8.0 + 2.1 * age + 0.06 * age * age


def _height_cm(age: float) -> float:
    """A rough height-for-age curve of the model (not a growth reference)."""
    return 175.0 - 125.0 * math.exp(-age / 7.5)


def _step(value: float, unit: float) -> float:
    return round(round(value / unit) * unit, 3)


class _Course:
    """One fictional patient: dates, an activity curve, and everything derived from them.

    Days are counted from the diagnosis date (day 0); `self.index` is the day of the first
    JAK-inhibitor dose (None without one); `self.span` the day of the last visit.
    """

    def __init__(self, rng: random.Random, pid: str, n_visits: int, n_labs: int) -> None:
        self.rng, self.pid, self.n_visits, self.n_labs = rng, pid, n_visits, n_labs
        r = rng.random
        self.site = rng.randrange(SITES)
        self.sex = "F" if r() < 0.62 else "M"
        onset_age = min(15.5, max(1.5, rng.gauss(7.0, 3.5)))
        self.onset = FIRST_ONSET + timedelta(days=rng.randrange(ONSET_WINDOW_DAYS))
        self.birth = self.onset - timedelta(days=round(onset_age * DAYS_PER_YEAR))
        self.diagnosis = self.onset + timedelta(days=rng.randint(14, 240))
        self.age0 = (self.diagnosis - self.birth).days / DAYS_PER_YEAR
        self.day0 = self.diagnosis.toordinal()
        self.kind = "JDM" if r() < 0.92 else ("ADM" if r() < 0.7 else "other")
        self.antibodies = self._antibodies()
        on_jaki = r() < 0.85
        self.index: int | None = rng.randint(90, 1100) if on_jaki else None
        follow = rng.randint(180, 1100)
        needed = 7 * max(n_visits, math.ceil(n_labs / len(CORE_PANEL)) + 2)
        self.span = max((self.index or 0) + follow, needed)
        self.end = self.diagnosis + timedelta(days=self.span)
        # the activity model
        self.a0 = rng.uniform(0.5, 1.0)
        self.skin = rng.uniform(0.5, 1.0)
        self.muscle = rng.uniform(0.0, 0.2) if self.kind == "ADM" else rng.uniform(0.2, 1.0)
        self.plateau = rng.uniform(0.3, 0.6)  # refractory: standard care leaves this much
        self.tau = rng.uniform(40.0, 160.0)  # days for activity to fall by 1/e on the JAKi
        self.wfac = rng.uniform(0.85, 1.2)
        self.hfac = rng.uniform(0.95, 1.05)
        self.catbm_damage = float(rng.choice((0, 0, 0, 1, 1, 2, 3)))
        self.cdasi_damage = float(rng.randint(0, 6))
        self.at_index = 0.0 if self.index is None else self.activity(self.index)
        self.residual = self.at_index * rng.uniform(0.0, 0.6)  # what the JAKi leaves
        self.relapse: int | None = None
        self.gc_stop: int | None = None
        self._plan_rash_and_relapse()
        self._plan_glucocorticoids()

    # ---- the patient ----
    def _antibodies(self) -> tuple[str, ...]:
        r = self.rng.random()
        if r < NOT_TESTED:
            return ()
        r = self.rng.random()
        msa: str | None = None
        for name, p in MSA_FREQUENCIES:
            if r < p:
                msa = name
                break
            r -= p
        found = [msa] if msa else []
        if self.rng.random() < RO52_FREQUENCY:
            found.append("RO52")
        return tuple(found) or ("none",)

    def patient(self) -> Patient:
        r = self.rng.random
        refractory: str | None = None
        if self.index is not None:
            x = r()
            refractory = "ineffective" if x < 0.3 else ("gc_dependent" if x < 0.8 else "no")
        elif r() < 0.5:
            refractory = "no"
        features = []
        if "MDA5" in self.antibodies:
            features += [f for f in ("ILD", "arthritis", "skin_ulceration") if r() < 0.4]
        if "NXP2" in self.antibodies and r() < 0.3:
            features.append("calcinosis")
        if "TIF1G" in self.antibodies and r() < 0.1:
            features.append("lipodystrophy")
        if self.muscle > 0.8 and r() < 0.2:
            features.append("dysphagia")
        x = r()
        bohan_peter = (
            "definite" if x < 0.6 else "probable" if x < 0.9 else ("possible" if x < 0.95 else None)
        )
        return Patient(
            patient_id=self.pid,
            sex=self.sex,
            birth_date=self.birth,
            diagnosis=self.kind,
            onset_date=self.onset,
            diagnosis_date=self.diagnosis,
            bohan_peter=bohan_peter,
            antibodies=self.antibodies,
            refractory=refractory,
            features=tuple(features) if features else (("none",) if r() < 0.7 else ()),
            site=f"Synthetic Centre {self.site + 1}",
        )

    # ---- the activity model ----
    def activity(self, day: int) -> float:
        """Disease activity 0..1 on `day` (noise-free)."""
        if self.index is None or day <= self.index:
            slow = 120.0 if self.index is None else 90.0
            floor = 0.15 if self.index is None else self.plateau
            return self.a0 * (floor + (1 - floor) * math.exp(-day / slow))
        rest = self.residual
        a = rest + (self.at_index - rest) * math.exp(-(day - self.index) / self.tau)
        if self.relapse is not None and day >= self.relapse:
            a = max(a, 0.4)
        return a

    def _plan_rash_and_relapse(self) -> None:
        self.rash_events: list[tuple[int, str]] = []
        if self.index is None:
            return
        if self.at_index * self.skin <= RASH_THRESHOLD:
            return
        idx, tau = self.index, self.tau
        # Activity falls from at_index towards the residual level. First visible
        # improvement when 20 %, obvious when 50 % of the way down; resolved when the
        # rash falls below the visible threshold (a faint rash may resolve sooner: then
        # the three come in quick order), never if the residual level is still visible.
        excess = self.at_index - self.residual
        below = RASH_THRESHOLD / self.skin - self.residual
        if below > 0:
            resolved = idx + max(3, math.ceil(tau * math.log(excess / below)))
        else:
            resolved = self.span + 1
        marked = min(idx + max(2, round(tau * math.log(1 / 0.5))), resolved - 1)
        improving = min(idx + max(1, round(tau * math.log(1 / 0.8))), marked - 1)
        for day, name in (
            (improving, "rash_improving"),
            (marked, "rash_marked"),
            (resolved, "rash_resolved"),
        ):
            if day < self.span:
                self.rash_events.append((day, name))
        if resolved < self.span - 60 and self.rng.random() < 0.06:
            self.relapse = resolved + self.rng.randint(28, min(180, self.span - resolved - 1))

    def rash_on(self, day: int) -> bool:
        return self.activity(day) * self.skin > RASH_THRESHOLD

    def _plan_glucocorticoids(self) -> None:
        r = self.rng
        if self.index is not None:
            if r.random() < 0.45:
                stop = self.index + r.randint(90, 400)
                self.gc_stop = stop if stop < self.span else None
        elif r.random() < 0.5:
            stop = r.randint(300, 700)
            self.gc_stop = stop if stop < self.span else None

    # ---- visits ----
    def _days(self, count: int, fixed: list[int], first: int) -> list[int]:
        """`count` distinct days in [first, span], the `fixed` ones first."""
        chosen = list(dict.fromkeys(d for d in fixed if first <= d <= self.span))[:count]
        wanted = count - len(chosen)
        if wanted > 0:
            taken = set(chosen)
            pool = self.rng.sample(range(first, self.span + 1), wanted + len(taken))
            chosen += [d for d in pool if d not in taken][:wanted]
        chosen.sort()
        return chosen

    def day_date(self, day: int) -> date:
        return date.fromordinal(self.day0 + day)

    def weight_on(self, day: int) -> float:
        return round(_weight_kg(self.age0 + day / DAYS_PER_YEAR) * self.wfac, 1)

    def add_visits(self, out: list[Visit]) -> None:
        r, bits = self.rng.random, self.rng.getrandbits
        fixed = [self.index] if self.index is not None else []
        fixed += [0, self.span]
        muscle, skin, pid = self.muscle, self.skin, self.pid
        catbm_damage, cdasi_damage = self.catbm_damage, self.cdasi_damage
        for day in self._days(self.n_visits, fixed, 0):
            a = self.activity(day)
            noisy = min(1.0, max(0.0, a + (r() - 0.5) * 0.1))
            am, ask = noisy * muscle, noisy * skin
            key = day == self.index
            scores: list[float | None] = [
                float(round(52 - 45 * am)),  # cmas
                float(round(80 - 40 * am)),  # mmt8
                float(round(14 * ask)),  # catbm_activity
                catbm_damage,
                float(round(40 * ask)),  # cdasi_activity
                cdasi_damage,
                float(round(9 * ask)),  # das_skin
                float(round(11 * am)),  # das_muscle
                round(10 * noisy, 1),  # phga
                round(min(10.0, max(0.0, 10 * noisy + 2 * r() - 1)), 1),  # parent_global
                round(min(3.0, 3 * am) * 8) / 8,  # chaq, in steps of 1/8
            ]
            # each optional cell is left empty with chance 1/8 (3 random bits per cell)
            mask = bits(3 * len(scores) + 12)
            for i in range(len(scores)):
                if not (mask >> (3 * i)) & 7:
                    scores[i] = None
            mask >>= 3 * len(scores)
            if key:  # the start visit is complete: weight for the dose, rash, weakness
                weight: float | None = self.weight_on(day)
                rash: bool | None = self.rash_on(day)
                weak: bool | None = a * muscle > 0.15
            else:
                weight = self.weight_on(day) * (0.98 + 0.04 * r())
                weight = None if not mask & 7 else round(weight, 1)
                rash = None if not (mask >> 3) & 15 else self.rash_on(day)
                weak = None if not (mask >> 7) & 15 else a * muscle > 0.15
            height = (
                None
                if r() < 0.3
                else round(_height_cm(self.age0 + day / DAYS_PER_YEAR) * self.hfac, 1)
            )
            c = scores
            out.append(
                Visit(
                    pid,
                    self.day_date(day),
                    weight,
                    height,
                    rash,
                    weak,
                    cmas=c[0],
                    mmt8=c[1],
                    catbm_activity=c[2],
                    catbm_damage=c[3],
                    cdasi_activity=c[4],
                    cdasi_damage=c[5],
                    das_skin=c[6],
                    das_muscle=c[7],
                    phga=c[8],
                    parent_global=c[9],
                    chaq=c[10],
                )
            )

    # ---- labs ----
    def add_labs(self, out: list[LabResult]) -> None:
        rng, n = self.rng, self.n_labs
        if n == 0:
            return
        screening = self.index is not None and n >= 10
        if screening:
            assert self.index is not None
            when = self.day_date(self.index - 7)
            vzv = "positive" if rng.random() < 0.85 else "negative"
            tb = "negative" if rng.random() < 0.97 else "indeterminate"
            for analyte, result in (("TB_IGRA", tb), ("HBsAg", "negative"), ("VZV_IgG", vzv)):
                out.append(LabResult(self.pid, when, analyte, result=result))
            n -= 3
        panels: list[list[str]] = []
        total = 0
        while total < n:
            panel = list(CORE_PANEL) + [x for x in EXTRA_PANEL if rng.random() < 0.3]
            panel = panel[: n - total]
            panels.append(panel)
            total += len(panel)
        fixed = [self.span]
        if self.index is not None:
            fixed.insert(0, max(0, self.index - 3))
        days = self._days(len(panels), fixed, 0)
        values = _LabValues(self, rng)
        make, index = values.result, self.index
        for day, panel in zip(days, panels, strict=True):
            when = self.day_date(day)
            a = self.activity(day)
            am = a * self.muscle
            on_jaki = index is not None and day > index
            for analyte in panel:
                out.append(make(analyte, a, am, on_jaki, when))

    # ---- treatments ----
    def add_courses(self, out: list[DrugCourse]) -> None:
        rng = self.rng
        pid, on = self.pid, self.day_date

        def course(
            drug: str,
            dose: float | None,
            unit: str | None,
            freq: str | None,
            route: str,
            start: int,
            end: int | None,
            reason: str | None = None,
        ) -> None:
            out.append(
                DrugCourse(
                    pid,
                    drug,
                    on(start),
                    None if end is None else on(end),
                    dose,
                    unit,
                    freq,
                    route,
                    reason,
                )
            )

        pulse = rng.random() < 0.4
        if pulse:
            course("methylprednisolone", MP_PULSE_MG_KG, "mg/kg", "QD", "iv", 0, 2)
        first = 3 if pulse else 0
        course("prednisolone", PRED_MG_KG, "mg/kg", "QD", "oral", first, 42, "taper")
        course("prednisolone", 1.0, "mg/kg", "QD", "oral", 43, 120, "taper")
        low = max(2.5, _step(0.3 * self.weight_on(121), 2.5))
        if self.index is None:
            course(
                "prednisolone",
                low,
                "mg",
                "QD",
                "oral",
                121,
                self.gc_stop,
                None if self.gc_stop is None else "taper",
            )
        else:
            switch = self.index + 60
            course("prednisolone", low, "mg", "QD", "oral", 121, switch - 1, "taper")
            if switch <= self.span:
                half = max(2.5, _step(low / 2, 2.5))
                stop = self.gc_stop  # planned after the switch (index + 90 days or later)
                course(
                    "prednisolone",
                    half,
                    "mg",
                    "QD",
                    "oral",
                    switch,
                    stop,
                    None if stop is None else "taper",
                )
        mtx_route = "sc" if rng.random() < 0.6 else "oral"
        if rng.random() < 0.2:
            stop = rng.randint(60, self.span)
            course(
                "methotrexate",
                MTX_MG_M2,
                "mg/m2",
                "weekly",
                mtx_route,
                7,
                stop,
                rng.choice(("adverse_event", "ineffective")),
            )
        else:
            course("methotrexate", MTX_MG_M2, "mg/m2", "weekly", mtx_route, 7, None)
        if rng.random() < 0.25:
            start = rng.randint(30, min(300, self.span))
            end = start + rng.randint(180, 540)
            course(
                "ivig",
                IVIG_G_KG,
                "g/kg",
                "monthly",
                "iv",
                start,
                end if end <= self.span else None,
                "remission" if end <= self.span else None,
            )
        if rng.random() < 0.4:
            dose = 100.0 if self.weight_on(30) < JAK_WEIGHT_LIMIT_KG else 200.0
            course("hydroxychloroquine", dose, "mg", "QD", "oral", min(30, self.span), None)
        if self.index is not None:
            self._jak_courses(course)
            if "MDA5" in self.antibodies:
                course("cotrimoxazole", None, None, None, "oral", self.index, None)

    def _jak_courses(self, course: Callable[..., None]) -> None:
        rng = self.rng
        assert self.index is not None
        idx = self.index
        x = rng.random()
        drug = "ruxolitinib" if x < 0.5 else "tofacitinib" if x < 0.9 else "baricitinib"
        light = self.weight_on(idx) < JAK_WEIGHT_LIMIT_KG
        dose: float | None = JAK_DOSE_LIGHT_MG if light else JAK_DOSE_HEAVY_MG
        if drug == "baricitinib":
            dose = None  # paediatric JDM dose not established; left "not recorded"
        stop_day: int | None = None
        reason: str | None = None
        if rng.random() < 0.15 and idx + 90 < self.span:
            stop_day = rng.randint(idx + 90, self.span)
            reason = rng.choice(("ineffective", "adverse_event", "remission", "other"))
        change = idx + rng.randint(56, 112)
        if dose is not None and rng.random() < 0.1 and change < (stop_day or self.span):
            course(drug, dose, "mg", "BID", "oral", idx, change - 1)
            course(drug, dose + JAK_DOSE_STEP_MG, "mg", "BID", "oral", change, stop_day, reason)
        else:
            course(drug, dose, None if dose is None else "mg", "BID", "oral", idx, stop_day, reason)

    # ---- events ----
    def add_events(self, out: list[Event]) -> None:
        rng, pid, on = self.rng, self.pid, self.day_date
        for day, name in self.rash_events:
            out.append(Event(pid, on(day), name))
        if self.relapse is not None:
            out.append(Event(pid, on(self.relapse), "relapse"))
        if self.gc_stop is not None:
            out.append(Event(pid, on(self.gc_stop), "gc_stopped"))
        start = self.index if self.index is not None else 0
        if start + 1 < self.span:
            if rng.random() < 0.06:
                organism = rng.choice(("VZV", "EBV", "influenza", "URTI", None))
                out.append(Event(pid, on(rng.randint(start + 1, self.span)), "infection", organism))
            if rng.random() < 0.03:
                detail = rng.choice(("raised cholesterol", "lymphopenia", "headache"))
                out.append(
                    Event(
                        pid,
                        on(rng.randint(start + 1, self.span)),
                        "adverse_event",
                        detail,
                        rng.randint(1, 2),
                    )
                )


class _LabValues:
    """Lab values of one patient: a personal normal level, moved by disease activity."""

    def __init__(self, course: _Course, rng: random.Random) -> None:
        self.course, self.random = course, rng.random
        u = rng.uniform
        self.base = {
            "CK": u(50, 150),
            "LDH": u(180, 280),
            "AST": u(18, 34),
            "ALT": u(10, 30),
            "aldolase": u(3.0, 6.5),
            "IFN_score": u(1.0, 8.0),
            "lymphocytes": u(1.3, 3.6),
            "neutrophils": u(2.0, 6.0),
            "hemoglobin": u(112, 140),
            "platelets": u(180, 420),
            "CRP": u(0.3, 3.0),
            "ESR": u(3, 15),
            "ferritin": u(20, 90),
            "KL6": u(150, 350),
            "total_cholesterol": u(3.5, 5.0),
            "LDL": u(1.8, 3.0),
            "triglycerides": u(0.6, 1.4),
        }
        site = course.site
        self.ild = "MDA5" in course.antibodies
        # how this patient's centre writes each analyte: (unit, ref_low, ref_high, digits, µkat)
        self.form: dict[str, tuple[str, float | None, float | None, int, bool]] = {}
        for name, spec in _LAB.items():
            unit, low, high, digits = spec.unit, spec.ref_low, spec.ref_high, spec.digits
            microkatal = name in ENZYMES and _ENZYME_UNIT[site] != "U/L"
            if microkatal:
                unit = _ENZYME_UNIT[site]
                low = None if low is None else round(low / 60, 2)
                high = None if high is None else round(high / 60, 2)
            elif name == "hemoglobin" and _HB_IN_G_DL[site]:
                unit, low, high, digits = "g/dL", 11.0, 15.0, 1
            elif name in _MG_DL_PER_MMOL and _LIPIDS_IN_MG_DL[site]:
                unit, digits = "mg/dL", 0
                high = None if high is None else float(round(high * _MG_DL_PER_MMOL[name]))
            self.form[name] = (unit, low, high, digits, microkatal)
        self._converted: dict[tuple[str, float], float] = {}

    def level(self, analyte: str, a: float, am: float, on_jaki: bool) -> float:
        """The value in the analyte's canonical unit (model)."""
        value = self.base[analyte]
        if analyte == "CK":
            value *= 1 + 12 * am * am
        elif analyte == "LDH":
            value *= 1 + 1.2 * am
        elif analyte in ("AST", "aldolase"):
            value *= 1 + 2 * am
        elif analyte == "ALT":
            value *= 1 + am
        elif analyte == "IFN_score":
            value += 3000 * a * a
        elif analyte == "lymphocytes" and on_jaki:
            value *= 0.85
        elif analyte in ("CRP", "ESR"):
            value *= 1 + 4 * a
        elif analyte == "ferritin":
            value *= 1 + (8 if self.ild else 1) * a
        elif analyte == "KL6":
            value *= 1 + (3 if self.ild else 0.3) * a
        return value * (0.9 + 0.2 * self.random())

    def to_u_per_l(self, analyte: str, value: float | None, unit: str) -> float | None:
        """µkat/L to U/L exactly as the importer does it (cached: values repeat)."""
        if value is None:
            return None
        key = (analyte, value)
        if key not in self._converted:
            self._converted[key] = import_conversion(analyte, value, unit)[0]
        return self._converted[key]

    def result(self, analyte: str, a: float, am: float, on_jaki: bool, when: date) -> LabResult:
        unit, low, high, digits, microkatal = self.form[analyte]
        value = self.level(analyte, a, am, on_jaki)
        pid = self.course.pid
        if microkatal:
            reported = ReportedValue(int(value / 0.6 + 0.5) / 100, unit, low, high)
            return LabResult(
                pid,
                when,
                analyte,
                value=self.to_u_per_l(analyte, reported.value, unit),
                unit="U/L",
                ref_low=self.to_u_per_l(analyte, low, unit),
                ref_high=self.to_u_per_l(analyte, high, unit),
                reported=reported,
            )
        if unit == "g/dL":
            value /= 10
        elif unit == "mg/dL":
            value *= _MG_DL_PER_MMOL[analyte]
        scale = _SCALE[digits]
        number = int(value * scale + 0.5) / scale  # value >= 0: rounded half up, short repr
        return LabResult(pid, when, analyte, value=number, unit=unit, ref_low=low, ref_high=high)
