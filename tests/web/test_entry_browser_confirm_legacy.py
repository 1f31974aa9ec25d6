"""In a real browser (issues 9 and 15): an implausible lab value is saved after ticking
"Confirm this value is correct" beside it; an impossible one names the unit mistake and
offers no box; a CDASI stored before the December 2026 errata is opened, "the rest are 0"
is pressed (it must leave the raw Gottron's inputs empty) and saved: its pre-summed
Gottron's-hands activity and the visit's CDASI activity are kept.

Playwright drives Debian's Chromium against a uvicorn server (the pattern of
test_browser_cdasi.py). Screenshots go to a temporary folder, or $MYOTRACK_SCREENSHOTS."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from myotrack import registry
from myotrack.domain import Assessment, Visit
from myotrack.instruments import DEFINITIONS, score

PASSWORD = "correct horse battery"  # the test users' password (conftest.py)
PATIENT = "EMPTY-A"  # site A, no records (conftest.py)
LEGACY = DEFINITIONS["cdasi_gottron_presummed"]
ON = date(2024, 3, 1)

pytestmark = pytest.mark.browser  # skipped without Chromium (conftest.py)


@pytest.fixture(scope="module")
def server(
    live_server: Callable[..., AbstractContextManager[tuple[str, str]]],
) -> Iterator[tuple[str, str]]:
    with live_server("browser-test-confirm", "confirmdb") as served:
        yield served


@pytest.fixture(scope="module")
def page_of(server: tuple[str, str], chromium_browser: Any) -> Iterator[object]:
    base, _ = server
    context = chromium_browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=username]", "clin_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/patients")
    yield page
    context.close()


def test_implausible_lab_confirmed_in_the_browser(
    server: tuple[str, str], page_of: object, shots: Path
) -> None:
    from playwright.sync_api import expect

    base, db_url = server
    page = page_of
    page.goto(f"{base}/patients/{PATIENT}/lab")  # type: ignore[attr-defined]
    page.fill("input[name=date]", "2024-05-02")  # type: ignore[attr-defined]
    page.select_option("#analyte", "hemoglobin")  # type: ignore[attr-defined]
    page.fill("#value", "126")  # type: ignore[attr-defined]
    page.select_option("#unit", "g/dL")  # type: ignore[attr-defined]
    page.click("button.primary")  # type: ignore[attr-defined]
    expect(page.locator("#f-value")).to_contain_text("Did you mean g/L?")  # type: ignore[attr-defined]
    expect(page.locator("input[name=confirm_implausible]")).to_have_count(0)  # type: ignore[attr-defined]

    page.select_option("#analyte", "CK")  # type: ignore[attr-defined]
    page.fill("#value", "150000")  # type: ignore[attr-defined]
    page.select_option("#unit", "U/L")  # type: ignore[attr-defined]
    page.click("button.primary")  # type: ignore[attr-defined]
    expect(page.locator("#f-value")).to_contain_text("is unusual")  # type: ignore[attr-defined]
    box = page.locator("input[name=confirm_implausible]")  # type: ignore[attr-defined]
    expect(box).to_be_visible()
    page.screenshot(path=str(shots / "lab-confirm-implausible-1366.png"), full_page=True)  # type: ignore[attr-defined]
    box.check()
    page.click("button.primary")  # type: ignore[attr-defined]
    page.wait_for_url(f"{base}/patients/{PATIENT}?saved=lab#labs")  # type: ignore[attr-defined]
    engine = registry.connect(db_url)
    try:
        with registry.transaction(engine) as session:
            record = registry.load_record(session, PATIENT)
    finally:
        engine.dispose()
    assert record is not None
    (lab,) = record.labs
    assert lab.value == 150000 and lab.extra["x_confirm_implausible"] == "yes"


def test_legacy_cdasi_saved_in_the_browser_keeps_its_pre_summed_gottron(
    server: tuple[str, str], page_of: object, shots: Path
) -> None:
    from playwright.sync_api import expect

    base, db_url = server
    items = {it.id: 0.0 for it in LEGACY.items}
    items.update(malar_erythema=2.0, gottron_hands_activity=5.0)
    items.pop("scalp_erythema")  # one item not entered: "the rest are 0" has work to do
    result = score(LEGACY.name, {**items, "scalp_erythema": 0.0})
    engine = registry.connect(db_url)
    try:
        with registry.transaction(engine) as session:
            registry.save_visit(
                session,
                Visit(PATIENT, ON, cdasi_activity=result.subscores["activity"]),
                expected_version=None,
                actor="test",
                reason="stored before the December 2026 errata",
                assessments=[Assessment(PATIENT, ON, "cdasi", items, version=LEGACY.version)],
            )
    finally:
        engine.dispose()
    assert result.subscores["activity"] == 7.0

    page = page_of
    page.once("dialog", lambda dialog: dialog.accept())  # type: ignore[attr-defined]
    page.goto(f"{base}/patients/{PATIENT}/visit?on={ON.isoformat()}")  # type: ignore[attr-defined]
    page.click("details[data-instrument=cdasi] > summary")  # type: ignore[attr-defined]
    block = page.locator("details[data-instrument=cdasi]")  # type: ignore[attr-defined]
    expect(block.locator("[data-kept-items]")).to_contain_text("gottron hands activity = 5")
    expect(block.locator("[data-cdasi-status]")).to_contain_text("kept when you save")
    page.click("#cdasi-rest-zero")  # type: ignore[attr-defined]
    expect(page.locator("[data-cell=scalp_erythema]")).to_have_value("0")  # type: ignore[attr-defined]
    expect(page.locator("[data-cell=gottron_hands_erythema]")).to_have_value("")  # type: ignore[attr-defined]
    page.screenshot(path=str(shots / "cdasi-legacy-edit-1366.png"), full_page=True)  # type: ignore[attr-defined]
    page.click("#save-visit")  # type: ignore[attr-defined]
    page.wait_for_url(f"{base}/patients/{PATIENT}?saved=visit#visits")  # type: ignore[attr-defined]

    engine = registry.connect(db_url)
    try:
        with registry.transaction(engine) as session:
            record = registry.load_record(session, PATIENT)
            log = registry.audit_log(session, patient_id=PATIENT)
    finally:
        engine.dispose()
    assert record is not None
    (cdasi,) = [a for a in record.assessments if a.instrument == "cdasi"]
    assert cdasi.version == LEGACY.version
    assert cdasi.items["gottron_hands_activity"] == 5 and cdasi.items["scalp_erythema"] == 0
    assert "gottron_hands_erythema" not in cdasi.items
    (visit,) = [v for v in record.visits if v.date == ON]
    assert visit.cdasi_activity == 7.0
    assert any("the rest are 0" in (e.reason or "") for e in log)
