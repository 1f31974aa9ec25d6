"""Kaplan–Meier product-limit estimate with Greenwood log-log confidence bands and the
median by the spec's rule (shared/spec/case-series-report.md, Methods).

- Product-limit estimate: Kaplan EL, Meier P. J Am Stat Assoc 1958;53:457-81.
- Variance: Greenwood M. Reports on Public Health and Medical Subjects 1926;33.
- 95% band on the log(−log S) scale ("log-log", R survival's conf.type = "log-log";
  lifelines calls it the exponential Greenwood formula): S^exp(±1.96·se), with
  se = sqrt(Σ d/(n(n−d))) / |log S| (Kalbfleisch JD, Prentice RL 1980).
- Median: the smallest time t with S(t) ≤ 0.5 (tolerance 1e-9); where S equals 0.5
  over an interval [tᵢ, tᵢ₊₁) up to the next drop, the midpoint of that interval; when
  S stays at 0.5 to the end of the curve, the midpoint of tᵢ and the last observed time
  (as R's survival package, quantile.survfit); None when S never reaches 0.5.
- Median CI: the same rule applied to the lower band (which reaches 0.5 first: the
  lower limit) and to the upper band (the upper limit), as R does (Brookmeyer R,
  Crowley J. Biometrics 1982;38:29-41, with the log-log band). None bounds mean "not reached".
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from scipy.special import ndtri

MEDIAN_TOLERANCE = 1e-9
CI_METHOD = "log-log (Greenwood)"
Z_95 = float(ndtri(0.975))  # = scipy.stats.norm.ppf(0.975), without importing scipy.stats


@dataclass(frozen=True, slots=True)
class EventRow:
    """One distinct observed time: at risk just before it, events and censorings at it."""

    time: float
    n_at_risk: int
    events: int
    censored: int


@dataclass(frozen=True, slots=True)
class KaplanMeier:
    """A Kaplan–Meier curve. `survival[i]` is S(t) from `times[i]` on (right-continuous);
    S = 1 before `times[0]`. `ci_lower`/`ci_upper` are the 95% log-log band."""

    times: tuple[float, ...]
    survival: tuple[float, ...]
    ci_lower: tuple[float, ...]
    ci_upper: tuple[float, ...]
    median: float | None
    median_ci: tuple[float | None, float | None]
    event_table: tuple[EventRow, ...]
    n: int
    n_events: int
    ci_method: str = CI_METHOD

    def at_risk(self, at: Sequence[float]) -> list[int]:
        """Numbers at risk at each time in `at`: subjects whose time is ≥ that time."""
        times = [row.time for row in self.event_table]
        # leaving[i] = subjects with time >= times[i]
        leaving: list[int] = []
        remaining = self.n
        for row in self.event_table:
            leaving.append(remaining)
            remaining -= row.events + row.censored
        out = []
        for t in at:
            i = bisect.bisect_left(times, t)
            out.append(leaving[i] if i < len(leaving) else 0)
        return out

    def survival_at(self, t: float) -> float:
        """S(t), right-continuous step function."""
        i = bisect.bisect_right(self.times, t)
        return 1.0 if i == 0 else self.survival[i - 1]

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "n_events": self.n_events,
            "median": self.median,
            "median_ci95": list(self.median_ci),
            "ci_method": self.ci_method,
            "times": list(self.times),
            "survival": list(self.survival),
            "event_table": [
                {
                    "time": r.time,
                    "n_at_risk": r.n_at_risk,
                    "events": r.events,
                    "censored": r.censored,
                }
                for r in self.event_table
            ],
        }


def curve_median(times: Sequence[float], curve: Sequence[float]) -> float | None:
    """The spec's median rule on a right-continuous step curve (S = 1 before times[0])."""
    for i, s in enumerate(curve):
        if s <= 0.5 + MEDIAN_TOLERANCE:
            if abs(s - 0.5) > MEDIAN_TOLERANCE:
                return times[i]
            for j in range(i + 1, len(curve)):
                if curve[j] < s - MEDIAN_TOLERANCE:
                    return (times[i] + times[j]) / 2
            return (times[i] + times[-1]) / 2
    return None


def kaplan_meier(times: Sequence[float], events: Sequence[bool]) -> KaplanMeier:
    """Product-limit estimate of S(t) from observed times and event flags
    (True = event, False = censored at that time)."""
    if len(times) != len(events):
        raise ValueError("times and events must have the same length")
    pairs = sorted((float(t), bool(e)) for t, e in zip(times, events, strict=True))
    if any(math.isnan(t) or t < 0 for t, _ in pairs):
        raise ValueError("times must be non-negative numbers")
    rows: list[EventRow] = []
    at_risk = len(pairs)
    i = 0
    while i < len(pairs):
        t = pairs[i][0]
        d = c = 0
        while i < len(pairs) and pairs[i][0] == t:
            if pairs[i][1]:
                d += 1
            else:
                c += 1
            i += 1
        rows.append(EventRow(time=t, n_at_risk=at_risk, events=d, censored=c))
        at_risk -= d + c
    surv: list[float] = []
    lower: list[float] = []
    upper: list[float] = []
    s = 1.0
    greenwood = 0.0
    for row in rows:
        if row.events:
            s *= 1 - row.events / row.n_at_risk
            if row.n_at_risk > row.events:
                greenwood += row.events / (row.n_at_risk * (row.n_at_risk - row.events))
        surv.append(s)
        if s <= 0:
            lower.append(0.0)
            upper.append(0.0)
        elif s >= 1:
            lower.append(1.0)
            upper.append(1.0)
        else:
            se = math.sqrt(greenwood) / abs(math.log(s))
            lower.append(s ** math.exp(Z_95 * se))
            upper.append(s ** math.exp(-Z_95 * se))
    ts = [r.time for r in rows]
    return KaplanMeier(
        times=tuple(ts),
        survival=tuple(surv),
        ci_lower=tuple(lower),
        ci_upper=tuple(upper),
        median=curve_median(ts, surv),
        median_ci=(curve_median(ts, lower), curve_median(ts, upper)),
        event_table=tuple(rows),
        n=len(pairs),
        n_events=sum(r.events for r in rows),
    )
