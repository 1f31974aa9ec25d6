"""Clinical images in the web app: a clinician of the site attaches, sees, changes consent
and retracts; the patient page shows the images card; a researcher never reaches an image
without research consent (every image route tried), and with consent sees it without
caption or date, under the research pseudonym."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from PIL import Image

from myotrack import registry
from myotrack.cohort.deidentify import pseudonym
from myotrack.registry import images as image_rows
from myotrack.web.deps import walk_routes

CASE = "MDA5-case"
Clients = Callable[[str | None], TestClient]


def _upload(
    client: TestClient,
    data: bytes,
    *,
    site: str = "face",
    day: str = "2021-09-13",
    research: bool = False,
    publication: bool = False,
    caption: str = "Malar rash, Ms Example's daughter",
    record: bool = True,
) -> int:
    form = {
        "date": day,
        "body_site": site,
        "kind": "photograph",
        "caption": caption,
        "reason": "test upload",
    }
    if record:
        form["consent_clinical_record"] = "yes"
    if research:
        form["consent_research"] = "yes"
    if publication:
        form["consent_publication"] = "yes"
    response = client.post(
        f"/patients/{CASE}/images", data=form, files={"file": ("photo.bin", data, "image/jpeg")}
    )
    return int(response.status_code)


def _ids(app: FastAPI) -> dict[str, int]:
    with registry.transaction(app.state.engine) as session:
        return {i.body_site: i.image_id or 0 for i in image_rows.list_images(session, CASE)}


def _pseudonym(app: FastAPI) -> str:
    with registry.transaction(app.state.engine) as session:
        return pseudonym(registry.research_key(session), CASE)


def test_clinician_attaches_and_sees_the_cleaned_image(
    app: FastAPI, client_for: Clients, make_picture: Callable[..., bytes]
) -> None:
    clin = client_for("clin_c")
    assert _upload(clin, make_picture()) == 303
    (image_id,) = _ids(app).values()
    page = clin.get(f"/patients/{CASE}/images")
    assert page.status_code == 200
    assert "Malar rash" in page.text and "2021-09-13" in page.text
    shown = clin.get(f"/patients/{CASE}/images/{image_id}")
    assert shown.status_code == 200 and shown.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(shown.content)).size == (64, 48)
    patient_page = clin.get(f"/patients/{CASE}")
    assert patient_page.status_code == 200
    assert f"/patients/{CASE}/images/{image_id}" in patient_page.text  # the images card


def test_upload_refusals_are_shown_beside_the_field(
    client_for: Clients, make_picture: Callable[..., bytes]
) -> None:
    clin = client_for("clin_c")
    assert _upload(clin, b"%PDF-1.4 not a picture") == 422
    assert _upload(clin, make_picture(), record=False) == 422
    assert _upload(clin, make_picture(), day="2031-01-01") == 422
    page = clin.post(
        f"/patients/{CASE}/images",
        data={"date": "2021-09-13", "body_site": "face", "kind": "photograph"},
        files={"file": ("x.gif", b"GIF89a....", "image/gif")},
    )
    assert page.status_code == 422 and "not a PNG or JPEG" in page.text
    assert _upload(clin, make_picture()) == 303
    assert _upload(clin, make_picture()) == 409  # the same picture again


def test_other_site_and_researcher_cannot_write(
    client_for: Clients, make_picture: Callable[..., bytes]
) -> None:
    assert _upload(client_for("clin_a"), make_picture()) == 404  # like no such patient
    assert _upload(client_for("research"), make_picture()) == 403


def test_a_researcher_reaches_no_image_without_research_consent(
    app: FastAPI, client_for: Clients, make_picture: Callable[..., bytes]
) -> None:
    clin = client_for("clin_c")
    assert _upload(clin, make_picture(colour=(10, 20, 30)), site="face", research=False) == 303
    assert _upload(clin, make_picture(colour=(90, 20, 30)), site="elbows", research=True) == 303
    assert (
        _upload(
            clin, make_picture(colour=(90, 90, 30)), site="elbows", day="2022-06-14", research=True
        )
        == 303
    )
    ids = _ids(app)
    hidden = ids["face"]
    pid = _pseudonym(app)
    research = client_for("research")

    # Every GET image route as a researcher, with the image that has no research consent.
    tried = set()
    for info in walk_routes(app.routes):
        if not isinstance(info.route, APIRoute) or "image" not in info.path:
            continue
        for method in info.methods - {"HEAD"}:
            url = info.path.replace("{patient_id}", pid).replace("{image_id}", str(hidden))
            response = research.request(method, url, params={"site": "face", "fmt": "png"})
            tried.add((method, info.path))
            if method == "POST":
                assert response.status_code == 403, url
            elif "{image_id}" in info.path:
                assert response.status_code == 404, url
            else:
                assert response.status_code in (200, 422), url
                assert f"/images/{hidden}" not in response.text
                assert "Malar rash" not in response.text
    assert len(tried) >= 6
    # ... and by the registry id (never valid in a researcher's URL).
    assert research.get(f"/patients/{CASE}/images/{ids['elbows']}").status_code == 404

    # With research consent: shown without caption or date, with days.
    page = research.get(f"/patients/{pid}/images")
    assert page.status_code == 200
    assert "Malar rash" not in page.text and "2021-09-13" not in page.text
    assert re.search(r"day [+-]\d+", page.text)
    assert research.get(f"/patients/{pid}/images/{ids['elbows']}").status_code == 200
    card = research.get(f"/patients/{pid}").text
    assert f"/images/{ids['elbows']}" in card and f"/images/{hidden}" not in card
    found = re.search(r'id="timeline-images">(.*?)</script>', card)
    assert found is not None  # the timeline marks of a researcher: days, no dates
    marks = json.loads(found.group(1))
    assert len(marks) == 2 and all(isinstance(m["x"], int) for m in marks)
    assert "2021" not in found.group(1) and "2022" not in found.group(1)
    pair = research.get(f"/patients/{pid}/image-pair", params={"site": "elbows", "fmt": "png"})
    assert pair.status_code == 200 and pair.content.startswith(b"\x89PNG")

    # Research consent withdrawn: the image is gone for researchers at once.
    with registry.transaction(app.state.engine) as session:
        stored = image_rows.get_image(session, CASE, ids["elbows"])
    assert stored is not None
    version = stored.version
    response = clin.post(
        f"/patients/{CASE}/images/{ids['elbows']}/consent",
        data={"expected_version": str(version), "reason": "research consent withdrawn"},
    )
    assert response.status_code == 303
    assert research.get(f"/patients/{pid}/images/{ids['elbows']}").status_code == 404
    assert f"/images/{ids['elbows']}" not in research.get(f"/patients/{pid}/images").text


def test_retracting_an_image_needs_a_reason_and_hides_it(
    app: FastAPI, client_for: Clients, make_picture: Callable[..., bytes]
) -> None:
    clin = client_for("clin_c")
    assert _upload(clin, make_picture()) == 303
    (image_id,) = _ids(app).values()
    url = f"/patients/{CASE}/images/{image_id}/retract"
    assert clin.post(url, data={"expected_version": "1"}).status_code == 422
    assert clin.post(url, data={"expected_version": "7", "reason": "x"}).status_code == 409
    done = clin.post(url, data={"expected_version": "1", "reason": "wrong patient"})
    assert done.status_code == 303
    assert clin.get(f"/patients/{CASE}/images/{image_id}").status_code == 404
    with registry.transaction(app.state.engine) as session:
        trail = registry.audit_log(session, table="clinical_image")
    assert [e.action for e in trail] == ["retire", "insert"]
    assert trail[0].reason == "wrong patient"


def test_a_researcher_reaches_none_of_the_demo_childs_images(
    app: FastAPI, client_for: Clients
) -> None:
    """The demo's MDA5-case with its fictional images (clinical-record and publication
    consent, no research consent): a clinician of his site sees all of them on the images
    page, the patient page and as files; a clinician of another site and a researcher
    reach none, whatever they try: every image route, every GET route of the patient (pages
    and API), and guessed file URLs by registry id or pseudonym."""
    from myotrack.media.demo import add_demo_images

    engine = app.state.engine
    assert add_demo_images(engine, app.state.image_store) == 9
    with registry.transaction(engine) as session:
        stored = image_rows.list_images(session, CASE)
    assert len(stored) == 9 and not any(i.consent.research for i in stored)
    ids = [i.image_id for i in stored]

    clin = client_for("clin_c")
    page = clin.get(f"/patients/{CASE}/images").text
    card = clin.get(f"/patients/{CASE}").text
    for image_id in ids:
        assert f"/patients/{CASE}/images/{image_id}" in page
        assert f"/patients/{CASE}/images/{image_id}" in card
        shown = clin.get(f"/patients/{CASE}/images/{image_id}")
        assert shown.status_code == 200 and shown.headers["content-type"].startswith("image/")

    # ... and on its timeline: one mark per image at its date, linking to the image.
    found = re.search(r'<script type="application/json" id="timeline-images">(.*?)</script>', card)
    assert found is not None
    marks = json.loads(found.group(1))
    assert sorted(m["x"] for m in marks) == sorted(i.date.isoformat() for i in stored)
    assert {m["href"] for m in marks} == {f"/patients/{CASE}/images#image-{n}" for n in ids}

    other_site = client_for("clin_a")
    assert other_site.get(f"/patients/{CASE}/images").status_code == 404
    assert all(other_site.get(f"/patients/{CASE}/images/{n}").status_code == 404 for n in ids)

    research = client_for("research")
    pid = _pseudonym(app)
    guesses = range(1, max(i or 0 for i in ids) + 5)
    for who in (pid, CASE):  # by pseudonym, and by the registry id a researcher never uses
        for n in guesses:
            answer = research.get(f"/patients/{who}/images/{n}")
            assert answer.status_code == 404, (who, n)
    answered = 0
    for info in walk_routes(app.routes):
        if not isinstance(info.route, APIRoute) or "{patient_id}" not in info.path:
            continue
        per_image = "{image_id}" in info.path  # other routes: once (they list every image)
        for method in info.methods - {"HEAD"}:
            for image_id in ids if per_image else ids[:1]:
                url = info.path.replace("{patient_id}", pid).replace("{image_id}", str(image_id))
                if "{" in url:
                    continue  # a route of another record kind (visit date, ...)
                response = research.request(
                    method, url, params={"site": "face", "fmt": "png", "kind": "photograph"}
                )
                assert (
                    not response.headers.get("content-type", "").startswith(
                        ("image/", "application/pdf")
                    )
                    or "timeline" in url
                ), f"{method} {url}"
                assert all(f"/images/{n}" not in response.text for n in ids), f"{method} {url}"
                if "image" in info.path:
                    assert response.status_code in (403, 404, 422) or (
                        response.status_code == 200 and "{image_id}" not in info.path
                    ), f"{method} {url}: {response.status_code}"
                answered += 1
    assert answered > 20
    card = research.get(f"/patients/{pid}").text
    assert 'id="images"' not in card and "/images/" not in card  # no images card at all
    assert "timeline-images" not in card and "/images#" not in card  # nor timeline marks
