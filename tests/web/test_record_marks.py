"""The whole record (issue 11) in words and marks: a number with its unit as one fact, a
course the paper gives no start for, an ANA titre as 1:160; on the timelines a JAK-inhibitor
course in the JAK colour, a course's end from its reported duration, a course or an organ
whose end is not reported drawn as such (not as ongoing), an excluded organ never drawn,
a single event known only to the year thin; on the page an organ resolved on an unknown date
drawn over its onset only. Oracle: the seed-003 child's facts as the paper gives them
(Strauss T et al., Pediatr Rheumatol 2023) and the calendar."""

from __future__ import annotations

from datetime import date
from typing import Any

from myotrack.domain import PartialDate, RecordRow
from myotrack.report.figures import TimelineMark
from myotrack.web import record_fields, record_view
from myotrack.web.record_marks import record_marks
from myotrack.web.timeline import _mark_traces


def _row(kind: str, **values: Any) -> RecordRow:
    return RecordRow(kind, "SEED-003", values)


def _month(text: str) -> PartialDate:
    return PartialDate.parse(text)


RUXOLITINIB = _row(
    "treatment_course",
    drug="ruxolitinib",
    start_date=_month("2021-10"),
    dose=5.0,
    dose_unit="mg",
    frequency="BID",
    route="oral",
    status="ongoing",
)
TACROLIMUS = _row(
    "treatment_course",
    drug="tacrolimus",
    start_unknown="yes",
    route="topical",
    formulation="ointment",
    strength=0.1,
    strength_unit="%",
)
IVIG = _row(
    "treatment_course",
    drug="ivig",
    start_date=_month("2021-09"),
    duration_months=13,
    status="stopped",
)
AMPICILLIN = _row(
    "treatment_course", drug="ampicillin/sulbactam", start_date=_month("2021"), frequency="QID"
)


def test_a_number_is_shown_with_its_unit_and_an_unknown_start_in_words() -> None:
    rux = dict(record_fields.facts("treatment_course", RUXOLITINIB.values))
    assert rux["dose"] == "5 mg"
    assert "dose unit" not in rux
    assert rux["frequency"] == "twice daily"
    tac = dict(record_fields.facts("treatment_course", TACROLIMUS.values))
    assert tac["strength"] == "0.1 %"
    assert "start unknown" not in tac and "strength unit" not in tac
    assert record_fields.start_words(TACROLIMUS.values, "start_date") == "start not known"
    assert record_fields.start_words(RUXOLITINIB.values, "start_date") == "Oct 2021"
    assert dict(record_fields.facts("treatment_course", IVIG.values))["duration"] == "13 months"


def test_ana_titre_reads_as_a_dilution_and_an_organ_has_an_onset() -> None:
    ana = _row(
        "antibody_test", date=_month("2021-09"), antibody="ANA", result="positive", titre=160
    )
    assert dict(record_fields.facts("antibody_test", ana.values))["titre"] == "1:160"
    words = {f.name: f.words for f in record_fields.form_fields("organ_involvement")}
    assert words["onset_date"] == "onset"
    assert record_fields.field_words("onset_date") == "date of first symptom"  # the patient's


def test_courses_on_the_timeline() -> None:
    marks = {m.lane.split(" (")[0]: m for m in record_marks([RUXOLITINIB, IVIG, AMPICILLIN])}
    rux = marks["ruxolitinib"]
    assert rux.jak_inhibitor and rux.ongoing and rux.end_reported
    assert (rux.start, rux.end) == (date(2021, 10, 1), date(2021, 10, 31))
    ivig = marks["intravenous immunoglobulin"]
    # September 2021 plus 13 months: October 2022
    assert (ivig.start, ivig.end) == (date(2021, 9, 1), date(2022, 10, 31))
    assert not ivig.ongoing and not ivig.jak_inhibitor and "for 13 months" in ivig.text
    amp = marks["ampicillin/sulbactam"]
    # started some time in 2021, end not reported: not drawn as running, thin over the year
    assert not amp.ongoing and not amp.end_reported and amp.imprecise
    assert "end not reported" in amp.text
    assert (amp.start, amp.end) == (date(2021, 1, 1), date(2021, 12, 31))
    assert record_marks([TACROLIMUS]) == []  # no start at all: listed, not drawn


def test_organ_involvement_on_the_timeline() -> None:
    ild = _row("organ_involvement", organ="ILD", onset_date=_month("2021-09"))
    ild_no = _row("organ_involvement", organ="ILD", onset_date=_month("2021-09"), resolved="no")
    calcinosis = _row(
        "organ_involvement", organ="calcinosis", onset_date=_month("2021-09"), resolved="yes"
    )
    excluded = _row(
        "organ_involvement", organ="cardiac", onset_date=_month("2021-09"), certainty="excluded"
    )
    (unknown,) = record_marks([ild])
    assert not unknown.ongoing and not unknown.end_reported
    assert "resolution not reported" in unknown.text
    (running,) = record_marks([ild_no])
    assert running.ongoing and running.end_reported
    (healed,) = record_marks([calcinosis])
    assert not healed.ongoing and healed.end == date(2021, 9, 30)
    assert "resolved (date not known)" in healed.text
    assert record_marks([excluded]) == []


def test_a_year_known_admission_is_thin_and_an_unreported_end_dotted() -> None:
    (admission,) = record_marks(
        [_row("clinical_event", date=_month("2021"), event="hospital_admission")]
    )
    assert admission.imprecise
    (month_known,) = record_marks(
        [_row("clinical_event", date=_month("2021-09"), event="hospital_admission")]
    )
    assert not month_known.imprecise

    def x(d: date) -> str:
        return d.isoformat()

    (amp,) = record_marks([AMPICILLIN])
    traces = _mark_traces(amp, x, date(2022, 10, 31), "y3")
    assert [t["line"].get("dash") for t in traces] == [None, "dot"]
    assert traces[0]["line"]["width"] < 12 and traces[1]["x"] == ["2021-12-31", "2022-10-31"]
    solid = TimelineMark("ILD", "involvement", date(2021, 9, 1), date(2021, 9, 30), "", True)
    (one,) = _mark_traces(solid, x, date(2022, 10, 31), "y3")
    assert one["x"] == ["2021-09-01", "2022-10-31"]


def test_page_bar_of_an_organ_resolved_on_an_unknown_date_covers_its_onset_only() -> None:
    rows = [
        _row("organ_involvement", organ="ILD", onset_date=_month("2021-09"), resolved="no"),
        _row("organ_involvement", organ="calcinosis", onset_date=_month("2021-09"), resolved="yes"),
        _row("organ_involvement", organ="arthritis", onset_date=_month("2021-09")),
        _row(
            "organ_involvement", organ="cardiac", onset_date=_month("2021-09"), certainty="excluded"
        ),
    ]
    bars, axis = record_view.involvement_bars(rows, date(2022, 8, 31))
    by_organ = {b.organ: b for b in bars}
    assert set(by_organ) == {"interstitial lung disease", "calcinosis", "arthritis"}
    assert axis == ["2021-09-01", "2022-08-31"]
    span = (date(2022, 8, 31) - date(2021, 9, 1)).days
    assert by_organ["calcinosis"].width == round(30 / span * 100, 2)  # September only
    assert by_organ["calcinosis"].period == "Sep 2021 – resolved, date not known"
    assert by_organ["interstitial lung disease"].period == "Sep 2021 – not resolved"
    assert by_organ["arthritis"].period == "Sep 2021 – resolution not reported"


def test_a_duration_from_a_whole_day_ends_on_the_same_day_or_the_months_last() -> None:
    day = _row("treatment_course", drug="ivig", start_date=date(2021, 8, 31), duration_months=6)
    (mark,) = record_marks([day])
    assert mark.end == date(2022, 2, 28)  # 31 August + 6 months: February has 28 days
    year = _row("treatment_course", drug="ivig", start_date=_month("2021"), duration_months=6)
    (vague,) = record_marks([year])
    assert not vague.end_reported  # a start known to the year gives no end month


def test_the_key_says_what_thin_and_dotted_mean_only_when_drawn() -> None:
    assert TimelineMark.key_words(record_marks([RUXOLITINIB, IVIG])) == ""
    key = TimelineMark.key_words(record_marks([RUXOLITINIB, AMPICILLIN]))
    assert "thin bar" in key and "dotted: end not reported" in key
