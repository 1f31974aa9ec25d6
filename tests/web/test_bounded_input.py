"""Bounded input and clear refusals: body-size limits (413) before anything is parsed,
anonymous uploads refused before their body is read, every kind of damaged or hostile
cohort zip answered 422 with a message, a busy registry answered 503 "press Save again"
(never 500), a running import answered in words, and no cross-site oracle when a
clinician picks a pseudonym that another site holds."""

from __future__ import annotations

import io
import sqlite3
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from myotrack import registry
from myotrack.registry import engine as engine_module
from myotrack.registry.locks import hold_import_lock
from myotrack.web import WebSettings, create_app
from myotrack.web.errors import BUSY_MESSAGE, PSEUDONYM_TAKEN

Clients = Callable[[str | None], TestClient]
PASSWORD = "correct horse battery"
PATIENTS = "patient_id,sex,birth_date,diagnosis,site\nZIP-1,F,2014-02-01,JDM,Upload\n"


def _zip(files: dict[str, bytes | str], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _upload(client: TestClient, data: bytes, url: str = "/api/cohort/import") -> httpx.Response:
    response: httpx.Response = client.post(
        url,
        files={"file": ("cohort.zip", data, "application/zip")},
        data={"csrf_token": client.headers.get("X-CSRF-Token", "")},
    )
    return response


def _login(client: TestClient, username: str) -> TestClient:
    r = client.post("/api/session", json={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    client.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return client


@pytest.fixture
def small_app(db_url: str) -> Iterator[FastAPI]:
    """Limits small enough to pass in a test: 1 MB unpacked, 1,000 rows per file, 1,500
    rows in all."""
    settings = WebSettings(
        max_unpacked_bytes=1024 * 1024, max_rows_per_file=1000, max_rows_per_upload=1500
    )
    application = create_app(db_url, secret_key="k", settings=settings)
    yield application
    application.state.engine.dispose()


# ------------------------------------------------------------------ body size


def test_an_oversized_login_is_refused_before_it_is_parsed(client_for: Clients) -> None:
    client = client_for(None)
    big = {"username": "admin", "password": "x" * 100_000}
    r = client.post("/api/session", json=big)
    assert r.status_code == 413 and "too large" in r.json()["detail"]
    page = client.post("/login", data={"username": "admin", "password": "x" * 100_000})
    assert page.status_code == 413


def test_a_body_without_length_is_counted_while_it_arrives(client_for: Clients) -> None:
    client = client_for("clin_a")

    def chunks() -> Iterator[bytes]:
        yield b'{"patient_id": "'
        for _ in range(40):
            yield b"x" * 65536
        yield b'"}'

    r = client.post("/api/patients", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    assert "content-length" not in {k.lower() for k in r.request.headers}


def test_a_false_content_length_is_refused(client_for: Clients) -> None:
    client = client_for("clin_a")
    r = client.post(
        "/api/patients",
        content=b"{}",
        headers={"Content-Type": "application/json", "Content-Length": "999999999"},
    )
    assert r.status_code == 413


def test_an_anonymous_upload_is_refused_before_its_body_is_read(
    client_for: Clients, monkeypatch: pytest.MonkeyPatch
) -> None:
    from starlette.requests import Request

    def no_reading(self: Request, **_: object) -> None:
        raise AssertionError("the body of an anonymous request was read")

    monkeypatch.setattr(Request, "form", no_reading)
    monkeypatch.setattr(Request, "body", no_reading)
    client = client_for(None)
    assert _upload(client, b"PK" + b"\0" * 100_000).status_code == 401
    page = _upload(client, b"PK" + b"\0" * 100_000, url="/cohort/upload")
    assert page.status_code == 303 and page.headers["location"].startswith("/login")


def test_a_page_form_takes_one_file_and_short_fields(client_for: Clients) -> None:
    # A page sends its CSRF token as a form field, so the CSRF check parses the form first;
    # the form limits must hold there too (one file, 64 KB for a field that is not a file).
    client = client_for("admin")
    token = client.headers.pop("X-CSRF-Token")
    before = len(client.get("/api/patients").json())
    zipped = _zip({"cohort/patients.csv": PATIENTS})
    two_files = client.post(
        "/cohort/upload",
        files=[
            ("file", ("cohort.zip", zipped, "application/zip")),
            ("extra", ("other.zip", zipped, "application/zip")),
        ],
        data={"csrf_token": token},
    )
    assert two_files.status_code == 400 and "Maximum number of files is 1" in two_files.text
    long_field = client.post(
        "/cohort/upload",
        files={"file": ("cohort.zip", zipped, "application/zip")},
        data={"csrf_token": token, "format": "x" * (64 * 1024 + 1)},
    )
    assert long_field.status_code == 400
    assert len(client.get("/api/patients").json()) == before
    one_file = client.post(
        "/cohort/upload",
        files={"file": ("cohort.zip", zipped, "application/zip")},
        data={"csrf_token": token},
    )
    assert one_file.status_code in (200, 303), one_file.text


# ------------------------------------------------------------------ damaged zips


def _patched(data: bytes, signature: bytes, offset: int, value: bytes) -> bytes:
    """Overwrite bytes at `offset` after every header with `signature`."""
    out = bytearray(data)
    start = 0
    while (at := out.find(signature, start)) != -1:
        out[at + offset : at + offset + len(value)] = value
        start = at + 4
    return bytes(out)


def _encrypted() -> bytes:
    data = _zip({"cohort/patients.csv": PATIENTS}, zipfile.ZIP_STORED)
    # general-purpose flag bit 0 ("encrypted") in the local and central headers
    data = _patched(data, b"PK\x03\x04", 6, b"\x01\x00")
    return _patched(data, b"PK\x01\x02", 8, b"\x01\x00")


def _unknown_method() -> bytes:
    data = _zip({"cohort/patients.csv": PATIENTS}, zipfile.ZIP_STORED)
    data = _patched(data, b"PK\x03\x04", 8, b"\x63\x00")  # method 99
    return _patched(data, b"PK\x01\x02", 10, b"\x63\x00")


def _bad_crc() -> bytes:
    data = bytearray(_zip({"cohort/patients.csv": PATIENTS}, zipfile.ZIP_STORED))
    at = data.find(b"ZIP-1")
    data[at] = ord("Q")
    return bytes(data)


def _bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("cohort/patients.csv", PATIENTS)
        with archive.open("cohort/visits.csv", "w") as out:
            for _ in range(50):  # 50 MB of zeros, about 50 KB zipped
                out.write(b"\0" * 1024 * 1024)
    return buffer.getvalue()


def _row_bomb() -> bytes:
    rows = "".join(f"ZIP-{i},F,2014-02-01,JDM,Upload\n" for i in range(5000))
    return _zip({"cohort/patients.csv": "patient_id,sex,birth_date,diagnosis,site\n" + rows})


def _many_rows_in_all() -> bytes:
    visits = "".join(f"ZIP-1,2020-01-{1 + i % 28:02d}\n" for i in range(900))
    labs = "".join(f"ZIP-1,2020-02-{1 + i % 28:02d},crp,{i}\n" for i in range(900))
    return _zip(
        {
            "cohort/patients.csv": PATIENTS,
            "cohort/visits.csv": "patient_id,date\n" + visits,
            "cohort/labs.csv": "patient_id,date,analyte,value\n" + labs,
        }
    )


DAMAGED: dict[str, tuple[Callable[[], bytes], str]] = {
    "encrypted": (_encrypted, "encrypted"),
    "unknown compression": (_unknown_method, "compressed with a method"),
    "bad checksum": (_bad_crc, "damaged"),
    "name clash": (
        lambda: _zip({"cohort/patients.csv": PATIENTS, "cohort/PATIENTS.csv": PATIENTS}),
        "would be the same file",
    ),
    "over-long name": (
        lambda: _zip({"cohort/patients.csv": PATIENTS, "cohort/" + "n" * 300 + ".csv": "x"}),
        "too long",
    ),
    "zip bomb": (_bomb, "unpacks to more than 1 MB"),
    "row bomb": (_row_bomb, "more than 1,000 rows"),
    "too many rows in all": (_many_rows_in_all, "more than 1,500 rows in all"),
    "not a zip": (lambda: b"hello, not a zip", "not a zip file"),
}


@pytest.mark.parametrize("case", sorted(DAMAGED))
def test_each_damaged_zip_gets_a_clear_422(small_app: FastAPI, case: str) -> None:
    make, words = DAMAGED[case]
    with TestClient(small_app) as client:
        _login(client, "admin")
        before = len(client.get("/api/patients").json())
        api = _upload(client, make())
        assert api.status_code == 200, api.text  # the API reports issues in its body
        body = api.json()
        assert body["stored"] is False
        assert words in body["issues"][0]["message"], body
        page = _upload(client, make(), url="/cohort/upload")
        assert page.status_code == 422 and "Nothing was stored" in page.text
        assert len(client.get("/api/patients").json()) == before


# ------------------------------------------------------------------ busy registry


@pytest.fixture
def write_lock_held(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Another process holds the SQLite write lock; writers wait only 0.2 s."""
    monkeypatch.setattr(engine_module, "WRITE_WAIT_SECONDS", 0.2)
    path = Path(db_url.removeprefix("sqlite:///"))
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    yield
    holder.execute("ROLLBACK")
    holder.close()


def test_a_save_that_cannot_get_the_lock_answers_busy(
    client_for: Clients, demo_patients: object, request: pytest.FixtureRequest
) -> None:
    client = client_for("clin_a")
    pid = demo_patients.site_a  # type: ignore[attr-defined]
    request.getfixturevalue("write_lock_held")
    api = client.post(f"/api/patients/{pid}/visits", json={"date": "2021-06-01"})
    assert api.status_code == 503, api.text
    assert api.json()["detail"] == BUSY_MESSAGE
    assert api.headers["Retry-After"]
    page = client.post(
        f"/patients/{pid}/visit",
        data={"csrf_token": client.headers["X-CSRF-Token"], "date": "2021-06-01"},
    )
    assert page.status_code == 503 and BUSY_MESSAGE in page.text
    # Reading still works while the lock is held (WAL readers do not wait).
    assert client.get("/api/patients").status_code == 200


def test_an_upload_while_another_import_runs_is_told_so(client_for: Clients, app: FastAPI) -> None:
    admin = client_for("admin")
    with registry.transaction(app.state.engine) as running:
        hold_import_lock(running)
        r = _upload(admin, _zip({"cohort/patients.csv": PATIENTS}))
    assert r.status_code == 409
    assert "Another cohort import is running" in r.json()["detail"]
    assert _upload(admin, _zip({"cohort/patients.csv": PATIENTS})).json()["stored"] is True


# ------------------------------------------------------------------ cross-site oracle


def _new(client: TestClient, pid: str) -> httpx.Response:
    response: httpx.Response = client.post(
        "/api/patients",
        json={"patient_id": pid, "sex": "F", "birth_date": "2015-01-01", "diagnosis": "JDM"},
    )
    return response


def test_a_pseudonym_held_by_another_site_is_not_revealed(
    client_for: Clients, demo_patients: object
) -> None:
    clin_a = client_for("clin_a")
    other_site = demo_patients.site_b  # type: ignore[attr-defined]
    elsewhere = _new(clin_a, other_site)
    own = _new(clin_a, "EMPTY-A")  # exists at clin_a's own site
    assert elsewhere.status_code == own.status_code == 409
    assert elsewhere.json() == own.json() == {"detail": PSEUDONYM_TAKEN}
    assert "exist" not in PSEUDONYM_TAKEN and other_site not in elsewhere.text
    # Reading it answers exactly as for a pseudonym nobody holds.
    seen = clin_a.get(f"/api/patients/{other_site}")
    nobody = clin_a.get("/api/patients/NOBODY-99")
    assert seen.status_code == nobody.status_code == 404
    assert seen.json()["detail"].replace(other_site, "X") == nobody.json()["detail"].replace(
        "NOBODY-99", "X"
    )
    # The form answers the same words for both.
    token = clin_a.headers["X-CSRF-Token"]
    form = {"csrf_token": token, "sex": "F", "birth_date": "2015-01-01", "diagnosis": "JDM"}
    page_elsewhere = clin_a.post("/new-patient", data={**form, "patient_id": other_site})
    page_own = clin_a.post("/new-patient", data={**form, "patient_id": "EMPTY-A"})
    assert page_elsewhere.status_code == page_own.status_code == 409
    assert PSEUDONYM_TAKEN in page_elsewhere.text and PSEUDONYM_TAKEN in page_own.text


def test_every_registry_error_has_an_answer() -> None:
    """One handler on RegistryError answers every registry error through the table
    `web.errors.REGISTRY_ANSWERS`: each subclass defined anywhere in myotrack (the registry's
    own, backup's, the web's PseudonymTaken) has a row of its own or of a parent below
    RegistryError, so none falls through to a 500 or to the bare fallback."""
    import importlib
    import pkgutil

    import myotrack
    from myotrack import registry
    from myotrack.web.errors import REGISTRY_ANSWERS, WebError, registry_answer

    for module in pkgutil.walk_packages(myotrack.__path__, "myotrack."):
        if ".migrations" not in module.name:
            importlib.import_module(module.name)  # so every subclass is defined

    def subclasses(cls: type) -> set[type]:
        found: set[type] = set(cls.__subclasses__())
        for sub in list(found):
            found |= subclasses(sub)
        return found

    defined = {c for c in subclasses(registry.RegistryError) if c.__module__.startswith("myotrack")}
    assert {registry.BusyError, registry.BackupError} <= defined
    for cls in defined:
        rows = [k for k in cls.__mro__ if k in REGISTRY_ANSWERS]
        assert rows, f"{cls.__name__} has no row in REGISTRY_ANSWERS"
        answer = registry_answer(cls("x"))
        assert isinstance(answer, WebError) and answer.status_code in (409, 404, 422, 500, 503)
    expected = {
        registry.BusyError: 503,
        registry.UnavailableError: 503,
        registry.ImportRunningError: 409,
        registry.StaleEditError: 409,
        registry.DuplicateError: 409,
        registry.NotFoundError: 404,
        registry.InvalidValueError: 422,
    }
    for cls, status in expected.items():
        assert registry_answer(cls("x")).status_code == status, cls.__name__
