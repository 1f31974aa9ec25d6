"""The second seed's child can be held as version 2 data with nothing that has a structured
home left in free text: every fact of the paper is asserted at its structured place, every
free text of the record is one of the documented exceptions and names no fact that has a
field, and the version 1 view (for analyses) says what it imputed."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest
from tests.domain.seed003_record import (
    CUTOFF,
    DERIVED,
    FREE_TEXT_KEPT,
    INVENTED,
    NOT_RECORDED,
    seed003_record,
)

from myotrack.domain import drugs
from myotrack.domain.investigations_lung import BronchoalveolarLavage, ChestHrct, OxygenNeed
from myotrack.domain.investigations_muscle import MuscleMri, MuscleUltrasound
from myotrack.domain.investigations_other import Capillaroscopy
from myotrack.domain.partial_date import PartialDate
from myotrack.domain.treatment_detail import DOSE_UNITS_V2, FREQUENCIES, ROUTES_V2
from myotrack.instruments import DEFINITIONS

# Words of facts that have a structured home: none may appear in a free text.
STRUCTURED_WORDS = (
    "1:160",
    "ANA",
    "MDA5",
    "Ro52",
    "hypomyopathic",
    "psoriatic",
    "father",
    "ground-glass",
    "milk glass",
    "lymphocytic",
    "Pneumocystis",
    "PJP",
    "oxygen demand",
    "hypotroph",
    "myositis",
    "capillaroscopy",
    "elbow",
    "knee",
    "PIP",
    "MCP",
    "calcinosis",
    "0.1",
    "ointment",
    "tacrolimus",
    "mg",
    "BID",
    "2x5",
    "October",
    "September",
    "six months",
    "13 months",
    "IVIG",
    "CMAS",
    "cDASI",
    "interferon",
    "face",
    "calculated",
    "prophylaxis",
)


def _free_texts(obj: Any, path: str = "record") -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if f.name in ("free_text", "detail") and value:
                found.append((f"{path}.{f.name}", value))
            else:
                found += _free_texts(value, f"{path}.{f.name}")
    elif isinstance(obj, tuple):
        for i, item in enumerate(obj):
            found += _free_texts(item, f"{path}[{i}]")
    return found


def test_free_text_only_where_documented_and_naming_no_structured_fact() -> None:
    texts = _free_texts(seed003_record())
    assert len(texts) == len(FREE_TEXT_KEPT), texts
    for where, text in texts:
        hits = [w for w in STRUCTURED_WORDS if w.lower() in text.lower()]
        assert not hits, f"{where}: {text!r} names {hits}, which have a structured home"


def test_background() -> None:
    bg = seed003_record().background
    assert bg is not None
    assert bg.subtype == "hypomyopathic"
    assert bg.onset == PartialDate(2021, 5) and bg.diagnosed == PartialDate(2021, 9)
    assert [(f.relative, f.condition) for f in bg.family_history] == [
        ("father", "psoriatic_arthritis")
    ]
    (ana,) = bg.ana
    assert ana.result == "positive" and ana.titre_text == "1:160" and ana.pattern is None
    assert bg.positive_antibodies() == ("MDA5", "RO52")
    assert bg.race == () and bg.ethnicity is None  # not in the paper


def test_investigations() -> None:
    whole = seed003_record()
    ct_before, ct_after = whole.of_kind(ChestHrct)
    assert isinstance(ct_before, ChestHrct) and isinstance(ct_after, ChestHrct)
    assert ct_before.date == PartialDate(2021, 9) and "ground_glass_opacity" in ct_before.findings
    assert ct_after.date == PartialDate(2021, 11)
    assert ct_after.change == "near_complete_resolution"
    assert set(ct_after.lobes) == {"right_middle", "right_upper"}
    (oxygen,) = whole.of_kind(OxygenNeed)
    assert isinstance(oxygen, OxygenNeed) and oxygen.needs_oxygen
    (bal,) = whole.of_kind(BronchoalveolarLavage)
    assert isinstance(bal, BronchoalveolarLavage)
    assert bal.cytology == "lymphocytic" and bal.found("pneumocystis_jirovecii")
    for kind in (MuscleMri, MuscleUltrasound):
        (study,) = whole.of_kind(kind)
        assert isinstance(study, MuscleMri | MuscleUltrasound)
        assert study.atrophy is True and study.consistent_with_myositis is False
        assert set(study.regions) == {"lower_extremities", "pelvis"}
    (nailfold,) = whole.of_kind(Capillaroscopy)
    assert isinstance(nailfold, Capillaroscopy) and nailfold.result == "normal"


def test_involvement_and_events() -> None:
    whole = seed003_record()
    assert whole.organ_on("ILD", date(2021, 10, 20)) == "yes"
    assert whole.organ_on("ILD", date(2021, 9, 10)) == "unknown"  # inside the onset month
    assert whole.organ_on("calcinosis", date(2022, 6, 1)) == "unknown"  # resolved, undated
    assert whole.organ_on("lipodystrophy", date(2022, 6, 1)) == "no"
    arthritis = next(i for i in whole.involvement if i.organ == "arthritis")
    assert set(arthritis.sites) == {"hands_pip", "hands_mcp", "knees", "elbows"}
    assert [e.event for e in whole.clinical_events] == [
        "hospital_admission",
        "hospital_admission",
        "ild_diagnosed",
        "remission",
    ]
    (pjp,) = whole.infections
    assert pjp.organism == "pneumocystis_jirovecii"
    assert pjp.specimen == "bronchoalveolar lavage"


def _course(drug: str) -> Any:
    return next(c for c in seed003_record().treatment_courses if c.drug == drug)


def test_treatments_as_the_paper_gives_them() -> None:
    rux = _course("ruxolitinib")
    assert rux.start == PartialDate(2021, 10) and rux.start.precision == "month"
    assert (rux.dose, rux.dose_unit, rux.frequency, rux.status) == (5, "mg", "BID", "ongoing")
    tac = _course("tacrolimus")
    assert tac.strength.text() == "0.1%" and tac.formulation == "ointment"
    assert tac.route == "topical" and tac.start is None
    mom = _course("mometasone furoate")
    assert mom.route == "topical" and mom.sites_excluded == ("face",)
    assert _course("cotrimoxazole").indication == "treatment"
    assert _course("cotrimoxazole").route == "iv"
    assert _course("ampicillin/sulbactam").indication == "empirical"
    assert _course("ampicillin/sulbactam").frequency is None  # not given in the paper
    hcq = _course("hydroxychloroquine")
    assert (hcq.dose, hcq.dose_unit) == (200, "mg/day") and DOSE_UNITS_V2["mg/day"].per == "day"
    assert _course("ivig").end_estimate() == PartialDate(2022, 10)
    assert _course("prednisolone").end == PartialDate(2022, 3)
    for course in seed003_record().treatment_courses:
        assert drugs.resolve(course.drug).name == course.drug  # a stored name is a fixed point
        assert course.dose_unit is None or course.dose_unit in DOSE_UNITS_V2
        assert course.frequency is None or course.frequency in FREQUENCIES
        assert course.route is None or course.route in ROUTES_V2


def test_visits_and_labs_at_month_precision() -> None:
    whole = seed003_record()
    admission, latest = whole.reported_visits
    assert admission.measures["cmas"] == 20 and latest.measures["cmas"] == 47
    assert latest.date == PartialDate(2023, 1)
    assert admission.problems() == ()
    cmas9 = DEFINITIONS["cmas9"]
    assert cmas9.total_min <= admission.instrument_totals["cmas9"] <= cmas9.total_max == 37
    ifn = next(lab for lab in whole.reported_labs if lab.analyte == "IFN_score")
    assert ifn.value == 4124 and ifn.ref_high == 12.49


def test_version_1_view_says_what_it_imputed() -> None:
    record, warnings = seed003_record().as_patient_record(not_after=CUTOFF)
    assert record.index_date == date(2021, 10, 15)  # "since October 2021", mid-month
    assert any("ruxolitinib" in w and "2021-10" in w for w in warnings)
    assert any("tacrolimus" in w and "no start date" in w for w in warnings)
    assert [v.cmas for v in record.visits] == [20, 47]
    assert record.patient.age_years(date(2021, 9, 15)) == pytest.approx(4.34, abs=0.01)


def test_what_is_derived_invented_or_not_recorded_is_said() -> None:
    for table in (DERIVED, INVENTED, NOT_RECORDED, FREE_TEXT_KEPT):
        assert table and all(reason.strip() for reason in table.values())
    # the one invented value is the v1 birth date; everything else is from the paper
    assert list(INVENTED) == ["patient.birth_date"]
    assert seed003_record().base.patient.birth_date == date(2017, 5, 15)
