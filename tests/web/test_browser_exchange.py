"""The cohort page's exchange in Chromium at 1366 px (issue 12): an admin downloads a FHIR
NDJSON export at the safe-harbor tier with the form, imports a broken FHIR Bundle and
sees every problem located; a researcher is offered the de-identified tiers only.
Screenshots go to $MYOTRACK_SCREENSHOTS when set (else a temporary folder)."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from myotrack.cohort import DEMO_FOLDER, read_folder
from myotrack.exchange import format_named

PASSWORD = "correct horse battery"  # the test users' password (conftest.py)
DESKTOP = {"width": 1366, "height": 900}

pytestmark = pytest.mark.browser  # skipped without Chromium (conftest.py)


@pytest.fixture(scope="module")
def server(live_server: Callable[..., AbstractContextManager[tuple[str, str]]]) -> Iterator[str]:
    with live_server("browser-exchange", "exchangedb") as (base, _):
        yield base


def _page(browser: object, base: str, username: str) -> object:
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/patients")
    page.goto(f"{base}/cohort")
    return page


def _broken_bundle() -> bytes:
    demo, _ = read_folder(DEMO_FOLDER)
    assert demo is not None
    export = format_named("fhir").export
    assert export is not None
    text = "".join(t for _, t in export(demo, "bundle"))
    bundle = json.loads(text)
    for entry in bundle["entry"]:
        if entry["resource"]["resourceType"] == "Encounter":
            entry["resource"]["period"]["start"] = "2019-02-30"
            break
    return json.dumps(bundle).encode()


def test_admin_exports_and_imports_on_the_cohort_page(
    server: str, chromium_browser: object, shots: Path, tmp_path: Path
) -> None:
    page: object = _page(chromium_browser, server, "admin")
    page.screenshot(path=str(shots / "cohort-admin-1366.png"), full_page=True)  # type: ignore[attr-defined]
    page.select_option("#export-format", "fhir")  # type: ignore[attr-defined]
    page.select_option("#export-layout", "ndjson")  # type: ignore[attr-defined]
    page.check('input[name="tier"][value="safe-harbor"]')  # type: ignore[attr-defined]
    with page.expect_download() as info:  # type: ignore[attr-defined]
        page.click("#export-button")  # type: ignore[attr-defined]
    download = info.value
    assert "myotrack-fhir-safe-harbor-" in download.suggested_filename
    saved = tmp_path / "export.zip"
    download.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        names = [Path(n).name for n in archive.namelist()]
    assert "Patient.ndjson" in names and "manifest.json" in names

    upload = tmp_path / "broken.fhir.json"
    upload.write_bytes(_broken_bundle())
    page.set_input_files('input[name="file"]', str(upload))  # type: ignore[attr-defined]
    page.click("#upload button[type=submit]")  # type: ignore[attr-defined]
    page.wait_for_selector("#upload-errors")  # type: ignore[attr-defined]
    text = page.inner_text("#upload")  # type: ignore[attr-defined]
    assert "Nothing was stored" in text and "2019-02-30" in text
    page.screenshot(path=str(shots / "cohort-import-errors-1366.png"), full_page=True)  # type: ignore[attr-defined]


def test_researcher_is_offered_the_deidentified_tiers_only(
    server: str, chromium_browser: object, shots: Path
) -> None:
    page: object = _page(chromium_browser, server, "research")
    tiers = page.eval_on_selector_all(  # type: ignore[attr-defined]
        'input[name="tier"]', "els => els.map(e => e.value)"
    )
    assert tiers == ["pseudonymised", "safe-harbor"]
    assert page.is_visible("#suppression-note")  # type: ignore[attr-defined]
    assert not page.query_selector("#upload")  # type: ignore[attr-defined]
    page.screenshot(path=str(shots / "cohort-researcher-1366.png"), full_page=True)  # type: ignore[attr-defined]
