"""Editing a visit never drops what a user stored (issues 9 and 15): a CDASI stored before
the December 2026 errata (Gottron's-hands activity one pre-summed number, the legacy
variant `cdasi_gottron_presummed`, version set by registry migration v0003) keeps its shape,
items, version and visit scores when its visit is opened in the form and saved unchanged;
the CDASI grid's "the rest are 0" is written into the audit reason by the server."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html.parser import HTMLParser

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from myotrack import registry
from myotrack.domain import Assessment, PatientRecord, Visit
from myotrack.instruments import DEFINITIONS, INSTRUMENTS, score

Clients = Callable[[str | None], TestClient]

PID = "EMPTY-A"  # F, born 2014-05-01, site A (tests/web/conftest.py)
ON = date(2024, 3, 1)
LEGACY = DEFINITIONS["cdasi_gottron_presummed"]


class _Form(HTMLParser):
    """The fields of the form with id `form_id` as a browser would post them."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.select: str | None = None
        self.fields: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside or "name" not in a:
            if tag == "option" and self.select is not None and "selected" in a:
                self.fields.append((self.select, a.get("value", "")))
            return
        if tag == "input" and a.get("type") not in ("checkbox", "submit", "button"):
            self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self.select = a["name"]
            self.fields.append((a["name"], ""))  # replaced by a selected option

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        if tag == "select" and self.select is not None:
            chosen = [v for k, v in self.fields if k == self.select]
            if len(chosen) > 1:  # "" placeholder + the selected option
                self.fields.remove((self.select, ""))
            self.select = None


def _form_fields(html: str) -> dict[str, str]:
    parser = _Form("visit-form")
    parser.feed(html)
    return dict(parser.fields)


def _legacy_items() -> dict[str, float]:
    items = {it.id: 0.0 for it in LEGACY.items}
    items.update(malar_erythema=2.0, scalp_scale=1.0, gottron_hands_activity=5.0)
    items["periungual"] = 1.0
    return items


def _store_legacy(app: FastAPI) -> tuple[Visit, Assessment]:
    items = _legacy_items()
    result = score(LEGACY.name, items)
    visit = Visit(
        PID,
        ON,
        weight_kg=30.0,
        cdasi_activity=result.subscores["activity"],
        cdasi_damage=result.subscores["damage"],
    )
    assessment = Assessment(PID, ON, "cdasi", items, version=LEGACY.version, total=result.total)
    with registry.transaction(app.state.engine) as session:
        registry.save_visit(
            session,
            visit,
            expected_version=None,
            actor="test",
            reason="stored before the December 2026 errata",
            assessments=[assessment],
        )
    return visit, assessment


def _stored(app: FastAPI) -> PatientRecord:
    with registry.transaction(app.state.engine) as session:
        record = registry.load_record(session, PID)
    assert record is not None
    return record


def _reasons(app: FastAPI) -> list[str]:
    with registry.transaction(app.state.engine) as session:
        return [e.reason or "" for e in registry.audit_log(session, patient_id=PID)]


def _open_and_save(client: TestClient, change: dict[str, str]) -> httpx.Response:
    page = client.get(f"/patients/{PID}/visit", params={"on": ON.isoformat()})
    assert page.status_code == 200
    fields = {**_form_fields(page.text), **change}
    assert fields["original_date"] == ON.isoformat() and fields["expected_version"]
    response: httpx.Response = client.post(f"/patients/{PID}/visit", data=fields)
    return response


def test_legacy_cdasi_opened_and_saved_unchanged_keeps_every_stored_value(
    client_for: Clients, app: FastAPI
) -> None:
    visit, assessment = _store_legacy(app)
    assert visit.cdasi_activity == 2 + 1 + 5 + 1  # malar 2, scalp scale 1, Gottron 5, periungual 1
    r = _open_and_save(client_for("clin_a"), {})
    assert r.status_code == 303, r.text
    record = _stored(app)
    (after,) = record.visits
    assert (after.cdasi_activity, after.cdasi_damage, after.weight_kg) == (9.0, 0.0, 30.0)
    (cdasi,) = [a for a in record.assessments if a.instrument == "cdasi"]
    assert dict(cdasi.items) == dict(assessment.items)
    assert cdasi.version == LEGACY.version and cdasi.total == assessment.total


def test_legacy_cdasi_edited_item_is_scored_with_its_stored_shape(
    client_for: Clients, app: FastAPI
) -> None:
    _store_legacy(app)
    r = _open_and_save(client_for("clin_a"), {"item__cdasi__malar_erythema": "3"})
    assert r.status_code == 303, r.text
    record = _stored(app)
    (cdasi,) = [a for a in record.assessments if a.instrument == "cdasi"]
    assert cdasi.items["gottron_hands_activity"] == 5 and cdasi.items["malar_erythema"] == 3
    assert cdasi.version == LEGACY.version
    assert record.visits[0].cdasi_activity == 10.0


def test_legacy_cdasi_with_the_raw_gottron_inputs_entered_takes_the_current_shape(
    client_for: Clients, app: FastAPI
) -> None:
    """Erythema 2, papules present (doubled: 4), ulceration 1 -> Gottron's hands 5 again,
    now derived from its raw inputs; the audit reason names the pre-summed value replaced."""
    _store_legacy(app)
    raw = {
        "item__cdasi__gottron_hands_erythema": "2",
        "item__cdasi__gottron_hands_papules": "1",
        "item__cdasi__gottron_hands_ulceration": "1",
    }
    r = _open_and_save(client_for("clin_a"), raw)
    assert r.status_code == 303, r.text
    record = _stored(app)
    (cdasi,) = [a for a in record.assessments if a.instrument == "cdasi"]
    assert cdasi.version == INSTRUMENTS["cdasi"].version
    assert "gottron_hands_activity" not in cdasi.items
    assert record.visits[0].cdasi_activity == 9.0
    assert any("gottron_hands_activity = 5" in reason for reason in _reasons(app))


def _cdasi_zero_but(rest: int) -> dict[str, float]:
    items = {it.id: 0.0 for it in INSTRUMENTS["cdasi"].items if it.scored}
    items["rest_set_to_zero"] = float(rest)
    return items


def test_rest_are_0_is_in_the_audit_reason_written_by_the_server(
    client_for: Clients, app: FastAPI
) -> None:
    """Through the JSON API (no page script): the reason the user gave gains the
    definition's words for the recorded action."""
    client = client_for("clin_a")
    body = {
        "date": "2024-04-02",
        "instruments": {"cdasi": _cdasi_zero_but(40)},
        "reason": "clinic visit",
    }
    r = client.post(f"/api/patients/{PID}/visits", json=body)
    assert r.status_code == 200, r.text
    reasons = [x for x in _reasons(app) if x.startswith("clinic visit")]  # visit, assessment
    words = "40 CDASI item(s) were entered as 0 by the explicit action 'the rest are 0'"
    assert reasons and all(words in x for x in reasons)


def test_rest_are_0_line_of_the_grid_is_not_repeated(client_for: Clients, app: FastAPI) -> None:
    client = client_for("clin_a")
    line = "CDASI: 40 items set to 0 by the explicit action 'the rest are 0'"
    body = {"date": "2024-04-02", "instruments": {"cdasi": _cdasi_zero_but(40)}, "reason": line}
    assert client.post(f"/api/patients/{PID}/visits", json=body).status_code == 200
    reasons = [x for x in _reasons(app) if "the rest are 0" in x]
    assert reasons and all(x == line for x in reasons)


def test_legacy_cdasi_form_shows_the_pre_summed_value_it_keeps(
    client_for: Clients, app: FastAPI
) -> None:
    _store_legacy(app)
    page = client_for("clin_a").get(f"/patients/{PID}/visit", params={"on": ON.isoformat()})
    assert 'data-kept-items="gottron_hands_activity"' in page.text
    assert "<strong>gottron hands activity = 5</strong>" in page.text
    assert 'name="total__cdasi_activity" inputmode="decimal" value=""' in page.text
