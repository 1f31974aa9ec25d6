"""The JSON API's decision support reads the whole record, as the patient page does: the
demo's MDA5-positive child's oxygen need and dated ILD (version 2 records) reach the
MDA5/ILD flag through `GET /api/patients/{id}` too."""

from __future__ import annotations

import json
from collections.abc import Callable

from fastapi.testclient import TestClient

CHILD = "MDA5-case"


def test_api_panel_uses_the_whole_record(client_for: Callable[[str | None], TestClient]) -> None:
    admin = client_for("admin")
    answer = admin.get(f"/api/patients/{CHILD}", params={"on": "2023-01-17"})
    assert answer.status_code == 200, answer.text
    text = json.dumps(answer.json())
    # Only the version 2 records hold these: oxygen need and ILD known to the month.
    assert "needs oxygen" in text
    assert "onset 2021-09" in text
    page = admin.get(f"/patients/{CHILD}", params={"on": "2023-01-17"})
    assert "needs oxygen" in page.text
