"""Exchange in the web app and the API (issue 12): every role × tier × format of the
export, what each allowed export holds (sites, ids, free text), the REDCap dictionary,
imports in every import format (all or nothing, problems located on the page), and the
cohort page offering each role only its tiers.

The expected access is written out here independently of `myotrack.web.policy`:
admins export every tier; clinicians every tier of their own site (a user who sees the
identified data loses nothing by a coarser one); researchers pseudonymised or
safe-harbor only, never identified.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from myotrack.cohort import DEMO_FOLDER, read_folder
from myotrack.domain import Cohort
from myotrack.exchange import format_named

Clients = Callable[[str | None], TestClient]

TIERS = ("identified", "pseudonymised", "safe-harbor")
ALLOWED = {
    "admin": {"identified", "pseudonymised", "safe-harbor"},
    "clin_a": {"identified", "pseudonymised", "safe-harbor"},
    "clin_b": {"identified", "pseudonymised", "safe-harbor"},
    "research": {"pseudonymised", "safe-harbor"},
    "research_b": {"pseudonymised", "safe-harbor"},
}
DEFAULT_TIER = {
    "admin": "identified",
    "clin_a": "identified",
    "clin_b": "identified",
    "research": "pseudonymised",
    "research_b": "pseudonymised",
}
SITES: dict[str, set[str] | None] = {  # the sites whose patients an export holds (None: all)
    "admin": None,
    "clin_a": {"Demo Centre A"},
    "clin_b": {"Demo Centre B"},
    "research": None,
    "research_b": {"Demo Centre B"},
}
FORMATS = (
    ("folder", None),
    ("fhir", "bundle"),
    ("fhir", "ndjson"),
    ("fhir", "transaction"),
    ("redcap", None),
    ("omop", None),
)


@pytest.fixture(scope="module")
def demo() -> Cohort:
    cohort, issues = read_folder(DEMO_FOLDER)
    assert cohort is not None, issues
    return cohort


def _unzip(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {i.filename: archive.read(i).decode("utf-8") for i in archive.infolist()}


def _ids_in(text: str, ids: set[str]) -> set[str]:
    """Which of `ids` are in `text` as whole ids (DEMO-1 is not in DEMO-10); one pass."""
    names = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
    return set(re.findall(rf"(?<![\w-])({names})(?![\w-])", text))


def _export(
    client: TestClient, fmt: str, layout: str | None, tier: str | None, page: bool
) -> httpx.Response:
    params = {"format": fmt}
    if layout:
        params["layout"] = layout
    if tier:
        params["tier"] = tier
    url = "/cohort/exchange/export" if page else "/api/cohort/export"
    response: httpx.Response = client.get(url, params=params)
    return response


@pytest.mark.parametrize("user", sorted(ALLOWED))
def test_every_role_tier_and_format(client_for: Clients, demo: Cohort, user: str) -> None:
    """Each role × tier × format: refused (403) exactly when the role may not export the
    tier; else a zip holding exactly the user's sites' patients, the registry ids only in
    the identified tier, no site name and no free-text detail in the others."""
    client = client_for(user)
    sites = SITES[user]
    mine = {p.patient_id for p in demo.patients if sites is None or p.site in sites}
    others = {p.patient_id for p in demo.patients} - mine
    details = {e.detail for e in demo.events if e.detail and len(e.detail) > 12}
    assert details  # the demo has free-text details to look for
    for fmt, layout in FORMATS:
        for tier in TIERS:
            response = _export(client, fmt, layout, tier, page=fmt == "omop")
            what = f"{user} {fmt}/{layout} {tier}"
            if tier not in ALLOWED[user]:
                assert response.status_code == 403, what
                assert "may not export" in response.text, what
                continue
            assert response.status_code == 200, (what, response.text[:300])
            assert response.headers["content-type"] == "application/zip"
            text = "\n".join(_unzip(response.content).values())
            found = _ids_in(text, mine | others)
            assert not found & others, what  # another site's patient
            assert found == (mine if tier == "identified" else set()), what
            if tier != "identified":
                assert "Demo Centre" not in text, what
                assert not any(d in text for d in details), what


@pytest.mark.parametrize("user", sorted(ALLOWED))
def test_default_tier_is_the_users_own(client_for: Clients, user: str) -> None:
    response = _export(client_for(user), "folder", None, None, page=False)
    assert response.status_code == 200
    name = response.headers["content-disposition"]
    assert f"-{DEFAULT_TIER[user]}-" in name


def test_a_layout_the_format_does_not_write_is_refused(client_for: Clients) -> None:
    response = _export(client_for("admin"), "omop", "ndjson", None, page=False)
    assert response.status_code == 422
    assert "writes csv" in response.json()["detail"]


def test_anonymous_cannot_export(client_for: Clients) -> None:
    assert _export(client_for(None), "fhir", None, "safe-harbor", page=False).status_code == 401


def test_redcap_dictionary_for_every_user(client_for: Clients) -> None:
    from myotrack.exchange.redcap import dictionary_csv

    for user in ("admin", "clin_a", "research"):
        for url in ("/api/cohort/redcap-dictionary", "/cohort/exchange/redcap-dictionary.csv"):
            response = client_for(user).get(url)
            assert response.status_code == 200
            assert response.text == dictionary_csv()


def test_cohort_page_offers_each_role_only_its_tiers(client_for: Clients) -> None:
    for user, allowed in ALLOWED.items():
        page = client_for(user).get("/cohort").text
        offered = {t for t in TIERS if f'name="tier" value="{t}"' in page}
        assert offered == allowed, user
        assert ("suppression-note" in page) == user.startswith("research"), user
        assert ('action="/cohort/upload"' in page) == (user == "admin"), user


# ---------------------------------------------------------------- imports


def _small(demo: Cohort, prefix: str) -> Cohort:
    """Two demo patients under new ids (so that an import adds them)."""
    keep = {p.patient_id for p in demo.patients[:2]}

    def pick(rows: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(
            replace(r, patient_id=prefix + r.patient_id) for r in rows if r.patient_id in keep
        )

    return Cohort(
        patients=pick(demo.patients),
        visits=pick(demo.visits),
        labs=pick(demo.labs),
        courses=pick(demo.courses),
        events=pick(demo.events),
        cutoff_date=demo.cutoff_date,
    )


def _files(cohort: Cohort, fmt: str, layout: str) -> dict[str, str]:
    export = format_named(fmt).export
    assert export is not None
    files: dict[str, str] = {}
    for name, text in export(cohort, layout):
        files[name] = files.get(name, "") + text
    return files


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _post(
    client: TestClient, name: str, data: bytes, fmt: str = "", api: bool = True
) -> httpx.Response:
    response: httpx.Response = client.post(
        "/api/cohort/import" if api else "/cohort/upload",
        files={"file": (name, data, "application/octet-stream")},
        data={"format": fmt, "csrf_token": client.headers["X-CSRF-Token"]},
    )
    return response


@pytest.mark.parametrize(
    ("fmt", "layout", "upload", "named"),
    [
        ("fhir", "bundle", "single", ""),
        ("fhir", "ndjson", "zip", ""),
        ("fhir", "transaction", "single", "fhir"),
        ("redcap", "csv", "records", ""),
        ("redcap", "csv", "zip", "redcap"),
    ],
)
def test_import_every_format(
    client_for: Clients, demo: Cohort, fmt: str, layout: str, upload: str, named: str
) -> None:
    admin = client_for("admin")
    cohort = _small(demo, f"W{fmt[0].upper()}{layout[0].upper()}{upload[0].upper()}-")
    files = _files(cohort, fmt, layout)
    if upload == "single":
        ((name, text),) = files.items()
        response = _post(admin, name, text.encode(), named)
    elif upload == "records":
        response = _post(admin, "MyJDM_DATA_2026-01-01.csv", files["redcap_records.csv"].encode())
    else:
        response = _post(admin, "export.zip", _zip(files), named)
    assert response.status_code == 200, response.text[:500]
    body = response.json()
    assert body["stored"], body["issues"][:3]
    for p in cohort.patients:
        detail = admin.get(f"/api/patients/{p.patient_id}").json()
        assert len(detail["visits"]) == sum(
            1 for v in cohort.visits if v.patient_id == p.patient_id
        )


def test_import_problems_are_located_on_the_page_and_nothing_is_stored(
    client_for: Clients, demo: Cohort
) -> None:
    admin = client_for("admin")
    before = len(admin.get("/api/patients").json())
    cohort = _small(demo, "BAD-")
    bundle = json.loads(_files(cohort, "fhir", "bundle")["cohort.fhir.json"])
    entry = next(
        i for i, e in enumerate(bundle["entry"]) if e["resource"]["resourceType"] == "Encounter"
    )
    bundle["entry"][entry]["resource"]["period"]["start"] = "2019-02-30"
    response = _post(admin, "broken.json", json.dumps(bundle).encode(), api=False)
    assert response.status_code == 422
    assert "Nothing was stored" in response.text
    assert "cohort.fhir.json" in response.text or "broken.json" in response.text
    assert f'<td class="num">{entry + 1}</td>' in response.text  # the Bundle entry, from 1
    assert len(admin.get("/api/patients").json()) == before


def test_unknown_upload_kind_is_refused_in_words(client_for: Clients) -> None:
    admin = client_for("admin")
    body = _post(admin, "notes.txt", b"hello").json()
    assert not body["stored"] and "Upload a zip" in body["issues"][0]["message"]
    body = _post(admin, "x.zip", _zip({"notes.txt": "x"})).json()
    assert not body["stored"] and body["issues"][0]["rule"] == "missing_file"
    bad_format = _post(admin, "x.json", b"{}", fmt="omop")
    assert bad_format.status_code == 422


@pytest.mark.parametrize("user", ["clin_a", "research"])
def test_only_admins_import(client_for: Clients, demo: Cohort, user: str) -> None:
    files = _files(_small(demo, "NO-"), "fhir", "bundle")
    response = _post(client_for(user), "c.json", files["cohort.fhir.json"].encode())
    assert response.status_code == 403
