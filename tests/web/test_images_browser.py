"""The demo child's clinical images in a real browser (Playwright driving Debian's
Chromium against a uvicorn server): a clinician of his site sees them on the patient page
(the images card, every picture loaded) and on its timeline (an "images" row, one mark per
image); a researcher sees neither, and a guessed image URL answers "not found".

Screenshots go to a temporary folder, or to $MYOTRACK_SCREENSHOTS when set."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from myotrack import registry
from myotrack.cohort import DEMO_FOLDER, read_folder
from myotrack.cohort.deidentify import pseudonym
from myotrack.media import add_demo_images
from myotrack.web.passwords import hash_password

PASSWORD = "correct horse battery"
CASE = "MDA5-case"
USERS = {"clin_c": ("clinician", "Demo Centre C"), "research": ("researcher", None)}

pytestmark = pytest.mark.browser  # skipped without Chromium (conftest.py)


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory,
    live_server: Callable[..., AbstractContextManager[tuple[str, str]]],
) -> Iterator[tuple[str, str, list[int]]]:
    """(base URL, the child's research pseudonym, his image ids): the demo cohort with its
    fictional images in the registry's own image folder, served by uvicorn."""
    url = f"sqlite:///{tmp_path_factory.mktemp('imagesdb') / 'web.db'}"
    engine = registry.connect(url)
    registry.upgrade(engine)
    cohort, issues = read_folder(DEMO_FOLDER)
    assert cohort is not None and not issues
    hashed = hash_password(PASSWORD)
    with registry.transaction(engine) as session:
        registry.import_cohort(session, cohort, actor="test", reason="image browser test")
        for username, (role, site) in USERS.items():
            registry.create_user(
                session, username, password_hash=hashed, role=role, site=site, actor="test"
            )
    assert add_demo_images(engine) == 9  # into the folder beside web.db, as `make demo`
    with registry.transaction(engine) as session:
        pid = pseudonym(registry.research_key(session), CASE)
        ids = [i.image_id or 0 for i in registry.list_images(session, CASE)]
    engine.dispose()

    with live_server("images-browser-test", db_url=url) as (base, _):
        yield base, pid, ids


def _page(browser: object, base: str, username: str, errors: list[str]) -> object:
    context = browser.new_context(viewport={"width": 1366, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" and "Policy" in m.text else None,
    )
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/patients")
    return page


_TIMELINE_IMAGES = """() => {
  const plot = document.getElementById('timeline-plot');
  const trace = (plot && plot.data || []).find(t => t.name === 'images');
  return trace ? trace.x.length : -1;
}"""


def test_clinician_sees_the_images_on_the_page_and_its_timeline(
    served: tuple[str, str, list[int]], chromium_browser: object, shots: Path
) -> None:
    from playwright.sync_api import expect

    base, _, ids = served
    errors: list[str] = []
    page = _page(chromium_browser, base, "clin_c", errors)
    page.goto(f"{base}/patients/{CASE}")  # type: ignore[attr-defined]
    card = page.locator("#images img")  # type: ignore[attr-defined]
    expect(card).to_have_count(len(ids))
    card.last.scroll_into_view_if_needed()
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => [...document.querySelectorAll('#images img')].every(i => i.naturalWidth > 0)"
    )
    page.wait_for_function(f"() => ({_TIMELINE_IMAGES})() === {len(ids)}")  # type: ignore[attr-defined]
    rows = page.evaluate(  # type: ignore[attr-defined]
        "() => Object.entries(document.getElementById('timeline-plot').layout)"
        ".find(([k, v]) => k.startsWith('yaxis') && v.type === 'category')[1].categoryarray"
    )
    assert rows[0] == "images"  # the lowest row of the course panel
    expect(page.locator("#timeline-plot .main-svg").first).to_be_visible()  # type: ignore[attr-defined]
    page.locator("#timeline").scroll_into_view_if_needed()  # type: ignore[attr-defined]
    page.screenshot(path=str(shots / "images-01-patient-page.png"), full_page=True)  # type: ignore[attr-defined]
    page.goto(f"{base}/patients/{CASE}/images")  # type: ignore[attr-defined]
    expect(page.locator("main img")).to_have_count(len(ids))  # type: ignore[attr-defined]
    expect(page.locator("main")).to_contain_text("Fictional drawing")  # type: ignore[attr-defined]
    page.screenshot(path=str(shots / "images-02-images-page.png"), full_page=True)  # type: ignore[attr-defined]
    assert not errors, errors


def test_researcher_sees_no_image_of_the_child(
    served: tuple[str, str, list[int]], chromium_browser: object, shots: Path
) -> None:
    from playwright.sync_api import expect

    base, pid, ids = served
    errors: list[str] = []
    page = _page(chromium_browser, base, "research", errors)
    page.goto(f"{base}/patients/{pid}")  # type: ignore[attr-defined]
    expect(page.locator("#timeline")).to_be_visible()  # type: ignore[attr-defined]
    expect(page.locator("#images")).to_have_count(0)  # type: ignore[attr-defined]
    assert page.locator("img[src*='/images/']").count() == 0  # type: ignore[attr-defined]
    page.wait_for_function(  # type: ignore[attr-defined]
        "() => (document.getElementById('timeline-plot')?.data || []).length > 0"
    )
    assert page.evaluate(_TIMELINE_IMAGES) == -1  # type: ignore[attr-defined]
    page.screenshot(path=str(shots / "images-03-researcher.png"), full_page=True)  # type: ignore[attr-defined]
    for who in (pid, CASE):
        for image_id in ids:
            answer = page.goto(f"{base}/patients/{who}/images/{image_id}")  # type: ignore[attr-defined]
            assert answer is not None and answer.status == 404, (who, image_id)
    listing = page.goto(f"{base}/patients/{pid}/images")  # type: ignore[attr-defined]
    assert listing is not None
    assert page.locator("img[src*='/images/']").count() == 0  # type: ignore[attr-defined]
    assert not errors, errors
