"""Images leave the registry only with the matching consent (`media.export`,
`myotrack images export`): research exports are de-identified (pseudonyms, days, no
caption, no date), publication exports carry the caption; CSV text is formula-safe."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from myotrack import registry
from myotrack.cohort.deidentify import pseudonym
from myotrack.domain.images import ClinicalImage, Consent, Purpose
from myotrack.media import ImageStore, ImageUpload, attach_image
from myotrack.media.demo import DEMO_IMAGES, DEMO_PATIENT, add_demo_images
from myotrack.media.export import ExportSummary, export_images
from myotrack.registry import images as image_rows


def _manifest(folder: Path) -> list[dict[str, str]]:
    with (folder / "images.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _research_photo(engine: Engine, store: ImageStore, picture: bytes) -> None:
    """One photograph of the demo child WITH research consent (the demo's own have none)."""
    upload = ImageUpload(
        patient_id=DEMO_PATIENT,
        date=date(2022, 1, 11),
        body_site="knees",
        kind="photograph",
        consent=Consent(clinical_record=True, research=True, publication=False),
        caption="Knees, Fictional drawing kept for research",
    )
    attach_image(engine, store, upload, picture, actor="t", reason="t")


def test_research_and_publication_exports_follow_consent(
    sqlite_engine: Engine, store: ImageStore, tmp_path: Path, make_picture: Callable[..., bytes]
) -> None:
    add_demo_images(sqlite_engine, store)
    _research_photo(sqlite_engine, store, make_picture())
    with registry.transaction(sqlite_engine) as session:
        stored = image_rows.all_images(session)
        key = registry.research_key(session)
    start = date(2021, 10, 5)  # the demo child's ruxolitinib start

    def read(i: ClinicalImage) -> bytes:
        return store.read(i.sha256, i.media_type)

    def export(purpose: Purpose, folder: Path) -> ExportSummary:
        return export_images(
            stored,
            read,
            purpose,
            folder,
            pseudonym_of=lambda pid: pseudonym(key, pid),
            index_dates={DEMO_PATIENT: start},
        )

    # Research: only the one image with research consent; none of the demo's nine.
    research = export("research", tmp_path / "r")
    assert not any(d.consent.research for d in DEMO_IMAGES)
    assert (research.exported, research.left_out) == (1, len(DEMO_IMAGES))
    (row,) = _manifest(tmp_path / "r")
    assert set(row) == {"file", "patient", "day_from_index", "body_site", "kind"}
    assert row["patient"] == pseudonym(key, DEMO_PATIENT)
    assert (row["body_site"], int(row["day_from_index"])) == (
        "knees",
        (date(2022, 1, 11) - start).days,
    )
    text = (tmp_path / "r" / "images.csv").read_text(encoding="utf-8")
    assert "Fictional" not in text and "2022" not in text and DEMO_PATIENT not in text
    files = sorted(p.name for p in (tmp_path / "r").iterdir() if p.name != "images.csv")
    assert files == [row["file"]] and DEMO_PATIENT not in row["file"]
    demo_bytes = {read(i) for i in stored if i.body_site != "knees"}
    assert (tmp_path / "r" / row["file"]).read_bytes() not in demo_bytes

    # Publication: the demo's images with publication consent, with their captions.
    publication = export("publication", tmp_path / "p")
    published = [d for d in DEMO_IMAGES if d.consent.publication]
    assert (publication.exported, publication.left_out) == (len(published), 4)
    captions = {r["caption"] for r in _manifest(tmp_path / "p")}
    assert captions == {d.caption for d in published}
    with pytest.raises(ValueError):
        export("clinical_record", tmp_path / "c")


def test_captions_cannot_become_spreadsheet_formulas(
    sqlite_engine: Engine, store: ImageStore, tmp_path: Path, make_picture: Callable[..., bytes]
) -> None:
    upload = ImageUpload(
        patient_id=DEMO_PATIENT,
        date=date(2022, 1, 11),
        body_site="knees",
        kind="photograph",
        consent=Consent(clinical_record=True, research=True, publication=True),
        caption='=HYPERLINK("http://evil.example","click")',
    )
    attach_image(sqlite_engine, store, upload, make_picture(), actor="t", reason="t")
    with registry.transaction(sqlite_engine) as session:
        stored = image_rows.all_images(session)
    export_images(
        stored,
        lambda i: store.read(i.sha256, i.media_type),
        "publication",
        tmp_path,
        pseudonym_of=lambda pid: "S-1",
        index_dates={},
    )
    (row,) = _manifest(tmp_path)
    assert not row["caption"].startswith("=") and "HYPERLINK" in row["caption"]
    assert row["day_from_index"] == "" and row["file"].startswith("S-1-day-unknown-knees")


def test_the_export_command(
    sqlite_engine: Engine, tmp_path: Path, make_picture: Callable[..., bytes]
) -> None:
    from myotrack.cli import app

    url = sqlite_engine.url.render_as_string(hide_password=False)
    folder = tmp_path / "store"
    add_demo_images(sqlite_engine, ImageStore(folder))
    _research_photo(sqlite_engine, ImageStore(folder), make_picture())
    runner = CliRunner()
    result = runner.invoke(
        app,
        ["images", "export", "--purpose", "research", "--out", str(tmp_path / "x"),
         "--database", url, "--images", str(folder)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Exported 1 image(s) with research consent" in result.output
    assert f"{len(DEMO_IMAGES)} without it left out" in result.output
    bad = runner.invoke(
        app,
        ["images", "export", "--purpose", "all", "--out", str(tmp_path / "y"), "--database", url],
    )
    assert bad.exit_code != 0 and "research or publication" in bad.output
