"""The decision-support panel in a real browser (Playwright driving Debian's Chromium, the
launch pattern of test_browser.py): a patient without a blood count shows the amber
"cannot assess" state, naming what is missing — never the green "nothing blocks"; the
seed-003 child (MDA5-case) on treatment speaks of monitoring.

Screenshots go to a temporary folder, or to $MYOTRACK_SCREENSHOTS when set."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

DESKTOP = {"width": 1366, "height": 900}

pytestmark = pytest.mark.browser  # skipped without Chromium (conftest.py)


@pytest.fixture(scope="module")
def server(live_server: Callable[..., AbstractContextManager[tuple[str, str]]]) -> Iterator[str]:
    with live_server("browser-decision-test", "decisiondb") as (base, _):
        yield base


def test_no_blood_count_is_amber_never_green(
    server: str, chromium_browser: object, shots: Path, log_in: Callable[..., None]
) -> None:
    from playwright.sync_api import expect

    context = chromium_browser.new_context(viewport=DESKTOP)  # type: ignore[attr-defined]
    page = context.new_page()
    log_in(page, server, "admin")

    # EMPTY-A: a patient with no visit, no lab, no course: nothing can be assessed.
    page.goto(f"{server}/patients/EMPTY-A")
    panel = page.locator("#decision-support")
    amber = page.locator("#jak-cannot-assess")
    expect(amber).to_be_visible()
    expect(amber).to_contain_text("cannot assess")
    expect(amber).to_contain_text("lymphocytes: missing")
    expect(amber).to_contain_text("weight: missing")
    expect(page.locator("#jak-not-blocked")).to_have_count(0)
    expect(panel).not_to_contain_text("No safety check blocks")
    page.screenshot(path=str(shots / "decision-01-no-blood-count-1366.png"), full_page=True)
    # The API carries the same summary as `start_status`, with the reasons.
    api = page.request.get(f"{server}/api/patients/EMPTY-A")
    assert api.ok
    panel_json = api.json()["decision_support"]
    assert panel_json["start_status"] == "cannot_assess"
    assert any("lymphocytes: missing" in r for r in panel_json["reasons"])

    # The seed-003 child before his screening results (14 Sep 2021): a blood count from the
    # day before is there, TB/hepatitis/VZV are not -> amber, naming them.
    page.goto(f"{server}/patients/MDA5-case?on=2021-09-14")
    amber = page.locator("#jak-cannot-assess")
    expect(amber).to_be_visible()
    expect(amber).to_contain_text("TB_IGRA or TB_skin_test: missing")
    expect(page.locator("form.asof input[name=on]")).to_have_value("2021-09-14")

    # On ruxolitinib (20 Oct 2021): the panel speaks of monitoring, not of a start.
    page.goto(f"{server}/patients/MDA5-case?on=2021-10-20")
    expect(panel).to_contain_text("Monitoring")
    expect(panel).to_contain_text("On ruxolitinib")
    expect(panel).to_contain_text("overdue")
    # Dose at 17.4 kg: Ding 2021 < 25 kg -> 2.5 mg twice daily; the child takes 5 mg.
    expect(panel).to_contain_text("current above")
    expect(panel).to_contain_text("0.5 mL of the 5 mg/mL oral solution")
    page.screenshot(path=str(shots / "decision-02-mda5-on-treatment-1366.png"), full_page=True)

    # Without a date: the patient's latest record date, said so.
    page.goto(f"{server}/patients/MDA5-case")
    expect(panel).to_contain_text("the patient's latest record")
    expect(page.locator("form.asof input[name=on]")).to_have_value("2023-01-17")
    context.close()
