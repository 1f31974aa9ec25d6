"""The image store: cleaned image files outside the database, content-addressed.

A file's name is the SHA-256 of its bytes (`ab/abcdef….png`, fanned out by the first two
hex digits), so the same picture is stored once, a file can never be overwritten by a
different picture, and reading checks that the bytes still match their name. Files are
written to a temporary name in the same folder, flushed to disk, then renamed into place
(never half a file under a real name).

Where: `$MYOTRACK_IMAGE_DIR` if set; else, for a SQLite registry `…/myotrack.db`, the
folder `…/myotrack-images` beside it; else (PostgreSQL) `./myotrack-images`. Back the
folder up with the database: the registry holds the rows, the folder the pictures.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from myotrack.media.validate import EXTENSIONS, CleanImage

ENV_VAR = "MYOTRACK_IMAGE_DIR"
_NAME = re.compile(r"^([0-9a-f]{64})\.(png|jpg)$")


class StoreError(RuntimeError):
    """A stored file is missing or does not match its hash."""


def image_dir_for(database_url: str | None) -> Path:
    """The image folder of the registry at `database_url` (see the module docstring)."""
    configured = os.environ.get(ENV_VAR)
    if configured:
        return Path(configured)
    if database_url:
        url = make_url(database_url)
        if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
            db = Path(url.database)
            return db.with_name(f"{db.stem}-images")
    return Path("myotrack-images")


@dataclass(frozen=True, slots=True)
class StoredFile:
    sha256: str
    extension: str
    path: Path


class ImageStore:
    """Content-addressed files under `root` (created when the first file is written)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_of(self, sha256: str, media_type: str) -> Path:
        if not re.fullmatch(r"[0-9a-f]{64}", sha256) or media_type not in EXTENSIONS:
            raise StoreError(f"not an image address: {sha256!r} ({media_type})")
        return self.root / sha256[:2] / f"{sha256}.{EXTENSIONS[media_type]}"

    def put(self, image: CleanImage) -> bool:
        """Store the file; True if it was written now, False if it was already there."""
        target = self.path_of(image.sha256, image.media_type)
        if target.exists():
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".upload-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(image.data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temp)
            raise
        return True

    def read(self, sha256: str, media_type: str) -> bytes:
        """The stored bytes, checked against their hash."""
        path = self.path_of(sha256, media_type)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise StoreError(f"the image file {path} is missing from the image store") from None
        if hashlib.sha256(data).hexdigest() != sha256:
            raise StoreError(f"the image file {path} was changed: its content no longer matches")
        return data

    def discard(self, sha256: str, media_type: str) -> None:
        """Remove a file (only ever one no row refers to: see `media.attach`)."""
        with contextlib.suppress(FileNotFoundError):
            self.path_of(sha256, media_type).unlink()

    def files(self) -> Iterator[StoredFile]:
        """Every stored file (temporary `.part` files are skipped)."""
        if not self.root.is_dir():
            return
        for sub in sorted(self.root.iterdir()):
            if not sub.is_dir():
                continue
            for path in sorted(sub.iterdir()):
                found = _NAME.match(path.name)
                if found:
                    yield StoredFile(found.group(1), found.group(2), path)


__all__ = ["ENV_VAR", "ImageStore", "StoreError", "StoredFile", "image_dir_for"]
