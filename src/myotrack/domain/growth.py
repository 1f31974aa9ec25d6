"""Body weight and height for age and sex: the CDC 2000 growth reference (LMS method).

Source of the numbers: Kuczmarski RJ, Ogden CL, Guo SS, et al. 2000 CDC growth charts for
the United States: methods and development. Vital Health Stat 11(246), 2002 (public
domain); the L, M, S values of the CDC data files wtage.csv and statage.csv, at whole
years of age (24, 36.5, 48.5, ... 228.5 and 240 months), both sexes, 2-20 years.
Between two rows L, M and S are interpolated linearly in age (their curves are smooth; the
error is far below what the cut-offs below need).

The z-score is Cole & Green's LMS z (Stat Med 1992;11:1305); CDC's outlier check uses the
"modified z-score" (the distance from the median in units of half the distance between
the median and the value at z = +2, or z = -2 below the median), with the cut-offs for
biologically implausible values of CDC's "Cut-offs to define outliers in the 2000 CDC
Growth Charts": weight-for-age below -5 or above +8, height-for-age below -5 or above +4
(SECONDARY: the CDC page read through a copy). Beyond these cut-offs a value is
implausible (to be confirmed). Far beyond them (`IMPOSSIBLE_Z`, DERIVED: a unit or typing
mistake such as 145 kg for 14.5 kg) it is impossible. Outside 2-20 years no judgement is
made (the format's range still applies).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

GrowthLevel = Literal["ok", "implausible", "impossible"]

# (sex, age in months, L, M, S) - CDC 2000, wtage.csv (kg)
WEIGHT_FOR_AGE: Final[tuple[tuple[str, float, float, float, float], ...]] = (
    ("M", 24.0, -0.20615245, 12.6707633, 0.108125811),
    ("M", 36.5, -0.621319726, 14.40262749, 0.111874514),
    ("M", 48.5, -0.915241589, 16.31676727, 0.11995532),
    ("M", 60.5, -1.000453886, 18.48592413, 0.129879257),
    ("M", 72.5, -1.087471249, 20.77769565, 0.139142773),
    ("M", 84.5, -1.236497304, 23.16741888, 0.147337375),
    ("M", 96.5, -1.351813296, 25.75256528, 0.155973912),
    ("M", 108.5, -1.339405453, 28.68130005, 0.166659247),
    ("M", 120.5, -1.206688407, 32.08799062, 0.17892874),
    ("M", 132.5, -1.019277299, 36.07262569, 0.190029545),
    ("M", 144.5, -0.836961905, 40.67443658, 0.196591612),
    ("M", 156.5, -0.698166437, 45.81336172, 0.196662115),
    ("M", 168.5, -0.631876912, 51.23096332, 0.190808471),
    ("M", 180.5, -0.665609025, 56.49095862, 0.181665781),
    ("M", 192.5, -0.801993069, 61.09536847, 0.172459052),
    ("M", 204.5, -0.973244762, 64.69961427, 0.16564009),
    ("M", 216.5, -1.066224038, 67.28992603, 0.161922819),
    ("M", 228.5, -1.023291946, 69.19467288, 0.160138158),
    ("M", 240.0, -0.91648762, 70.59761453, 0.161476792),
    ("F", 24.0, -0.73533951, 12.05503983, 0.107399495),
    ("F", 36.5, -1.024471278, 13.94108332, 0.119491669),
    ("F", 48.5, -1.177029925, 15.87823668, 0.131802186),
    ("F", 60.5, -1.287691525, 18.02313904, 0.141190842),
    ("F", 72.5, -1.326763834, 20.33635961, 0.149589838),
    ("F", 84.5, -1.265548787, 22.86804258, 0.159693163),
    ("F", 96.5, -1.127684095, 25.7570168, 0.172147043),
    ("F", 108.5, -0.970685789, 29.14291171, 0.185201039),
    ("F", 120.5, -0.846872805, 33.06392318, 0.195947008),
    ("F", 132.5, -0.787374433, 37.39088668, 0.201971282),
    ("F", 144.5, -0.807599577, 41.82797963, 0.202298783),
    ("F", 156.5, -0.915513542, 45.98368656, 0.197363191),
    ("F", 168.5, -1.111606122, 49.49075409, 0.188559804),
    ("F", 180.5, -1.376478254, 52.13568193, 0.177946804),
    ("F", 192.5, -1.651248208, 53.94543725, 0.168124538),
    ("F", 204.5, -1.838091576, 55.18216811, 0.161752634),
    ("F", 216.5, -1.850946286, 56.22969564, 0.16036959),
    ("F", 228.5, -1.693267093, 57.35175792, 0.163138124),
    ("F", 240.0, -1.51336185, 58.21897289, 0.166644749),
)
# (sex, age in months, L, M, S) - CDC 2000, statage.csv (cm)
HEIGHT_FOR_AGE: Final[tuple[tuple[str, float, float, float, float], ...]] = (
    ("M", 24.0, 0.941523967, 86.45220101, 0.040321528),
    ("M", 36.5, -0.390918369, 95.27359106, 0.04053412),
    ("M", 48.5, 0.827636736, 102.5104735, 0.041344257),
    ("M", 60.5, 1.266367398, 109.1751441, 0.042593311),
    ("M", 72.5, 1.137442868, 115.6608862, 0.043673359),
    ("M", 84.5, 0.753244292, 122.0305342, 0.044403374),
    ("M", 96.5, 0.455267507, 128.1237104, 0.045127088),
    ("M", 108.5, 0.415687443, 133.7344759, 0.046217028),
    ("M", 120.5, 0.505564115, 138.8234114, 0.047610108),
    ("M", 132.5, 0.487939275, 143.7303663, 0.048937694),
    ("M", 144.5, 0.420919142, 149.3088178, 0.049947823),
    ("M", 156.5, 0.816239713, 156.4098858, 0.050333444),
    ("M", 168.5, 1.670433444, 164.1418486, 0.04894519),
    ("M", 180.5, 2.205180153, 170.139255, 0.045889585),
    ("M", 192.5, 2.113023423, 173.6100518, 0.043085685),
    ("M", 204.5, 1.724738292, 175.340954, 0.041408129),
    ("M", 216.5, 1.399999187, 176.1850208, 0.04064364),
    ("M", 228.5, 1.229163362, 176.6178621, 0.040391101),
    ("M", 240.0, 1.167279219, 176.8492322, 0.040369574),
    ("F", 24.0, 1.07244896, 84.97555512, 0.040791394),
    ("F", 36.5, 0.54198094, 94.21335709, 0.042017509),
    ("F", 48.5, 0.225705996, 101.033927, 0.043259907),
    ("F", 60.5, -0.057729947, 107.9566031, 0.044276588),
    ("F", 72.5, -0.219069129, 115.0054978, 0.044963636),
    ("F", 84.5, -0.210210748, 121.7616844, 0.045460702),
    ("F", 96.5, -0.079283065, 127.8262759, 0.045968169),
    ("F", 108.5, 0.08414848, 133.1303527, 0.04688401),
    ("F", 120.5, 0.284748919, 138.2111552, 0.048704503),
    ("F", 132.5, 0.744289752, 144.2609497, 0.050524236),
    ("F", 144.5, 1.303044695, 151.4865636, 0.048599314),
    ("F", 156.5, 1.242968236, 157.3436995, 0.043859135),
    ("F", 168.5, 0.95657215, 160.4776996, 0.041022401),
    ("F", 180.5, 0.895569834, 161.8979913, 0.040083845),
    ("F", 192.5, 0.941145943, 162.5689958, 0.039820663),
    ("F", 204.5, 0.999505539, 162.9238449, 0.039732048),
    ("F", 216.5, 1.047571238, 163.1307866, 0.039687311),
    ("F", 228.5, 1.083315329, 163.2590052, 0.039657339),
    ("F", 240.0, 1.108046193, 163.338251, 0.039636316),
)

# measure -> (implausible below, implausible above) in modified z-scores (CDC BIV cut-offs)
BIV_CUTOFFS: Final[dict[str, tuple[float, float]]] = {
    "weight_kg": (-5.0, 8.0),
    "height_cm": (-5.0, 4.0),
}
# measure -> |modified z| beyond which the value is impossible (DERIVED, see docstring)
IMPOSSIBLE_Z: Final[dict[str, float]] = {"weight_kg": 20.0, "height_cm": 12.0}
# Units typed by mistake: name and factor from that unit to ours.
LIKELY_MISTAKES: Final[dict[str, tuple[tuple[str, float], ...]]] = {
    "weight_kg": (("lb", 0.45359237), ("g", 0.001)),
    "height_cm": (("inches", 2.54), ("m", 100.0), ("mm", 0.1)),
}
_TABLES: Final = {"weight_kg": WEIGHT_FOR_AGE, "height_cm": HEIGHT_FOR_AGE}
MIN_MONTHS: Final = 24.0
MAX_MONTHS: Final = 240.0


@dataclass(frozen=True, slots=True)
class GrowthJudgement:
    level: GrowthLevel
    z: float  # modified z-score (CDC)
    age_years: float
    likely_unit: str | None = None


def _by_sex(
    table: tuple[tuple[str, float, float, float, float], ...],
) -> dict[str, tuple[list[float], list[tuple[float, float, float]]]]:
    out: dict[str, tuple[list[float], list[tuple[float, float, float]]]] = {}
    for sex, months, lam, mu, sigma in table:
        ages, params = out.setdefault(sex, ([], []))
        ages.append(months)
        params.append((lam, mu, sigma))
    return out


_ROWS: Final = {measure: _by_sex(table) for measure, table in _TABLES.items()}


def lms(measure: str, sex: str, months: float) -> tuple[float, float, float]:
    """L, M, S of the CDC 2000 reference at this age (linear between whole years)."""
    ages, params = _ROWS[measure][sex]
    i = bisect_right(ages, months)
    if i == 0:
        return params[0]
    if i >= len(ages):
        return params[-1]
    (l0, m0, s0), (l1, m1, s1) = params[i - 1], params[i]
    t = (months - ages[i - 1]) / (ages[i] - ages[i - 1])
    return (l0 + t * (l1 - l0), m0 + t * (m1 - m0), s0 + t * (s1 - s0))


def _value_at(z: float, lam: float, mu: float, sigma: float) -> float:
    if lam == 0:
        return mu * math.exp(sigma * z)
    return float(mu * (1 + lam * sigma * z) ** (1 / lam))


def modified_z(value: float, lam: float, mu: float, sigma: float) -> float:
    """CDC's modified z-score: distance from the median in half the median-to-(+/-2 SD)
    distance on the side of the value."""
    if value >= mu:
        unit = (_value_at(2, lam, mu, sigma) - mu) / 2
    else:
        unit = (mu - _value_at(-2, lam, mu, sigma)) / 2
    return (value - mu) / unit


def age_months(birth_date: date, on: date) -> float:
    """Age in months = days / (365.25 / 12)."""
    return (on - birth_date).days / (365.25 / 12)


def _level(measure: str, z: float) -> GrowthLevel:
    if abs(z) > IMPOSSIBLE_Z[measure]:
        return "impossible"
    low, high = BIV_CUTOFFS[measure]
    return "implausible" if z < low or z > high else "ok"


def judge_growth(
    measure: str, value: float, sex: str, birth_date: date, on: date
) -> GrowthJudgement | None:
    """Judge weight (kg) or height (cm) for age and sex; None outside 2-20 years or for a
    sex the reference has no table for."""
    months = age_months(birth_date, on)
    if measure not in _TABLES or sex not in ("F", "M") or not MIN_MONTHS <= months <= MAX_MONTHS:
        return None
    params = lms(measure, sex, months)
    z = modified_z(value, *params)
    level = _level(measure, z)
    likely = None
    if level != "ok":
        for unit, factor in LIKELY_MISTAKES[measure]:
            if _level(measure, modified_z(value * factor, *params)) == "ok":
                likely = unit
                break
    return GrowthJudgement(level, z, months / 12, likely)
