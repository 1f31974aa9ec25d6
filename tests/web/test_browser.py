"""The web app in a real browser: Playwright driving Debian's Chromium against a uvicorn
server on a free loopback port.

Screenshots go to a temporary folder, or to $MYOTRACK_SCREENSHOTS when set (to keep and
look at them)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

from myotrack.instruments import INSTRUMENTS

DESKTOP = {"width": 1366, "height": 900}
TABLET = {"width": 820, "height": 1180}

pytestmark = pytest.mark.browser  # skipped without Chromium (conftest.py)


@pytest.fixture(scope="module")
def server(live_server: Callable[..., AbstractContextManager[tuple[str, str]]]) -> Iterator[str]:
    with live_server("browser-test", "browserdb") as (base, _):
        yield base


def _bad_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(
            "bad/patients.csv",
            "patient_id,sex,birth_date,diagnosis\nB-01,F,2014-02-30,JDM\nB-02,X,2013-01-01,JDM\n",
        )
        z.writestr("bad/visits.csv", "patient_id,date,cmas\nB-01,2020-01-01,60\n")
    return buffer.getvalue()


def test_clinic_workflow_in_chromium(
    server: str,
    chromium_browser: object,
    shots: Path,
    log_in: Callable[..., None],
    tmp_path: Path,
    demo_patients: Any,
) -> None:
    from playwright.sync_api import expect

    context = chromium_browser.new_context(viewport=DESKTOP)  # type: ignore[attr-defined]
    page = context.new_page()
    script_errors: list[str] = []  # JavaScript exceptions and blocked (CSP) or missing assets
    page.on("pageerror", lambda exc: script_errors.append(str(exc)))
    page.on(
        "response",
        lambda r: (
            script_errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and ("/static/" in r.url or "/vendor/" in r.url)
            else None
        ),
    )
    page.on(
        "console",
        lambda m: (
            script_errors.append(m.text)
            if m.type == "error" and "Content Security Policy" in m.text
            else None
        ),
    )

    # Anonymous users are sent to the login page.
    page.goto(f"{server}/patients")
    expect(page).to_have_url(f"{server}/login?next=/patients")
    page.screenshot(path=str(shots / "00-login.png"))
    page.fill("input[name=username]", "clin_a")
    page.fill("input[name=password]", "wrong password")
    page.click("button[type=submit]")
    expect(page.locator(".alert-error")).to_contain_text("Wrong user name or password")

    # Log in as the clinician of site A: the patient list shows only site A.
    log_in(page, server, "clin_a")
    expect(page.locator("#patient-table")).to_contain_text(demo_patients.site_a)
    expect(page.locator("#patient-table")).not_to_contain_text(demo_patients.site_b)
    page.screenshot(path=str(shots / "01-patients-desktop.png"), full_page=True)

    # A new patient.
    page.click("text=New patient")
    page.fill("input[name=patient_id]", "BRW-001")
    page.select_option("select[name=sex]", "F")
    page.fill("input[name=birth_date]", "2015-03-01")
    page.select_option("select[name=diagnosis]", "JDM")
    page.check("input[name=antibodies][value=NXP2]")
    page.screenshot(path=str(shots / "02-new-patient.png"), full_page=True)
    page.click("button:has-text('Save patient')")
    page.wait_for_url(f"{server}/patients/BRW-001?saved=patient")
    expect(page.locator("h1")).to_contain_text("BRW-001")

    # A visit, item by item: the CMAS total updates as items are entered.
    page.click("text=New visit")
    page.fill("input[name=weight_kg]", "24")
    total = page.locator("#total-cmas")
    items = INSTRUMENTS["cmas"].items
    first = items[0]
    page.select_option(f"select[name=item__cmas__{first.id}]", str(int(first.max)))
    expect(page.locator("[data-state-for=cmas]")).to_contain_text(f"so far {int(first.max)}")
    for it in items[1:]:
        page.select_option(f"select[name=item__cmas__{it.id}]", str(int(it.max)))
    expect(total).to_have_text("52")
    page.select_option(f"select[name=item__cmas__{first.id}]", "2")
    expect(total).to_have_text(str(52 - int(first.max) + 2))
    # A range error beside the field: a 10-cm VAS cannot be 12.
    page.click("summary:has-text('Global assessments')")
    page.fill("input[name=item__globals__phga]", "12")
    expect(page.locator("[data-error-for='globals.phga']")).to_contain_text("allowed")
    page.screenshot(path=str(shots / "03-visit-form-error.png"), full_page=True)
    page.fill("input[name=item__globals__phga]", "2.5")
    expect(page.locator("[data-error-for='globals.phga']")).to_have_text("")
    page.click("#save-visit")
    page.wait_for_url(f"{server}/patients/BRW-001?saved=visit#visits")
    expect(page.locator("#visits")).to_contain_text("49")

    # Decision support: no lymphocyte count yet does not block; a low one does.
    expect(page.locator("#jak-blocked")).to_have_count(0)
    page.click("text=Lab result")
    page.select_option("#analyte", "lymphocytes")
    expect(page.locator("#unit option")).to_have_text(["10^9/L"])
    page.fill("#value", "0.3")
    page.fill("input[name=ref_low]", "1.0")
    page.fill("input[name=ref_high]", "4.0")
    page.click("button:has-text('Save result')")
    page.wait_for_url(f"{server}/patients/BRW-001?saved=lab#labs")
    expect(page.locator("#jak-blocked")).to_be_visible()
    expect(page.locator("#decision-support")).to_contain_text("lymphocytes")
    expect(page.locator("#labs")).to_contain_text("low")
    page.screenshot(path=str(shots / "04-patient-desktop.png"), full_page=True)

    # The same pages at tablet width.
    page.set_viewport_size(TABLET)
    page.reload()
    page.screenshot(path=str(shots / "05-patient-tablet.png"), full_page=True)
    page.goto(f"{server}/patients/BRW-001/visit")
    page.screenshot(path=str(shots / "06-visit-form-tablet.png"), full_page=False)
    page.goto(f"{server}/patients")
    page.screenshot(path=str(shots / "07-patients-tablet.png"), full_page=True)
    page.set_viewport_size(DESKTOP)

    # An existing demo patient with a timeline figure.
    page.goto(f"{server}/patients/{demo_patients.site_a}")
    expect(page.locator("#timeline-plot .main-svg").first).to_be_visible()
    page.screenshot(path=str(shots / "08-demo-patient-desktop.png"), full_page=True)

    # Log out; an admin uploads a bad cohort zip and sees the errors per file and line.
    page.click("button:has-text('Log out')")
    page.wait_for_url(f"{server}/login")
    log_in(page, server, "admin")
    page.click("text=Cohort & report")
    bad = tmp_path / "bad-cohort.zip"
    bad.write_bytes(_bad_zip())
    page.set_input_files("input[type=file]", str(bad))
    page.click("button:has-text('Check and import')")
    expect(page.locator("#upload-errors")).to_contain_text("Nothing was stored")
    issues = page.locator("table.issues")
    expect(issues).to_contain_text("patients.csv")
    expect(issues.locator("tbody tr").first).to_be_visible()
    page.screenshot(path=str(shots / "09-upload-errors.png"), full_page=True)
    page.goto(f"{server}/patients?q=B-0")
    expect(page.locator("#patient-table")).to_contain_text("No patients match")

    # The case-series report opens (HTML) in a new tab.
    page.goto(f"{server}/cohort")
    with context.expect_page() as new_page_info:
        page.click("#open-report")
    report = new_page_info.value
    report.wait_for_load_state()
    expect(report.locator("body")).to_contain_text("JAK")
    report.screenshot(path=str(shots / "10-report.png"), full_page=False)

    # The audit log shows the clinician's visit.
    page.goto(f"{server}/audit?patient=BRW-001")
    expect(page.locator("table.audit")).to_contain_text("clin_a")
    page.screenshot(path=str(shots / "11-audit.png"), full_page=False)

    # A researcher sees the same patient de-identified: days, not dates.
    page.click("button:has-text('Log out')")
    log_in(page, server, "research")
    # Researchers' URLs carry research pseudonyms: open a treated patient from the list.
    page.goto(f"{server}/patients?jak=any")
    page.locator("a[href^='/patients/S-']").first.click()
    page.wait_for_load_state()
    expect(page.locator(".banner.deid")).to_be_visible()
    expect(page.locator("#visits")).to_contain_text("day ")
    expect(page.locator("#decision-support")).to_have_count(0)
    expect(page.locator("#timeline-plot .main-svg").first).to_be_visible()
    page.screenshot(path=str(shots / "12-researcher-patient.png"), full_page=True)
    context.close()
    assert not script_errors, script_errors


def test_correcting_and_retracting_a_lab_and_a_course(
    server: str, chromium_browser: object, shots: Path, log_in: Callable[..., None]
) -> None:
    """Issue 9: a wrong lab and a wrong course are corrected and then retracted in the
    browser; the errors show beside the field (and in the summary that links to it)."""
    from playwright.sync_api import expect

    context = chromium_browser.new_context(viewport=DESKTOP)  # type: ignore[attr-defined]
    page = context.new_page()
    script_errors: list[str] = []
    page.on("pageerror", lambda exc: script_errors.append(str(exc)))
    log_in(page, server, "clin_a")
    pid = "EMPTY-A"

    # Enter a lab and a course, each with a mistake to correct.
    page.goto(f"{server}/patients/{pid}/lab")
    page.fill("input[name=date]", "2024-05-02")
    page.select_option("#analyte", "CK")
    expect(page.locator("#unit option")).to_have_count(2)  # U/L and µkat/L, each once
    page.fill("#value", "9000")
    page.select_option("#unit", "U/L")
    page.click("button:has-text('Save result')")
    page.wait_for_url(f"{server}/patients/{pid}?saved=lab#labs")
    expect(page.locator("#saved-message")).to_contain_text("Lab result saved")
    page.goto(f"{server}/patients/{pid}/course")
    page.fill("input[name=drug]", "tofacitinib")
    page.fill("input[name=start_date]", "2024-05-03")
    page.fill("input[name=dose]", "50")
    page.select_option("select[name=dose_unit]", "mg")
    page.click("button:has-text('Start course')")
    page.wait_for_url(f"{server}/patients/{pid}?saved=course#courses")

    # Correct the lab: a missing value is shown beside the field and in the summary.
    page.click("#labs summary:has-text('All results')")
    page.click("#labs a:has-text('correct')")
    expect(page.locator("h1")).to_contain_text("Correct lab result")
    page.fill("#value", "")
    page.click("button:has-text('Save correction')")
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#f-value")).to_be_visible()
    page.screenshot(path=str(shots / "20-lab-correction-error.png"), full_page=True)
    page.click("#error-summary a[href='#f-value']")
    expect(page.locator("#value")).to_be_focused()
    page.fill("#value", "900")
    page.fill("input[name=date]", "2024-05-01")
    page.fill("input[name=reason]", "typed an extra zero; date from the report")
    page.click("button:has-text('Save correction')")
    page.wait_for_url(f"{server}/patients/{pid}?saved=lab#labs")
    expect(page.locator("#latest-labs")).to_contain_text("2024-05-01")
    expect(page.locator("#latest-labs")).to_contain_text("900")

    # Correct the course: dose, start, then an end date before the start is refused.
    page.click("#courses a:has-text('correct')")
    expect(page.locator("h1")).to_contain_text("Correct a drug course")
    page.fill("input[name=dose]", "5")
    page.fill("input[name=end_date]", "2024-04-01")
    page.click("button:has-text('Save correction')")
    expect(page.locator("#f-end_date")).to_be_visible()
    page.screenshot(path=str(shots / "21-course-correction-error.png"), full_page=True)
    page.fill("input[name=end_date]", "")
    page.fill("input[name=start_date]", "2024-05-02")
    page.click("button:has-text('Save correction')")
    page.wait_for_url(f"{server}/patients/{pid}?saved=course#courses")
    expect(page.locator("#courses")).to_contain_text("2024-05-02")
    page.screenshot(path=str(shots / "22-patient-after-corrections.png"), full_page=True)

    # Retract both, each with a reason.
    page.click("#labs summary:has-text('All results')")
    page.click("#labs a:has-text('correct')")
    page.click("#retract summary")
    page.fill("#retract input[name=reason]", "result of another patient")
    page.click("#retract button:has-text('Retract lab result')")
    page.wait_for_url(f"{server}/patients/{pid}?saved=retracted#labs")
    expect(page.locator("#saved-message")).to_contain_text("Record retracted")
    expect(page.locator("#labs")).to_contain_text("No laboratory results yet")
    page.click("#courses a:has-text('correct')")
    page.click("#retract summary")
    page.fill("#retract input[name=reason]", "never started")
    page.click("#retract button:has-text('Retract drug course')")
    page.wait_for_url(f"{server}/patients/{pid}?saved=retracted#courses")
    expect(page.locator("#courses")).to_contain_text("No drug courses yet")

    # A visit with a total out of range in the (closed) totals section: after saving, the
    # section is open, the message is beside the field, the summary link focuses it.
    page.goto(f"{server}/patients/{pid}/visit")
    page.fill("input[name=date]", "2024-05-02")
    page.click("summary:has-text('Totals only')")
    page.fill("input[name=total__cmas]", "60")
    page.click("#save-visit")
    expect(page.locator("#f-totals__cmas")).to_be_visible()
    page.click("#error-summary a[href='#f-totals__cmas']")
    expect(page.locator("input[name=total__cmas]")).to_be_focused()
    page.screenshot(path=str(shots / "25-visit-total-error.png"), full_page=False)

    # The admin sees who did what in the audit log, and what was retracted.
    page.click("button:has-text('Log out')")
    log_in(page, server, "admin")
    page.goto(f"{server}/audit?patient={pid}")
    expect(page.locator("table.audit")).to_contain_text("retracted")
    expect(page.locator("table.audit")).to_contain_text("result of another patient")
    page.screenshot(path=str(shots / "23-audit-corrections.png"), full_page=False)
    page.goto(f"{server}/retracted")
    expect(page.locator("#retracted-table")).to_contain_text(pid)
    page.screenshot(path=str(shots / "24-retracted.png"), full_page=False)
    # The timeline: one axis per scale (CMAS, IFN score on a log axis), every course a
    # bar beneath, events as markers (the demo's MDA5+ case has all of them).
    page.goto(f"{server}/patients/MDA5-case")
    expect(page.locator("#timeline-plot .main-svg").first).to_be_visible()
    expect(page.locator("#timeline-plot")).to_contain_text("CMAS (0–52)")
    expect(page.locator("#timeline-plot")).to_contain_text("IFN score (log)")
    page.locator("#timeline").screenshot(path=str(shots / "26-timeline-scales.png"))
    context.close()
    assert not script_errors, script_errors
