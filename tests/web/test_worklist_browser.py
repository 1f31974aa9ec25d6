"""The worklist page in a real browser (Debian Chromium via Playwright) at 1366 px: a
clinician sees their site's items, most urgent first, with rule and source; screenshot kept
in $MYOTRACK_SCREENSHOTS when set."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import ViewportSize

PASSWORD = "correct horse battery"  # the test users' password (conftest.py)
DESKTOP: ViewportSize = {"width": 1366, "height": 900}

pytestmark = pytest.mark.browser  # skipped without Chromium (conftest.py)


@pytest.fixture(scope="module")
def server(live_server: Callable[..., AbstractContextManager[tuple[str, str]]]) -> Iterator[str]:
    with live_server("browser-test", "worklistdb") as (base, _):
        yield base


def test_worklist_page_in_chromium(server: str, chromium_browser: Any, shots: Path) -> None:
    from playwright.sync_api import expect

    context = chromium_browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{server}/login")
    page.fill("input[name=username]", "clin_b")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/patients")
    page.click("nav.mainnav a[href='/worklist']")  # the clinician finds it in the menu
    page.wait_for_url(f"{server}/worklist")
    page.goto(f"{server}/worklist?date=2019-03-01")
    table = page.locator("#worklist-table")
    expect(table).to_be_visible()
    rows = table.locator("tbody tr")
    assert rows.count() > 0
    # most urgent first: the first row is overdue or blocks
    assert rows.first.get_attribute("class") in ("overdue", "blocks")
    expect(rows.first).to_contain_text("overdue")
    # every row names its rule and source
    assert table.locator("td .rule").count() == rows.count()
    assert table.locator("td .source").count() == rows.count()
    # the date filter moves the list
    page.fill("input[name=date]", "2018-01-15")
    page.click("form.filters button[type=submit]")
    expect(page).to_have_url(re.compile(r"/worklist\?date=2018-01-15"))
    expect(page.locator("p.muted")).to_contain_text("2018-01-15")
    page.goto(f"{server}/worklist?date=2019-03-01")
    page.screenshot(path=str(shots / "worklist-1366.png"), full_page=False)
    context.close()
    assert errors == []
