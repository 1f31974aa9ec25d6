"""The worklist page in a real browser (Debian Chromium via Playwright) at 1366 px: a
clinician sees their site's items, most urgent first, with rule and source; screenshot kept
in $MYOTRACK_SCREENSHOTS when set."""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest

if TYPE_CHECKING:
    from playwright.sync_api import ViewportSize

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
PASSWORD = "correct horse battery"  # the test users' password (conftest.py)
DESKTOP: ViewportSize = {"width": 1366, "height": 900}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian chromium (/usr/bin/chromium) is not installed"
    ),
]


@pytest.fixture(scope="module")
def server(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from myotrack.web import create_app

    copy = tmp_path_factory.mktemp("worklistdb") / "web.db"
    shutil.copy(template_db, copy)
    app = create_app(f"sqlite:///{copy}", secret_key="browser-test")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield base
    srv.should_exit = True
    thread.join(timeout=10)
    app.state.engine.dispose()


def test_worklist_page_in_chromium(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    keep = os.environ.get("MYOTRACK_SCREENSHOTS")
    shots = Path(keep) if keep else tmp_path
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        page = browser.new_context(viewport=DESKTOP).new_page()
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
        browser.close()
    assert errors == []
