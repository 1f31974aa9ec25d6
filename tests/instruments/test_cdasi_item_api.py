"""The item-level JSON API follows the CDASI definition (errata 2026-12 §1): `/api/instruments`
lists the Gottron's-hands raw inputs (with the doubling rule in their help) and no pre-summed
item, and `/api/instruments/cdasi/score` derives the block (3 x 2 + 1 = 7), refuses a
poikiloderma of 2 naming the field, and refuses a pre-summed Gottron's value."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from myotrack import registry
from myotrack.web import create_app
from myotrack.web.passwords import hash_password

PASSWORD = "correct horse battery staple"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path / 'api.db'}"
    engine = registry.connect(url)
    registry.upgrade(engine)
    with registry.transaction(engine) as session:
        registry.create_user(
            session,
            "clin",
            password_hash=hash_password(PASSWORD),
            role="clinician",
            site="Site A",
            actor="test",
        )
    engine.dispose()
    app = create_app(url, secret_key="cdasi-api-test")
    with TestClient(app) as c:
        response = c.post("/api/session", json={"username": "clin", "password": PASSWORD})
        assert response.status_code == 200, response.text
        c.headers["X-CSRF-Token"] = response.json()["csrf_token"]
        yield c
    app.state.engine.dispose()


def _score(client: TestClient, items: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/api/instruments/cdasi/score", json={"items": items})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_instruments_list_the_gottron_raw_inputs(client: TestClient) -> None:
    response = client.get("/api/instruments")
    assert response.status_code == 200
    cdasi = next(i for i in response.json() if i["name"] == "cdasi")
    items = {it["id"]: it for it in cdasi["items"]}
    assert items["gottron_hands_erythema"]["max"] == 3
    assert items["gottron_hands_papules"]["max"] == 1
    assert items["gottron_hands_ulceration"]["max"] == 1
    assert "x 2 when papules are present" in items["gottron_hands_erythema"]["help"]
    assert "gottron_hands_activity" not in items
    assert [c[1] for c in items["gottron_hands_damage"]["choices"]] == [
        "absent",
        "dyspigmentation",
        "scarring",
    ]
    assert items["malar_poikiloderma"]["max"] == 1
    assert cdasi["total_max"] == 100


def test_score_derives_the_block_and_refuses_bad_values(client: TestClient) -> None:
    body = _score(
        client,
        {"gottron_hands_erythema": 3, "gottron_hands_papules": 1, "gottron_hands_ulceration": 1},
    )
    assert body["errors"] == []
    assert body["result"]["derived"] == {"gottron_hands_activity": 7}
    bad = _score(client, {"malar_poikiloderma": 2})
    assert [e["field"] for e in bad["errors"]] == ["malar_poikiloderma"]
    assert "allowed 0, 1" in bad["errors"][0]["message"]
    old = _score(client, {"gottron_hands_activity": 7})
    assert [e["field"] for e in old["errors"]] == ["gottron_hands_activity"]
