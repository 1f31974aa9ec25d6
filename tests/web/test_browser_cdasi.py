"""CDASI by keyboard in a real browser (issue 9, issue 15): the visit form's CDASI grid.

Playwright drives Debian's Chromium against a uvicorn server (the launch pattern of
test_browser.py). A clinician types a CDASI with the Gottron's-hands block by keyboard only:
digits enter and move on, a value outside the item's range is refused as typed, the
Gottron's-hands activity is derived by the engine (erythema 3 doubled for papules + ulceration
1 = 7), "the rest are 0" fills the empty items only after an explicit confirmation, and the
saved assessment and the audit reason say so. Expected numbers are hand sums of what is
typed (errata 2026-12 §1 rule).

Screenshots go to a temporary folder, or to $MYOTRACK_SCREENSHOTS when set (to keep and
look at them)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from myotrack import registry

PASSWORD = "correct horse battery"  # the test users' password (conftest.py)
DESKTOP = {"width": 1366, "height": 900}
PATIENT = "EMPTY-A"  # site A, no visits (conftest.py)

pytestmark = pytest.mark.browser  # skipped without Chromium (conftest.py)


@pytest.fixture(scope="module")
def server(
    live_server: Callable[..., AbstractContextManager[tuple[str, str]]],
) -> Iterator[tuple[str, str]]:
    with live_server("browser-test-cdasi", "cdasidb") as served:
        yield served


def test_cdasi_by_keyboard_with_gottron_hands_and_the_rest_are_0(
    server: tuple[str, str], chromium_browser: object, shots: Path
) -> None:
    from playwright.sync_api import expect

    base, db_url = server
    context = chromium_browser.new_context(viewport=DESKTOP)  # type: ignore[attr-defined]
    page = context.new_page()
    script_errors: list[str] = []
    page.on("pageerror", lambda exc: script_errors.append(str(exc)))
    page.on(
        "response",
        lambda r: (
            script_errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and "/static/" in r.url
            else None
        ),
    )

    page.goto(f"{base}/login")
    page.fill("input[name=username]", "clin_a")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/patients")

    page.goto(f"{base}/patients/{PATIENT}/visit")
    page.fill("input[name=date]", "2024-03-04")
    page.click("details[data-instrument=cdasi] > summary")
    grid = page.locator("[data-cdasi-grid]")
    expect(grid).to_be_visible()
    # The per-item list is replaced by the grid (its fields stay in the form).
    expect(page.locator("select[name=item__cdasi__scalp_erythema]")).to_be_hidden()
    rows = grid.locator("table[data-grid=sites] tbody tr")
    expect(rows).to_have_count(15)

    # Scalp row by keyboard: erythema 2, scale 1, erosion 0, poikiloderma 1, calcinosis 0;
    # each digit moves the cursor on, so the next digit lands in the malar row.
    grid.locator("[data-cell=scalp_erythema]").focus()
    page.keyboard.type("21010")
    expect(page.locator("[data-cell=malar_erythema]")).to_be_focused()
    expect(page.locator("select[name=item__cdasi__scalp_erythema]")).to_have_value("2")
    expect(page.locator("select[name=item__cdasi__scalp_poikiloderma]")).to_have_value("1")
    # Out of range as typed: malar erythema 5 is refused, the cell stays empty and focused.
    page.keyboard.type("5")
    expect(grid.locator("[data-cdasi-status]")).to_contain_text("5 is not allowed (allowed 0–3)")
    expect(page.locator("[data-cell=malar_erythema]")).to_have_value("")
    expect(page.locator("[data-cell=malar_erythema]")).to_be_focused()
    page.keyboard.type("3")  # malar erythema 3
    # Poikiloderma is 0–1 (errata §1): a 2 is refused as typed.
    page.locator("[data-cell=malar_poikiloderma]").focus()
    page.keyboard.type("2")
    expect(grid.locator("[data-cdasi-status]")).to_contain_text("allowed 0–1")
    # Arrow keys move: down from malar poikiloderma is periorbital poikiloderma.
    page.keyboard.press("ArrowDown")
    expect(page.locator("[data-cell=periorbital_poikiloderma]")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(page.locator("[data-cell=periorbital_erosion_ulceration]")).to_be_focused()

    # The Gottron's-papules-on-hands block: erythema 3, papules yes, ulceration 1 -> 7;
    # damage 2 (scarring).
    page.locator("[data-cell=gottron_hands_erythema]").focus()
    page.keyboard.type("3112")
    expect(grid.locator("[data-derived-for=gottron_hands_activity]")).to_have_text("= 7")
    page.locator("[data-cell=gottron_hands_papules]").focus()
    page.keyboard.type("0")  # no papules: 3 + 1 = 4
    expect(grid.locator("[data-derived-for=gottron_hands_activity]")).to_have_text("= 4")
    page.locator("[data-cell=gottron_hands_papules]").focus()
    page.keyboard.type("1")
    expect(grid.locator("[data-derived-for=gottron_hands_activity]")).to_have_text("= 7")

    # Not complete yet: no activity total.
    expect(page.locator("#total-cdasi")).to_have_text("–")
    # "The rest are 0" asks first; dismissing it changes nothing.
    page.once("dialog", lambda d: d.dismiss())
    page.click("#cdasi-rest-zero")
    expect(grid.locator("[data-cdasi-status]")).to_contain_text("Nothing was set to 0")
    expect(page.locator("#total-cdasi")).to_have_text("–")
    # Accepted: the 70 empty items of 81 become 0, and it is recorded.
    entered = 5 + 1 + 1 + 4  # scalp row, malar erythema, malar poikiloderma refused, Gottron 4
    entered -= 1  # the refused poikiloderma 2 left its cell empty
    empty = 81 - entered
    messages: list[str] = []

    def accept(dialog: object) -> None:
        messages.append(dialog.message)  # type: ignore[attr-defined]
        dialog.accept()  # type: ignore[attr-defined]

    page.once("dialog", accept)
    page.click("#cdasi-rest-zero")
    assert messages and f"Set the {empty} CDASI items" in messages[0]
    # Activity = scalp 2 + 1 + 0 + malar 3 + Gottron's hands 7 = 13; damage = scalp
    # poikiloderma 1 + Gottron's hands scarring 2 = 3.
    expect(page.locator("#total-cdasi")).to_have_text("13")
    expect(grid.locator("[data-cdasi-scores]")).to_have_text("activity 13 · damage 3")
    # the live line under the title names subscores in the definition's words, not ids
    expect(page.locator("[data-state-for=cdasi]")).to_contain_text("CDASI activity 13")
    expect(grid.locator("[data-rest-note]")).to_contain_text(f"{empty} items were set to 0")
    expect(page.locator("input[name=reason]")).to_have_value(
        f"CDASI: {empty} items set to 0 by the explicit action 'the rest are 0'"
    )
    page.locator("details[data-instrument=cdasi]").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "cdasi-grid-1366.png"), full_page=True)

    page.click("#save-visit")
    # The patient page, with or without a "saved" notice in the query string.
    page.wait_for_url(re.compile(rf"/patients/{PATIENT}(\?[^#]*)?#visits$"))
    expect(page.locator("#visits")).to_contain_text("13")

    # Editing the visit: the grid shows the stored items, the derived block and the
    # recorded action again.
    page.goto(f"{base}/patients/{PATIENT}/visit?on=2024-03-04")
    page.click("details[data-instrument=cdasi] > summary")
    expect(page.locator("[data-cell=gottron_hands_erythema]")).to_have_value("3")
    expect(page.locator("[data-cell=scalp_erythema]")).to_have_value("2")
    expect(grid.locator("[data-derived-for=gottron_hands_activity]")).to_have_text("= 7")
    expect(grid.locator("[data-rest-note]")).to_contain_text(f"{empty} items were set to 0")
    expect(page.locator("#total-cdasi")).to_have_text("13")
    assert not script_errors, script_errors
    context.close()

    # The saved assessment keeps the raw Gottron's inputs and the recorded action; the
    # audit reason says so.
    engine = registry.connect(db_url)
    try:
        with registry.transaction(engine) as session:
            record = registry.load_record(session, PATIENT)
            log = registry.audit_log(session, patient_id=PATIENT)
    finally:
        engine.dispose()
    assert record is not None
    cdasi = next(a for a in record.assessments if a.instrument == "cdasi")
    assert cdasi.items["gottron_hands_erythema"] == 3
    assert cdasi.items["gottron_hands_papules"] == 1
    assert cdasi.items["gottron_hands_ulceration"] == 1
    assert "gottron_hands_activity" not in cdasi.items
    assert cdasi.items["rest_set_to_zero"] == empty
    assert cdasi.total == 13
    assert any("the rest are 0" in (entry.reason or "") for entry in log)
