"""render_report in every format on the small hand-built cohort of conftest.py."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Literal

import pytest

from myotrack.analysis import case_series, cohort_fingerprint, patient_timelines
from myotrack.domain import Cohort, DrugCourse, Patient, Visit
from myotrack.report import render_report
from myotrack.report.formatting import fmt_count, fmt_meansd, fmt_p
from myotrack.report.report_figures import paired_panels, subgroups, survival_curves

GENERATED = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)


def _html(cohort: Cohort, **options: object) -> str:
    return render_report(cohort, fmt="html", generated_at=GENERATED, **options).decode()  # type: ignore[arg-type]


def _text(html: str) -> str:
    """The visible text of the HTML, tags removed and whitespace collapsed."""
    body = re.sub(r"<style>.*?</style>", " ", html, flags=re.S)
    body = re.sub(r'src="data:[^"]*"', "", body)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_json_has_the_spec_keys_and_the_reproducibility_block(
    cohort: Cohort, case_series_keys: frozenset[str]
) -> None:
    document = json.loads(render_report(cohort, fmt="json", generated_at=GENERATED))
    assert set(document) >= case_series_keys
    # the statistics are case_series' own, unrounded
    expected = json.loads(json.dumps(case_series(cohort), default=str))
    assert document["cmas"]["p"] == expected["cmas"]["p"]
    assert document["n_patients"] == 6 and document["n_excluded"] == 1
    repro = document["reproducibility"]
    assert repro["data_fingerprint"] == cohort_fingerprint(cohort)
    assert repro["generated_at"] == "2026-11-23T14:00:00+00:00"
    assert repro["cutoff_date"] == "2023-06-30"
    assert document["methods"]["quantile_type"] == "type7"


def test_html_holds_tables_methods_disclaimer_and_footer(cohort: Cohort) -> None:
    html = _html(cohort)
    text = _text(html)
    assert "Table 1. Baseline characteristics (N = 6)" in text
    assert "Table 2. Outcomes on treatment" in text
    # Table 1: three girls of six included (P01, P03, P05); counted here, not copied
    girls = sum(1 for p in cohort.patients if p.sex == "F" and p.patient_id != "P99")
    assert f"Female, n/N (%) {girls}/6 (50.0%)" in text
    # the methods paragraph names the quantile type and each Wilcoxon variant used
    assert "Hyndman &amp; Fan type 7" in html
    summary = case_series(cohort)
    assert summary["catbm_activity"]["p_method"] == "normal_approx"  # tied |differences|
    assert "CAT-BM activity: Wilcoxon signed-rank test with the normal approximation" in text
    assert summary["enzymes"]["LDH"]["p_method"] == "exact"
    assert "LDH: Wilcoxon signed-rank test with the exact null distribution" in text
    assert "CMAS: two-sided paired t-test" in text
    assert "because of tied absolute differences" in text
    assert "log-log (Greenwood)" in text
    # software and versions
    assert re.search(r"Software: myotrack \S+, numpy \S+, scipy \S+", text)
    assert "matplotlib" in text
    # the disclaimer, exclusions, and the reproducibility footer
    assert "a statistician must review them" in text
    assert "1 never given a JAK inhibitor" in text
    assert cohort_fingerprint(cohort) in text
    assert "2023-06-30" in text and "2026-11-23T14:00:00+00:00" in text


def test_html_prints_the_summary_numbers_by_the_printing_rule(cohort: Cohort) -> None:
    text = _text(_html(cohort))
    summary = case_series(cohort)
    cmas = summary["cmas"]
    assert f"{fmt_meansd(cmas['baseline'])} {fmt_meansd(cmas['final'])}" in text
    assert f"{fmt_p(cmas['p'])} (paired t-test)" in text
    assert fmt_count(summary["rash_resolved"]) in text
    # an independent look at one figure: CMAS baseline mean of the weak children
    weak = [20, 30, 12, 25, 20]  # P01, P02, P04, P05 and the MDA5 child
    assert f"{sum(weak) / len(weak):.1f} ±" in text


def test_html_is_self_contained_with_three_figures(cohort: Cohort) -> None:
    html = _html(cohort)
    assert html.count('<img src="data:image/svg+xml;base64,') == 3
    assert "<script" not in html
    assert not re.search(r'(src|href)="(https?:)?//', html)  # nothing fetched
    assert "@media print" in html and "@page" in html


def test_html_names_type6_when_asked(cohort: Cohort) -> None:
    html = _html(cohort, quantiles="type6")
    assert "Hyndman &amp; Fan type 6" in html
    assert "type 7" not in _text(html)


def test_same_input_gives_the_same_report(cohort: Cohort) -> None:
    assert _html(cohort) == _html(cohort)


def test_cutoff_option_is_used_and_printed(cohort: Cohort) -> None:
    document = json.loads(
        render_report(cohort, fmt="json", cutoff=date(2022, 3, 1), generated_at=GENERATED)
    )
    assert document["reproducibility"]["cutoff_date"] == "2022-03-01"
    assert document["excluded_reasons"]["index_after_cutoff"] == 3  # P03, P04 and P05 start later


def test_warnings_are_shown(cohort: Cohort) -> None:
    # a child started on a JAK inhibitor with no visit since: follow-up 0 and a warning
    pid = "P50"
    start = date(2023, 1, 10)
    extra = Cohort(
        patients=(*cohort.patients, Patient(pid, "M", date(2012, 1, 15), "JDM")),
        visits=(*cohort.visits, Visit(pid, start - timedelta(days=3), rash=True)),
        labs=cohort.labs,
        courses=(*cohort.courses, DrugCourse(pid, "baricitinib", start, None, 4, "mg", "QD")),
        events=cohort.events,
        cutoff_date=cohort.cutoff_date,
    )
    text = _text(_html(extra))
    assert "Warnings about the data (1)" in text
    assert "no visit on or after the index date" in text and "P50" in text


def test_markdown_has_tables_and_methods(cohort: Cohort) -> None:
    md = render_report(cohort, fmt="md", generated_at=GENERATED).decode()
    assert "| Characteristic | Value | n with data | 95% CI |" in md
    assert "| Outcome | n | Baseline | Final | Estimate (95% CI) | p (test) |" in md
    assert "## Methods" in md and "Hyndman & Fan type 7" in md
    assert "a statistician must review them" in md
    assert cohort_fingerprint(cohort) in md
    assert "data:image" not in md


def test_pdf_opens(cohort: Cohort, tmp_path: Path) -> None:
    pdf = render_report(cohort, fmt="pdf", generated_at=GENERATED)
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    target = tmp_path / "report.pdf"
    target.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", str(target), str(tmp_path / "page")],
        check=True,
        timeout=120,
    )
    pages = list(tmp_path.glob("page*.png"))
    assert pages and pages[0].stat().st_size > 1000


def test_unknown_format_is_refused(cohort: Cohort) -> None:
    with pytest.raises(ValueError, match="unknown report format 'rtf'"):
        render_report(cohort, fmt="rtf", generated_at=GENERATED)  # type: ignore[arg-type]


def test_figures_use_the_same_patients_as_the_statistics(cohort: Cohort) -> None:
    summary = case_series(cohort)
    timelines = patient_timelines(cohort)
    catbm, cmas, ldh = paired_panels(timelines, summary)
    assert len(catbm.pairs) == summary["catbm_activity"]["n"]
    assert len(cmas.pairs) == summary["cmas"]["n"]
    assert len(ldh.pairs) == summary["enzymes"]["LDH"]["n"]
    curves = survival_curves(timelines)
    rash = len(subgroups(timelines)["rash"])
    assert rash == summary["rash_baseline"]["n"]
    for curve, key in zip(
        curves,
        ("weeks_to_rash_improving", "weeks_to_rash_marked", "weeks_to_rash_resolved"),
        strict=True,
    ):
        assert curve.n == rash == summary[key]["km_n"]
        assert curve.at_risk([0.0]) == [rash]
        # every patient without the event is a censoring mark
        assert len(curve.censored_times) == rash - summary[key]["km_events"]


def test_swimmer_plot_is_left_out_with_a_reason_for_large_cohorts(
    cohort: Cohort, monkeypatch: pytest.MonkeyPatch
) -> None:
    import myotrack.report.report_figures as report_figures

    monkeypatch.setattr(report_figures, "SWIMMER_MAX_PATIENTS", 2)
    html = _html(cohort)
    assert html.count('<img src="data:image/svg+xml;base64,') == 2
    assert "Not drawn: 6 patients are more than the 2 lanes" in _text(html)


def test_long_swimmer_plots_are_split_into_parts_on_one_scale(
    cohort: Cohort, monkeypatch: pytest.MonkeyPatch
) -> None:
    import myotrack.report.report_figures as report_figures

    monkeypatch.setattr(report_figures, "SWIMMER_LANES_PER_FIGURE", 4)
    html = _html(cohort)
    assert html.count('<img src="data:image/svg+xml;base64,') == 4  # paired, KM, 2 parts
    assert "(part 1 of 2)" in html and "(part 2 of 2)" in html


def test_figure_marks_are_the_summaries_of_the_drawn_points(cohort: Cohort) -> None:
    # oracle: numpy on the very points each panel draws (type 7 = numpy's default
    # 'linear' percentile; type 6 = 'weibull'); mean ± SD with ddof = 1
    import numpy

    methods: tuple[tuple[str, Literal["linear", "weibull"]], ...] = (
        ("type7", "linear"),
        ("type6", "weibull"),
    )
    for kind, method in methods:
        summary = case_series(cohort, quantiles=kind)  # type: ignore[arg-type]
        for panel in paired_panels(patient_timelines(cohort), summary):
            assert panel.marks is not None
            for side, mark in enumerate(panel.marks):
                values = numpy.array([pair[side] for pair in panel.pairs])
                if panel.summary == "mean_sd":
                    assert panel.source == "cmas"
                    assert mark.centre == pytest.approx(values.mean())
                    sd = values.std(ddof=1)
                    assert (mark.low, mark.high) == pytest.approx(
                        (values.mean() - sd, values.mean() + sd)
                    )
                else:
                    q1, median, q3 = numpy.percentile(values, [25, 50, 75], method=method)
                    assert (mark.low, mark.centre, mark.high) == pytest.approx((q1, median, q3))


def test_html_appendix_is_the_per_patient_supplement(
    cohort: Cohort, monkeypatch: pytest.MonkeyPatch
) -> None:
    html = _html(cohort)
    text = _text(html)
    assert "Appendix. Per-patient data" in text
    assert "Appendix table 1. Patients and treatment" in text
    appendix = html.split("Appendix table 1.", 1)[1].split("</table>", 1)[0]
    assert appendix.count("<tr>") == 1 + 6  # header + the six patients of the series
    for p in cohort.patients:  # numbered, never named
        assert p.patient_id not in html.split('<section class="appendix">', 1)[1]
    import myotrack.report.render as render

    monkeypatch.setattr(render, "APPENDIX_MAX_PATIENTS", 5)
    text = _text(_html(cohort))
    assert "Not printed: 6 patients are more than the 5 rows" in text
    assert "--supplement FILE.csv" in text
