"""The worklist page and its JSON API: clinicians see their site, admins all sites,
researchers and anonymous users nothing; page and API show the same lines."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

ClientFor = Callable[[str | None], TestClient]
DAY = "2019-03-01"


def test_clinician_sees_only_their_site(client_for: ClientFor) -> None:
    data = client_for("clin_a").get(f"/api/worklist?date={DAY}").json()
    assert data["date"] == DAY and data["lines"]
    assert {line["site"] for line in data["lines"]} == {"Demo Centre A"}
    assert all(line["rule"] and line["source"] for line in data["lines"])


def test_admin_sees_all_sites_and_can_filter(client_for: ClientFor) -> None:
    admin = client_for("admin")
    everything = admin.get(f"/api/worklist?date={DAY}").json()
    assert {line["site"] for line in everything["lines"]} >= {"Demo Centre A", "Demo Centre B"}
    only_b = admin.get(f"/api/worklist?date={DAY}&site=Demo Centre B").json()
    assert only_b["lines"] and {line["site"] for line in only_b["lines"]} == {"Demo Centre B"}


def test_clinician_cannot_ask_for_another_site(client_for: ClientFor) -> None:
    response = client_for("clin_a").get(f"/api/worklist?date={DAY}&site=Demo Centre B")
    assert response.status_code == 422
    assert "no site" in response.text


def test_researcher_and_anonymous_are_refused(client_for: ClientFor) -> None:
    assert client_for("research").get("/api/worklist").status_code == 403
    assert client_for("research").get("/worklist").status_code == 403
    assert client_for(None).get("/api/worklist").status_code == 401
    assert client_for(None).get("/worklist").status_code == 303


def test_bad_date_is_explained(client_for: ClientFor) -> None:
    response = client_for("admin").get("/api/worklist?date=01-03-2019")
    assert response.status_code == 422 and "YYYY-MM-DD" in response.text


def test_page_shows_the_same_lines_as_the_api(client_for: ClientFor) -> None:
    client = client_for("clin_b")
    page = client.get(f"/worklist?date={DAY}")
    assert page.status_code == 200
    data = client.get(f"/api/worklist?date={DAY}").json()
    assert page.text.count("<tr class=") == len(data["lines"])
    first = data["lines"][0]
    assert first["patient_id"] in page.text and first["rule"] in page.text
    assert "Settings behind this list" in page.text
