"""The image store and the registry rows together (`media.store`, `media.attach`,
`registry.images`), on SQLite and PostgreSQL: content addressing, the one audited
transaction with the file removed when it fails, consent and retraction audited, the
store check finding orphans, missing and changed files, and the migration keeping data."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect

from myotrack import registry
from myotrack.domain.images import Consent
from myotrack.media import (
    ImageRejected,
    ImageStore,
    ImageUpload,
    attach_image,
    check_store,
    clean_image,
    image_dir_for,
    remove_orphans,
)
from myotrack.media.store import StoreError
from myotrack.registry import images as image_rows
from myotrack.registry.errors import DuplicateError, NotFoundError, StaleEditError

CASE = "MDA5-case"


def _upload(patient_id: str = CASE, **consent: bool) -> ImageUpload:
    return ImageUpload(
        patient_id=patient_id,
        date=date(2021, 9, 13),
        body_site="face",
        kind="photograph",
        consent=Consent(clinical_record=True, **consent),
        caption="malar erythema",
    )


def test_store_is_content_addressed(tmp_path: Path, make_picture: Callable[..., bytes]) -> None:
    store = ImageStore(tmp_path / "s")
    clean = clean_image(make_picture())
    assert store.put(clean) is True
    assert store.put(clean) is False  # the same picture is stored once
    path = store.path_of(clean.sha256, clean.media_type)
    assert path.name == f"{hashlib.sha256(clean.data).hexdigest()}.jpg"
    assert path.parent.name == clean.sha256[:2]
    assert store.read(clean.sha256, clean.media_type) == clean.data
    path.write_bytes(clean.data + b"x")
    with pytest.raises(StoreError, match="changed"):
        store.read(clean.sha256, clean.media_type)
    store.discard(clean.sha256, clean.media_type)
    with pytest.raises(StoreError, match="missing"):
        store.read(clean.sha256, clean.media_type)
    with pytest.raises(StoreError):
        store.path_of("../../etc/passwd", "image/png")
    assert not list((tmp_path / "s").rglob("*.part"))


def test_image_folder_sits_beside_the_registry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MYOTRACK_IMAGE_DIR", raising=False)
    assert image_dir_for(f"sqlite:///{tmp_path}/clinic.db") == tmp_path / "clinic-images"
    assert image_dir_for("postgresql+psycopg://u:p@h/db") == Path("myotrack-images")
    monkeypatch.setenv("MYOTRACK_IMAGE_DIR", str(tmp_path / "elsewhere"))
    assert image_dir_for(f"sqlite:///{tmp_path}/clinic.db") == tmp_path / "elsewhere"


def test_attach_is_one_audited_transaction(
    engine: Engine, store: ImageStore, make_picture: Callable[..., bytes]
) -> None:
    image = attach_image(
        engine, store, _upload(research=True), make_picture(), actor="nurse", reason="clinic"
    )
    assert image.image_id is not None
    assert store.read(image.sha256, image.media_type)
    with registry.transaction(engine) as session:
        (stored,) = image_rows.list_images(session, CASE)
        trail = registry.audit_log(session, table="clinical_image")
    assert stored == image
    assert stored.consent == Consent(clinical_record=True, research=True, publication=False)
    (entry,) = trail
    assert entry.action == "insert" and entry.actor == "nurse" and entry.patient_id == CASE
    assert entry.new is not None and entry.new["sha256"] == image.sha256
    with pytest.raises(DuplicateError):
        attach_image(engine, store, _upload(), make_picture(), actor="nurse", reason="again")
    assert check_store(engine, store).ok


def test_a_failed_transaction_leaves_no_file(
    engine: Engine, store: ImageStore, make_picture: Callable[..., bytes]
) -> None:
    with pytest.raises(NotFoundError):
        attach_image(engine, store, _upload("NOBODY"), make_picture(), actor="n", reason="r")
    assert list(store.files()) == []
    with pytest.raises(ImageRejected):
        attach_image(engine, store, _upload(), b"not an image", actor="n", reason="r")
    assert list(store.files()) == []
    with registry.transaction(engine) as session:
        assert image_rows.list_images(session, CASE) == []


def test_a_failed_duplicate_keeps_the_file_of_the_stored_row(
    engine: Engine, store: ImageStore, make_picture: Callable[..., bytes]
) -> None:
    first = attach_image(engine, store, _upload(), make_picture(), actor="n", reason="r")
    path = store.path_of(first.sha256, first.media_type)
    path.unlink()  # as if another upload had written it a moment ago and not committed yet
    with pytest.raises(DuplicateError):
        attach_image(engine, store, _upload(), make_picture(), actor="n", reason="r")
    assert path.exists()  # written by the second upload, kept: a committed row needs it


def test_consent_changes_and_retraction_are_audited(
    engine: Engine, store: ImageStore, make_picture: Callable[..., bytes]
) -> None:
    image = attach_image(
        engine,
        store,
        _upload(research=True, publication=True),
        make_picture(),
        actor="n",
        reason="r",
    )
    assert image.image_id is not None
    withdrawn = Consent(clinical_record=True, research=False, publication=True)
    with registry.transaction(engine, write=True) as session:
        version = image_rows.set_consent(
            session, CASE, image.image_id, withdrawn, expected_version=1, actor="dm", reason="w"
        )
        same = image_rows.set_consent(
            session, CASE, image.image_id, withdrawn, expected_version=2, actor="dm", reason="w"
        )
    assert version == same == 2
    with pytest.raises(StaleEditError), registry.transaction(engine, write=True) as session:
        image_rows.retract_image(
            session, CASE, image.image_id, expected_version=1, actor="dm", reason="late"
        )
    with registry.transaction(engine, write=True) as session:
        image_rows.retract_image(
            session, CASE, image.image_id, expected_version=2, actor="dm", reason="consent gone"
        )
    with registry.transaction(engine) as session:
        assert image_rows.list_images(session, CASE) == []
        assert image_rows.get_image(session, CASE, image.image_id) is None
        trail = registry.audit_log(session, table="clinical_image")
        report = registry.verify_chain(session)
    assert [e.action for e in trail] == ["retire", "update", "insert"]
    assert trail[1].old == {"consent_research": True}
    assert trail[1].new == {"consent_research": False}
    assert trail[0].reason == "consent gone"
    assert report.intact
    # The retracted image keeps its file: the store check is clean.
    assert check_store(engine, store).ok


def test_store_check_finds_orphans_missing_and_changed_files(
    engine: Engine, store: ImageStore, make_picture: Callable[..., bytes]
) -> None:
    kept = attach_image(engine, store, _upload(), make_picture(), actor="n", reason="r")
    gone = attach_image(
        engine, store, _upload(), make_picture(colour=(1, 2, 3)), actor="n", reason="r"
    )
    orphan = clean_image(make_picture(colour=(9, 9, 9)))
    store.put(orphan)  # a file written by an upload whose transaction never committed
    store.path_of(gone.sha256, gone.media_type).unlink()
    report = check_store(engine, store)
    assert report.rows == 2 and report.files == 2
    assert report.orphans == (str(store.path_of(orphan.sha256, orphan.media_type)),)
    assert report.missing == (gone.sha256,)
    assert report.changed == () and not report.ok
    store.path_of(kept.sha256, kept.media_type).write_bytes(b"tampered")
    assert check_store(engine, store).changed == (kept.sha256,)
    assert remove_orphans(engine, store) == report.orphans
    assert check_store(engine, store).orphans == ()


def test_the_migration_adds_the_table_and_keeps_the_data(tmp_path: Path) -> None:
    """A registry holding data at v0004 upgrades to the image table with nothing lost
    (rows written in plain SQL: the code of today writes today's schema)."""
    from alembic import command
    from sqlalchemy import text

    from myotrack.registry.migrate import alembic_config

    engine = registry.connect(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "v0004_audit_hash_chain")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO patient (patient_id, sex, birth_date, diagnosis, row_version) "
                "VALUES ('OLD-1', 'F', '2015-03-01', 'JDM', 1)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO visit (patient_pk, date, cmas, row_version) "
                "SELECT id, '2021-01-05', 31, 1 FROM patient WHERE patient_id = 'OLD-1'"
            )
        )
    assert "clinical_image" not in inspect(engine).get_table_names()
    registry.upgrade(engine)
    assert "clinical_image" in inspect(engine).get_table_names()
    with engine.connect() as conn:
        kept = conn.execute(
            text("SELECT p.patient_id, v.cmas FROM visit v JOIN patient p ON p.id = v.patient_pk")
        ).all()
    assert [tuple(r) for r in kept] == [("OLD-1", 31.0)]
    engine.dispose()
