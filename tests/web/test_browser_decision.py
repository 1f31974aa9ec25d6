"""The decision-support panel in a real browser (Playwright driving Debian's Chromium, the
launch pattern of test_browser.py): a patient without a blood count shows the amber
"cannot assess" state, naming what is missing — never the green "nothing blocks"; the
seed-003 child (MDA5-case) on treatment speaks of monitoring.

Screenshots go to a temporary folder, or to $MYOTRACK_SCREENSHOTS when set."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "correct horse battery"  # the test users' password (conftest.py)
DESKTOP = {"width": 1366, "height": 900}

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Debian chromium (/usr/bin/chromium) is not installed"
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(template_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from myotrack.web import create_app

    copy = tmp_path_factory.mktemp("decisiondb") / "web.db"
    shutil.copy(template_db, copy)
    app = create_app(f"sqlite:///{copy}", secret_key="browser-decision-test")
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    srv = uvicorn.Server(config)
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


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    keep = os.environ.get("MYOTRACK_SCREENSHOTS")
    folder = Path(keep) if keep else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def chromium_browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


def _login(page: object, base: str, username: str) -> None:
    page.goto(f"{base}/login")  # type: ignore[attr-defined]
    page.fill("input[name=username]", username)  # type: ignore[attr-defined]
    page.fill("input[name=password]", PASSWORD)  # type: ignore[attr-defined]
    page.click("button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_url(f"{base}/patients")  # type: ignore[attr-defined]


def test_no_blood_count_is_amber_never_green(
    server: str, chromium_browser: object, shots: Path
) -> None:
    from playwright.sync_api import expect

    context = chromium_browser.new_context(viewport=DESKTOP)  # type: ignore[attr-defined]
    page = context.new_page()
    _login(page, server, "admin")

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
