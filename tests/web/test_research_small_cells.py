"""The report researchers open or download (page and API) hides small counts at the
server's threshold; a clinician's and an admin's never does silently (issue 12)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from myotrack.web import WebSettings, create_app

Clients = Callable[[str | None], TestClient]


def test_researchers_get_suppressed_reports_clinicians_do_not(client_for: Clients) -> None:
    for user, applied in (("research", True), ("research_b", True), ("clin_a", False)):
        client = client_for(user)
        document = client.get("/api/report").json()
        assert document["small_cell_suppression"]["applied"] is applied, user
        html = client.get("/report.html").text
        assert ('id="small-cell-suppression"' in html) is applied, user
        if applied:
            assert document["small_cell_suppression"]["min_cell_count"] == 5
            cells = [c for t in document["tables"] for r in t["rows"] for c in r["cells"]]
            small = [c for c in cells if re.search(r"(?<![\d.<])[1-4]/\d", c)]
            assert small == [], (user, small[:5])
            assert "<img" not in html


def test_the_threshold_is_a_server_setting(
    db_url: str, do_login: Callable[..., TestClient]
) -> None:
    app = create_app(db_url, secret_key="t", settings=WebSettings(min_cell_count=11))
    try:
        with TestClient(app) as client:
            do_login(client, "research")
            document = client.get("/api/report").json()
            assert document["small_cell_suppression"]["min_cell_count"] == 11
    finally:
        app.state.engine.dispose()


def test_the_environment_sets_the_threshold(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MYOTRACK_MIN_CELL_COUNT", "11")
    assert WebSettings().min_cell_count == 11
    monkeypatch.setenv("MYOTRACK_MIN_CELL_COUNT", "1")
    with pytest.raises(ValueError, match="at least 2"):
        WebSettings()
