"""One item check for the visit form and the scoring API (`web.forms.item_errors`): the same
bad items give the same fields and words on both paths, and every bad item is named (not
only the first)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from fastapi.testclient import TestClient

from myotrack.instruments import INSTRUMENTS
from myotrack.web.forms import item_errors, score_visit

Clients = Callable[[str | None], TestClient]


def test_form_and_api_name_the_same_bad_items(client_for: Clients) -> None:
    first, second = (it.id for it in INSTRUMENTS["cmas"].items[:2])
    entered = {first: 9.0, second: -1.0}  # both off the items' grids
    expected = [(err.field, err.message) for err in item_errors("cmas", entered)]
    assert [field for field, _ in expected] == [first, second]

    _, _, problems = score_visit("P", date(2024, 5, 1), {"cmas": entered})
    assert [(p.field, p.message) for p in problems] == expected

    api = client_for("research").post("/api/instruments/cmas/score", json={"items": entered})
    assert [(e["field"], e["message"]) for e in api.json()["errors"]] == expected
