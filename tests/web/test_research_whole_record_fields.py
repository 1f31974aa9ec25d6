"""A researcher never sees the demo MDA5-positive child's free text, site, real dates or
registry id in any response about her version 2 (whole) record: the patient page and its
record sections, every page of hers linked from it, the JSON patient and records API, the
images, the timeline, the reports, and every export (FHIR, REDCap, OMOP, folder) at the
researcher's tiers.

What must not appear is read from the demo CSVs themselves (every `free_text`, `detail`,
`specimen`, `laboratory`, `x_` value of the child's rows, her dates and her site), so a
new demo text is covered without editing this test.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from html import unescape

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from myotrack import registry
from myotrack.cohort import DEMO_FOLDER
from myotrack.cohort.deidentify import organism_code, shift_days
from myotrack.web.deps import walk_routes

CHILD = "MDA5-case"
FREE_COLUMNS = ("free_text", "detail", "specimen", "laboratory", "findings_text")
DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


def _demo_rows() -> Iterator[tuple[str, dict[str, str]]]:
    for path in sorted(DEMO_FOLDER.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                yield path.name, row


def _free_texts(patient: str | None) -> set[str]:
    """Every free-text value of the demo (of one patient, or of all)."""
    texts = set()
    for _, row in _demo_rows():
        if patient is not None and row.get("patient_id") != patient:
            continue
        for column, value in row.items():
            free = column in FREE_COLUMNS or column.startswith("x_")
            if free and value and organism_code(value) is None:  # organism codes stay
                texts.add(value.strip())
    # The BAL kind's own name (its table's caption); the event's specimen is checked in
    # the API below.
    return texts - {"bronchoalveolar lavage"}


def _child_dates(shift: int) -> set[str]:
    """The child's real dates, less those that the shift happens to turn into another of
    her real dates' text (a month the shifted calendar also shows is not a leak)."""
    dates = set()
    for _, row in _demo_rows():
        if row.get("patient_id") == CHILD:
            dates |= {v for v in row.values() if v and DATE.match(v)}
    shifted = {
        (date.fromisoformat(d) + timedelta(days=shift)).isoformat() for d in dates if len(d) == 10
    }
    return {d for d in dates if not any(s.startswith(d) for s in shifted)}


def _all_ids_and_sites() -> set[str]:
    found = set()
    for name, row in _demo_rows():
        found.add(row["patient_id"])
        if name == "patients.csv" and row["site"]:
            found.add(row["site"])
    return found


def _texts(response: httpx.Response) -> list[tuple[str, str]]:
    """(name, text) of a response: its body, or each file of a zip."""
    if response.content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            return [(n, archive.read(n).decode("utf-8", "replace")) for n in archive.namelist()]
    return [("", unescape(response.text))]


def _leaks(text: str, forbidden: set[str]) -> list[str]:
    lowered = text.casefold()
    return sorted(f for f in forbidden if f.casefold() in lowered)


@pytest.fixture
def researcher(client_for: Callable[[str | None], TestClient]) -> TestClient:
    return client_for("research")


def _child_urls(app: FastAPI, rid: str) -> list[str]:
    """Every GET route about one patient, filled in with the child's research id."""
    urls = []
    for info in walk_routes(app.routes):
        if not isinstance(info.route, APIRoute) or "GET" not in info.methods:
            continue
        if "{patient_id}" not in info.path or "{image_id}" in info.path:
            continue
        path = info.path.replace("{patient_id}", rid)
        if "{fmt}" in path:  # every format whose text can be searched
            urls += [path.replace("{fmt}", f) for f in ("html", "json", "svg")]
        elif "{kind}" not in path:
            urls.append(path)
    return urls


def test_the_childs_pages_and_api_show_no_free_text_site_date_or_registry_id(
    app: FastAPI, researcher: TestClient, research_id: Callable[[str], str]
) -> None:
    rid = research_id(CHILD)
    with registry.transaction(app.state.engine) as session:
        shift = shift_days(registry.research_key(session), CHILD)
    forbidden = _free_texts(CHILD) | _child_dates(shift) | _all_ids_and_sites()
    assert "Demo Centre C" in forbidden and "2021-10-05" in forbidden
    assert "sustained stable remission 'as of today'" in forbidden
    seen: set[str] = set()
    queue = _child_urls(app, rid)
    queue += [f"/api/patients/{rid}/records", "/report.html", "/report.json", "/api/report"]
    queue += ["/api/patients", "/patients", "/worklist", "/api/worklist", "/cohort/export.zip"]
    queue += ["/api/cohort/export?format=fhir", "/cohort/exchange/export?format=redcap"]
    walked = 0
    while queue and walked < 400:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = researcher.get(url)
        assert response.status_code < 500, f"{url}: {response.status_code}"
        if response.status_code != 200:
            continue
        walked += 1
        for name, text in _texts(response):
            leaks = _leaks(text, forbidden)
            assert not leaks, f"{url} {name} shows {leaks}"
            # follow the child's own links: record pages, images, sections
            for href in re.findall(r'href="(/[^"#]*)"', response.text):
                href = unescape(href)
                if href.startswith(f"/patients/{rid}") and "/edit" not in href:
                    queue.append(href)
    events = researcher.get(f"/api/patients/{rid}").json()["events"]
    assert events and all(e.get("specimen") is None for e in events)
    assert walked >= 8
    # record pages are for writers; the researcher reads the records through the API
    assert researcher.get(f"/patients/{rid}/records/oxygen").status_code == 403
    records = researcher.get(f"/api/patients/{rid}/records")
    assert records.status_code == 200 and "ground_glass_opacity" in records.text


@pytest.mark.parametrize("fmt", ["folder", "fhir", "redcap", "omop"])
def test_the_researchers_exports_carry_no_free_text_site_or_registry_id(
    researcher: TestClient, fmt: str
) -> None:
    forbidden = _free_texts(None) | _all_ids_and_sites()
    for tier in ("pseudonymised", "safe-harbor"):
        response = researcher.get("/api/cohort/export", params={"format": fmt, "tier": tier})
        if response.status_code == 403:  # a tier the role may not export
            continue
        assert response.status_code == 200, response.text
        files = _texts(response)
        assert files
        for name, text in files:
            leaks = _leaks(text, forbidden)
            assert not leaks, f"{fmt} {tier} {name} shows {leaks}"
