"""`myotrack images list|restore`: a retracted image is listed as such and an admin can
bring it back (audited), like every other record."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine
from typer.testing import CliRunner

from myotrack import registry
from myotrack.cli import app
from myotrack.domain.images import Consent
from myotrack.media import ImageStore, ImageUpload, attach_image
from myotrack.registry import images as image_rows

CASE = "MDA5-case"


def test_list_retract_restore(
    sqlite_engine: Engine, store: ImageStore, make_picture: Callable[..., bytes]
) -> None:
    from datetime import date

    upload = ImageUpload(
        patient_id=CASE,
        date=date(2021, 9, 13),
        body_site="elbows",
        kind="photograph",
        consent=Consent(clinical_record=True, research=True),
        caption="ulcer right elbow",
    )
    image = attach_image(sqlite_engine, store, upload, make_picture(), actor="n", reason="r")
    assert image.image_id is not None
    url = sqlite_engine.url.render_as_string(hide_password=False)
    runner = CliRunner()
    listed = runner.invoke(app, ["images", "list", CASE, "--database", url])
    assert listed.exit_code == 0 and "ulcer right elbow" in listed.output and "CR-" in listed.output
    with registry.transaction(sqlite_engine, write=True) as session:
        image_rows.retract_image(
            session, CASE, image.image_id, expected_version=1, actor="n", reason="wrong side"
        )
    gone = runner.invoke(app, ["images", "list", CASE, "--database", url])
    assert "No images." in gone.output
    retracted = runner.invoke(app, ["images", "list", CASE, "--retracted", "--database", url])
    assert "ulcer right elbow" in retracted.output and " v2 " in retracted.output
    stale = runner.invoke(
        app,
        ["images", "restore", CASE, str(image.image_id), "--version", "1",
         "--reason", "x", "--database", url],
    )  # fmt: skip
    assert stale.exit_code != 0 and "changed by someone else" in stale.output
    done = runner.invoke(
        app,
        ["images", "restore", CASE, str(image.image_id), "--version", "2",
         "--reason", "it was the right side after all", "--database", url],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    with registry.transaction(sqlite_engine) as session:
        (back,) = image_rows.list_images(session, CASE)
        trail = registry.audit_log(session, table="clinical_image")
    assert back.image_id == image.image_id and back.version == 3
    assert [e.action for e in trail] == ["restore", "retire", "insert"]
    again = runner.invoke(
        app,
        ["images", "restore", CASE, str(image.image_id), "--version", "3",
         "--reason", "x", "--database", url],
    )  # fmt: skip
    assert again.exit_code != 0 and "no retracted image" in again.output


def test_images_demo_attaches_the_fictional_images_once(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    """`myotrack images demo` (a step of `make demo`, after the import): the demo child's
    fictional images, with their consent flags, in the registry's image folder; a second
    run changes nothing."""
    from myotrack.media import check_store, image_dir_for
    from myotrack.media.demo import DEMO_IMAGES

    url = sqlite_engine.url.render_as_string(hide_password=False)
    runner = CliRunner()
    first = runner.invoke(app, ["images", "demo", "--database", url])
    assert first.exit_code == 0, first.output
    assert f"{len(DEMO_IMAGES)} fictional image(s) attached" in first.output
    again = runner.invoke(app, ["images", "demo", "--database", url])
    assert again.exit_code == 0 and "Nothing new" in again.output
    with registry.transaction(sqlite_engine) as session:
        stored = image_rows.list_images(session, CASE)
    assert sorted((i.date, i.body_site) for i in stored) == sorted(
        (d.day, d.body_site) for d in DEMO_IMAGES
    )
    assert [i.consent for i in sorted(stored, key=lambda i: (i.date, i.body_site))] == [
        d.consent for d in sorted(DEMO_IMAGES, key=lambda d: (d.day, d.body_site))
    ]
    store = ImageStore(image_dir_for(url))
    assert store.root.parent == tmp_path  # beside the SQLite registry
    assert check_store(sqlite_engine, store).ok
    listed = runner.invoke(app, ["images", "list", CASE, "--database", url])
    assert listed.output.count("Fictional drawing") == len(DEMO_IMAGES)
