"""The case-report draft (`report.casereport`, `casereport_out`, `myotrack casereport`) of
the demo's MDA5-positive child. Oracles: the demo cohort's CSV rows (themselves the
values of Strauss et al. 2023: CK 0.26 µmol/(s*L), LDH 5.37, IFN score 4124, CMAS 20 at
admission and 47 in January 2023) and the CARE checklist's 13 topics."""

from __future__ import annotations

import html
import io
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from myotrack import registry
from myotrack.cohort import DEMO_FOLDER, read_folder, whole_records
from myotrack.domain import PatientRecord, ReportedValue, WholeRecord
from myotrack.domain.images import ClinicalImage
from myotrack.domain.investigations_lung import ChestHrct
from myotrack.domain.partial_date import PartialDate
from myotrack.media import clean_image
from myotrack.media.demo import DEMO_IMAGES, encoded
from myotrack.report.casereport import (
    NO_INVESTIGATIONS,
    CaseReport,
    build_case_report,
    lab_tables,
)
from myotrack.report.casereport_care import CARE_ITEMS, items_with, to_write_text
from myotrack.report.casereport_findings import findings_text
from myotrack.report.casereport_out import case_report_docx, case_report_html, render_case_report
from myotrack.report.figures.labels import course_label, drug_name

CASE = "MDA5-case"
AT = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def record() -> PatientRecord:
    cohort, issues = read_folder(DEMO_FOLDER)
    assert cohort is not None and not issues
    return cohort.records()[CASE]


@pytest.fixture(scope="module")
def whole() -> WholeRecord:
    """The child's whole record (cohort format version 2: investigations, background with
    subtype, ANA titre and family history, the treatment decision)."""
    cohort, issues = read_folder(DEMO_FOLDER)
    assert cohort is not None and not issues
    return whole_records(cohort)[CASE]


@pytest.fixture(scope="module")
def images() -> tuple[list[ClinicalImage], dict[str, bytes]]:
    """The demo's fictional images as stored images (cleaned), with their bytes."""
    out, files = [], {}
    for n, item in enumerate(DEMO_IMAGES, start=1):
        clean = clean_image(encoded(item))
        files[clean.sha256] = clean.data
        out.append(
            ClinicalImage(
                patient_id=CASE,
                date=item.day,
                body_site=item.body_site,
                kind=item.kind,
                sha256=clean.sha256,
                media_type=clean.media_type,
                width=clean.width,
                height=clean.height,
                byte_size=len(clean.data),
                consent=item.consent,
                caption=item.caption,
                image_id=n,
            )
        )
    return out, files


@pytest.fixture(scope="module")
def full(
    record: PatientRecord,
    whole: WholeRecord,
    images: tuple[list[ClinicalImage], dict[str, bytes]],
) -> CaseReport:
    """The draft with the demo's images and whole record, as `myotrack casereport` makes it
    (built once: drawing the figures takes seconds)."""
    stored, files = images
    return build_case_report(
        record,
        generated_at=AT,
        images=stored,
        read_image=lambda i: files[i.sha256],
        investigations=whole.investigations,
        background=whole.background,
        decisions=whole.decisions,
        clinical_events=whole.clinical_events,
        treatment_courses=whole.treatment_courses,
    )


def _html(report: CaseReport) -> str:
    return html.unescape(case_report_html(report))


def test_labs_are_printed_as_the_laboratory_reported_them(
    record: PatientRecord, full: CaseReport
) -> None:
    page = _html(full)
    # The seed's admission values, in µmol/(s*L) as reported (stored converted in U/L).
    for value in ("0.26", "5.37", "0.22", "0.54", "4124", "9.8"):
        assert f">{value}" in page, value
    assert "µmol/(s·L)" in page and "< 3.17" in page and "2–5" in page
    # Seven dates: two tables of 4 and 3 columns, not 6 and 1.
    quantitative = [t for t in full.sections[3].tables if t.title.startswith("Table 3")]
    assert [len(t.columns) - 3 for t in quantitative] == [4, 3]
    ck_in_units_per_litre = next(x.value for x in record.labs if x.analyte == "CK")
    assert ck_in_units_per_litre is not None
    assert f">{ck_in_units_per_litre:g}<" not in page  # 15.6 U/L is not what was reported


def test_nothing_identifying_leaves_the_registry(record: PatientRecord, full: CaseReport) -> None:
    page = _html(full)
    p = record.patient
    assert p.site is not None
    for secret in (CASE, p.site, p.birth_date.isoformat(), "2021-09-13", "2021-10-05"):
        assert secret not in page
    assert "Oct 2021 (day +0)" in page  # the JAK-inhibitor start as month and day


def test_only_images_with_publication_consent(
    record: PatientRecord,
    images: tuple[list[ClinicalImage], dict[str, bytes]],
    full: CaseReport,
) -> None:
    stored, _ = images
    report = full
    published = [i for i in stored if i.consent.publication]
    assert report.images_left_out == len(stored) - len(published) == 3
    # Face, hands and chest CT each have one image before and one after the start.
    assert [i.title for i in report.images] == ["Figure 2.", "Figure 3.", "Figure 4."]
    page = html.unescape(case_report_html(report))
    for image in stored:
        assert ((image.caption or "?") in page) is image.consent.publication, image.caption
    with pytest.raises(ValueError):
        build_case_report(record, generated_at=AT, images=stored)  # no way to read them


def test_interventions_outcomes_and_timeline(full: CaseReport) -> None:
    report = full
    sections = {s.key: s for s in report.sections}
    drugs = [row.label for row in sections["interventions"].tables[0].rows]
    assert drugs == [
        next(r.label for r in sections["interventions"].tables[0].rows if r.label == d)
        for d in drugs
    ]
    rux = next(r for r in sections["interventions"].tables[0].rows if r.label == "ruxolitinib")
    assert rux.cells[0] == "5 mg BID" and rux.cells[4].endswith("(ongoing)")
    outcomes = {r.label: r.cells for r in sections["outcomes"].tables[0].rows}
    # CMAS 22 at the start visit (the JAK start day) and 47 in January 2023 (the seed).
    assert outcomes["CMAS (0–52)"] == ("22 · Oct 2021 (day +0)", "47 · Jan 2023 (day +469)")
    assert outcomes["Interferon score"][0].startswith("4124 · Sep 2021")
    assert report.timeline_png.startswith(b"\x89PNG")
    assert "CMAS" in report.timeline_legend and "Interferon score" in report.timeline_legend
    timeline = [r.cells[0] for r in sections["timeline"].tables[0].rows]
    assert "Start ruxolitinib 5 mg BID" in timeline
    assert any(text.startswith("Infection (PJP)") for text in timeline)
    outcomes_text = " ".join(sections["outcomes"].paragraphs)
    # The PJP infection came before the JAK inhibitor: not an adverse event under it.
    assert "on or after the JAK-inhibitor start: none." in outcomes_text
    assert "Before the JAK-inhibitor start: infection (PJP), Sep 2021, day -18." in outcomes_text
    assert "((" not in outcomes_text and "))" not in outcomes_text  # no brackets in brackets
    assert "Decision: JAK-inhibitor start planned (ruxolitinib), done" in timeline
    when = [r.label for r in sections["timeline"].tables[0].rows if "Decision" in r.cells[0]]
    assert when == ["Oct 2021 (day not known)"]  # decided on in October 2021, day unknown


def test_investigations_empty_state_and_when_present(record: PatientRecord) -> None:
    empty = build_case_report(record, generated_at=AT)
    diagnostic = next(s for s in empty.sections if s.key == "diagnostic")
    assert NO_INVESTIGATIONS in diagnostic.paragraphs
    ct = ChestHrct(
        patient_id=CASE,
        date=PartialDate.parse("2021-09"),
        pattern=None,
        free_text="ventral ground-glass opacities",
    )
    filled = build_case_report(record, generated_at=AT, investigations=[ct])
    diagnostic = next(s for s in filled.sections if s.key == "diagnostic")
    assert NO_INVESTIGATIONS not in diagnostic.paragraphs
    (table,) = [t for t in diagnostic.tables if t.title.startswith("Table 4")]
    (row,) = table.rows
    assert row.label == "Chest CT" and row.cells[0] == "Sep 2021 (day not known)"
    assert "ground-glass" in row.cells[1]


def test_care_checklist_covers_every_topic(full: CaseReport) -> None:
    numbers = {
        i.number.split("a")[0].split("b")[0].split("c")[0].split("d")[0].split("–")[0]
        for i in CARE_ITEMS
    }
    assert numbers == {str(n) for n in range(1, 14)}
    page = _html(full)
    for item in CARE_ITEMS:
        assert f"<td>{item.number}</td>" in page
    assert {i.number for i in items_with("filled")} >= {"5a", "7", "8a", "9a", "9b", "10a", "10b"}
    assert {i.number for i in items_with("authors")} >= {"2", "4", "11", "12"}
    assert "Glob Adv Health Med 2013" in page


def test_docx_holds_the_same_draft(full: CaseReport) -> None:
    from docx import Document

    report = full
    document = Document(io.BytesIO(case_report_docx(report)))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = {c.text for t in document.tables for r in t.rows for c in r.cells}
    assert report.title in text and "Figure 1." in text
    assert {"0.26", "µmol/(s·L)", "4124", "ruxolitinib", "5 mg BID"} <= cells
    assert len(document.inline_shapes) == 1 + len(report.images)
    assert CASE not in text and all(CASE not in c for c in cells)


def test_pdf_through_weasyprint(record: PatientRecord) -> None:
    """Without images (they are tested above): the draft says so, and WeasyPrint renders it."""
    report = build_case_report(record, generated_at=AT)
    assert report.images == () and "No image of this patient" in case_report_html(report)
    pdf = render_case_report(report, "pdf")
    assert pdf.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        assert "CARE checklist" in text and "Therapeutic intervention" in text


def test_the_command_writes_the_draft(tmp_path: Path) -> None:
    from myotrack.cli import app
    from myotrack.media.demo import add_demo_images

    url = f"sqlite:///{tmp_path / 'myotrack.db'}"
    engine = registry.connect(url)
    registry.upgrade(engine)
    cohort, _ = read_folder(DEMO_FOLDER)
    assert cohort is not None
    with registry.transaction(engine) as session:
        registry.import_cohort(session, cohort, actor="t", reason="t")
    assert add_demo_images(engine) == len(DEMO_IMAGES)  # into tmp_path/myotrack-images
    engine.dispose()
    runner = CliRunner()
    out = tmp_path / "case.docx"
    result = runner.invoke(app, ["casereport", CASE, "--out", str(out), "--database", url])
    assert result.exit_code == 0, result.output
    assert "3 image(s) without it left out" in result.output
    assert out.read_bytes().startswith(b"PK")
    bad = runner.invoke(
        app, ["casereport", CASE, "--out", str(tmp_path / "x.txt"), "--database", url]
    )
    assert bad.exit_code != 0 and ".pdf, .docx or .html" in bad.output
    nobody = runner.invoke(app, ["casereport", "NOBODY", "--out", str(out), "--database", url])
    assert nobody.exit_code != 0 and "no patient 'NOBODY'" in nobody.output
    check = runner.invoke(app, ["images", "check", "--database", url])
    assert check.exit_code == 0 and "Everything matches" in check.output
    (tmp_path / "myotrack-images" / "00").mkdir()
    (tmp_path / "myotrack-images" / "00" / f"{'0' * 64}.png").write_bytes(b"orphan")
    orphan = runner.invoke(app, ["images", "check", "--database", url, "--remove-orphans"])
    assert orphan.exit_code == 0 and "orphan" in orphan.output and "Removed 1" in orphan.output


def test_a_record_without_anything_still_gives_a_draft(record: PatientRecord) -> None:
    bare = PatientRecord(patient=replace(record.patient, onset_date=None))
    report = build_case_report(bare, generated_at=AT)
    page = html.unescape(case_report_html(report))
    assert "No drug course is recorded." in page and "No visit is recorded" in page
    assert date(2017, 5, 15).isoformat() not in page


def test_units_as_reported_and_once(record: PatientRecord) -> None:
    """CK reported as µmol/(s*L), µkat/L and ukat/L (one unit, three spellings): the unit
    column gives the most frequent in print, no cell repeats a unit; a value in another unit
    (U/L) carries it. AST, reported once as µmol/(s*L), keeps that spelling."""
    (first_table, *_) = lab_tables(record)
    rows = {r.label: r.cells for r in first_table.rows}
    ck = rows["creatine kinase (CK)"]
    assert ck[0] == "µkat/L" and rows["aspartate aminotransferase (AST)"][0] == "µmol/(s·L)"
    assert ck[2] == "0.26"  # reported as 0.26 µmol/(s*L): the same unit, not repeated
    assert all(c.replace(".", "").isdigit() for c in ck[2:] if c), ck
    labs = list(record.labs)
    at = next(i for i, lab in enumerate(labs) if lab.analyte == "CK" and lab.reported)
    labs[at] = replace(labs[at], reported=ReportedValue(15.6, "U/L", None, 190.0))
    (changed, *_) = lab_tables(replace(record, labs=tuple(labs)))
    changed_rows = {r.label: r.cells for r in changed.rows}
    assert "15.6 U/L" in changed_rows["creatine kinase (CK)"]


def test_drugs_in_words_in_the_tables_and_the_figure(record: PatientRecord) -> None:
    assert drug_name("ivig") == "intravenous immunoglobulin (IVIG)"
    assert drug_name("mometasone") == "mometasone"  # outside the catalogue: as written
    # the figure prints drugs in words and dose units in print (report.figures.labels)
    shown = {course_label(c) for c in record.courses}
    assert any(t.startswith("IVIG ") for t in shown)
    assert any(t.startswith("co-trimoxazole ") for t in shown)
    assert "methotrexate 12.5 mg/m² weekly" in shown
    assert not any(t.startswith(("ivig", "cotrimoxazole")) for t in shown)


def test_investigations_in_words(whole: WholeRecord) -> None:
    texts = {type(i).__name__ + i.date.iso(): findings_text(i) for i in whole.investigations}
    assert texts["ChestHrct2021-09"] == (
        "findings: ground-glass opacity, other finding; pattern: interstitial changes, "
        "pattern not classified; change: first study. "
        "Noted: ventral; pleural round spot between middle lobe and upper lobe"
    )
    assert texts["BronchoalveolarLavage2021-09"] == (
        "cytology: lymphocytic; organisms: Pneumocystis jirovecii"  # method not stated: left out
    )
    assert texts["Capillaroscopy2021-09"] == "result: normal"
    assert all("_" not in t for t in texts.values())


def test_background_fills_patient_information_and_care_5c(
    full: CaseReport, record: PatientRecord
) -> None:
    assert full.title.startswith("Hypomyopathic dermatomyositis (anti-MDA5, anti-Ro52)")
    table1 = {r.label: r.cells[0] for r in full.sections[0].tables[0].rows}
    assert table1["Family history"] == "father: psoriatic arthritis"
    assert table1["Antibodies"].endswith("antinuclear antibodies (ANA) 1:160")
    care = {i.number: i for i in full.care}
    assert care["5c"].status == "partly" and "5c" not in to_write_text(full.care)
    bare = build_case_report(record, generated_at=AT)
    assert {i.number: i for i in bare.care}["5c"].status == "authors"
    assert "5c (medical, family and psychosocial history" in to_write_text(bare.care)


def test_whole_record_events_and_courses(full: CaseReport) -> None:
    """The whole record's events (admissions, ILD diagnosed, remission) in the timeline at
    their own precision, remission among the outcomes; a course only the whole record holds
    (ampicillin/sulbactam given elsewhere, 2021) appended to the interventions, the courses
    of the version 1 record not repeated."""
    sections = {s.key: s for s in full.sections}
    timeline = {(r.label, r.cells[0]) for r in sections["timeline"].tables[0].rows}
    assert ("Sep 2021 (day not known)", "Interstitial lung disease diagnosed") in timeline
    assert ("2021 (month not known)", "Hospital admission (external clinic)") in timeline
    rows = sections["interventions"].tables[0].rows
    assert [r.label for r in rows].count("ruxolitinib") == 1
    last = rows[-1]
    assert last.label == "ampicillin/sulbactam (given elsewhere)"
    assert last.cells[2:4] == ("2021 (month not known)", "not recorded")
    outcomes = " ".join(sections["outcomes"].paragraphs)
    assert "remission (sustained stable remission 'as of today'), 2023." in outcomes
