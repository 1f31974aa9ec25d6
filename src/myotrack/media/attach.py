"""Attaching an image to a patient in one audited transaction, and checking that the
image store and the registry agree.

`attach_image` checks and cleans the upload (`media.validate`), writes the file into the
store BEFORE the registry transaction commits (so a committed row always has its file),
and removes the file again if the transaction fails — unless another committed row
refers to the same file by then (two uploads of one picture at the same moment).

`check_store` finds what can still go wrong on a crash between the file write and the
commit, or by hand: files no row refers to (orphans: safe to remove, `remove_orphans`)
and rows whose file is missing or changed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.engine import Engine

from myotrack import registry
from myotrack.domain import ClinicalImage, Consent
from myotrack.media.store import ImageStore, StoreError
from myotrack.media.validate import CleanImage, ImageLimits, clean_image


@dataclass(frozen=True, slots=True)
class ImageUpload:
    """What the user says about an image (the file comes separately)."""

    patient_id: str
    date: date
    body_site: str
    kind: str
    consent: Consent
    caption: str | None = None


def image_of(upload: ImageUpload, clean: CleanImage) -> ClinicalImage:
    return ClinicalImage(
        patient_id=upload.patient_id,
        date=upload.date,
        body_site=upload.body_site,  # type: ignore[arg-type]  # checked by the caller's model
        kind=upload.kind,  # type: ignore[arg-type]
        sha256=clean.sha256,
        media_type=clean.media_type,
        width=clean.width,
        height=clean.height,
        byte_size=len(clean.data),
        consent=upload.consent,
        caption=upload.caption,
    )


def attach_image(
    engine: Engine,
    store: ImageStore,
    upload: ImageUpload,
    data: bytes,
    *,
    actor: str,
    reason: str,
    limits: ImageLimits | None = None,
) -> ClinicalImage:
    """Check, clean, store and record one image (see the module docstring); returns it
    with its image id. ImageRejected for a file that is not accepted (nothing stored);
    registry errors (no such patient, duplicate, busy) after the file is cleaned up."""
    clean = clean_image(data, limits)
    image = image_of(upload, clean)
    created = store.put(clean)
    try:
        with registry.transaction(engine, write=True) as session:
            image_id = registry.add_image(session, image, actor=actor, reason=reason)
    except BaseException:
        if created:
            _discard_unless_used(engine, store, image)
        raise
    return replace(image, image_id=image_id)


def _discard_unless_used(engine: Engine, store: ImageStore, image: ClinicalImage) -> None:
    try:
        with registry.transaction(engine) as session:
            used = (image.sha256, image.media_type) in registry.stored_files(session)
    except Exception:  # the registry is unreachable: keep the file (check_store finds it)
        return
    if not used:
        store.discard(image.sha256, image.media_type)


@dataclass(frozen=True, slots=True)
class StoreReport:
    """What `check_store` found."""

    files: int
    rows: int
    orphans: tuple[str, ...]  # paths of files no row refers to
    missing: tuple[str, ...]  # sha256 of rows whose file is absent
    changed: tuple[str, ...]  # sha256 of rows whose file no longer matches its hash

    @property
    def ok(self) -> bool:
        return not (self.orphans or self.missing or self.changed)


def check_store(engine: Engine, store: ImageStore) -> StoreReport:
    """Compare the image store with the registry's image rows (retracted rows count: their
    files are kept)."""
    with registry.transaction(engine) as session:
        wanted = registry.stored_files(session)
    present = {(f.sha256, f.extension): f for f in store.files()}
    ext = {"image/png": "png", "image/jpeg": "jpg"}
    wanted_keys = {(sha, ext.get(media, "?")): (sha, media) for sha, media in wanted}
    orphans = tuple(str(f.path) for key, f in sorted(present.items()) if key not in wanted_keys)
    missing: list[str] = []
    changed: list[str] = []
    for key, (sha, media) in sorted(wanted_keys.items()):
        if key not in present:
            missing.append(sha)
            continue
        try:
            store.read(sha, media)
        except StoreError:
            changed.append(sha)
    return StoreReport(len(present), len(wanted), orphans, tuple(missing), tuple(changed))


def remove_orphans(engine: Engine, store: ImageStore) -> tuple[str, ...]:
    """Remove the files no row refers to (checked again just before each removal)."""
    report = check_store(engine, store)
    removed: list[str] = []
    with registry.transaction(engine) as session:
        wanted = {sha for sha, _ in registry.stored_files(session)}
    for path in report.orphans:
        from pathlib import Path

        name = Path(path).name
        if name.split(".")[0] not in wanted:
            Path(path).unlink(missing_ok=True)
            removed.append(path)
    return tuple(removed)


__all__ = [
    "ImageUpload",
    "StoreReport",
    "attach_image",
    "check_store",
    "image_of",
    "remove_orphans",
]
