"""Classification, response and disease-state criteria for myositis. Pure code.

`CALCULATORS` lists every criterion calculator for `myotrack calc`.
"""

from __future__ import annotations

from myotrack.criteria import (
    bohan_peter,
    eular_acr_2017,
    imacs_2004,
    inactive_disease,
    jdmai,
    printo_2010,
    response_2016,
)
from myotrack.criteria.patient_views import (
    CidAtVisit,
    ResponseSinceIndex,
    cid_at_latest_visit,
    response_since_index,
)
from myotrack.domain import Calculator

CALCULATORS: dict[str, Calculator] = {
    c.name: c
    for c in (
        bohan_peter.CALCULATOR,
        eular_acr_2017.CALCULATOR,
        response_2016.CALCULATOR,
        printo_2010.CALCULATOR,
        imacs_2004.CALCULATOR,
        inactive_disease.CALCULATOR,
        jdmai.CALCULATOR,
    )
}

__all__ = [
    "CALCULATORS",
    "CidAtVisit",
    "ResponseSinceIndex",
    "cid_at_latest_visit",
    "response_since_index",
]
