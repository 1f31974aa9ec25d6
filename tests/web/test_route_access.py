"""Every route of the app, walked from the router (new routes are covered automatically), as
anonymous, each role and the wrong site: the status code must be what the access rules say.

The expected outcome is written out here independently of myotrack.web.policy:
- anonymous: pages redirect to /login (303), the API answers 401;
- a role without the access: 403;
- a patient the user may not see (other site, or no such patient): 404, exactly as for a
  patient that does not exist;
- otherwise the request reaches the route: anything but 401/403/404 and never a 5xx.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from PIL import Image

from myotrack.web.deps import route_access, walk_routes
from myotrack.web.policy import Access

# What each role may do (the table, written independently of the policy module).
GRANTS = {
    "admin": {
        "public",
        "user",
        "patients:read",
        "patients:write",
        "cohort:export",
        "cohort:exchange",
        "cohort:import",
        "admin",
        "worklist",
    },
    "clinician": {
        "public",
        "user",
        "patients:read",
        "patients:write",
        "cohort:export",
        "cohort:exchange",
        "worklist",
    },
    # exports at a de-identified tier only (the tier itself: tests/web/test_exchange_web.py)
    "researcher": {"public", "user", "patients:read", "cohort:exchange"},
}
# user -> (role, sites they may see; None = all)
WHO = {
    "admin": ("admin", None),
    "clin_a": ("clinician", {"Demo Centre A"}),
    "clin_b": ("clinician", {"Demo Centre B"}),
    "research": ("researcher", None),
    "research_b": ("researcher", {"Demo Centre B"}),
}
NON_API_PUBLIC = {"/static", "/vendor/plotly"}  # static files (mounts)
PATH_VALUES = {
    "fmt": "json",
    "name": "cmas",
    "username": "research_b",
    "image_id": "1",
    "kind": "chest_ct",  # the whole record's forms and API, one route for every kind
}


@pytest.fixture(autouse=True)
def _clinical_image(app: FastAPI, demo_patients: object, tmp_path: Path) -> None:
    """Image 1 of the site-A patient, with research consent, so that the image routes
    (`/patients/{patient_id}/images/{image_id}`) are reached like any other (issue 14)."""
    from myotrack.domain.images import Consent
    from myotrack.media import ImageStore, ImageUpload, attach_image

    app.state.image_store = store = ImageStore(tmp_path / "route-access-images")
    picture = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 80, 90)).save(picture, "PNG")
    upload = ImageUpload(
        patient_id=demo_patients.site_a,  # type: ignore[attr-defined]
        date=date(2019, 1, 1),
        body_site="face",
        kind="photograph",
        consent=Consent(clinical_record=True, research=True, publication=True),
    )
    image = attach_image(app.state.engine, store, upload, picture.getvalue(), actor="t", reason="t")
    assert image.image_id == 1


def _targets(path: str, site_a_patient: str) -> list[tuple[str, str | None]]:
    """(url, site of the patient in it) for each patient the route is tried with."""
    if "{patient_id}" not in path:
        url = path
        for key, value in PATH_VALUES.items():
            url = url.replace("{" + key + "}", value)
        return [(url, "none")]
    out = []
    for pid, site in ((site_a_patient, "Demo Centre A"), ("NO-SUCH-PATIENT", None)):
        url = path.replace("{patient_id}", pid)
        for key, value in PATH_VALUES.items():
            url = url.replace("{" + key + "}", value)
        out.append((url, site))
    return out


def _expected(user: str | None, access: str, is_api: bool, patient_site: str | None) -> str:
    if access == "public":
        return "public"
    if user is None:
        return "401" if is_api else "login"
    role, sites = WHO[user]
    if access not in GRANTS[role]:
        return "403"
    named = patient_site != "none"  # the route names a patient
    if named and (patient_site is None or (sites is not None and patient_site not in sites)):
        return "404"
    return "reach"


def _check(outcome: str, response_status: int, location: str | None, what: str) -> None:
    assert response_status < 500, f"{what}: server error {response_status}"
    if outcome == "public":  # a wrong password on a login route is a 401, not a refusal
        assert response_status not in (403, 404), f"{what}: got {response_status}"
    elif outcome == "reach":
        assert response_status not in (401, 403, 404), f"{what}: got {response_status}"
    elif outcome == "login":
        assert response_status == 303 and location is not None and location.startswith("/login"), (
            f"{what}: got {response_status} {location}"
        )
    else:
        assert response_status == int(outcome), f"{what}: expected {outcome}, got {response_status}"


def test_every_route_declares_one_access_level(app: FastAPI) -> None:
    routes = walk_routes(app.routes)
    api_routes = [r for r in routes if isinstance(r.route, APIRoute)]
    assert len(api_routes) >= 30  # the walk sees through included routers
    for info in routes:
        if isinstance(info.route, APIRoute):
            assert len(route_access(info.route)) == 1, info.path
        else:
            assert info.path in NON_API_PUBLIC, f"unprotected non-API route {info.path}"


@pytest.mark.parametrize("user", [None, *WHO])
def test_walk_every_route(
    app: FastAPI,
    client_for: Callable[[str | None], TestClient],
    demo_patients: object,
    do_login: Callable[[TestClient, str], TestClient],
    research_id: Callable[[str], str],
    user: str | None,
) -> None:
    site_a = demo_patients.site_a  # type: ignore[attr-defined]
    if user in ("research", "research_b"):  # researchers' URLs carry research pseudonyms
        site_a = research_id(site_a)
    client = client_for(user)
    if user is None:  # anonymous, but with a CSRF token, so that auth is what is tested
        page = client.get("/login").text
        token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        client.headers["X-CSRF-Token"] = token
    checked = 0
    for info in walk_routes(app.routes):
        if not isinstance(info.route, APIRoute):
            continue
        (access,) = route_access(info.route)
        is_api = info.path.startswith("/api/") or info.path in ("/health", "/openapi.json")
        for method in sorted(info.methods - {"HEAD"}):
            for url, patient_site in _targets(info.path, site_a):
                outcome = _expected(user, access.value, is_api, patient_site)
                response = client.request(method, url)
                _check(
                    outcome,
                    response.status_code,
                    response.headers.get("location"),
                    f"{user or 'anonymous'} {method} {url} ({access.value})",
                )
                checked += 1
                if info.path == "/logout" and user is not None:
                    do_login(client, user)
    assert checked >= 40


def test_post_routes_need_the_csrf_token(
    client_for: Callable[[str | None], TestClient], app: FastAPI, demo_patients: object
) -> None:
    client = client_for("admin")
    del client.headers["X-CSRF-Token"]
    site_a = demo_patients.site_a  # type: ignore[attr-defined]
    exempt = {"/api/session"}  # JSON login: no session yet (see routes/auth.py)
    for info in walk_routes(app.routes):
        if not isinstance(info.route, APIRoute) or "POST" not in info.methods:
            continue
        if info.path in exempt:
            continue
        url = info.path.replace("{patient_id}", site_a).replace("{name}", "cmas")
        response = client.post(url, data={"x": "1"})
        assert response.status_code == 403, f"POST {url} without CSRF: {response.status_code}"
    wrong = client.post("/api/patients", headers={"X-CSRF-Token": "forged"}, json={})
    assert wrong.status_code == 403


def test_wrong_site_looks_like_no_such_patient(
    client_for: Callable[[str | None], TestClient],
    demo_patients: object,
) -> None:
    site_a = demo_patients.site_a  # type: ignore[attr-defined]
    client = client_for("clin_b")
    other = client.get(f"/api/patients/{site_a}")
    missing = client.get("/api/patients/NO-SUCH-PATIENT")
    assert other.status_code == missing.status_code == 404
    assert other.json()["detail"].replace(site_a, "X") == missing.json()["detail"].replace(
        "NO-SUCH-PATIENT", "X"
    )
    listed = {p["patient_id"] for p in client.get("/api/patients").json()}
    assert site_a not in listed
    assert all(p["site"] == "Demo Centre B" for p in client.get("/api/patients").json())
    page = client.get("/patients").text
    assert site_a not in page


def test_access_levels_are_all_used(app: FastAPI) -> None:
    used = {
        route_access(i.route)[0] for i in walk_routes(app.routes) if isinstance(i.route, APIRoute)
    }
    assert used == set(Access)


def test_odd_query_values_never_break_a_page(
    app: FastAPI,
    client_for: Callable[[str | None], TestClient],
    demo_patients: object,
) -> None:
    """Every GET route, every query parameter it declares, odd values: never a 5xx."""
    client = client_for("admin")
    site_a = demo_patients.site_a  # type: ignore[attr-defined]
    odd = ["", "x'\"<script>", "-1", "99999999999999999999", "2024-02-30", "0", "%00"]
    for info in walk_routes(app.routes):
        if not isinstance(info.route, APIRoute) or "GET" not in info.methods:
            continue
        names = [p.name for p in info.route.dependant.query_params]
        url = info.path.replace("{patient_id}", site_a)
        for key, value in PATH_VALUES.items():
            url = url.replace("{" + key + "}", value)
        for name in names:
            for value in odd:
                response = client.get(url, params={name: value})
                assert response.status_code < 500, f"GET {url}?{name}={value!r}"


FORM_FIELDS = [
    "date",
    "weight_kg",
    "height_cm",
    "rash",
    "analyte",
    "value",
    "unit",
    "result",
    "ref_low",
    "ref_high",
    "drug",
    "start_date",
    "on",
    "new_dose",
    "stop_reason",
    "event",
    "detail",
    "grade",
    "patient_id",
    "sex",
    "birth_date",
    "diagnosis",
    "antibodies",
    "expected_version",
    "item__cmas__head_elevation",
    "item__globals__phga",
    "item__nope__x",
    "total__cmas",
    "total__weight_kg",
    "username",
    "role",
    "site",
    "password",
    "active",
    "reason",
    "next",
    # corrections (edit forms name the record they change; retract/restore name kind + key)
    "original_date",
    "original_analyte",
    "original_drug",
    "original_start_date",
    "original_event",
    "original_detail",
    "end_date",
    "kind",
    "key",
    # the whole record (one generic form for every kind; these are chest CT's fields)
    "findings",
    "pattern",
    "extent_percent",
    "change",
    "free_text",
    "original_key",
]


@pytest.mark.parametrize("value", ["", "x'\"<b>", "-1", "1e309", "2024-02-30", "NA", "9" * 30])
def test_odd_form_values_never_break_a_page(
    app: FastAPI,
    client_for: Callable[[str | None], TestClient],
    demo_patients: object,
    value: str,
) -> None:
    """Every form POST route of the pages, every field the forms use, odd values: the
    answer is a page (or redirect), never a 5xx."""
    client = client_for("admin")
    site_a = demo_patients.site_a  # type: ignore[attr-defined]
    for info in walk_routes(app.routes):
        if (
            not isinstance(info.route, APIRoute)
            or "POST" not in info.methods
            or info.path.startswith("/api/")
            or info.path in ("/logout", "/login")
        ):
            continue
        url = info.path.replace("{patient_id}", site_a)
        for key, val in PATH_VALUES.items():
            url = url.replace("{" + key + "}", val)
        data = {name: value for name in FORM_FIELDS}
        data["csrf_token"] = client.headers["X-CSRF-Token"]
        response = client.post(url, data=data)
        assert response.status_code < 500, f"POST {url} with {value!r}: {response.status_code}"
